/**
 * Hostile input (issue #8): the import and editing endpoints get malformed and hostile requests —
 * wrong types, huge numbers, deep JSON, invalid and enormous geometries, SQL and path tricks, wrong
 * content types — from seeded fast-check generators. Every one must be answered with a 4xx and a
 * plain message (no stack, no file path), the database must be unchanged afterwards and the server
 * still up. Each generated request is built to be refused: at least one field is invalid for its
 * schema, or it refers to something that does not exist.
 */
import fc from 'fast-check';
import { sql, type Kysely } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { DB } from '../server/db/schema.js';
import type { Database } from '../server/db/database.js';
import { BACKENDS, openTestDatabase } from './backends.js';
import { startTestServer, type TestServer } from './http.js';

const SEED = 20260508;
/** Runs per property: bounded so the file stays well under three minutes per backend. */
const RUNS = 60;
const REFUSALS = [400, 404, 409, 413, 415, 422];
/** Tables of accounts and sessions change when the test user logs in; every other table must not. */
const ACCOUNT_TABLES = new Set(['users', 'sessions', 'audit_log', 'app_secrets', 'spatial_ref_sys']);

// ---- hostile values ----------------------------------------------------------------------------

const SQL_TRICKS = [
  "'; drop table households; --",
  "1'; delete from grid_plans; --",
  "' or '1'='1",
  '1 or 1=1',
  '$$; select pg_sleep(30); $$',
  "'); truncate imports cascade; --",
  '\\x27; drop table users; --',
  "330329'||(select version())||'",
];
const PATH_TRICKS = [
  '../../etc/passwd',
  '..%2f..%2fetc%2fpasswd',
  '%2e%2e%2f%2e%2e%2fetc%2fpasswd',
  '/etc/passwd',
  '....//....//etc/passwd',
  'C:\\Windows\\win.ini',
  'a\u0000b',
  '%00',
  'file:///etc/passwd',
];
const ODD_TEXT = [
  '',
  ' ',
  '\t\n',
  '\u202eevil',
  '\ufeff',
  '😀'.repeat(200),
  '<script>alert(1)</script>',
  '${7*7}{{7*7}}',
  'NaN',
  'Infinity',
  '-0',
  '1e308',
  '0x1F',
  '１２３',
  "=cmd|' /C calc'!A0",
  '__proto__',
  'constructor',
];
const hostileText = fc.oneof(
  fc.constantFrom(...SQL_TRICKS, ...PATH_TRICKS, ...ODD_TEXT),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.constantFrom(10_001, 100_000).map((n) => 'x'.repeat(n)),
);
// NaN and ±Infinity are sent as null by JSON.stringify: they are covered by null and by raw bodies.
const hostileNumber = fc.oneof(
  fc.constantFrom(1e308, -1e308, 2 ** 31, -(2 ** 31) - 1, 2 ** 53, -(2 ** 53), 2 ** 63, 0.5, -1, 1e-300, -0.000001),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer(),
);
const hostileOther = fc.constantFrom<unknown>(
  null,
  true,
  false,
  [],
  {},
  [1, 2, 3],
  { $gt: 0 },
  { toString: 'x' },
  JSON.parse('{"__proto__": {"admin": true}}'),
);
const anything = fc.oneof(hostileText, hostileNumber, hostileOther, fc.jsonValue({ maxDepth: 3 }));

/** What a field of a request body takes; used to generate values it does not take. */
type FieldRule =
  | { kind: 'int'; min: number; max: number; nullable?: boolean }
  | { kind: 'number'; min: number; max: number; nullable?: boolean }
  | { kind: 'string'; pattern?: RegExp; min?: number; max: number; nullable?: boolean }
  | { kind: 'enum'; values: readonly string[] }
  | { kind: 'boolean' }
  /** Any object (its members are another property's business): refused when not an object. */
  | { kind: 'object' }
  | { kind: 'array' };

function accepts(rule: FieldRule, value: unknown): boolean {
  if (value === null) return 'nullable' in rule && rule.nullable === true;
  switch (rule.kind) {
    case 'int':
      return typeof value === 'number' && Number.isSafeInteger(value) && value >= rule.min && value <= rule.max;
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) && value >= rule.min && value <= rule.max;
    case 'string': {
      if (typeof value !== 'string') return false;
      // Some schemas trim before the length check: count the trimmed length too.
      const lengths = [value.length, value.trim().length];
      if (lengths.every((n) => n < (rule.min ?? 0)) || lengths.every((n) => n > rule.max)) return false;
      if (lengths.some((n) => n < (rule.min ?? 0) || n > rule.max)) return false;
      return rule.pattern ? rule.pattern.test(value) : true;
    }
    case 'enum':
      return typeof value === 'string' && rule.values.includes(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'object':
      return typeof value === 'object' && !Array.isArray(value);
    case 'array':
      return Array.isArray(value);
  }
}

/** A value the rule refuses (JSON round trip included: NaN becomes null). */
function invalidFor(rule: FieldRule): fc.Arbitrary<unknown> {
  return anything.filter((value) => {
    const sent: unknown = JSON.parse(JSON.stringify([value]) ?? '[null]')[0];
    return !accepts(rule, sent);
  });
}

/**
 * A request body: every field valid, then at least one of them replaced by a value its rule
 * refuses (or left out, when `required`), and sometimes junk keys added.
 */
function corruptedBody(
  valid: fc.Arbitrary<Record<string, unknown>>,
  rules: Record<string, FieldRule & { required?: boolean }>,
): fc.Arbitrary<Record<string, unknown>> {
  const names = Object.keys(rules);
  return fc
    .tuple(
      valid,
      fc
        .subarray(names, { minLength: 1 })
        .chain((chosen) =>
          fc.tuple(
            ...chosen.map((name) =>
              fc.tuple(
                fc.constant(name),
                rules[name]!.required
                  ? fc.option(invalidFor(rules[name]!), { nil: undefined })
                  : invalidFor(rules[name]!),
              ),
            ),
          ),
        ),
      fc.dictionary(fc.constantFrom('junk', '__proto__', 'constructor', '$where', 'x'.repeat(300)), anything, {
        maxKeys: 2,
      }),
    )
    .map(([body, replacements, junk]) => {
      const result: Record<string, unknown> = { ...junk, ...body };
      for (const [name, value] of replacements) {
        if (value === undefined) delete result[name];
        else result[name] = value;
      }
      return result;
    });
}

/** Path segments that never name an existing row (existing ids are left out). */
function hostileSegment(existing: number[]): fc.Arbitrary<string> {
  return fc
    .oneof(
      fc.constantFrom(...PATH_TRICKS, ...SQL_TRICKS, ...ODD_TEXT.filter((t) => t !== '')),
      fc.constantFrom('0', '-1', '1.5', '99999999999', '9223372036854775808', '1e400', 'null', 'undefined', '[]'),
      fc.string({ minLength: 1, maxLength: 30 }),
      fc.integer({ min: 1_000_000, max: Number.MAX_SAFE_INTEGER }).map(String),
    )
    .filter((text) => {
      const asNumber = Number(text.trim());
      return !(Number.isInteger(asNumber) && existing.includes(asNumber));
    })
    .map((text) => encodeURIComponent(text).replace(/%25(2e|2f|00)/gi, '%$1'));
}

/** Deeply nested JSON text: arrays or objects `depth` levels down. */
function deepJson(depth: number, kind: 'array' | 'object'): string {
  return kind === 'array' ? '['.repeat(depth) + ']'.repeat(depth) : '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
}

// ---- the state every check compares ------------------------------------------------------------

/** Row count and md5 of every row of every table but the accounts': equal means nothing was written. */
async function snapshotTables(db: Kysely<DB>): Promise<Record<string, string>> {
  const tables = await sql<{ name: string }>`
    select table_name as name from information_schema.tables
    where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name`.execute(db);
  const snapshot: Record<string, string> = {};
  for (const { name } of tables.rows) {
    if (ACCOUNT_TABLES.has(name)) continue;
    const result = await sql<{ rows: number; md5: string }>`
      select count(*)::int as rows, md5(coalesce(string_agg(t::text, '|' order by t::text), '')) as md5
      from ${sql.table(name)} t`.execute(db);
    snapshot[name] = `${result.rows[0]!.rows} ${result.rows[0]!.md5}`;
  }
  return snapshot;
}

interface Fixture {
  planId: number;
  revision: number;
  gridIds: number[];
  unitIds: number[];
  townshipCodes: string[];
  villageCodes: string[];
  holidayId: number;
  holidayPlanIds: number[];
  holidayDays: number;
  stationCodes: string[];
  warZoneIds: number[];
  officerIds: string[];
  households: { code: string; village: string; lon: number; lat: number }[];
}

async function readFixture(db: Kysely<DB>): Promise<Fixture> {
  const plan = await sql<{ id: number; revision: number }>`
    select id, revision from grid_plans where status = 'active' order by id limit 1`.execute(db);
  const { id: planId, revision } = plan.rows[0]!;
  const column = async <T>(query: ReturnType<typeof sql<{ v: T }>>) => (await query.execute(db)).rows.map((r) => r.v);
  const holiday = await sql<{ id: number; days: number }>`select id, days from holidays order by id limit 1`.execute(
    db,
  );
  return {
    planId,
    revision,
    gridIds: await column<number>(sql`select grid_id as v from grid_plan_grids where plan_id = ${planId} order by 1`),
    unitIds: await column<number>(sql`select id as v from grid_units order by 1`),
    townshipCodes: await column<string>(sql`select code as v from townships order by 1`),
    villageCodes: await column<string>(sql`select code as v from villages order by 1`),
    holidayId: holiday.rows[0]!.id,
    holidayDays: holiday.rows[0]!.days,
    holidayPlanIds: await column<number>(sql`select id as v from holiday_plans order by 1`),
    stationCodes: await column<string>(sql`select code as v from police_stations order by 1`),
    warZoneIds: await column<number>(sql`select id as v from war_zones order by 1`),
    officerIds: await column<string>(sql`select id as v from officers order by 1`),
    households: (
      await sql<{ code: string; village: string; lon: number; lat: number }>`
        select code, village_code as village, ST_X(geom) as lon, ST_Y(geom) as lat from households
        order by code limit 50`.execute(db)
    ).rows,
  };
}

describe.each(BACKENDS)('hostile input on %s', (kind) => {
  let database: Database;
  let server: TestServer;
  let fixture: Fixture;
  let before: Record<string, string>;
  const cwd = process.cwd();

  beforeAll(async () => {
    database = await openTestDatabase(kind, { withCounty: true });
    server = await startTestServer(database);
    fixture = await readFixture(database.db);
    before = await snapshotTables(database.db);
  });
  afterAll(async () => {
    await server?.close();
    await database?.close();
  });
  // After every property: nothing written, and the server still answers.
  afterEach(async () => {
    // The server runs in this process: a polluted Object.prototype would show here.
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
    const health = await server.fetch('/api/health', { as: 'anonymous' });
    expect(health.status).toBe(200);
    expect(await snapshotTables(database.db)).toEqual(before);
  });

  /** The answer is a refusal: a 4xx with `{error:{code,message}}`, a message, and no stack or path. */
  async function expectRefused(response: Response, what: string): Promise<void> {
    const text = await response.text();
    const context = `${what} → ${response.status} ${text.slice(0, 400)}`;
    expect(REFUSALS, context).toContain(response.status);
    let body: { error?: { code?: unknown; message?: unknown } };
    try {
      body = JSON.parse(text) as typeof body;
    } catch {
      throw new Error(`not JSON: ${context}`);
    }
    expect(typeof body.error?.code, context).toBe('string');
    expect(typeof body.error?.message, context).toBe('string');
    expect((body.error!.message as string).trim(), context).not.toBe('');
    expect(text, context).not.toMatch(/\\n\s+at \S+ \(|\n\s+at \S+ \(/);
    expect(text.includes(cwd), context).toBe(false);
    expect(text, context).not.toMatch(/node_modules|\.ts:\d+:\d+/);
  }

  const send = (method: string, path: string, body: unknown) =>
    server.fetch(path, { method, json: body === undefined ? {} : body });

  async function check<T>(arbitrary: fc.Arbitrary<T>, run: (value: T) => Promise<void>, numRuns = RUNS) {
    await fc.assert(fc.asyncProperty(arbitrary, run), { numRuns, seed: SEED, endOnFailure: true });
  }

  // ---- bodies that break their schema ----------------------------------------------------------

  it('grid edits whose body breaks its schema are refused', async () => {
    const base = { baseRevision: { kind: 'int', min: 0, max: Number.MAX_SAFE_INTEGER, required: true } } as const;
    const grid = { kind: 'int', min: 0, max: Number.MAX_SAFE_INTEGER, required: true } as const;
    const township = { kind: 'string', pattern: /^\d{9}$/, max: 9, required: true } as const;
    const validEdit = (action: string, rest: Record<string, fc.Arbitrary<unknown>>) =>
      fc.record({ baseRevision: fc.constant(fixture.revision), action: fc.constant(action), ...rest });
    const bodies = fc.oneof(
      corruptedBody(
        validEdit('move', {
          unitIds: fc.constant([fixture.unitIds[0]!]),
          toGrid: fc.constantFrom(...fixture.gridIds),
        }),
        { ...base, toGrid: { ...grid, nullable: true } },
      ),
      corruptedBody(validEdit('split', { grid: fc.constantFrom(...fixture.gridIds) }), { ...base, grid }),
      corruptedBody(validEdit('repartition', { townshipCode: fc.constantFrom(...fixture.townshipCodes) }), {
        ...base,
        townshipCode: township,
        seed: { kind: 'int', min: 0, max: 2 ** 31 - 1 },
        action: { kind: 'enum', values: ['move', 'split', 'merge', 'lock', 'repartition', 'complete'] },
      }),
      corruptedBody(
        validEdit('attributes', {
          grid: fc.constantFrom(...fixture.gridIds),
          attributes: fc.constant({ name: '网格' }),
        }),
        {
          ...base,
          grid,
          attributes: { kind: 'object', required: true },
        },
      ),
      // Attributes out of their rules inside an otherwise valid edit.
      fc
        .record({
          name: invalidFor({ kind: 'string', min: 1, max: 100 }),
          workerPhone: hostileText.filter((t) => !/^[0-9+\- ]{0,30}$/.test(t)),
          score: invalidFor({ kind: 'number', min: 0, max: 100, nullable: true }),
          dutyList: invalidFor({ kind: 'string', max: 5000 }),
        })
        .chain((attributes) => fc.subarray(Object.entries(attributes), { minLength: 1 }))
        .map((entries) => ({
          baseRevision: fixture.revision,
          action: 'attributes',
          grid: fixture.gridIds[0],
          attributes: Object.fromEntries(entries),
        })),
      fc
        .record({ baseRevision: fc.constant(fixture.revision), action: hostileText })
        .filter((body) => !['undo', 'redo'].includes(body.action)),
    );
    await check(bodies, async (body) => {
      await expectRefused(await send('POST', `/api/grids/plans/${fixture.planId}/edits`, body), JSON.stringify(body));
    });
  });

  it('plan creation and updates whose body breaks its schema are refused', async () => {
    const targetsRule = { kind: 'object' } as const;
    const create = corruptedBody(fc.record({ name: fc.constantFrom('方案', 'plan') }), {
      name: { kind: 'string', min: 1, max: 100, required: true },
      countyCode: { kind: 'string', pattern: /^\d{6}$/, max: 6 },
      seed: { kind: 'int', min: 0, max: 2 ** 31 - 1 },
      copyOf: { kind: 'int', min: 1, max: Number.MAX_SAFE_INTEGER },
      targets: targetsRule,
    });
    const badTargets = fc.oneof(
      fc.record({ village: invalidFor({ kind: 'int', min: 50, max: 2000 }) }),
      fc.record({ townships: fc.dictionary(hostileText, fc.constant({ village: 200 }), { minKeys: 1, maxKeys: 2 }) }),
      fc.record({ villages: fc.constant({ '330329101201': 49 }) }),
      fc.record({ extra: anything }),
    );
    const update = fc.oneof(
      corruptedBody(fc.record({ name: fc.constant('改名') }), {
        name: { kind: 'string', min: 1, max: 100 },
        status: { kind: 'enum', values: ['draft', 'active', 'archived'] },
        targets: targetsRule,
      }),
      badTargets.map((targets) => ({ targets })),
    );
    await check(
      fc.oneof(
        create.map((b) => ['POST', b] as const),
        update.map((b) => ['PATCH', b] as const),
      ),
      async ([method, body]) => {
        const path = method === 'POST' ? '/api/grids/plans' : `/api/grids/plans/${fixture.planId}`;
        await expectRefused(await send(method, path, body), `${method} ${JSON.stringify(body)}`);
      },
    );
  });

  it('holiday edits whose body breaks its schema are refused', async () => {
    const h = fixture.holidayId;
    const station = fixture.stationCodes[0]!;
    const requests = fc.oneof(
      corruptedBody(
        fc.record({ name: fc.constant('节日'), firstDay: fc.constant('2026-10-01'), days: fc.constant(3) }),
        {
          name: { kind: 'string', min: 1, max: 100, required: true },
          firstDay: { kind: 'string', pattern: /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|30)$/, max: 10, required: true },
          days: { kind: 'int', min: 1, max: 31, required: true },
          shiftsPerDay: { kind: 'int', min: 1, max: 4 },
          maxTravelMinutes: { kind: 'number', min: 5, max: 240 },
          county: { kind: 'string', pattern: /^\d{6}$/, max: 6 },
        },
      ).map((body) => ['POST', '/api/holidays', body] as const),
      corruptedBody(
        fc.record({
          stationCode: fc.constant(station),
          day: fc.constant(0),
          shift: fc.constant(0),
          duty: fc.constant('patrol'),
          officers: fc.constant(1),
        }),
        {
          stationCode: { kind: 'string', min: 1, max: 40, required: true },
          day: { kind: 'int', min: 0, max: 30, required: true },
          shift: { kind: 'int', min: 0, max: 3, required: true },
          duty: { kind: 'enum', values: ['incident', 'traffic', 'patrol'], required: true },
          officers: { kind: 'int', min: 0, max: 500, required: true },
          ownOnDuty: { kind: 'int', min: 0, max: 500 },
        },
      ).map((entry) => ['PUT', `/api/holidays/${h}/demands`, { entries: [entry] }] as const),
      invalidFor({ kind: 'array' }).map((entries) => ['PUT', `/api/holidays/${h}/demands`, { entries }] as const),
      fc
        .tuple(invalidFor({ kind: 'int', min: 0, max: 30 }), invalidFor({ kind: 'int', min: 0, max: 3 }))
        .chain(([day, shift]) => fc.constantFrom([day, 0], [0, shift], [day], [0, 0, 0], day))
        .map(
          (pair) =>
            [
              'PUT',
              `/api/holidays/${h}/officers/${encodeURIComponent(fixture.officerIds[0]!)}/availability`,
              { unavailable: [pair] },
            ] as const,
        ),
      corruptedBody(
        fc.record({
          warZoneId: fc.constantFrom(...fixture.warZoneIds),
          minOfficers: fc.constant(1),
          maxOfficers: fc.constant(2),
        }),
        {
          warZoneId: { kind: 'int', min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER, required: true },
          minOfficers: { kind: 'int', min: 0, max: 1000, nullable: true, required: true },
          maxOfficers: { kind: 'int', min: 0, max: 1000, nullable: true, required: true },
        },
      ).map((limit) => ['PUT', `/api/holidays/${h}/zone-limits`, { limits: [limit] }] as const),
      corruptedBody(fc.record({ stationCode: fc.constant(station), minOfficers: fc.constant(1) }), {
        stationCode: { kind: 'string', min: 1, max: 40, required: true },
        minOfficers: { kind: 'int', min: 0, max: 500, required: true },
      }).map((cover) => ['PUT', `/api/holidays/${h}/station-covers`, { covers: [cover] }] as const),
      invalidFor({ kind: 'int', min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }).map(
        (warZoneId) => ['PUT', `/api/war-zones/stations/${station}`, { warZoneId }] as const,
      ),
      corruptedBody(fc.record({}), {
        label: { kind: 'string', max: 100 },
        poolSize: { kind: 'int', min: 0, max: 5000 },
        zoneCaps: { kind: 'array' },
      }).map((body) => ['POST', `/api/holidays/${h}/plans`, body] as const),
    );
    await check(requests, async ([method, path, body]) => {
      await expectRefused(await send(method, path, body), `${method} ${path} ${JSON.stringify(body)}`);
    });
  });

  it('policing settings, designations and visits whose body breaks its schema are refused', async () => {
    const village = fixture.villageCodes[0]!;
    const requests = fc.oneof(
      corruptedBody(fc.record({ maxDriveMinutes: fc.constant(60), maxBusWalkMetres: fc.constant(2000) }), {
        maxDriveMinutes: { kind: 'number', min: 1, max: 600, required: true },
        maxBusWalkMetres: { kind: 'number', min: 0, max: 20_000, required: true },
      }).map((body) => ['PUT', '/api/policing/settings', body] as const),
      invalidFor({ kind: 'string', min: 1, max: 500 })
        .filter((reason) => !(typeof reason === 'string' && reason.trim().length >= 1 && reason.trim().length <= 500))
        .map((reason) => ['PUT', `/api/policing/villages/${village}/designation`, { reason }] as const),
      corruptedBody(
        fc.record({
          villageCode: fc.constant(village),
          visitedOn: fc.constant('2025-05-01'),
          officers: fc.constant(2),
        }),
        {
          villageCode: { kind: 'string', pattern: /^\d{12}$/, max: 12, required: true },
          visitedOn: {
            kind: 'string',
            pattern: /^(20\d\d)-(0[1-9]|1[0-2])-(0[1-9]|1\d|2[0-8])$/,
            max: 10,
            required: true,
          },
          officers: { kind: 'int', min: 1, max: 50, required: true },
          businessHandled: { kind: 'int', min: 0, max: 10_000 },
          helpRequests: { kind: 'int', min: 0, max: 10_000 },
          unregisteredResolved: { kind: 'int', min: 0, max: 1000 },
          note: { kind: 'string', max: 2000 },
        },
      ).map((body) => ['POST', '/api/policing/visits', body] as const),
      corruptedBody(fc.record({ stationCode: fc.constant(fixture.stationCodes[0]!) }), {
        stationCode: { kind: 'string', min: 1, max: 40, required: true },
        dayHours: { kind: 'number', min: 1, max: 16 },
        maxDays: { kind: 'int', min: 1, max: 60 },
        officers: { kind: 'int', min: 1, max: 10 },
        villageCodes: { kind: 'array' },
      }).map((body) => ['POST', '/api/policing/visit-plans', body] as const),
    );
    await check(requests, async ([method, path, body]) => {
      await expectRefused(await send(method, path, body), `${method} ${path} ${JSON.stringify(body)}`);
    });
  });

  // ---- valid shapes that name what does not exist ----------------------------------------------

  it('edits, plans and holiday changes naming rows that do not exist are refused (huge ids included)', async () => {
    const f = fixture;
    const missingId = fc.oneof(
      fc.constantFrom(2 ** 31 - 1, 2 ** 31, 2 ** 32 + 1, 2 ** 53 - 1, 9_999_999),
      fc.integer({ min: 1_000_000, max: Number.MAX_SAFE_INTEGER }),
    );
    const missingGrid = fc.oneof(missingId, fc.constant(0)).filter((g) => !f.gridIds.includes(g));
    const missingTownship = fc
      .oneof(fc.constantFrom('000000000', '999999999', '330329999'), fc.stringMatching(/^\d{9}$/))
      .filter((code) => !f.townshipCodes.includes(code));
    const missingVillage = fc
      .oneof(fc.constantFrom('000000000000', '330329999999'), fc.stringMatching(/^\d{12}$/))
      .filter((code) => !f.villageCodes.includes(code));
    const missingStation = fc
      .oneof(
        hostileText.filter((t) => t.length >= 1 && t.length <= 40),
        fc.constantFrom('330329999', 'x'),
      )
      .filter((code) => !f.stationCodes.includes(code));
    const freeText = fc.oneof(
      fc.constantFrom(...SQL_TRICKS, ...PATH_TRICKS),
      fc.string({ minLength: 1, maxLength: 40 }),
    );
    const r = f.revision;
    const edits = fc.oneof(
      fc
        .array(missingId, { minLength: 1, maxLength: 3 })
        .chain((unitIds) =>
          fc.constantFrom(...f.gridIds, null).map((toGrid) => ({ baseRevision: r, action: 'move', unitIds, toGrid })),
        ),
      fc
        .array(fc.constantFrom(...f.unitIds.slice(0, 20)), { minLength: 1, maxLength: 3 })
        .chain((unitIds) => missingGrid.map((toGrid) => ({ baseRevision: r, action: 'move', unitIds, toGrid }))),
      missingGrid.map((grid) => ({ baseRevision: r, action: 'split', grid })),
      fc
        .tuple(missingGrid, fc.constantFrom(...f.gridIds))
        .chain(([a, b]) => fc.constantFrom([a, b], [b, a], [b, b]))
        .map((grids) => ({ baseRevision: r, action: 'merge', grids })),
      fc
        .array(missingGrid, { minLength: 1, maxLength: 3 })
        .chain((grids) => fc.boolean().map((locked) => ({ baseRevision: r, action: 'lock', grids, locked }))),
      missingTownship.map((townshipCode) => ({ baseRevision: r, action: 'repartition', townshipCode, seed: 7 })),
      missingTownship.map((townshipCode) => ({ baseRevision: r, action: 'complete', townshipCode })),
      fc
        .tuple(missingGrid, freeText)
        .map(([grid, name]) => ({ baseRevision: r, action: 'attributes', grid, attributes: { name, dutyList: name } })),
      fc
        .constantFrom('undo', 'redo')
        .chain((action) =>
          fc
            .constantFrom(r + 1, r + 1000, 2 ** 31, Number.MAX_SAFE_INTEGER)
            .map((baseRevision) => ({ baseRevision, action })),
        ),
    );
    const h = f.holidayId;
    const requests = fc.oneof(
      { weight: 4, arbitrary: edits.map((body) => ['POST', `/api/grids/plans/${f.planId}/edits`, body] as const) },
      missingId.map((id) => ['POST', `/api/grids/plans/${id}/edits`, { baseRevision: 0, action: 'undo' }] as const),
      missingId.map((id) => ['PATCH', `/api/grids/plans/${id}`, { name: '改名' }] as const),
      fc
        .oneof(
          missingId.map((copyOf) => ({ name: '复制', copyOf })),
          fc.constantFrom('000000', '999999', '330328').map((countyCode) => ({ name: '新方案', countyCode })),
        )
        .map((body) => ['POST', '/api/grids/plans', body] as const),
      fc
        .constantFrom('000000', '999999')
        .map((county) => ['POST', '/api/holidays', { county, name: '节', firstDay: '2026-10-01', days: 3 }] as const),
      missingId.map((id) => ['PUT', `/api/holidays/${id}/demands`, { entries: [] }] as const),
      missingId.map((id) => ['PUT', `/api/holidays/${id}/zone-limits`, { limits: [] }] as const),
      missingId.map((id) => ['PUT', `/api/holidays/${id}/station-covers`, { covers: [] }] as const),
      missingId.map((id) => ['POST', `/api/holidays/${id}/plans`, {}] as const),
      missingId
        .filter((id) => !f.holidayPlanIds.includes(id))
        .map((planId) => ['POST', `/api/holidays/${h}/plans/${planId}/publish`, undefined] as const),
      fc
        .tuple(missingStation, fc.constantFrom(0, f.holidayDays - 1), fc.constantFrom<string>('patrol'))
        .map(
          ([stationCode, day, duty]) =>
            [
              'PUT',
              `/api/holidays/${h}/demands`,
              { entries: [{ stationCode, day, shift: 0, duty, officers: 2 }] },
            ] as const,
        ),
      fc
        .integer({ min: Math.min(f.holidayDays, 30), max: 30 })
        .map(
          (day) =>
            [
              'PUT',
              `/api/holidays/${h}/demands`,
              { entries: [{ stationCode: f.stationCodes[0], day, shift: 0, duty: 'patrol', officers: 2 }] },
            ] as const,
        ),
      missingStation.map(
        (officer) =>
          [
            'PUT',
            `/api/holidays/${h}/officers/${encodeURIComponent(officer)}/availability`,
            { unavailable: [[0, 0]] },
          ] as const,
      ),
      missingId
        .filter((id) => !f.warZoneIds.includes(id))
        .chain((warZoneId) => fc.constantFrom(warZoneId, -warZoneId))
        .map(
          (warZoneId) =>
            [
              'PUT',
              `/api/holidays/${h}/zone-limits`,
              { limits: [{ warZoneId, minOfficers: 1, maxOfficers: 2 }] },
            ] as const,
        ),
      fc
        .constantFrom(...f.warZoneIds)
        .map(
          (warZoneId) =>
            [
              'PUT',
              `/api/holidays/${h}/zone-limits`,
              { limits: [{ warZoneId, minOfficers: 9, maxOfficers: 2 }] },
            ] as const,
        ),
      missingStation.map(
        (stationCode) =>
          ['PUT', `/api/holidays/${h}/station-covers`, { covers: [{ stationCode, minOfficers: 1 }] }] as const,
      ),
      missingId
        .filter((id) => !f.warZoneIds.includes(id))
        .map(
          (warZoneId) =>
            ['PUT', `/api/war-zones/stations/${encodeURIComponent(f.stationCodes[0]!)}`, { warZoneId }] as const,
        ),
      missingStation.map(
        (code) =>
          ['PUT', `/api/war-zones/stations/${encodeURIComponent(code)}`, { warZoneId: f.warZoneIds[0] }] as const,
      ),
      fc
        .tuple(missingVillage, freeText)
        .map(([code, reason]) => ['PUT', `/api/policing/villages/${code}/designation`, { reason }] as const),
      missingVillage.map(
        (villageCode) =>
          ['POST', '/api/policing/visits', { villageCode, visitedOn: '2025-05-01', officers: 2 }] as const,
      ),
      fc
        .constantFrom('2999-01-01', '2100-12-31')
        .map(
          (visitedOn) =>
            ['POST', '/api/policing/visits', { villageCode: f.villageCodes[0], visitedOn, officers: 2 }] as const,
        ),
      missingStation.map((stationCode) => ['POST', '/api/policing/visit-plans', { stationCode }] as const),
      fc
        .constantFrom('000000', '999999')
        .map(
          (county) =>
            [
              'PUT',
              `/api/policing/settings?county=${county}`,
              { maxDriveMinutes: 60, maxBusWalkMetres: 1000 },
            ] as const,
        ),
    );
    await check(
      requests,
      async ([method, path, body]) => {
        await expectRefused(await send(method, path, body), `${method} ${path} ${JSON.stringify(body)}`);
      },
      150,
    );
  });

  // ---- paths, queries, raw bodies and content types --------------------------------------------

  it('hostile path parameters and query strings are refused', async () => {
    const f = fixture;
    const ids = [f.planId, f.holidayId, ...f.holidayPlanIds];
    const routes: ((segment: string) => readonly [string, string, unknown])[] = [
      (s) => ['POST', `/api/grids/plans/${s}/edits`, { baseRevision: f.revision, action: 'split', grid: f.gridIds[0] }],
      (s) => ['PATCH', `/api/grids/plans/${s}`, { name: '改名' }],
      (s) => ['PUT', `/api/holidays/${s}/demands`, { entries: [] }],
      (s) => ['PUT', `/api/holidays/${s}/zone-limits`, { limits: [] }],
      (s) => ['PUT', `/api/holidays/${s}/station-covers`, { covers: [] }],
      (s) => ['POST', `/api/holidays/${f.holidayId}/plans/${s}/publish`, {}],
      (s) => ['PUT', `/api/holidays/${f.holidayId}/officers/${s}/availability`, { unavailable: [] }],
      (s) => ['PUT', `/api/war-zones/stations/${s}`, { warZoneId: f.warZoneIds[0] }],
      (s) => ['PUT', `/api/policing/villages/${s}/designation`, { reason: '偏远' }],
      (s) => ['PUT', `/api/policing/settings?county=${s}`, { maxDriveMinutes: 60, maxBusWalkMetres: 1000 }],
      (s) => ['POST', `/api/imports?layer=${s}&crs=wgs84`, '{"type":"FeatureCollection","features":[]}'],
      (s) => ['POST', `/api/imports?layer=households&mode=${s}`, '{"type":"FeatureCollection","features":[]}'],
      (s) => ['POST', `/api/imports?layer=households&crs=${s}`, '{"type":"FeatureCollection","features":[]}'],
      (s) => ['POST', `/api/imports?layer=households&county=${s}`, '{"type":"FeatureCollection","features":[]}'],
      (s) => [
        'POST',
        `/api/imports?layer=households&layer=${s}&fileName=${s}`,
        '{"type":"FeatureCollection","features":[]}',
      ],
    ];
    const existingOfficers = new Set(f.officerIds);
    const existingStations = new Set(f.stationCodes);
    await check(
      fc.tuple(fc.integer({ min: 0, max: routes.length - 1 }), hostileSegment(ids)),
      async ([route, segment]) => {
        const [method, path, body] = routes[route]!(segment);
        const decoded = (() => {
          try {
            return decodeURIComponent(segment);
          } catch {
            return segment;
          }
        })();
        // An officer or station that happens to exist would be a valid request: not this test's.
        if (existingOfficers.has(decoded) || existingStations.has(decoded)) return;
        const response =
          typeof body === 'string'
            ? await server.fetch(path, { method, body, headers: { 'content-type': 'application/geo+json' } })
            : await send(method, path, body);
        await expectRefused(response, `${method} ${path}`);
      },
      120,
    );
  });

  it('malformed, deep, huge and mistyped request bodies are refused and the parser survives', async () => {
    const f = fixture;
    const paths: [string, string][] = [
      ['POST', `/api/grids/plans/${f.planId}/edits`],
      ['POST', '/api/grids/plans'],
      ['PATCH', `/api/grids/plans/${f.planId}`],
      ['PUT', `/api/holidays/${f.holidayId}/demands`],
      ['PUT', `/api/holidays/${f.holidayId}/zone-limits`],
      ['POST', '/api/holidays'],
      ['PUT', '/api/policing/settings'],
      ['POST', '/api/policing/visits'],
      ['PUT', `/api/policing/villages/${f.villageCodes[0]}/designation`],
    ];
    const valid = JSON.stringify({ baseRevision: f.revision, action: 'split', grid: f.gridIds[0] });
    const rawBodies = fc.oneof(
      fc.constantFrom(
        '',
        ' ',
        'null',
        '[]',
        '"text"',
        '42',
        'NaN',
        '{"baseRevision": NaN}',
        '{"baseRevision": Infinity}',
        '{"baseRevision": -Infinity}',
        '{"baseRevision": 1e999}',
        '{"a":1,}',
        "{'a':1}",
        '{"a":"\\ud800"}',
        '\ufeff{}',
        '{"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":1}}}',
        deepJson(10_000, 'array'),
        deepJson(10_000, 'object'),
        deepJson(100_000, 'array'),
        `{"name":"${'x'.repeat(1_000_000)}"}`,
      ),
      fc.integer({ min: 1, max: valid.length - 1 }).map((n) => valid.slice(0, n)),
      fc.string({ maxLength: 200 }),
    );
    const bytes = fc.oneof(
      rawBodies.map((text) => new TextEncoder().encode(text)),
      fc.constantFrom(new Uint8Array([0xff, 0xfe, 0x7b, 0x7d]), new Uint8Array([0x7b, 0x22, 0xc3, 0x28, 0x22, 0x7d])),
      // Over the 2 MiB default limit (4 MiB on the demands route): 413.
      fc.constant(new TextEncoder().encode(`{"x":"${'y'.repeat(5 * 1024 * 1024)}"}`)),
    );
    const contentTypes = fc.constantFrom(
      'application/json',
      'application/json',
      'application/json; charset=utf-8',
      'application/json; charset=utf-16',
      'application/json; charset=latin1',
      'application/json; charset=gbk',
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/xml',
      'text/csv',
    );
    await check(
      fc.tuple(fc.integer({ min: 0, max: paths.length - 1 }), bytes, contentTypes),
      async ([route, body, contentType]) => {
        const [method, path] = paths[route]!;
        // A body some route takes as valid is not this test's case.
        const text = new TextDecoder().decode(body);
        if (text === valid || text === '{}' || text === '\ufeff{}') return;
        // An empty PATCH (no body, or only keys JSON.parse keeps off the object) changes nothing: valid.
        if (method === 'PATCH' && (body.length === 0 || text.startsWith('{"__proto__"'))) return;
        const response = await server.fetch(path, { method, body, headers: { 'content-type': contentType } });
        await expectRefused(response, `${method} ${path} ${contentType} ${text.slice(0, 80)} (${body.length} bytes)`);
      },
      100,
    );
  });

  // ---- the cases the properties above found (5xx), each alone --------------------------------------

  it('a grid plan for a county that does not exist is refused (found: 500, foreign key violation)', async () => {
    await expectRefused(
      await send('POST', '/api/grids/plans', { name: '新方案', countyCode: '999999' }),
      'county 999999',
    );
  });

  it('grid and war zone ids beyond 32 bits are refused (found: 500, value out of range for type integer)', async () => {
    const r = fixture.revision;
    const huge = 2 ** 31;
    const edits = `/api/grids/plans/${fixture.planId}/edits`;
    await expectRefused(await send('POST', edits, { baseRevision: r, action: 'split', grid: huge }), 'split');
    await expectRefused(
      await send('POST', edits, { baseRevision: r, action: 'lock', grids: [huge], locked: true }),
      'lock',
    );
    await expectRefused(
      await send('POST', edits, { baseRevision: r, action: 'move', unitIds: [fixture.unitIds[0]], toGrid: huge }),
      'move',
    );
    await expectRefused(
      await send('POST', edits, { baseRevision: r, action: 'attributes', grid: huge, attributes: { name: 'x' } }),
      'attributes',
    );
    await expectRefused(
      await send('PUT', `/api/war-zones/stations/${encodeURIComponent(fixture.stationCodes[0]!)}`, { warZoneId: huge }),
      'war zone',
    );
  });

  it('a NUL character in a path parameter or in text to be stored is refused (found: 500, invalid byte sequence)', async () => {
    await expectRefused(
      await send('PUT', `/api/holidays/${fixture.holidayId}/officers/a%00b/availability`, { unavailable: [] }),
      'officer a\\0b',
    );
    await expectRefused(
      await send('PUT', `/api/policing/villages/${fixture.villageCodes[0]}/designation`, { reason: 'a\u0000b' }),
      'designation reason a\\0b',
    );
    await expectRefused(
      await send('POST', `/api/grids/plans/${fixture.planId}/edits`, {
        baseRevision: fixture.revision,
        action: 'attributes',
        grid: fixture.gridIds[0],
        attributes: { workerName: 'a\u0000b' },
      }),
      'grid worker name a\\0b',
    );
  });

  it('an import whose attribute is nested 100 000 deep is refused (found: 500, JSON.stringify overflows the stack)', async () => {
    const body = `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"code":${deepJson(100_000, 'object')}},"geometry":null}]}`;
    const response = await server.fetch('/api/imports?layer=households&crs=wgs84', {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/geo+json' },
    });
    await expectRefused(response, 'deep code');
  });

  it('an import whose household code holds a NUL character is refused with a report', async () => {
    const h = fixture.households[0]!;
    const body = JSON.stringify({
      type: 'FeatureCollection',
      features: [
        {
          type: 'Feature',
          properties: { code: 'FZ\u0000NUL', village_code: h.village, persons: 2 },
          geometry: { type: 'Point', coordinates: [h.lon, h.lat] },
        },
      ],
    });
    const response = await server.fetch('/api/imports?layer=households&crs=wgs84', {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/geo+json' },
    });
    await expectRefused(response, 'NUL code');
  });

  // ---- imports -----------------------------------------------------------------------------------

  it('hostile import files (GeoJSON and CSV) are refused with a report, nothing written', async () => {
    const f = fixture;
    const near = f.households;
    const point = (lon: unknown, lat: unknown) => ({ type: 'Point', coordinates: [lon, lat] });
    const goodHousehold = fc.integer({ min: 0, max: near.length - 1 }).chain((i) =>
      fc.string({ minLength: 3, maxLength: 12, unit: fc.constantFrom(...'ABCDEFGHJK0123456789') }).map((suffix) => ({
        type: 'Feature',
        properties: { code: `FZ-${suffix}`, village_code: near[i]!.village, persons: 3 },
        geometry: point(near[i]!.lon, near[i]!.lat),
      })),
    );
    const ring = (points: unknown[]) => ({ type: 'Polygon', coordinates: [points] });
    const geometries = fc.oneof(
      fc.constantFrom<unknown>(
        null,
        {},
        [],
        'POINT(119 27)',
        { type: 'Point' },
        { type: 'Point', coordinates: [] },
        { type: 'Point', coordinates: [119.7] },
        point(null, null),
        point('NaN', 'NaN'),
        point(1e308, 1e308),
        point(-1e308, 27.5),
        point(181, 27.5),
        point(119.7, 91),
        point(0, 0),
        point(-0, -0),
        point(2 ** 53, 27.5),
        { type: 'Point', coordinates: [119.7, 27.5, 'x'] },
        { type: 'Point', coordinates: [[119.7, 27.5]] },
        { type: 'MultiPoint', coordinates: [[119.7, 27.5]] },
        { type: 'GeometryCollection', geometries: [point(119.7, 27.5)] },
        ring([
          [119.6, 27.5],
          [119.7, 27.6],
          [119.7, 27.5],
          [119.6, 27.6],
          [119.6, 27.5],
        ]), // bow-tie
        ring([
          [119.6, 27.5],
          [119.7, 27.5],
          [119.7, 27.6],
        ]), // unclosed
        { type: 'Polygon', coordinates: deepNested(50) },
        { type: '__proto__', coordinates: [119.7, 27.5] },
        { type: "Point'); drop table households; --", coordinates: [119.7, 27.5] },
      ),
      fc.tuple(hostileNumber, hostileNumber).map(([lon, lat]) => point(lon, lat)),
      fc.tuple(anything, anything).map(([lon, lat]) => point(lon, lat)),
    );
    const badHouseholdProperties = fc.oneof(
      fc.record({
        code: fc.constantFrom<unknown>(null, '', '  ', [], {}, true, { a: 1 }, [near[0]!.code]),
        village_code: fc.constantFrom(near[0]!.village),
        persons: fc.constant(3),
      }),
      fc.record({
        code: fc.constant('FZ-bad'),
        village_code: fc.constantFrom(near[0]!.village),
        persons: invalidFor({ kind: 'int', min: 1, max: 40 }).filter(
          (v) => !(typeof v === 'string' && /^\s*[+-]?\d+\s*$/.test(v) && Number(v) >= 1 && Number(v) <= 40),
        ),
      }),
      fc.record({
        code: fc.constant('FZ-bad2'),
        village_code: fc
          .oneof(
            fc.constantFrom(...SQL_TRICKS, '999999999999'),
            hostileText.filter((t) => t.trim() !== ''),
          )
          .filter((v) => !f.villageCodes.includes(v)),
        persons: fc.constant(3),
      }),
      // Two features with one code.
      fc.record({ code: fc.constant('FZ-twice'), persons: fc.constant(3) }).map((p) => [p, p]),
      fc.record({ code: fc.constant('FZ-bad3'), persons: fc.constant(2), aged_70_plus: fc.constant(5) }),
    );
    const atHome = (properties: unknown) => ({
      type: 'Feature',
      properties,
      geometry: point(near[0]!.lon, near[0]!.lat),
    });
    const badHousehold = fc.oneof(
      badHouseholdProperties.map((properties) =>
        Array.isArray(properties) ? properties.map(atHome) : atHome(properties),
      ),
      geometries.map((geometry) => ({ type: 'Feature', properties: { code: 'FZ-geom', persons: 2 }, geometry })),
      anything.filter((v) => !(typeof v === 'object' && v !== null && (v as { type?: unknown }).type === 'Feature')),
    );
    const geojsonFile = fc
      .tuple(fc.array(goodHousehold, { maxLength: 5 }), badHousehold, fc.nat(5))
      .map(([good, bad, at]) => {
        const features: unknown[] = [...good];
        features.splice(at % (good.length + 1), 0, ...(Array.isArray(bad) ? bad : [bad]));
        return JSON.stringify({ type: 'FeatureCollection', features });
      });
    const badCell = fc.oneof(
      fc.constantFrom(
        "=cmd|' /C calc'!A0",
        '+1+1',
        '-2+3',
        '@SUM(A1)',
        '"unclosed',
        '"a""b',
        'a\u0000b',
        'x'.repeat(1_000_000),
        ...SQL_TRICKS,
        ...PATH_TRICKS,
      ),
      hostileText,
    );
    const csvCell = (value: string) => (/[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);
    const csvFile = fc.oneof(
      // A hostile longitude, latitude or persons cell in an otherwise valid row.
      fc.tuple(badCell, fc.constantFrom('lon', 'lat', 'persons')).map(([cell, column]) => {
        const h = near[0]!;
        const row = { code: 'FZ-csv', village_code: h.village, persons: '3', lon: String(h.lon), lat: String(h.lat) };
        const persons =
          column === 'persons' && /^\s*[+-]?\d+\s*$/.test(cell) && Number(cell) >= 1 && Number(cell) <= 40;
        const coordinate = column !== 'persons' && /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(cell.trim());
        // A cell that reads as a valid value is not hostile here.
        const value = persons || coordinate ? `${cell}x` : cell;
        return [
          'code,village_code,persons,lon,lat',
          Object.entries({ ...row, [column]: value })
            .map(([, v]) => csvCell(v))
            .join(','),
        ].join('\n');
      }),
      // Hostile header rows, unclosed quotes, a missing coordinate column, a file of one huge line.
      fc.constantFrom(
        '',
        '\ufeff',
        'code,persons\nA,3',
        'lon,lat',
        'lon,lat\n"119.7,27.5',
        `lon,lat,code\n${'9'.repeat(2_000_000)},27.5,A`,
        `${'lon,'.repeat(50_000)}lat\n1,2`,
        '\u0000\u0000\u0000',
        'lon;lat;code\n119,7;27,5;A',
      ),
    );
    const csvInGeoJsonClothes = fc.constant('{"type":"FeatureCollection","features":[}');
    // Households are points without names: refused as areas or lines whatever their attributes.
    const layers = fc.constantFrom('townships', 'villages', 'roads');
    const requests = fc.oneof(
      // An existing household's code: an error when appending (in replace mode it is an update).
      fc
        .constant(
          JSON.stringify({ type: 'FeatureCollection', features: [atHome({ code: near[0]!.code, persons: 3 })] }),
        )
        .map((body) => ({ query: 'layer=households&mode=append&crs=wgs84', body, type: 'application/geo+json' })),
      fc
        .tuple(geojsonFile, fc.constantFrom('append', 'replace'), fc.constantFrom('wgs84', 'gcj02'))
        .map(([body, mode, crs]) => ({
          query: `layer=households&mode=${mode}&crs=${crs}`,
          body,
          type: 'application/geo+json',
        })),
      fc.tuple(csvFile, fc.constantFrom('append', 'replace')).map(([body, mode]) => ({
        query: `layer=households&mode=${mode}&crs=wgs84&fileName=h.csv`,
        body,
        type: 'text/csv',
      })),
      fc
        .tuple(geojsonFile, layers)
        .map(([body, layer]) => ({ query: `layer=${layer}&crs=wgs84`, body, type: 'application/json' })),
      fc.tuple(csvFile, layers).map(([body, layer]) => ({ query: `layer=${layer}&crs=wgs84`, body, type: 'text/csv' })),
      fc.tuple(csvInGeoJsonClothes, fc.constantFrom('application/geo+json', 'text/csv')).map(([body, type]) => ({
        query: 'layer=roads',
        body,
        type,
      })),
      // A GeoJSON file sent as CSV and the other way round, and wrong media types.
      fc
        .tuple(
          geojsonFile,
          fc.constantFrom(
            'text/csv',
            'text/plain',
            'application/octet-stream',
            'multipart/form-data; boundary=x',
            'image/png',
          ),
        )
        .map(([body, type]) => ({ query: 'layer=households&crs=wgs84', body, type })),
    );
    await check(requests, async ({ query, body, type }) => {
      const response = await server.fetch(`/api/imports?${query}`, {
        method: 'POST',
        body,
        headers: { 'content-type': type },
      });
      await expectRefused(response, `POST /api/imports?${query} ${type} ${body.slice(0, 160)} (${body.length} chars)`);
    });
  });

  // Seven heavy bodies one after another: 30–50 s on a quiet machine, over 60 s beside the rest of the suite.
  it('enormous and deep import files are refused without taking the server down', async () => {
    const lonLat = (i: number) => [119.6 + (i % 1000) * 1e-4, 27.5 + Math.floor(i / 1000) * 1e-4];
    const cases: { what: string; query: string; body: string | Uint8Array<ArrayBuffer>; type: string }[] = [
      {
        what: 'a village polygon of 200 000 vertices that crosses itself',
        query: 'layer=villages&crs=wgs84',
        body: JSON.stringify({
          type: 'FeatureCollection',
          features: [
            {
              type: 'Feature',
              properties: { code: '330329999201', name: '大村', township_code: fixture.townshipCodes[0] },
              geometry: { type: 'Polygon', coordinates: [twistedRing(200_000)] },
            },
          ],
        }),
        type: 'application/geo+json',
      },
      {
        what: 'a road of 100 000 NaN vertices',
        query: 'layer=roads&crs=wgs84',
        body: `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"road_class":"county"},"geometry":{"type":"LineString","coordinates":[${Array.from({ length: 100_000 }, () => '[null,"NaN"]').join(',')}]}}]}`,
        type: 'application/geo+json',
      },
      {
        what: 'coordinates nested 100 000 deep',
        query: 'layer=roads&crs=wgs84',
        body: `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"LineString","coordinates":${deepJson(100_000, 'array')}}}]}`,
        type: 'application/geo+json',
      },
      {
        what: 'properties nested 100 000 deep',
        query: 'layer=households&crs=wgs84',
        body: `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"code":${deepJson(100_000, 'object')}},"geometry":null}]}`,
        type: 'application/geo+json',
      },
      {
        what: '100 000 features that are not features',
        query: 'layer=households&crs=wgs84',
        body: `{"type":"FeatureCollection","features":[${Array.from({ length: 100_000 }, (_, i) => i).join(',')}]}`,
        type: 'application/geo+json',
      },
      {
        what: '50 000 households, the last one outside the county',
        query: 'layer=households&crs=wgs84&mode=replace',
        body: [
          'code,persons,lon,lat',
          ...Array.from({ length: 50_000 }, (_, i) => `FZ-${i},2,${lonLat(i).join(',')}`),
          'FZ-out,2,0,0',
        ].join('\n'),
        type: 'text/csv',
      },
      {
        what: 'a body over the 100 MB limit',
        query: 'layer=households&crs=wgs84',
        body: new Uint8Array(100 * 1024 * 1024 + 16).fill(0x20),
        type: 'text/csv',
      },
    ];
    for (const c of cases) {
      const response = await server.fetch(`/api/imports?${c.query}`, {
        method: 'POST',
        body: c.body,
        headers: { 'content-type': c.type },
      });
      await expectRefused(response, c.what);
      expect((await server.fetch('/api/health', { as: 'anonymous' })).status, c.what).toBe(200);
    }
  }, 300_000);
});

/** A closed ring of `vertices` positions round a circle with two neighbours swapped: it crosses itself once. */
function twistedRing(vertices: number): [number, number][] {
  const ring = Array.from({ length: vertices }, (_, i): [number, number] => {
    const angle = (2 * Math.PI * i) / vertices;
    return [119.7 + 0.01 * Math.cos(angle), 27.55 + 0.01 * Math.sin(angle)];
  });
  [ring[100], ring[101]] = [ring[101]!, ring[100]!];
  return [...ring, ring[0]!];
}

/** Arrays nested `depth` levels down, for a `coordinates` member of the wrong depth. */
function deepNested(depth: number): unknown {
  let value: unknown = [119.7, 27.5];
  for (let i = 0; i < depth; i++) value = [value];
  return value;
}
