import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.js';

/** Persons in the five no-trip groups (五类免跑群体). */
export interface NoTripGroups {
  aged70Plus: number;
  disabled: number;
  leftBehind: number;
  lowIncome: number;
  needsAssistance: number;
}

export interface StationPlace {
  code: string;
  name: string;
  countyCode: string;
  warZone: string | null;
  lon: number;
  lat: number;
}

export interface VillagePlace {
  code: string;
  name: string;
  kind: 'village' | 'community';
  countyCode: string;
  townshipCode: string;
  townshipName: string;
  /** The station whose jurisdiction (the township's) holds the village; null when none is set. */
  stationCode: string | null;
  lon: number;
  lat: number;
  households: number;
  persons: number;
  groups: NoTripGroups;
}

/** The places the no-trip rules are computed on; household points as typed arrays, grouped by village. */
export interface PolicingPlaces {
  stations: StationPlace[];
  villages: VillagePlace[];
  /** Households of village i are householdLon/Lat[householdStart[i] .. householdStart[i + 1]). */
  householdStart: Int32Array;
  householdLon: Float64Array;
  householdLat: Float64Array;
  busStops: { id: string; lon: number; lat: number }[];
}

/** Read stations, villages with their group counts, household points and bus stops. */
export async function loadPolicingPlaces(db: Kysely<DB>, countyCode?: string): Promise<PolicingPlaces> {
  const county = (column: string) => (countyCode ? sql`where ${sql.ref(column)} = ${countyCode}` : sql``);
  const stations = await sql<StationPlace>`
    select s.code, s.name, s.county_code as "countyCode", z.name as "warZone",
           ST_X(s.geom) as lon, ST_Y(s.geom) as lat
    from police_stations s left join war_zones z on z.id = s.war_zone_id
    ${county('s.county_code')} order by s.code`.execute(db);
  const villages = await sql<Omit<VillagePlace, 'groups'> & NoTripGroups>`
    select v.code, v.name, v.kind, t.county_code as "countyCode", t.code as "townshipCode",
           t.name as "townshipName", t.police_station_code as "stationCode",
           ST_X(v.centre) as lon, ST_Y(v.centre) as lat,
           count(h.id) as households, coalesce(sum(h.persons), 0) as persons,
           coalesce(sum(h.aged_70_plus), 0) as "aged70Plus", coalesce(sum(h.disabled), 0) as disabled,
           coalesce(sum(h.left_behind), 0) as "leftBehind", coalesce(sum(h.low_income), 0) as "lowIncome",
           coalesce(sum(h.needs_assistance), 0) as "needsAssistance"
    from villages v join townships t on t.code = v.township_code
    left join households h on h.village_code = v.code
    ${county('t.county_code')}
    group by v.code, t.code order by v.code`.execute(db);
  const households = await sql<{ village_code: string; lon: number; lat: number }>`
    select h.village_code, ST_X(h.geom) as lon, ST_Y(h.geom) as lat
    from households h join villages v on v.code = h.village_code join townships t on t.code = v.township_code
    ${county('t.county_code')} order by h.village_code, h.id`.execute(db);
  const busStops = await sql<{ id: string; lon: number; lat: number }>`
    select id, ST_X(geom) as lon, ST_Y(geom) as lat from bus_stops ${county('county_code')} order by id`.execute(db);

  const villageIndex = new Map(villages.rows.map((v, i) => [v.code, i]));
  const householdStart = new Int32Array(villages.rows.length + 1);
  for (const h of households.rows) householdStart[villageIndex.get(h.village_code)! + 1]!++;
  for (let i = 0; i < villages.rows.length; i++) householdStart[i + 1]! += householdStart[i]!;
  const householdLon = new Float64Array(households.rows.length);
  const householdLat = new Float64Array(households.rows.length);
  const fill = householdStart.slice(0, villages.rows.length);
  for (const h of households.rows) {
    const at = fill[villageIndex.get(h.village_code)!]!++;
    householdLon[at] = h.lon;
    householdLat[at] = h.lat;
  }
  return {
    stations: stations.rows,
    villages: villages.rows.map(({ aged70Plus, disabled, leftBehind, lowIncome, needsAssistance, ...v }) => ({
      ...v,
      groups: { aged70Plus, disabled, leftBehind, lowIncome, needsAssistance },
    })),
    householdStart,
    householdLon,
    householdLat,
    busStops: busStops.rows,
  };
}
