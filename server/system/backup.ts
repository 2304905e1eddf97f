// Backups of either backend in one file: a magic line, a JSON header line (app version, migration,
// backend, time, size and SHA-256 of what follows), then the payload — the embedded database's data
// folder as PGlite's gzipped tarball, or a server database as pg_dump's custom format. The header
// lets a restore refuse a damaged file or one from a newer schema before it touches anything.
import { spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { sql, type Kysely } from 'kysely';
import { z } from 'zod';
import { openDatabase, type Database, type DatabaseKind } from '../db/database.js';
import { lockDataDir } from '../db/data-dir-lock.js';
import { readMigrations } from '../db/migrate.js';
import type { DB } from '../db/schema.js';
import { APP_VERSION } from '../version.js';

const MAGIC = 'SHANWANG-BACKUP 1';
/** The header is read from at most this many bytes at the start of the file. */
const HEADER_LIMIT_BYTES = 64 * 1024;
/** File name ending of the backups the server writes on its schedule. */
export const BACKUP_EXTENSION = '.shanwang-backup';

const headerSchema = z.object({
  appVersion: z.string(),
  migration: z.number().int().nonnegative(),
  backend: z.enum(['pglite', 'postgres']),
  payload: z.enum(['pglite-datadir-tar-gz', 'pg_dump-custom']),
  createdAt: z.string(),
  payloadBytes: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});

/** What a backup file says about itself. */
export type BackupHeader = z.infer<typeof headerSchema>;

/** Where a restore writes: an embedded data folder, or a server database. */
export type RestoreTarget = { kind: 'pglite'; dataDir: string } | { kind: 'postgres'; url: string };

export type Progress = (line: string) => void;

/** A backup written: its file, header, size and how long it took. */
export interface BackupResult {
  file: string;
  header: BackupHeader;
  bytes: number;
  seconds: number;
}

/** The latest migration this app knows (a backup from a later one is refused). */
export function knownMigration(): number {
  return Math.max(0, ...readMigrations().map((m) => m.version));
}

async function latestMigration(db: Kysely<DB>): Promise<number> {
  const row = await sql<{ v: number | null }>`select max(version) as v from schema_migrations`.execute(db);
  return Number(row.rows[0]?.v ?? 0);
}

/** A temporary path beside `file` (same folder, so the final rename is atomic). */
function tempBeside(file: string, what: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.${what}-${randomBytes(4).toString('hex')}`);
}

function headerBytes(header: BackupHeader): Buffer {
  return Buffer.from(`${MAGIC}\n${JSON.stringify(header)}\n`, 'utf8');
}

/** Hash a file (from `offset`) without holding it in memory. */
async function sha256OfFile(file: string, offset = 0): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of fs.createReadStream(file, { start: offset })) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return { sha256: hash.digest('hex'), bytes };
}

/**
 * Back up an open database into `out`, atomically (a temporary file beside it, then a rename).
 * The embedded database is dumped while it holds its only connection, so no transaction is open;
 * a server database needs its URL for pg_dump.
 */
export async function backupDatabase(
  database: Database,
  options: { out: string; url?: string; onProgress?: Progress },
): Promise<BackupResult> {
  const started = Date.now();
  const progress = options.onProgress ?? (() => {});
  const out = path.resolve(options.out);
  fs.mkdirSync(path.dirname(out), { recursive: true });
  const payloadFile = tempBeside(out, 'payload');
  const finalTemp = tempBeside(out, 'tmp');
  try {
    let migration: number;
    if (database.kind === 'pglite') {
      if (!database.dump) throw new Error('This embedded database cannot be dumped.');
      progress('waiting for running writes to finish…');
      // Kysely's connection() holds PGlite's single session: no transaction is half-way meanwhile.
      const dumped = await database.db.connection().execute(async (connection) => {
        const version = await latestMigration(connection);
        await sql`checkpoint`.execute(connection);
        progress('dumping the embedded database (requests wait meanwhile)…');
        return { version, blob: await database.dump!() };
      });
      migration = dumped.version;
      fs.writeFileSync(payloadFile, new Uint8Array(await dumped.blob.arrayBuffer()));
    } else {
      if (!options.url) throw new Error('A server backup needs the database URL (DATABASE_URL).');
      migration = await latestMigration(database.db);
      const serverVersionNum = Number(
        (await sql<{ v: string }>`select current_setting('server_version_num') as v`.execute(database.db)).rows[0]!.v,
      );
      await runPgDump(options.url, payloadFile, Math.floor(serverVersionNum / 10000), progress);
    }
    progress('checksumming…');
    const { sha256, bytes: payloadBytes } = await sha256OfFile(payloadFile);
    const header: BackupHeader = {
      appVersion: APP_VERSION,
      migration,
      backend: database.kind,
      payload: database.kind === 'pglite' ? 'pglite-datadir-tar-gz' : 'pg_dump-custom',
      createdAt: new Date().toISOString(),
      payloadBytes,
      sha256,
    };
    fs.writeFileSync(finalTemp, headerBytes(header));
    await pipeline(fs.createReadStream(payloadFile), fs.createWriteStream(finalTemp, { flags: 'a' }));
    fs.renameSync(finalTemp, out);
    const bytes = fs.statSync(out).size;
    progress(`wrote ${out} (${(bytes / 1e6).toFixed(1)} MB)`);
    return { file: out, header, bytes, seconds: (Date.now() - started) / 1000 };
  } finally {
    fs.rmSync(payloadFile, { force: true });
    fs.rmSync(finalTemp, { force: true });
  }
}

/** Major version of a PostgreSQL client tool, or null when it is not installed. */
function clientMajor(tool: 'pg_dump' | 'pg_restore'): number | null {
  const run = spawnSync(tool, ['--version'], { encoding: 'utf8' });
  if (run.error || run.status !== 0) return null;
  const match = /\(PostgreSQL\)\s+(\d+)/.exec(run.stdout);
  return match ? Number(match[1]) : null;
}

/** The URL without its password, and the password for PGPASSWORD (kept off the command line). */
function splitPassword(url: string): { url: string; password: string | undefined } {
  const parsed = new URL(url);
  const password = parsed.password ? decodeURIComponent(parsed.password) : undefined;
  parsed.password = '';
  return { url: parsed.toString(), password };
}

function clientEnv(password: string | undefined): NodeJS.ProcessEnv {
  return password === undefined ? process.env : { ...process.env, PGPASSWORD: password };
}

/** Run a client tool to the end; its stderr becomes the error message. */
function runTool(
  tool: string,
  args: string[],
  options: { env: NodeJS.ProcessEnv; stdin?: NodeJS.ReadableStream; watchFile?: string; progress: Progress },
): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(tool, args, { env: options.env, stdio: [options.stdin ? 'pipe' : 'ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const started = Date.now();
    const ticker = setInterval(() => {
      const size = options.watchFile && fs.existsSync(options.watchFile) ? fs.statSync(options.watchFile).size : null;
      const seconds = Math.round((Date.now() - started) / 1000);
      options.progress(`${tool}: ${seconds} s${size === null ? '' : `, ${(size / 1e6).toFixed(1)} MB`}`);
    }, 5000);
    if (options.stdin) {
      options.stdin.pipe(child.stdin!);
      child.stdin!.on('error', () => {}); // the tool's own exit status reports the failure
    }
    child.on('error', (err) => {
      clearInterval(ticker);
      reject(err);
    });
    child.on('close', (code) => {
      clearInterval(ticker);
      if (code === 0) resolve();
      else reject(new Error(`${tool} failed (exit ${code}): ${stderr.trim().split('\n').slice(-5).join(' | ')}`));
    });
  });
}

async function runPgDump(url: string, file: string, serverMajor: number, progress: Progress): Promise<void> {
  const major = clientMajor('pg_dump');
  if (major === null) {
    throw new Error(
      `pg_dump is not installed (a server backup needs it): install the PostgreSQL ${serverMajor} client tools, ` +
        `e.g. apt-get install postgresql-client-${serverMajor}.`,
    );
  }
  if (major < serverMajor) {
    throw new Error(
      `pg_dump ${major} is older than the server (PostgreSQL ${serverMajor}) and cannot dump it: ` +
        `install postgresql-client-${serverMajor} or newer.`,
    );
  }
  const { url: bare, password } = splitPassword(url);
  progress(`pg_dump ${major}: dumping the server database (custom format)…`);
  await runTool('pg_dump', ['--format=custom', '--no-owner', '--no-privileges', `--file=${file}`, `--dbname=${bare}`], {
    env: clientEnv(password),
    watchFile: file,
    progress,
  });
}

/** Read and check a backup's header; throws with the reason when it is not one of ours. */
export function readBackupHeader(file: string): { header: BackupHeader; payloadOffset: number } {
  const fd = fs.openSync(file, 'r');
  let start: Buffer;
  try {
    const buffer = Buffer.alloc(HEADER_LIMIT_BYTES);
    start = buffer.subarray(0, fs.readSync(fd, buffer, 0, buffer.length, 0));
  } finally {
    fs.closeSync(fd);
  }
  const firstEnd = start.indexOf(10);
  if (firstEnd < 0 || start.subarray(0, firstEnd).toString('utf8') !== MAGIC) {
    throw new Error(`${file} is not a Shanwang backup (no "${MAGIC}" line at its start).`);
  }
  const secondEnd = start.indexOf(10, firstEnd + 1);
  if (secondEnd < 0) throw new Error(`${file}: the backup's header is cut off.`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(start.subarray(firstEnd + 1, secondEnd).toString('utf8'));
  } catch {
    throw new Error(`${file}: the backup's header is not valid JSON.`);
  }
  const header = headerSchema.safeParse(parsed);
  if (!header.success) {
    throw new Error(
      `${file}: the backup's header is damaged (${header.error.issues.map((i) => i.path.join('.')).join(', ')}).`,
    );
  }
  return { header: header.data, payloadOffset: secondEnd + 1 };
}

/** Check a backup fully (header, size, checksum, schema version); returns its header. */
export async function verifyBackup(file: string): Promise<{ header: BackupHeader; payloadOffset: number }> {
  const read = readBackupHeader(file);
  const { sha256, bytes } = await sha256OfFile(file, read.payloadOffset);
  if (bytes !== read.header.payloadBytes) {
    throw new Error(
      `${file} is truncated or padded: ${bytes} bytes of data, the header says ${read.header.payloadBytes}.`,
    );
  }
  if (sha256 !== read.header.sha256) throw new Error(`${file} is damaged: its checksum does not match its header.`);
  const known = knownMigration();
  if (read.header.migration > known) {
    throw new Error(
      `${file} comes from a newer schema (migration ${read.header.migration}; this app knows ${known}): ` +
        'restore it with a newer version of the app.',
    );
  }
  return read;
}

/** Does the database hold anything worth keeping: a county or an account? */
async function holdsData(db: Kysely<DB>): Promise<boolean> {
  const tables = await sql<{ name: string }>`
    select table_name as name from information_schema.tables
    where table_schema = 'public' and table_name in ('counties', 'users')`.execute(db);
  for (const { name } of tables.rows) {
    const row = await sql<{ any: boolean }>`select exists(select 1 from ${sql.table(name)}) as any`.execute(db);
    if (row.rows[0]?.any) return true;
  }
  return false;
}

const NOT_EMPTY =
  'holds data (a county or accounts): restoring would replace it. Back it up first, then restore with --force.';

/**
 * Restore a verified backup into a target of the same backend. Refuses a target that holds a county
 * or an account unless `force`. The embedded data folder is swapped only once the new one is fully
 * written and opens; a server database is emptied (schema `public`) and filled by pg_restore.
 */
export async function restoreBackup(
  target: RestoreTarget,
  file: string,
  options: { force?: boolean; onProgress?: Progress } = {},
): Promise<{ header: BackupHeader; seconds: number }> {
  const started = Date.now();
  const progress = options.onProgress ?? (() => {});
  progress(`checking ${file}…`);
  const { header, payloadOffset } = await verifyBackup(file);
  if (header.backend !== target.kind) {
    throw new Error(
      `${file} is a backup of ${backendName(header.backend)} and cannot be restored into ${backendName(target.kind)} ` +
        '(see the README, "Moving a county between the backends").',
    );
  }
  if (target.kind === 'pglite')
    await restoreEmbedded(target.dataDir, file, payloadOffset, header, options.force, progress);
  else await restoreServer(target.url, file, payloadOffset, header, options.force, progress);
  return { header, seconds: (Date.now() - started) / 1000 };
}

function backendName(kind: DatabaseKind): string {
  return kind === 'pglite' ? 'the embedded database' : 'a PostgreSQL server';
}

async function restoreEmbedded(
  dataDir: string,
  file: string,
  payloadOffset: number,
  header: BackupHeader,
  force: boolean | undefined,
  progress: Progress,
): Promise<void> {
  const target = path.resolve(dataDir);
  const exists = fs.existsSync(path.join(target, 'PG_VERSION'));
  if (exists) {
    // Opening takes the folder's lock: a running server makes this fail with a clear message.
    const current = await openDatabase({ kind: 'pglite', dataDir: target });
    try {
      if (!force && (await holdsData(current.db))) throw new Error(`The embedded database in ${target} ${NOT_EMPTY}`);
    } finally {
      await current.close();
    }
  } else if (fs.existsSync(target) && fs.readdirSync(target).some((name) => name !== 'shanwang.lock')) {
    throw new Error(`${target} is not empty and is not an embedded database folder: choose another DATA_DIR.`);
  }
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const fresh = `${target}.restoring-${stamp}`;
  const old = `${target}.before-restore-${stamp}`;
  // Held until the swap: a server started meanwhile must not open the folder about to be replaced.
  const unlock = fs.existsSync(target) ? lockDataDir(target) : () => {};
  try {
    progress(`writing the restored database into ${fresh}…`);
    const payload = fs.readFileSync(file).subarray(payloadOffset);
    const restored = await openDatabase({ kind: 'pglite', dataDir: fresh, loadDataDir: new Blob([payload]) });
    try {
      const migration = await latestMigration(restored.db);
      if (migration !== header.migration) {
        throw new Error(`The restored database is at migration ${migration}, the header says ${header.migration}.`);
      }
    } finally {
      await restored.close();
    }
    progress('swapping the data folder…');
    if (fs.existsSync(target)) fs.renameSync(target, old);
    try {
      fs.renameSync(fresh, target);
    } catch (err) {
      if (fs.existsSync(old)) fs.renameSync(old, target);
      throw err;
    }
  } finally {
    unlock();
    fs.rmSync(fresh, { recursive: true, force: true });
  }
  fs.rmSync(old, { recursive: true, force: true });
}

async function restoreServer(
  url: string,
  file: string,
  payloadOffset: number,
  header: BackupHeader,
  force: boolean | undefined,
  progress: Progress,
): Promise<void> {
  if (clientMajor('pg_restore') === null) {
    throw new Error('pg_restore is not installed (a server restore needs it): install the PostgreSQL client tools.');
  }
  const database = await openDatabase({ kind: 'postgres', url, maxConnections: 1 });
  try {
    if (!force && (await holdsData(database.db))) throw new Error(`The server database ${NOT_EMPTY}`);
    progress('emptying the target database (schema public)…');
    await sql`drop schema if exists public cascade`.execute(database.db);
    await sql`create schema public`.execute(database.db);
  } finally {
    await database.close();
  }
  const { url: bare, password } = splitPassword(url);
  progress('pg_restore: restoring…');
  await runTool('pg_restore', ['--no-owner', '--no-privileges', '--exit-on-error', `--dbname=${bare}`], {
    env: clientEnv(password),
    stdin: fs.createReadStream(file, { start: payloadOffset }),
    progress,
  });
  const restored = await openDatabase({ kind: 'postgres', url, maxConnections: 1 });
  try {
    const migration = await latestMigration(restored.db);
    if (migration !== header.migration) {
      throw new Error(`The restored database is at migration ${migration}, the header says ${header.migration}.`);
    }
  } finally {
    await restored.close();
  }
}

/** One backup in the backup folder, as the admin's list shows it. */
export interface BackupListing {
  file: string;
  bytes: number;
  createdAt: string;
  backend: DatabaseKind;
  migration: number;
  appVersion: string;
}

/** The backups in a folder (their headers only), newest first; unreadable files are skipped. */
export function listBackups(dir: string): BackupListing[] {
  if (!fs.existsSync(dir)) return [];
  const listed: BackupListing[] = [];
  for (const name of fs.readdirSync(dir)) {
    if (!name.endsWith(BACKUP_EXTENSION)) continue;
    const file = path.join(dir, name);
    try {
      const { header } = readBackupHeader(file);
      listed.push({
        file: name,
        bytes: fs.statSync(file).size,
        createdAt: header.createdAt,
        backend: header.backend,
        migration: header.migration,
        appVersion: header.appVersion,
      });
    } catch {
      // not ours, or damaged: not listed
    }
  }
  return listed.sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.file.localeCompare(a.file));
}

/** Parse an interval such as `24h`, `6h`, `30m` or `1d` into milliseconds; null when malformed. */
export function parseInterval(text: string): number | null {
  const match = /^\s*(\d+)\s*(m|h|d)\s*$/.exec(text);
  if (!match) return null;
  const minutes = Number(match[1]) * { m: 1, h: 60, d: 1440 }[match[2] as 'm' | 'h' | 'd'];
  return minutes > 0 ? minutes * 60_000 : null;
}

/** What the server's schedule last did, for the admins' list. */
export interface BackupScheduleStatus {
  lastError: { at: string; message: string } | null;
  running: boolean;
}

/**
 * Backups every `everyMs` into `dir`, keeping the newest `keep`. One at a time; a failure is logged
 * and kept for the admins' list, and the next tick tries again.
 */
export function startBackupSchedule(options: {
  database: Database;
  url: string | undefined;
  dir: string;
  everyMs: number;
  keep: number;
  log: { info(obj: object, msg: string): void; error(obj: object, msg: string): void };
  status: BackupScheduleStatus;
}): () => void {
  const { status } = options;
  const tick = async () => {
    if (status.running) return;
    status.running = true;
    const name = `shanwang-${new Date().toISOString().replace(/[:.]/g, '-')}${BACKUP_EXTENSION}`;
    try {
      const result = await backupDatabase(options.database, {
        out: path.join(options.dir, name),
        ...(options.url ? { url: options.url } : {}),
      });
      status.lastError = null;
      options.log.info({ file: result.file, bytes: result.bytes, seconds: result.seconds }, 'backup written');
      for (const stale of listBackups(options.dir).slice(options.keep)) {
        fs.rmSync(path.join(options.dir, stale.file), { force: true });
      }
    } catch (err) {
      status.lastError = { at: new Date().toISOString(), message: (err as Error).message };
      options.log.error({ err }, 'scheduled backup failed');
    } finally {
      status.running = false;
    }
  };
  // The first one is due an interval after the newest backup already there (at once if none).
  const newest = listBackups(options.dir)[0];
  const dueMs = newest ? Math.max(0, Date.parse(newest.createdAt) + options.everyMs - Date.now()) : 0;
  let timer: NodeJS.Timeout = setTimeout(() => {
    void tick();
    timer = setInterval(() => void tick(), options.everyMs);
    timer.unref();
  }, dueMs);
  timer.unref();
  return () => clearTimeout(timer);
}
