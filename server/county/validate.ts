import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.js';

/** One finding of a check: what is wrong, how often, and a few examples to look at. */
export interface ValidationIssue {
  check: string;
  message: string;
  count: number;
  examples: string[];
}

export interface ValidationReport {
  errors: ValidationIssue[];
  warnings: ValidationIssue[];
}

// Tiling tolerances: area sums agree within 0.1%; overlaps and spill-over below 1 m² are noise
// of floating-point clipping.
const AREA_SUM_TOLERANCE = 0.001;
const SLIVER_M2 = 1;
const EXAMPLES = 10;

function issue(check: string, message: string, rows: { label: string }[]): ValidationIssue {
  return { check, message, count: rows.length, examples: rows.slice(0, EXAMPLES).map((r) => r.label) };
}

/** Union-find over road nodes, for connectivity without a routing engine. */
class DisjointSets {
  private parent = new Map<number, number>();
  find(x: number): number {
    let root = this.parent.get(x) ?? x;
    while (root !== (this.parent.get(root) ?? root)) root = this.parent.get(root)!;
    let node = x;
    while (node !== root) {
      const next = this.parent.get(node) ?? node;
      this.parent.set(node, root);
      node = next;
    }
    return root;
  }
  union(a: number, b: number): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra !== rb) this.parent.set(ra, rb);
  }
}

/**
 * Check the model's integrity for one county: every household in exactly one village, villages
 * tiling their township and townships tiling the county, every village reachable by road from
 * its police station, consistent codes.
 */
export async function validateCounty(db: Kysely<DB>, countyCode: string): Promise<ValidationReport> {
  const errors: ValidationIssue[] = [];
  const warnings: ValidationIssue[] = [];
  const add = (list: ValidationIssue[], check: string, message: string, rows: { label: string }[]) => {
    if (rows.length > 0) list.push(issue(check, message, rows));
  };

  const outside = await sql<{ label: string }>`
    select h.code as label from households h
    join villages v on v.code = h.village_code join townships t on t.code = v.township_code
    where t.county_code = ${countyCode} and not ST_Covers(v.geom, h.geom)
    order by h.code`.execute(db);
  add(errors, 'household_outside_village', 'Households that lie outside their own village', outside.rows);

  const twice = await sql<{ label: string }>`
    select h.code || ' (' || h.village_code || ' and ' || v2.code || ')' as label from households h
    join villages v on v.code = h.village_code join townships t on t.code = v.township_code
    join villages v2 on v2.code <> h.village_code and v2.geom && h.geom and ST_Covers(v2.geom, h.geom)
      and not ST_Touches(v2.geom, h.geom)
    where t.county_code = ${countyCode}
    order by h.code`.execute(db);
  add(errors, 'household_in_two_villages', 'Households inside a second village as well as their own', twice.rows);

  const tiling = async (
    kind: 'villages' | 'townships',
    parts: ReturnType<typeof sql>,
    message: string,
  ): Promise<void> => {
    const rows = await sql<{ label: string; parent_m2: number; parts_m2: number; spill_m2: number }>`
      with parts as (${parts})
      select p.parent_label as label, p.parent_m2, coalesce(sum(p.part_m2), 0) as parts_m2,
             coalesce(sum(p.spill_m2), 0) as spill_m2
      from parts p group by p.parent_label, p.parent_m2 order by p.parent_label`.execute(db);
    add(
      errors,
      `${kind}_area_sum`,
      `${message}: the parts' areas do not add up to the whole (tolerance ${AREA_SUM_TOLERANCE * 100}%)`,
      rows.rows
        .filter((r) => Math.abs(r.parts_m2 - r.parent_m2) > AREA_SUM_TOLERANCE * r.parent_m2)
        .map((r) => ({ label: `${r.label}: ${Math.round(r.parts_m2)} of ${Math.round(r.parent_m2)} m²` })),
    );
    add(
      errors,
      `${kind}_outside_parent`,
      `${message}: parts reach outside the whole`,
      rows.rows
        .filter((r) => r.spill_m2 > SLIVER_M2)
        .map((r) => ({ label: `${r.label}: ${Math.round(r.spill_m2)} m²` })),
    );
  };

  await tiling(
    'villages',
    sql`select t.code || ' ' || t.name as parent_label, ST_Area(t.geom::geography) as parent_m2,
               ST_Area(v.geom::geography) as part_m2,
               ST_Area(ST_Difference(v.geom, t.geom)::geography) as spill_m2
        from townships t left join villages v on v.township_code = t.code
        where t.county_code = ${countyCode}`,
    'Villages do not tile their township',
  );
  await tiling(
    'townships',
    sql`select c.code || ' ' || c.name as parent_label, ST_Area(c.geom::geography) as parent_m2,
               ST_Area(t.geom::geography) as part_m2,
               ST_Area(ST_Difference(t.geom, c.geom)::geography) as spill_m2
        from counties c left join townships t on t.county_code = c.code
        where c.code = ${countyCode}`,
    'Townships do not tile the county',
  );

  const villageOverlaps = await sql<{ label: string }>`
    select a.code || ' × ' || b.code as label from villages a
    join villages b on a.code < b.code and a.geom && b.geom and a.township_code = b.township_code
    join townships t on t.code = a.township_code
    where t.county_code = ${countyCode} and ST_Relate(a.geom, b.geom, '2********')
      and ST_Area(ST_Intersection(a.geom, b.geom)::geography) > ${SLIVER_M2}
    order by 1`.execute(db);
  add(errors, 'villages_overlap', 'Villages that overlap each other', villageOverlaps.rows);

  const townshipOverlaps = await sql<{ label: string }>`
    select a.code || ' × ' || b.code as label from townships a
    join townships b on a.code < b.code and a.geom && b.geom
    where a.county_code = ${countyCode} and b.county_code = ${countyCode}
      and ST_Relate(a.geom, b.geom, '2********')
      and ST_Area(ST_Intersection(a.geom, b.geom)::geography) > ${SLIVER_M2}
    order by 1`.execute(db);
  add(errors, 'townships_overlap', 'Townships that overlap each other', townshipOverlaps.rows);

  const badCodes = await sql<{ label: string }>`
    select v.code || ' under ' || v.township_code as label from villages v
    join townships t on t.code = v.township_code
    where t.county_code = ${countyCode} and left(v.code, 9) <> v.township_code
    union all
    select t.code || ' under ' || t.county_code from townships t
    where t.county_code = ${countyCode} and left(t.code, 6) <> t.county_code
    order by 1`.execute(db);
  add(warnings, 'code_prefix', 'Codes that do not start with their parent’s code', badCodes.rows);

  const empty = await sql<{ label: string }>`
    select v.code || ' ' || v.name as label from villages v join townships t on t.code = v.township_code
    where t.county_code = ${countyCode} and not exists (select 1 from households h where h.village_code = v.code)
    order by 1`.execute(db);
  add(warnings, 'village_without_households', 'Villages with no households', empty.rows);

  await checkRoadReachability(db, countyCode, errors);
  return { errors, warnings };
}

/** Every village must be reachable by road from its own police station. */
async function checkRoadReachability(db: Kysely<DB>, countyCode: string, errors: ValidationIssue[]): Promise<void> {
  const edges = await db
    .selectFrom('road_edges')
    .select(['source', 'target'])
    .where('county_code', '=', countyCode)
    .execute();
  const sets = new DisjointSets();
  for (const edge of edges) sets.union(edge.source, edge.target);

  const villages = await sql<{
    label: string;
    station: string | null;
    village_node: number | null;
    station_node: number | null;
  }>`
    select v.code || ' ' || v.name as label, t.police_station_code as station,
      (select n.id from road_nodes n where n.county_code = ${countyCode} order by n.geom <-> v.centre limit 1) as village_node,
      (select n.id from road_nodes n join police_stations s on s.code = t.police_station_code
        where n.county_code = ${countyCode} order by n.geom <-> s.geom limit 1) as station_node
    from villages v join townships t on t.code = v.township_code
    where t.county_code = ${countyCode} order by v.code`.execute(db);

  const noStation = villages.rows.filter((v) => v.station === null);
  if (noStation.length > 0) {
    errors.push(issue('village_without_station', 'Villages whose township has no police station', noStation));
  }
  const unreachable = villages.rows.filter(
    (v) =>
      v.station !== null &&
      (v.village_node === null || v.station_node === null || sets.find(v.village_node) !== sets.find(v.station_node)),
  );
  if (unreachable.length > 0) {
    errors.push(issue('village_unreachable', 'Villages not reachable by road from their police station', unreachable));
  }
}
