import type { Kysely } from 'kysely';
import { postgisVersion } from './database.js';
import { currentMigration } from './migrate.js';
import type { DB } from './schema.js';

/** PostGIS version and schema version of an open, migrated database. */
export async function readDatabaseInfo(db: Kysely<DB>): Promise<{ postgis: string | null; migration: number }> {
  return { postgis: await postgisVersion(db), migration: await currentMigration(db) };
}
