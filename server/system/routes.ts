import { backupsSchema, healthSchema, openApiDocumentSchema } from '../../contracts/system.js';
import type { AppContext } from '../context.js';
import { sql } from 'kysely';
import { AppError } from '../http/errors.js';
import { buildOpenApiDocument } from '../http/openapi.js';
import { ROLES } from '../auth/roles.js';
import { defineRoute, type AnyRoute } from '../http/route.js';
import { listBackups } from './backup.js';

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
      response: { description: 'The OpenAPI document.', schema: openApiDocumentSchema },
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
