import { z } from 'zod';
import type { AppContext } from '../context.js';
import { sql } from 'kysely';
import { AppError } from '../http/errors.js';
import { buildOpenApiDocument } from '../http/openapi.js';
import { ROLES } from '../auth/roles.js';
import { defineRoute, type AnyRoute } from '../http/route.js';
import { listBackups } from './backup.js';

export const healthSchema = z.object({
  status: z.literal('ok'),
  db: z.enum(['pglite', 'postgres']),
  postgis: z.string().describe('PostGIS library version'),
  migration: z.number().int().describe('Latest applied migration'),
  version: z.string().describe('Application version'),
});

const backupSchema = z.object({
  file: z.string().describe('File name in BACKUP_DIR'),
  bytes: z.number().int(),
  createdAt: z.string().describe('When the backup was taken (ISO 8601)'),
  backend: z.enum(['pglite', 'postgres']),
  migration: z.number().int(),
  appVersion: z.string(),
});

export const backupsSchema = z.object({
  scheduled: z.boolean().describe('Whether BACKUP_DIR is set'),
  everyMinutes: z.number().nullable(),
  keep: z.number().int().nullable(),
  running: z.boolean().describe('A scheduled backup is being written now'),
  lastError: z.object({ at: z.string(), message: z.string() }).nullable().describe('The last scheduled backup failed'),
  newest: backupSchema.nullable(),
  backups: z.array(backupSchema).describe('Newest first'),
});

/** Health and the API's own description. `allRoutes` is read when the document is asked for. */
export function systemRoutes(ctx: AppContext, allRoutes: () => readonly AnyRoute[]): AnyRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/api/health',
      summary: 'Is the service up, and on which database',
      tags: ['system'],
      access: 'public',
      response: { description: 'The service and its database are working.', schema: healthSchema },
      handler: async () => {
        const { db, kind } = ctx.database;
        const { postgis, migration } = ctx.databaseInfo;
        if (!postgis) throw new AppError(503, 'unavailable', 'PostGIS is not installed in the database.');
        // A server can go away; the embedded database lives in this process and may be busy
        // with a long transaction (loading a county), so it is not queried here.
        if (kind === 'postgres') {
          await sql`select 1`.execute(db).catch((err: unknown) => {
            throw new AppError(503, 'unavailable', `The database does not answer: ${(err as Error).message}`);
          });
        }
        return { status: 'ok' as const, db: kind, postgis, migration, version: ctx.version };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/openapi.json',
      summary: 'This API described as OpenAPI 3.1',
      tags: ['system'],
      access: ROLES,
      response: { description: 'The OpenAPI document.', schema: z.record(z.string(), z.unknown()) },
      handler: () => buildOpenApiDocument(allRoutes(), ctx.version),
    }),
    defineRoute({
      method: 'get',
      path: '/api/system/backups',
      summary: 'The scheduled backups in BACKUP_DIR, newest first',
      tags: ['system'],
      access: ['admin'],
      response: { description: 'The backups and the schedule.', schema: backupsSchema },
      handler: () => {
        const { backupDir, backupEveryMs, backupKeep } = ctx.config;
        const backups = backupDir ? listBackups(backupDir) : [];
        return {
          scheduled: Boolean(backupDir),
          everyMinutes: backupDir && backupEveryMs ? backupEveryMs / 60_000 : null,
          keep: backupDir ? (backupKeep ?? null) : null,
          running: ctx.backupStatus.running,
          lastError: ctx.backupStatus.lastError,
          newest: backups[0] ?? null,
          backups,
        };
      },
    }),
  ];
}
