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

/**
 * Mark the cells whose centre lies inside a (multi)polygon, by scanlines: for each row, the
 * crossings of the row's centre line with every ring edge, sorted, filled pairwise (even–odd,
 * so holes stay empty).
 */
export function rasterizePolygon(spec: GridSpec, polygons: number[][][][]): Uint8Array {
  const mask = new Uint8Array(spec.width * spec.height);
  const crossings: number[] = [];
  for (let row = 0; row < spec.height; row++) {
    const lat = spec.north - (row + 0.5) * spec.dLat;
    crossings.length = 0;
    for (const polygon of polygons) {
      for (const ring of polygon) {
        for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
          const [x1, y1] = ring[i] as [number, number];
          const [x2, y2] = ring[j] as [number, number];
          if (y1 > lat !== y2 > lat) crossings.push(x1 + ((lat - y1) / (y2 - y1)) * (x2 - x1));
        }
      }
    }
    crossings.sort((a, b) => a - b);
    for (let k = 0; k + 1 < crossings.length; k += 2) {
      const from = Math.max(0, Math.ceil((crossings[k]! - spec.west) / spec.dLon - 0.5));
      const to = Math.min(spec.width - 1, Math.floor((crossings[k + 1]! - spec.west) / spec.dLon - 0.5));
      for (let col = from; col <= to; col++) mask[row * spec.width + col] = 1;
    }
  }
  return mask;
}
