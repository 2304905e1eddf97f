/**
 * Golden files: tiny hand-built townships (golden/*.json) whose optimal partitions a brute-force
 * enumeration in this file proves. Each file holds the township and options (written by hand)
 * and `expected` (written by `REGEN=1 npx vitest run -c vitest.unit.config.ts
 * server/grids/partition/golden.test.ts`, reviewed as a diff). The checks:
 * 1. `expected` equals a fresh brute force, so a golden cannot rot;
 * 2. partitionTownship reaches the planners' optimum (and the same plan when that optimum is unique);
 * 3. partitionTownship reaches the least cost of its own objective (PartitionWeights);
 * 4. its plan is sound: contiguous, complete, fixed units kept, its own figures right, and the
 *    explanation kinds written by hand in the file.
 * The enumerator and the figures are written here from the definitions, independent of the core.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildUnitGraph, partitionTownship } from './index.js';
import { deepFreeze } from './test-fixtures.js';
import {
  DEFAULT_COMMUNITY_TARGET_HOUSEHOLDS,
  DEFAULT_TOLERANCE_RATIO,
  DEFAULT_VILLAGE_TARGET_HOUSEHOLDS,
  DEFAULT_WEIGHTS,
  type PartitionOptions,
  type PartitionResult,
  type PartitionUnit,
  type UnitEdge,
} from './types.js';
import type { PartitionExplanation } from './explain.js';

const GOLDEN_DIR = fileURLToPath(new URL('./golden/', import.meta.url));
const REGEN = process.env.REGEN === '1';
/** Ratios and costs closer than this are equal (float sums differ in the last bits). */
const EPSILON = 1e-9;
/** The planners' band: a grid within ±10 % of its target is on target. */
const ON_TARGET_RATIO = 0.1;
/** Bitmask enumeration: units fit in one 32-bit integer, and brute force stays quick. */
const MAX_UNITS = 16;

/**
 * Core tests known to miss the optimum, by file name, with the gap measured. The core is not
 * ours to change here: such a test runs as `it.fails`, so that a fix turns it red and the entry
 * is removed.
 */
const CORE_MISSES: Record<string, { planners?: string; leastCost?: string }> = {
  // Seed 1 ('tree-split' starts) ends in the left/right halves, 200/200 with 2 village splits
  // (cost 24), not the two villages with none (cost 4); 8 of seeds 1–30 miss it this way.
  'two-villages': { planners: 'villageSplits 2, not 0', leastCost: 'cost 24, not 4' },
};

/** One township's figures, as the planners rank plans and as the core prices them. */
interface PlanFigures {
  /** Grids within ±10 % of their target (more is better). */
  within10: number;
  /** Largest |deviation ratio| of any grid. */
  maxAbsDeviationRatio: number;
  /** Longest drive from a grid's service point to one of its units, over all grids. */
  maxDriveSeconds: number;
  /** Σ over villages of (grids holding its units − 1). */
  villageSplits: number;
  /** The core's single cost with default weights (see PartitionWeights). */
  cost: number;
}

/** An optimal plan as a golden file records it. */
interface GoldenPlan extends PlanFigures {
  /** Plans tying with this one: on the four ranking figures (best), or on cost (leastCost). */
  tiedPlans: number;
  /** Unit → grid, grids numbered 0, 1, … in order of their smallest unit. */
  assignment: number[];
  /** Households of each grid in that order. */
  gridHouseholds: number[];
}

/** What the brute force finds; written to a golden file by REGEN. */
interface GoldenExpected {
  /** Grids the run makes: the grid count asked for, else per road part round(Σ households / target). */
  newGrids: number;
  /** Every plan with every changeable grid contiguous: the size of the search. */
  contiguousPlans: number;
  /** Best under the planners' ranking: most grids within ±10 %, then least largest |deviation ratio|,
   *  then least longest drive, then fewest village splits; ties to the least cost, then the first assignment. */
  best: GoldenPlan;
  /** Least cost of the core's objective; ties to the first assignment. */
  leastCost: GoldenPlan;
}

/** A golden file: a township written by hand, and the optimum the brute force found. */
interface GoldenTownship {
  about: string;
  units: PartitionUnit[];
  links: UnitEdge[];
  options: PartitionOptions;
  /** Explanation kinds partitionTownship should give, in order (written by hand). */
  explanationKinds: PartitionExplanation['kind'][];
  expected?: GoldenExpected;
}

/** Per-unit figures and drive times of a township, for enumerating and pricing plans. */
interface Township {
  n: number;
  households: number[];
  /** households / the unit's own target: the share of one grid it fills. */
  load: number[];
  /** Dense village numbers. */
  village: number[];
  villageCount: number;
  /** Neighbours of each unit as a bitmask. */
  adjacent: number[];
  /** All-pairs shortest drive seconds over the whole township's roads. */
  seconds: number[][];
}

function prepare(golden: GoldenTownship): Township {
  const { units, links, options } = golden;
  const n = units.length;
  if (n > MAX_UNITS) throw new RangeError(`${n} units: the brute force takes at most ${MAX_UNITS}`);
  const targetOf = (unit: PartitionUnit) =>
    options.targetByVillage?.[unit.villageIndex] ??
    (unit.kind === 'community'
      ? (options.communityTargetHouseholds ?? DEFAULT_COMMUNITY_TARGET_HOUSEHOLDS)
      : (options.villageTargetHouseholds ?? DEFAULT_VILLAGE_TARGET_HOUSEHOLDS));
  const dense = new Map<number, number>();
  for (const unit of units) if (!dense.has(unit.villageIndex)) dense.set(unit.villageIndex, dense.size);
  const seconds = Array.from({ length: n }, (_, a) => Array.from({ length: n }, (_, b) => (a === b ? 0 : Infinity)));
  const adjacent = new Array<number>(n).fill(0);
  for (const { a, b, driveSeconds } of links) {
    adjacent[a]! |= 1 << b;
    adjacent[b]! |= 1 << a;
    seconds[a]![b] = Math.min(seconds[a]![b]!, driveSeconds);
    seconds[b]![a] = Math.min(seconds[b]![a]!, driveSeconds);
  }
  // Floyd–Warshall: a grid worker may drive through a neighbouring grid.
  for (let k = 0; k < n; k++)
    for (let a = 0; a < n; a++)
      for (let b = 0; b < n; b++) seconds[a]![b] = Math.min(seconds[a]![b]!, seconds[a]![k]! + seconds[k]![b]!);
  return {
    n,
    households: units.map((u) => u.households),
    load: units.map((u) => u.households / targetOf(u)),
    village: units.map((u) => dense.get(u.villageIndex)!),
    villageCount: dense.size,
    adjacent,
    seconds,
  };
}

function unitsOf(mask: number): number[] {
  const out: number[] = [];
  for (let u = 0; mask !== 0; u++, mask >>>= 1) if (mask & 1) out.push(u);
  return out;
}

/** Units reachable from `from` (a mask) moving only through `allowed`. */
function reach(township: Township, from: number, allowed: number): number {
  let reached = from;
  let frontier = from;
  while (frontier !== 0) {
    let next = 0;
    for (const u of unitsOf(frontier)) next |= township.adjacent[u]!;
    next &= allowed & ~reached;
    reached |= next;
    frontier = next;
  }
  return reached;
}

/** Whether the units of `members` can still be joined into one piece through `allowed` units. */
function joinable(township: Township, members: number, allowed: number): boolean {
  const first = members & -members;
  return (reach(township, first, allowed | members) & members) === members;
}

interface GridFigures {
  households: number;
  absDeviationRatio: number;
  maxDriveSeconds: number;
  villages: number;
  cost: number;
}

/**
 * One grid's figures from the definitions: deviation ratio = Σ load − 1 (for a mix of targets,
 * households over the weighted target Σh / Σ(h / t)); service point = the unit with the least
 * household-weighted drive to all units (every unit weighs 1 if none has households), ties to the
 * shorter longest drive, then the lower unit; cost = balance + off-target + drive per PartitionWeights.
 */
function gridFigures(township: Township, mask: number, toleranceRatio: number): GridFigures {
  const members = unitsOf(mask);
  let households = 0;
  let load = 0;
  const villages = new Set<number>();
  for (const u of members) {
    households += township.households[u]!;
    load += township.load[u]!;
    villages.add(township.village[u]!);
  }
  let bestSum = Infinity;
  let bestMax = Infinity;
  for (const c of members) {
    let sum = 0;
    let max = 0;
    for (const u of members) {
      const weight = households > 0 ? township.households[u]! : 1;
      if (weight > 0) sum += weight * township.seconds[c]![u]!;
      max = Math.max(max, township.seconds[c]![u]!);
    }
    if (sum < bestSum || (sum === bestSum && max < bestMax)) {
      bestSum = sum;
      bestMax = max;
    }
  }
  const deviationRatio = load - 1;
  const w = DEFAULT_WEIGHTS;
  const cost =
    w.balancePerPercentSquared * (100 * deviationRatio) ** 2 +
    (Math.abs(deviationRatio) > toleranceRatio + EPSILON ? w.offTargetGrid : 0) +
    (w.drivePerMinute * bestMax) / 60;
  return {
    households,
    absDeviationRatio: Math.abs(deviationRatio),
    maxDriveSeconds: bestMax,
    villages: villages.size,
    cost,
  };
}

/** Prices plans given as unit → grid label; each grid's figures are computed once per unit set. */
class Pricer {
  private readonly cache = new Map<number, GridFigures>();

  constructor(
    private readonly township: Township,
    private readonly toleranceRatio: number,
  ) {}

  grid(mask: number): GridFigures {
    let figures = this.cache.get(mask);
    if (!figures) this.cache.set(mask, (figures = gridFigures(this.township, mask, this.toleranceRatio)));
    return figures;
  }

  /** Township figures of a plan in which every unit has a grid (label ≥ 0). */
  plan(labels: ArrayLike<number>): PlanFigures {
    const masks = new Map<number, number>();
    for (let u = 0; u < labels.length; u++) masks.set(labels[u]!, (masks.get(labels[u]!) ?? 0) | (1 << u));
    const plan: PlanFigures = { within10: 0, maxAbsDeviationRatio: 0, maxDriveSeconds: 0, villageSplits: 0, cost: 0 };
    for (const mask of masks.values()) {
      const grid = this.grid(mask);
      if (grid.absDeviationRatio <= ON_TARGET_RATIO + EPSILON) plan.within10++;
      plan.maxAbsDeviationRatio = Math.max(plan.maxAbsDeviationRatio, grid.absDeviationRatio);
      plan.maxDriveSeconds = Math.max(plan.maxDriveSeconds, grid.maxDriveSeconds);
      plan.villageSplits += grid.villages;
      plan.cost += grid.cost;
    }
    // Each village is in at least one grid; every further grid holding it is a split.
    plan.villageSplits -= this.township.villageCount;
    plan.cost += DEFAULT_WEIGHTS.villageSplit * plan.villageSplits;
    return plan;
  }
}

/** Planners' ranking: negative when plan a is better than plan b, 0 when they tie. */
function compareRanking(a: PlanFigures, b: PlanFigures): number {
  if (a.within10 !== b.within10) return b.within10 - a.within10;
  if (Math.abs(a.maxAbsDeviationRatio - b.maxAbsDeviationRatio) > EPSILON)
    return a.maxAbsDeviationRatio - b.maxAbsDeviationRatio;
  if (Math.abs(a.maxDriveSeconds - b.maxDriveSeconds) > EPSILON) return a.maxDriveSeconds - b.maxDriveSeconds;
  return a.villageSplits - b.villageSplits;
}

function compareCost(a: PlanFigures, b: PlanFigures): number {
  return Math.abs(a.cost - b.cost) > EPSILON ? a.cost - b.cost : 0;
}

/** Grid labels renumbered 0, 1, … in order of each grid's smallest unit (-1 stays). */
function canonical(labels: ArrayLike<number>): number[] {
  const renumber = new Map<number, number>();
  return Array.from(labels, (label) => {
    if (label < 0) return -1;
    if (!renumber.has(label)) renumber.set(label, renumber.size);
    return renumber.get(label)!;
  });
}

function compareAssignments(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}

/** Grids of a run that may change, and the units it places. */
interface Setup {
  /** Grid slot of each unit: fixed slots 0..fixed-1 for units kept, -1 for units to place. */
  start: Int32Array;
  fixedIds: number[];
  /** Fixed slots that may receive units ('complete' mode). */
  openFixed: boolean[];
  newGrids: number;
  /** Units to place that may only go to new grids (their road part touches no fixed grid). */
  newOnly: Uint8Array;
}

/**
 * The run as the issue states it, for the brute force: in 'full' mode the units outside locked
 * grids get new grids, in 'complete' mode unassigned units join the grids next to them, and only a
 * road part touching no grid gets new ones. New grids: the count asked for, else per road part of
 * the units to place round(Σ households / target), at least 1 and at most one per unit.
 */
function setupOf(golden: GoldenTownship, township: Township): Setup {
  const { options } = golden;
  const n = township.n;
  const given = options.assignment ? Array.from(options.assignment) : new Array<number>(n).fill(-1);
  const locked = new Set(options.lockedGrids ?? []);
  const keep = (id: number) => id >= 0 && (options.mode === 'complete' || locked.has(id));
  const fixedIds = [...new Set(given.filter(keep))].sort((a, b) => a - b);
  const start = Int32Array.from(given, (id) => (keep(id) ? fixedIds.indexOf(id) : -1));
  let toPlace = 0;
  let fixedMask = 0;
  for (let u = 0; u < n; u++) {
    if (start[u]! < 0) toPlace |= 1 << u;
    else fixedMask |= 1 << u;
  }
  const newOnly = new Uint8Array(n);
  let newGrids = 0;
  for (let left = toPlace; left !== 0;) {
    const part = reach(township, left & -left, toPlace);
    left &= ~part;
    const touchesFixed = unitsOf(part).some((u) => (township.adjacent[u]! & fixedMask) !== 0);
    if (options.mode === 'complete' && touchesFixed) continue;
    for (const u of unitsOf(part)) newOnly[u] = 1;
    const load = unitsOf(part).reduce((sum, u) => sum + township.load[u]!, 0);
    newGrids += Math.min(unitsOf(part).length, Math.max(1, Math.round(load)));
  }
  if (options.gridCount !== undefined) newGrids = options.gridCount;
  return { start, fixedIds, openFixed: fixedIds.map(() => options.mode === 'complete'), newGrids, newOnly };
}

/**
 * Calls `visit` with every plan (slot per unit) in which each unit to place is in a grid, every
 * new grid is used, and every grid that may change is contiguous. Units are placed in
 * breadth-first order; a branch is cut as soon as a grid can no longer be joined up through
 * units still to place, or too few units are left to fill the new grids.
 */
function forEachPlan(township: Township, setup: Setup, visit: (slots: Int32Array) => void): void {
  const { start, fixedIds, openFixed, newGrids, newOnly } = setup;
  const fixedCount = fixedIds.length;
  const slots = start.slice();
  const members = new Array<number>(fixedCount + newGrids).fill(0);
  let toPlace = 0;
  for (let u = 0; u < township.n; u++) {
    if (start[u]! >= 0) members[start[u]!]! |= 1 << u;
    else toPlace |= 1 << u;
  }
  const order: number[] = [];
  for (let left = toPlace; left !== 0;) {
    // Breadth-first within each road part, so that placed units stay next to each other.
    const queue = [31 - Math.clz32(left & -left)];
    left &= ~(1 << queue[0]!);
    for (let head = 0; head < queue.length; head++) {
      order.push(queue[head]!);
      for (const v of unitsOf(township.adjacent[queue[head]!]! & left)) {
        queue.push(v);
        left &= ~(1 << v);
      }
    }
  }
  const changeable = [...members.keys()].filter((s) => s >= fixedCount || openFixed[s]);
  let unplaced = toPlace;
  const feasible = () => changeable.every((s) => members[s] === 0 || joinable(township, members[s]!, unplaced));
  const place = (i: number, opened: number): void => {
    if (i === order.length) {
      if (opened === newGrids) visit(slots);
      return;
    }
    if (order.length - i < newGrids - opened) return;
    const u = order[i]!;
    const bit = 1 << u;
    unplaced &= ~bit;
    // A unit of a part next to existing grids joins one of them; any other unit joins a new grid.
    const candidates: number[] = [];
    if (newOnly[u]) {
      for (let s = fixedCount; s < fixedCount + opened; s++) candidates.push(s);
      if (opened < newGrids) candidates.push(fixedCount + opened);
    } else for (let s = 0; s < fixedCount; s++) if (openFixed[s]) candidates.push(s);
    for (const s of candidates) {
      members[s]! |= bit;
      slots[u] = s;
      if (feasible()) place(i + 1, s === fixedCount + opened ? opened + 1 : opened);
      members[s]! &= ~bit;
    }
    slots[u] = -1;
    unplaced |= bit;
  };
  place(0, 0);
}

function round6(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

function goldenPlan(figures: PlanFigures, tiedPlans: number, assignment: number[], township: Township): GoldenPlan {
  const gridHouseholds: number[] = [];
  assignment.forEach((g, u) => (gridHouseholds[g] = (gridHouseholds[g] ?? 0) + township.households[u]!));
  return {
    within10: figures.within10,
    maxAbsDeviationRatio: round6(figures.maxAbsDeviationRatio),
    maxDriveSeconds: round6(figures.maxDriveSeconds),
    villageSplits: figures.villageSplits,
    cost: round6(figures.cost),
    tiedPlans,
    assignment,
    gridHouseholds,
  };
}

interface Leader {
  figures: PlanFigures;
  assignment: number[];
  ties: number;
}

/** The optimum by brute force: every contiguous plan enumerated and ranked both ways. */
function bruteForce(golden: GoldenTownship): GoldenExpected {
  const township = prepare(golden);
  const setup = setupOf(golden, township);
  const pricer = new Pricer(township, golden.options.toleranceRatio ?? DEFAULT_TOLERANCE_RATIO);
  let contiguousPlans = 0;
  const found: { best: Leader | null; least: Leader | null } = { best: null, least: null };
  forEachPlan(township, setup, (slots) => {
    contiguousPlans++;
    const figures = pricer.plan(slots);
    const { best, least } = found;
    const byRank = best ? compareRanking(figures, best.figures) : -1;
    if (byRank < 0) found.best = { figures, assignment: canonical(slots), ties: 1 };
    else if (best && byRank === 0) {
      best.ties++;
      const assignment = canonical(slots);
      if ((compareCost(figures, best.figures) || compareAssignments(assignment, best.assignment)) < 0)
        found.best = { figures, assignment, ties: best.ties };
    }
    const byCost = least ? compareCost(figures, least.figures) : -1;
    if (byCost < 0) found.least = { figures, assignment: canonical(slots), ties: 1 };
    else if (least && byCost === 0) {
      least.ties++;
      const assignment = canonical(slots);
      if (compareAssignments(assignment, least.assignment) < 0) found.least = { figures, assignment, ties: least.ties };
    }
  });
  const { best, least } = found;
  if (!best || !least) throw new Error('No contiguous plan exists');
  return {
    newGrids: setup.newGrids,
    contiguousPlans,
    best: goldenPlan(best.figures, best.ties, best.assignment, township),
    leastCost: goldenPlan(least.figures, least.ties, least.assignment, township),
  };
}

/**
 * The same plans without pruning, to check the enumerator: every unit to place tries every grid
 * it may join (a mixed-radix count), keeping labellings whose new grids are all used, numbered
 * in order of first use, and whose changeable grids are each in one piece. Null when that is
 * more than a million labellings.
 */
function naivePlans(township: Township, setup: Setup): { plans: number; best: PlanFigures } | null {
  const { start, fixedIds, openFixed, newGrids, newOnly } = setup;
  const fixedCount = fixedIds.length;
  const toPlace = [...start.keys()].filter((u) => start[u]! < 0);
  const choices = toPlace.map((u) =>
    newOnly[u]
      ? Array.from({ length: newGrids }, (_, i) => fixedCount + i)
      : fixedIds.flatMap((_, s) => (openFixed[s] ? [s] : [])),
  );
  if (choices.reduce((product, c) => product * c.length, 1) > 1e6) return null;
  const pricer = new Pricer(township, DEFAULT_TOLERANCE_RATIO);
  const digits = new Array<number>(toPlace.length).fill(0);
  const slots = start.slice();
  let plans = 0;
  let best: PlanFigures | null = null;
  for (;;) {
    toPlace.forEach((u, i) => (slots[u] = choices[i]![digits[i]!]!));
    // New grids numbered in order of first use, so that each plan is counted once.
    let nextNew = fixedCount;
    let ordered = true;
    for (const u of toPlace) {
      if (slots[u] === nextNew) nextNew++;
      else if (slots[u]! > nextNew) ordered = false;
    }
    const masks = new Array<number>(fixedCount + newGrids).fill(0);
    slots.forEach((s, u) => (masks[s]! |= 1 << u));
    const changeable = masks.filter((_, s) => s >= fixedCount || openFixed[s]);
    if (ordered && nextNew === fixedCount + newGrids && changeable.every((mask) => joinable(township, mask, 0))) {
      plans++;
      const figures = pricer.plan(slots);
      if (!best || compareRanking(figures, best) < 0) best = figures;
    }
    let i = 0;
    while (i < digits.length && ++digits[i]! === choices[i]!.length) digits[i++] = 0;
    if (i === digits.length) break;
  }
  return best ? { plans, best } : null;
}

/**
 * JSON laid out for review: the file and its `expected` block one key a line, everything deeper
 * inline (one unit or link a line once prettier breaks the arrays).
 */
function layout(value: unknown, depth: number): string {
  if (depth < 3 && value && typeof value === 'object' && !Array.isArray(value)) {
    const entries = Object.entries(value).map(([key, inner]) => `${JSON.stringify(key)}: ${layout(inner, depth + 1)}`);
    return `{\n${entries.join(',\n')}\n}`;
  }
  return JSON.stringify(value);
}

/** Writes a golden file: its hand-written keys as they were, then `expected`, formatted as the repo formats JSON. */
async function writeGolden(path: string, golden: GoldenTownship, expected: GoldenExpected): Promise<void> {
  const { about, units, links, options, explanationKinds } = golden;
  const text = layout({ about, units, links, options, explanationKinds, expected }, 0);
  const prettier = await import('prettier');
  const config = await prettier.resolveConfig(path);
  writeFileSync(path, await prettier.format(text, { ...config, filepath: path }));
}

/** The core's run on a golden township, priced by this file's own figures. */
interface CoreRun {
  result: PartitionResult;
  figures: PlanFigures;
}

function runCore(golden: GoldenTownship): CoreRun {
  const graph = buildUnitGraph(golden.units.length, golden.links);
  const result = partitionTownship(golden.units, graph, golden.options);
  if (result.assignment.some((g) => g < 0)) throw new Error('The core left units without a grid');
  return {
    result,
    figures: new Pricer(prepare(golden), golden.options.toleranceRatio ?? DEFAULT_TOLERANCE_RATIO).plan(
      result.assignment,
    ),
  };
}

function rankingOf(plan: PlanFigures): Omit<PlanFigures, 'cost'> {
  return {
    within10: plan.within10,
    maxAbsDeviationRatio: round6(plan.maxAbsDeviationRatio),
    maxDriveSeconds: round6(plan.maxDriveSeconds),
    villageSplits: plan.villageSplits,
  };
}

function memo<T>(compute: () => T): () => T {
  let value: { v: T } | null = null;
  return () => (value ??= { v: compute() }).v;
}

const files = readdirSync(GOLDEN_DIR)
  .filter((f) => f.endsWith('.json'))
  .sort();

describe('golden townships', () => {
  it('finds 8–12 golden files', () => {
    expect(files.length).toBeGreaterThanOrEqual(8);
    expect(files.length).toBeLessThanOrEqual(12);
  });

  it('enumerates exactly the plans that trying every grid for every unit finds', () => {
    let checked = 0;
    for (const file of files) {
      const golden = JSON.parse(readFileSync(GOLDEN_DIR + file, 'utf8')) as GoldenTownship;
      const township = prepare(golden);
      const setup = setupOf(golden, township);
      const expected = bruteForce(golden);
      const naive = naivePlans(township, setup);
      if (!naive) continue;
      expect(naive.plans, file).toBe(expected.contiguousPlans);
      expect(rankingOf(naive.best), file).toEqual(rankingOf(expected.best));
      checked++;
    }
    expect(checked).toBeGreaterThanOrEqual(5);
  });

  for (const file of files) {
    const name = file.replace(/\.json$/, '');
    const path = GOLDEN_DIR + file;
    const golden = deepFreeze(JSON.parse(readFileSync(path, 'utf8')) as GoldenTownship);
    const optimum = memo(() => bruteForce(golden));
    const core = memo(() => runCore(golden));
    const misses = CORE_MISSES[name] ?? {};

    describe(name, () => {
      it(REGEN ? 'writes the brute-force optimum (REGEN=1)' : 'records the brute-force optimum', async () => {
        if (REGEN) await writeGolden(path, golden, optimum());
        else expect(golden.expected).toEqual(optimum());
      });

      const planners = "partitionTownship reaches the planners' optimum";
      (misses.planners ? it.fails : it)(
        misses.planners ? `${planners} (known miss: ${misses.planners})` : planners,
        () => {
          const { best } = optimum();
          const { result, figures } = core();
          expect(rankingOf(figures)).toEqual(rankingOf(best));
          if (best.tiedPlans === 1) expect(canonical(result.assignment)).toEqual(best.assignment);
        },
      );

      const leastCost = 'partitionTownship reaches the least cost of its objective';
      (misses.leastCost ? it.fails : it)(
        misses.leastCost ? `${leastCost} (known miss: ${misses.leastCost})` : leastCost,
        () => {
          const { leastCost } = optimum();
          const { result, figures } = core();
          expect(round6(figures.cost)).toBe(leastCost.cost);
          if (leastCost.tiedPlans === 1) expect(canonical(result.assignment)).toEqual(leastCost.assignment);
        },
      );

      it('partitionTownship gives a sound plan, its own figures and the expected explanations', () => {
        const township = prepare(golden);
        const setup = setupOf(golden, township);
        const { result, figures } = core();
        expect(result.grids.length).toBe(setup.fixedIds.length + optimum().newGrids);
        for (const grid of result.grids) {
          const mask = grid.units.reduce((m, u) => m | (1 << u), 0);
          expect(joinable(township, mask, 0), `grid ${grid.id} in one piece`).toBe(true);
        }
        setup.start.forEach((slot, u) => {
          if (slot >= 0) expect(result.assignment[u], `unit ${u} keeps its grid`).toBe(setup.fixedIds[slot]);
        });
        expect(result.cost).toBeCloseTo(figures.cost, 6);
        expect(rankingOf({ ...result.summary, maxDriveSeconds: result.summary.maxGridDriveSeconds, cost: 0 })).toEqual(
          rankingOf(figures),
        );
        expect(result.explanations.map((e) => e.kind)).toEqual(golden.explanationKinds);
      });
    });
  }
});
