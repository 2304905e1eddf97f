import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';

/**
 * A county's elevation grid as the terrain table keeps it: cell (col, row) centred at
 * west + (col + ½)·dLon, north − (row + ½)·dLat, heights row-major from the north-west cell.
 */
export interface ElevationGrid {
  west: number;
  north: number;
  dLon: number;
  dLat: number;
  width: number;
  height: number;
  /** Row-major from the north-west cell, metres. */
  elevationMetres: ArrayLike<number>;
}

/** A stored terrain: its county, grid, extent [west, south, east, north] and whether it is synthetic. */
export interface CountyTerrain {
  countyCode: string;
  grid: ElevationGrid;
  bounds: [number, number, number, number];
  /** Generated for the demo county rather than surveyed. */
  synthetic: boolean;
}

/** Every county's terrain (one county's when `countyCode` is given), heights decoded from little-endian Int16. */
export async function readTerrains(db: Kysely<DB>, countyCode?: string): Promise<CountyTerrain[]> {
  let query = db
    .selectFrom('terrain')
    .select(['county_code', 'west', 'north', 'd_lon', 'd_lat', 'width', 'height', 'elevation_m', 'synthetic'])
    .orderBy('county_code');
  if (countyCode) query = query.where('county_code', '=', countyCode);
  const rows = await query.execute();
  return rows.map((row) => {
    const bytes = row.elevation_m;
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const elevationMetres = new Int16Array(row.width * row.height);
    for (let i = 0; i < elevationMetres.length; i++) elevationMetres[i] = view.getInt16(2 * i, true);
    return {
      countyCode: row.county_code,
      grid: {
        west: row.west,
        north: row.north,
        dLon: row.d_lon,
        dLat: row.d_lat,
        width: row.width,
        height: row.height,
        elevationMetres,
      },
      bounds: [row.west, row.north - row.height * row.d_lat, row.west + row.width * row.d_lon, row.north],
      synthetic: row.synthetic,
    };
  });
}
