import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { AppError } from '../../http/errors.js';
import { defineRoute, type AnyRoute, type RequestUser } from '../../http/route.js';
import { CRS_NAMES } from './crs.js';
import { importLayer } from './import.js';
import { describeProblem, IMPORT_LAYERS, IMPORT_MODES, type ImportReport } from './report.js';

export const IMPORT_LIMIT_BYTES = 100 * 1024 * 1024;

export const importProblemSchema = z.object({
  index: z.number().int().describe('0-based position of the feature (or CSV data row); -1 for the whole file'),
  code: z.string().optional(),
  field: z.string().optional(),
  reason: z.string(),
  severity: z.enum(['error', 'warning']),
});

export const importReportSchema = z.object({
  accepted: z.boolean(),
  layer: z.enum(IMPORT_LAYERS),
  crs: z.enum(CRS_NAMES).nullable(),
  counts: z.object({
    features: z.number().int(),
    imported: z.number().int(),
    repaired: z.number().int(),
    rejected: z.number().int(),
  }),
  problems: z.array(importProblemSchema),
});

const importQuery = z.object({
  layer: z.enum(IMPORT_LAYERS),
  crs: z.enum(CRS_NAMES).optional().describe('Coordinate system of the file, when the file does not say'),
  county: z
    .string()
    .regex(/^[0-9]{6}$/)
    .optional()
    .describe('County code; defaults to the only county in the database'),
  mode: z.enum(IMPORT_MODES).default('append'),
  fileName: z.string().min(1).max(255).optional().describe('Name of the uploaded file, for the record'),
});

/** The 422 error of a rejected import: how many problems, the first one, and the whole report. */
export function rejectionError(report: ImportReport): AppError {
  const errors = report.problems.filter((p) => p.severity === 'error');
  const first = errors[0] ? ` First: ${describeProblem(errors[0])}` : '';
  return new AppError(
    422,
    'validation_failed',
    `The ${report.layer} file was rejected with ${errors.length} ${errors.length === 1 ? 'problem' : 'problems'}; nothing was written.${first}`,
    report,
  );
}

/**
 * Imports write whole-county layers (a replace empties the layer county-wide; an append can put a
 * feature anywhere), so they are for admins and planners of the whole county. A planner limited to
 * some townships imports nothing: 403 before the file is read.
 */
export function wholeCountyImporterOnly(user: RequestUser): string | null {
  return user.role === 'planner' && user.townships !== null
    ? '导入图层会改动全县数据，只有管理员和负责全县的规划员可以导入（imports change whole-county layers: admins and planners of the whole county only）'
    : null;
}

/**
 * POST /api/imports: a county's own layer as the raw request body. Takes the application
 * context (only its database and, to redraw the map after an import, its map data are used).
 */
export function importRoutes(ctx: Pick<AppContext, 'database' | 'onDataChanged'>): AnyRoute[] {
  return [
    defineRoute({
      method: 'post',
      path: '/api/imports',
      summary: 'Import a layer of the county (all of it, or nothing when any feature is wrong)',
      tags: ['import'],
      access: ['admin', 'planner'],
      refuse: wholeCountyImporterOnly,
      query: importQuery,
      upload: {
        contentTypes: ['application/geo+json', 'application/json', 'text/csv'],
        limitBytes: IMPORT_LIMIT_BYTES,
        description:
          'A GeoJSON FeatureCollection (any layer) or a UTF-8 CSV with lon/lat columns (households, stations, events).',
      },
      response: { status: 201, description: 'The import report of an accepted import.', schema: importReportSchema },
      handler: async ({ query, upload, req, user }) => {
        if (upload.length === 0) throw AppError.badRequest('Send the file as the request body.');
        const { report } = await importLayer(ctx.database.db, {
          layer: query.layer,
          bytes: upload,
          fileName: query.fileName ?? 'upload',
          contentType: req.headers['content-type'],
          crs: query.crs,
          countyCode: query.county,
          mode: query.mode,
          importedBy: user!.username,
        });
        if (!report.accepted) throw rejectionError(report);
        ctx.onDataChanged();
        return report;
      },
    }),
  ];
}
