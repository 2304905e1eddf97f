import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, openTestDatabase } from '../../test/backends.js';
import { openDatabase, postgisVersion, type Database } from './database.js';

describe.each(BACKENDS)('the %s backend', (kind) => {
  let database: Database;
  beforeAll(async () => {
    database = await openTestDatabase(kind);
  });
  afterAll(async () => {
    await database?.close();
  });

  it('has PostGIS 3', async () => {
    expect(await postgisVersion(database.db)).toMatch(/^3\.\d+\.\d+$/);
  });

  it('returns counts, numerics and timestamps as the same JavaScript values', async () => {
    const result = await sql<{ big: number; ratio: number; sum: number; at: Date; text: string }>`
      select 9007199254740::int8 as big, 0.125::numeric as ratio, sum(x)::numeric as sum,
             timestamptz '2026-01-02 03:04:05+00' as at, '泰顺'::text as text
      from (values (1), (2), (3)) as v(x)`.execute(database.db);
    expect(result.rows).toEqual([
      { big: 9007199254740, ratio: 0.125, sum: 6, at: new Date('2026-01-02T03:04:05Z'), text: '泰顺' },
    ]);
  });

  it('computes geodesic measures the same way', async () => {
    // One degree of latitude near Taishun, on the WGS84 spheroid.
    const result = await sql<{ meters: number; geojson: string }>`
      select round(ST_Length(ST_MakeLine(ST_Point(119.7, 27.0, 4326), ST_Point(119.7, 28.0, 4326))::geography)) as meters,
             ST_AsGeoJSON(ST_MakeValid(ST_GeomFromText('POLYGON((0 0, 2 2, 2 0, 0 2, 0 0))', 4326)), 6) as geojson`.execute(
      database.db,
    );
    expect(result.rows[0]!.meters).toBe(110_811);
    expect(JSON.parse(result.rows[0]!.geojson).type).toBe('MultiPolygon');
  });

  it('rolls back a failed transaction and keeps serving queries', async () => {
    await sql`create table tx_probe (id int primary key)`.execute(database.db);
    await expect(
      database.db.transaction().execute(async (trx) => {
        await sql`insert into tx_probe values (1)`.execute(trx);
        await sql`insert into tx_probe values (1)`.execute(trx);
      }),
    ).rejects.toMatchObject({ message: expect.stringMatching(/duplicate key/), code: '23505' });
    const count = await sql<{ n: number }>`select count(*) as n from tx_probe`.execute(database.db);
    expect(count.rows[0]!.n).toBe(0);
  });

  it('runs concurrent queries and transactions without mixing them up', async () => {
    await sql`create table tx_counter (id int primary key, n int not null)`.execute(database.db);
    await sql`insert into tx_counter values (1, 0)`.execute(database.db);
    await Promise.all(
      Array.from({ length: 20 }, () =>
        database.db.transaction().execute(async (trx) => {
          const row = await sql<{ n: number }>`select n from tx_counter where id = 1 for update`.execute(trx);
          await sql`update tx_counter set n = ${row.rows[0]!.n + 1} where id = 1`.execute(trx);
        }),
      ),
    );
    const result = await sql<{ n: number }>`select n from tx_counter where id = 1`.execute(database.db);
    expect(result.rows[0]!.n).toBe(20);
  });

  // Regression (issue 22): on PGlite a GEOS exception ended the statement with no rows and no error,
  // and left the session half-aborted (later statements failed with ResourceOwnerEnlarge errors).
  it('fails a statement GEOS cannot compute with its error, and keeps serving', async () => {
    const bowtie = `'POLYGON((0 0, 2 2, 2 0, 0 2, 0 0))'::geometry`;
    const square = `'POLYGON((0 0, 1 0, 1 1, 0 1, 0 0))'::geometry`;
    for (let i = 0; i < 40; i++) {
      await expect(
        sql`select ST_AsText(ST_Intersection(${sql.raw(bowtie)}, ${sql.raw(square)})) as shape`.execute(database.db),
      ).rejects.toThrow(/TopologyException/);
      const after = await sql<{
        n: number;
      }>`select count(*)::int as n from pg_class where relname = 'pg_class'`.execute(database.db);
      expect(after.rows).toEqual([{ n: 1 }]);
    }
    // Inside a transaction the failure aborts it, and the rollback leaves nothing behind.
    await sql`create table geos_probe (id int primary key)`.execute(database.db);
    await expect(
      database.db.transaction().execute(async (trx) => {
        await sql`insert into geos_probe values (1)`.execute(trx);
        await sql`select ST_Union(${sql.raw(bowtie)}, ${sql.raw(square)})`.execute(trx);
      }),
    ).rejects.toThrow(/TopologyException/);
    await database.db.transaction().execute(async (trx) => {
      await sql`insert into geos_probe values (2)`.execute(trx);
    });
    const rows = await sql<{ id: number }>`select id from geos_probe order by id`.execute(database.db);
    expect(rows.rows).toEqual([{ id: 2 }]);
  });

  it.runIf(kind === 'pglite')(
    'keeps the event loop turning while a query runs (the database has its own thread)',
    async () => {
      let ticks = 0;
      const timer = setInterval(() => ticks++, 10);
      try {
        await sql`select pg_sleep(0.5)`.execute(database.db);
      } finally {
        clearInterval(timer);
      }
      // In the same thread the loop would stand still for the whole half second: no tick at all.
      expect(ticks).toBeGreaterThan(5);
    },
  );

  it.runIf(kind === 'pglite')('dumps its data folder, which opens as a copy', async () => {
    await sql`create table dump_probe (id int primary key)`.execute(database.db);
    await sql`insert into dump_probe values (7)`.execute(database.db);
    const copy = await openDatabase({ kind: 'pglite', loadDataDir: await database.dump!() });
    try {
      expect((await sql<{ id: number }>`select id from dump_probe`.execute(copy.db)).rows).toEqual([{ id: 7 }]);
    } finally {
      await copy.close();
    }
    await expect(
      copy.db
        .selectFrom('dump_probe' as never)
        .selectAll()
        .execute(),
    ).rejects.toThrow(/closed|destroyed/);
  });
});
