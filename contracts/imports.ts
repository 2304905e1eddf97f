/** The import API (/api/imports…): a county's own layer file in, a report (or a preview) out. */
import { z } from 'zod';
import { geometrySchema, jsonValueSchema } from './json.js';

export const IMPORT_LAYERS = [
  'townships',
  'villages',
  'households',
  'roads',
  'stations',
  'events',
  'bus_stops',
  'war_zones',
  'officers',
] as const;
export const IMPORT_MODES = ['append', 'replace'] as const;
const encodingSchema = z.enum(['utf-8', 'gbk', 'gb18030']);

export const importProblemSchema = z.object({
  index: z.number().int().describe('0-based position of the feature (or CSV data row); -1 for the whole file'),
  code: z.string().optional(),
  field: z.string().optional(),
  reason: z.string(),
  severity: z.enum(['error', 'warning']),
});
export type ImportProblem = z.infer<typeof importProblemSchema>;

/** `POST /api/imports` (201; 422 with this report as the error's details when rejected). */
export const importReportSchema = z.object({
  accepted: z.boolean(),
  layer: z.enum(IMPORT_LAYERS),
  crs: z.string().nullable().describe('wgs84, cgcs2000, gcj02, bd09 or EPSG:<code>'),
  encoding: encodingSchema.nullable(),
  counts: z.object({
    features: z.number().int(),
    imported: z.number().int(),
    repaired: z.number().int(),
    rejected: z.number().int(),
    estimated: z
      .number()
      .int()
      .optional()
      .describe("households given without coordinates, placed along their village's roads"),
  }),
  problems: z.array(importProblemSchema),
});
export type ImportReport = z.infer<typeof importReportSchema>;

/** `POST /api/imports/preview`: what the file holds and how it would be read; nothing is written. */
export const importPreviewSchema = z.object({
  layer: z.enum(IMPORT_LAYERS),
  format: z.enum(['geojson', 'csv', 'shapefile', 'geopackage', 'xlsx']).nullable(),
  encoding: encodingSchema.nullable(),
  encodingSource: z.enum(['cpg', 'detected']).nullable(),
  crs: z.string().nullable(),
  crsSource: z.string().nullable().describe('How the CRS was found: given, or from the .prj/GeoPackage/GeoJSON'),
  table: z.string().nullable(),
  coordinateColumns: z.array(z.string()).nullable(),
  fieldMapping: z.object({
    fields: z.array(
      z.object({
        field: z.string(),
        column: z.string().nullable(),
        expected: z.string(),
        aliases: z.array(z.string()),
      }),
    ),
    unrecognised: z.array(z.string()),
  }),
  featureCount: z.number().int(),
  sample: z.object({
    type: z.literal('FeatureCollection'),
    features: z.array(
      z.object({
        type: z.literal('Feature'),
        id: z.number().int().describe('The feature’s index in the file'),
        // The file's own columns: whatever it holds.
        properties: z.record(z.string(), jsonValueSchema),
        geometry: geometrySchema.nullable().describe('In WGS 84; null when the feature has none that can be read'),
      }),
    ),
  }),
  problems: z.array(importProblemSchema),
});
export type ImportPreview = z.infer<typeof importPreviewSchema>;
