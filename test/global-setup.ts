import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import v8 from 'node:v8';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { DEMO_SEED } from '../server/county/demo.js';
import { generateCounty } from '../server/county/generate/index.js';
import { loadCountyModel } from '../server/county/load.js';
import { seedDemoGridPlan } from '../server/grids/demo.js';
import { seedDemoHoliday } from '../server/holidays/demo.js';
import { seedDemoVisits } from '../server/policing/demo-visits.js';
import type { CountyModel } from '../server/county/model.js';
import { readTaishunSources } from '../server/county/sources.js';
import { openDatabase, type Database } from '../server/db/database.js';
import { migrate, readMigrations } from '../server/db/migrate.js';
import { ensureWebBuild } from '../scripts/web-build.js';
import { adminQuery, testEnv, withDatabase } from './env.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Gzipped PGlite data folders, migrated, without and with the demo county: each test file loads its own copy. */
    pgliteTemplatePath: string;
    pgliteCountyTemplatePath: string;
    /** Migrated template databases on the server, without and with the demo county; '' when the server is not used. */
    postgresTemplate: string;
    postgresCountyTemplate: string;
    /** The generated demo county model (v8-serialised), for tests that check the generator's output. */
    demoModelPath: string;
  }
}

const CACHE_DIR = path.resolve('node_modules/.cache/shanwang');

/** A hash of files and folders' contents (sorted), for cache keys. */
function hashOf(parts: string[], extra: string[] = []): string {
  const hash = createHash('sha256');
  const visit = (target: string) => {
    if (!fs.existsSync(target)) return;
    if (fs.statSync(target).isDirectory()) {
      for (const entry of fs.readdirSync(target).sort()) {
        if (!entry.endsWith('.test.ts')) visit(path.join(target, entry));
      }
    } else {
      hash.update(target);
      hash.update(fs.readFileSync(target));
    }
  };
  for (const part of parts) visit(path.resolve(part));
  for (const value of extra) hash.update(value);
  return hash.digest('hex').slice(0, 16);
}

const pgliteVersions = ['@electric-sql/pglite', '@electric-sql/pglite-postgis'].map(
  (pkg) => (JSON.parse(fs.readFileSync(`node_modules/${pkg}/package.json`, 'utf8')) as { version: string }).version,
);
const MODEL_INPUTS = [
  'server/county/generate',
  'server/lib',
  'server/county/sources.ts',
  'server/county/model.ts',
  'gis-data/sources',
];
/** What else goes into the demo database after the model: the visit record, made with the routing engine. */
const DEMO_EXTRAS = ['server/policing', 'server/routing', 'server/holidays', 'server/grids'];

/** Write then rename, so a parallel run never reads half a file. */
function writeCache(file: string, bytes: Uint8Array): void {
  fs.mkdirSync(CACHE_DIR, { recursive: true });
  const partial = `${file}.${process.pid}.partial`;
  fs.writeFileSync(partial, bytes);
  fs.renameSync(partial, file);
}

/** The file of the demo county model, generated once and cached until the generator or its sources change. */
function demoModelPath(): string {
  const file = path.join(CACHE_DIR, `demo-model-${hashOf(MODEL_INPUTS, [DEMO_SEED, process.version])}.v8`);
  if (!fs.existsSync(file)) {
    const { model } = generateCounty(readTaishunSources(), { seed: DEMO_SEED });
    writeCache(file, v8.serialize(model));
  }
  return file;
}

function demoModel(): CountyModel {
  return v8.deserialize(fs.readFileSync(demoModelPath())) as CountyModel;
}

/** The demo county as `npm start` loads it: the model, then the demo's visit record. */
async function loadDemo(database: Database): Promise<void> {
  const model = demoModel();
  await loadCountyModel(database.db, model);
  await seedDemoVisits(database.db, model.county.code, DEMO_SEED);
  await seedDemoHoliday(database.db, model.county.code, DEMO_SEED);
  await seedDemoGridPlan(database.db, model.county.code);
}

/**
 * A PGlite template (migrated, optionally with the demo county), cached by a hash of what makes
 * it: creating one costs 15–40 s, loading it ~2–4 s.
 */
async function preparePglite(withCounty: boolean): Promise<string> {
  const inputs = ['migrations', ...(withCounty ? [...MODEL_INPUTS, 'server/county/load.ts', ...DEMO_EXTRAS] : [])];
  const key = hashOf(inputs, [...pgliteVersions, ...readMigrations().map((m) => m.checksum), DEMO_SEED]);
  const file = path.join(CACHE_DIR, `pglite-${withCounty ? 'county' : 'empty'}-${key}.tar.gz`);
  if (fs.existsSync(file)) return file;
  const database = await openDatabase({ kind: 'pglite' });
  try {
    await migrate(database.db);
    if (withCounty) await loadDemo(database);
    const dump = await database.dump!();
    writeCache(file, new Uint8Array(await dump.arrayBuffer()));
    return file;
  } finally {
    await database.close();
  }
}

/** A migrated template database on the server, optionally with the demo county. */
async function preparePostgres(url: string, name: string, withCounty: boolean): Promise<void> {
  await adminQuery(url, `create database ${name}`);
  const database: Database = await openDatabase({ kind: 'postgres', url: withDatabase(url, name), maxConnections: 1 });
  try {
    await migrate(database.db);
    if (withCounty) await loadDemo(database);
  } finally {
    await database.close();
  }
}

async function dropPostgres(url: string, templates: string[]): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    // Test files drop their own databases; drop any a crashed file left behind, then the templates.
    const left = await client.query<{ datname: string }>(`select datname from pg_database where datname like $1`, [
      `sw_test_${process.pid}_%`,
    ]);
    for (const row of left.rows) await client.query(`drop database if exists ${row.datname} with (force)`);
    for (const template of templates) await client.query(`drop database if exists ${template} with (force)`);
  } finally {
    await client.end();
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  await ensureWebBuild(() => {});
  project.provide('demoModelPath', demoModelPath());
  project.provide('pgliteTemplatePath', await preparePglite(false));
  project.provide('pgliteCountyTemplatePath', await preparePglite(true));

  const templates: string[] = [];
  if (testEnv.databaseUrl) {
    const url = testEnv.databaseUrl;
    const suffix = `${process.pid}_${Date.now().toString(36)}`;
    try {
      for (const [name, withCounty] of [
        [`shanwang_tpl_${suffix}`, false],
        [`shanwang_tplc_${suffix}`, true],
      ] as const) {
        templates.push(name);
        await preparePostgres(url, name, withCounty);
      }
    } catch (err) {
      await dropPostgres(url, templates).catch(() => {});
      throw new Error(
        `DATABASE_URL is set but the PostgreSQL/PostGIS test database cannot be prepared: ${(err as Error).message}`,
        { cause: err },
      );
    }
    project.provide('postgresTemplate', templates[0]!);
    project.provide('postgresCountyTemplate', templates[1]!);
  } else if (testEnv.requirePostgis) {
    throw new Error('REQUIRE_POSTGIS=1 but DATABASE_URL is not set: the PostgreSQL/PostGIS backend cannot be tested.');
  } else {
    project.provide('postgresTemplate', '');
    project.provide('postgresCountyTemplate', '');
  }

  return async () => {
    if (testEnv.databaseUrl && templates.length > 0) await dropPostgres(testEnv.databaseUrl, templates);
  };
}
