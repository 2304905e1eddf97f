import type { Server } from 'node:http';
import express, { type Express } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../logger.js';
import { errorMiddleware, notFoundHandler } from './errors.js';
import { CONTENT_SECURITY_POLICY, SECURITY_HEADERS, securityHeaders } from './security-headers.js';

/** Directive name → its sources, from a policy string. */
function directives(policy: string): Map<string, string[]> {
  return new Map(
    policy.split(';').map((part) => {
      const [name, ...sources] = part.trim().split(/\s+/);
      return [name!, sources];
    }),
  );
}

const EXPECTED_HEADERS: Record<string, string> = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'permissions-policy': 'camera=(), microphone=(), geolocation=()',
  'origin-agent-cluster': '?1',
  'x-dns-prefetch-control': 'off',
  'x-permitted-cross-domain-policies': 'none',
};

describe('the Content-Security-Policy', () => {
  it('is exactly the agreed policy', () => {
    expect(CONTENT_SECURITY_POLICY).toBe(
      "default-src 'self'; script-src 'self'; style-src 'self'; " +
        "img-src 'self' data: blob:; font-src 'self'; connect-src 'self'; worker-src 'self' blob:; " +
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    );
  });

  it('allows only this server for scripts, styles, connections and fonts', () => {
    const policy = directives(CONTENT_SECURITY_POLICY);
    for (const name of ['default-src', 'script-src', 'style-src', 'connect-src', 'font-src', 'form-action']) {
      expect(policy.get(name), name).toEqual(["'self'"]);
    }
    expect(policy.get('img-src')).toEqual(["'self'", 'data:', 'blob:']);
    expect(policy.get('worker-src')).toEqual(["'self'", 'blob:']);
    for (const name of ['object-src', 'base-uri', 'frame-ancestors'])
      expect(policy.get(name), name).toEqual(["'none'"]);
  });

  it('allows no eval, no inline script or style, and no other host anywhere', () => {
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-eval|wasm-unsafe-eval|unsafe-hashes|strict-dynamic/);
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/https?:|\*|ws:|wss:|filesystem:|mediastream:/);
    // Not even for style attributes: the UI styles through the CSSOM (web/src/ui/dom.ts).
    expect(CONTENT_SECURITY_POLICY).not.toContain("'unsafe-inline'");
    expect(CONTENT_SECURITY_POLICY).not.toContain('style-src-attr');
    expect(directives(CONTENT_SECURITY_POLICY).size).toBe(11);
  });
});

describe('securityHeaders', () => {
  let server: Server;
  let baseUrl: string;

  function appWith(trustProxy: boolean): Express {
    const app = express();
    if (trustProxy) app.set('trust proxy', 'loopback');
    app.use(securityHeaders());
    app.get('/ok', (_req, res) => {
      res.json({ ok: true });
    });
    app.get('/fails', () => {
      throw new Error('boom');
    });
    app.get('/secure', (req, res) => {
      res.json({ secure: req.secure });
    });
    // The application's own 404 and error handlers (Express's fallback would set a CSP of its own).
    app.use(notFoundHandler);
    app.use(errorMiddleware(createLogger('silent')));
    return app;
  }

  async function listen(app: Express): Promise<{ server: Server; baseUrl: string }> {
    const s = await new Promise<Server>((resolve) => {
      const started = app.listen(0, '127.0.0.1', () => resolve(started));
    });
    const address = s.address();
    if (!address || typeof address === 'string') throw new Error('no port');
    return { server: s, baseUrl: `http://127.0.0.1:${address.port}` };
  }

  beforeAll(async () => {
    ({ server, baseUrl } = await listen(appWith(true)));
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  function securityHeadersOf(response: Response): Record<string, string> {
    const names = [...Object.keys(EXPECTED_HEADERS), 'strict-transport-security'];
    return Object.fromEntries(
      names.filter((name) => response.headers.has(name)).map((name) => [name, response.headers.get(name)!]),
    );
  }

  it('sends every header on a plain HTTP answer, without HSTS', async () => {
    const response = await fetch(`${baseUrl}/ok`);
    expect(response.status).toBe(200);
    expect(securityHeadersOf(response)).toEqual(EXPECTED_HEADERS);
  });

  it('sends them on 404s and 500s too', async () => {
    const missing = await fetch(`${baseUrl}/nowhere`);
    expect(missing.status).toBe(404);
    expect(securityHeadersOf(missing)).toEqual(EXPECTED_HEADERS);
    const failed = await fetch(`${baseUrl}/fails`);
    expect(failed.status).toBe(500);
    expect(((await failed.json()) as { error: { code: string } }).error.code).toBe('internal');
    expect(securityHeadersOf(failed)).toEqual(EXPECTED_HEADERS);
  });

  it('adds HSTS when a trusted proxy says the request came over HTTPS', async () => {
    const response = await fetch(`${baseUrl}/secure`, { headers: { 'X-Forwarded-Proto': 'https' } });
    expect(await response.json()).toEqual({ secure: true });
    expect(securityHeadersOf(response)).toEqual({
      ...EXPECTED_HEADERS,
      'strict-transport-security': 'max-age=31536000',
    });
  });

  it('ignores X-Forwarded-Proto when no proxy is trusted', async () => {
    const untrusted = await listen(appWith(false));
    try {
      const response = await fetch(`${untrusted.baseUrl}/secure`, { headers: { 'X-Forwarded-Proto': 'https' } });
      expect(await response.json()).toEqual({ secure: false });
      expect(response.headers.has('strict-transport-security')).toBe(false);
    } finally {
      await new Promise<void>((resolve) => untrusted.server.close(() => resolve()));
    }
  });

  it('exports the same headers it sends', () => {
    expect(Object.fromEntries(Object.entries(SECURITY_HEADERS).map(([k, v]) => [k.toLowerCase(), v]))).toEqual(
      EXPECTED_HEADERS,
    );
    expect(Object.isFrozen(SECURITY_HEADERS)).toBe(true);
  });
});
