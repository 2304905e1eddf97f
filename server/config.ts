import path from 'node:path';
import { z } from 'zod';
import { parseInterval } from './system/backup.js';

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
  /**
   * Express's `trust proxy` for a reverse proxy in front (false: none, and X-Forwarded-* headers
   * are ignored: a client could otherwise name any address and dodge the login throttle).
   */
  trustProxy: boolean | number | string;
  /** Public origin of the app behind a proxy (e.g. `https://shanwang.example.gov.cn`); unset: URLs are relative. */
  publicUrl: string | undefined;
  /** Folder of the scheduled backups; unset: the server makes none. */
  backupDir: string | undefined;
  /** Time between scheduled backups. */
  backupEveryMs: number;
  /** How many scheduled backups to keep (the oldest are deleted). */
  backupKeep: number;
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
  TRUST_PROXY: z
    .string()
    .optional()
    .transform((value) => parseTrustProxy(value)),
  PUBLIC_URL: z
    .string()
    .optional()
    .transform((value) => (value && value.trim() !== '' ? value.trim().replace(/\/+$/, '') : undefined))
    .refine((value) => value === undefined || /^https?:\/\/[^/?#\s]+(\/[^?#\s]*)?$/.test(value), {
      message: 'PUBLIC_URL must be an http(s) URL such as https://shanwang.example.gov.cn',
    }),
  BACKUP_DIR: z
    .string()
    .optional()
    .transform((value) => (value && value.trim() !== '' ? value.trim() : undefined)),
  BACKUP_EVERY: z
    .string()
    .default('24h')
    .refine((value) => parseInterval(value) !== null, { message: 'BACKUP_EVERY must look like 24h, 6h, 30m or 1d' }),
  BACKUP_KEEP: z.coerce.number().int().min(1).default(7),
});

/**
 * TRUST_PROXY as Express takes it: unset, empty, `0` or `false` trust no proxy; `true` every hop;
 * a number that many hops; anything else a list of addresses or subnets (`loopback`, `10.0.0.0/8`).
 */
export function parseTrustProxy(value: string | undefined): boolean | number | string {
  const text = value?.trim() ?? '';
  if (text === '' || text === '0' || text === 'false') return false;
  if (text === 'true') return true;
  if (/^\d+$/.test(text)) return Number(text);
  return text;
}

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
    trustProxy: e.TRUST_PROXY,
    publicUrl: e.PUBLIC_URL,
    backupDir: e.BACKUP_DIR ? path.resolve(e.BACKUP_DIR) : undefined,
    backupEveryMs: parseInterval(e.BACKUP_EVERY)!,
    backupKeep: e.BACKUP_KEEP,
  };
}
