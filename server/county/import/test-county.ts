/**
 * A small county for the importer's tests: a square around Taishun, one township with two
 * villages, and a snapshot of every table to prove that a rejected import changed nothing.
 */
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { openTestDatabase } from '../../../test/backends.js';
import type { Database, DatabaseKind } from '../../db/database.js';
import type { DB } from '../../db/schema.js';

export const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));

/** A fixture file's bytes. */
export function fixture(name: string): Buffer {
  return fs.readFileSync(`${FIXTURES}${name}`);
}

/** WKT of a lon/lat rectangle. */
export function rectangle(west: number, south: number, east: number, north: number): string {
  return `POLYGON((${west} ${south}, ${east} ${south}, ${east} ${north}, ${west} ${north}, ${west} ${south}))`;
}

export const TEST_COUNTY = { code: '330329', name: '泰顺县', wkt: rectangle(119.5, 27.3, 120.0, 27.8) };
export const TEST_TOWNSHIP = { code: '330329101', name: '罗阳镇', wkt: rectangle(119.6, 27.5, 119.9, 27.6) };
export const TEST_VILLAGES = [
  { code: '330329101201', name: '东门村', kind: 'village', wkt: rectangle(119.6, 27.5, 119.7, 27.6) },
  { code: '330329101202', name: '城东社区', kind: 'community', wkt: rectangle(119.7, 27.5, 119.8, 27.6) },
];

/** Insert the test county, its township and two villages (WGS84). */
export async function seedTestCounty(db: Kysely<DB>): Promise<void> {
  const multi = (wkt: string) => sql`ST_Multi(ST_GeomFromText(${wkt}, 4326))`;
  await sql`insert into counties (code, name, geom) values (${TEST_COUNTY.code}, ${TEST_COUNTY.name}, ${multi(TEST_COUNTY.wkt)})`.execute(
    db,
  );
  await sql`
    insert into townships (code, county_code, name, kind, geom)
    values (${TEST_TOWNSHIP.code}, ${TEST_COUNTY.code}, ${TEST_TOWNSHIP.name}, 'town', ${multi(TEST_TOWNSHIP.wkt)})`.execute(
    db,
  );
  for (const v of TEST_VILLAGES) {
    await sql`
      insert into villages (code, township_code, name, kind, centre, geom)
      values (${v.code}, ${TEST_TOWNSHIP.code}, ${v.name}, ${v.kind}, ST_PointOnSurface(ST_GeomFromText(${v.wkt}, 4326)),
              ${multi(v.wkt)})`.execute(db);
  }
}

/**
 * A database of the given kind for one test file, holding only the test county again before each
 * test (imports and every layer of earlier tests are deleted). Returns a getter for it.
 */
export function useTestCountyDatabase(kind: DatabaseKind): () => Database {
  let database: Database | undefined;
  beforeAll(async () => {
    database = await openTestDatabase(kind);
  });
  afterAll(async () => {
    await database?.close();
  });
  beforeEach(async () => {
    await sql`delete from imports`.execute(database!.db);
    await sql`delete from counties`.execute(database!.db);
    await seedTestCounty(database!.db);
  });
  return () => database!;
}

/**
 * Row count and an md5 of every row's text for every table of the schema (PostGIS's reference
 * table aside): equal snapshots mean nothing was written.
 */
export async function snapshotTables(db: Kysely<DB>): Promise<Record<string, { rows: number; md5: string }>> {
  const tables = await sql<{ name: string }>`
    select table_name as name from information_schema.tables
    where table_schema = 'public' and table_type = 'BASE TABLE' and table_name <> 'spatial_ref_sys'
    order by table_name`.execute(db);
  const snapshot: Record<string, { rows: number; md5: string }> = {};
  for (const { name } of tables.rows) {
    const result = await sql<{ rows: number; md5: string }>`
      select count(*) as rows, md5(coalesce(string_agg(t::text, '|' order by t::text), '')) as md5
      from ${sql.table(name)} t`.execute(db);
    snapshot[name] = result.rows[0]!;
  }
  return snapshot;
}
