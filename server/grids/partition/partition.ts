import { Random } from '../../county/generate/random.js';
import { explainPlan, type PartFacts } from './explain.js';
import { components, DriveTimes, pathOrder, type UnitGraph } from './graph.js';
import { chooseSeeds, growFromSeeds, growRegions } from './grow.js';
import { improveByMoves, improveByRecombination, repairOffTarget } from './local-search.js';
import { gridTargetHouseholds, servicePoint, unitArrays } from './measure.js';
import { splitStrip } from './path-dp.js';
import { splitByTrees } from './tree-split.js';
import { PlanState, type PartitionContext } from './state.js';
import { gridResult, summarise, unitsByGrid } from './stats.js';
import {
  DEFAULT_TOLERANCE_RATIO,
  DEFAULT_WEIGHTS,
  type GridResult,
  type PartitionOptions,
  type PartitionResult,
  type PartitionUnit,
} from './types.js';

/** Rounds of (moves, pair recombination, repair off target) per start; each stops early once nothing improves. */
const MAX_ROUNDS = 12;

/** How one connected part of the units to place is solved. */
interface PartPlan {
  units: number[];
  how: PartFacts['how'];
  /** Internal grid numbers made for the part. */
  grids: number[];
  isolated: boolean;
  /** Strip: units in road order and grid numbers in road order. */
  roadOrder?: number[];
}

/**
 * Partitions one township's units into grids. The units to place (all of them, or those outside
 * locked grids, or in 'complete' mode the unassigned ones) fall into connected parts; each part
 * gets K = round(Σ households / target) grids, at least 1 — with a mix of village and community
 * units Σ(households / unit target), i.e. households over the weighted target Σh / Σ(h / t).
 * A part that is a strip (a chain along one road) is split exactly by dynamic programming;
 * any other part from a seeded initial plan (recursive spanning-tree splitting, or growth from
 * k-medoid seeds) improved by boundary moves, recombination of neighbouring pairs, and an exact
 * re-split (tree dynamic programming) of the neighbourhoods of grids off target, best of several
 * seeded starts. In 'complete' mode a part next to existing grids is
 * shared among them instead. New grids are contiguous; the result is the same for the same seed.
 */
export function partitionTownship(
  units: readonly PartitionUnit[],
  graph: UnitGraph,
  options: PartitionOptions = {},
): PartitionResult {
  const n = units.length;
  if (n !== graph.unitCount) throw new RangeError(`${n} units but the graph has ${graph.unitCount}`);
  const input = options.assignment;
  if (input && input.length !== n) throw new RangeError(`Assignment has ${input.length} entries for ${n} units`);
  const mode = options.mode ?? 'full';
  const toleranceRatio = options.toleranceRatio ?? DEFAULT_TOLERANCE_RATIO;
  const restarts = Math.max(1, Math.floor(options.restarts ?? 4));
  const seed = options.seed ?? 1;
  const arrays = unitArrays(units, options);
  const drive = new DriveTimes(graph);
  const context: PartitionContext = {
    graph,
    drive,
    units: arrays,
    weights: { ...DEFAULT_WEIGHTS, ...options.weights, toleranceRatio },
  };

  const inputId = (u: number): number => {
    const id = input ? input[u]! : -1;
    if (id >= 0 && !Number.isInteger(id)) throw new RangeError(`Unit ${u} has grid id ${id}`);
    return id >= 0 ? id : -1;
  };
  const presentIds = [...unitsByGrid(input ?? new Int32Array(n).fill(-1)).keys()];
  const lockedRequested = new Set(options.lockedGrids ?? []);
  const fixedIds = mode === 'complete' ? presentIds : presentIds.filter((id) => lockedRequested.has(id));
  const fixedIndex = new Map(fixedIds.map((id, i) => [id, i]));
  const free = new Uint8Array(n);
  for (let u = 0; u < n; u++) free[u] = fixedIndex.has(inputId(u)) ? 0 : 1;

  // Parts: connected pieces of the units to place. Grids never cross between parts.
  const plans: PartPlan[] = components(graph, free).map((part) => {
    let isolated = true;
    for (const u of part) {
      for (let e = graph.adjStart[u]!; e < graph.adjStart[u + 1]!; e++)
        if (!free[graph.adjTarget[e]!]) isolated = false;
    }
    const how: PartFacts['how'] = mode === 'complete' && !isolated ? 'fill' : 'search';
    return { units: part, how, grids: [], isolated };
  });
  const newPlans = plans.filter((p) => p.how !== 'fill');
  const counts = gridCounts(
    newPlans.map((p) => p.units.reduce((sum, u) => sum + arrays.load[u]!, 0)),
    newPlans.map((p) => p.units.length),
    options.gridCount,
  );
  let next = fixedIds.length;
  newPlans.forEach((plan, i) => {
    plan.grids = Array.from({ length: counts[i]! }, () => next++);
    const order = pathOrder(graph, plan.units);
    if (plan.grids.length === 1) plan.how = 'single';
    else if (order) {
      plan.how = 'strip';
      plan.roadOrder = order;
    }
  });

  const state = new PlanState(context, next);
  for (let u = 0; u < n; u++) {
    if (free[u]) state.movable[u] = 1;
    else state.add(u, fixedIndex.get(inputId(u))!);
  }
  for (let g = 0; g < next; g++) state.open[g] = g >= fixedIds.length || mode === 'complete' ? 1 : 0;

  const root = new Random(seed);
  for (const plan of plans) {
    const random = root.fork(`part:${plan.units[0]}`);
    if (plan.how === 'fill') fillFromNeighbours(state, plan.units, random);
    else if (plan.how === 'single') for (const u of plan.units) state.add(u, plan.grids[0]!);
    else if (plan.how === 'strip') {
      splitStrip(context, plan.roadOrder!, plan.grids.length).segments.forEach((segment, i) => {
        for (const u of segment) state.add(u, plan.grids[i]!);
      });
    } else searchPart(state, plan, restarts, root, options.initialPlan ?? 'tree-split');
  }

  // Output ids: fixed grids keep theirs; new grids reuse the old unlocked id they overlap most.
  const idOf = new Int32Array(next).fill(-1);
  fixedIds.forEach((id, i) => (idOf[i] = id));
  const overlap = new Map<number, number>();
  const oldIds = presentIds.filter((id) => !fixedIndex.has(id));
  for (let u = 0; u < n; u++) {
    const old = inputId(u);
    if (old < 0 || fixedIndex.has(old) || state.assign[u]! < 0) continue;
    const key = state.assign[u]! * (oldIds.length + 1) + oldIds.indexOf(old);
    overlap.set(key, (overlap.get(key) ?? 0) + arrays.households[u]! + 1e-6);
  }
  const takenOld = new Set<number>();
  for (const [key] of [...overlap].sort((x, y) => y[1] - x[1] || x[0] - y[0])) {
    const g = Math.floor(key / (oldIds.length + 1));
    const old = oldIds[key % (oldIds.length + 1)]!;
    if (idOf[g]! >= 0 || takenOld.has(old)) continue;
    idOf[g] = old;
    takenOld.add(old);
  }
  // Other new grids: the smallest ids no grid had before, in order of their first unit.
  const used = new Set<number>([...presentIds, ...idOf].filter((id) => id >= 0));
  const unnamed = [...Array(next).keys()]
    .filter((g) => idOf[g]! < 0 && state.members[g]!.length > 0)
    .sort((a, b) => Math.min(...state.members[a]!) - Math.min(...state.members[b]!));
  let candidate = 0;
  for (const g of unnamed) {
    while (used.has(candidate)) candidate++;
    idOf[g] = candidate;
    used.add(candidate);
  }

  const assignment = new Int32Array(n);
  for (let u = 0; u < n; u++) assignment[u] = state.assign[u]! >= 0 ? idOf[state.assign[u]!]! : -1;
  const lockedIds = new Set(mode === 'full' ? fixedIds : []);
  const grids: GridResult[] = [...unitsByGrid(assignment)].map(([id, members]) =>
    gridResult(id, members, units, arrays, graph, drive, lockedIds.has(id)),
  );

  const addedUnits = new Map<number, number[]>();
  for (const plan of plans) {
    if (plan.how !== 'fill') continue;
    for (const u of plan.units) {
      const id = assignment[u]!;
      if (!addedUnits.has(id)) addedUnits.set(id, []);
      addedUnits.get(id)!.push(u);
    }
  }
  const explanations = explainPlan({
    grids,
    parts: plans.map((plan) => ({
      units: plan.roadOrder ?? plan.units,
      grids: plan.grids.map((g) => idOf[g]!).filter((id) => id >= 0),
      how: plan.how,
      isolated: plan.isolated,
      ...(plan.how === 'strip' ? { stripGrids: plan.grids.map((g) => idOf[g]!) } : {}),
    })),
    unitName: (u) => units[u]!.name ?? `#${u}`,
    households: arrays.households,
    unitTargetHouseholds: arrays.targetHouseholds,
    targetOf: (list) => gridTargetHouseholds(list, arrays),
    loadOf: (list) => list.reduce((sum, u) => sum + arrays.load[u]!, 0),
    neighbourGrids: (id) => neighbourGrids(graph, assignment, grids.find((g) => g.id === id)!.units, id),
    linksOut: (list) => {
      const inside = new Set(list);
      let links = 0;
      for (const u of list) {
        for (let e = graph.adjStart[u]!; e < graph.adjStart[u + 1]!; e++) if (!inside.has(graph.adjTarget[e]!)) links++;
      }
      return links;
    },
    lockedIds,
    fixedIds: new Set(mode === 'complete' ? fixedIds : []),
    addedUnits,
    toleranceRatio,
    requestedGridCount: options.gridCount ?? null,
    newGridCount: counts.reduce((a, b) => a + b, 0),
    mode,
  });

  return { assignment, grids, summary: summarise(grids, assignment, units), explanations, cost: state.totalCost() };
}

/** One township's input for `partitionCounty`. */
export interface TownshipInput {
  units: readonly PartitionUnit[];
  graph: UnitGraph;
  options?: PartitionOptions;
}

/** Partitions every township of a county independently (grids never cross a township border). */
export function partitionCounty(townships: readonly TownshipInput[]): PartitionResult[] {
  return townships.map((t) => partitionTownship(t.units, t.graph, t.options));
}

/**
 * Grids per part: round(load) each (at least 1, at most one per unit); or, when a total is
 * asked for, one per part first and the rest by greatest load per grid (D'Hondt), so that the
 * parts' average grid sizes come out as even as the count allows.
 */
function gridCounts(loads: readonly number[], unitCounts: readonly number[], requested?: number): number[] {
  if (requested === undefined) return loads.map((load, i) => Math.min(unitCounts[i]!, Math.max(1, Math.round(load))));
  if (!Number.isInteger(requested) || requested < 1)
    throw new RangeError(`Grid count ${requested} is not a positive integer`);
  const counts = loads.map(() => 1);
  for (let extra = requested - loads.length; extra > 0; extra--) {
    let best = -1;
    for (let i = 0; i < loads.length; i++) {
      if (counts[i]! >= unitCounts[i]!) continue;
      if (best < 0 || loads[i]! / counts[i]! > loads[best]! / counts[best]!) best = i;
    }
    if (best < 0) break;
    counts[best]!++;
  }
  return counts;
}

/** Best of `restarts` seeded starts (initial plan, then moves, recombination and repairs until stuck) for one part. */
function searchPart(
  state: PlanState,
  plan: PartPlan,
  restarts: number,
  root: Random,
  initialPlan: NonNullable<PartitionOptions['initialPlan']>,
): void {
  const { context } = state;
  let bestCost = Infinity;
  let best: Int32Array | null = null;
  const tried = new Set<string>();
  for (let r = 0; r < restarts; r++) {
    for (const u of plan.units) state.remove(u);
    const random = root.fork(`part:${plan.units[0]}:start:${r}`);
    if (initialPlan === 'tree-split') splitByTrees(state, plan.units, plan.grids, random);
    else growFromSeeds(state, plan.units, plan.grids, chooseSeeds(context, plan.units, plan.grids.length, random));
    for (let round = 0; round < MAX_ROUNDS; round++) {
      improveByMoves(state, plan.units, random);
      const pairs = improveByRecombination(state, plan.grids, random);
      const repairs = repairOffTarget(state, plan.grids, random, tried);
      if (pairs + repairs === 0) break;
    }
    const cost = state.totalCost();
    if (cost < bestCost - 1e-9) {
      bestCost = cost;
      best = Int32Array.from(plan.units, (u) => state.assign[u]!);
    }
  }
  for (const u of plan.units) state.remove(u);
  plan.units.forEach((u, i) => state.add(u, best![i]!));
}

/** 'complete' mode: the existing grids next to a part share its units, least loaded first, then boundary moves. */
function fillFromNeighbours(state: PlanState, part: readonly number[], random: Random): void {
  const { graph, drive, units } = state.context;
  const neighbours = new Set<number>();
  for (const u of part) {
    for (let e = graph.adjStart[u]!; e < graph.adjStart[u + 1]!; e++) {
      const g = state.assign[graph.adjTarget[e]!]!;
      if (g >= 0) neighbours.add(g);
    }
  }
  const grids = [...neighbours].sort((a, b) => a - b);
  const origins = grids.map((g) => {
    const members = state.members[g]!.slice().sort((a, b) => a - b);
    return servicePoint(members, units.households, drive).unit;
  });
  growRegions(state, part, grids, origins);
  improveByMoves(state, part, random);
}

function neighbourGrids(graph: UnitGraph, assignment: Int32Array, members: readonly number[], id: number): number[] {
  const out = new Set<number>();
  for (const u of members) {
    for (let e = graph.adjStart[u]!; e < graph.adjStart[u + 1]!; e++) {
      const g = assignment[graph.adjTarget[e]!]!;
      if (g >= 0 && g !== id) out.add(g);
    }
  }
  return [...out].sort((a, b) => a - b);
}
