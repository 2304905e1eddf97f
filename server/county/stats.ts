import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.js';

/** Counts of every layer, for the whole database or one county. */
export interface CountyStats {
  counties: number;
  /** Townships (乡镇), not counting special units such as a nature reserve. */
  townships: number;
  /** Special township-level units (e.g. 乌岩岭自然保护区). */
  specialUnits: number;
  villages: number;
  communities: number;
  households: number;
  /** Households placed along their village's roads because the file gave no coordinates. */
  estimatedHouseholds: number;
  /** estimatedHouseholds / households (0–1; 0 without households). */
  estimatedShare: number;
  persons: number;
  stations: number;
  warZones: number;
  roadEdges: number;
  roadKm: number;
  rivers: number;
  busLines: number;
  busStops: number;
  mediationRooms: number;
  sageRooms: number;
  events: number;
  officers: number;
}

/** Count every layer (of one county when `countyCode` is given). */
export async function countyStats(db: Kysely<DB>, countyCode?: string): Promise<CountyStats> {
  const where = (column: string) => (countyCode ? sql`where ${sql.ref(column)} = ${countyCode}` : sql``);
  const result = await sql<CountyStats>`
    select
      (select count(*) from counties ${where('code')}) as counties,
      (select count(*) from townships ${where('county_code')} ${countyCode ? sql`and` : sql`where`} kind <> 'reserve') as townships,
      (select count(*) from townships ${where('county_code')} ${countyCode ? sql`and` : sql`where`} kind = 'reserve') as "specialUnits",
      (select count(*) from villages v join townships t on t.code = v.township_code ${where('t.county_code')}) as villages,
      (select count(*) from villages v join townships t on t.code = v.township_code ${where('t.county_code')}
         ${countyCode ? sql`and` : sql`where`} v.kind = 'community') as communities,
      (select count(*) from households h join villages v on v.code = h.village_code
         join townships t on t.code = v.township_code ${where('t.county_code')}) as households,
      (select count(*) from households h join villages v on v.code = h.village_code
         join townships t on t.code = v.township_code ${where('t.county_code')}
         ${countyCode ? sql`and` : sql`where`} h.estimated) as "estimatedHouseholds",
      (select coalesce(avg(case when h.estimated then 1 else 0 end), 0)::float8 from households h
         join villages v on v.code = h.village_code
         join townships t on t.code = v.township_code ${where('t.county_code')}) as "estimatedShare",
      (select coalesce(sum(h.persons), 0) from households h join villages v on v.code = h.village_code
         join townships t on t.code = v.township_code ${where('t.county_code')}) as persons,
      (select count(*) from police_stations ${where('county_code')}) as stations,
      (select count(*) from war_zones ${where('county_code')}) as "warZones",
      (select count(*) from road_edges ${where('county_code')}) as "roadEdges",
      (select coalesce(round((sum(length_m) / 1000)::numeric, 1), 0) from road_edges ${where('county_code')}) as "roadKm",
      (select count(*) from rivers ${where('county_code')}) as rivers,
      (select count(*) from bus_lines ${where('county_code')}) as "busLines",
      (select count(*) from bus_stops ${where('county_code')}) as "busStops",
      (select count(*) from mediation_rooms ${where('county_code')}) as "mediationRooms",
      (select count(*) from sage_police_rooms ${where('county_code')}) as "sageRooms",
      (select count(*) from events ${where('county_code')}) as events,
      (select count(*) from officers ${where('county_code')}) as officers
  `.execute(db);
  return result.rows[0]!;
}
