/**
 * A process killed in the middle of an import leaves the previous state intact (issue #8): the
 * real command line (`npm run cli -- import`) imports a large households file in a child process,
 * which is killed with SIGKILL while its transaction is open; every table must then be exactly as
 * before — on the PostgreSQL server (the server aborts the dead connection's transaction) and on
 * the embedded PGlite data folder (reopened after the crash). A re-partition killed mid-way too.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openDatabase, type Database, type DatabaseKind } from '../server/db/database.js';
import type { DB } from '../server/db/schema.js';
import { BACKENDS, copyServerTemplate } from './backends.js';

/** Households in the file: enough for each stage to take a few seconds, few enough for CI. */
const HOUSEHOLDS = 30_000;

/** Row count and md5 of every row of every table (PostGIS's reference table aside). */
async function snapshotTables(db: Kysely<DB>): Promise<Record<string, string>> {
  const tables = await sql<{ name: string }>`
    select table_name as name from information_schema.tables
    where table_schema = 'public' and table_type = 'BASE TABLE' and table_name <> 'spatial_ref_sys'
    order by table_name`.execute(db);
  const snapshot: Record<string, string> = {};
  for (const { name } of tables.rows) {
    const result = await sql<{ rows: number; md5: string }>`
      select count(*)::int as rows, md5(coalesce(string_agg(t::text, '|' order by t::text), '')) as md5
      from ${sql.table(name)} t`.execute(db);
    snapshot[name] = `${result.rows[0]!.rows} ${result.rows[0]!.md5}`;
  }
  return snapshot;
}

/** A CSV of HOUSEHOLDS new households: copies of existing ones, at the same place, with new codes. */
async function writeHouseholdsFile(db: Kysely<DB>, file: string): Promise<number> {
  const rows = await sql<{ code: string; village: string; persons: number; lon: number; lat: number }>`
    select code, village_code as village, persons, ST_X(geom) as lon, ST_Y(geom) as lat
    from households order by code limit ${HOUSEHOLDS}`.execute(db);
  const lines = ['code,village_code,persons,lon,lat'];
  for (const h of rows.rows) lines.push(`K-${h.code},${h.village},${h.persons},${h.lon},${h.lat}`);
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
  return lines.length - 1;
}

/** Where the child is when it is killed: a line of its progress on stderr. */
interface KillPoint {
  name: string;
  /** True for the progress line at which to kill. */
  at: (line: string, total: number) => boolean;
}

const KILL_POINTS: KillPoint[] = [
  {
    name: 'half-way through staging',
    at: (line, total) => {
      const match = /^import: staging (\d+)\/\d+$/.exec(line);
      return match !== null && Number(match[1]) >= total / 2;
    },
  },
  { name: 'while checking against the county', at: (line) => /^import: checking 2\/\d+$/.test(line) },
  { name: 'while writing', at: (line) => /^import: writing 0\/\d+$/.test(line) },
];

/**
 * Run `npm run cli -- import` on the file in a child process and SIGKILL it at the kill point.
 * Resolves with the child's progress lines once it is dead; rejects if it ended on its own.
 */
function importAndKill(
  env: NodeJS.ProcessEnv,
  file: string,
  total: number,
  point: KillPoint,
): Promise<{ lines: string[]; signal: NodeJS.Signals | null; code: number | null }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'scripts/cli.ts', 'import', file, '--layer', 'households', '--crs', 'wgs84'],
    { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const lines: string[] = [];
  let partial = '';
  child.stdout.resume();
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    const parts = (partial + chunk).split('\n');
    partial = parts.pop()!;
    for (const line of parts) {
      lines.push(line);
      if (point.at(line, total) && child.exitCode === null) child.kill('SIGKILL');
    }
  });
  // Never outlive the test: a child still running would hold the PGlite folder's lock.
  const deadline = setTimeout(() => child.kill('SIGKILL'), 200_000);
  return new Promise((resolve) => {
    child.on('exit', (code, signal) => {
      clearTimeout(deadline);
      resolve({ lines, signal, code });
    });
  });
}

/** The server's sessions on a database other than the asking one, and the locks they hold. */
async function otherSessions(db: Kysely<DB>): Promise<{ sessions: string[]; locks: number }> {
  const sessions = await sql<{ pid: number; state: string | null; query: string }>`
    select pid, state, left(query, 80) as query from pg_stat_activity
    where datname = current_database() and pid <> pg_backend_pid()`.execute(db);
  const locks = await sql<{ n: number }>`
    select count(*)::int as n from pg_locks l join pg_database d on d.oid = l.database
    where d.datname = current_database() and l.pid <> pg_backend_pid()`.execute(db);
  return {
    sessions: sessions.rows.map((s) => `${s.pid} ${s.state ?? ''} ${s.query}`),
    locks: locks.rows[0]!.n,
  };
}

/** Open the database the child used: the server database by URL, or the PGlite data folder. */
function openTarget(kind: DatabaseKind, where: string): Promise<Database> {
  return kind === 'postgres'
    ? openDatabase({ kind: 'postgres', url: where, maxConnections: 1 })
    : openDatabase({ kind: 'pglite', dataDir: where });
}

describe.each(BACKENDS)('an import killed with SIGKILL on %s', (kind) => {
  let tmp: string;
  let where: string;
  let drop = async () => {};
  let file: string;
  let total: number;
  let before: Record<string, string>;

  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'shanwang-kill-'));
    file = path.join(tmp, 'households.csv');
    if (kind === 'postgres') {
      const created = await copyServerTemplate({ withCounty: true });
      where = created.url;
      drop = created.drop;
    } else {
      // The county template written out as a data folder, as `npm start` keeps it.
      where = path.join(tmp, 'data');
      const dump = fs.readFileSync(inject('pgliteCountyTemplatePath'));
      const database = await openDatabase({ kind: 'pglite', dataDir: where, loadDataDir: new Blob([dump]) });
      await database.close();
    }
    const database = await openTarget(kind, where);
    try {
      total = await writeHouseholdsFile(database.db, file);
      before = await snapshotTables(database.db);
    } finally {
      await database.close();
    }
  });
  afterAll(async () => {
    await drop();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  const env = () => (kind === 'postgres' ? { DATABASE_URL: where } : { DATABASE_URL: '', DATA_DIR: where });

  it.each(KILL_POINTS)(
    'killed $name, every table is as it was',
    async (point) => {
      const run = await importAndKill(env(), file, total, point);
      expect(run.signal, `the child ended on its own (exit ${run.code}): ${run.lines.join(' | ')}`).toBe('SIGKILL');
      expect(run.lines.some((line) => point.at(line, total))).toBe(true);

      const database = await openTarget(kind, where);
      try {
        if (kind === 'postgres') {
          // The server notices the dead connection and rolls its transaction back: no session, no lock left.
          let left = await otherSessions(database.db);
          for (let i = 0; i < 300 && (left.sessions.length > 0 || left.locks > 0); i++) {
            await new Promise((resolve) => setTimeout(resolve, 200));
            left = await otherSessions(database.db);
          }
          expect(left).toEqual({ sessions: [], locks: 0 });
        }
        expect(await snapshotTables(database.db)).toEqual(before);
      } finally {
        await database.close();
      }
    },
    240_000,
  );

  it('the same file imported to the end is accepted (the file is good: the kills above interrupted a real import)', async () => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'scripts/cli.ts', 'import', file, '--layer', 'households', '--crs', 'wgs84', '--json'],
      { env: { ...process.env, ...env() }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    expect(code, err.slice(-2000)).toBe(0);
    const report = JSON.parse(out.trim().split('\n').at(-1)!) as { accepted: boolean; counts: { imported: number } };
    expect(report.accepted).toBe(true);
    expect(report.counts.imported).toBe(total);
    const database = await openTarget(kind, where);
    try {
      const households = await sql<{ n: number }>`select count(*)::int as n from households`.execute(database.db);
      expect(households.rows[0]!.n).toBe(Number(before.households!.split(' ')[0]) + total);
    } finally {
      await database.close();
    }
  }, 240_000);
});
