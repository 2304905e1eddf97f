// Every route of the OpenAPI document, called as nobody and as each role: 401 for nobody, 403 for a
// role the route does not list, and for a listed role an answer past the gate (2xx for reads).
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES } from '../server/auth/roles.js';
import type { Database } from '../server/db/database.js';
import type { Role } from '../server/http/route.js';
import { BACKENDS, openTestDatabase } from './backends.js';
import { startTestServer, type TestServer } from './http.js';

interface Operation {
  method: string;
  path: string;
  access: 'public' | Role[];
}

type Caller = Role | 'anonymous';
const CALLERS: Caller[] = ['anonymous', ...ROLES];
const STATE_CHANGING = new Set(['post', 'put', 'patch', 'delete']);
/** Ids that exist nowhere: a change that gets past the gate finds nothing to change. */
const MISSING = { id: '999999', code: '330329999999', station: '330329999' };

describe.each(BACKENDS)('who may call every route, on %s', (kind) => {
  let database: Database;
  let server: TestServer;
  let operations: Operation[];
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
    return op.access.includes(caller) ? 'gate' : 'forbidden';
  };

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
        const response = await server.fetch(url, {
          method: op.method.toUpperCase(),
          as: caller,
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
});
