import fs from 'node:fs';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { lockDataDir } from './data-dir-lock.js';
import { PGliteDialect } from './pglite-dialect.js';
import { PGliteThread } from './pglite-thread.js';
import type { DB } from './schema.js';

export type DatabaseKind = 'pglite' | 'postgres';

/** An open database: the Kysely instance every query goes through, and what backs it. */
export interface Database {
  db: Kysely<DB>;
  kind: DatabaseKind;
  /** The embedded database's data folder as a gzipped tarball (PGlite only; for test templates and tools). */
  dump?: () => Promise<Blob>;
  close(): Promise<void>;
}

/** Where to open the database: a server URL, or an embedded data folder (or a loaded dump). */
export type DatabaseTarget =
  | { kind: 'postgres'; url: string; maxConnections?: number }
  | { kind: 'pglite'; dataDir?: string; loadDataDir?: Blob | File };

// Both backends return the same JavaScript values: bigint and numeric as numbers (our counts
// and measures fit in a double), timestamps as Date.
const INT8 = 20;
const NUMERIC = 1700;

function toNumber(value: string): number {
  return Number(value);
}

/** Pick the backend from the settings: `DATABASE_URL` wins, else the embedded data folder. */
export function targetFromConfig(config: { databaseUrl: string | undefined; dataDir: string }): DatabaseTarget {
  return config.databaseUrl
    ? { kind: 'postgres', url: config.databaseUrl }
    : { kind: 'pglite', dataDir: config.dataDir };
}

/** Open the database. The embedded one gets PostGIS loaded; the server must have it installed. */
export async function openDatabase(target: DatabaseTarget): Promise<Database> {
  if (target.kind === 'postgres') {
    const typeParsers = {
      getTypeParser(oid: number, format?: 'text' | 'binary') {
        if (oid === INT8 || oid === NUMERIC) return toNumber;
        return pg.types.getTypeParser(oid, format ?? 'text');
      },
    } as pg.CustomTypesConfig;
    const pool = new pg.Pool({
      connectionString: target.url,
      max: target.maxConnections ?? 10,
      types: typeParsers,
      application_name: 'shanwang',
    });
    // A broken idle connection must not crash the process; the next query reports the fault.
    pool.on('error', () => {});
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
    try {
      await sql`select 1`.execute(db);
    } catch (err) {
      await db.destroy();
      throw new Error(`Cannot connect to the PostgreSQL server in DATABASE_URL: ${(err as Error).message}`, {
        cause: err,
      });
    }
    return { db, kind: 'postgres', close: () => db.destroy() };
  }

  let unlock = () => {};
  if (target.dataDir) {
    fs.mkdirSync(target.dataDir, { recursive: true });
    unlock = lockDataDir(target.dataDir);
  }
  let pglite: PGliteThread;
  try {
    // In its own thread: the server keeps answering while a query runs (pglite-thread.ts).
    pglite = await PGliteThread.open({
      ...(target.dataDir ? { dataDir: target.dataDir } : {}),
      ...(target.loadDataDir ? { loadDataDir: new Uint8Array(await target.loadDataDir.arrayBuffer()) } : {}),
    });
  } catch (err) {
    unlock();
    throw err;
  }
  const db = new Kysely<DB>({ dialect: new PGliteDialect(pglite) });
  return {
    db,
    kind: 'pglite',
    dump: () => pglite.dump(),
    close: async () => {
      try {
        await db.destroy();
        await pglite.close();
      } finally {
        unlock();
      }
    },
  };
}

/** PostGIS version of the open database, or null when the extension is not installed. */
export async function postgisVersion(db: Kysely<DB>): Promise<string | null> {
  const installed = await sql<{ version: string | null }>`
    select extversion as version from pg_extension where extname = 'postgis'`.execute(db);
  if (!installed.rows[0]) return null;
  const lib = await sql<{ version: string }>`select postgis_lib_version() as version`.execute(db);
  return lib.rows[0]?.version ?? null;
}
