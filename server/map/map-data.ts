import { GeoJSONVT, type GeoJSONVTFeature, type GeoJSONVTTile } from '@maplibre/geojson-vt';
import { fromGeojsonVt } from '@maplibre/vt-pbf';
import type { Feature, FeatureCollection, Geometry } from 'geojson';
import { sql, type Kysely } from 'kysely';
import { readTerrains, type CountyTerrain, type ElevationGrid } from '../county/terrain.js';
import type { DB } from '../db/schema.js';
import { boxesIntersect, tileBounds, tileToLonLat } from './mercator.js';
import { encodePngRgba } from './png.js';

/** The vector layers of the basemap tiles, in drawing order. */
export const BASEMAP_LAYERS = [
  'county_mask',
  'villages',
  'townships',
  'county',
  'rivers',
  'roads',
  'households',
  'bus_stops',
  'stations',
  'village_labels',
  'township_labels',
] as const;
export type BasemapLayer = (typeof BASEMAP_LAYERS)[number];

/** Largest zoom the vector tiles are cut at; MapLibre overzooms beyond it. */
export const VECTOR_MAX_ZOOM = 15;
/** Largest zoom of the elevation tiles (the DEM is ~60 m: about zoom 11–12). */
export const DEM_MAX_ZOOM = 12;
const TILE_PIXELS = 256;

type TerrainGrid = Pick<CountyTerrain, 'grid' | 'bounds'>;

type Row = { geometry: string; [property: string]: unknown };
type VectorTileLayer = GeoJSONVTTile;

/**
 * The household points of a tile that a user may see (null: all), each with its persons only: the
 * township code they are filtered by stays on the server.
 */
function householdsOf(tile: VectorTileLayer, townships: ReadonlySet<string> | null): VectorTileLayer {
  const features = tile.features
    .filter((f: GeoJSONVTFeature) => townships === null || townships.has(String(f.tags?.township)))
    .map((f: GeoJSONVTFeature): GeoJSONVTFeature => ({ ...f, tags: { persons: f.tags?.persons } }));
  return { ...tile, features };
}

function collection(rows: Row[]): FeatureCollection {
  return {
    type: 'FeatureCollection',
    features: rows.map(({ geometry, ...properties }): Feature => ({
      type: 'Feature',
      geometry: JSON.parse(geometry) as Geometry,
      properties,
    })),
  };
}

/**
 * Everything the map draws, cut into tiles by this server: vector tiles of the county's layers
 * (built in memory with geojson-vt, the same on both database backends since PGlite has no
 * ST_AsMVT) and Terrarium-encoded elevation tiles for MapLibre's hillshade. Built on first use;
 * `invalidate()` after the data changes.
 */
export class MapData {
  private vector: Promise<Map<BasemapLayer, GeoJSONVT>> | undefined;
  private terrain: Promise<TerrainGrid[]> | undefined;

  constructor(private readonly db: Kysely<DB>) {}

  /** Forget the built tiles: the next request rebuilds them from the database. */
  invalidate(): void {
    this.vector = undefined;
    this.terrain = undefined;
  }

  /** The extent of all counties as [west, south, east, north], or null when none is loaded. */
  async extent(): Promise<[number, number, number, number] | null> {
    const result = await sql<{ west: number | null; south: number | null; east: number | null; north: number | null }>`
      select ST_XMin(e) as west, ST_YMin(e) as south, ST_XMax(e) as east, ST_YMax(e) as north
      from (select ST_Extent(geom)::geometry as e from counties) as x`.execute(this.db);
    const row = result.rows[0];
    if (!row || row.west === null) return null;
    return [row.west, row.south!, row.east!, row.north!];
  }

  /**
   * One vector tile with every basemap layer that has features there; null when empty. Household
   * points are cut to `households`: all, none, or those of some townships (a planner's own).
   */
  async vectorTile(
    z: number,
    x: number,
    y: number,
    households: 'all' | 'none' | readonly string[] = 'all',
  ): Promise<Uint8Array | null> {
    const indexes = await (this.vector ??= this.buildVector());
    const layers: Record<string, VectorTileLayer> = {};
    for (const [name, index] of indexes) {
      if (name === 'households' && households === 'none') continue;
      const tile = index.getTile(z, x, y);
      if (!tile) continue;
      const shown =
        name === 'households' ? householdsOf(tile, households === 'all' ? null : new Set(households)) : tile;
      if (shown.features.length > 0) layers[name] = shown;
    }
    if (Object.keys(layers).length === 0) return null;
    return fromGeojsonVt(layers, { version: 2, extent: 4096 });
  }

  /** A Terrarium-encoded elevation PNG for MapLibre's raster-dem source; null outside the terrain. */
  async demTile(z: number, x: number, y: number): Promise<Buffer | null> {
    const grids = await (this.terrain ??= this.loadTerrain());
    const bounds = tileBounds(z, x, y);
    const touching = grids.filter((g) => boxesIntersect(g.bounds, bounds));
    if (touching.length === 0) return null;
    const rgba = new Uint8Array(TILE_PIXELS * TILE_PIXELS * 4);
    for (let py = 0; py < TILE_PIXELS; py++) {
      for (let px = 0; px < TILE_PIXELS; px++) {
        const [lon, lat] = tileToLonLat(z, x + (px + 0.5) / TILE_PIXELS, y + (py + 0.5) / TILE_PIXELS);
        const grid = touching.find((g) => boxesIntersect(g.bounds, [lon, lat, lon, lat])) ?? touching[0]!;
        const value = sampleElevation(grid.grid, lon, lat) + 32768;
        const o = (py * TILE_PIXELS + px) * 4;
        rgba[o] = Math.floor(value / 256);
        rgba[o + 1] = Math.floor(value) % 256;
        rgba[o + 2] = Math.floor((value - Math.floor(value)) * 256);
        rgba[o + 3] = 255;
      }
    }
    return encodePngRgba(TILE_PIXELS, TILE_PIXELS, rgba);
  }

  private async loadTerrain(): Promise<TerrainGrid[]> {
    return readTerrains(this.db);
  }

  private async buildVector(): Promise<Map<BasemapLayer, GeoJSONVT>> {
    const query = async (text: ReturnType<typeof sql<Row>>) => collection((await text.execute(this.db)).rows);
    const sources: Record<BasemapLayer, Promise<FeatureCollection>> = {
      // Half a degree around the counties, with the counties cut out: paints over the terrain
      // tiles' margins outside them.
      county_mask: query(sql<Row>`
        select ST_AsGeoJSON(ST_Difference(ST_Expand(ST_Envelope(ST_Collect(geom)), 0.5), ST_Union(geom)), 6) as geometry
        from counties having count(*) > 0`),
      county: query(sql<Row>`select code, name, ST_AsGeoJSON(ST_Boundary(geom), 6) as geometry from counties`),
      townships: query(sql<Row>`select code, name, kind, ST_AsGeoJSON(geom, 6) as geometry from townships`),
      villages: query(sql<Row>`select code, name, kind, ST_AsGeoJSON(geom, 6) as geometry from villages`),
      rivers: query(sql<Row>`select strahler, ST_AsGeoJSON(geom, 6) as geometry from rivers`),
      roads: query(sql<Row>`select road_class, ST_AsGeoJSON(geom, 6) as geometry from road_edges`),
      households: query(sql<Row>`
        select h.persons, v.township_code as township, ST_AsGeoJSON(h.geom, 6) as geometry
        from households h join villages v on v.code = h.village_code`),
      bus_stops: query(sql<Row>`select name, ST_AsGeoJSON(geom, 6) as geometry from bus_stops`),
      stations: query(sql<Row>`select code, name, ST_AsGeoJSON(geom, 6) as geometry from police_stations`),
      // Labels say 洪溪村, not the committee's full name 洪溪村委会.
      village_labels: query(sql<Row>`
        select code, name, kind, regexp_replace(name, '村委会$', '村') as label, ST_AsGeoJSON(centre, 6) as geometry
        from villages`),
      township_labels: query(sql<Row>`
        select code, name, ST_AsGeoJSON(coalesce(seat, ST_PointOnSurface(geom)), 6) as geometry from townships`),
    };
    const indexes = new Map<BasemapLayer, GeoJSONVT>();
    for (const layer of BASEMAP_LAYERS) {
      indexes.set(
        layer,
        new GeoJSONVT(await sources[layer], { maxZoom: VECTOR_MAX_ZOOM, indexMaxZoom: 5, tolerance: 3, buffer: 64 }),
      );
    }
    return indexes;
  }
}

/** Bilinear elevation at a point, clamped to the grid's edge. */
function sampleElevation(grid: ElevationGrid, lon: number, lat: number): number {
  const fx = Math.min(grid.width - 1, Math.max(0, (lon - grid.west) / grid.dLon - 0.5));
  const fy = Math.min(grid.height - 1, Math.max(0, (grid.north - lat) / grid.dLat - 0.5));
  const x0 = Math.floor(fx);
  const y0 = Math.floor(fy);
  const x1 = Math.min(grid.width - 1, x0 + 1);
  const y1 = Math.min(grid.height - 1, y0 + 1);
  const tx = fx - x0;
  const ty = fy - y0;
  const e = grid.elevationMetres;
  const top = e[y0 * grid.width + x0]! * (1 - tx) + e[y0 * grid.width + x1]! * tx;
  const bottom = e[y1 * grid.width + x0]! * (1 - tx) + e[y1 * grid.width + x1]! * tx;
  return top * (1 - ty) + bottom * ty;
}
