import path from 'node:path';
import { z } from 'zod';

/** Runtime settings, read once from the environment. */
export interface Config {
  /** TCP port of the HTTP server. */
  port: number;
  /** Host/interface to bind. */
  host: string;
  /** Folder of the embedded database (PGlite) when no server is configured. */
  dataDir: string;
  /** PostgreSQL/PostGIS connection string; when set, the server backend is used. */
  databaseUrl: string | undefined;
  /** pino log level. */
  logLevel: string;
  /** Folder of the built web app. */
  webDir: string;
  /** Generate and load the demo county when the database has no county. */
  loadDemo: boolean;
}

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATA_DIR: z.string().min(1).default('.data'),
  DATABASE_URL: z
    .string()
    .optional()
    .transform((value) => (value && value.trim() !== '' ? value : undefined)),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  WEB_DIR: z.string().min(1).default('dist/web'),
  DEMO_COUNTY: z.enum(['0', '1']).default('1'),
});

/** Parse the environment into a Config; throws a readable error on a bad value. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`Invalid environment: ${problems.join('; ')}`);
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: path.resolve(e.DATA_DIR),
    databaseUrl: e.DATABASE_URL,
    logLevel: e.LOG_LEVEL,
    webDir: path.resolve(e.WEB_DIR),
    loadDemo: e.DEMO_COUNTY === '1',
  };
}
