import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql, type Kysely } from 'kysely';
import type { DB } from './schema.js';

/** The folder of numbered SQL migrations, at the repository root. */
export const MIGRATIONS_DIR = fileURLToPath(new URL('../../migrations/', import.meta.url));

const FILE_NAME = /^(\d{4})_([a-z0-9_]+)\.sql$/;
// Serialises concurrent migrators on a server (two app instances starting at once).
const ADVISORY_LOCK_KEY = 3303290001;

export interface Migration {
  version: number;
  name: string;
  sql: string;
  checksum: string;
}

export interface MigrationProgress {
  version: number;
  name: string;
  index: number;
  total: number;
}

/** Read the migration files in order; throws on a misnamed file or a repeated number. */
export function readMigrations(dir: string = MIGRATIONS_DIR): Migration[] {
  const migrations: Migration[] = [];
  for (const file of fs.readdirSync(dir).sort()) {
    if (!file.endsWith('.sql')) continue;
    const match = FILE_NAME.exec(file);
    if (!match) throw new Error(`Migration file name must look like 0001_name.sql: ${file}`);
    const text = fs.readFileSync(path.join(dir, file), 'utf8');
    const version = Number(match[1]);
    if (migrations.some((m) => m.version === version)) {
      throw new Error(`Two migration files share the number ${match[1]}`);
    }
    migrations.push({
      version,
      name: match[2]!,
      sql: text,
      checksum: createHash('sha256').update(text).digest('hex'),
    });
  }
  return migrations;
}

/** Versions applied so far, in order, with their checksums. */
async function appliedMigrations(db: Kysely<DB>): Promise<Map<number, string>> {
  const rows = await db.selectFrom('schema_migrations').select(['version', 'checksum']).orderBy('version').execute();
  return new Map(rows.map((row) => [row.version, row.checksum]));
}

/**
 * Apply every migration not yet applied, each in its own transaction, recording it in
 * `schema_migrations`. Refuses to run when an applied file was edited or is missing.
 * Returns the latest applied version.
 */
export async function migrate(
  db: Kysely<DB>,
  options: { dir?: string; onProgress?: (progress: MigrationProgress) => void } = {},
): Promise<number> {
  const migrations = readMigrations(options.dir);
  await sql`
    create table if not exists schema_migrations (
      version integer primary key,
      name text not null,
      checksum text not null,
      applied_at timestamptz not null default now()
    )`.execute(db);

  const applied = await appliedMigrations(db);
  const known = new Map(migrations.map((m) => [m.version, m]));
  for (const [version, checksum] of applied) {
    const migration = known.get(version);
    if (!migration) {
      throw new Error(
        `The database has migration ${version} that this code does not know: it was migrated by a newer version of Shanwang.`,
      );
    }
    if (migration.checksum !== checksum) {
      throw new Error(
        `Migration ${version}_${migration.name}.sql was edited after it was applied. Migrations are frozen: add a new one instead.`,
      );
    }
  }

  const pending = migrations.filter((m) => !applied.has(m.version));
  for (const [index, migration] of pending.entries()) {
    options.onProgress?.({ version: migration.version, name: migration.name, index, total: pending.length });
    await db.transaction().execute(async (trx) => {
      await sql`select pg_advisory_xact_lock(${ADVISORY_LOCK_KEY})`.execute(trx);
      const already = await trx
        .selectFrom('schema_migrations')
        .select('version')
        .where('version', '=', migration.version)
        .executeTakeFirst();
      if (already) return; // another instance applied it while we waited for the lock
      await sql.raw(migration.sql).execute(trx);
      await trx
        .insertInto('schema_migrations')
        .values({ version: migration.version, name: migration.name, checksum: migration.checksum })
        .execute();
    });
  }
  return currentMigration(db);
}

/** The latest applied migration version, 0 when none. */
export async function currentMigration(db: Kysely<DB>): Promise<number> {
  const row = await db
    .selectFrom('schema_migrations')
    .select((eb) => eb.fn.max('version').as('version'))
    .executeTakeFirst();
  return row?.version ?? 0;
}
