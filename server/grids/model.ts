import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import {
  buildUnitGraph,
  DriveTimes,
  type PartitionUnit,
  type TargetOptions,
  type UnitGraph,
} from './partition/index.js';
import type { PlanTargets } from './api-types.js';

/** A township's units as the planners' tools hold them in memory (read from grid_units). */
export interface TownshipModel {
  code: string;
  name: string;
  /** grid_units.id of each unit index. */
  unitIds: number[];
  units: PartitionUnit[];
  /** Village code and name of each village index. */
  villageCodes: string[];
  villageNames: string[];
  /** The unit's representative road point [lon, lat]. */
  representatives: ([number, number] | null)[];
  graph: UnitGraph;
  /** Drive times between units on the unit graph, cached per source: kept with the model. */
  drive: DriveTimes;
}

/** A county's townships and where each unit id is. */
export interface CountyModel {
  countyCode: string;
  townships: Map<string, TownshipModel>;
  /** unit id → [township code, unit index]. */
  unitPlace: Map<number, [string, number]>;
}

/** Reads a county's units and links (built by `ensureUnits`) into memory. */
export async function loadCountyModel(db: Kysely<DB>, countyCode: string): Promise<CountyModel> {
  const townships = await sql<{ code: string; name: string }>`
    select code, name from townships where county_code = ${countyCode} order by code`.execute(db);
  const villages = await sql<{ code: string; name: string; kind: 'village' | 'community'; township_code: string }>`
    select v.code, v.name, v.kind, v.township_code from villages v
    join townships t on t.code = v.township_code where t.county_code = ${countyCode} order by v.code`.execute(db);
  const units = await sql<{
    id: number;
    township_code: string;
    unit_index: number;
    village_code: string;
    name: string | null;
    households: number;
    lon: number | null;
    lat: number | null;
  }>`
    select id, township_code, unit_index, village_code, name, households,
      ST_X(representative) as lon, ST_Y(representative) as lat
    from grid_units where county_code = ${countyCode} order by township_code, unit_index`.execute(db);
  const links = await sql<{ township_code: string; a: number; b: number; drive_seconds: number }>`
    select l.township_code, l.a, l.b, l.drive_seconds from grid_unit_links l
    join townships t on t.code = l.township_code where t.county_code = ${countyCode}`.execute(db);

  const model: CountyModel = { countyCode, townships: new Map(), unitPlace: new Map() };
  const villagesOf = new Map<string, typeof villages.rows>();
  for (const v of villages.rows) {
    if (!villagesOf.has(v.township_code)) villagesOf.set(v.township_code, []);
    villagesOf.get(v.township_code)!.push(v);
  }
  const unitsOf = new Map<string, typeof units.rows>();
  for (const u of units.rows) {
    if (!unitsOf.has(u.township_code)) unitsOf.set(u.township_code, []);
    unitsOf.get(u.township_code)!.push(u);
  }
  const linksOf = new Map<string, typeof links.rows>();
  for (const l of links.rows) {
    if (!linksOf.has(l.township_code)) linksOf.set(l.township_code, []);
    linksOf.get(l.township_code)!.push(l);
  }
  for (const township of townships.rows) {
    const vs = villagesOf.get(township.code) ?? [];
    const villageIndex = new Map(vs.map((v, i) => [v.code, i]));
    const rows = unitsOf.get(township.code) ?? [];
    rows.forEach((row, i) => {
      if (row.unit_index !== i) throw new Error(`Units of township ${township.code} are not numbered 0..n-1`);
    });
    const partitionUnits: PartitionUnit[] = rows.map((row) => {
      const v = villageIndex.get(row.village_code)!;
      return { households: row.households, villageIndex: v, kind: vs[v]!.kind, name: row.name ?? `${vs[v]!.name}` };
    });
    const graph = buildUnitGraph(
      rows.length,
      (linksOf.get(township.code) ?? []).map((l) => ({ a: l.a, b: l.b, driveSeconds: l.drive_seconds })),
    );
    model.townships.set(township.code, {
      code: township.code,
      name: township.name,
      unitIds: rows.map((r) => r.id),
      units: partitionUnits,
      villageCodes: vs.map((v) => v.code),
      villageNames: vs.map((v) => v.name),
      representatives: rows.map((r) => (r.lon === null || r.lat === null ? null : [r.lon, r.lat])),
      graph,
      drive: new DriveTimes(graph),
    });
    rows.forEach((row, i) => model.unitPlace.set(row.id, [township.code, i]));
  }
  return model;
}

/** Default targets: 200 households per rural grid, 300 per community grid, no overrides. */
export const DEFAULT_PLAN_TARGETS: Readonly<PlanTargets> = Object.freeze({
  village: 200,
  community: 300,
  townships: {},
  villages: {},
});

/** A plan's stored targets (any subset) completed with the defaults. */
export function planTargets(stored: unknown): PlanTargets {
  const value = (stored ?? {}) as Partial<PlanTargets>;
  return {
    village: value.village ?? DEFAULT_PLAN_TARGETS.village,
    community: value.community ?? DEFAULT_PLAN_TARGETS.community,
    townships: value.townships ?? {},
    villages: value.villages ?? {},
  };
}

/** The partition core's target options for one township of a plan. */
export function townshipTargets(targets: PlanTargets, township: TownshipModel): TargetOptions {
  const own = targets.townships[township.code] ?? {};
  const byVillage: Record<number, number> = {};
  township.villageCodes.forEach((code, i) => {
    const t = targets.villages[code];
    if (t !== undefined) byVillage[i] = t;
  });
  return {
    villageTargetHouseholds: own.village ?? targets.village,
    communityTargetHouseholds: own.community ?? targets.community,
    targetByVillage: byVillage,
  };
}
