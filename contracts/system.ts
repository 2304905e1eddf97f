/** The system API: health, scheduled backups and the OpenAPI document of the whole API. */
import { z } from 'zod';
import { roleSchema } from './auth.js';
import { jsonValueSchema } from './json.js';

export const healthSchema = z.object({
  status: z.literal('ok'),
  db: z.enum(['pglite', 'postgres']),
  postgis: z.string().describe('PostGIS library version'),
  migration: z.number().int().describe('Latest applied migration'),
  version: z.string().describe('Application version'),
});
export type Health = z.infer<typeof healthSchema>;

export const backupSchema = z.object({
  file: z.string().describe('File name in BACKUP_DIR'),
  bytes: z.number().int(),
  createdAt: z.string().describe('When the backup was taken (ISO 8601)'),
  backend: z.enum(['pglite', 'postgres']),
  migration: z.number().int(),
  appVersion: z.string(),
});
export type Backup = z.infer<typeof backupSchema>;

export const backupsSchema = z.object({
  scheduled: z.boolean().describe('Whether BACKUP_DIR is set'),
  everyMinutes: z.number().nullable(),
  keep: z.number().int().nullable(),
  running: z.boolean().describe('A scheduled backup is being written now'),
  lastError: z.object({ at: z.string(), message: z.string() }).nullable().describe('The last scheduled backup failed'),
  newest: backupSchema.nullable(),
  backups: z.array(backupSchema).describe('Newest first'),
});
export type Backups = z.infer<typeof backupsSchema>;

/** A JSON Schema (draft 2020-12) inside the OpenAPI document: itself free JSON. */
const jsonSchemaSchema = z.record(z.string(), jsonValueSchema);
const mediaTypesSchema = z.record(z.string(), z.object({ schema: jsonSchemaSchema.optional() }));

const operationSchema = z.object({
  summary: z.string(),
  tags: z.array(z.string()),
  operationId: z.string(),
  'x-access': z.union([z.literal('public'), z.array(roleSchema)]).describe('Who may call the operation'),
  parameters: z.array(
    z.object({
      name: z.string(),
      in: z.enum(['path', 'query']),
      required: z.boolean(),
      description: z.string().optional(),
      schema: jsonSchemaSchema,
    }),
  ),
  requestBody: z
    .object({ required: z.boolean(), description: z.string().optional(), content: mediaTypesSchema })
    .optional(),
  responses: z.record(z.string(), z.object({ description: z.string(), content: mediaTypesSchema.optional() })),
});

/** `GET /api/openapi.json`: the OpenAPI 3.1 document of every route. */
export const openApiDocumentSchema = z.object({
  openapi: z.literal('3.1.0'),
  info: z.object({ title: z.string(), version: z.string(), description: z.string() }),
  paths: z.record(z.string(), z.partialRecord(z.enum(['get', 'post', 'put', 'patch', 'delete']), operationSchema)),
  components: z.object({ schemas: z.record(z.string(), jsonSchemaSchema) }),
});
export type OpenApiDocument = z.infer<typeof openApiDocumentSchema>;
