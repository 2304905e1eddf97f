import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../db/schema.js';
import type { RoadNetwork } from '../routing/network.js';
import { loadTownshipUnits, type TownshipUnits, type UnitOptions } from './units/index.js';

/** Progress of building a county's units: townships done of all. */
export type UnitBuildProgress = (done: number, total: number, townshipName: string) => void;

/** Raised when the way units are built changes (sizes, cuts), so that stored units are built again. */
const UNIT_BUILDER_VERSION = 'units-2';

/** What `ensureUnits` did. */
export interface UnitSetStatus {
  rebuilt: boolean;
  units: number;
  households: number;
  /** Plans whose units were carried over to the new units (after the households changed). */
  plansCarried: number;
}

/** The county's households as the units were built from them: count and a hash of their codes and places. */
export async function householdFingerprint(
  db: Kysely<DB>,
  countyCode: string,
): Promise<{ households: number; fingerprint: string }> {
  const row = await sql<{ n: number; fp: string | null }>`
    select count(*)::int as n,
      md5(string_agg(h.code || ':' || h.village_code || ':' || ST_AsText(h.geom), ',' order by h.code)) as fp
    from households h join villages v on v.code = h.village_code
    join townships t on t.code = v.township_code
    where t.county_code = ${countyCode}`.execute(db);
  return { households: row.rows[0]!.n, fingerprint: `${UNIT_BUILDER_VERSION}:${row.rows[0]!.fp ?? 'empty'}` };
}

/**
 * Makes sure the county's grid units are built from its current households: when none exist or
 * the households changed since (an import), every township's units, road links and polygons are
 * built again in one transaction, and every plan of the county is carried over — each new unit
 * goes to the grid that held most of its households before, and the plan records it as a
 * revision that cannot be undone (unit ids changed). Nothing of a plan is lost but the history's
 * undo across the rebuild.
 */
export async function ensureUnits(
  db: Kysely<DB>,
  countyCode: string,
  network: RoadNetwork,
  options: UnitOptions & {
    onProgress?: UnitBuildProgress;
    /** Runs inside the rebuild's transaction after the plans were carried over (to recompute their figures). */
    afterCarry?: (trx: Transaction<DB>, planIds: number[]) => Promise<void>;
  } = {},
): Promise<UnitSetStatus> {
  const current = await householdFingerprint(db, countyCode);
  const stored = await db
    .selectFrom('grid_unit_sets')
    .select(['fingerprint'])
    .where('county_code', '=', countyCode)
    .executeTakeFirst();
  if (stored?.fingerprint === current.fingerprint) {
    const count = await sql<{ n: number }>`
      select count(*)::int as n from grid_units where county_code = ${countyCode}`.execute(db);
    return { rebuilt: false, units: count.rows[0]!.n, households: current.households, plansCarried: 0 };
  }
  const townships = await sql<{ code: string; name: string }>`
    select code, name from townships where county_code = ${countyCode} order by code`.execute(db);
  const { onProgress: _progress, afterCarry: _after, ...unitOptions } = options;
  // Build outside the transaction (reads only); write everything in one.
  const built: TownshipUnits[] = [];
  for (const [i, township] of townships.rows.entries()) {
    built.push(await loadTownshipUnits(db, township.code, network, { ...unitOptions, polygons: true }));
    options.onProgress?.(i + 1, townships.rows.length, township.name);
  }
  return db.transaction().execute(async (trx) => {
    const carried = await householdGridsOfPlans(trx, countyCode);
    await sql`delete from grid_units where county_code = ${countyCode}`.execute(trx);
    await sql`delete from grid_unit_links l using townships t
      where t.code = l.township_code and t.county_code = ${countyCode}`.execute(trx);
    let unitCount = 0;
    for (const township of built) {
      const features = township.polygons!.features;
      for (let start = 0; start < township.units.length; start += 250) {
        const batch = township.units.slice(start, start + 250);
        await trx
          .insertInto('grid_units')
          .values(
            batch.map((unit, k) => {
              const index = start + k;
              const feature = features[index]!;
              if (feature.properties.unit !== index) throw new Error(`Unit polygons out of order at ${index}`);
              return {
                county_code: countyCode,
                township_code: township.townshipCode,
                unit_index: index,
                village_code: unit.villageCode,
                name: unit.name ?? null,
                households: unit.households,
                household_codes: unit.householdCodes,
                representative: unit.representative
                  ? sql<never>`ST_SetSRID(ST_MakePoint(${unit.representative[0]}, ${unit.representative[1]}), 4326)`
                  : null,
                geom: sql<never>`ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON(${JSON.stringify(feature.geometry)}), 4326))`,
                area_m2: feature.properties.areaSquareMetres,
              };
            }),
          )
          .execute();
      }
      for (let start = 0; start < township.edges.length; start += 1000) {
        await trx
          .insertInto('grid_unit_links')
          .values(
            township.edges.slice(start, start + 1000).map((e) => ({
              township_code: township.townshipCode,
              a: Math.min(e.a, e.b),
              b: Math.max(e.a, e.b),
              drive_seconds: e.driveSeconds,
            })),
          )
          .onConflict((oc) => oc.doNothing())
          .execute();
      }
      unitCount += township.units.length;
    }
    await cleanCoverage(trx, countyCode);
    await sql`insert into grid_unit_sets (county_code, households, fingerprint, built_at)
      values (${countyCode}, ${current.households}, ${current.fingerprint}, now())
      on conflict (county_code) do update set households = excluded.households,
        fingerprint = excluded.fingerprint, built_at = excluded.built_at`.execute(trx);
    for (const plan of carried) await carryOver(trx, plan);
    if (carried.length > 0)
      await options.afterCarry?.(
        trx,
        carried.map((p) => p.planId),
      );
    return { rebuilt: true, units: unitCount, households: current.households, plansCarried: carried.length };
  });
}

/** Coordinates of unit and grid shapes are kept on this grid (degrees, ~1 cm), so that overlays are exact. */
export const GRID_SIZE_DEGREES = 1e-7;

/**
 * Makes the county's unit polygons a clean coverage: valid, on a 1e-7° grid, and where village
 * polygons overlap by slivers (rounding in the data), the unit of the village with the higher
 * code gives way. Grids made of them then overlap by well under a square metre in all, and GEOS
 * never meets a topology error when they are unioned (PGlite turns such errors into an empty result).
 */
async function cleanCoverage(trx: Transaction<DB>, countyCode: string): Promise<void> {
  await sql`update grid_units set geom = ST_Multi(ST_CollectionExtract(
      ST_ReducePrecision(ST_MakeValid(geom), ${sql.lit(GRID_SIZE_DEGREES)}), 3))
    where county_code = ${countyCode}`.execute(trx);
  await sql`update grid_units a set geom = ST_Multi(ST_CollectionExtract(ST_Difference(a.geom, o.geom, ${sql.lit(GRID_SIZE_DEGREES)}), 3))
    from (select a2.id, ST_Union(b.geom, ${sql.lit(GRID_SIZE_DEGREES)}) as geom
          from grid_units a2 join grid_units b on b.county_code = a2.county_code
            and b.village_code < a2.village_code and ST_Intersects(a2.geom, b.geom)
          where a2.county_code = ${countyCode} group by a2.id) o
    where o.id = a.id`.execute(trx);
  await sql`update grid_units set area_m2 = ST_Area(geom::geography) where county_code = ${countyCode}`.execute(trx);
}

interface CarriedPlan {
  planId: number;
  /** Household code → grid id, before the rebuild. */
  gridOf: Map<string, number>;
}

async function householdGridsOfPlans(trx: Transaction<DB>, countyCode: string): Promise<CarriedPlan[]> {
  const plans = await trx.selectFrom('grid_plans').select('id').where('county_code', '=', countyCode).execute();
  const out: CarriedPlan[] = [];
  for (const plan of plans) {
    const rows = await sql<{ code: string; grid_id: number }>`
      select unnest(u.household_codes) as code, pu.grid_id
      from grid_plan_units pu join grid_units u on u.id = pu.unit_id
      where pu.plan_id = ${plan.id} and pu.grid_id is not null`.execute(trx);
    out.push({ planId: plan.id, gridOf: new Map(rows.rows.map((r) => [r.code, r.grid_id])) });
  }
  return out;
}

/** Puts each new unit of the plan's county in the grid that held most of its households; records the revision. */
async function carryOver(trx: Transaction<DB>, plan: CarriedPlan): Promise<void> {
  const units = await sql<{ id: number; household_codes: string[] }>`
    select u.id, u.household_codes from grid_units u join grid_plans p on p.county_code = u.county_code
    where p.id = ${plan.planId}`.execute(trx);
  const ids: number[] = [];
  const grids: (number | null)[] = [];
  for (const unit of units.rows) {
    const votes = new Map<number, number>();
    for (const code of unit.household_codes) {
      const g = plan.gridOf.get(code);
      if (g !== undefined) votes.set(g, (votes.get(g) ?? 0) + 1);
    }
    let best: number | null = null;
    let bestVotes = 0;
    for (const [g, n] of votes)
      if (n > bestVotes || (n === bestVotes && best !== null && g < best)) [best, bestVotes] = [g, n];
    ids.push(unit.id);
    grids.push(best);
  }
  await sql`insert into grid_plan_units (plan_id, unit_id, grid_id)
    select ${plan.planId}, x.unit_id, x.grid_id from unnest(${ids}::bigint[], ${grids}::int[]) as x(unit_id, grid_id)`.execute(
    trx,
  );
  const next = await sql<{ revision: number }>`
    update grid_plans set revision = revision + 1, updated_at = now(), updated_by = 'system'
    where id = ${plan.planId} returning revision`.execute(trx);
  await trx
    .insertInto('grid_plan_revisions')
    .values({
      plan_id: plan.planId,
      revision: next.rows[0]!.revision,
      action: 'rebuild_units',
      author: 'system',
      summary:
        '住户数据变化，单元已重建，原网格按住户多数归属延续（Households changed: units rebuilt, grids carried over by majority of households）',
      changes: JSON.stringify({ units: [], grids: [] }),
    })
    .execute();
}
