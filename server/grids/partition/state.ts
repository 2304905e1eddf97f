import type { DriveTimes, UnitGraph } from './graph.js';
import { servicePoint, type UnitArrays } from './measure.js';
import type { PartitionWeights } from './types.js';

/** The weights and the band within which a grid counts as on target. */
export interface CostModel extends PartitionWeights {
  toleranceRatio: number;
}

/** What every step of one township's partition reads: the graph, drive times, unit figures, weights. */
export interface PartitionContext {
  graph: UnitGraph;
  drive: DriveTimes;
  units: UnitArrays;
  weights: CostModel;
}

/** Balance part of a grid's cost for a grid filling `load` grids' worth of households. */
export function balanceCost(load: number, weights: CostModel): number {
  const percent = 100 * (load - 1);
  const offTarget = Math.abs(load - 1) > weights.toleranceRatio + 1e-9 ? weights.offTargetGrid : 0;
  return weights.balancePerPercentSquared * percent * percent + offTarget;
}

/** Drive part of a grid's cost. */
export function driveCost(maxDriveSeconds: number, weights: PartitionWeights): number {
  return (weights.drivePerMinute * maxDriveSeconds) / 60;
}

/**
 * A plan being improved: unit → internal grid number, with per-grid loads, members, village
 * counts and cached longest drives kept up to date on every move, so that a move is priced in
 * O(grid size²) rather than O(township).
 */
export class PlanState {
  readonly unitCount: number;
  readonly villageCount: number;
  /** Internal grid number of each unit, -1 if none. */
  readonly assign: Int32Array;
  /** Units the search may move (free units of 'full' mode, unassigned ones of 'complete' mode). */
  readonly movable: Uint8Array;
  /** Grids that may receive units. */
  readonly open: Uint8Array;
  readonly members: number[][];
  readonly load: Float64Array;
  readonly households: Float64Array;
  /** Longest drive from the service point; NaN when stale. */
  private readonly maxDrive: Float64Array;
  private readonly villageCounts: Int32Array;
  private readonly gridsWithVillage: Int32Array;
  private readonly position: Int32Array;
  private readonly stamp: Int32Array;
  private epoch = 0;
  private buffer: Int32Array;

  constructor(
    readonly context: PartitionContext,
    readonly gridCount: number,
  ) {
    const n = context.graph.unitCount;
    this.unitCount = n;
    this.villageCount = context.units.villageIndexOf.length;
    this.assign = new Int32Array(n).fill(-1);
    this.movable = new Uint8Array(n);
    this.open = new Uint8Array(gridCount);
    this.members = Array.from({ length: gridCount }, () => []);
    this.load = new Float64Array(gridCount);
    this.households = new Float64Array(gridCount);
    this.maxDrive = new Float64Array(gridCount).fill(NaN);
    this.villageCounts = new Int32Array(gridCount * this.villageCount);
    this.gridsWithVillage = new Int32Array(this.villageCount);
    this.position = new Int32Array(n).fill(-1);
    this.stamp = new Int32Array(n);
    this.buffer = new Int32Array(64);
  }

  /** Put an unassigned unit into grid g. */
  add(u: number, g: number): void {
    const { units } = this.context;
    this.assign[u] = g;
    this.position[u] = this.members[g]!.length;
    this.members[g]!.push(u);
    this.load[g]! += units.load[u]!;
    this.households[g]! += units.households[u]!;
    this.maxDrive[g] = NaN;
    const cell = g * this.villageCount + units.village[u]!;
    if (this.villageCounts[cell]!++ === 0) this.gridsWithVillage[units.village[u]!]!++;
  }

  /** Take a unit out of its grid. */
  remove(u: number): void {
    const g = this.assign[u]!;
    if (g < 0) return;
    const { units } = this.context;
    const list = this.members[g]!;
    const at = this.position[u]!;
    const last = list.pop()!;
    if (last !== u) {
      list[at] = last;
      this.position[last] = at;
    }
    this.position[u] = -1;
    this.assign[u] = -1;
    this.load[g]! -= units.load[u]!;
    this.households[g]! -= units.households[u]!;
    // Float drift would make an emptied grid look slightly loaded.
    if (list.length === 0) {
      this.load[g] = 0;
      this.households[g] = 0;
    }
    this.maxDrive[g] = NaN;
    const cell = g * this.villageCount + units.village[u]!;
    if (--this.villageCounts[cell]! === 0) this.gridsWithVillage[units.village[u]!]!--;
  }

  /** Move a unit to grid g. */
  move(u: number, g: number): void {
    this.remove(u);
    this.add(u, g);
  }

  /** Units of village v in grid g. */
  villageUnits(g: number, v: number): number {
    return this.villageCounts[g * this.villageCount + v]!;
  }

  /** Σ over villages of (grids holding it − 1). */
  splits(): number {
    let splits = 0;
    for (let v = 0; v < this.villageCount; v++)
      if (this.gridsWithVillage[v]! > 1) splits += this.gridsWithVillage[v]! - 1;
    return splits;
  }

  /** Change in village splits if unit u moved from its grid to grid b. */
  splitDelta(u: number, b: number): number {
    const v = this.context.units.village[u]!;
    const a = this.assign[u]!;
    let delta = 0;
    if (a >= 0 && this.villageCounts[a * this.villageCount + v] === 1) delta--;
    if (this.villageCounts[b * this.villageCount + v] === 0) delta++;
    return delta;
  }

  /** Longest drive from grid g's service point (cached). */
  gridDrive(g: number): number {
    let drive = this.maxDrive[g]!;
    if (Number.isNaN(drive)) {
      const list = this.members[g]!;
      drive = this.listDrive(list, list.length, -1, -1);
      this.maxDrive[g] = drive;
    }
    return drive;
  }

  /** Cost of grid g alone (balance + drive). */
  gridCost(g: number): number {
    const { weights } = this.context;
    return balanceCost(this.load[g]!, weights) + driveCost(this.gridDrive(g), weights);
  }

  /** The whole plan's cost. */
  totalCost(): number {
    let cost = 0;
    for (let g = 0; g < this.gridCount; g++) if (this.members[g]!.length > 0) cost += this.gridCost(g);
    return cost + this.context.weights.villageSplit * this.splits();
  }

  /**
   * Longest drive of the first `length` units of `list`, leaving out `without` and adding
   * `with` (either -1 for none), from their service point.
   */
  listDrive(list: ArrayLike<number>, length: number, without: number, extra: number): number {
    if (this.buffer.length < length + 1) this.buffer = new Int32Array(2 * (length + 1));
    let m = 0;
    for (let i = 0; i < length; i++) {
      const u = list[i]!;
      if (u !== without) this.buffer[m++] = u;
    }
    if (extra >= 0) this.buffer[m++] = extra;
    if (m === 0) return 0;
    const sorted = this.buffer.subarray(0, m).sort();
    return servicePoint(sorted, this.context.units.households, this.context.drive).maxDriveSeconds;
  }

  /**
   * Whether taking u out of its grid leaves the grid in no more pieces than before: every
   * neighbour of u in the grid must still reach every other one without passing through u.
   * (An already broken hand-drawn grid may still give units away.)
   */
  removalKeepsPieces(u: number): boolean {
    const g = this.assign[u]!;
    const { adjStart, adjTarget } = this.context.graph;
    let first = -1;
    let needed = 0;
    const epoch = ++this.epoch;
    // Mark u's neighbours in the grid with -epoch (to find) before searching.
    for (let e = adjStart[u]!; e < adjStart[u + 1]!; e++) {
      const v = adjTarget[e]!;
      if (this.assign[v] === g) {
        if (first < 0) first = v;
        else {
          this.stamp[v] = -epoch;
          needed++;
        }
      }
    }
    if (needed === 0) return true;
    const stack = [first];
    this.stamp[first] = epoch;
    this.stamp[u] = epoch;
    while (stack.length > 0) {
      const x = stack.pop()!;
      for (let e = adjStart[x]!; e < adjStart[x + 1]!; e++) {
        const v = adjTarget[e]!;
        if (this.assign[v] !== g || this.stamp[v] === epoch) continue;
        if (this.stamp[v] === -epoch && --needed === 0) return true;
        this.stamp[v] = epoch;
        stack.push(v);
      }
    }
    return false;
  }
}
