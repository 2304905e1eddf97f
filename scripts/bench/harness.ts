import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { DEMO_SEED } from '../../server/county/demo.js';
import { forEachGeneratedCounty } from '../../server/county/generate/in-worker.js';
import { loadCountyModel } from '../../server/county/load.js';
import { openDatabase, type Database } from '../../server/db/database.js';
import { seedDemoHoliday } from '../../server/holidays/demo.js';
import { withDatabase } from '../../test/env.js';
import { migrate } from '../../server/db/migrate.js';

/** Percentile (0–100) of a list of numbers, by nearest rank. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

/** A whole-number option `--name N` of a benchmark's arguments, or the fallback when absent. */
export function numberOption(args: readonly string[], name: string, fallback: number): number {
  const at = args.indexOf(name);
  const value = at >= 0 ? Number(args[at + 1]) : fallback;
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} takes a whole number`);
  return value;
}

/** Milliseconds rounded to 0.01. */
export const ms = (value: number) => Math.round(value * 100) / 100;

/**
 * A database for a benchmark: the server in DATABASE_URL (whose data it may change), else a
 * fresh embedded one in a temporary folder, removed at close.
 */
export async function openBenchDatabase(log: (line: string) => void): Promise<Database> {
  const url = process.env.DATABASE_URL?.trim();
  let database: Database;
  let tempDir: string | undefined;
  if (url) {
    log('database: PostgreSQL server (DATABASE_URL)');
    database = await openDatabase({ kind: 'postgres', url });
  } else {
    tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'shanwang-bench-'));
    log(`database: embedded PGlite in ${tempDir}`);
    database = await openDatabase({ kind: 'pglite', dataDir: tempDir });
  }
  await migrate(database.db);
  return {
    ...database,
    close: async () => {
      await database.close();
      if (tempDir) fs.rmSync(tempDir, { recursive: true, force: true });
    },
  };
}

/** One benchmark: logs progress lines and returns the figures printed as the last JSON line. */
export interface Benchmark {
  summary: string;
  run(args: string[], log: (line: string) => void): Promise<Record<string, unknown>>;
}

/**
 * A database on the server holding `scale` counties (the demo county and shifted copies), made
 * once and kept for later runs (loading ten counties takes minutes).
 */
export async function serverBenchDatabase(
  url: string,
  name: string,
  scale: number,
  log: (line: string) => void,
): Promise<Database> {
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    const exists = await admin.query('select 1 from pg_database where datname = $1', [name]);
    if (exists.rowCount === 0) await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const database = await openDatabase({ kind: 'postgres', url: withDatabase(url, name), maxConnections: 4 });
  await sql`create extension if not exists postgis`.execute(database.db);
  await sql`create extension if not exists pgrouting`.execute(database.db);
  await migrate(database.db);
  const counties = await sql<{ n: number }>`select count(*) as n from counties`.execute(database.db);
  if (counties.rows[0]!.n !== scale) {
    log(`loading ${scale} count${scale === 1 ? 'y' : 'ies'} into ${name} (kept for later runs)`);
    await sql`delete from counties`.execute(database.db);
    await forEachGeneratedCounty({ seed: DEMO_SEED, scale }, log, async (model, variant) => {
      await loadCountyModel(database.db, model);
      if (variant === 0) await seedDemoHoliday(database.db, model.county.code, DEMO_SEED);
      log(`county ${variant + 1}/${scale} loaded`);
    });
  } else {
    log(`using ${name}: ${scale} count${scale === 1 ? 'y' : 'ies'} already loaded`);
  }
  return database;
}
