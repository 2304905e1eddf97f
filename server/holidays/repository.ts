import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import { AppError } from '../http/errors.js';
import type {
  DemandEntry,
  HolidayDetail,
  HolidayOfficer,
  HolidaySummary,
  PlanDetail,
  PlanSummary,
} from './api-types.js';

const notFound = (what: string) => new AppError(404, 'not_found', what);

/** The holidays matching a condition, newest first, as the API lists them. */
async function selectHolidays(db: Kysely<DB>, where: ReturnType<typeof sql>): Promise<HolidaySummary[]> {
  const rows = await sql<HolidaySummary>`
    select h.id, h.county_code as "countyCode", h.name, h.first_day::text as "firstDay", h.days,
           h.shifts_per_day as "shiftsPerDay", h.max_travel_minutes as "maxTravelMinutes", h.status,
           h.published_plan_id as "publishedPlanId",
           (select count(*) from holiday_plans p where p.holiday_id = h.id) as plans
    from holidays h ${where}
    order by h.first_day desc, h.id desc`.execute(db);
  return rows.rows;
}

/** Holidays, newest first (of one county when given). */
export function listHolidays(db: Kysely<DB>, countyCode?: string): Promise<HolidaySummary[]> {
  return selectHolidays(db, countyCode ? sql`where h.county_code = ${countyCode}` : sql``);
}

/** One holiday, or 404. */
export async function readHoliday(db: Kysely<DB>, id: number): Promise<HolidaySummary> {
  const [holiday] = await selectHolidays(db, sql`where h.id = ${id}`);
  if (!holiday) throw notFound(`没有节假日 ${id}（No holiday ${id}）`);
  return holiday;
}

/** Create a holiday (no demands yet). */
export async function createHoliday(
  db: Kysely<DB>,
  input: {
    countyCode: string;
    name: string;
    firstDay: string;
    days: number;
    shiftsPerDay: number;
    maxTravelMinutes?: number | undefined;
  },
  by: string,
): Promise<HolidaySummary> {
  const county = await db.selectFrom('counties').select('code').where('code', '=', input.countyCode).executeTakeFirst();
  if (!county) throw notFound(`没有县 ${input.countyCode}（No county ${input.countyCode}）`);
  const row = await db
    .insertInto('holidays')
    .values({
      county_code: input.countyCode,
      name: input.name,
      first_day: input.firstDay,
      days: input.days,
      shifts_per_day: input.shiftsPerDay,
      ...(input.maxTravelMinutes === undefined ? {} : { max_travel_minutes: input.maxTravelMinutes }),
      created_by: by,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return readHoliday(db, row.id);
}

/** Every demand entry of a holiday. */
export async function readDemands(db: Kysely<DB>, holidayId: number): Promise<DemandEntry[]> {
  const rows = await db
    .selectFrom('holiday_demands')
    .select(['station_code', 'day', 'shift', 'duty', 'officers', 'own_on_duty'])
    .where('holiday_id', '=', holidayId)
    .orderBy('station_code')
    .orderBy('day')
    .orderBy('shift')
    .orderBy('duty')
    .execute();
  return rows.map((r) => ({
    stationCode: r.station_code,
    day: r.day,
    shift: r.shift,
    duty: r.duty,
    officers: r.officers,
    ownOnDuty: r.own_on_duty,
  }));
}

/**
 * Replace the demand of every station named in `entries` by `entries` (a station's whole
 * submission at once). Checks days, shifts and stations against the holiday; run in a transaction.
 */
export async function replaceDemands(db: Kysely<DB>, holiday: HolidaySummary, entries: DemandEntry[]): Promise<void> {
  const stations = await db
    .selectFrom('police_stations')
    .select('code')
    .where('county_code', '=', holiday.countyCode)
    .execute();
  const known = new Set(stations.map((s) => s.code));
  const problems: { index: number; message: string }[] = [];
  const seen = new Set<string>();
  entries.forEach((e, index) => {
    if (!known.has(e.stationCode))
      problems.push({ index, message: `派出所 ${e.stationCode} 不在本县（unknown station）` });
    if (e.day >= holiday.days)
      problems.push({ index, message: `第 ${e.day + 1} 天超出假期（day outside the holiday）` });
    if (e.shift >= holiday.shiftsPerDay)
      problems.push({ index, message: `班次 ${e.shift + 1} 不存在（no such shift）` });
    const key = `${e.stationCode}|${e.day}|${e.shift}|${e.duty}`;
    if (seen.has(key)) problems.push({ index, message: '同一派出所、天、班次、勤务重复（duplicate entry）' });
    seen.add(key);
  });
  if (problems.length) {
    throw new AppError(
      400,
      'validation_failed',
      `需求有 ${problems.length} 处错误，未保存（${problems.length} problems, nothing saved）`,
      {
        problems: problems.slice(0, 100),
      },
    );
  }
  const codes = [...new Set(entries.map((e) => e.stationCode))];
  if (codes.length === 0) return;
  await db
    .deleteFrom('holiday_demands')
    .where('holiday_id', '=', holiday.id)
    .where('station_code', 'in', codes)
    .execute();
  const rows = entries
    .filter((e) => e.officers > 0 || e.ownOnDuty > 0)
    .map((e) => ({
      holiday_id: holiday.id,
      station_code: e.stationCode,
      day: e.day,
      shift: e.shift,
      duty: e.duty,
      officers: e.officers,
      own_on_duty: e.ownOnDuty,
    }));
  for (let i = 0; i < rows.length; i += 1000)
    await db
      .insertInto('holiday_demands')
      .values(rows.slice(i, i + 1000))
      .execute();
}

/** The county's war zones with their stations, and the stations. */
export async function readZonesAndStations(
  db: Kysely<DB>,
  countyCode: string,
): Promise<Pick<HolidayDetail, 'zones' | 'stations'>> {
  const zones = await db
    .selectFrom('war_zones')
    .select(['id', 'name'])
    .where('county_code', '=', countyCode)
    .orderBy('id')
    .execute();
  const stations = await sql<HolidayDetail['stations'][number]>`
    select code, name, war_zone_id as "warZoneId", officers as "ownOfficers", ST_X(geom) as lon, ST_Y(geom) as lat
    from police_stations where county_code = ${countyCode} order by code`.execute(db);
  return {
    zones: zones.map((z) => ({
      id: z.id,
      name: z.name,
      stationCodes: stations.rows.filter((s) => s.warZoneId === z.id).map((s) => s.code),
    })),
    stations: stations.rows,
  };
}

/** Move a station to another war zone of its county. */
export async function moveStation(db: Kysely<DB>, stationCode: string, warZoneId: number): Promise<void> {
  const station = await db
    .selectFrom('police_stations')
    .select('county_code')
    .where('code', '=', stationCode)
    .executeTakeFirst();
  if (!station) throw notFound(`没有派出所 ${stationCode}（No police station ${stationCode}）`);
  const zone = await db
    .selectFrom('war_zones')
    .select('id')
    .where('id', '=', warZoneId)
    .where('county_code', '=', station.county_code)
    .executeTakeFirst();
  if (!zone) throw notFound(`本县没有战区 ${warZoneId}（No war zone ${warZoneId} in the county）`);
  await db.updateTable('police_stations').set({ war_zone_id: warZoneId }).where('code', '=', stationCode).execute();
}

/** A holiday's zone limits. */
export async function readZoneLimits(db: Kysely<DB>, holidayId: number): Promise<HolidayDetail['zoneLimits']> {
  const rows = await db
    .selectFrom('holiday_zone_limits')
    .select(['war_zone_id', 'min_officers', 'max_officers'])
    .where('holiday_id', '=', holidayId)
    .orderBy('war_zone_id')
    .execute();
  return rows.map((r) => ({ warZoneId: r.war_zone_id, minOfficers: r.min_officers, maxOfficers: r.max_officers }));
}

/** Replace a holiday's zone limits. */
export async function writeZoneLimits(
  db: Kysely<DB>,
  holiday: HolidaySummary,
  limits: HolidayDetail['zoneLimits'],
): Promise<void> {
  const { zones } = await readZonesAndStations(db, holiday.countyCode);
  const unknown = limits.filter((l) => !zones.some((z) => z.id === l.warZoneId));
  if (unknown.length)
    throw new AppError(400, 'validation_failed', '有不属于本县的战区（unknown war zones）', { unknown });
  const bad = limits.filter((l) => l.minOfficers !== null && l.maxOfficers !== null && l.minOfficers > l.maxOfficers);
  if (bad.length)
    throw new AppError(400, 'validation_failed', '战区下限大于上限（a minimum above its maximum）', { bad });
  await db.deleteFrom('holiday_zone_limits').where('holiday_id', '=', holiday.id).execute();
  const rows = limits
    .filter((l) => l.minOfficers !== null || l.maxOfficers !== null)
    .map((l) => ({
      holiday_id: holiday.id,
      war_zone_id: l.warZoneId,
      min_officers: l.minOfficers,
      max_officers: l.maxOfficers,
    }));
  if (rows.length) await db.insertInto('holiday_zone_limits').values(rows).execute();
}

/** A holiday's station minimum covers. */
export async function readStationCovers(db: Kysely<DB>, holidayId: number): Promise<HolidayDetail['stationCovers']> {
  const rows = await db
    .selectFrom('holiday_station_covers')
    .select(['station_code', 'min_officers'])
    .where('holiday_id', '=', holidayId)
    .orderBy('station_code')
    .execute();
  return rows.map((r) => ({ stationCode: r.station_code, minOfficers: r.min_officers }));
}

/** Replace a holiday's station minimum covers (0 removes one). */
export async function writeStationCovers(
  db: Kysely<DB>,
  holiday: HolidaySummary,
  covers: HolidayDetail['stationCovers'],
): Promise<void> {
  const { stations } = await readZonesAndStations(db, holiday.countyCode);
  const unknown = covers.filter((c) => !stations.some((s) => s.code === c.stationCode));
  if (unknown.length)
    throw new AppError(400, 'validation_failed', '有不属于本县的派出所（unknown stations）', { unknown });
  await db.deleteFrom('holiday_station_covers').where('holiday_id', '=', holiday.id).execute();
  const rows = covers
    .filter((c) => c.minOfficers > 0)
    .map((c) => ({ holiday_id: holiday.id, station_code: c.stationCode, min_officers: c.minOfficers }));
  if (rows.length) await db.insertInto('holiday_station_covers').values(rows).execute();
}

/** The county's officer pool with each officer's unavailability for the holiday. */
export async function readHolidayOfficers(
  db: Kysely<DB>,
  holiday: HolidaySummary,
  nearestStation?: (lon: number, lat: number) => string | null,
): Promise<HolidayOfficer[]> {
  const officers = await sql<{
    id: string;
    name: string;
    department: string;
    home_station_code: string | null;
    qualifications: string[];
    lon: number;
    lat: number;
  }>`
    select id, name, department, home_station_code, qualifications, ST_X(geom) as lon, ST_Y(geom) as lat
    from officers where county_code = ${holiday.countyCode} order by id`.execute(db);
  const off = await db
    .selectFrom('holiday_unavailability')
    .select(['officer_id', 'day', 'shift'])
    .where('holiday_id', '=', holiday.id)
    .orderBy('officer_id')
    .orderBy('day')
    .orderBy('shift')
    .execute();
  const byOfficer = new Map<string, [number, number][]>();
  for (const row of off)
    byOfficer.set(row.officer_id, [...(byOfficer.get(row.officer_id) ?? []), [row.day, row.shift]]);
  return officers.rows.map((o) => ({
    id: o.id,
    name: o.name,
    department: o.department,
    homeStation: o.home_station_code ?? (nearestStation ? nearestStation(o.lon, o.lat) : null),
    homeIsNearest: o.home_station_code === null && nearestStation !== undefined,
    qualifications: o.qualifications,
    unavailable: byOfficer.get(o.id) ?? [],
  }));
}

/** Replace one officer's unavailability for a holiday. */
export async function writeAvailability(
  db: Kysely<DB>,
  holiday: HolidaySummary,
  officerId: string,
  unavailable: [number, number][],
): Promise<void> {
  const officer = await db
    .selectFrom('officers')
    .select('id')
    .where('id', '=', officerId)
    .where('county_code', '=', holiday.countyCode)
    .executeTakeFirst();
  if (!officer) throw notFound(`没有警员 ${officerId}（No officer ${officerId}）`);
  const outside = unavailable.filter(([d, s]) => d >= holiday.days || s >= holiday.shiftsPerDay);
  if (outside.length)
    throw new AppError(400, 'validation_failed', '有超出假期的天或班次（days or shifts outside the holiday）', {
      outside,
    });
  await db
    .deleteFrom('holiday_unavailability')
    .where('holiday_id', '=', holiday.id)
    .where('officer_id', '=', officerId)
    .execute();
  const rows = [...new Set(unavailable.map(([d, s]) => `${d}|${s}`))].map((key) => {
    const [day, shift] = key.split('|').map(Number) as [number, number];
    return { holiday_id: holiday.id, officer_id: officerId, day, shift };
  });
  if (rows.length) await db.insertInto('holiday_unavailability').values(rows).execute();
}

/** Store a solved plan; its id. */
export async function savePlan(
  db: Kysely<DB>,
  detail: Omit<PlanDetail, 'id' | 'createdAt'>,
  by: string,
): Promise<number> {
  const { coverage, assignments, explanations, baseline, variables, constraints, ...summary } = detail;
  const row = await db
    .insertInto('holiday_plans')
    .values({
      holiday_id: detail.holidayId,
      label: detail.label,
      summary: JSON.stringify(summary),
      detail: JSON.stringify({ coverage, assignments, explanations, baseline, variables, constraints }),
      created_by: by,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

const parse = (value: unknown) => (typeof value === 'string' ? (JSON.parse(value) as unknown) : value);

/** A holiday's plans, newest first. */
export async function listPlans(db: Kysely<DB>, holiday: HolidaySummary): Promise<PlanSummary[]> {
  const rows = await sql<{ id: number; summary: unknown; created_at: string }>`
    select id, summary, to_char(created_at at time zone 'UTC' + interval '8 hours', 'YYYY-MM-DD"T"HH24:MI:SS"+08:00"') as created_at
    from holiday_plans where holiday_id = ${holiday.id} order by id desc`.execute(db);
  return rows.rows.map((r) => ({
    ...(parse(r.summary) as Omit<PlanSummary, 'id' | 'createdAt' | 'published'>),
    id: r.id,
    createdAt: r.created_at,
    published: holiday.publishedPlanId === r.id,
  }));
}

/** One plan with its coverage, roster and explanations, or 404. */
export async function readPlan(db: Kysely<DB>, holiday: HolidaySummary, planId: number): Promise<PlanDetail> {
  const rows = await sql<{ id: number; summary: unknown; detail: unknown; created_at: string }>`
    select id, summary, detail,
           to_char(created_at at time zone 'UTC' + interval '8 hours', 'YYYY-MM-DD"T"HH24:MI:SS"+08:00"') as created_at
    from holiday_plans where holiday_id = ${holiday.id} and id = ${planId}`.execute(db);
  const row = rows.rows[0];
  if (!row) throw notFound(`没有方案 ${planId}（No plan ${planId} for this holiday）`);
  return {
    ...(parse(row.summary) as Omit<PlanSummary, 'id' | 'createdAt' | 'published'>),
    ...(parse(row.detail) as Pick<
      PlanDetail,
      'coverage' | 'assignments' | 'explanations' | 'baseline' | 'variables' | 'constraints'
    >),
    id: row.id,
    createdAt: row.created_at,
    published: holiday.publishedPlanId === row.id,
  };
}

/** Publish a plan of the holiday. */
export async function publishPlan(db: Kysely<DB>, holiday: HolidaySummary, planId: number): Promise<HolidaySummary> {
  await readPlan(db, holiday, planId);
  await db
    .updateTable('holidays')
    .set({ status: 'published', published_plan_id: planId })
    .where('id', '=', holiday.id)
    .execute();
  return readHoliday(db, holiday.id);
}
