import type { Generated } from 'kysely';

/** Tables as Kysely sees them. Each migration that adds a table adds its interface here. */
export interface SchemaMigrationsTable {
  version: number;
  name: string;
  checksum: string;
  applied_at: Generated<Date>;
}

export interface DB {
  schema_migrations: SchemaMigrationsTable;
}
