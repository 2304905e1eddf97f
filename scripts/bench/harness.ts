import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase, type Database } from '../../server/db/database.js';
import { migrate } from '../../server/db/migrate.js';

/** Percentile (0–100) of a list of numbers, by nearest rank. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

/** Milliseconds rounded to 0.01. */
export const ms = (value: number) => Math.round(value * 100) / 100;

/**
 * A database for a benchmark: the server in DATABASE_URL (whose data it may change), else a
 * fresh embedded one in a temporary folder, removed at close.
 */
export async function openBenchDatabase(log: (line: string) => void): Promise<Database> {
  const url = process.env.DATABASE_URL?.trim();
  let database: Database;
  let tempDir: string | undefined;
  if (url) {
    log('database: PostgreSQL server (DATABASE_URL)');
    database = await openDatabase({ kind: 'postgres', url });
  } else {
    tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'shanwang-bench-'));
    log(`database: embedded PGlite in ${tempDir}`);
    database = await openDatabase({ kind: 'pglite', dataDir: tempDir });
  }
  await migrate(database.db);
  return {
    ...database,
    close: async () => {
      await database.close();
      if (tempDir) fs.rmSync(tempDir, { recursive: true, force: true });
    },
  };
}

/** One benchmark: logs progress lines and returns the figures printed as the last JSON line. */
export interface Benchmark {
  summary: string;
  run(args: string[], log: (line: string) => void): Promise<Record<string, unknown>>;
}
