import type { FeatureCollection, MultiPolygon } from 'geojson';
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { AppError } from '../../http/errors.js';
import type { RoadNetwork } from '../../routing/network.js';
import type { PartitionUnit, UnitEdge, UnitKind } from '../partition/types.js';
import { buildUnits, type UnitOptions } from './build-units.js';
import { unitPolygons } from './polygons.js';
import { linkUnits } from './unit-graph.js';

/** A village of the township; units name it by index (`villageIndex`). */
export interface TownshipVillage {
  code: string;
  name: string;
  kind: UnitKind;
}

/** A unit as the planners' tools use it: the partition's view plus its households and where it is. */
export interface TownshipUnit extends PartitionUnit {
  villageCode: string;
  /** households.code of its households, in road order. */
  householdCodes: string[];
  /** The representative road point [lon, lat] (the medoid household's); null without roads. */
  representative: [number, number] | null;
}

/** Properties of each unit polygon feature. */
export interface UnitPolygonProperties {
  unit: number;
  villageCode: string;
  households: number;
  areaSquareMetres: number;
}

/** One township's units, their road links for `buildUnitGraph`, and on request their polygons. */
export interface TownshipUnits {
  townshipCode: string;
  villages: TownshipVillage[];
  units: TownshipUnit[];
  edges: UnitEdge[];
  /** Connected parts of the unit graph; more than one when the roads do not join all units. */
  parts: number[][];
  polygons?: FeatureCollection<MultiPolygon, UnitPolygonProperties>;
}

/**
 * Builds the units of one township from its households and the road network (see `buildUnits`),
 * links them along the roads (see `linkUnits`), and with `polygons: true` divides its villages
 * among them. Villages are indexed in code order; households in id order. 404 for an unknown township.
 */
export async function loadTownshipUnits(
  db: Kysely<DB>,
  townshipCode: string,
  network: RoadNetwork,
  options: UnitOptions & { polygons?: boolean } = {},
): Promise<TownshipUnits> {
  const villages = await sql<TownshipVillage & { lon: number; lat: number }>`
    select v.code, v.name, v.kind, ST_X(v.centre) as lon, ST_Y(v.centre) as lat
    from villages v where v.township_code = ${townshipCode} order by v.code`.execute(db);
  if (villages.rows.length === 0) {
    const known = await sql`select 1 from townships where code = ${townshipCode}`.execute(db);
    if (known.rows.length === 0) {
      throw new AppError(404, 'not_found', `没有乡镇 ${townshipCode}（No township ${townshipCode}）`);
    }
  }
  const households = await sql<{ code: string; village_code: string; lon: number; lat: number }>`
    select h.code, h.village_code, ST_X(h.geom) as lon, ST_Y(h.geom) as lat
    from households h join villages v on v.code = h.village_code
    where v.township_code = ${townshipCode} order by h.id`.execute(db);

  const villageIndex = new Map(villages.rows.map((v, i) => [v.code, i]));
  const built = buildUnits(
    network,
    villages.rows.map((v) => ({ kind: v.kind, name: v.name, centreLon: v.lon, centreLat: v.lat })),
    households.rows.map((h) => ({ villageIndex: villageIndex.get(h.village_code)!, lon: h.lon, lat: h.lat })),
    options,
  );
  const links = linkUnits(
    network,
    built.units.map((u) => u.representative),
    built.roadPoints,
    built.unitOfHousehold,
  );
  const units: TownshipUnit[] = built.units.map((u) => ({
    households: u.households,
    villageIndex: u.villageIndex,
    kind: u.kind,
    ...(u.name === undefined ? {} : { name: u.name }),
    villageCode: villages.rows[u.villageIndex]!.code,
    householdCodes: u.householdIndices.map((h) => households.rows[h]!.code),
    representative: u.representative ? [u.representative.lon, u.representative.lat] : null,
  }));
  const result: TownshipUnits = {
    townshipCode,
    villages: villages.rows.map(({ code, name, kind }) => ({ code, name, kind })),
    units,
    edges: links.edges,
    parts: links.parts,
  };
  if (options.polygons) {
    const shapes = await unitPolygons(
      db,
      households.rows.map((h, i) => ({ householdCode: h.code, unit: built.unitOfHousehold[i]! })),
    );
    result.polygons = {
      type: 'FeatureCollection',
      features: shapes.map((shape) => ({
        type: 'Feature',
        geometry: shape.geometry,
        properties: {
          unit: shape.unit,
          villageCode: shape.villageCode,
          households: units[shape.unit]!.households,
          areaSquareMetres: shape.areaSquareMetres,
        },
      })),
    };
  }
  return result;
}
