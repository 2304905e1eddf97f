import { z } from 'zod';
import type { AppContext } from '../context.js';
import { resolveCounty } from '../county/resolve.js';
import { AppError } from '../http/errors.js';
import { sendTable } from '../http/download.js';
import { boundedDate, wholeNumberText } from '../http/params.js';
import { defineRoute, type AnyRoute, type Role } from '../http/route.js';
import { toCsv, sheet } from '../lib/table-export.js';
import { constantsColumns, constantsRows, noTripColumnsUsing, noTripExportName, stationColumns } from './export.js';
import {
  backpackVisitSchema,
  designationRemovedSchema,
  designationRequestSchema,
  designationSavedSchema,
  isochroneCollectionSchema,
  noTripReportSchema,
  noTripSettingsSchema,
  visitPlanRequestSchema,
  visitPlanResultSchema,
  visitTotalsSchema,
  type BackpackVisit,
  type IsochroneCollection,
  type NoTripReport,
  type NoTripSettings,
  type VisitPlanResult,
  type VisitTotals,
} from '../../contracts/policing.js';
import { TABLE_CONTENT_TYPES, TABLE_FORMATS } from '../../contracts/exports.js';
import { countyCodeSchema, villageCodeSchema } from '../../contracts/json.js';
import { designateVillage, readNoTripSettings, removeDesignation, writeNoTripSettings } from './repository.js';
import { listVisits, recordVisit, visitTotals } from './visits-repository.js';

const READERS: Role[] = ['admin', 'commander', 'leader'];
const COMMANDERS: Role[] = ['admin', 'commander'];

const isoDate = boundedDate();
const noTripQuery = z.object({
  county: countyCodeSchema.optional().describe('County code; the first county when absent'),
  maxDriveMinutes: z.coerce.number().min(1).max(600).optional().describe('What-if: another drive limit (not saved)'),
  maxBusWalkMetres: z.coerce.number().min(0).max(20_000).optional().describe('What-if: another walk limit (not saved)'),
});
const visitFilter = z.object({
  county: countyCodeSchema.optional(),
  station: z.string().min(1).max(40).optional(),
  village: villageCodeSchema.optional(),
  from: isoDate.optional(),
  to: isoDate.optional(),
});

/** Backpack policing: no-trip villages, isochrones, visit plans and the visit record. */
export function policingRoutes(ctx: Pick<AppContext, 'database' | 'policing'>): AnyRoute[] {
  const db = ctx.database.db;
  const report = async (query: z.output<typeof noTripQuery>): Promise<NoTripReport> => {
    const overrides = {
      ...(query.maxDriveMinutes === undefined ? {} : { maxDriveMinutes: query.maxDriveMinutes }),
      ...(query.maxBusWalkMetres === undefined ? {} : { maxBusWalkMetres: query.maxBusWalkMetres }),
    };
    return ctx.policing.report(await resolveCounty(db, query.county), overrides);
  };
  return [
    defineRoute({
      method: 'get',
      path: '/api/policing/no-trip',
      summary: 'Every village with its drive from its own station, walk to a bus stop, groups and no-trip reasons',
      tags: ['policing'],
      access: READERS,
      query: noTripQuery,
      response: { description: 'Villages, per-station and county totals.', schema: noTripReportSchema },
      handler: ({ query }) => report(query),
    }),
    defineRoute({
      method: 'get',
      path: '/api/policing/no-trip.:format',
      summary: 'The no-trip list for Excel (CSV with BOM, or XLSX with a sheet per station total)',
      tags: ['policing'],
      access: READERS,
      params: z.object({ format: z.enum(TABLE_FORMATS) }),
      query: noTripQuery,
      response: { description: 'A CSV or XLSX file.', contentType: TABLE_FORMATS.map((f) => TABLE_CONTENT_TYPES[f]) },
      handler: async ({ params, query, res }) => {
        const result = await report(query);
        const rows = result.villages.filter((v) => v.noTrip);
        sendTable(res, noTripExportName(result.settings, params.format), params.format, {
          csv: () => toCsv(noTripColumnsUsing(result.constants), rows),
          sheets: () => [
            sheet({ name: '免跑村', columns: noTripColumnsUsing(result.constants), rows }),
            sheet({ name: '派出所汇总', columns: stationColumns, rows: result.stations }),
            sheet({ name: '车程参数', columns: constantsColumns, rows: constantsRows(result.constants) }),
          ],
        });
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/policing/settings',
      summary: 'The no-trip rules of a county',
      tags: ['policing'],
      access: READERS,
      query: z.object({ county: countyCodeSchema.optional() }),
      response: { description: 'The rules.', schema: noTripSettingsSchema },
      handler: async ({ query }): Promise<NoTripSettings> =>
        readNoTripSettings(db, await resolveCounty(db, query.county)),
    }),
    defineRoute({
      method: 'put',
      path: '/api/policing/settings',
      summary: 'Change the no-trip rules of a county',
      tags: ['policing'],
      access: COMMANDERS,
      query: z.object({ county: countyCodeSchema.optional() }),
      body: noTripSettingsSchema,
      response: { description: 'The rules as saved.', schema: noTripSettingsSchema },
      handler: async ({ query, body, user }): Promise<NoTripSettings> => {
        const county = await resolveCounty(db, query.county);
        await writeNoTripSettings(db, county, body, user!.username);
        return readNoTripSettings(db, county);
      },
    }),
    defineRoute({
      method: 'put',
      path: '/api/policing/villages/:code/designation',
      summary: 'Designate a village no-trip by hand, with the reason',
      tags: ['policing'],
      access: COMMANDERS,
      params: z.object({ code: villageCodeSchema }),
      body: designationRequestSchema,
      response: { description: 'Saved.', schema: designationSavedSchema },
      handler: async ({ params, body, user }) => {
        await designateVillage(db, params.code, body.reason, user!.username);
        return { villageCode: params.code, reason: body.reason };
      },
    }),
    defineRoute({
      method: 'delete',
      path: '/api/policing/villages/:code/designation',
      summary: 'Take back a hand designation',
      tags: ['policing'],
      access: COMMANDERS,
      params: z.object({ code: villageCodeSchema }),
      response: { description: 'Whether there was one.', schema: designationRemovedSchema },
      handler: async ({ params }) => ({ removed: await removeDesignation(db, params.code) }),
    }),
    defineRoute({
      method: 'get',
      path: '/api/policing/stations/:code/isochrones',
      summary: 'Drive-time bands of a station (cumulative polygons), e.g. 30 / 60 / 90 minutes',
      tags: ['policing'],
      access: READERS,
      params: z.object({ code: z.string().min(1).max(40) }),
      query: z.object({
        minutes: z
          .string()
          .regex(/^\d{1,3}(,\d{1,3}){0,5}$/, '如 30,60,90（e.g. 30,60,90）')
          .default('30,60,90')
          .transform((text) => [...new Set(text.split(',').map(Number))].sort((a, b) => a - b))
          .refine((list) => list.every((m) => m >= 1 && m <= 240), '每档 1–240 分钟（each band 1–240 minutes）'),
      }),
      response: {
        description: 'A GeoJSON FeatureCollection, one feature per band that reaches anything.',
        schema: isochroneCollectionSchema,
      },
      handler: async ({ params, query }): Promise<IsochroneCollection> => {
        const bands = await ctx.policing.isochrones(params.code, query.minutes);
        return {
          type: 'FeatureCollection',
          features: bands.flatMap(({ geometry, minutes, reachedNodes, roadKm }) =>
            geometry ? [{ type: 'Feature' as const, geometry, properties: { minutes, reachedNodes, roadKm } }] : [],
          ),
        };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/api/policing/visit-plans',
      summary: "Plan a station team's visits to its no-trip villages over working days",
      tags: ['policing'],
      access: COMMANDERS,
      body: visitPlanRequestSchema,
      response: {
        description: 'Days with stops, times and routes; villages left out and why.',
        schema: visitPlanResultSchema,
      },
      handler: ({ body }): Promise<VisitPlanResult> => ctx.policing.visitPlan(body),
    }),
    defineRoute({
      method: 'get',
      path: '/api/policing/visits',
      summary: 'Recorded backpack-policing visits, newest first',
      tags: ['policing'],
      access: READERS,
      query: visitFilter.extend({ limit: wholeNumberText(1, 5000).default(500) }),
      response: { description: 'Visits.', schema: z.array(backpackVisitSchema) },
      handler: ({ query }): Promise<BackpackVisit[]> =>
        listVisits(
          db,
          {
            countyCode: query.county,
            stationCode: query.station,
            villageCode: query.village,
            from: query.from,
            to: query.to,
          },
          { limit: query.limit },
        ),
    }),
    defineRoute({
      method: 'get',
      path: '/api/policing/visits/summary',
      summary: 'Totals of the services done on visits',
      tags: ['policing'],
      access: READERS,
      query: visitFilter,
      response: {
        description: 'Totals.',
        schema: visitTotalsSchema,
      },
      handler: ({ query }): Promise<VisitTotals> =>
        visitTotals(db, {
          countyCode: query.county,
          stationCode: query.station,
          villageCode: query.village,
          from: query.from,
          to: query.to,
        }),
    }),
    defineRoute({
      method: 'post',
      path: '/api/policing/visits',
      summary: 'Record a visit and the services done',
      tags: ['policing'],
      access: COMMANDERS,
      body: z.object({
        villageCode: villageCodeSchema,
        visitedOn: boundedDate(),
        officers: z.number().int().min(1).max(50),
        businessHandled: z.number().int().min(0).max(10_000).default(0),
        helpRequests: z.number().int().min(0).max(10_000).default(0),
        unregisteredResolved: z.number().int().min(0).max(1000).default(0),
        note: z.string().max(2000).optional(),
      }),
      response: { status: 201, description: 'The visit as recorded.', schema: backpackVisitSchema },
      handler: ({ body, user }): Promise<BackpackVisit> => {
        const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
        if (body.visitedOn > today) {
          throw new AppError(400, 'validation_failed', '走访日期不能晚于今天（a visit cannot be in the future）', {
            problems: [{ path: 'visitedOn', message: 'in the future' }],
          });
        }
        return recordVisit(db, body, user!.username);
      },
    }),
  ];
}
