import { z } from 'zod';
import { importPreviewSchema, importReportSchema } from '../../../contracts/imports.js';
import type { AppContext } from '../../context.js';
import { AppError } from '../../http/errors.js';
import { defineRoute, type AnyRoute, type RequestUser } from '../../http/route.js';
import { CRS_CHOICES, type Crs, parseCrs } from './crs.js';
import { checkFieldMapping, parseFieldMapping } from './field-mapping.js';
import { importLayer } from './import.js';
import { previewFile } from './preview.js';
import { demRejectionError, importDem, isTerrainLayer, previewDem, TERRAIN_LAYER_NAMES } from './dem.js';
import { demPreviewSchema, demReportSchema } from './dem-schema.js';
import { describeProblem, IMPORT_LAYERS, IMPORT_MODES, type ImportReport } from './report.js';

export const IMPORT_LIMIT_BYTES = 100 * 1024 * 1024;

/** A `crs` parameter: a name or EPSG:<code>. */
const crsParameter = z
  .string()
  .transform((text, ctx): Crs => {
    const crs = parseCrs(text);
    if (crs === null) {
      ctx.addIssue({ code: 'custom', message: `expected ${CRS_CHOICES}` });
      return z.NEVER;
    }
    return crs;
  })
  .optional()
  .describe(`Coordinate system of the file, when the file does not say: ${CRS_CHOICES}`);

const importQuery = z.object({
  layer: z
    .enum([...IMPORT_LAYERS, ...TERRAIN_LAYER_NAMES])
    .describe('The layer; terrain (or dem) for a DEM as GeoTIFF or SRTM .hgt, loose or zipped'),
  crs: crsParameter,
  table: z
    .string()
    .min(1)
    .max(255)
    .optional()
    .describe('GeoPackage table, zipped Shapefile or XLSX sheet, when the file holds several'),
  fields: z
    .string()
    .max(4000)
    .optional()
    .describe('Columns the layer does not recognise, mapped to its fields: 名称:name,代码:code'),
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
        contentTypes: UPLOAD_TYPES,
        limitBytes: IMPORT_LIMIT_BYTES,
        description:
          'A zipped Shapefile, a GeoPackage or a GeoJSON FeatureCollection (any layer), or a CSV (UTF-8 or GBK) or XLSX with lon/lat or x/y columns (households, stations, events).',
      },
      response: {
        status: 201,
        description: 'The import report of an accepted import (a DEM: its own report).',
        schema: z.union([importReportSchema, demReportSchema]),
      },
      handler: async ({ query, upload, req, user }) => {
        if (upload.length === 0) throw AppError.badRequest('Send the file as the request body.');
        if (isTerrainLayer(query.layer)) {
          const { report } = await importDem(ctx.database.db, {
            bytes: upload,
            fileName: query.fileName ?? 'upload',
            crs: query.crs,
            countyCode: query.county,
            importedBy: user!.username,
          });
          if (!report.accepted) throw demRejectionError(report);
          ctx.onDataChanged();
          return report;
        }
        const { report } = await importLayer(ctx.database.db, {
          layer: query.layer,
          bytes: upload,
          fileName: query.fileName ?? 'upload',
          contentType: req.headers['content-type'],
          crs: query.crs,
          ...readFileOptions({ ...query, layer: query.layer }),
          countyCode: query.county,
          mode: query.mode,
          importedBy: user!.username,
        });
        if (!report.accepted) throw rejectionError(report);
        ctx.onDataChanged();
        return report;
      },
    }),
    defineRoute({
      method: 'post',
      path: '/api/imports/preview',
      summary: 'Read a layer file without writing anything: format, encoding, CRS, field mapping, first features',
      tags: ['import'],
      access: ['admin', 'planner'],
      refuse: wholeCountyImporterOnly,
      query: importQuery.omit({ mode: true }),
      upload: {
        contentTypes: UPLOAD_TYPES,
        limitBytes: IMPORT_LIMIT_BYTES,
        description: 'The same file as POST /api/imports.',
      },
      response: {
        status: 200,
        description: 'What the file holds and how it would be read.',
        schema: z.union([importPreviewSchema, demPreviewSchema]),
      },
      handler: async ({ query, upload, req }) => {
        if (upload.length === 0) throw AppError.badRequest('Send the file as the request body.');
        if (isTerrainLayer(query.layer)) {
          return previewDem(ctx.database.db, {
            bytes: upload,
            fileName: query.fileName ?? 'upload',
            crs: query.crs,
            countyCode: query.county,
          });
        }
        return previewFile(ctx.database.db, {
          layer: query.layer,
          bytes: upload,
          fileName: query.fileName ?? 'upload',
          contentType: req.headers['content-type'],
          crs: query.crs,
          countyCode: query.county,
          ...readFileOptions({ ...query, layer: query.layer }),
        });
      },
    }),
  ];
}

/** The media types an import takes: GeoJSON, CSV, and the binary formats. */
const UPLOAD_TYPES = [
  'application/geo+json',
  'application/json',
  'text/csv',
  'application/zip',
  'application/x-zip-compressed',
  'application/octet-stream',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/geopackage+sqlite3',
  'application/x-sqlite3',
  'image/tiff',
];

/** The table and field mapping of a query, checked (400 when the mapping names an unknown field). */
function readFileOptions(query: {
  layer: (typeof IMPORT_LAYERS)[number];
  table?: string | undefined;
  fields?: string | undefined;
}): {
  table?: string;
  fields?: Record<string, string>;
} {
  let fields: Record<string, string> | undefined;
  if (query.fields !== undefined) {
    try {
      fields = parseFieldMapping(query.fields, query.layer);
      checkFieldMapping(fields, query.layer);
    } catch (err) {
      throw AppError.badRequest((err as Error).message, { field: 'fields' });
    }
  }
  return { ...(query.table !== undefined ? { table: query.table } : {}), ...(fields ? { fields } : {}) };
}
