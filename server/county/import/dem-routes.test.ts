import fs from 'node:fs';
import type { Server } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS } from '../../../test/backends.js';
import { createTestUser, loginOverHttp, type TestSession } from '../../../test/http.js';
import { routeAuth } from '../../app.js';
import { authRoutes } from '../../auth/routes.js';
import { Sessions } from '../../auth/session.js';
import type { CommandIO } from '../../cli/command.js';
import { errorMiddleware, notFoundHandler } from '../../http/errors.js';
import { buildRouter } from '../../http/router.js';
import { createLogger } from '../../logger.js';
import { readTerrains } from '../terrain.js';
import { importCommand, parseImportArgs } from './cli.js';
import { demTiff } from './dem-test-files.js';
import { importRoutes } from './routes.js';
import { snapshotTables, TEST_COUNTY, useTestCountyDatabase } from './test-county.js';

/** A DEM over the test county in WGS84, heights a function of position. */
const dem = (options: { keys?: boolean; base?: number } = {}) =>
  demTiff({
    width: 300,
    height: 300,
    origin: [119.45, 27.85],
    pixelSize: [0.002, 0.002],
    ...(options.keys === false ? {} : { crs: { epsg: 4326, geographic: true } }),
    type: 'int16',
    heightAt: (lon, lat) => (options.base ?? 500) + 200 * Math.sin(lon * 40) * Math.cos(lat * 30),
  });

describe('the import command line for a DEM', () => {
  it('takes terrain or dem as the layer, and refuses the vector layers’ options', () => {
    expect(parseImportArgs(['n27e119.hgt', '--layer', 'dem'])).toEqual({
      file: 'n27e119.hgt',
      layer: 'terrain',
      crs: undefined,
      county: undefined,
      mode: 'append',
    });
    expect(parseImportArgs(['dem.tif', '--layer=terrain', '--crs', 'EPSG:4549'])).toMatchObject({ crs: 'EPSG:4549' });
    expect(() => parseImportArgs(['dem.tif', '--layer', 'terrain', '--mode', 'replace'])).toThrow(
      '--mode, --table and --fields are for vector layers: a DEM replaces the terrain whole.',
    );
  });
});

describe.each(BACKENDS)('DEM import over HTTP and the command line on %s', (kind) => {
  const database = useTestCountyDatabase(kind);
  let server: Server;
  let baseUrl: string;
  let changes = 0;
  let planner: TestSession;

  beforeAll(async () => {
    const app = express();
    const sessions = new Sessions(database().db);
    const routes = [
      ...authRoutes({ database: database(), sessions }),
      ...importRoutes({ database: database(), onDataChanged: () => void (changes += 1) }),
    ];
    app.use(buildRouter(routes, routeAuth({ database: database(), sessions })));
    app.use(notFoundHandler);
    app.use(errorMiddleware(createLogger('silent')));
    server = await new Promise<Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    baseUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    const whole = await createTestUser(database(), 'planner');
    planner = await loginOverHttp(baseUrl, whole.username, whole.password);
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  });

  const post = (session: TestSession, route: string, query: string, body: Uint8Array) =>
    session.fetch(`${route}?${query}`, {
      method: 'POST',
      headers: { 'content-type': 'image/tiff' },
      body: new Uint8Array(body),
    });

  it('previews, imports (201, the map told) and refuses (422, nothing written) a DEM', async () => {
    const preview = await post(planner, '/api/imports/preview', 'layer=terrain&fileName=dem.tif', dem());
    expect(preview.status).toBe(200);
    expect(await preview.json()).toMatchObject({
      layer: 'terrain',
      source: { format: 'geotiff', width: 300, height: 300, crs: 'wgs84', voids: 0 },
      problems: [],
    });

    const before = changes;
    const accepted = await post(planner, '/api/imports', 'layer=dem&fileName=dem.tif', dem());
    expect(accepted.status).toBe(201);
    const report = (await accepted.json()) as { accepted: boolean; layer: string; grid: { width: number } };
    expect(report).toMatchObject({ accepted: true, layer: 'terrain' });
    expect(changes).toBe(before + 1);
    const [terrain] = await readTerrains(database().db, TEST_COUNTY.code);
    expect(terrain!.grid.width).toBe(report.grid.width);

    const snapshot = await snapshotTables(database().db);
    const rejected = await post(planner, '/api/imports', 'layer=terrain&fileName=nokeys.tif', dem({ keys: false }));
    expect(rejected.status).toBe(422);
    const body = (await rejected.json()) as { error: { message: string; details: { accepted: boolean } } };
    expect(body.error.message).toContain('does not say which coordinate system it is in (no GeoKeys)');
    expect(body.error.details.accepted).toBe(false);
    expect(await snapshotTables(database().db)).toEqual(snapshot);
    expect(changes).toBe(before + 1);
  });

  it('refuses a planner of some townships before reading the DEM', async () => {
    const partial = await createTestUser(database(), 'planner', {
      username: 'dem-township-planner',
      townships: ['330329101'],
    });
    const townshipPlanner = await loginOverHttp(baseUrl, partial.username, partial.password);
    for (const route of ['/api/imports', '/api/imports/preview']) {
      const response = await post(townshipPlanner, route, 'layer=terrain', new Uint8Array([1, 2, 3]));
      expect(response.status).toBe(403);
    }
  });

  it('imports from the command line with --layer dem and says what it did', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dem-cli-'));
    const file = path.join(dir, 'dem.tif');
    fs.writeFileSync(file, dem({ base: 900 }));
    const said: string[] = [];
    const io: CommandIO = { json: false, say: (line) => said.push(line), progress: () => {}, result: () => {} };
    const code = await importCommand.run({ args: [file, '--layer', 'dem'], io, database: database() });
    fs.rmSync(dir, { recursive: true });
    expect(code).toBe(0);
    expect(said.join('\n')).toMatch(/dem\.tif: GeoTIFF 300 × 300 Int16 \(Deflate\), crs wgs84 .*\n.*terrain grid/);
    expect(said.join('\n')).toContain('accepted: the terrain of county 330329 replaced');
    const [terrain] = await readTerrains(database().db, TEST_COUNTY.code);
    expect(Math.max(...Array.from(terrain!.grid.elevationMetres))).toBeGreaterThan(1000);
  });
});
