/**
 * Regions grown from seed cells over a cost surface: a multi-source Dijkstra on the 8-neighbour
 * grid, so that region borders settle where the growing fronts meet, which on a terrain cost
 * surface is along ridges (watershed-like). Pure functions over typed arrays, no I/O.
 */
import { type GridSpec, NEIGHBOURS_8, cellSizeMetres } from './raster.js';

/** A seed cell of a region; several seeds may share a label (one region grown from many cells). */
export interface RegionSeed {
  col: number;
  row: number;
  /** Region label, an integer ≥ 0 (-1 means "no region" in the result). */
  label: number;
  /** Multiplier on every step cost of this seed's front; > 1 makes the region smaller. Default 1. */
  weight?: number;
}

/** Options of {@link growRegions}. */
export interface GrowRegionsOptions {
  /** 1 = the cell may be labelled, 0 = it stays -1. Default: every cell with a finite cost. */
  allowed?: Uint8Array;
}

/**
 * Labels every allowed cell with the region whose seed reaches it at the least weighted cost
 * (step metres × mean cost per metre of the two cells × the seed's weight). Each front grows only
 * from cells it has won, so each cell it reaches is 8-connected to a seed of its region. Ties go
 * to the lower label, then the lower cell index. Cells that are not allowed or whose cost is not
 * finite get -1 (a seed on such a cell does not grow); allowed cells that no front reaches get the
 * label of the nearest seed in a straight line, so every allowed cell gets a label.
 */
export function growRegions(
  spec: GridSpec,
  costPerMetre: Float32Array,
  seeds: readonly RegionSeed[],
  options: GrowRegionsOptions = {},
): Int32Array {
  const { width, height } = spec;
  const cellCount = width * height;
  if (costPerMetre.length !== cellCount) {
    throw new RangeError(`costPerMetre has ${costPerMetre.length} cells, the grid ${cellCount}`);
  }
  const allowed = options.allowed;
  if (allowed && allowed.length !== cellCount) {
    throw new RangeError(`allowed has ${allowed.length} cells, the grid ${cellCount}`);
  }
  if (seeds.length === 0) throw new RangeError('growRegions needs at least one seed');

  const seedLabel = new Int32Array(seeds.length);
  const seedWeight = new Float64Array(seeds.length);
  seeds.forEach((seed, s) => {
    if (!Number.isInteger(seed.col) || !Number.isInteger(seed.row)) {
      throw new RangeError(`seed ${s} is not on a cell: (${seed.col}, ${seed.row})`);
    }
    if (seed.col < 0 || seed.row < 0 || seed.col >= width || seed.row >= height) {
      throw new RangeError(`seed ${s} is outside the grid: (${seed.col}, ${seed.row})`);
    }
    if (!Number.isInteger(seed.label) || seed.label < 0) {
      throw new RangeError(`seed ${s} has label ${seed.label}; labels are integers ≥ 0`);
    }
    const weight = seed.weight ?? 1;
    if (!(weight > 0) || !Number.isFinite(weight)) throw new RangeError(`seed ${s} has weight ${weight}`);
    seedLabel[s] = seed.label;
    seedWeight[s] = weight;
  });

  // open[i] = 1 when the cell takes part at all (allowed and a finite, non-negative cost).
  const open = new Uint8Array(cellCount);
  for (let i = 0; i < cellCount; i++) {
    const cost = costPerMetre[i]!;
    if (cost < 0) throw new RangeError(`negative cost ${cost} at cell ${i}`);
    open[i] = (allowed === undefined || allowed[i] !== 0) && Number.isFinite(cost) ? 1 : 0;
  }

  const size = cellSizeMetres(spec);
  const stepCol = Int32Array.from(NEIGHBOURS_8, ([dc]) => dc);
  const stepRow = Int32Array.from(NEIGHBOURS_8, ([, dr]) => dr);
  const stepMetres = Float64Array.from(NEIGHBOURS_8, ([dc, dr]) => Math.hypot(dc * size.x, dr * size.y));
  const labels = new Int32Array(cellCount).fill(-1);
  const best = new Float64Array(cellCount).fill(Infinity);
  const owner = new Int32Array(cellCount).fill(-1);
  const heap = new CellHeap(Math.max(1024, Math.min(cellCount, 1 << 16)));

  // A candidate (distance, seed) beats the cell's current one on distance, then label, then seed.
  const offer = (cell: number, distance: number, seed: number): void => {
    const current = owner[cell]!;
    if (current >= 0) {
      const known = best[cell]!;
      if (distance > known) return;
      if (distance === known) {
        const a = seedLabel[seed]!;
        const b = seedLabel[current]!;
        if (a > b || (a === b && seed >= current)) return;
      }
    }
    best[cell] = distance;
    owner[cell] = seed;
    heap.push(distance, seedLabel[seed]! * cellCount + cell, cell);
  };

  for (let s = 0; s < seeds.length; s++) {
    const cell = seeds[s]!.row * width + seeds[s]!.col;
    if (open[cell]) offer(cell, 0, s);
  }

  while (heap.size > 0) {
    const cell = heap.pop();
    if (labels[cell] !== -1) continue; // already settled by a better entry
    const seed = owner[cell]!;
    labels[cell] = seedLabel[seed]!;
    const distance = best[cell]!;
    const weight = seedWeight[seed]!;
    const cost = costPerMetre[cell]!;
    const col = cell % width;
    const row = (cell - col) / width;
    for (let k = 0; k < 8; k++) {
      const c = col + stepCol[k]!;
      const r = row + stepRow[k]!;
      if (c < 0 || r < 0 || c >= width || r >= height) continue;
      const next = r * width + c;
      if (!open[next] || labels[next] !== -1) continue;
      offer(next, distance + stepMetres[k]! * 0.5 * (cost + costPerMetre[next]!) * weight, seed);
    }
  }

  // Open cells cut off from every seed (islands behind blocked cells) go to the nearest seed.
  for (let cell = 0; cell < cellCount; cell++) {
    if (!open[cell] || labels[cell] !== -1) continue;
    const col = cell % width;
    const row = (cell - col) / width;
    let nearest = -1;
    let nearestSquare = Infinity;
    for (let s = 0; s < seeds.length; s++) {
      const dx = (seeds[s]!.col - col) * size.x;
      const dy = (seeds[s]!.row - row) * size.y;
      const square = dx * dx + dy * dy;
      if (square < nearestSquare || (square === nearestSquare && seedLabel[s]! < seedLabel[nearest]!)) {
        nearest = s;
        nearestSquare = square;
      }
    }
    labels[cell] = seedLabel[nearest]!;
  }
  return labels;
}

/**
 * A binary min-heap of (distance, tie key, cell) on typed arrays; duplicates allowed (lazy
 * deletion). The tie key is label × cell count + cell, so equal distances pop by label, then cell.
 */
class CellHeap {
  private distance: Float64Array;
  private tie: Float64Array;
  private cell: Int32Array;
  size = 0;

  constructor(capacity: number) {
    this.distance = new Float64Array(capacity);
    this.tie = new Float64Array(capacity);
    this.cell = new Int32Array(capacity);
  }

  push(distance: number, tie: number, cell: number): void {
    if (this.size === this.cell.length) this.grow();
    const d = this.distance;
    const t = this.tie;
    const c = this.cell;
    let i = this.size++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const pd = d[parent]!;
      if (pd < distance || (pd === distance && t[parent]! <= tie)) break;
      d[i] = pd;
      t[i] = t[parent]!;
      c[i] = c[parent]!;
      i = parent;
    }
    d[i] = distance;
    t[i] = tie;
    c[i] = cell;
  }

  /** Removes the least entry and returns its cell. */
  pop(): number {
    const d = this.distance;
    const t = this.tie;
    const c = this.cell;
    const top = c[0]!;
    const last = --this.size;
    if (last === 0) return top;
    const distance = d[last]!;
    const tie = t[last]!;
    const cell = c[last]!;
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= last) break;
      const right = child + 1;
      if (right < last && (d[right]! < d[child]! || (d[right] === d[child] && t[right]! < t[child]!))) child = right;
      const cd = d[child]!;
      if (distance < cd || (distance === cd && tie <= t[child]!)) break;
      d[i] = cd;
      t[i] = t[child]!;
      c[i] = c[child]!;
      i = child;
    }
    d[i] = distance;
    t[i] = tie;
    c[i] = cell;
    return top;
  }

  private grow(): void {
    const capacity = this.cell.length * 2;
    const distance = new Float64Array(capacity);
    const tie = new Float64Array(capacity);
    const cell = new Int32Array(capacity);
    distance.set(this.distance);
    tie.set(this.tie);
    cell.set(this.cell);
    this.distance = distance;
    this.tie = tie;
    this.cell = cell;
  }
}
