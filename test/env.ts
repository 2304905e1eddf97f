import pg from 'pg';

/** Test switches, read from the environment (see README). */
export const testEnv = {
  /** PostgreSQL server for the second backend; the suite also runs there when set. */
  databaseUrl: process.env.DATABASE_URL?.trim() || undefined,
  /** Fail, instead of skipping, when the PostgreSQL/PostGIS server is missing. */
  requirePostgis: process.env.REQUIRE_POSTGIS === '1',
  /** Fail, instead of skipping, when Chromium is missing. */
  requireBrowser: process.env.REQUIRE_BROWSER === '1',
  /** Chromium executable for browser tests. */
  chromiumPath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
};

/** Connection string of the same server with another database name. */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/** Run one statement on the server as the test role (create/drop databases). */
export async function adminQuery(url: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}
