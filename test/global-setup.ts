import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../server/db/database.js';
import { migrate, readMigrations } from '../server/db/migrate.js';
import { ensureWebBuild } from '../scripts/web-build.js';
import { testEnv, withDatabase } from './env.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A gzipped PGlite data folder, migrated: each test file loads its own copy. */
    pgliteTemplatePath: string;
    /** A migrated template database on the server, or '' when the server is not used. */
    postgresTemplate: string;
  }
}

/**
 * The migrated PGlite template, cached in node_modules/.cache by a hash of the migrations and the
 * PGlite versions: creating it costs ~15 s, loading it ~2 s.
 */
async function preparePglite(): Promise<string> {
  const hash = createHash('sha256');
  for (const migration of readMigrations()) hash.update(migration.checksum);
  for (const pkg of ['@electric-sql/pglite', '@electric-sql/pglite-postgis']) {
    hash.update(JSON.parse(fs.readFileSync(`node_modules/${pkg}/package.json`, 'utf8')).version);
  }
  const cacheDir = path.resolve('node_modules/.cache/shanwang');
  const file = path.join(cacheDir, `pglite-template-${hash.digest('hex').slice(0, 16)}.tar.gz`);
  if (fs.existsSync(file)) return file;
  const database = await openDatabase({ kind: 'pglite' });
  try {
    await migrate(database.db);
    const dump = await database.pglite!.dumpDataDir('gzip');
    fs.mkdirSync(cacheDir, { recursive: true });
    // Write then rename, so a parallel run never reads half a file.
    const partial = `${file}.${process.pid}.partial`;
    fs.writeFileSync(partial, Buffer.from(await dump.arrayBuffer()));
    fs.renameSync(partial, file);
    return file;
  } finally {
    await database.close();
  }
}

async function preparePostgres(url: string): Promise<{ template: string; drop: () => Promise<void> }> {
  const template = `shanwang_tpl_${process.pid}_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query(`create database ${template}`);
  } finally {
    await admin.end();
  }
  const database = await openDatabase({ kind: 'postgres', url: withDatabase(url, template), maxConnections: 1 });
  try {
    await migrate(database.db);
  } finally {
    await database.close();
  }
  return {
    template,
    drop: async () => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        // Test files drop their own databases; drop any a crashed file left behind, then the template.
        const left = await client.query<{ datname: string }>(`select datname from pg_database where datname like $1`, [
          `sw_test_${process.pid}_%`,
        ]);
        for (const row of left.rows) await client.query(`drop database if exists ${row.datname} with (force)`);
        await client.query(`drop database if exists ${template} with (force)`);
      } finally {
        await client.end();
      }
    },
  };
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  await ensureWebBuild(() => {});
  project.provide('pgliteTemplatePath', await preparePglite());

  let dropPostgres: (() => Promise<void>) | undefined;
  if (testEnv.databaseUrl) {
    try {
      const prepared = await preparePostgres(testEnv.databaseUrl);
      project.provide('postgresTemplate', prepared.template);
      dropPostgres = prepared.drop;
    } catch (err) {
      throw new Error(
        `DATABASE_URL is set but the PostgreSQL/PostGIS test database cannot be prepared: ${(err as Error).message}`,
        {
          cause: err,
        },
      );
    }
  } else if (testEnv.requirePostgis) {
    throw new Error('REQUIRE_POSTGIS=1 but DATABASE_URL is not set: the PostgreSQL/PostGIS backend cannot be tested.');
  } else {
    project.provide('postgresTemplate', '');
  }

  return async () => {
    await dropPostgres?.();
  };
}
