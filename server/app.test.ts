import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, openTestDatabase } from '../test/backends.js';
import { startTestServer, type TestServer } from '../test/http.js';
import { allRoutes } from './app.js';
import { createAppContext } from './context.js';
import type { Database } from './db/database.js';
import { readMigrations } from './db/migrate.js';
import { toOpenApiPath } from './http/openapi.js';
import { createLogger } from './logger.js';

describe.each(BACKENDS)('the HTTP application on %s', (kind) => {
  let database: Database;
  let server: TestServer;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    server = await startTestServer(database);
  });
  afterAll(async () => {
    await server?.close();
    await database?.close();
  });

  it('reports health with the backend, PostGIS version and latest migration', async () => {
    const response = await fetch(`${server.baseUrl}/api/health`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as Record<string, unknown>;
    const latest = Math.max(...readMigrations().map((m) => m.version));
    expect(body).toMatchObject({ status: 'ok', db: kind, migration: latest });
    expect(body.postgis).toMatch(/^3\.\d+\.\d+/);
  });

  it('answers an unknown API route with a 404 JSON error naming it', async () => {
    const response = await fetch(`${server.baseUrl}/api/no-such-thing?x=1`);
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toMatch(/application\/json/);
    expect(await response.json()).toEqual({
      error: {
        code: 'not_found',
        message: 'No route for GET /api/no-such-thing.',
        details: { method: 'GET', path: '/api/no-such-thing' },
      },
    });
  });

  it('answers an unknown page path with a 404 JSON error', async () => {
    const response = await fetch(`${server.baseUrl}/no/such/page`);
    expect(response.status).toBe(404);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('not_found');
  });

  it('answers a method the route does not have with a 404 JSON error, whatever the body', async () => {
    const response = await fetch(`${server.baseUrl}/api/health`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"broken": ',
    });
    expect(response.status).toBe(404);
    const text = await response.text();
    expect(JSON.parse(text)).toMatchObject({ error: { code: 'not_found', message: 'No route for POST /api/health.' } });
    expect(text).not.toMatch(/at .*\.(ts|js):\d+/);
  });

  it('serves the built web app at /', async () => {
    const response = await fetch(`${server.baseUrl}/`);
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('<div id="app"></div>');
    expect(html).toMatch(/<script type="module" crossorigin src="\/assets\/index-[\w-]+\.js"><\/script>/);
  });

  it('serves a MapLibre style whose sources all point at this server, whatever Host the client names', async () => {
    const response = await server.fetch('/api/map/style.json', { headers: { host: 'evil.example' } });
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).not.toContain('evil.example');
    const style = JSON.parse(text) as {
      version: number;
      glyphs?: string;
      sprite?: string;
      sources: Record<string, { tiles: string[] }>;
    };
    expect(style.version).toBe(8);
    expect(style.glyphs).toBeUndefined();
    expect(style.sprite).toBeUndefined();
    expect(style.sources.basemap!.tiles).toEqual(['/api/map/tiles/{z}/{x}/{y}.pbf']);
    expect(style.sources.dem!.tiles).toEqual(['/api/map/dem/{z}/{x}/{y}.png']);
  });

  it('refuses invisible and direction characters in names, far-off dates and ids that are not decimal', async () => {
    const holiday = (body: Record<string, unknown>) =>
      server.api<{ error: { code: string; message: string } }>('/api/holidays', {
        method: 'POST',
        json: { name: '春节', firstDay: '2027-02-06', days: 7, ...body },
      });
    const spoofed = await holiday({ name: '\u202egnp.exe\u200b' });
    expect(spoofed.status).toBe(400);
    expect(spoofed.body.error.message).toContain('body.name');
    expect(spoofed.body.error.message).toContain('U+202E');
    const farOff = await holiday({ firstDay: '9999-12-31' });
    expect(farOff.status).toBe(400);
    expect(farOff.body.error.message).toContain('body.firstDay');
    for (const id of ['0x1', '1e3', '+1', '1.0']) {
      const response = await server.fetch(`/api/grids/plans/${id}`);
      await response.arrayBuffer();
      expect(response.status, id).toBe(400);
    }
  });

  it('believes no X-Forwarded-For without a configured proxy: the login throttle counts the real address', async () => {
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 7; attempt++) {
      const response = await fetch(`${server.baseUrl}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': `203.0.113.${attempt + 1}` },
        body: JSON.stringify({ username: 'admin-xff-probe', password: `wrong-${attempt}` }),
      });
      await response.arrayBuffer();
      statuses.push(response.status);
    }
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses.slice(5)).toEqual([429, 429]);
  });

  it('describes every registered route in the OpenAPI document', async () => {
    const response = await server.fetch('/api/openapi.json');
    expect(response.status).toBe(200);
    const document = (await response.json()) as { openapi: string; paths: Record<string, Record<string, unknown>> };
    expect(document.openapi).toBe('3.1.0');
    const logger = createLogger('silent');
    const routes = allRoutes(
      createAppContext({
        database,
        logger,
        config: { webDir: '', trustProxy: false, publicUrl: undefined },
        databaseInfo: { postgis: '3', migration: 0 },
        version: 'test',
      }),
    );
    const documented = Object.entries(document.paths).flatMap(([path, operations]) =>
      Object.keys(operations).map((method) => `${method} ${path}`),
    );
    expect(documented.sort()).toEqual(routes.map((r) => `${r.method} ${toOpenApiPath(r.path)}`).sort());
    const health = document.paths['/api/health']!.get as { 'x-access': unknown; responses: Record<string, unknown> };
    expect(health['x-access']).toBe('public');
    expect(Object.keys(health.responses)).toEqual(['200', '4XX', '5XX']);
  });
});
