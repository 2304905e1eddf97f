// Every route of the OpenAPI document, called as nobody, as each role and as a planner limited to one
// township: 401 for nobody, 403 for a role the route does not list, and for a listed role an answer
// past the gate (2xx for reads). Then what a township planner may not do or read, with real requests.
import { VectorTile } from '@mapbox/vector-tile';
import { unzipSync } from 'fflate';
import { sql } from 'kysely';
import { PbfReader } from 'pbf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES } from '../server/auth/roles.js';
import { readShapefile } from '../server/county/import/shapefile.js';
import type { Database } from '../server/db/database.js';
import type { Role } from '../server/http/route.js';
import { BACKENDS, openTestDatabase } from './backends.js';
import { startTestServer, type TestServer, type TestSession } from './http.js';

interface Operation {
  method: string;
  path: string;
  access: 'public' | Role[];
}

/** A planner limited to one township (the first with grid units), beside the roles' unlimited users. */
const TOWNSHIP_PLANNER = 'township-planner';
type Caller = Role | 'anonymous' | typeof TOWNSHIP_PLANNER;
const CALLERS: Caller[] = ['anonymous', ...ROLES, TOWNSHIP_PLANNER];
/** Changes a township planner may not make at all, whatever the request: they change the whole county. */
const WHOLE_COUNTY_CHANGES = new Set([
  'post /api/imports',
  'post /api/imports/preview',
  'post /api/grids/plans',
  'patch /api/grids/plans/{id}',
]);
/**
 * Every change a planner may call, and the test below that sends it as a township planner aimed
 * outside their township: a new planner route without a probe there fails the run.
 */
const TOWNSHIP_PROBED = new Set([
  'post /api/imports',
  'post /api/imports/preview',
  'post /api/grids/plans',
  'patch /api/grids/plans/{id}',
  'post /api/grids/plans/{id}/edits',
  'post /api/auth/password',
  'post /api/auth/logout',
]);
const STATE_CHANGING = new Set(['post', 'put', 'patch', 'delete']);
/** Ids that exist nowhere: a change that gets past the gate finds nothing to change. */
const MISSING = { id: '999999', code: '330329999999', station: '330329999' };

describe.each(BACKENDS)('who may call every route, on %s', (kind) => {
  let database: Database;
  let server: TestServer;
  let operations: Operation[];
  let townshipPlanner: TestSession;
  /** Real things of the demo county, for reads that should answer 2xx. */
  const real: Record<string, string> = {};

  beforeAll(async () => {
    database = await openTestDatabase(kind, { withCounty: true });
    server = await startTestServer(database);
    for (const role of ROLES) await server.login(role);
    const document = (
      await server.api<{ paths: Record<string, Record<string, { 'x-access': Operation['access'] }>> }>(
        '/api/openapi.json',
      )
    ).body;
    operations = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, op]) => ({ method, path, access: op['x-access'] })),
    );
    const one = async (query: ReturnType<typeof sql<{ v: string | number }>>) =>
      String((await query.execute(database.db)).rows[0]!.v);
    real.gridPlan = await one(sql`select min(id) as v from grid_plans`);
    real.holiday = await one(sql`select min(id) as v from holidays`);
    real.station = await one(sql`select min(code) as v from police_stations`);
    real.village = await one(sql`select min(code) as v from villages`);
    real.township = await one(sql`select min(township_code) as v from grid_units`);
    real.otherTownship = await one(sql`select township_code as v from grid_plan_grids
      where plan_id = ${real.gridPlan} and township_code <> ${real.township} and unit_count > 1
      group by township_code order by count(*) desc, township_code limit 1`);
    townshipPlanner = await server.login('planner', {
      username: 'test-planner-township',
      townships: [real.township],
    });
    real.officer = await one(sql`select min(id) as v from officers`);
    real.user = await one(sql`select min(id) as v from users`);
    const solved = await server.api<{ id: number }>(`/api/holidays/${real.holiday}/plans`, {
      method: 'POST',
      json: {},
    });
    expect(solved.status).toBe(201);
    real.holidayPlan = String(solved.body.id);
  });
  afterAll(async () => {
    await server?.close();
    await database?.close();
  });

  /** A read with real ids and the query it needs, so an allowed role gets a 2xx. */
  const readUrl = (op: Operation): string => {
    const risk = 'categories=incident,fraud&from=2026-08&to=2026-10';
    const samples: Record<string, string> = {
      '/api/map/tiles/{z}/{x}/{y}.pbf': '/api/map/tiles/10/857/417.pbf',
      '/api/map/dem/{z}/{x}/{y}.png': '/api/map/dem/10/857/417.png',
      '/api/policing/no-trip.{format}': '/api/policing/no-trip.csv',
      '/api/policing/stations/{code}/isochrones': `/api/policing/stations/${real.station}/isochrones`,
      '/api/risk/cells/{h3}': `/api/risk/cells/8840d3a0d5fffff?${risk}`,
      '/api/holidays/{id}': `/api/holidays/${real.holiday}`,
      '/api/holidays/{id}/officers': `/api/holidays/${real.holiday}/officers`,
      '/api/holidays/{id}/zones.geojson': `/api/holidays/${real.holiday}/zones.geojson`,
      '/api/holidays/{id}/plans': `/api/holidays/${real.holiday}/plans`,
      '/api/holidays/{id}/plans/compare': `/api/holidays/${real.holiday}/plans/compare?a=${real.holidayPlan}&b=${real.holidayPlan}`,
      '/api/holidays/{id}/plans/{planId}': `/api/holidays/${real.holiday}/plans/${real.holidayPlan}`,
      '/api/holidays/{id}/plans/{planId}/roster.{format}': `/api/holidays/${real.holiday}/plans/${real.holidayPlan}/roster.csv`,
      '/api/grids/plans/compare': `/api/grids/plans/compare?a=${real.gridPlan}&b=${real.gridPlan}`,
      '/api/grids/plans/{id}': `/api/grids/plans/${real.gridPlan}`,
      '/api/grids/plans/{id}/revisions': `/api/grids/plans/${real.gridPlan}/revisions`,
      '/api/grids/plans/{id}/units.geojson': `/api/grids/plans/${real.gridPlan}/units.geojson?township=${real.township}`,
      '/api/grids/plans/{id}/grids.geojson': `/api/grids/plans/${real.gridPlan}/grids.geojson?township=${real.township}`,
      '/api/grids/plans/{id}/export.geojson': `/api/grids/plans/${real.gridPlan}/export.geojson`,
      '/api/grids/plans/{id}/export.{format}': `/api/grids/plans/${real.gridPlan}/export.csv`,
      '/api/grids/plans/{id}/households.csv': `/api/grids/plans/${real.gridPlan}/households.csv`,
      '/api/counties/{code}/readiness': '/api/counties/330329/readiness',
      '/api/counties/{code}/crs': '/api/counties/330329/crs',
      '/api/exports/{layer}.{format}': '/api/exports/villages.zip',
      '/api/exports/households.{format}': '/api/exports/households.zip',
      '/api/exports/events.{format}': '/api/exports/events.gpkg',
      '/api/grids/plans/{id}/export.zip': `/api/grids/plans/${real.gridPlan}/export.zip`,
      '/api/grids/plans/{id}/export.gpkg': `/api/grids/plans/${real.gridPlan}/export.gpkg`,
      '/api/counties/{code}/jurisdictions': '/api/counties/330329/jurisdictions',
      '/api/counties/{code}/road-classes': '/api/counties/330329/road-classes',
    };
    if (samples[op.path]) return samples[op.path]!;
    if (op.path.startsWith('/api/risk/')) return `${op.path}?${risk}`;
    if (op.path.includes('{')) throw new Error(`No sample request for GET ${op.path}: add one to this table.`);
    return op.path;
  };

  /** A change aimed at nothing that exists, with a body its schema refuses: nothing can be written. */
  const changeUrl = (op: Operation): string =>
    op.path
      .replace('{code}', op.path.includes('war-zones') ? MISSING.station : MISSING.code)
      .replace(/\{[A-Za-z]+\}/g, MISSING.id);

  const expected = (op: Operation, caller: Caller): 'gate' | 'unauthenticated' | 'forbidden' => {
    if (op.access === 'public') return 'gate';
    if (caller === 'anonymous') return 'unauthenticated';
    if (caller === TOWNSHIP_PLANNER) {
      if (WHOLE_COUNTY_CHANGES.has(`${op.method} ${op.path}`)) return 'forbidden';
      return op.access.includes('planner') ? 'gate' : 'forbidden';
    }
    return op.access.includes(caller) ? 'gate' : 'forbidden';
  };

  /** Fetch as a caller of the table. */
  const fetchAs = (caller: Caller, url: string, init: RequestInit): Promise<Response> =>
    caller === TOWNSHIP_PLANNER ? townshipPlanner.fetch(url, init) : server.fetch(url, { ...init, as: caller });

  it('lists every route with its roles', () => {
    expect(operations.length).toBeGreaterThanOrEqual(60);
    for (const op of operations) {
      expect(
        op.access === 'public' || (Array.isArray(op.access) && op.access.length > 0),
        `${op.method} ${op.path}`,
      ).toBe(true);
    }
    const open = operations.filter((op) => op.access === 'public').map((op) => `${op.method} ${op.path}`);
    expect(open.sort()).toEqual(['get /api/health', 'post /api/auth/login', 'post /api/auth/logout']);
  });

  it.each(CALLERS)(
    'answers %s as each route declares',
    async (caller) => {
      const wrong: string[] = [];
      for (const op of operations) {
        if (op.path === '/api/auth/logout') continue; // Would end the test user's session; its own test covers it.
        const changes = STATE_CHANGING.has(op.method);
        const url = changes ? changeUrl(op) : readUrl(op);
        const response = await fetchAs(caller, url, {
          method: op.method.toUpperCase(),
          ...(changes ? { headers: { 'content-type': 'application/json' }, body: '"access probe"' } : {}),
        });
        await response.arrayBuffer();
        const want = expected(op, caller);
        const got = response.status;
        const ok =
          want === 'unauthenticated'
            ? got === 401
            : want === 'forbidden'
              ? got === 403
              : changes
                ? got >= 400 && got < 500 && got !== 401 && got !== 403
                : got >= 200 && got < 300;
        if (!ok) wrong.push(`${op.method.toUpperCase()} ${url} as ${caller}: ${got}, expected ${want}`);
      }
      expect(wrong).toEqual([]);
      // Every route once, the exports and the holiday roster among them: ~30 s for an admin on a busy machine.
    },
    240_000,
  );

  it('has a township probe below for every change a planner may call', () => {
    const plannerChanges = operations
      .filter((op) => STATE_CHANGING.has(op.method) && op.access !== 'public' && op.access.includes('planner'))
      .map((op) => `${op.method} ${op.path}`);
    expect(plannerChanges.filter((key) => !TOWNSHIP_PROBED.has(key))).toEqual([]);
  });

  it('refuses a speed calibration to all but commanders and admins before reading the file, and writes nothing', async () => {
    const count = async () =>
      Number(
        (await sql<{ n: number }>`select count(*)::int as n from speed_calibrations`.execute(database.db)).rows[0]!.n,
      );
    const file = `出发地,目的地,用时（分钟）\r\n${real.station},${real.village},30\r\n`;
    for (const caller of ['leader', 'planner', TOWNSHIP_PLANNER] as const) {
      const response = await fetchAs(caller, '/api/routing/calibrations', {
        method: 'POST',
        headers: { 'content-type': 'text/csv' },
        body: file,
      });
      expect(response.status, caller).toBe(403);
    }
    // A commander gets past the gate: one trip is too few to fit, so nothing is written either.
    const commander = await fetchAs('commander', '/api/routing/calibrations', {
      method: 'POST',
      headers: { 'content-type': 'text/csv' },
      body: file,
    });
    expect(commander.status).toBe(422);
    for (const path of ['/api/routing/calibrations/default/apply', `/api/routing/calibrations/${MISSING.id}/apply`]) {
      const refused = await fetchAs('leader', path, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });
      expect(refused.status, path).toBe(403);
    }
    expect(await count()).toBe(0);
  });

  it('refuses a township planner every change outside their township, and writes nothing', async () => {
    const plan = real.gridPlan!;
    const value = async (query: ReturnType<typeof sql<{ v: string | number }>>) =>
      (await query.execute(database.db)).rows[0]?.v;
    const revision = async () => Number(await value(sql`select revision as v from grid_plans where id = ${plan}`));
    const otherGrids = (
      await sql<{ grid_id: number }>`select grid_id from grid_plan_grids
        where plan_id = ${plan} and township_code = ${real.otherTownship} and unit_count > 1
        order by grid_id limit 2`.execute(database.db)
    ).rows.map((r) => r.grid_id);
    const ownGrid = Number(
      await value(
        sql`select min(grid_id) as v from grid_plan_grids where plan_id = ${plan} and township_code = ${real.township}`,
      ),
    );
    const otherUnit = Number(
      await value(sql`select min(u.id) as v from grid_units u
        join grid_plan_units pu on pu.unit_id = u.id and pu.plan_id = ${plan}
        where u.township_code = ${real.otherTownship} and pu.grid_id is not null`),
    );
    expect(otherGrids).toHaveLength(2);
    const events = async () => Number(await value(sql`select count(*)::int as v from events`));
    const eventsBefore = await events();
    const [ownLon, ownLat] = await seatOf(real.township!);
    const [otherLon, otherLat] = await seatOf(real.otherTownship!);
    const point = (lon: number, lat: number) =>
      JSON.stringify({
        type: 'FeatureCollection',
        features: [
          {
            type: 'Feature',
            geometry: { type: 'Point', coordinates: [lon, lat] },
            properties: { category: 'incident', occurred_at: '2026-10-01T08:00:00+08:00' },
          },
        ],
      });
    const send = (url: string, method: string, body: string, type = 'application/json') =>
      townshipPlanner.fetch(url, { method, headers: { 'content-type': type }, body });
    const edit = async (body: Record<string, unknown>) =>
      send(`/api/grids/plans/${plan}/edits`, 'POST', JSON.stringify({ baseRevision: await revision(), ...body }));

    const refused: [string, Response][] = [
      ['import replace', await send('/api/imports?layer=events&mode=replace&crs=wgs84', 'POST', point(ownLon, ownLat))],
      [
        'import append',
        await send('/api/imports?layer=events&mode=append&crs=wgs84', 'POST', point(otherLon, otherLat)),
      ],
      ['import preview', await send('/api/imports/preview?layer=events&crs=wgs84', 'POST', point(ownLon, ownLat))],
      ['new plan', await send('/api/grids/plans', 'POST', JSON.stringify({ name: '越权方案' }))],
      ['rename plan', await send(`/api/grids/plans/${plan}`, 'PATCH', JSON.stringify({ name: '越权' }))],
      ['move', await edit({ action: 'move', unitIds: [otherUnit], toGrid: null })],
      ['split', await edit({ action: 'split', grid: otherGrids[0] })],
      ['merge', await edit({ action: 'merge', grids: otherGrids })],
      ['lock', await edit({ action: 'lock', grids: otherGrids, locked: true })],
      ['attributes', await edit({ action: 'attributes', grid: otherGrids[0], attributes: { name: '越权网格' } })],
      ['repartition', await edit({ action: 'repartition', townshipCode: real.otherTownship })],
      ['complete', await edit({ action: 'complete', townshipCode: real.otherTownship })],
    ];
    const before = await revision();
    // An admin's edit in the other township: the township planner may not undo it.
    const adminEdit = await server.api<{ revision: number }>(`/api/grids/plans/${plan}/edits`, {
      method: 'POST',
      json: { baseRevision: before, action: 'attributes', grid: otherGrids[0], attributes: { workerName: '管理员' } },
    });
    expect(adminEdit.status).toBe(200);
    refused.push(['undo', await edit({ action: 'undo' })]);
    const statuses = await Promise.all(
      refused.map(async ([what, response]) => `${what}: ${response.status} ${(await response.text()).slice(0, 80)}`),
    );
    expect(statuses.filter((line) => !/^[^:]+: 403 /.test(line))).toEqual([]);
    expect(await events()).toBe(eventsBefore);
    expect(await revision()).toBe(before + 1);
    const undone = await server.api(`/api/grids/plans/${plan}/edits`, {
      method: 'POST',
      json: { baseRevision: before + 1, action: 'undo' },
    });
    expect(undone.status).toBe(200);

    // Their own township they do edit, and undo.
    const own = await edit({ action: 'attributes', grid: ownGrid, attributes: { workerName: '本乡镇网格员' } });
    expect(own.status).toBe(200);
    expect((await edit({ action: 'undo' })).status).toBe(200);
  });

  it("gives a township planner only their township's households, and commanders and leaders none", async () => {
    const csv = await (await townshipPlanner.fetch(`/api/grids/plans/${real.gridPlan}/households.csv`)).text();
    const rows = csv
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\n')
      .slice(1);
    const townshipName = String(
      (await sql<{ v: string }>`select name as v from townships where code = ${real.township}`.execute(database.db))
        .rows[0]!.v,
    );
    const households = Number(
      (
        await sql<{ v: number }>`select count(*)::int as v from households h join villages v on v.code = h.village_code
          where v.township_code = ${real.township}`.execute(database.db)
      ).rows[0]!.v,
    );
    expect(rows.length).toBe(households);
    expect(rows.every((row) => row.split(',')[1] === townshipName)).toBe(true);
    const all = await (await server.fetch(`/api/grids/plans/${real.gridPlan}/households.csv`)).text();
    expect(all.trim().split('\n').length - 1).toBeGreaterThan(households);

    const householdsInTile = async (caller: Caller, lon: number, lat: number) => {
      const [x, y] = tileOf(lon, lat, 13);
      const response = await fetchAs(caller, `/api/map/tiles/13/${x}/${y}.pbf`, {});
      expect(response.status).toBe(200);
      const tile = new VectorTile(new PbfReader(new Uint8Array(await response.arrayBuffer())));
      expect(tile.layers.roads, 'the tile has its other layers').toBeDefined();
      return tile.layers.households?.length ?? 0;
    };
    const own = await seatOf(real.township!);
    const other = await seatOf(real.otherTownship!);
    expect(await householdsInTile('admin', ...other)).toBeGreaterThan(0);
    expect(await householdsInTile('planner', ...other)).toBe(await householdsInTile('admin', ...other));
    expect(await householdsInTile(TOWNSHIP_PLANNER, ...other)).toBe(0);
    expect(await householdsInTile(TOWNSHIP_PLANNER, ...own)).toBeGreaterThan(0);
    for (const caller of ['commander', 'leader'] as const) {
      expect(await householdsInTile(caller, ...own), caller).toBe(0);
      const style = (await server.api<{ layers: { id: string }[] }>('/api/map/style.json', { as: caller })).body;
      expect(style.layers.map((l) => l.id)).not.toContain('households');
    }
    const plannerStyle = (await server.api<{ layers: { id: string }[] }>('/api/map/style.json', { as: 'planner' }))
      .body;
    expect(plannerStyle.layers.map((l) => l.id)).toContain('households');
  });

  it("exports a township planner only their township's households, and writes who took them", async () => {
    const response = await townshipPlanner.fetch('/api/exports/households.zip?encoding=utf-8');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/zip');
    const files = unzipSync(new Uint8Array(await response.arrayBuffer()));
    const read = readShapefile({
      shp: files['households.shp'],
      shx: files['households.shx'],
      dbf: files['households.dbf'],
    });
    const own = Number(
      (
        await sql<{ v: number }>`select count(*)::int as v from households h join villages v on v.code = h.village_code
          where v.township_code = ${real.township}`.execute(database.db)
      ).rows[0]!.v,
    );
    expect(read.features.length).toBe(own);
    expect(read.features.every((f) => String(f.properties['村代码']).startsWith(real.township!))).toBe(true);
    const audit = await sql<{ target: string }>`select target from audit_log
      where username = 'test-planner-township' and action = 'export' order by id desc limit 1`.execute(database.db);
    expect(audit.rows[0]?.target).toBe('households 330329');
    for (const caller of ['commander', 'leader'] as const) {
      expect((await fetchAs(caller, '/api/exports/households.gpkg', {})).status, caller).toBe(403);
    }
    expect((await fetchAs(TOWNSHIP_PLANNER, '/api/exports/events.zip', {})).status).toBe(403);
  });

  /** A township's seat (or a point inside it) as [lon, lat]. */
  async function seatOf(code: string): Promise<[number, number]> {
    const row = (
      await sql<{ lon: number; lat: number }>`
        select ST_X(p) as lon, ST_Y(p) as lat
        from (select coalesce(seat, ST_PointOnSurface(geom)) as p from townships where code = ${code}) as s`.execute(
        database.db,
      )
    ).rows[0]!;
    return [row.lon, row.lat];
  }
});

/** The slippy-map tile holding a point at a zoom. */
function tileOf(lon: number, lat: number, zoom: number): [number, number] {
  const n = 2 ** zoom;
  const rad = (lat * Math.PI) / 180;
  return [
    Math.floor(((lon + 180) / 360) * n),
    Math.floor(((1 - Math.log(Math.tan(rad) + 1 / Math.cos(rad)) / Math.PI) / 2) * n),
  ];
}
