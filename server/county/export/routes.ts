/**
 * Exports for the provincial grid platform and desktop GIS: every county layer, a grid plan's grids
 * and the no-trip list, as a zipped Shapefile or a GeoPackage in the county's own system. Household
 * positions only for admins and planners (a township planner's townships only); events only for
 * admins (the risk map shows others only aggregates). Each export is written to the audit log.
 */
import type { Response } from 'express';
import { z } from 'zod';
import { countyCodeSchema } from '../../../contracts/json.js';
import { writeAudit } from '../../auth/audit.js';
import { householdScope } from '../../auth/roles.js';
import type { AppContext } from '../../context.js';
import { idText } from '../../http/params.js';
import { defineRoute, type AnyRoute, type RequestUser, type Role } from '../../http/route.js';
import { attachmentHeader } from '../../lib/table-export.js';
import { resolveCounty } from '../resolve.js';
import {
  COUNTY_EXPORT_LAYERS,
  EXPORT_CONTENT_TYPES,
  EXPORT_FORMATS,
  exportEncodingSchema,
  exportFormatSchema,
  type ExportEncoding,
  type ExportFormat,
  type ExportLayer,
} from '../../../contracts/exports.js';
import { exportFileName, writeExport } from './export.js';
import { countyCrs, gridPlanHead, gridPlanTable, layerTable, noTripTable, type CountyCrs } from './layers.js';
import type { ExportTable } from './table.js';

const ALL: Role[] = ['admin', 'planner', 'commander', 'leader'];
const HOUSEHOLD_READERS: Role[] = ['admin', 'planner'];
const GRID_READERS: Role[] = ['admin', 'planner', 'leader'];
const NO_TRIP_READERS: Role[] = ['admin', 'commander', 'leader'];

const query = z.object({
  county: countyCodeSchema.optional().describe('County code; the first county when absent'),
  encoding: exportEncodingSchema,
});
/** A download answers its file, or the JSON error body of every route (4XX, 5XX) before any byte of it. */
const FILE_TYPES = EXPORT_FORMATS.map((ext) => EXPORT_CONTENT_TYPES[ext]);

/** Export routes of the county layers, grid plans and the no-trip list. */
export function exportRoutes(ctx: Pick<AppContext, 'database' | 'policing'>): AnyRoute[] {
  const db = ctx.database.db;
  /** Write the file, send it, and record who took what. */
  const send = async (
    res: Response,
    user: RequestUser,
    ip: string | undefined,
    crs: CountyCrs,
    table: ExportTable,
    how: { format: ExportFormat; encoding: ExportEncoding },
    extra = '',
  ) => {
    const bytes = await writeExport(table, how.format, how.encoding);
    await writeAudit(db, user, {
      action: 'export',
      target: `${table.name} ${crs.county}`,
      status: 200,
      ip: ip ?? null,
      details: {
        format: how.format,
        encoding: how.encoding,
        srid: crs.srid,
        features: table.features.length,
        bytes: bytes.length,
      },
    });
    res.set(
      'Content-Disposition',
      attachmentHeader(exportFileName(crs.countyName, table, how.format, how.encoding, extra)),
    );
    res.type(EXPORT_CONTENT_TYPES[how.format]).send(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  };
  const layerRoute = (layer: 'households' | 'events' | null, access: Role[], summary: string) =>
    defineRoute({
      method: 'get',
      path: layer ? `/api/exports/${layer}.:format` : '/api/exports/:layer.:format',
      summary,
      tags: ['exports'],
      access,
      params: layer
        ? z.object({ format: exportFormatSchema })
        : z.object({ layer: z.enum(COUNTY_EXPORT_LAYERS), format: exportFormatSchema }),
      query,
      response: { description: 'A zipped Shapefile or a GeoPackage.', contentType: FILE_TYPES },
      handler: async ({ params, query, user, req, res }) => {
        const crs = await countyCrs(db, await resolveCounty(db, query.county));
        const name = layer ?? (params as unknown as { layer: ExportLayer }).layer;
        const scope = householdScope(user);
        const table = await layerTable(db, name, crs, scope === 'none' ? [] : scope);
        await send(res, user!, req.ip, crs, table, { format: params.format, encoding: query.encoding });
      },
    });
  return [
    layerRoute(
      'households',
      HOUSEHOLD_READERS,
      "Households as points with their village and the estimated flag, in the county's system; a township planner gets only their townships'",
    ),
    layerRoute(
      'events',
      ['admin'],
      "Events (incidents, disputes, petitions, fraud, accidents) as points, in the county's system",
    ),
    layerRoute(
      null,
      ALL,
      "A county layer (townships, villages, roads, stations, bus_stops) in the county's own system",
    ),
    ...EXPORT_FORMATS.map((ext) =>
      defineRoute({
        method: 'get',
        path: `/api/grids/plans/:id/export.${ext}`,
        summary: `A grid plan's grids (number, name, township, households, worker, kind) as ${ext === 'zip' ? 'a zipped Shapefile' : 'a GeoPackage'} in the county's system`,
        tags: ['exports', 'grids'],
        access: GRID_READERS,
        params: z.object({ id: idText() }),
        query: query.pick({ encoding: true }),
        response: { description: 'A zipped Shapefile or a GeoPackage.', contentType: EXPORT_CONTENT_TYPES[ext] },
        handler: async ({ params, query, user, req, res }) => {
          const plan = await gridPlanHead(db, params.id);
          const crs = await countyCrs(db, plan.county);
          const table = await gridPlanTable(db, params.id, crs);
          await send(res, user!, req.ip, crs, table, { format: ext, encoding: query.encoding }, `-${plan.name}`);
        },
      }),
    ),
    ...EXPORT_FORMATS.map((ext) =>
      defineRoute({
        method: 'get',
        path: `/api/policing/no-trip/export.${ext}`,
        summary: `The no-trip villages (village, station, drive minutes, reasons) as ${ext === 'zip' ? 'a zipped Shapefile' : 'a GeoPackage'} of village polygons in the county's system`,
        tags: ['exports', 'policing'],
        access: NO_TRIP_READERS,
        query,
        response: { description: 'A zipped Shapefile or a GeoPackage.', contentType: EXPORT_CONTENT_TYPES[ext] },
        handler: async ({ query, user, req, res }) => {
          const county = await resolveCounty(db, query.county);
          const crs = await countyCrs(db, county);
          const table = await noTripTable(db, await ctx.policing.report(county), crs);
          await send(res, user!, req.ip, crs, table, { format: ext, encoding: query.encoding });
        },
      }),
    ),
  ];
}
