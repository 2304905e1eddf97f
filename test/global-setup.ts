import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
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
import { ensureWebBuild, webBuildIsStale } from '../scripts/web-build.js';
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

/** Where the demo model and the PGlite templates are cached (TEST_CACHE_DIR: another folder, e.g. to time a cold start). */
const CACHE_DIR = path.resolve(process.env.TEST_CACHE_DIR || 'node_modules/.cache/shanwang');

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

/** The cache file of the demo county model, keyed by the generator and its sources. */
function demoModelFile(): string {
  return path.join(CACHE_DIR, `demo-model-${hashOf(MODEL_INPUTS, [DEMO_SEED, process.version])}.v8`);
}

/** The file of the demo county model, generated once and cached until the generator or its sources change. */
function demoModelPath(): string {
  const file = demoModelFile();
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

/** The cache files of the two PGlite templates (migrated, then with the demo county), keyed by what makes them. */
function pgliteTemplateFiles(): { empty: string; county: string } {
  const file = (withCounty: boolean) => {
    const inputs = ['migrations', ...(withCounty ? [...MODEL_INPUTS, 'server/county/load.ts', ...DEMO_EXTRAS] : [])];
    const key = hashOf(inputs, [...pgliteVersions, ...readMigrations().map((m) => m.checksum), DEMO_SEED]);
    return path.join(CACHE_DIR, `pglite-${withCounty ? 'county' : 'empty'}-${key}.tar.gz`);
  };
  return { empty: file(false), county: file(true) };
}

/**
 * The PGlite templates, cached: one database is migrated and dumped, then gets the demo county
 * (once `model` is ready) and is dumped again. Making them costs minutes, loading one ~2–4 s.
 */
async function preparePglite(model: Promise<unknown>): Promise<{ empty: string; county: string }> {
  const files = pgliteTemplateFiles();
  if (fs.existsSync(files.empty) && fs.existsSync(files.county)) return files;
  const dump = async (database: Database, file: string) =>
    writeCache(file, new Uint8Array(await (await database.dump!()).arrayBuffer()));
  const database = fs.existsSync(files.empty)
    ? await openDatabase({ kind: 'pglite', loadDataDir: new Blob([fs.readFileSync(files.empty)]) })
    : await openDatabase({ kind: 'pglite' });
  try {
    if (!fs.existsSync(files.empty)) {
      await migrate(database.db);
      await dump(database, files.empty);
    }
    if (!fs.existsSync(files.county)) {
      await model;
      await loadDemo(database);
      await dump(database, files.county);
    }
    return files;
  } finally {
    await database.close();
  }
}

/** The migrated template database on the server, then its copy with the demo county. */
async function preparePostgres(url: string, empty: string, county: string): Promise<void> {
  await adminQuery(url, `create database ${empty}`);
  let database: Database = await openDatabase({ kind: 'postgres', url: withDatabase(url, empty), maxConnections: 1 });
  try {
    await migrate(database.db);
  } finally {
    await database.close();
  }
  await adminQuery(url, `create database ${county} template ${empty}`);
  database = await openDatabase({ kind: 'postgres', url: withDatabase(url, county), maxConnections: 1 });
  try {
    await loadDemo(database);
  } finally {
    await database.close();
  }
}

/**
 * The set-up's long steps run side by side on separate cores: this file run as a child process
 * (`node --import tsx test/global-setup.ts <CHILD> <step> …`) does one step and exits.
 */
const CHILD = '--test-setup-step';

function runChild(step: string, ...args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), CHILD, step, ...args], {
      stdio: ['ignore', 'inherit', 'inherit'],
      env: { ...process.env, TEST_CACHE_DIR: CACHE_DIR },
    });
    child.once('error', reject);
    child.once('exit', (code, signal) =>
      code === 0 ? resolve() : reject(new Error(`test set-up step ${step} failed (${signal ?? `exit code ${code}`})`)),
    );
  });
}

async function childStep(step: string | undefined, args: string[]): Promise<void> {
  if (step === 'web') await ensureWebBuild(() => {});
  else if (step === 'model') demoModelPath();
  else if (step === 'postgres') await preparePostgres(args[0]!, args[1]!, args[2]!);
  else throw new Error(`unknown test set-up step ${step}`);
}

if (process.argv[2] === CHILD) {
  childStep(process.argv[3], process.argv.slice(4)).then(
    () => process.exit(0),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
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

/** Seconds since `start`, to 0.1 s. */
const secondsSince = (start: number) => (Math.round((performance.now() - start) / 100) / 10).toFixed(1);

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const start = performance.now();
  const times: string[] = [];
  const timed = <T>(what: string, work: Promise<T>): Promise<T> =>
    work.then((value) => {
      times.push(`${what} ${secondsSince(start)} s`);
      return value;
    });
  // Side by side: the web build and the demo model in child processes; the PGlite templates here
  // (PGlite runs in its own thread); the server's templates in a child once the model is there.
  const webBuild = webBuildIsStale() ? timed('web build', runChild('web')) : Promise.resolve();
  const modelFile = demoModelFile();
  const model = fs.existsSync(modelFile) ? Promise.resolve() : timed('demo model', runChild('model'));
  const pglite = timed('PGlite templates', preparePglite(model));

  const templates: string[] = [];
  let postgres: Promise<void> = Promise.resolve();
  if (testEnv.databaseUrl) {
    const url = testEnv.databaseUrl;
    const suffix = `${process.pid}_${Date.now().toString(36)}`;
    templates.push(`shanwang_tpl_${suffix}`, `shanwang_tplc_${suffix}`);
    postgres = timed(
      'PostgreSQL templates',
      model.then(() => runChild('postgres', url, templates[0]!, templates[1]!)),
    );
  } else if (testEnv.requirePostgis) {
    throw new Error('REQUIRE_POSTGIS=1 but DATABASE_URL is not set: the PostgreSQL/PostGIS backend cannot be tested.');
  }
  const steps = await Promise.allSettled([webBuild, model, pglite, postgres]);
  const failed = steps.find((step) => step.status === 'rejected');
  if (failed) {
    if (testEnv.databaseUrl) await dropPostgres(testEnv.databaseUrl, templates).catch(() => {});
    if (steps[3].status === 'rejected')
      throw new Error(
        `DATABASE_URL is set but the PostgreSQL/PostGIS test database cannot be prepared: ${(steps[3].reason as Error).message}`,
        { cause: steps[3].reason },
      );
    throw failed.reason;
  }
  const files = await pglite;
  console.warn(`Test set-up ${secondsSince(start)} s (each step done at: ${times.join(', ')})`);

  project.provide('demoModelPath', modelFile);
  project.provide('pgliteTemplatePath', files.empty);
  project.provide('pgliteCountyTemplatePath', files.county);
  project.provide('postgresTemplate', templates[0] ?? '');
  project.provide('postgresCountyTemplate', templates[1] ?? '');

  return async () => {
    if (testEnv.databaseUrl && templates.length > 0) await dropPostgres(testEnv.databaseUrl, templates);
  };
}
