/**
 * A local metric projection: equirectangular about the centre of the data. Over a county
 * (~60 km) the scale error is below 0.1%, far inside what attaching places to roads needs.
 */
export interface LocalProjection {
  lon0: number;
  lat0: number;
  /** Metres per degree of longitude and latitude at the centre. */
  metresPerDegreeLon: number;
  metresPerDegreeLat: number;
  /** Distance in metres between vertices i and j of a [lon, lat, lon, lat, …] array. */
  metresBetween(coords: Float64Array, i: number, j: number): number;
}

const METRES_PER_DEGREE_LAT = 110_574;
const METRES_PER_DEGREE_LON_EQUATOR = 111_320;

/** The projection centred on the bounding box of [lon, lat, …] coordinates. */
export function localProjection(coords: Float64Array): LocalProjection {
  let west = Infinity;
  let east = -Infinity;
  let south = Infinity;
  let north = -Infinity;
  for (let i = 0; i < coords.length; i += 2) {
    west = Math.min(west, coords[i]!);
    east = Math.max(east, coords[i]!);
    south = Math.min(south, coords[i + 1]!);
    north = Math.max(north, coords[i + 1]!);
  }
  const lon0 = coords.length ? (west + east) / 2 : 0;
  const lat0 = coords.length ? (south + north) / 2 : 0;
  const metresPerDegreeLon = METRES_PER_DEGREE_LON_EQUATOR * Math.cos((lat0 * Math.PI) / 180);
  return {
    lon0,
    lat0,
    metresPerDegreeLon,
    metresPerDegreeLat: METRES_PER_DEGREE_LAT,
    metresBetween(c, i, j) {
      const dx = (c[2 * j]! - c[2 * i]!) * metresPerDegreeLon;
      const dy = (c[2 * j + 1]! - c[2 * i + 1]!) * METRES_PER_DEGREE_LAT;
      return Math.hypot(dx, dy);
    },
  };
}

/** The nearest point on the indexed lines: on the segment that starts at `vertex`, at `t` of its length. */
export interface NearestOnLine {
  vertex: number;
  t: number;
  metres: number;
  lon: number;
  lat: number;
}

/**
 * A uniform grid over the segments of many lines (each line's vertices are
 * coords[2 × lineStart[k] .. 2 × lineStart[k + 1])), for nearest-segment queries. Searches
 * outwards ring by ring and stops once no unvisited cell can hold anything nearer.
 */
export class SegmentIndex {
  private readonly cellMetres: number;
  private readonly west: number;
  private readonly south: number;
  private readonly columns: number;
  private readonly rows: number;
  private readonly cellStart: Int32Array;
  private readonly cellSegments: Int32Array;

  constructor(
    private readonly projection: LocalProjection,
    private readonly coords: Float64Array,
    lineStart: Int32Array,
    cellMetres = 500,
  ) {
    this.cellMetres = cellMetres;
    let west = Infinity;
    let south = Infinity;
    let east = -Infinity;
    let north = -Infinity;
    for (let i = 0; i < coords.length; i += 2) {
      west = Math.min(west, this.x(coords[i]!));
      east = Math.max(east, this.x(coords[i]!));
      south = Math.min(south, this.y(coords[i + 1]!));
      north = Math.max(north, this.y(coords[i + 1]!));
    }
    if (!Number.isFinite(west)) west = east = south = north = 0;
    this.west = west;
    this.south = south;
    this.columns = Math.max(1, Math.ceil((east - west) / cellMetres) + 1);
    this.rows = Math.max(1, Math.ceil((north - south) / cellMetres) + 1);

    // Two passes: count the cells each segment's box covers, then fill (CSR again).
    const segments: number[] = [];
    for (let k = 0; k + 1 < lineStart.length; k++) {
      for (let v = lineStart[k]!; v < lineStart[k + 1]! - 1; v++) segments.push(v);
    }
    const counts = new Int32Array(this.columns * this.rows + 1);
    const eachCell = (v: number, visit: (cell: number) => void) => {
      const [c0, r0] = this.cellOf(coords[2 * v]!, coords[2 * v + 1]!);
      const [c1, r1] = this.cellOf(coords[2 * v + 2]!, coords[2 * v + 3]!);
      for (let r = Math.min(r0, r1); r <= Math.max(r0, r1); r++) {
        for (let c = Math.min(c0, c1); c <= Math.max(c0, c1); c++) visit(r * this.columns + c);
      }
    };
    for (const v of segments) eachCell(v, (cell) => counts[cell + 1]!++);
    for (let i = 0; i < this.columns * this.rows; i++) counts[i + 1]! += counts[i]!;
    this.cellStart = counts;
    this.cellSegments = new Int32Array(counts[this.columns * this.rows]!);
    const fill = counts.slice(0, this.columns * this.rows);
    for (const v of segments) eachCell(v, (cell) => (this.cellSegments[fill[cell]!++] = v));
  }

  private x(lon: number): number {
    return (lon - this.projection.lon0) * this.projection.metresPerDegreeLon;
  }

  private y(lat: number): number {
    return (lat - this.projection.lat0) * this.projection.metresPerDegreeLat;
  }

  private cellOf(lon: number, lat: number): [number, number] {
    const c = Math.floor((this.x(lon) - this.west) / this.cellMetres);
    const r = Math.floor((this.y(lat) - this.south) / this.cellMetres);
    return [Math.min(this.columns - 1, Math.max(0, c)), Math.min(this.rows - 1, Math.max(0, r))];
  }

  /** The nearest point on any segment, or null when there are none. */
  nearest(lon: number, lat: number): NearestOnLine | null {
    if (this.cellSegments.length === 0) return null;
    const px = this.x(lon);
    const py = this.y(lat);
    const pc = Math.floor((px - this.west) / this.cellMetres);
    const pr = Math.floor((py - this.south) / this.cellMetres);
    let best: NearestOnLine | null = null;
    let bestSquared = Infinity;
    const maxRing = Math.max(this.columns, this.rows) + Math.max(Math.abs(pc), Math.abs(pr));
    for (let ring = 0; ring <= maxRing; ring++) {
      // Every cell of this ring is at least (ring − 1) cells away from the point.
      const reach = Math.max(0, ring - 1) * this.cellMetres;
      if (best && reach * reach > bestSquared) break;
      for (let r = pr - ring; r <= pr + ring; r++) {
        if (r < 0 || r >= this.rows) continue;
        const onEdgeRow = r === pr - ring || r === pr + ring;
        for (let c = pc - ring; c <= pc + ring; c += onEdgeRow ? 1 : 2 * ring || 1) {
          if (c < 0 || c >= this.columns) continue;
          const cell = r * this.columns + c;
          for (let i = this.cellStart[cell]!; i < this.cellStart[cell + 1]!; i++) {
            const v = this.cellSegments[i]!;
            const ax = this.x(this.coords[2 * v]!);
            const ay = this.y(this.coords[2 * v + 1]!);
            const bx = this.x(this.coords[2 * v + 2]!);
            const by = this.y(this.coords[2 * v + 3]!);
            const dx = bx - ax;
            const dy = by - ay;
            const lengthSquared = dx * dx + dy * dy;
            const t =
              lengthSquared > 0 ? Math.min(1, Math.max(0, ((px - ax) * dx + (py - ay) * dy) / lengthSquared)) : 0;
            const qx = ax + t * dx;
            const qy = ay + t * dy;
            const squared = (px - qx) ** 2 + (py - qy) ** 2;
            // Ties go to the lower vertex so that the answer does not depend on cell order.
            if (squared < bestSquared || (squared === bestSquared && best && v < best.vertex)) {
              bestSquared = squared;
              best = {
                vertex: v,
                t,
                metres: Math.sqrt(squared),
                lon: this.projection.lon0 + qx / this.projection.metresPerDegreeLon,
                lat: this.projection.lat0 + qy / this.projection.metresPerDegreeLat,
              };
            }
          }
        }
      }
    }
    return best;
  }
}
