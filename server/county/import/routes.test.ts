import type { Server } from 'node:http';
import express from 'express';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS } from '../../../test/backends.js';
import { createTestUser, loginOverHttp, type TestSession } from '../../../test/http.js';
import { routeAuth } from '../../app.js';
import { authRoutes } from '../../auth/routes.js';
import { Sessions } from '../../auth/session.js';
import { errorMiddleware, notFoundHandler } from '../../http/errors.js';
import { buildRouter } from '../../http/router.js';
import { createLogger } from '../../logger.js';
import { importRoutes } from './routes.js';
import { fixture, snapshotTables, useTestCountyDatabase } from './test-county.js';

describe.each(BACKENDS)('POST /api/imports on %s', (kind) => {
  const database = useTestCountyDatabase(kind);
  let server: Server;
  let baseUrl: string;
  let mapInvalidations = 0;
  let session: TestSession;

  beforeAll(async () => {
    const app = express();
    // The map is redrawn after an accepted import: count the signals.
    const onDataChanged = () => void (mapInvalidations += 1);
    const sessions = new Sessions(database().db);
    const routes = [
      ...authRoutes({ database: database(), sessions }),
      ...importRoutes({ database: database(), onDataChanged }),
    ];
    app.use(buildRouter(routes, routeAuth({ database: database(), sessions })));
    app.use(notFoundHandler);
    app.use(errorMiddleware(createLogger('silent')));
    server = await new Promise<Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    baseUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    const planner = await createTestUser(database(), 'planner');
    session = await loginOverHttp(baseUrl, planner.username, planner.password);
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  });

  const post = (query: string, body: Uint8Array | string, contentType: string) =>
    session.fetch(`/api/imports?${query}`, {
      method: 'POST',
      headers: { 'content-type': contentType },
      body: typeof body === 'string' ? body : new Uint8Array(body),
    });

  it('imports a CSV of stations: 201 with the report, recorded as its importer’s, the map redrawn', async () => {
    const invalidationsBefore = mapInvalidations;
    const response = await post('layer=stations&crs=wgs84&fileName=stations.csv', fixture('stations.csv'), 'text/csv');
    expect(response.status).toBe(201);
    expect(await response.json()).toEqual({
      accepted: true,
      layer: 'stations',
      crs: 'wgs84',
      encoding: 'utf-8',
      counts: { features: 3, imported: 3, repaired: 0, rejected: 0 },
      problems: [],
    });
    const imports = await sql<Record<string, unknown>>`
      select county_code, layer, file_name, crs, imported_by from imports`.execute(database().db);
    expect(imports.rows).toEqual([
      {
        county_code: '330329',
        layer: 'stations',
        file_name: 'stations.csv',
        crs: 'wgs84',
        imported_by: 'test-planner',
      },
    ]);
    expect(mapInvalidations).toBe(invalidationsBefore + 1);
  });

  it('answers a rejected file with 422 validation_failed, the report in details, and writes nothing', async () => {
    const before = await snapshotTables(database().db);
    const invalidationsBefore = mapInvalidations;
    const response = await post('layer=villages', fixture('broken-villages.geojson'), 'application/geo+json');
    expect(response.status).toBe(422);
    const body = (await response.json()) as {
      error: { code: string; message: string; details: { accepted: boolean; counts: unknown; problems: unknown[] } };
    };
    expect(body.error.code).toBe('validation_failed');
    expect(body.error.message).toBe(
      'The villages file was rejected with 4 problems; nothing was written. First: error #1 330329101204 geometry: invalid geometry (Self-intersection at 119.875, 27.55); not repaired, because repairing would split it into 2 polygons (as for a bow-tie): fix it in the source',
    );
    expect(body.error.details).toMatchObject({
      accepted: false,
      layer: 'villages',
      crs: 'gcj02',
      encoding: 'utf-8',
      counts: { features: 4, imported: 0, repaired: 0, rejected: 3 },
    });
    expect(body.error.details.problems).toHaveLength(4);
    expect(await snapshotTables(database().db)).toEqual(before);
    expect(mapInvalidations).toBe(invalidationsBefore);
  });

  it('asks for the coordinate system with a 422 naming the crs parameter', async () => {
    const response = await post('layer=households', fixture('households-outside.csv'), 'text/csv; charset=utf-8');
    expect(response.status).toBe(422);
    const body = (await response.json()) as { error: { details: { problems: { field: string; reason: string }[] } } };
    expect(body.error.details.problems).toEqual([
      expect.objectContaining({
        index: -1,
        field: 'crs',
        reason: expect.stringMatching(/^the file does not say which coordinate system/),
      }),
    ]);
  });

  it('refuses bad parameters, an empty body, an unknown county and other media types', async () => {
    const noLayer = await post('crs=wgs84', fixture('stations.csv'), 'text/csv');
    expect(noLayer.status).toBe(400);
    expect(((await noLayer.json()) as { error: { message: string } }).error.message).toMatch(
      /^Invalid request: query\.layer: /,
    );
    const badCrs = await post('layer=stations&crs=bd10', fixture('stations.csv'), 'text/csv');
    expect(badCrs.status).toBe(400);
    const empty = await post('layer=stations&crs=wgs84', '', 'text/csv');
    expect(empty.status).toBe(400);
    expect(await empty.json()).toEqual({
      error: { code: 'bad_request', message: 'Send the file as the request body.' },
    });
    const county = await post('layer=stations&crs=wgs84&county=330328', fixture('stations.csv'), 'text/csv');
    expect(county.status).toBe(400);
    expect(await county.json()).toEqual({
      error: {
        code: 'bad_request',
        message: 'There is no county 330328 in the database.',
        details: { county: '330328' },
      },
    });
    const plain = await post('layer=stations&crs=wgs84', fixture('stations.csv'), 'text/plain');
    expect(plain.status).toBe(415);
  });
});
