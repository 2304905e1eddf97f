import type { RequestHandler } from 'express';

/**
 * The Content-Security-Policy of the whole application. The app is fully offline: every script,
 * style, tile, glyph and worker comes from this server. Checked on the built app in Chromium
 * through every workspace: MapLibre 6 and lit-html need no inline script or style (they style
 * elements through the CSSOM, which CSP does not govern), and with this policy nothing is refused.
 *
 * No inline style at all: our own UI sets styles through the CSSOM too (`el()` in
 * web/src/ui/dom.ts writes `element.style.cssText` for legend swatches, meters and bars), so
 * `style-src 'self'` covers `style` attributes and `<style>` elements alike and refuses both.
 *
 * `data:` images: the favicon in index.html. `blob:` for images and workers costs nothing to allow
 * and covers MapLibre's fallbacks (a worker module wrapped in a blob, decoded images), though
 * the app as built needs neither.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Powerful features the app never uses, switched off for it and anything it might embed. */
export const PERMISSIONS_POLICY = 'camera=(), microphone=(), geolocation=()';

/**
 * HTTPS only (sent only on HTTPS responses, as browsers ignore it on HTTP). One year; no
 * includeSubDomains, since sibling hosts on a county intranet may still be plain HTTP.
 */
export const STRICT_TRANSPORT_SECURITY = 'max-age=31536000';

/** Headers sent with every response, HTTP or HTTPS. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Permissions-Policy': PERMISSIONS_POLICY,
  'Origin-Agent-Cluster': '?1',
  'X-DNS-Prefetch-Control': 'off',
  'X-Permitted-Cross-Domain-Policies': 'none',
});

/**
 * Express middleware setting the security headers (what helmet would, for this app) before any
 * route answers, so error responses and static files carry them too. HSTS only when the request
 * came over HTTPS (`req.secure`, which honours the app's `trust proxy` setting).
 */
export function securityHeaders(): RequestHandler {
  return (req, res, next) => {
    res.set(SECURITY_HEADERS);
    if (req.secure) res.set('Strict-Transport-Security', STRICT_TRANSPORT_SECURITY);
    next();
  };
}
