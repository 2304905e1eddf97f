import { z } from 'zod';
import type { AppContext } from '../context.js';
import { resolveCounty } from '../county/resolve.js';
import { AppError } from '../http/errors.js';
import { sendTable } from '../http/download.js';
import { boundedDate, wholeNumberText } from '../http/params.js';
import { defineRoute, type AnyRoute, type Role } from '../http/route.js';
import { CSV_CONTENT_TYPE, toCsv, XLSX_CONTENT_TYPE, sheet } from '../lib/table-export.js';
import { constantsColumns, constantsRows, noTripColumnsUsing, noTripExportName, stationColumns } from './export.js';
import { designateVillage, readNoTripSettings, removeDesignation, writeNoTripSettings } from './repository.js';
import { listVisits, recordVisit, visitTotals } from './visits-repository.js';

const READERS: Role[] = ['admin', 'commander', 'leader'];
const COMMANDERS: Role[] = ['admin', 'commander'];

const countyCode = z.string().regex(/^\d{6}$/, '县代码是 6 位数字（a county code has 6 digits）');
const villageCode = z.string().regex(/^\d{12}$/, '村代码是 12 位数字（a village code has 12 digits）');
const isoDate = boundedDate();
const settingsSchema = z.object({
  maxDriveMinutes: z.number().min(1).max(600).describe('No-trip beyond this drive from the own station'),
  maxBusWalkMetres: z.number().min(0).max(20_000).describe('No-trip beyond this walk along roads to a bus stop'),
});
const noTripQuery = z.object({
  county: countyCode.optional().describe('County code; the first county when absent'),
  maxDriveMinutes: z.coerce.number().min(1).max(600).optional().describe('What-if: another drive limit (not saved)'),
  maxBusWalkMetres: z.coerce.number().min(0).max(20_000).optional().describe('What-if: another walk limit (not saved)'),
});
const groupsSchema = z.object({
  aged70Plus: z.number(),
  disabled: z.number(),
  leftBehind: z.number(),
  lowIncome: z.number(),
  needsAssistance: z.number(),
});
const reasonSchema = z.enum(['drive', 'no_bus', 'designated']);
const totalsSchema = z.object({
  villages: z.number(),
  noTripVillages: z.number(),
  borderlineVillages: z
    .number()
    .describe('临界: villages whose no-trip status differs at the two ends of their drive range'),
  byReason: z.record(reasonSchema, z.number()),
  households: z.number(),
  noTripHouseholds: z.number(),
  noTripGroups: groupsSchema,
});
const constantsInUseSchema = z.object({
  calibrationId: z.number().nullable().describe('The active calibration, or null for the default constants'),
  label: z.string().describe("'default' or 'calibration <id> of <date>'"),
  calibratedAt: z.string().nullable(),
  appliedAt: z.string().nullable(),
  constants: z.object({
    speedFactor: z.number(),
    sideFriction: z.number(),
    junctionKmh: z.number(),
    climbingWattsPerKg: z.number(),
  }),
  ratioLow: z.number().describe('Low end of a drive range as a share of the model time (held-out p10, or 0.75)'),
  ratioHigh: z.number().describe('High end (held-out p90, or 1.25)'),
  rangeSource: z.enum(['held-out trips', 'prior ±25 %']),
});
const reportSchema = z.object({
  settings: settingsSchema,
  constants: constantsInUseSchema.describe('The speed model constants the drives were computed with'),
  villages: z.array(
    z.object({
      code: z.string(),
      name: z.string(),
      kind: z.enum(['village', 'community']),
      countyCode: z.string(),
      townshipCode: z.string(),
      townshipName: z.string(),
      stationCode: z.string().nullable(),
      stationName: z.string().nullable(),
      lon: z.number(),
      lat: z.number(),
      households: z.number(),
      persons: z.number(),
      groups: groupsSchema,
      driveMinutes: z.number().nullable(),
      driveRangeMinutes: z
        .object({ low: z.number(), high: z.number() })
        .nullable()
        .describe("The drive's range under the constants' error"),
      borderline: z.boolean().describe('临界: no-trip at one end of the drive range and not at the other'),
      farthestHouseholdMinutes: z.number().nullable(),
      busWalkMetres: z.number().nullable(),
      noTrip: z.boolean(),
      reasons: z.array(reasonSchema),
      designation: z.object({ reason: z.string(), designatedBy: z.string(), designatedAt: z.string() }).nullable(),
    }),
  ),
  stations: z.array(totalsSchema.extend({ code: z.string(), name: z.string(), warZone: z.string().nullable() })),
  county: totalsSchema,
});
const visitSchema = z.object({
  id: z.number(),
  villageCode: z.string(),
  villageName: z.string(),
  stationCode: z.string(),
  visitedOn: z.string(),
  officers: z.number(),
  businessHandled: z.number(),
  helpRequests: z.number(),
  unregisteredResolved: z.number(),
  note: z.string().nullable(),
  recordedBy: z.string(),
});
const visitFilter = z.object({
  county: countyCode.optional(),
  station: z.string().min(1).max(40).optional(),
  village: villageCode.optional(),
  from: isoDate.optional(),
  to: isoDate.optional(),
});

/** Backpack policing: no-trip villages, isochrones, visit plans and the visit record. */
export function policingRoutes(ctx: Pick<AppContext, 'database' | 'policing'>): AnyRoute[] {
  const db = ctx.database.db;
  const report = async (query: z.output<typeof noTripQuery>) => {
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
      response: { description: 'Villages, per-station and county totals.', schema: reportSchema },
      handler: ({ query }) => report(query),
    }),
    defineRoute({
      method: 'get',
      path: '/api/policing/no-trip.:format',
      summary: 'The no-trip list for Excel (CSV with BOM, or XLSX with a sheet per station total)',
      tags: ['policing'],
      access: READERS,
      params: z.object({ format: z.enum(['csv', 'xlsx']) }),
      query: noTripQuery,
      response: { description: 'A CSV or XLSX file.', contentType: `${CSV_CONTENT_TYPE} | ${XLSX_CONTENT_TYPE}` },
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
      query: z.object({ county: countyCode.optional() }),
      response: { description: 'The rules.', schema: settingsSchema },
      handler: async ({ query }) => readNoTripSettings(db, await resolveCounty(db, query.county)),
    }),
    defineRoute({
      method: 'put',
      path: '/api/policing/settings',
      summary: 'Change the no-trip rules of a county',
      tags: ['policing'],
      access: COMMANDERS,
      query: z.object({ county: countyCode.optional() }),
      body: settingsSchema,
      response: { description: 'The rules as saved.', schema: settingsSchema },
      handler: async ({ query, body, user }) => {
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
      params: z.object({ code: villageCode }),
      body: z.object({ reason: z.string().trim().min(1, '请填写理由（a reason is required）').max(500) }),
      response: { description: 'Saved.', schema: z.object({ villageCode: z.string(), reason: z.string() }) },
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
      params: z.object({ code: villageCode }),
      response: { description: 'Whether there was one.', schema: z.object({ removed: z.boolean() }) },
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
        description: 'A GeoJSON FeatureCollection, one feature per band.',
        schema: z.record(z.string(), z.unknown()),
      },
      handler: async ({ params, query }) => {
        const bands = await ctx.policing.isochrones(params.code, query.minutes);
        return {
          type: 'FeatureCollection',
          features: bands
            .filter((band) => band.geometry)
            .map((band) => ({
              type: 'Feature',
              geometry: band.geometry,
              properties: { minutes: band.minutes, reachedNodes: band.reachedNodes, roadKm: band.roadKm },
            })),
        };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/api/policing/visit-plans',
      summary: "Plan a station team's visits to its no-trip villages over working days",
      tags: ['policing'],
      access: COMMANDERS,
      body: z.object({
        stationCode: z.string().min(1).max(40),
        dayHours: z.number().min(1).max(16).default(8),
        maxDays: z.number().int().min(1).max(60).optional(),
        officers: z.number().int().min(1).max(10).default(2),
        villageCodes: z.array(villageCode).max(500).optional(),
      }),
      response: {
        description: 'Days with stops, times and routes; villages left out and why.',
        schema: z.record(z.string(), z.unknown()),
      },
      handler: ({ body }) => ctx.policing.visitPlan(body),
    }),
    defineRoute({
      method: 'get',
      path: '/api/policing/visits',
      summary: 'Recorded backpack-policing visits, newest first',
      tags: ['policing'],
      access: READERS,
      query: visitFilter.extend({ limit: wholeNumberText(1, 5000).default(500) }),
      response: { description: 'Visits.', schema: z.array(visitSchema) },
      handler: ({ query }) =>
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
        schema: z.object({
          visits: z.number(),
          villages: z.number(),
          businessHandled: z.number(),
          helpRequests: z.number(),
          unregisteredResolved: z.number(),
          firstVisit: z.string().nullable(),
          lastVisit: z.string().nullable(),
        }),
      },
      handler: ({ query }) =>
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
        villageCode,
        visitedOn: boundedDate(),
        officers: z.number().int().min(1).max(50),
        businessHandled: z.number().int().min(0).max(10_000).default(0),
        helpRequests: z.number().int().min(0).max(10_000).default(0),
        unregisteredResolved: z.number().int().min(0).max(1000).default(0),
        note: z.string().max(2000).optional(),
      }),
      response: { status: 201, description: 'The visit as recorded.', schema: visitSchema },
      handler: ({ body, user }) => {
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
