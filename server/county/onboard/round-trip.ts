/**
 * What a county looks like to its users, to compare one onboarded from files with the same
 * county loaded directly (issue 15.11): its counts, its automatic grid partition and its drive
 * times from each police station to each village, to the second.
 */
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { attachToRoad, costsFrom } from '../../routing/network.js';
import { RoadRouting } from '../../routing/service.js';

const COUNTED = [
  'townships',
  'villages',
  'households',
  'road_nodes',
  'road_edges',
  'police_stations',
  'war_zones',
  'station_townships',
  'bus_stops',
  'officers',
  'events',
] as const;

/** A county's fingerprint for the round trip. */
export interface CountyFingerprint {
  counts: Record<string, number>;
  /** Each township's grids, each as its households' codes (sorted), the grids sorted. */
  partition: Record<string, string[]>;
  /** Whole seconds from each station to each village's point (`station→village`), null when unreachable. */
  driveSeconds: Record<string, number | null>;
}

/**
 * The county's fingerprint. Drive times start and end at the given points (the same points for
 * both counties, so that only the roads are compared): stations and villages by code.
 */
export async function countyFingerprint(
  db: Kysely<DB>,
  countyCode: string,
  places: {
    stations: { code: string; point: [number, number] }[];
    villages: { code: string; point: [number, number] }[];
  },
): Promise<CountyFingerprint> {
  const counts: Record<string, number> = {};
  for (const table of COUNTED) {
    const where =
      table === 'villages'
        ? sql`township_code in (select code from townships where county_code = ${countyCode})`
        : table === 'households'
          ? sql`village_code in (select v.code from villages v join townships t on t.code = v.township_code
              where t.county_code = ${countyCode})`
          : table === 'station_townships'
            ? sql`station_code in (select code from police_stations where county_code = ${countyCode})`
            : sql`county_code = ${countyCode}`;
    const row = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)} where ${where}`.execute(db);
    counts[table] = row.rows[0]!.n;
  }
  const grids = await sql<{ township_code: string; households: string[] }>`
    select g.township_code, array_agg(h order by h) as households
    from grid_plans p
    join grid_plan_grids g on g.plan_id = p.id
    join grid_plan_units pu on pu.plan_id = p.id and pu.grid_id = g.grid_id
    join grid_units u on u.id = pu.unit_id
    cross join unnest(u.household_codes) as h
    where p.county_code = ${countyCode} and p.status = 'active'
    group by g.township_code, g.grid_id`.execute(db);
  const partition: Record<string, string[]> = {};
  for (const g of grids.rows) (partition[g.township_code] ??= []).push(g.households.join(','));
  for (const list of Object.values(partition)) list.sort();

  const network = await new RoadRouting(db).network();
  const villagePoints = places.villages.map((v) => attachToRoad(network, v.point[0], v.point[1]));
  const driveSeconds: Record<string, number | null> = {};
  for (const station of places.stations) {
    const from = attachToRoad(network, station.point[0], station.point[1]);
    const reachable = villagePoints.filter((p) => p !== null);
    const costs = from ? costsFrom(network, from, reachable) : null;
    let k = 0;
    places.villages.forEach((v, i) => {
      const cost = villagePoints[i] ? costs?.[k++] : undefined;
      driveSeconds[`${station.code}→${v.code}`] =
        cost === undefined || !Number.isFinite(cost) ? null : Math.round(cost);
    });
  }
  return { counts, partition, driveSeconds };
}

/** Where two fingerprints differ: counts, townships whose partition differs, drive times that differ. */
export function fingerprintDifferences(
  direct: CountyFingerprint,
  onboarded: CountyFingerprint,
): {
  counts: Record<string, [number, number]>;
  partitionTownships: string[];
  driveSeconds: Record<string, [number | null, number | null]>;
} {
  const counts: Record<string, [number, number]> = {};
  for (const key of Object.keys(direct.counts)) {
    if (direct.counts[key] !== onboarded.counts[key]) counts[key] = [direct.counts[key]!, onboarded.counts[key]!];
  }
  const townships = new Set([...Object.keys(direct.partition), ...Object.keys(onboarded.partition)]);
  const partitionTownships = [...townships]
    .filter((t) => (direct.partition[t] ?? []).join('|') !== (onboarded.partition[t] ?? []).join('|'))
    .sort();
  const driveSeconds: Record<string, [number | null, number | null]> = {};
  for (const key of Object.keys(direct.driveSeconds)) {
    const a = direct.driveSeconds[key] ?? null;
    const b = onboarded.driveSeconds[key] ?? null;
    if (a !== b) driveSeconds[key] = [a, b];
  }
  return { counts, partitionTownships, driveSeconds };
}
