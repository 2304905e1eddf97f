import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, copyServerTemplate, openTestDatabase } from '../../test/backends.js';
import { createTestUser, listenOnLoopback, loginOverHttp, readAnswer } from '../../test/http.js';
import { createApp } from '../app.js';
import { openAppContext } from '../context.js';
import { openDatabase, type Database } from '../db/database.js';
import { createLogger } from '../logger.js';
import type { DB } from '../db/schema.js';
import { backupDatabase, listBackups, parseInterval, restoreBackup, type RestoreTarget } from './backup.js';

/** Every table's row count and an md5 of its rows in order, and every sequence's position. */
async function signature(db: Kysely<DB>): Promise<Record<string, string>> {
  const tables = await sql<{ name: string }>`
    select table_name as name from information_schema.tables
    where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name`.execute(db);
  const result: Record<string, string> = {};
  for (const { name } of tables.rows) {
    const row = await sql<{ n: number; sum: string }>`
      select count(*)::int as n, md5(coalesce(string_agg(t::text, E'\n' order by t::text), '')) as sum
      from ${sql.table(name)} t`.execute(db);
    result[name] = `${row.rows[0]!.n} ${row.rows[0]!.sum}`;
  }
  const sequences = await sql<{ name: string; last: number | null }>`
    select sequencename as name, last_value as last from pg_sequences where schemaname = 'public'`.execute(db);
  for (const { name, last } of sequences.rows) result[`sequence ${name}`] = String(last);
  return result;
}

describe('backup intervals', () => {
  it('reads minutes, hours and days, and nothing else', () => {
    expect([parseInterval('30m'), parseInterval('6h'), parseInterval('24h'), parseInterval('1d')]).toEqual([
      1_800_000, 21_600_000, 86_400_000, 86_400_000,
    ]);
    expect([parseInterval('0h'), parseInterval('6'), parseInterval('1w'), parseInterval('-1h')]).toEqual([
      null,
      null,
      null,
      null,
    ]);
  });
});

describe.each(BACKENDS)('backup and restore on %s', (kind) => {
  let source: Database;
  let sourceUrl: string | undefined;
  let target: RestoreTarget;
  const drops: (() => Promise<void>)[] = [];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shanwang-backup-'));
  const backupFile = path.join(dir, 'demo.shanwang-backup');

  const openTarget = () =>
    target.kind === 'pglite'
      ? openDatabase({ kind: 'pglite', dataDir: target.dataDir })
      : openDatabase({ kind: 'postgres', url: target.url, maxConnections: 2 });

  beforeAll(async () => {
    if (kind === 'pglite') {
      source = await openTestDatabase('pglite', { withCounty: true });
      target = { kind: 'pglite', dataDir: path.join(dir, 'data') };
    } else {
      const copy = await copyServerTemplate({ withCounty: true });
      drops.push(copy.drop);
      sourceUrl = copy.url;
      source = await openDatabase({ kind: 'postgres', url: copy.url, maxConnections: 2 });
      const empty = await copyServerTemplate();
      drops.push(empty.drop);
      target = { kind: 'postgres', url: empty.url };
    }
  });
  afterAll(async () => {
    await source?.close();
    for (const drop of drops) await drop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('restores the demo county into a fresh database with every table equal', async () => {
    const backup = await backupDatabase(source, { out: backupFile, ...(sourceUrl ? { url: sourceUrl } : {}) });
    expect(backup.header.backend).toBe(kind);
    expect(listBackups(dir).map((b) => b.file)).toEqual(['demo.shanwang-backup']);
    expect(fs.readdirSync(dir).filter((name) => name.startsWith('.'))).toEqual([]);

    await restoreBackup(target, backupFile);
    const restored = await openTarget();
    try {
      const [before, after] = [await signature(source.db), await signature(restored.db)];
      expect(Number(before.households!.split(' ')[0])).toBeGreaterThan(50_000);
      expect(after).toEqual(before);
    } finally {
      await restored.close();
    }
  }, 600_000);

  it('refuses a file that is not a backup, a damaged one and one from a newer schema', async () => {
    const bytes = fs.readFileSync(backupFile);
    const newline = bytes.indexOf(10, bytes.indexOf(10) + 1);
    const variant = (name: string, content: Uint8Array) => {
      const file = path.join(dir, name);
      fs.writeFileSync(file, content);
      return file;
    };
    const notOurs = variant('not-ours', Buffer.concat([Buffer.from('PGDMP'), bytes.subarray(5)]));
    const flipped = Buffer.from(bytes);
    flipped[newline + 1000] = flipped[newline + 1000]! ^ 0xff;
    const damaged = variant('damaged', flipped);
    const truncated = variant('truncated', bytes.subarray(0, bytes.length - 10));
    const header = JSON.parse(bytes.subarray(bytes.indexOf(10) + 1, newline).toString('utf8')) as { migration: number };
    const newer = variant(
      'newer',
      Buffer.concat([
        Buffer.from(`SHANWANG-BACKUP 1\n${JSON.stringify({ ...header, migration: header.migration + 1000 })}`),
        bytes.subarray(newline),
      ]),
    );
    await expect(restoreBackup(target, notOurs, { force: true })).rejects.toThrow(/is not a Shanwang backup/);
    await expect(restoreBackup(target, damaged, { force: true })).rejects.toThrow(/checksum does not match/);
    await expect(restoreBackup(target, truncated, { force: true })).rejects.toThrow(/truncated/);
    await expect(restoreBackup(target, newer, { force: true })).rejects.toThrow(/newer schema \(migration \d+/);
  });

  it('refuses a target holding a county unless forced, and then replaces it', async () => {
    const restored = await openTarget();
    try {
      await sql`update counties set name = 'changed after the backup'`.execute(restored.db);
    } finally {
      await restored.close();
    }
    await expect(restoreBackup(target, backupFile)).rejects.toThrow(/holds data .* --force/);
    const untouched = await openTarget();
    try {
      const names = await sql<{ name: string }>`select distinct name from counties`.execute(untouched.db);
      expect(names.rows).toEqual([{ name: 'changed after the backup' }]);
    } finally {
      await untouched.close();
    }

    await restoreBackup(target, backupFile, { force: true });
    const replaced = await openTarget();
    try {
      expect(await signature(replaced.db)).toEqual(await signature(source.db));
    } finally {
      await replaced.close();
    }
    if (target.kind === 'pglite') {
      // The old folder was kept beside the new one only until the swap succeeded.
      expect(fs.readdirSync(dir).filter((name) => name.startsWith('data.'))).toEqual([]);
    }
  }, 600_000);

  it('lists the backups of BACKUP_DIR to admins only, newest first', async () => {
    const ctx = await openAppContext(source, {
      logger: createLogger('silent'),
      webDir: path.resolve('dist/web'),
      backupDir: dir,
      backupEveryMs: 6 * 3_600_000,
      backupKeep: 3,
    });
    const { server, baseUrl } = await listenOnLoopback(createApp(ctx));
    try {
      const login = async (role: 'admin' | 'planner') => {
        const user = await createTestUser(source, role);
        return loginOverHttp(baseUrl, user.username, user.password);
      };
      const admin = await readAnswer<{ scheduled: boolean; everyMinutes: number; keep: number; newest: unknown }>(
        await (await login('admin')).fetch('/api/system/backups'),
      );
      expect(admin.status).toBe(200);
      expect(admin.body).toMatchObject({
        scheduled: true,
        everyMinutes: 360,
        keep: 3,
        newest: { file: 'demo.shanwang-backup', backend: kind },
      });
      expect((await (await login('planner')).fetch('/api/system/backups')).status).toBe(403);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
