import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../server/db/database.js';
import { migrate } from '../server/db/migrate.js';
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

async function preparePglite(dir: string): Promise<string> {
  const database = await openDatabase({ kind: 'pglite' });
  try {
    await migrate(database.db);
    const dump = await database.pglite!.dumpDataDir('gzip');
    const file = path.join(dir, 'pglite-template.tar.gz');
    fs.writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
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
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shanwang-test-'));
  await ensureWebBuild(() => {});
  project.provide('pgliteTemplatePath', await preparePglite(dir));

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
    fs.rmSync(dir, { recursive: true, force: true });
  };
}
