import type { Server } from 'node:http';
import express from 'express';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS } from '../../test/backends.js';
import { createTestUser, loginOverHttp, type TestSession } from '../../test/http.js';
import { routeAuth } from '../app.js';
import { authRoutes } from '../auth/routes.js';
import { Sessions } from '../auth/session.js';
import { AppError, errorMiddleware, notFoundHandler } from '../http/errors.js';
import { buildRouter } from '../http/router.js';
import { createLogger } from '../logger.js';
import { importLayer } from './import/import.js';
import { snapshotTables, useTestCountyDatabase } from './import/test-county.js';
import { roadClassRoutes } from './road-class-routes.js';

describe.each(BACKENDS)('GET/PUT /api/counties/:code/road-classes on %s', (kind) => {
  const database = useTestCountyDatabase(kind);
  let server: Server;
  let admin: TestSession;
  let commander: TestSession;
  let changes = 0;

  beforeAll(async () => {
    const app = express();
    const sessions = new Sessions(database().db);
    const requireCounty = async (code: string) => {
      const found = await database()
        .db.selectFrom('counties')
        .select('code')
        .where('code', '=', code)
        .executeTakeFirst();
      if (!found) throw AppError.notFound(`没有代码为 ${code} 的县（no county ${code} is loaded）`);
    };
    const ctx = { database: database(), onDataChanged: () => void (changes += 1) };
    app.use(
      buildRouter(
        [...authRoutes({ database: database(), sessions }), ...roadClassRoutes(ctx, requireCounty)],
        routeAuth({ database: database(), sessions }),
      ),
    );
    app.use(notFoundHandler);
    app.use(errorMiddleware(createLogger('silent')));
    server = await new Promise<Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    const baseUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    const a = await createTestUser(database(), 'admin');
    const c = await createTestUser(database(), 'commander');
    admin = await loginOverHttp(baseUrl, a.username, a.password);
    commander = await loginOverHttp(baseUrl, c.username, c.password);
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  });

  it('shows the built-in mapping, and an admin change re-costs the county roads and signals the change', async () => {
    const roads = JSON.stringify({
      type: 'FeatureCollection',
      features: [
        {
          type: 'Feature',
          properties: { 行政等级: 'X' },
          geometry: {
            type: 'LineString',
            coordinates: [
              [119.6, 27.55],
              [119.7, 27.55],
            ],
          },
        },
      ],
    });
    const imported = await importLayer(database().db, {
      layer: 'roads',
      bytes: Buffer.from(roads),
      fileName: 'roads.geojson',
      crs: 'wgs84',
      importedBy: 'test',
    });
    expect(imported.report.accepted).toBe(true);

    const read = await commander.fetch('/api/counties/330329/road-classes');
    expect(read.status).toBe(200);
    const body = (await read.json()) as { own: boolean; mapping: { administrative: Record<string, unknown> } };
    expect(body.own).toBe(false);
    expect(body.mapping.administrative.X).toEqual({ roadClass: 'county', grade: 'class3' });

    // Commanders read it but may not change it.
    const refused = await commander.fetch('/api/counties/330329/road-classes', {
      method: 'PUT',
      json: { set: ['X=class4'] },
    });
    expect(refused.status).toBe(403);

    const before = await snapshotTables(database().db);
    const bad = await admin.fetch('/api/counties/330329/road-classes', { method: 'PUT', json: { set: ['X=fast'] } });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toContain('X takes a grade');
    expect(await snapshotTables(database().db)).toEqual(before);

    const changesBefore = changes;
    const put = await admin.fetch('/api/counties/330329/road-classes', { method: 'PUT', json: { set: ['X=class4'] } });
    expect(put.status).toBe(200);
    expect(await put.json()).toMatchObject({ county: '330329', own: true, edgesChanged: 1 });
    expect(changes).toBe(changesBefore + 1);
    const speed = await sql<{ speed_kmh: number }>`select speed_kmh from road_edges`.execute(database().db);
    expect(speed.rows).toEqual([{ speed_kmh: 30 }]);

    const missing = await admin.fetch('/api/counties/999999/road-classes');
    expect(missing.status).toBe(404);
  });
});
