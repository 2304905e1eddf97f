import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import { AppError } from '../http/errors.js';
import type { PlanComparison } from './api-types.js';

/** A FeatureCollection written as text from rows that carry their geometry as GeoJSON text. */
function featureCollection(rows: readonly { geometry: string | null; properties: object }[]): string {
  const parts = rows
    .filter((r) => r.geometry !== null)
    .map((r) => `{"type":"Feature","geometry":${r.geometry},"properties":${JSON.stringify(r.properties)}}`);
  return `{"type":"FeatureCollection","features":[${parts.join(',')}]}`;
}

/** The plan's units of one township with their grid (UnitFeatureProperties), as GeoJSON text. */
export async function unitsGeoJson(db: Kysely<DB>, planId: number, townshipCode: string): Promise<string> {
  const rows = await sql<{
    id: number;
    township_code: string;
    village_code: string;
    village_name: string;
    name: string | null;
    households: number;
    grid_id: number | null;
    geometry: string;
  }>`
    select u.id, u.township_code, u.village_code, v.name as village_name, u.name, u.households, pu.grid_id,
      ST_AsGeoJSON(u.geom, 6) as geometry
    from grid_units u join villages v on v.code = u.village_code
    join grid_plan_units pu on pu.unit_id = u.id and pu.plan_id = ${planId}
    where u.township_code = ${townshipCode} order by u.unit_index`.execute(db);
  return featureCollection(
    rows.rows.map((r) => ({
      geometry: r.geometry,
      properties: {
        unitId: r.id,
        townshipCode: r.township_code,
        villageCode: r.village_code,
        villageName: r.village_name,
        name: r.name,
        households: r.households,
        gridId: r.grid_id,
      },
    })),
  );
}

/**
 * The plan's grid shapes (GridFeatureProperties), of one township or all; with `full`, every
 * attribute and figure (the plan's GeoJSON export).
 */
export async function gridsGeoJson(
  db: Kysely<DB>,
  planId: number,
  options: { townshipCode?: string; full?: boolean } = {},
): Promise<string> {
  const rows = await sql<{
    grid_id: number;
    township_code: string;
    township_name: string;
    name: string;
    households: number;
    target_households: number;
    deviation_ratio: number;
    contiguous: boolean;
    locked: boolean;
    unit_count: number;
    village_codes: string[];
    max_drive_seconds: number;
    worker_name: string | null;
    worker_phone: string | null;
    duty_list: string;
    negative_list: string;
    exemption_list: string;
    score: number | null;
    geometry: string | null;
  }>`
    select g.grid_id, g.township_code, t.name as township_name, g.name, g.households, g.target_households,
      g.deviation_ratio, g.contiguous, g.locked, g.unit_count, g.village_codes, g.max_drive_seconds,
      g.worker_name, g.worker_phone, g.duty_list, g.negative_list, g.exemption_list, g.score,
      ST_AsGeoJSON(g.geom, 6) as geometry
    from grid_plan_grids g join townships t on t.code = g.township_code
    where g.plan_id = ${planId} ${options.townshipCode ? sql`and g.township_code = ${options.townshipCode}` : sql``}
    order by g.township_code, g.grid_id`.execute(db);
  return featureCollection(
    rows.rows.map((r) => ({
      geometry: r.geometry,
      properties: options.full
        ? {
            gridId: r.grid_id,
            townshipCode: r.township_code,
            townshipName: r.township_name,
            name: r.name,
            households: r.households,
            targetHouseholds: Math.round(r.target_households),
            deviationRatio: Math.round(r.deviation_ratio * 1000) / 1000,
            units: r.unit_count,
            villageCodes: r.village_codes,
            maxDriveMinutes: Math.round(r.max_drive_seconds / 6) / 10,
            contiguous: r.contiguous,
            locked: r.locked,
            workerName: r.worker_name,
            workerPhone: r.worker_phone,
            dutyList: r.duty_list,
            negativeList: r.negative_list,
            exemptionList: r.exemption_list,
            score: r.score,
          }
        : {
            gridId: r.grid_id,
            townshipCode: r.township_code,
            name: r.name,
            households: r.households,
            deviationRatio: r.deviation_ratio,
            contiguous: r.contiguous,
            locked: r.locked,
          },
    })),
  );
}

/**
 * Every household of the plan's county with its grid (for the household CSV); with `townships`,
 * only the households of those townships (a planner limited to them).
 */
export async function householdGrids(
  db: Kysely<DB>,
  planId: number,
  townships: readonly string[] | null = null,
): Promise<{ household: string; township: string; village: string; grid: string | null; gridId: number | null }[]> {
  const rows = await sql<{
    household: string;
    township: string;
    village: string;
    grid: string | null;
    grid_id: number | null;
  }>`
    select h.code as household, t.name as township, v.name as village, g.name as grid, pu.grid_id
    from grid_plan_units pu join grid_units u on u.id = pu.unit_id
    cross join lateral unnest(u.household_codes) as h(code)
    join villages v on v.code = u.village_code join townships t on t.code = u.township_code
    left join grid_plan_grids g on g.plan_id = pu.plan_id and g.grid_id = pu.grid_id
    where pu.plan_id = ${planId}
      ${townships === null ? sql`` : townships.length === 0 ? sql`and false` : sql`and u.township_code in (${sql.join(townships)})`}
    order by t.code, v.code, h.code`.execute(db);
  return rows.rows.map((r) => ({ ...r, gridId: r.grid_id }));
}

/**
 * Which households are in another grid in plan b than in plan a. Grids are matched by the
 * households they share, not by id: a unit has "moved" when its grid in b is not the b-grid
 * that took most of its a-grid's households.
 */
export async function comparePlans(db: Kysely<DB>, a: number, b: number): Promise<PlanComparison> {
  const plans = await sql<{ id: number; name: string; revision: number; county_code: string }>`
    select id, name, revision, county_code from grid_plans where id in (${a}, ${b})`.execute(db);
  const planA = plans.rows.find((p) => p.id === a);
  const planB = plans.rows.find((p) => p.id === b);
  if (!planA || !planB) throw AppError.notFound(`没有网格方案 ${!planA ? a : b}（No grid plan ${!planA ? a : b}）`);
  if (planA.county_code !== planB.county_code) {
    throw AppError.badRequest('两个方案属于不同的县，无法比较（The plans are of different counties）');
  }
  const rows = await sql<{
    unit_id: number;
    township_code: string;
    township_name: string;
    village_name: string;
    households: number;
    grid_a: number | null;
    grid_b: number | null;
    name_a: string | null;
    name_b: string | null;
  }>`
    select u.id as unit_id, u.township_code, t.name as township_name, v.name as village_name, u.households,
      pa.grid_id as grid_a, pb.grid_id as grid_b, ga.name as name_a, gb.name as name_b
    from grid_units u join townships t on t.code = u.township_code join villages v on v.code = u.village_code
    join grid_plan_units pa on pa.unit_id = u.id and pa.plan_id = ${a}
    join grid_plan_units pb on pb.unit_id = u.id and pb.plan_id = ${b}
    left join grid_plan_grids ga on ga.plan_id = ${a} and ga.grid_id = pa.grid_id
    left join grid_plan_grids gb on gb.plan_id = ${b} and gb.grid_id = pb.grid_id
    order by u.township_code, u.unit_index`.execute(db);
  // The b-grid matching each a-grid: the one holding most of its households.
  const shared = new Map<string, number>();
  for (const r of rows.rows) {
    if (r.grid_a === null || r.grid_b === null) continue;
    const key = `${r.grid_a}:${r.grid_b}`;
    shared.set(key, (shared.get(key) ?? 0) + r.households);
  }
  const match = new Map<number, number>();
  const best = new Map<number, number>();
  for (const [key, households] of shared) {
    const [ga, gb] = key.split(':').map(Number) as [number, number];
    if (households > (best.get(ga) ?? -1)) {
      best.set(ga, households);
      match.set(ga, gb);
    }
  }
  const townships = new Map<string, PlanComparison['townships'][number] & { a: Set<number>; b: Set<number> }>();
  const moves: PlanComparison['moves'] = [];
  for (const r of rows.rows) {
    let t = townships.get(r.township_code);
    if (!t) {
      t = {
        code: r.township_code,
        name: r.township_name,
        householdsMoved: 0,
        gridsA: 0,
        gridsB: 0,
        a: new Set(),
        b: new Set(),
      };
      townships.set(r.township_code, t);
    }
    if (r.grid_a !== null) t.a.add(r.grid_a);
    if (r.grid_b !== null) t.b.add(r.grid_b);
    const moved = r.grid_a === null ? r.grid_b !== null : r.grid_b !== match.get(r.grid_a);
    if (!moved) continue;
    t.householdsMoved += r.households;
    moves.push({
      unitId: r.unit_id,
      townshipCode: r.township_code,
      villageName: r.village_name,
      households: r.households,
      fromGrid: r.name_a,
      toGrid: r.name_b,
    });
  }
  return {
    a: { id: planA.id, name: planA.name, revision: planA.revision },
    b: { id: planB.id, name: planB.name, revision: planB.revision },
    householdsMoved: moves.reduce((s, m) => s + m.households, 0),
    unitsMoved: moves.length,
    townships: [...townships.values()].map(({ a: ga, b: gb, ...t }) => ({ ...t, gridsA: ga.size, gridsB: gb.size })),
    moves,
  };
}
