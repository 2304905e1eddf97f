import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import { AppError } from '../http/errors.js';

/** A backpack-policing visit as recorded. */
export interface BackpackVisit {
  id: number;
  villageCode: string;
  villageName: string;
  stationCode: string;
  visitedOn: string;
  officers: number;
  businessHandled: number;
  helpRequests: number;
  unregisteredResolved: number;
  note: string | null;
  recordedBy: string;
}

export interface NewVisit {
  villageCode: string;
  visitedOn: string;
  officers: number;
  businessHandled: number;
  helpRequests: number;
  unregisteredResolved: number;
  note?: string | undefined;
}

/** Totals of the services done on visits (the seed reports 420 / 650+ / 41 since 2018). */
export interface VisitTotals {
  visits: number;
  villages: number;
  businessHandled: number;
  helpRequests: number;
  unregisteredResolved: number;
  firstVisit: string | null;
  lastVisit: string | null;
}

export interface VisitFilter {
  countyCode?: string | undefined;
  stationCode?: string | undefined;
  villageCode?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
}

function whereOf(filter: VisitFilter) {
  const parts = [sql`true`];
  if (filter.countyCode) parts.push(sql`s.county_code = ${filter.countyCode}`);
  if (filter.stationCode) parts.push(sql`b.station_code = ${filter.stationCode}`);
  if (filter.villageCode) parts.push(sql`b.village_code = ${filter.villageCode}`);
  if (filter.from) parts.push(sql`b.visited_on >= ${filter.from}::date`);
  if (filter.to) parts.push(sql`b.visited_on <= ${filter.to}::date`);
  return sql.join(parts, sql` and `);
}

/** Record a visit; the station is the one whose jurisdiction holds the village. */
export async function recordVisit(db: Kysely<DB>, visit: NewVisit, by: string): Promise<BackpackVisit> {
  const village = await sql<{ station_code: string | null }>`
    select t.police_station_code as station_code from villages v join townships t on t.code = v.township_code
    where v.code = ${visit.villageCode}`.execute(db);
  const row = village.rows[0];
  if (!row) throw new AppError(404, 'not_found', `没有村 ${visit.villageCode}（No village ${visit.villageCode}）`);
  if (!row.station_code) {
    throw new AppError(
      409,
      'conflict',
      `村 ${visit.villageCode} 所在乡镇没有派出所（The village's township has no police station）`,
    );
  }
  const inserted = await db
    .insertInto('backpack_visits')
    .values({
      village_code: visit.villageCode,
      station_code: row.station_code,
      visited_on: visit.visitedOn,
      officers: visit.officers,
      business_handled: visit.businessHandled,
      help_requests: visit.helpRequests,
      unregistered_resolved: visit.unregisteredResolved,
      note: visit.note ?? null,
      recorded_by: by,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const [saved] = await listVisits(db, { villageCode: visit.villageCode }, { id: inserted.id });
  return saved!;
}

/** Visits matching the filter, newest first (at most `limit`). */
export async function listVisits(
  db: Kysely<DB>,
  filter: VisitFilter,
  options: { limit?: number; id?: number } = {},
): Promise<BackpackVisit[]> {
  const result = await sql<BackpackVisit>`
    select b.id, b.village_code as "villageCode", v.name as "villageName", b.station_code as "stationCode",
           b.visited_on::text as "visitedOn", b.officers, b.business_handled as "businessHandled",
           b.help_requests as "helpRequests", b.unregistered_resolved as "unregisteredResolved",
           b.note, b.recorded_by as "recordedBy"
    from backpack_visits b join villages v on v.code = b.village_code
    join police_stations s on s.code = b.station_code
    where ${whereOf(filter)} ${options.id === undefined ? sql`` : sql`and b.id = ${options.id}`}
    order by b.visited_on desc, b.id desc limit ${options.limit ?? 500}`.execute(db);
  return result.rows;
}

/** Totals of visits matching the filter. */
export async function visitTotals(db: Kysely<DB>, filter: VisitFilter): Promise<VisitTotals> {
  const result = await sql<VisitTotals>`
    select count(*) as visits, count(distinct b.village_code) as villages,
           coalesce(sum(b.business_handled), 0) as "businessHandled",
           coalesce(sum(b.help_requests), 0) as "helpRequests",
           coalesce(sum(b.unregistered_resolved), 0) as "unregisteredResolved",
           min(b.visited_on)::text as "firstVisit", max(b.visited_on)::text as "lastVisit"
    from backpack_visits b join police_stations s on s.code = b.station_code
    where ${whereOf(filter)}`.execute(db);
  return result.rows[0]!;
}
