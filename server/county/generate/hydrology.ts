/**
 * Drainage of a DEM: depression filling (Priority-Flood+ε), D8 flow directions, flow accumulation
 * and a river network with Strahler orders. Pure functions over typed arrays, O(n) or O(n log n).
 */
import { cellCentre, cellSizeMetres, NEIGHBOURS_8, type GridSpec, type Raster } from './raster.js';

/** Flow direction value of a cell with no downslope neighbour inside the grid (an outlet, or a pit). */
export const NO_FLOW = 255;

/** One stretch of river between confluences, traced downstream. */
export interface River {
  id: number;
  /** [lon, lat] from the upstream end to the confluence (or outlet) it flows into. */
  coordinates: [number, number][];
  /** Strahler order: 1 for a headwater, +1 where two rivers of the same order meet. */
  order: number;
  /** Cells draining through the last cell of this stretch (itself included). */
  accumulationCells: number;
  /** The stretch this one flows into, or null where it leaves the grid. */
  downstreamId: number | null;
}

const F32 = new Float32Array(1);
const U32 = new Uint32Array(F32.buffer);

/** The smallest float32 above x (x itself a float32): the ε of Priority-Flood+ε. */
function nextFloat32Up(x: number): number {
  if (x === 0) return 1.401298464324817e-45;
  F32[0] = x;
  if (x > 0) U32[0] = U32[0]! + 1;
  else U32[0] = U32[0]! - 1;
  return F32[0];
}

/** Index offsets of NEIGHBOURS_8 on a grid of this width. */
function neighbourOffsets(width: number): Int32Array {
  return Int32Array.from(NEIGHBOURS_8, ([dc, dr]) => dr * width + dc);
}

/** A binary min-heap of cell indices keyed by elevation, in preallocated typed arrays. */
class CellHeap {
  private readonly keys: Float32Array;
  private readonly cells: Int32Array;
  size = 0;

  constructor(capacity: number) {
    this.keys = new Float32Array(capacity);
    this.cells = new Int32Array(capacity);
  }

  push(cell: number, key: number): void {
    const keys = this.keys;
    const cells = this.cells;
    let i = this.size++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (keys[parent]! <= key) break;
      keys[i] = keys[parent]!;
      cells[i] = cells[parent]!;
      i = parent;
    }
    keys[i] = key;
    cells[i] = cell;
  }

  /** Removes and returns the cell with the lowest key; the heap must not be empty. */
  pop(): number {
    const keys = this.keys;
    const cells = this.cells;
    const top = cells[0]!;
    const n = --this.size;
    const key = keys[n]!;
    const cell = cells[n]!;
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      if (child + 1 < n && keys[child + 1]! < keys[child]!) child++;
      if (keys[child]! >= key) break;
      keys[i] = keys[child]!;
      cells[i] = cells[child]!;
      i = child;
    }
    keys[i] = key;
    cells[i] = cell;
    return top;
  }
}

/**
 * Depression-filled copy of a DEM (Priority-Flood+ε, Barnes et al. 2014): every cell is raised to
 * at least the spill height of its depression plus one float32 step per cell along the way, so that
 * every interior cell has a strictly lower neighbour and drains to the grid edge.
 */
export function fillDepressions(dem: Raster<Float32Array>): Float32Array {
  const { width, height } = dem.spec;
  const n = width * height;
  const filled = Float32Array.from(dem.data);
  const closed = new Uint8Array(n);
  const heap = new CellHeap(n);
  // Cells raised into a depression are handled first-in first-out, which is cheaper than the heap.
  const pit = new Int32Array(n);
  let pitHead = 0;
  let pitTail = 0;
  for (let col = 0; col < width; col++) {
    for (const row of height > 1 ? [0, height - 1] : [0]) {
      const cell = row * width + col;
      closed[cell] = 1;
      heap.push(cell, filled[cell]!);
    }
  }
  for (let row = 1; row < height - 1; row++) {
    for (const col of width > 1 ? [0, width - 1] : [0]) {
      const cell = row * width + col;
      closed[cell] = 1;
      heap.push(cell, filled[cell]!);
    }
  }
  const offsets = neighbourOffsets(width);
  const dcs = Int32Array.from(NEIGHBOURS_8, ([dc]) => dc);
  const drs = Int32Array.from(NEIGHBOURS_8, ([, dr]) => dr);
  // Cells that cannot raise any neighbour (all their open neighbours are higher) may be handled in
  // any order (Zhou et al. 2016): a stack, which spares most cells the heap.
  const slope = new Int32Array(n);
  let slopeTop = 0;
  const isInterior = (col: number, row: number): boolean => col > 0 && row > 0 && col < width - 1 && row < height - 1;
  while (pitHead < pitTail || slopeTop > 0 || heap.size > 0) {
    const cell = pitHead < pitTail ? pit[pitHead++]! : slopeTop > 0 ? slope[--slopeTop]! : heap.pop();
    const col = cell % width;
    const row = (cell - col) / width;
    const interior = isInterior(col, row);
    const spill = nextFloat32Up(filled[cell]!);
    for (let k = 0; k < 8; k++) {
      const c = col + dcs[k]!;
      const r = row + drs[k]!;
      if (!interior && (c < 0 || r < 0 || c >= width || r >= height)) continue;
      const next = cell + offsets[k]!;
      if (closed[next]) continue;
      closed[next] = 1;
      const z = filled[next]!;
      if (z <= spill) {
        filled[next] = spill;
        pit[pitTail++] = next;
        continue;
      }
      // At least nextFloat32Up(z): erring high only sends a cell to the heap needlessly.
      const nextSpill = z + Math.abs(z) * 2.4e-7 + 1e-37;
      const nextInterior = isInterior(c, r);
      let raises = false;
      for (let j = 0; j < 8; j++) {
        if (!nextInterior) {
          const cc = c + dcs[j]!;
          const rr = r + drs[j]!;
          if (cc < 0 || rr < 0 || cc >= width || rr >= height) continue;
        }
        const m = next + offsets[j]!;
        if (!closed[m] && filled[m]! <= nextSpill) {
          raises = true;
          break;
        }
      }
      if (raises) heap.push(next, z);
      else slope[slopeTop++] = next;
    }
  }
  return filled;
}

/**
 * D8 flow directions: for each cell the index into NEIGHBOURS_8 of its steepest downhill neighbour
 * (drop over centre distance, so diagonals count √2 × the cell size), NO_FLOW (255) where no
 * neighbour inside the grid is lower: an outlet at the edge, or a pit if the DEM was not filled.
 */
export function flowDirections(filled: Raster<Float32Array>): Uint8Array {
  const { width, height } = filled.spec;
  const z = filled.data;
  const size = cellSizeMetres(filled.spec);
  const inverseDistance = Float64Array.from(NEIGHBOURS_8, ([dc, dr]) => 1 / Math.hypot(dc * size.x, dr * size.y));
  const offsets = neighbourOffsets(width);
  const directions = new Uint8Array(width * height);
  for (let row = 0; row < height; row++) {
    const interiorRow = row > 0 && row < height - 1;
    for (let col = 0; col < width; col++) {
      const cell = row * width + col;
      const here = z[cell]!;
      let best = NO_FLOW;
      let bestSlope = 0;
      const interior = interiorRow && col > 0 && col < width - 1;
      for (let k = 0; k < 8; k++) {
        if (!interior) {
          const [dc, dr] = NEIGHBOURS_8[k]!;
          const c = col + dc;
          const r = row + dr;
          if (c < 0 || r < 0 || c >= width || r >= height) continue;
        }
        const slope = (here - z[cell + offsets[k]!]!) * inverseDistance[k]!;
        if (slope > bestSlope) {
          bestSlope = slope;
          best = k;
        }
      }
      directions[cell] = best;
    }
  }
  return directions;
}

/**
 * The cells in an order where every cell comes before the cell it drains into (headwaters first,
 * outlets last). Cells caught in a cycle of directions (invalid input) are left out.
 */
export function drainageOrder(directions: Uint8Array, spec: GridSpec): Int32Array {
  const { width } = spec;
  const n = width * spec.height;
  const offsets = neighbourOffsets(width);
  const donors = new Uint8Array(n);
  for (let cell = 0; cell < n; cell++) {
    const d = directions[cell]!;
    if (d !== NO_FLOW) donors[cell + offsets[d]!]!++;
  }
  const order = new Int32Array(n);
  let tail = 0;
  for (let cell = 0; cell < n; cell++) if (donors[cell] === 0) order[tail++] = cell;
  for (let head = 0; head < tail; head++) {
    const cell = order[head]!;
    const d = directions[cell]!;
    if (d === NO_FLOW) continue;
    const next = cell + offsets[d]!;
    if (--donors[next]! === 0) order[tail++] = next;
  }
  return tail === n ? order : order.slice(0, tail);
}

/** Number of cells draining through each cell, itself included (D8, topological order, O(n)). */
export function flowAccumulation(directions: Uint8Array, spec: GridSpec): Float32Array {
  const accumulation = new Float32Array(spec.width * spec.height).fill(1);
  const offsets = neighbourOffsets(spec.width);
  const order = drainageOrder(directions, spec);
  for (let i = 0; i < order.length; i++) {
    const cell = order[i]!;
    const d = directions[cell]!;
    if (d !== NO_FLOW) accumulation[cell + offsets[d]!]! += accumulation[cell]!;
  }
  return accumulation;
}

/**
 * The river network: cells with accumulation ≥ minCells, split at confluences into stretches traced
 * downstream from cell centre to cell centre, each ending on the first cell of the stretch it flows
 * into (so lines join), lightly smoothed (two Chaikin passes, ends kept), with Strahler orders.
 */
export function extractRivers(
  directions: Uint8Array,
  accumulation: Float32Array,
  spec: GridSpec,
  options: { minCells: number },
): River[] {
  const { width } = spec;
  const n = width * spec.height;
  const offsets = neighbourOffsets(width);
  const minCells = options.minCells;
  // River donors per river cell: 0 = source, 1 = on a stretch, ≥ 2 = confluence (starts a stretch).
  const riverDonors = new Uint8Array(n);
  for (let cell = 0; cell < n; cell++) {
    const d = directions[cell]!;
    if (d !== NO_FLOW && accumulation[cell]! >= minCells) riverDonors[cell + offsets[d]!]!++;
  }
  const stretchAt = new Int32Array(n).fill(-1);
  const heads: number[] = [];
  for (let cell = 0; cell < n; cell++) {
    if (accumulation[cell]! >= minCells && riverDonors[cell] !== 1) {
      stretchAt[cell] = heads.length;
      heads.push(cell);
    }
  }
  const rivers: River[] = [];
  const lastCells: number[] = [];
  for (let id = 0; id < heads.length; id++) {
    const cells = [heads[id]!];
    let cell = heads[id]!;
    let downstreamId: number | null = null;
    let joinCell = -1;
    for (;;) {
      const d = directions[cell]!;
      if (d === NO_FLOW) break;
      const next = cell + offsets[d]!;
      if (riverDonors[next] !== 1) {
        joinCell = next;
        downstreamId = stretchAt[next]!;
        break;
      }
      cells.push(next);
      cell = next;
    }
    lastCells.push(cell);
    const points = cells.map((c) => cellCentre(spec, c % width, Math.floor(c / width)));
    if (joinCell >= 0) points.push(cellCentre(spec, joinCell % width, Math.floor(joinCell / width)));
    rivers.push({
      id,
      coordinates: chaikin(chaikin(points)),
      order: 1,
      accumulationCells: accumulation[cell]!,
      downstreamId,
    });
  }
  strahlerOrder(rivers);
  return rivers;
}

/** Sets the Strahler order of every stretch, visiting upstream stretches before downstream ones. */
function strahlerOrder(rivers: River[]): void {
  const upstreamCount = new Int32Array(rivers.length);
  for (const river of rivers) if (river.downstreamId !== null) upstreamCount[river.downstreamId]!++;
  const highest = new Int32Array(rivers.length);
  const highestCount = new Int32Array(rivers.length);
  const queue: number[] = [];
  for (let id = 0; id < rivers.length; id++) if (upstreamCount[id] === 0) queue.push(id);
  for (let head = 0; head < queue.length; head++) {
    const river = rivers[queue[head]!]!;
    const top = highest[river.id]!;
    river.order = top === 0 ? 1 : highestCount[river.id]! >= 2 ? top + 1 : top;
    const down = river.downstreamId;
    if (down === null) continue;
    if (river.order > highest[down]!) {
      highest[down] = river.order;
      highestCount[down] = 1;
    } else if (river.order === highest[down]) {
      highestCount[down]!++;
    }
    if (--upstreamCount[down]! === 0) queue.push(down);
  }
}

/** One pass of Chaikin corner cutting, keeping the first and last points. */
function chaikin(points: [number, number][]): [number, number][] {
  if (points.length < 3) return points;
  const out: [number, number][] = [points[0]!];
  for (let i = 0; i + 1 < points.length; i++) {
    const [x0, y0] = points[i]!;
    const [x1, y1] = points[i + 1]!;
    if (i > 0) out.push([0.75 * x0 + 0.25 * x1, 0.75 * y0 + 0.25 * y1]);
    if (i + 2 < points.length) out.push([0.25 * x0 + 0.75 * x1, 0.25 * y0 + 0.75 * y1]);
  }
  out.push(points[points.length - 1]!);
  return out;
}
