/**
 * Rasters of the county generator: a regular lon/lat grid, row 0 at the north edge, cells about
 * square on the ground (different degree steps in x and y). Pure data, no I/O.
 */
export interface GridSpec {
  /** Longitude of the west edge of column 0, degrees. */
  west: number;
  /** Latitude of the north edge of row 0, degrees. */
  north: number;
  /** Cell width, degrees of longitude. */
  dLon: number;
  /** Cell height, degrees of latitude. */
  dLat: number;
  width: number;
  height: number;
}

export type CellArray = Float32Array | Float64Array | Int32Array | Uint8Array | Uint16Array | Int16Array | Uint32Array;

export interface Raster<T extends CellArray = Float32Array> {
  spec: GridSpec;
  /** Row-major, `data[row * width + col]`. */
  data: T;
}

/** Metres per degree of latitude and of longitude at a latitude (spherical, adequate for cell sizes). */
export function metresPerDegree(latitude: number): { lat: number; lon: number } {
  const lat = 111_132.954 - 559.822 * Math.cos((2 * latitude * Math.PI) / 180);
  const lon = (Math.PI / 180) * 6_378_137 * Math.cos((latitude * Math.PI) / 180);
  return { lat, lon };
}

/** A grid covering a bounding box with cells of about `cellMetres` on the ground. */
export function gridForBounds(
  bounds: { west: number; south: number; east: number; north: number },
  cellMetres: number,
): GridSpec {
  const m = metresPerDegree((bounds.south + bounds.north) / 2);
  const dLon = cellMetres / m.lon;
  const dLat = cellMetres / m.lat;
  return {
    west: bounds.west,
    north: bounds.north,
    dLon,
    dLat,
    width: Math.ceil((bounds.east - bounds.west) / dLon),
    height: Math.ceil((bounds.north - bounds.south) / dLat),
  };
}

/** Centre of a cell as [lon, lat]. */
export function cellCentre(spec: GridSpec, col: number, row: number): [number, number] {
  return [spec.west + (col + 0.5) * spec.dLon, spec.north - (row + 0.5) * spec.dLat];
}

/** The cell holding a point, or null outside the grid. */
export function cellOf(spec: GridSpec, lon: number, lat: number): { col: number; row: number } | null {
  const col = Math.floor((lon - spec.west) / spec.dLon);
  const row = Math.floor((spec.north - lat) / spec.dLat);
  if (col < 0 || row < 0 || col >= spec.width || row >= spec.height) return null;
  return { col, row };
}

/** Cell size on the ground in metres (x, y) at the grid's middle latitude. */
export function cellSizeMetres(spec: GridSpec): { x: number; y: number } {
  const m = metresPerDegree(spec.north - (spec.height * spec.dLat) / 2);
  return { x: spec.dLon * m.lon, y: spec.dLat * m.lat };
}

/** 8-neighbour offsets (dc, dr), clockwise from north. */
export const NEIGHBOURS_8: ReadonlyArray<readonly [number, number]> = [
  [0, -1],
  [1, -1],
  [1, 0],
  [1, 1],
  [0, 1],
  [-1, 1],
  [-1, 0],
  [-1, -1],
];
