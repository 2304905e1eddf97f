/**
 * The checks that need the database, each one set-based SQL over the staging table: geometry
 * validity (with safe repairs), the county's extent, codes already taken, references to
 * townships, villages and stations, the village a point falls in, and what a replacement would
 * delete.
 */
import { type RawBuilder, sql, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import { metresPerDegree } from '../generate/raster.js';
import type { GeometryFamily } from './geometry.js';
import { FILE_INDEX, type ImportLayer, type ImportMode, type ProblemList } from './report.js';
import { STAGING } from './staging.js';

/** How far outside its county a feature may reach (outlines and surveys differ by this much). */
export const COUNTY_MARGIN_METRES = 1000;
/** How far beyond its county a road that crosses the outline may run on (into the neighbouring county). */
export const ROAD_REACH_METRES = 20_000;
/** An event this close to one of the county's roads beyond the outline is on that road. */
export const EVENT_ON_ROAD_METRES = 50;
/** A repair is safe when it changes the area (of polygons) by less than this fraction. */
export const SAFE_REPAIR_CHANGE = 0.01;

export interface County {
  code: string;
  name: string;
  /** The outline is the union of the townships (empty until they are imported). */
  outlineFromTownships?: boolean;
}

function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

/**
 * Invalid geometries (self-intersections, spikes, …): repaired with ST_MakeValid when that is
 * safe — the result is still polygonal, has no more parts, and its area changed by less than 1% —
 * and rejected otherwise (a bow-tie splits into two triangles, so it is never repaired).
 * Returns how many were repaired. Rejected geometries are cleared so later checks skip them.
 */
export async function checkValidity(
  trx: Transaction<DB>,
  family: GeometryFamily,
  problems: ProblemList,
): Promise<number> {
  if (family === 'point') return 0;
  const dimension = family === 'polygon' ? 3 : 2;
  const measure = (g: RawBuilder<unknown>) => (family === 'polygon' ? sql`ST_Area(${g})` : sql`ST_Length(${g})`);
  const rows = await sql<{
    idx: number;
    reason: string;
    x: number | null;
    y: number | null;
    parts_before: number;
    parts_after: number;
    measure_before: number;
    measure_after: number;
  }>`
    with invalid as (
      select idx, geom, (detail).reason as reason, (detail).location as location
      from (select idx, geom, ST_IsValidDetail(geom) as detail from ${STAGING} where geom is not null) checked
      where not (detail).valid
    ), repaired as (
      select idx, geom, reason, location, ST_CollectionExtract(ST_MakeValid(geom), ${dimension}) as fixed from invalid
    )
    select idx, reason, ST_X(location) as x, ST_Y(location) as y,
      ST_NumGeometries(ST_Multi(geom)) as parts_before,
      case when ST_IsEmpty(fixed) then 0 else ST_NumGeometries(ST_Multi(fixed)) end as parts_after,
      ${measure(sql`geom`)} as measure_before, ${measure(sql`fixed`)} as measure_after
    from repaired order by idx`.execute(trx);

  const unit = family === 'polygon' ? 'area' : 'length';
  const kind = family === 'polygon' ? 'polygon' : 'line';
  const safe: number[] = [];
  const unsafe: number[] = [];
  for (const row of rows.rows) {
    const at = row.x === null || row.y === null ? '' : ` at ${round(row.x, 6)}, ${round(row.y, 6)}`;
    const what = `invalid geometry (${row.reason}${at})`;
    const change =
      row.measure_before > 0 ? Math.abs(row.measure_after - row.measure_before) / row.measure_before : Infinity;
    let refusal: string | null = null;
    if (row.parts_after === 0) refusal = `nothing of it would remain a ${kind}`;
    else if (row.parts_after > row.parts_before) {
      refusal = `repairing would split ${row.parts_before === 1 ? 'it' : `its ${row.parts_before} parts`} into ${row.parts_after} ${kind}s (as for a bow-tie)`;
    } else if (!(change < SAFE_REPAIR_CHANGE)) {
      refusal = Number.isFinite(change)
        ? `repairing would change its ${unit} by ${(change * 100).toFixed(1)}%`
        : `it has no ${unit} to compare the repair with`;
    }
    if (refusal) {
      problems.error(row.idx, `${what}; not repaired, because ${refusal}: fix it in the source`, { field: 'geometry' });
      unsafe.push(row.idx);
    } else {
      problems.warning(
        row.idx,
        `${what}; repaired with ST_MakeValid (${unit} changed by ${(change * 100).toFixed(2)}%)`,
        {
          field: 'geometry',
        },
      );
      safe.push(row.idx);
    }
  }
  if (safe.length > 0) {
    await sql`
      update ${STAGING} set geom = ST_CollectionExtract(ST_MakeValid(geom), ${dimension})
      where idx in (select value::integer from json_array_elements_text(${JSON.stringify(safe)}::json))`.execute(trx);
  }
  if (unsafe.length > 0) {
    await sql`
      update ${STAGING} set geom = null
      where idx in (select value::integer from json_array_elements_text(${JSON.stringify(unsafe)}::json))`.execute(trx);
  }
  return safe.length;
}

/**
 * Features reaching more than 1 km outside the county's outline. Roads are judged apart: a road
 * file carries its roads on into the neighbouring counties, and routing may use them, so a line
 * crossing the outline, or lying beyond it, is kept whole up to {@link ROAD_REACH_METRES} beyond it;
 * only a line reaching farther is refused (wholly that far: a wrong coordinate system, another
 * county's road). A file lying mostly far away is refused as a whole before (transform.ts).
 */
export async function checkInsideCounty(
  trx: Transaction<DB>,
  county: County,
  problems: ProblemList,
  layer?: ImportLayer,
): Promise<void> {
  // An outline made of the townships cannot judge the townships themselves.
  if (county.outlineFromTownships && layer === 'townships') return;
  const centre = await sql<{ lat: number | null }>`
    select ST_Y(ST_Centroid(geom)) as lat from counties where code = ${county.code}`.execute(trx);
  if (centre.rows[0]?.lat == null) return; // no outline yet: nothing to check against
  const metres = metresPerDegree(centre.rows[0].lat);
  // Buffer in a locally equidistant frame: stretch longitudes to the latitude's scale, buffer by
  // the margin in degrees of latitude, and shrink back. Both backends, no projection library.
  // Materialised, so the buffer is built once and ST_Covers can reuse its prepared form per row.
  const stretch = metres.lon / metres.lat;
  const zone = (marginMetres: number) => sql`
    select ST_Scale(ST_Buffer(ST_Scale(geom, ${stretch}::float8, 1::float8), ${marginMetres / metres.lat}::float8), ${1 / stretch}::float8, 1::float8) as geom
    from counties where code = ${county.code}`;
  const margin = `${COUNTY_MARGIN_METRES / 1000} km`;
  if (layer !== 'roads') {
    // An event on one of the county's own roads where it runs on beyond the outline (a traffic
    // accident there is the county police's case) is accepted, with a warning.
    const onCountyRoad =
      layer === 'events'
        ? sql`exists (select 1 from road_edges e where e.county_code = ${county.code}
            and ST_DWithin(e.geom, s.geom, ${EVENT_ON_ROAD_METRES / metres.lat}::float8))`
        : sql`false`;
    const outside = await sql<{ idx: number; on_road: boolean }>`
      with zone as materialized (${zone(COUNTY_MARGIN_METRES)})
      select s.idx, ${onCountyRoad} as on_road from ${STAGING} s, zone
      where s.geom is not null and not ST_Covers(zone.geom, s.geom)
      order by s.idx`.execute(trx);
    const onRoads = outside.rows.filter((r) => r.on_road).length;
    if (onRoads > 0) {
      problems.warning(
        FILE_INDEX,
        `${onRoads} 个事件在县界外的本县公路上（${onRoads} events lie on the county's roads beyond its outline: kept）`,
      );
    }
    for (const { idx } of outside.rows.filter((r) => !r.on_road)) {
      problems.error(idx, `lies more than ${margin} outside county ${county.code} ${county.name}`, {
        field: 'geometry',
      });
    }
    return;
  }
  const roads = await sql<{ idx: number; meets: boolean; within_reach: boolean }>`
    with zone as materialized (${zone(COUNTY_MARGIN_METRES)}), reach as materialized (${zone(ROAD_REACH_METRES)})
    select s.idx, ST_Intersects(zone.geom, s.geom) as meets, ST_Covers(reach.geom, s.geom) as within_reach
    from ${STAGING} s, zone, reach
    where s.geom is not null and not ST_Covers(zone.geom, s.geom)
    order by s.idx`.execute(trx);
  let crossing = 0;
  let beyond = 0;
  for (const row of roads.rows) {
    const reach = `${ROAD_REACH_METRES / 1000} km`;
    if (row.within_reach) {
      if (row.meets) crossing++;
      else beyond++;
    } else if (!row.meets) {
      problems.error(
        row.idx,
        `lies wholly outside county ${county.code} ${county.name}, more than ${reach} from it: a wrong coordinate system, or another county's road`,
        { field: 'geometry' },
      );
    } else {
      problems.error(
        row.idx,
        `runs on more than ${reach} beyond county ${county.code} ${county.name}: cut it at ${reach}`,
        {
          field: 'geometry',
        },
      );
    }
  }
  if (crossing + beyond > 0) {
    const parts = [
      ...(crossing > 0 ? [`${crossing} ${crossing === 1 ? 'line crosses' : 'lines cross'} the county outline`] : []),
      ...(beyond > 0 ? [`${beyond} ${beyond === 1 ? 'line lies' : 'lines lie'} beyond it`] : []),
    ];
    problems.warning(
      FILE_INDEX,
      `${parts.join(', ')}: kept whole (up to ${ROAD_REACH_METRES / 1000} km beyond the outline) for routing`,
      { field: 'geometry' },
    );
  }
}

/** Where each coded layer's codes already live, with the county they belong to. */
const EXISTING_CODES: Partial<Record<ImportLayer, RawBuilder<unknown>>> = {
  townships: sql`select code, county_code from townships`,
  villages: sql`select v.code, t.county_code from villages v join townships t on t.code = v.township_code`,
  households: sql`
    select h.code, t.county_code from households h
    join villages v on v.code = h.village_code join townships t on t.code = v.township_code`,
  stations: sql`select code, county_code from police_stations`,
  bus_stops: sql`select id as code, county_code from bus_stops`,
  officers: sql`select id as code, county_code from officers`,
};

/**
 * Codes already in the database: in append mode any of them; in replace mode those of another
 * county (a code is unique across counties, and replacing touches only the target county).
 */
export async function checkExistingCodes(
  trx: Transaction<DB>,
  layer: ImportLayer,
  mode: ImportMode,
  county: County,
  problems: ProblemList,
): Promise<void> {
  const existing = EXISTING_CODES[layer];
  if (!existing) return;
  const rows = await sql<{ idx: number; code: string; county_code: string }>`
    select s.idx, s.code, e.county_code from ${STAGING} s join (${existing}) e on e.code = s.code
    order by s.idx`.execute(trx);
  for (const row of rows.rows) {
    if (row.county_code !== county.code) {
      problems.error(row.idx, `code already used in county ${row.county_code}`, { field: 'code' });
    } else if (mode === 'append') {
      problems.error(row.idx, `code already in the database; mode "replace" replaces the county's ${layer}`, {
        field: 'code',
      });
    }
  }
}

type RefColumn = 'township' | 'village' | 'station';

const CANDIDATES: Record<RefColumn, (county: string) => RawBuilder<unknown>> = {
  township: (county) => sql`select code, name from townships where county_code = ${county}`,
  village: (county) => sql`
    select v.code, v.name from villages v join townships t on t.code = v.township_code
    where t.county_code = ${county}`,
  station: (county) => sql`select code, name from police_stations where county_code = ${county}`,
};

const REF_FIELD: Record<RefColumn, string> = {
  township: 'township_code',
  village: 'village_code',
  station: 'police_station_code',
};

const REF_WORD: Record<RefColumn, string> = { township: 'township', village: 'village', station: 'police station' };

/**
 * Resolve references (`<x>_ref` → `<x>_code`) to rows of the target county: by code, or by name
 * when exactly one row has that name. Unknown and ambiguous references are errors.
 */
export async function resolveReferences(
  trx: Transaction<DB>,
  column: RefColumn,
  county: County,
  problems: ProblemList,
): Promise<void> {
  const ref = sql.ref(`${column}_ref`);
  const code = sql.ref(`${column}_code`);
  const candidates = CANDIDATES[column](county.code);
  await sql`
    update ${STAGING} s set ${code} = c.code from (${candidates}) c
    where s.${ref} = c.code`.execute(trx);
  await sql`
    update ${STAGING} s set ${code} = u.code
    from (select name, min(code) as code from (${candidates}) c group by name having count(*) = 1) u
    where s.${code} is null and s.${ref} = u.name`.execute(trx);
  const unresolved = await sql<{ idx: number; ref: string; same_name: number }>`
    select s.idx, s.${ref} as ref, (select count(*) from (${candidates}) c where c.name = s.${ref}) as same_name
    from ${STAGING} s where s.${ref} is not null and s.${code} is null order by s.idx`.execute(trx);
  for (const row of unresolved.rows) {
    const reason =
      Number(row.same_name) > 1
        ? `"${row.ref}" names ${row.same_name} ${REF_WORD[column]}s in county ${county.code}: give the code`
        : `unknown ${REF_WORD[column]} "${row.ref}" in county ${county.code}`;
    problems.error(row.idx, reason, { field: REF_FIELD[column] });
  }
}

/** Staged points without a village reference get the county's village whose polygon covers them, if any. */
export async function fillContainingVillages(trx: Transaction<DB>, county: County): Promise<void> {
  await sql`
    update ${STAGING} s set village_code = (
      select v.code from villages v join townships t on t.code = v.township_code
      where t.county_code = ${county.code} and ST_Covers(v.geom, s.geom)
      order by v.code limit 1)
    where s.village_ref is null and s.geom is not null`.execute(trx);
}

/** Staged rows whose code an earlier row of the file has (codes assigned from other fields): an error each. */
export async function reportRepeatedCodes(trx: Transaction<DB>, problems: ProblemList, what: string): Promise<void> {
  const twice = await sql<{ idx: number; first: number }>`
    select s.idx, f.first from ${STAGING} s
    join (select code, min(idx) as first from ${STAGING} where code is not null group by code having count(*) > 1) f
      on f.code = s.code
    where s.idx <> f.first order by s.idx`.execute(trx);
  for (const row of twice.rows) problems.error(row.idx, `the same ${what} as #${row.first}`, { field: 'code' });
}

/** Points without a village reference get the village whose polygon covers them (an error if none). */
export async function locateVillages(trx: Transaction<DB>, county: County, problems: ProblemList): Promise<void> {
  await fillContainingVillages(trx, county);
  const outside = await sql<{ idx: number }>`
    select idx from ${STAGING} where village_ref is null and village_code is null and geom is not null
    order by idx`.execute(trx);
  for (const { idx } of outside.rows) {
    problems.error(idx, `no village_code given, and the point is outside every village of county ${county.code}`, {
      field: 'village_code',
    });
  }
}

/**
 * Replacing townships (villages) deletes those missing from the file, and the database would
 * delete their villages (households) with them. Refuse that: name each one and what it still has.
 */
export async function checkReplacementLosses(
  trx: Transaction<DB>,
  layer: ImportLayer,
  county: County,
  problems: ProblemList,
): Promise<void> {
  const losses =
    layer === 'townships'
      ? await sql<{ code: string; name: string; children: number }>`
          select t.code, t.name, count(*) as children from townships t join villages v on v.township_code = t.code
          where t.county_code = ${county.code} and not exists (select 1 from ${STAGING} s where s.code = t.code)
          group by t.code, t.name order by t.code`.execute(trx)
      : layer === 'villages'
        ? await sql<{ code: string; name: string; children: number }>`
          select v.code, v.name, count(*) as children from villages v
          join townships t on t.code = v.township_code join households h on h.village_code = v.code
          where t.county_code = ${county.code} and not exists (select 1 from ${STAGING} s where s.code = v.code)
          group by v.code, v.name order by v.code`.execute(trx)
        : null;
  if (!losses) return;
  const [parent, children] = layer === 'townships' ? ['township', 'villages'] : ['village', 'households'];
  for (const row of losses.rows) {
    problems.error(
      FILE_INDEX,
      `${parent} ${row.code} ${row.name} is not in the file but has ${row.children} ${children}, which replacing would delete: include it in the file, or replace the ${children} first`,
      { code: row.code },
    );
  }
}
