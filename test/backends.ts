import fs from 'node:fs';
import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { openDatabase, type Database, type DatabaseKind } from '../server/db/database.js';
import { adminQuery, testEnv, withDatabase } from './env.js';

/** Backends every database test runs on: PGlite always, the server when DATABASE_URL is set. */
export const BACKENDS: DatabaseKind[] = inject('postgresTemplate') ? ['pglite', 'postgres'] : ['pglite'];

/**
 * A fresh, migrated database of the given kind for one test file, empty or with the demo county:
 * a copy of the run's template (PGlite: loaded from the dumped data folder; server:
 * `create database … template …`).
 * `close()` drops it.
 */
export async function openTestDatabase(kind: DatabaseKind, options: { withCounty?: boolean } = {}): Promise<Database> {
  if (kind === 'pglite') {
    const dump = fs.readFileSync(inject(options.withCounty ? 'pgliteCountyTemplatePath' : 'pgliteTemplatePath'));
    return openDatabase({ kind: 'pglite', loadDataDir: new Blob([dump]) });
  }
  const copy = await copyServerTemplate(options);
  const database = await openDatabase({ kind: 'postgres', url: copy.url, maxConnections: 5 });
  return {
    ...database,
    close: async () => {
      await database.close();
      await copy.drop();
    },
  };
}

/**
 * A new database on the server copied from the run's template (`create database … template …`),
 * with its URL (for a child process) and how to drop it. Named `sw_test_<run>_…` so that the run's
 * teardown drops it if a test file crashes.
 */
export async function copyServerTemplate(
  options: { withCounty?: boolean } = {},
): Promise<{ url: string; drop: () => Promise<void> }> {
  const template = inject(options.withCounty ? 'postgresCountyTemplate' : 'postgresTemplate');
  const url = testEnv.databaseUrl;
  if (!template || !url) throw new Error('The PostgreSQL backend is not configured (DATABASE_URL).');
  const name = `sw_test_${process.ppid}_${randomBytes(5).toString('hex')}`;
  for (let attempt = 0; ; attempt++) {
    try {
      await adminQuery(url, `create database ${name} template ${template}`);
      break;
    } catch (err) {
      // Two files copying the template at the same instant can collide; wait and retry.
      if (attempt >= 10 || !/being accessed by other users/.test((err as Error).message)) throw err;
      await new Promise((resolve) => setTimeout(resolve, 200 + Math.random() * 300));
    }
  }
  return {
    url: withDatabase(url, name),
    drop: () => adminQuery(url, `drop database if exists ${name} with (force)`),
  };
}
