import type { MultiPolygon } from 'geojson';
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';

/** A household's unit, as `unitPolygons` takes it. */
export interface HouseholdUnit {
  householdCode: string;
  unit: number;
}

/** The area a unit covers: its share of its village. */
export interface UnitPolygon {
  unit: number;
  villageCode: string;
  geometry: MultiPolygon;
  /** On the ellipsoid, in square metres. */
  areaSquareMetres: number;
}

/**
 * Polygons of units that tile their villages: each village is divided among its households by
 * a Voronoi tessellation (each point of the village goes to the nearest household in a straight
 * line), clipped to the village polygon, and each unit takes the union of its households' cells;
 * a village of one unit is that unit's polygon. Grids made of units then tile their township
 * with no gap and no overlap by construction. One query for any set of villages (e.g. a
 * township); households not in `assignment` are left out of the tessellation. Households at the
 * same spot in different units give their cell to the lower unit. Uses only functions of
 * PostGIS 3.3 that PGlite's PostGIS has as well.
 */
export async function unitPolygons(db: Kysely<DB>, assignment: readonly HouseholdUnit[]): Promise<UnitPolygon[]> {
  const codes = assignment.map((a) => a.householdCode);
  const units = assignment.map((a) => a.unit);
  const result = await withoutJit(db, (tx) =>
    sql<{ unit: number; village_code: string; geometry: string; area: number }>`
    with assignment as (
      select a.code, a.unit from unnest(${codes}::text[], ${units}::int[]) as a(code, unit)
    ),
    points as (
      select h.village_code, a.unit, h.geom
      from households h join assignment a on a.code = h.code
    ),
    unit_points as (
      select village_code, unit, ST_Collect(geom) as geom from points group by village_code, unit
    ),
    split_villages as (
      select village_code from unit_points group by village_code having count(*) > 1
    ),
    cells as (
      select row_number() over () as id, d.village_code, d.cell
      from (
        select pc.village_code,
               (ST_Dump(ST_VoronoiPolygons(pc.geom, 0, ST_Envelope(v.geom)))).geom as cell
        from (
          select village_code, ST_Collect(geom) as geom from points
          where village_code in (select village_code from split_villages)
          group by village_code
        ) pc
        join villages v on v.code = pc.village_code
      ) d
    ),
    cell_units as (
      select distinct on (c.id) c.village_code, u.unit, c.cell
      from cells c
      join unit_points u on u.village_code = c.village_code and ST_Intersects(c.cell, u.geom)
      order by c.id, u.unit
    ),
    merged as (
      select village_code, unit, ST_Union(cell) as geom from cell_units group by village_code, unit
    ),
    shapes as (
      select m.unit, m.village_code, ST_CollectionExtract(ST_Intersection(m.geom, v.geom), 3) as geom
      from merged m join villages v on v.code = m.village_code
      union all
      select u.unit, u.village_code, v.geom
      from unit_points u join villages v on v.code = u.village_code
      where u.village_code not in (select village_code from split_villages)
    )
    select unit, village_code, ST_AsGeoJSON(ST_Multi(geom), 7) as geometry, ST_Area(geom::geography) as area
    from shapes
    where not ST_IsEmpty(geom)
    order by unit`.execute(tx),
  );
  return result.rows.map((row) => ({
    unit: row.unit,
    villageCode: row.village_code,
    geometry: JSON.parse(row.geometry) as MultiPolygon,
    areaSquareMetres: row.area,
  }));
}

/**
 * Runs a query with the server's JIT compiler off: the planner's estimates for set-returning
 * PostGIS calls are huge, and compiling the plan costs more than running it (about 1 s per call
 * on PostgreSQL 15). PGlite has no JIT; the setting is harmless there.
 */
async function withoutJit<T>(db: Kysely<DB>, run: (tx: Kysely<DB>) => Promise<T>): Promise<T> {
  const off = (tx: Kysely<DB>) => sql`select set_config('jit', 'off', true)`.execute(tx);
  if (db.isTransaction) {
    await off(db);
    return run(db);
  }
  return db.transaction().execute(async (tx) => {
    await off(tx);
    return run(tx);
  });
}

/** How well a village's unit polygons tile it. */
export interface VillageTiling {
  villageCode: string;
  villageSquareMetres: number;
  /** Σ of the unit polygons' areas. */
  unitsSquareMetres: number;
  /** Largest area shared by two of the village's unit polygons. */
  maxOverlapSquareMetres: number;
}

/** Checks unit polygons (as returned, after GeoJSON rounding) against their villages: area sums and overlaps. */
export async function checkUnitTiling(db: Kysely<DB>, polygons: readonly UnitPolygon[]): Promise<VillageTiling[]> {
  const result = await withoutJit(db, (tx) =>
    sql<{ village_code: string; village_area: number; units_area: number; overlap: number }>`
    with shapes as (
      select s.village_code, s.unit, ST_SetSRID(ST_GeomFromGeoJSON(s.geometry), 4326) as geom
      from unnest(${polygons.map((p) => p.villageCode)}::text[], ${polygons.map((p) => p.unit)}::int[],
                  ${polygons.map((p) => JSON.stringify(p.geometry))}::text[]) as s(village_code, unit, geometry)
    ),
    shared as (
      select a.village_code, max(ST_Area(ST_Intersection(a.geom, b.geom)::geography)) as overlap
      from shapes a join shapes b
        on a.village_code = b.village_code and a.unit < b.unit and ST_Intersects(a.geom, b.geom)
      group by a.village_code
    ),
    areas as (
      select village_code, sum(ST_Area(geom::geography)) as units_area from shapes group by village_code
    )
    select v.code as village_code, ST_Area(v.geom::geography) as village_area, a.units_area,
           coalesce(o.overlap, 0) as overlap
    from areas a join villages v on v.code = a.village_code
    left join shared o on o.village_code = a.village_code
    order by v.code`.execute(tx),
  );
  return result.rows.map((row) => ({
    villageCode: row.village_code,
    villageSquareMetres: row.village_area,
    unitsSquareMetres: row.units_area,
    maxOverlapSquareMetres: row.overlap,
  }));
}
