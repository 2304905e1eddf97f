import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, openTestDatabase } from '../../test/backends.js';
import type { Database } from './database.js';
import { currentMigration, migrate, MIGRATIONS_DIR, readMigrations } from './migrate.js';

/** A folder holding the real migrations plus the given extra files. */
function migrationsWith(extra: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shanwang-migrations-'));
  for (const file of fs.readdirSync(MIGRATIONS_DIR))
    fs.copyFileSync(path.join(MIGRATIONS_DIR, file), path.join(dir, file));
  for (const [file, text] of Object.entries(extra)) fs.writeFileSync(path.join(dir, file), text);
  return dir;
}

async function tableExists(database: Database, table: string): Promise<boolean> {
  const result = await sql<{ found: string | null }>`select to_regclass(${table})::text as found`.execute(database.db);
  return result.rows[0]?.found != null;
}

describe('reading migration files', () => {
  it('reads the real migrations in order with checksums', () => {
    const migrations = readMigrations();
    expect(migrations[0]).toMatchObject({ version: 1, name: 'postgis' });
    expect(migrations.map((m) => m.version)).toEqual([...migrations.map((m) => m.version)].sort((a, b) => a - b));
    expect(migrations.every((m) => /^[0-9a-f]{64}$/.test(m.checksum))).toBe(true);
  });

  it('rejects a misnamed file and a repeated number', () => {
    expect(() => readMigrations(migrationsWith({ 'add_things.sql': 'select 1;' }))).toThrow(
      /must look like 0001_name\.sql/,
    );
    expect(() => readMigrations(migrationsWith({ '0001_again.sql': 'select 1;' }))).toThrow(/share the number 0001/);
  });
});

describe.each(BACKENDS)('migrating on %s', (kind) => {
  let database: Database;
  beforeAll(async () => {
    database = await openTestDatabase(kind);
  });
  afterAll(async () => {
    await database?.close();
  });

  it('is a no-op when everything is applied', async () => {
    const before = await database.db.selectFrom('schema_migrations').selectAll().execute();
    const latest = readMigrations().at(-1)!.version;
    expect(await migrate(database.db)).toBe(latest);
    expect(await database.db.selectFrom('schema_migrations').selectAll().execute()).toEqual(before);
  });

  it('applies a new file in order, runs a multi-statement script, and records it', async () => {
    const dir = migrationsWith({
      '9001_things.sql': 'create table test_things (id int primary key);\ninsert into test_things values (1), (2);',
    });
    const progress: string[] = [];
    expect(
      await migrate(database.db, { dir, onProgress: (p) => progress.push(`${p.index + 1}/${p.total} ${p.name}`) }),
    ).toBe(9001);
    expect(progress).toEqual(['1/1 things']);
    const count = await sql<{ n: number }>`select count(*) as n from test_things`.execute(database.db);
    expect(count.rows[0]!.n).toBe(2);
    expect(await currentMigration(database.db)).toBe(9001);
  });

  it('rolls a failing migration back completely and records nothing', async () => {
    const dir = migrationsWith({
      '9001_things.sql': 'create table test_things (id int primary key);\ninsert into test_things values (1), (2);',
      '9002_broken.sql': 'create table test_broken (id int);\nselect 1 / 0;',
    });
    await expect(migrate(database.db, { dir })).rejects.toThrow(/division by zero/);
    expect(await tableExists(database, 'test_broken')).toBe(false);
    expect(await currentMigration(database.db)).toBe(9001);
  });

  it('refuses to run when an applied migration was edited', async () => {
    const dir = migrationsWith({ '9001_things.sql': 'create table test_things (id int primary key); -- edited' });
    await expect(migrate(database.db, { dir })).rejects.toThrow(/9001_things\.sql was edited after it was applied/);
  });

  it('refuses to run code older than the database', async () => {
    await expect(migrate(database.db)).rejects.toThrow(/migration 9001 that this code does not know/);
  });
});
