import { sql } from 'kysely';
import { z } from 'zod';
import { compareSolutions } from '../allocation/whatif.js';
import type { AppContext } from '../context.js';
import { resolveCounty } from '../county/resolve.js';
import { sendTable } from '../http/download.js';
import { boundedDate, idText } from '../http/params.js';
import { defineRoute, type AnyRoute, type Role } from '../http/route.js';
import { CSV_CONTENT_TYPE, sheet, toCsv, XLSX_CONTENT_TYPE, type ExportColumn } from '../lib/table-export.js';
import {
  availabilityRequestSchema,
  availabilitySchema,
  holidayDetailSchema,
  holidayOfficerSchema,
  holidaySummarySchema,
  moveStationRequestSchema,
  planComparisonSchema,
  planDetailSchema,
  planSummarySchema,
  replaceDemandsRequestSchema,
  solveRequestSchema,
  stationCoversRequestSchema,
  stationMoveSchema,
  zoneAreasSchema,
  zoneLimitsRequestSchema,
  type HolidayDetail,
  type PlanComparison,
  type PlanDetail,
  type ZoneAreas,
} from '../../contracts/holidays.js';
import { holidayEvidence } from './evidence.js';
import {
  createHoliday,
  listHolidays,
  listPlans,
  moveStation,
  publishPlan,
  readDemands,
  readHoliday,
  readPlan,
  readStationCovers,
  readZoneLimits,
  readZonesAndStations,
  replaceDemands,
  writeAvailability,
  writeStationCovers,
  writeZoneLimits,
} from './repository.js';

const READERS: Role[] = ['admin', 'commander', 'leader'];
const COMMANDERS: Role[] = ['admin', 'commander'];
const idParam = z.object({ id: idText() });
const planParams = idParam.extend({ planId: idText() });
const SHIFT_NAMES = ['白班', '中班', '夜班'];
const DUTY_NAMES = { incident: '接处警', traffic: '交通秩序管理', patrol: '巡逻防控' } as const;

/** Holiday policing: holidays, demands with evidence, the officer pool, war zones, plans. */
export function holidayRoutes(ctx: Pick<AppContext, 'database' | 'holidays'>): AnyRoute[] {
  const db = ctx.database.db;
  const detail = async (id: number): Promise<HolidayDetail> => {
    const holiday = await readHoliday(db, id);
    const { zones, stations } = await readZonesAndStations(db, holiday.countyCode);
    const { evidence, from } = await holidayEvidence(db, holiday);
    const officers = await ctx.holidays.officers(holiday);
    return {
      holiday,
      zones,
      stations,
      demands: await readDemands(db, id),
      evidence,
      evidenceFrom: from,
      zoneLimits: await readZoneLimits(db, id),
      stationCovers: await readStationCovers(db, id),
      pool: {
        officers: officers.length,
        trafficQualified: officers.filter((o) => o.qualifications.includes('traffic')).length,
        unavailableSlots: officers.reduce((sum, o) => sum + o.unavailable.length, 0),
      },
    };
  };
  return [
    defineRoute({
      method: 'get',
      path: '/api/holidays',
      summary: 'Holidays, newest first',
      tags: ['holidays'],
      access: READERS,
      query: z.object({
        county: z
          .string()
          .regex(/^\d{6}$/)
          .optional(),
      }),
      response: { description: 'Holidays.', schema: z.array(holidaySummarySchema) },
      handler: ({ query }) => listHolidays(db, query.county),
    }),
    defineRoute({
      method: 'post',
      path: '/api/holidays',
      summary: 'Create a holiday (name, first day, days, shifts per day)',
      tags: ['holidays'],
      access: COMMANDERS,
      body: z.object({
        county: z
          .string()
          .regex(/^\d{6}$/)
          .optional(),
        name: z.string().trim().min(1, '请填写名称（a name is required）').max(100),
        firstDay: boundedDate(),
        days: z.number().int().min(1).max(31),
        shiftsPerDay: z.number().int().min(1).max(4).default(3),
        maxTravelMinutes: z.number().min(5).max(240).optional(),
      }),
      response: { status: 201, description: 'The holiday.', schema: holidaySummarySchema },
      handler: async ({ body, user, audit }) => {
        const holiday = await createHoliday(
          db,
          { ...body, countyCode: await resolveCounty(db, body.county) },
          user!.username,
        );
        audit({ target: `holiday ${holiday.id}`, after: holiday });
        return holiday;
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/holidays/:id',
      summary: 'A holiday with its war zones, stations, demands, the evidence of past holidays and the pool',
      tags: ['holidays'],
      access: READERS,
      params: idParam,
      response: { description: 'The holiday in full.', schema: holidayDetailSchema },
      handler: ({ params }) => detail(params.id),
    }),
    defineRoute({
      method: 'put',
      path: '/api/holidays/:id/demands',
      summary: "Replace the demand of the stations named in the entries (each station's whole submission)",
      tags: ['holidays'],
      access: COMMANDERS,
      params: idParam,
      body: replaceDemandsRequestSchema,
      bodyLimitBytes: 4 * 1024 * 1024,
      response: { description: 'The holiday in full.', schema: holidayDetailSchema },
      handler: async ({ params, body }) => {
        const holiday = await readHoliday(db, params.id);
        await db.transaction().execute((trx) => replaceDemands(trx, holiday, body.entries));
        return detail(params.id);
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/holidays/:id/officers',
      summary: 'The officer pool with home units, qualifications and unavailability',
      tags: ['holidays'],
      access: COMMANDERS,
      params: idParam,
      response: { description: 'Officers.', schema: z.array(holidayOfficerSchema) },
      handler: async ({ params }) => ctx.holidays.officers(await readHoliday(db, params.id)),
    }),
    defineRoute({
      method: 'put',
      path: '/api/holidays/:id/officers/:officerId/availability',
      summary: "Replace an officer's unavailable (day, shift) pairs for the holiday",
      tags: ['holidays'],
      access: COMMANDERS,
      params: idParam.extend({ officerId: z.string().min(1).max(40) }),
      body: availabilityRequestSchema,
      response: { description: 'Saved.', schema: availabilitySchema },
      handler: async ({ params, body }) => {
        const holiday = await readHoliday(db, params.id);
        await db.transaction().execute((trx) => writeAvailability(trx, holiday, params.officerId, body.unavailable));
        return { officerId: params.officerId, unavailable: body.unavailable };
      },
    }),
    defineRoute({
      method: 'put',
      path: '/api/holidays/:id/zone-limits',
      summary: 'Replace the per-slot minimum and maximum officers of war zones for the holiday',
      tags: ['holidays'],
      access: COMMANDERS,
      params: idParam,
      body: zoneLimitsRequestSchema,
      response: { description: 'The holiday in full.', schema: holidayDetailSchema },
      handler: async ({ params, body }) => {
        const holiday = await readHoliday(db, params.id);
        await db.transaction().execute((trx) => writeZoneLimits(trx, holiday, body.limits));
        return detail(params.id);
      },
    }),
    defineRoute({
      method: 'put',
      path: '/api/holidays/:id/station-covers',
      summary: "Replace the stations' minimum cover (officers on post in every shift) for the holiday",
      tags: ['holidays'],
      access: COMMANDERS,
      params: idParam,
      body: stationCoversRequestSchema,
      response: { description: 'The holiday in full.', schema: holidayDetailSchema },
      handler: async ({ params, body }) => {
        const holiday = await readHoliday(db, params.id);
        await db.transaction().execute((trx) => writeStationCovers(trx, holiday, body.covers));
        return detail(params.id);
      },
    }),
    defineRoute({
      method: 'put',
      path: '/api/war-zones/stations/:code',
      summary: 'Move a police station to another war zone',
      tags: ['holidays'],
      access: COMMANDERS,
      params: z.object({ code: z.string().min(1).max(40) }),
      body: moveStationRequestSchema,
      response: { description: 'Moved.', schema: stationMoveSchema },
      handler: async ({ params, body }) => {
        await moveStation(db, params.code, body.warZoneId);
        return { stationCode: params.code, warZoneId: body.warZoneId };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/holidays/:id/zones.geojson',
      summary: "Each war zone's area (the townships of its stations) for the map",
      tags: ['holidays'],
      access: READERS,
      params: idParam,
      response: { description: 'A GeoJSON FeatureCollection.', schema: zoneAreasSchema },
      handler: async ({ params }): Promise<ZoneAreas> => {
        const holiday = await readHoliday(db, params.id);
        const rows = await sql<{ zone_id: number; name: string; station_codes: string[]; geojson: string }>`
          select z.id as zone_id, z.name, array_agg(distinct s.code order by s.code) as station_codes,
                 ST_AsGeoJSON(ST_Multi(ST_Union(t.geom)), 6) as geojson
          from war_zones z
          join police_stations s on s.war_zone_id = z.id
          join townships t on t.police_station_code = s.code
          where z.county_code = ${holiday.countyCode}
          group by z.id, z.name order by z.id`.execute(db);
        return {
          type: 'FeatureCollection',
          features: rows.rows.map((r) => ({
            type: 'Feature',
            geometry: JSON.parse(r.geojson) as ZoneAreas['features'][number]['geometry'],
            properties: { zoneId: r.zone_id, name: r.name, stationCodes: r.station_codes },
          })),
        };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/api/holidays/:id/plans',
      summary: 'Solve the holiday (or a what-if: another pool size or zone caps) and keep the plan',
      tags: ['holidays'],
      access: COMMANDERS,
      params: idParam,
      body: solveRequestSchema,
      response: { status: 201, description: 'The plan.', schema: planDetailSchema },
      handler: async ({ params, body, user, audit }) => {
        const plan = await ctx.holidays.solve(await readHoliday(db, params.id), body, user!.username);
        audit({ target: `holiday ${params.id} plan ${plan.id}`, after: { ...body, id: plan.id, status: plan.status } });
        return plan;
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/holidays/:id/plans',
      summary: "The holiday's plans, newest first",
      tags: ['holidays'],
      access: READERS,
      params: idParam,
      response: { description: 'Plans.', schema: z.array(planSummarySchema) },
      handler: async ({ params }) => listPlans(db, await readHoliday(db, params.id)),
    }),
    defineRoute({
      method: 'get',
      path: '/api/holidays/:id/plans/compare',
      summary: 'Two plans side by side: met and unmet per zone, station and duty',
      tags: ['holidays'],
      access: READERS,
      params: idParam,
      query: z.object({
        a: idText(),
        b: idText(),
      }),
      response: { description: 'The comparison (b against a).', schema: planComparisonSchema },
      handler: async ({ params, query }): Promise<PlanComparison> => {
        const holiday = await readHoliday(db, params.id);
        const [a, b] = await Promise.all([readPlan(db, holiday, query.a), readPlan(db, holiday, query.b)]);
        const comparable = (plan: PlanDetail) => ({
          coverage: plan.coverage,
          assignments: plan.assignments.map((x) => ({ ...x, dutyId: x.duty, travelSeconds: x.travelMinutes * 60 })),
          maxUnmetShare: plan.maxUnmetShare,
          travelSeconds: plan.travelHours * 3600,
        });
        return { a: query.a, b: query.b, ...compareSolutions(comparable(a), comparable(b)) };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/holidays/:id/plans/:planId',
      summary: 'A plan: coverage, roster and explanations',
      tags: ['holidays'],
      access: READERS,
      params: planParams,
      response: { description: 'The plan.', schema: planDetailSchema },
      handler: async ({ params }) => readPlan(db, await readHoliday(db, params.id), params.planId),
    }),
    defineRoute({
      method: 'post',
      path: '/api/holidays/:id/plans/:planId/publish',
      summary: "Publish a plan as the holiday's roster",
      tags: ['holidays'],
      access: COMMANDERS,
      params: planParams,
      response: { description: 'The holiday.', schema: holidaySummarySchema },
      handler: async ({ params }) => publishPlan(db, await readHoliday(db, params.id), params.planId),
    }),
    defineRoute({
      method: 'get',
      path: '/api/holidays/:id/plans/:planId/roster.:format',
      summary: "A plan's roster for Excel (CSV with BOM, or XLSX with a coverage sheet)",
      tags: ['holidays'],
      access: COMMANDERS,
      params: planParams.extend({ format: z.enum(['csv', 'xlsx']) }),
      response: { description: 'A CSV or XLSX file.', contentType: `${CSV_CONTENT_TYPE} | ${XLSX_CONTENT_TYPE}` },
      handler: async ({ params, res }) => {
        const holiday = await readHoliday(db, params.id);
        const plan = await readPlan(db, holiday, params.planId);
        const dayText = (day: number) => {
          const date = new Date(`${holiday.firstDay}T00:00:00Z`);
          date.setUTCDate(date.getUTCDate() + day);
          return date.toISOString().slice(0, 10);
        };
        type Row = PlanDetail['assignments'][number];
        const columns: ExportColumn<Row>[] = [
          { header: '日期', value: (r) => dayText(r.day), width: 12 },
          { header: '班次', value: (r) => SHIFT_NAMES[r.shift] ?? `第${r.shift + 1}班` },
          { header: '警员编号', value: (r) => r.officerId, width: 12 },
          { header: '姓名', value: (r) => r.officerName, width: 10 },
          { header: '原单位', value: (r) => r.homeStation, width: 14 },
          { header: '派往派出所', value: (r) => r.stationName, width: 14 },
          { header: '勤务', value: (r) => DUTY_NAMES[r.duty], width: 14 },
          { header: '车程（分钟）', value: (r) => r.travelMinutes, numberFormat: '0' },
        ];
        const rows = [...plan.assignments].sort(
          (a, b) =>
            a.day - b.day ||
            a.shift - b.shift ||
            a.stationCode.localeCompare(b.stationCode) ||
            a.officerId.localeCompare(b.officerId),
        );
        sendTable(res, `${holiday.name}_排班表_方案${plan.id}.${params.format}`, params.format, {
          csv: () => toCsv(columns, rows),
          sheets: () => [
            sheet({ name: '排班表', columns, rows }),
            sheet({
              name: '派出所覆盖',
              columns: [
                {
                  header: '派出所',
                  value: (s: PlanDetail['coverage']['byStation'][number]) => s.stationCode,
                  width: 14,
                },
                { header: '战区', value: (s) => s.zoneId },
                { header: '需求人次', value: (s) => s.demanded },
                { header: '满足人次', value: (s) => s.met },
                { header: '缺口人次', value: (s) => s.unmet },
              ],
              rows: plan.coverage.byStation,
            }),
          ],
        });
      },
    }),
  ];
}
