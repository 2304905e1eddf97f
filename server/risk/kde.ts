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
 * Method: linear binning then a discrete convolution (Wand 1994). Each event's unit mass is spread
 * bilinearly onto the four surrounding cell centres of a lattice padded by the kernel radius (so
 * events just outside the grid still count), then every non-empty lattice node scatters the
 * kernel, evaluated exactly at cell-centre offsets, onto the grid. Cost: one pass over the events
 * plus (non-empty nodes) × π(h / cell)²: densityCellMetres picks a cell size that bounds it.
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
 * A cell size for the density grid of an area: fine enough to sample the surface (bandwidth / 8:
 * the quartic kernel changes little over an eighth of its radius) and no finer than needed for
 * about `maxCells` cells over the area (default 512², an image the size of a map tile group). The
 * cost of the convolution grows with (bandwidth / cell)², so this keeps it near constant.
 */
export function densityCellMetres(
  bandwidthMetres: number,
  widthMetres: number,
  heightMetres: number,
  maxCells = 512 * 512,
): number {
  return Math.max(bandwidthMetres / 8, Math.sqrt((widthMetres * heightMetres) / maxCells));
}

/** Accumulates events onto a padded lattice of cell centres, then convolves with the kernel. */
class DensityBuilder {
  private readonly pad: number;
  private readonly paddedColumns: number;
  private readonly paddedRows: number;
  private readonly lattice: Float64Array;

  constructor(
    private readonly grid: DensityGridSpec,
    private readonly bandwidthMetres: number,
  ) {
    if (!(bandwidthMetres > 0) || !(grid.cellMetres > 0)) throw new RangeError('Bandwidth and cell size must be > 0');
    this.pad = Math.ceil(bandwidthMetres / grid.cellMetres) + 1;
    this.paddedColumns = grid.columns + 2 * this.pad;
    this.paddedRows = grid.rows + 2 * this.pad;
    this.lattice = new Float64Array(this.paddedColumns * this.paddedRows);
  }

  /** Adds one event (unit mass) by linear binning; events far outside the grid are dropped. */
  add(xMetres: number, yMetres: number): void {
    const { grid, pad, paddedColumns, paddedRows, lattice } = this;
    // Fractional lattice coordinates, node (0, 0) = the padded lattice's north-west cell centre.
    const u = (xMetres - grid.westMetres) / grid.cellMetres - 0.5 + pad;
    const v = (grid.northMetres - yMetres) / grid.cellMetres - 0.5 + pad;
    const column = Math.floor(u);
    const row = Math.floor(v);
    if (!(column >= 0 && row >= 0 && column + 1 < paddedColumns && row + 1 < paddedRows)) return;
    const fu = u - column;
    const fv = v - row;
    const node = row * paddedColumns + column;
    lattice[node]! += (1 - fu) * (1 - fv);
    lattice[node + 1]! += fu * (1 - fv);
    lattice[node + paddedColumns]! += (1 - fu) * fv;
    lattice[node + paddedColumns + 1]! += fu * fv;
  }

  /** Convolves the lattice with the quartic kernel onto the grid, per km². */
  finish(): DensityGrid {
    const { grid, pad, paddedColumns, paddedRows, lattice, bandwidthMetres } = this;
    const { columns, rows, cellMetres } = grid;
    const radius = pad - 1;
    const stencilWidth = 2 * radius + 1;
    const stencil = new Float64Array(stencilWidth * stencilWidth);
    const halfWidthOfRow = new Int32Array(stencilWidth);
    const h2 = bandwidthMetres * bandwidthMetres;
    const peak = quarticPeakPerKm2(bandwidthMetres);
    for (let dy = -radius; dy <= radius; dy++) {
      let halfWidth = -1;
      for (let dx = -radius; dx <= radius; dx++) {
        const d2 = (dx * dx + dy * dy) * cellMetres * cellMetres;
        if (d2 < h2) {
          const t = 1 - d2 / h2;
          stencil[(dy + radius) * stencilWidth + dx + radius] = peak * t * t;
          halfWidth = Math.max(halfWidth, Math.abs(dx));
        }
      }
      halfWidthOfRow[dy + radius] = halfWidth;
    }
    const density = new Float64Array(columns * rows);
    for (let row = 0; row < paddedRows; row++) {
      for (let column = 0; column < paddedColumns; column++) {
        const mass = lattice[row * paddedColumns + column]!;
        if (mass === 0) continue;
        // Lattice node (column, row) sits at grid cell (column − pad, row − pad).
        const gridColumn = column - pad;
        const gridRow = row - pad;
        for (let dy = -radius; dy <= radius; dy++) {
          const targetRow = gridRow + dy;
          const halfWidth = halfWidthOfRow[dy + radius]!;
          if (targetRow < 0 || targetRow >= rows || halfWidth < 0) continue;
          const from = Math.max(-halfWidth, -gridColumn);
          const to = Math.min(halfWidth, columns - 1 - gridColumn);
          const stencilRow = (dy + radius) * stencilWidth + radius;
          const targetBase = targetRow * columns + gridColumn;
          for (let dx = from; dx <= to; dx++) density[targetBase + dx]! += mass * stencil[stencilRow + dx]!;
        }
      }
    }
    return { ...grid, densityPerKm2: Float32Array.from(density) };
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
  const builder = new DensityBuilder(grid, bandwidthMetres);
  const { xMetres, yMetres } = index;
  forEachMatchingEvent(index, query, (k) => builder.add(xMetres[k]!, yMetres[k]!));
  return builder.finish();
}
