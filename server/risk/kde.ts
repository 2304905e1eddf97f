/**
 * Kernel density surface of events, in events per km², on a grid in the local equirectangular
 * projection (projection.ts). The bandwidth is in metres on the ground and the density unit is
 * fixed, so a colour means the same density at every zoom: zooming changes only the grid's cell
 * size, not the surface.
 *
 * Kernel: quartic (biweight), K(d) = 3/(π h²) · (1 − d²/h²)² for d < h, else 0 — it integrates to
 * 1, so the surface integrates to the number of events (away from the grid edges). It is the
 * kernel of Silverman (1986, eq. 4.5) that ArcGIS's Kernel Density also uses.
 *
 * What a cell holds: the surface at the cell's centre, Σᵢ K(|centre − eventᵢ|), not its mean over
 * the cell — so a place has one value whatever the grid, and the breaks' coarser grid samples the
 * same surface as the image. It is computed exactly: every event adds the kernel at each cell
 * centre within h of it (no binning: linear binning at the 150 m image cell was up to 126 % off in
 * visible cells, by the kernel's curvature). One event's values × cell area add up to 1 only if
 * the cell is small beside h, hence densityCellForBandwidth. Cost: π(h / cell)² cells per event.
 */
import { type EventIndex, type EventQuery, eventRange, forEachMatchingEvent } from './event-index.js';
import { type LocalProjection, projectX, projectY, unproject } from './projection.js';

/** A north-up grid in projected metres; row 0 is the northernmost. */
export interface DensityGridSpec {
  /** Projected x of the grid's west edge. */
  westMetres: number;
  /** Projected y of the grid's north edge. */
  northMetres: number;
  cellMetres: number;
  columns: number;
  rows: number;
}

/** Densities per km² at cell centres, row-major from the north-west corner. */
export interface DensityGrid extends DensityGridSpec {
  densityPerKm2: Float32Array;
}

/** The grid of a given cell size covering a lon/lat bounding box. */
export function densityGridForBounds(
  projection: LocalProjection,
  bounds: { west: number; south: number; east: number; north: number },
  cellMetres: number,
): DensityGridSpec {
  const westMetres = projectX(projection, bounds.west);
  const eastMetres = projectX(projection, bounds.east);
  const southMetres = projectY(projection, bounds.south);
  const northMetres = projectY(projection, bounds.north);
  return {
    westMetres,
    northMetres,
    cellMetres,
    columns: Math.max(1, Math.ceil((eastMetres - westMetres) / cellMetres)),
    rows: Math.max(1, Math.ceil((northMetres - southMetres) / cellMetres)),
  };
}

/**
 * Lon/lat of the grid's outer corners — top-left, top-right, bottom-right, bottom-left, the order
 * of a MapLibre image source — for placing the rendered image. The map stretches the image
 * linearly in Web Mercator, whose northing is not linear in latitude: for a county-wide image
 * (0.54° tall at 27.5° N) the middle rows land up to ~40 m off (sec φ·tan φ·Δφ²/8 × R), well
 * under a kilometre-scale kernel; for viewport-sized grids far less.
 */
export function gridCornersLonLat(projection: LocalProjection, grid: DensityGridSpec): [number, number][] {
  const east = grid.westMetres + grid.columns * grid.cellMetres;
  const south = grid.northMetres - grid.rows * grid.cellMetres;
  return [
    unproject(projection, grid.westMetres, grid.northMetres),
    unproject(projection, east, grid.northMetres),
    unproject(projection, east, south),
    unproject(projection, grid.westMetres, south),
  ];
}

/** Peak of the quartic kernel (density at a lone event's own position), events per km². */
export function quarticPeakPerKm2(bandwidthMetres: number): number {
  return (3 / (Math.PI * bandwidthMetres * bandwidthMetres)) * 1e6;
}

/**
 * Default bandwidth, the spatial variant of Silverman's rule of thumb that ArcGIS's Kernel Density
 * uses: h = 0.9 · min(SD, √(1 / ln 2) · Dm) · n^(−0.2), where SD is the standard distance
 * √(Σ(x − x̄)²/n + Σ(y − ȳ)²/n) and Dm the median distance from the mean centre. Never below
 * `minimumMetres` (default 100 m, so a cluster of identical points still draws). Compute it once
 * from all events of the chosen categories over the whole time range, not from the slider's
 * window, so the surface does not change bandwidth as the window moves.
 */
export function defaultBandwidthMetres(
  xMetres: ArrayLike<number>,
  yMetres: ArrayLike<number>,
  minimumMetres = 100,
): number {
  const n = xMetres.length;
  if (n === 0) return minimumMetres;
  let sumX = 0;
  let sumY = 0;
  for (let i = 0; i < n; i++) {
    sumX += xMetres[i]!;
    sumY += yMetres[i]!;
  }
  const meanX = sumX / n;
  const meanY = sumY / n;
  const distances = new Float64Array(n);
  let squares = 0;
  for (let i = 0; i < n; i++) {
    const dx = xMetres[i]! - meanX;
    const dy = yMetres[i]! - meanY;
    squares += dx * dx + dy * dy;
    distances[i] = Math.sqrt(dx * dx + dy * dy);
  }
  distances.sort();
  const half = n >> 1;
  const medianDistance = n % 2 === 1 ? distances[half]! : (distances[half - 1]! + distances[half]!) / 2;
  const standardDistance = Math.sqrt(squares / n);
  const spread = Math.min(standardDistance, Math.sqrt(1 / Math.LN2) * medianDistance);
  return Math.max(minimumMetres, 0.9 * spread * n ** -0.2);
}

/** Default bandwidth from the events a query selects (give it the full time range). */
export function defaultBandwidthForQuery(index: EventIndex, query: EventQuery, minimumMetres = 100): number {
  const [from, to] = eventRange(index, query.startDay, query.endDay);
  const xs = new Float64Array(to - from);
  const ys = new Float64Array(to - from);
  let count = 0;
  forEachMatchingEvent(index, query, (k) => {
    xs[count] = index.xMetres[k]!;
    ys[count++] = index.yMetres[k]!;
  });
  return defaultBandwidthMetres(xs.subarray(0, count), ys.subarray(0, count), minimumMetres);
}

/**
 * The grid cell for a bandwidth: `preferredMetres` (the map's own cell) unless the bandwidth needs
 * finer or allows coarser. At most h/3: then one event's values × cell area add up to within 0.5 %
 * of 1 wherever it falls in its cell (1.8 % at h/2; 2.15 at h = 100 m on 150 m cells, nothing at
 * all if it falls between centres). At least h/8, where the kernel changes little from one cell
 * to the next: an event then costs at most π·8² ≈ 200 cells, whatever the bandwidth.
 */
export function densityCellForBandwidth(bandwidthMetres: number, preferredMetres: number): number {
  return Math.min(bandwidthMetres / 3, Math.max(bandwidthMetres / 8, preferredMetres));
}

/**
 * A cell size for the density grid of an area: about `maxCells` cells over it (default 512², an
 * image the size of a map tile group), within the bounds densityCellForBandwidth sets.
 */
export function densityCellMetres(
  bandwidthMetres: number,
  widthMetres: number,
  heightMetres: number,
  maxCells = 512 * 512,
): number {
  return densityCellForBandwidth(bandwidthMetres, Math.sqrt((widthMetres * heightMetres) / maxCells));
}

/** Side of the square blocks of cells the builder marks as reached, for reading a surface sparsely. */
const BLOCK_CELLS = 16;

/** Sums the kernel of each event at the cell centres within its bandwidth, then scales to per km². */
class DensityBuilder {
  /** The bandwidth in cells. */
  private readonly radius: number;
  /** Σ (r² − d²)² per cell, d and r in cells: the kernel up to the factor peak / r⁴. */
  private readonly sums: Float64Array;
  private readonly blockColumns: number;
  /** Per block of BLOCK_CELLS² cells: 1 once an event's kernel reaches into it. */
  private readonly reached: Uint8Array;

  constructor(
    private readonly grid: DensityGridSpec,
    private readonly bandwidthMetres: number,
  ) {
    if (!(bandwidthMetres > 0) || !(grid.cellMetres > 0)) throw new RangeError('Bandwidth and cell size must be > 0');
    this.radius = bandwidthMetres / grid.cellMetres;
    this.sums = new Float64Array(grid.columns * grid.rows);
    this.blockColumns = Math.ceil(grid.columns / BLOCK_CELLS);
    this.reached = new Uint8Array(this.blockColumns * Math.ceil(grid.rows / BLOCK_CELLS));
  }

  /** Adds one event (unit mass); an event farther than h from every cell centre adds nothing. */
  add(xMetres: number, yMetres: number): void {
    const { grid, radius, sums, reached } = this;
    const { columns, rows } = grid;
    // Fractional cell coordinates: cell (column, row) has its centre at (column, row).
    const u = (xMetres - grid.westMetres) / grid.cellMetres - 0.5;
    const v = (grid.northMetres - yMetres) / grid.cellMetres - 0.5;
    if (!(u + radius > 0 && u - radius < columns - 1)) return;
    const r2 = radius * radius;
    const firstRow = Math.max(0, Math.ceil(v - radius));
    const lastRow = Math.min(rows - 1, Math.floor(v + radius));
    if (firstRow > lastRow) return;
    // The blocks of the kernel's bounding box (a few): where positiveValues will look.
    const firstBlock = Math.floor(Math.max(0, u - radius) / BLOCK_CELLS);
    const lastBlock = Math.floor(Math.min(columns - 1, u + radius) / BLOCK_CELLS);
    for (let blockRow = Math.floor(firstRow / BLOCK_CELLS); blockRow <= lastRow / BLOCK_CELLS; blockRow++) {
      reached.fill(1, blockRow * this.blockColumns + firstBlock, blockRow * this.blockColumns + lastBlock + 1);
    }
    for (let row = firstRow; row <= lastRow; row++) {
      const a = r2 - (row - v) * (row - v);
      if (!(a > 0)) continue;
      const halfWidth = Math.sqrt(a);
      const first = Math.max(0, Math.ceil(u - halfWidth));
      const last = Math.min(columns - 1, Math.floor(u + halfWidth));
      const base = row * columns;
      // t = a − (column − u)², stepped: t(c + 1) = t(c) − (2(c − u) + 1).
      let t = a - (first - u) * (first - u);
      let step = 2 * (first - u) + 1;
      for (let i = base + first; i <= base + last; i++) {
        if (t > 0) sums[i]! += t * t;
        t -= step;
        step += 2;
      }
    }
  }

  /** From sums to events per km²: K = peak · (1 − d²/h²)² = peak · (r² − d²)² / r⁴. */
  private get scale(): number {
    return quarticPeakPerKm2(this.bandwidthMetres) / this.radius ** 4;
  }

  /** The positive values per km², in no particular order, read from the reached blocks only. */
  positiveValues(): Float32Array {
    const { grid, sums, reached, blockColumns, scale } = this;
    const values: number[] = [];
    for (let block = 0; block < reached.length; block++) {
      if (reached[block] === 0) continue;
      const firstColumn = (block % blockColumns) * BLOCK_CELLS;
      const firstRow = Math.floor(block / blockColumns) * BLOCK_CELLS;
      const lastColumn = Math.min(grid.columns, firstColumn + BLOCK_CELLS);
      for (let row = firstRow; row < Math.min(grid.rows, firstRow + BLOCK_CELLS); row++) {
        for (let i = row * grid.columns + firstColumn; i < row * grid.columns + lastColumn; i++) {
          if (sums[i]! > 0) values.push(sums[i]! * scale);
        }
      }
    }
    return Float32Array.from(values);
  }

  /** The surface per km². */
  finish(): DensityGrid {
    const scale = this.scale;
    const densityPerKm2 = new Float32Array(this.sums.length);
    for (let i = 0; i < densityPerKm2.length; i++) densityPerKm2[i] = this.sums[i]! * scale;
    return { ...this.grid, densityPerKm2 };
  }
}

/** Kernel density (events per km²) of projected points on a grid, bandwidth in metres. */
export function kernelDensity(
  xMetres: ArrayLike<number>,
  yMetres: ArrayLike<number>,
  grid: DensityGridSpec,
  bandwidthMetres: number,
): DensityGrid {
  const builder = new DensityBuilder(grid, bandwidthMetres);
  for (let i = 0; i < xMetres.length; i++) builder.add(xMetres[i]!, yMetres[i]!);
  return builder.finish();
}

/** Kernel density (events per km²) of the events a query selects, in one pass over the index. */
export function kernelDensityForQuery(
  index: EventIndex,
  query: EventQuery,
  grid: DensityGridSpec,
  bandwidthMetres: number,
): DensityGrid {
  return builderForQuery(index, query, grid, bandwidthMetres).finish();
}

/**
 * The positive values (events per km²) of the kernel density of the events a query selects, in no
 * particular order: the surface's distribution without reading the cells no event reaches (at a
 * 100 m bandwidth the county's grid has 3 million cells, a month's events reach a few percent).
 */
export function kernelDensityValuesForQuery(
  index: EventIndex,
  query: EventQuery,
  grid: DensityGridSpec,
  bandwidthMetres: number,
): Float32Array {
  return builderForQuery(index, query, grid, bandwidthMetres).positiveValues();
}

/** A builder holding the events a query selects, in one pass over the index. */
function builderForQuery(
  index: EventIndex,
  query: EventQuery,
  grid: DensityGridSpec,
  bandwidthMetres: number,
): DensityBuilder {
  const builder = new DensityBuilder(grid, bandwidthMetres);
  const { xMetres, yMetres } = index;
  forEachMatchingEvent(index, query, (k) => builder.add(xMetres[k]!, yMetres[k]!));
  return builder;
}
