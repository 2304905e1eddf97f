import type { Highs, Model, ModelData } from 'highs';
import { explainPlan, type Explanation } from './explain.js';
import { greedyPlan } from './greedy.js';
import { type IndexedProblem, indexProblem, isQualified } from './indexed.js';
import { buildModel, type MilpModel } from './model.js';
import { type AllocationProblem } from './problem.js';
import {
  type Assignment,
  assignmentsOf,
  dutyCounts,
  type PlanArrays,
  type PlanScore,
  postedCounts,
  scorePlan,
  zonePostedCounts,
} from './score.js';

/** Knobs of the lexicographic solve. */
export interface SolveOptions {
  /** Wall-clock budget of the solves together (default 30 s); the best plan found so far is returned. */
  timeLimitSeconds?: number;
  /** Relative MIP gap at which a HiGHS branch-and-bound counts as solved (default 1e-4). */
  mipRelGap?: number;
  /** Objective 1's optimum v is kept as "objective ≤ v + tolerance·max(1, v)" afterwards (default 1e-6). */
  fixTolerance?: number;
  /**
   * 0 (default): objective 2 is the exact largest unmet share. A step > 0 (e.g. 0.01) minimises it
   * in whole steps instead, leaving travel more room.
   */
  fairnessStep?: number;
  /** Build explanations (default true). */
  explain?: boolean;
  /** Extra HiGHS options for every solve (e.g. { mip_heuristic_effort: 0.1 }). */
  highsOptions?: Record<string, boolean | number | string>;
}

/** The three objectives, in the order they are optimised. */
export type StageName = 'unmet' | 'fairness' | 'travel';

/** How a stage ended. */
export type StageStatus = 'optimal' | 'time_limit' | 'failed';

/** One lexicographic stage. */
export interface StageReport {
  name: StageName;
  /** `optimal` (within mipRelGap); `time_limit` = best found when time ran out; `failed` = kept the previous plan. */
  status: StageStatus;
  /** Objective of the plan kept: weighted unmet (+ M × minimum shortfall), largest unmet share, travel seconds. */
  objective: number;
  /** Relative gap between that objective and the stage's proven bound. */
  mipGap: number;
  /** How the stage was decided: an integral LP optimum, HiGHS branch-and-bound, or the LP search over share caps. */
  method: 'lp' | 'mip' | 'cap_search';
  seconds: number;
}

/** The optimal plan with everything the UI and the report need. */
export interface AllocationResult extends PlanScore {
  /** `optimal` when all three stages are (within mipRelGap); else `feasible` with the gap. */
  status: 'optimal' | 'feasible';
  /** Largest stage gap. */
  mipGap: number;
  stages: StageReport[];
  /** Total seconds: indexing, model building, the greedy baseline, the solves, explanation. */
  seconds: number;
  buildSeconds: number;
  variables: number;
  binaries: number;
  integers: number;
  constraints: number;
  nonzeros: number;
  /** LP solves (fairness search included) and HiGHS branch-and-bound runs. */
  lpSolves: number;
  mipSolves: number;
  assignments: Assignment[];
  explanations: Explanation[];
  /** The greedy baseline (greedy.ts), scored the same way; also the warm start of a stage-1 branch-and-bound. */
  baseline: { weightedUnmet: number; unmet: number; maxUnmetShare: number; travelSeconds: number };
}

let highsPromise: Promise<Highs> | null = null;

/** The HiGHS WebAssembly runtime, loaded once per process. */
export function loadSolver(): Promise<Highs> {
  // The package's CJS-flavoured types and ESM build disagree on where the default export sits.
  highsPromise ??= import('highs').then((module) => {
    const imported: unknown = module.default;
    const loader = typeof imported === 'function' ? imported : (imported as { default: unknown }).default;
    return (loader as () => Promise<Highs>)();
  });
  return highsPromise;
}

/**
 * Posts officers to duties at each (station, slot) given the MILP's duty counts: officers for
 * restricted duties are matched by augmenting paths (Kuhn), the rest fill unrestricted duties in
 * priority order. The Hall rows of the model guarantee a complete matching; should rounding ever
 * leave an officer without a seat, the officer takes any duty held, else the post is dropped.
 */
function assignDuties(index: IndexedProblem, model: MilpModel, x: Float64Array, post: Int32Array): Int32Array {
  const { S, T, D, O } = index;
  const duty = new Int32Array(O * T).fill(-1);
  const officersAt: number[][] = Array.from({ length: S * T }, () => []);
  for (let o = 0; o < O; o++) {
    for (let t = 0; t < T; t++) {
      const s = post[o * T + t]!;
      if (s >= 0) officersAt[s * T + t]!.push(o);
    }
  }
  const dutyOrder = Array.from({ length: D }, (_, d) => d).sort((a, b) => index.weight[b]! - index.weight[a]! || a - b);
  for (let st = 0; st < S * T; st++) {
    const officers = officersAt[st]!;
    if (officers.length === 0) continue;
    const t = st % T;
    const seats: number[] = [];
    for (const d of dutyOrder) {
      if (index.dutyBit[d] === 0) continue;
      const n = Math.round(x[model.zCol[st * D + d]!] ?? 0);
      for (let k = 0; k < n; k++) seats.push(d);
    }
    const seatOf = new Int32Array(officers.length).fill(-1);
    const officerOf = new Int32Array(seats.length).fill(-1);
    const tryAugment = (seat: number, seen: Uint8Array): boolean => {
      for (let i = 0; i < officers.length; i++) {
        if (seen[i] || !isQualified(index, officers[i]!, seats[seat]!)) continue;
        seen[i] = 1;
        if (seatOf[i]! < 0 || tryAugment(seatOf[i]!, seen)) {
          seatOf[i] = seat;
          officerOf[seat] = i;
          return true;
        }
      }
      return false;
    };
    for (let seat = 0; seat < seats.length; seat++) tryAugment(seat, new Uint8Array(officers.length));
    const open: number[] = [];
    for (const d of dutyOrder) {
      if (index.dutyBit[d] !== 0) continue;
      const n = Math.round(x[model.zCol[st * D + d]!] ?? 0);
      for (let k = 0; k < n; k++) open.push(d);
    }
    officers.forEach((o, i) => {
      const ot = o * T + t;
      if (seatOf[i]! >= 0) duty[ot] = seats[seatOf[i]!]!;
      else if (open.length > 0) duty[ot] = open.shift()!;
      else {
        const fallback = dutyOrder.find((d) => isQualified(index, o, d));
        if (fallback == null) post[ot] = -1;
        else duty[ot] = fallback;
      }
    });
  }
  return duty;
}

/** The plan held by a MILP solution vector: each type's workers in a slot fill its station counts in officer order. */
function planOfVector(index: IndexedProblem, model: MilpModel, x: Float64Array): PlanArrays {
  const { O, T } = index;
  const post = new Int32Array(O * T).fill(-1);
  const workers: number[][] = Array.from({ length: model.typeHome.length * T }, () => []);
  for (let o = 0; o < O; o++) {
    for (let t = 0; t < T; t++) {
      const col = model.wCol[o * T + t]!;
      if (col >= 0 && x[col]! > 0.5) workers[model.officerType[o]! * T + t]!.push(o);
    }
  }
  const used = new Int32Array(model.typeHome.length * T);
  for (let i = 0; i < model.nCount; i++) {
    const kt = model.nType[i]! * T + model.nSlot[i]!;
    const list = workers[kt]!;
    for (let n = Math.round(x[model.nFirst + i]!); n > 0 && used[kt]! < list.length; n--) {
      post[list[used[kt]!++]! * T + model.nSlot[i]!] = model.nStation[i]!;
    }
  }
  return { post, duty: assignDuties(index, model, x, post) };
}

/** The exact MILP vector of a plan (slacks recomputed to their least values). */
function vectorOfPlan(index: IndexedProblem, model: MilpModel, plan: PlanArrays): Float64Array {
  const { S, T, D, O } = index;
  const x = new Float64Array(model.numCols);
  for (let o = 0; o < O; o++) {
    for (let t = 0; t < T; t++) {
      const s = plan.post[o * T + t]!;
      if (s < 0) continue;
      const w = model.wCol[o * T + t]!;
      const n = model.nCol[(model.officerType[o]! * S + s) * T + t]!;
      if (w < 0 || n < 0) throw new Error(`plan posts officer ${o} where the model has no column`);
      x[w] = 1;
      x[n]!++;
    }
  }
  const counts = dutyCounts(index, plan);
  for (let s = 0; s < S; s++) {
    let unmet = 0;
    for (let t = 0; t < T; t++) {
      for (let d = 0; d < D; d++) {
        const cell = (s * T + t) * D + d;
        if (model.zCol[cell]! >= 0) x[model.zCol[cell]!] = counts[cell]!;
        const u = model.uCol[cell]!;
        if (u < 0) continue;
        x[u] = Math.max(0, index.demand[cell]! - counts[cell]!);
        unmet += x[u]!;
      }
    }
    if (model.stationUnmetCol[s]! >= 0) x[model.stationUnmetCol[s]!] = unmet;
  }
  const posted = postedCounts(index, plan);
  const zonePosted = zonePostedCounts(index, posted);
  model.zoneShortCol.forEach((col, zt) => {
    if (col >= 0) x[col] = Math.max(0, index.zoneMin[zt]! - zonePosted[zt]!);
  });
  model.coverShortCol.forEach((col, st) => {
    if (col >= 0) x[col] = Math.max(0, index.coverMin[st]! - posted[st]!);
  });
  return x;
}

function dot(a: Float64Array, b: Float64Array): number {
  let sum = 0;
  for (let j = 0; j < a.length; j++) if (a[j]) sum += a[j]! * b[j]!;
  return sum;
}

/** Largest station unmet share of a MILP vector. */
function maxShareOf(model: MilpModel, x: Float64Array): number {
  let share = 0;
  model.stationUnmetCol.forEach((col, s) => {
    if (col >= 0) share = Math.max(share, x[col]! / model.stationDemand[s]!);
  });
  return share;
}

/** Are all integer columns integral (within 1e-6)? */
function isIntegral(model: MilpModel, x: Float64Array): boolean {
  for (let j = 0; j < model.numCols; j++) {
    if (model.integrality[j] && Math.abs(x[j]! - Math.round(x[j]!)) > 1e-6) return false;
  }
  return true;
}

/**
 * The share levels objective 2 can take, ascending, up to `highest`: every q / demand(s) when
 * exact, else the multiples of the step.
 */
function shareLevels(model: MilpModel, highest: number, step: number): number[] {
  const levels = new Set<number>([0]);
  if (step > 0) {
    for (let g = 1; (g - 1) * step < highest - 1e-12; g++) levels.add(g * step);
  } else {
    model.stationUnmetCol.forEach((col, s) => {
      if (col < 0) return;
      const demand = model.stationDemand[s]!;
      for (let q = 1; q / demand <= highest + 1e-12; q++) levels.add(q / demand);
    });
  }
  return [...levels].sort((a, b) => a - b);
}

type SolveOutcome = { status: 'optimal' | 'time_limit' | 'infeasible' | 'failed'; x?: Float64Array; gap: number };

/**
 * Solves the allocation lexicographically with HiGHS:
 * 1. priority-weighted unmet demand (after minimum shortfalls): the LP relaxation first — when its
 *    optimum is integral it is the MILP optimum — else branch-and-bound from the greedy plan;
 * 2. the largest station unmet share F = max over stations of unmet ÷ demanded officer-shifts over
 *    the holiday. Counted, not priority-weighted: priority is already settled by objective 1, and
 *    with weights 1–3 the caps below become knapsack rows whose LP is fractional (HiGHS then took
 *    2–9 s per stage); with counts the LP at the optimal level is integral or nearly. With objective
 *    1 fixed (≤ optimum + tolerance), a binary
 *    search over the values F can take (q ÷ a station's demand) for the least F at which the LP
 *    with caps v[s] ≤ ⌊F · demand(s)⌋ is feasible. Every smaller F is LP-infeasible, hence
 *    infeasible, so F is optimal as soon as an integer plan meets it;
 * 3. travel: the LP at that F minimises travel; if its optimum is integral it is the plan, else
 *    branch-and-bound on the same rows finds it (and if no integer plan meets F, F moves up a level).
 * The best plan found is kept if time runs out; every stage reports its status and gap.
 */
export async function solveAllocation(
  problem: AllocationProblem,
  options: SolveOptions = {},
): Promise<AllocationResult> {
  const started = performance.now();
  const timeLimitSeconds = options.timeLimitSeconds ?? 30;
  const mipRelGap = options.mipRelGap ?? 1e-4;
  const fixTolerance = options.fixTolerance ?? 1e-6;
  const fairnessStep = options.fairnessStep ?? 0;
  const deadline = started + timeLimitSeconds * 1000;
  const secondsLeft = () => Math.max(0.05, (deadline - performance.now()) / 1000);

  const index = indexProblem(problem);
  const model = buildModel(index);
  const baselinePlan = greedyPlan(index);
  const baselineScore = scorePlan(index, baselinePlan);
  const highs = await loadSolver();
  const buildSeconds = (performance.now() - started) / 1000;
  const normalise = (x: Float64Array) => vectorOfPlan(index, model, planOfVector(index, model, x));

  // Bounds and rows added on top of the model, mirrored in the LP and in every MIP.
  const colUpper = Float64Array.from(model.colUpper);
  const extraRows: { lower: number; upper: number; indices: number[]; values: number[] }[] = [];
  const modelData = (cost: Float64Array, integer: boolean): ModelData => ({
    numCols: model.numCols,
    numRows: model.numRows,
    colCost: cost,
    colLower: model.colLower,
    colUpper,
    rowLower: model.rowLower,
    rowUpper: model.rowUpper,
    matrix: {
      format: 'csr',
      numRows: model.numRows,
      numCols: model.numCols,
      starts: model.starts,
      indices: model.indices,
      values: model.values,
    },
    ...(integer ? { integrality: model.integrality } : {}),
  });
  const configure = (solver: Model, extra: Record<string, boolean | number | string>) =>
    solver.options.set({ output_flag: false, time_limit: secondsLeft(), ...extra, ...options.highsOptions });
  const feasible = (solver: Model) =>
    Number(solver.info.get('primal_solution_status')) === highs.constants.solutionStatus.feasible;

  let lpSolves = 0;
  let mipSolves = 0;
  const lp = highs.createModel(modelData(model.unmetCost, false));
  const solveLp = (): SolveOutcome => {
    lpSolves++;
    configure(lp, {});
    const { modelStatus } = lp.run();
    if (modelStatus === highs.constants.modelStatus.optimal)
      return { status: 'optimal', x: lp.getSolution().colValue, gap: 0 };
    if (modelStatus === highs.constants.modelStatus.infeasible) return { status: 'infeasible', gap: 1 };
    return { status: 'failed', gap: 1 };
  };
  const solveMip = (
    cost: Float64Array,
    start: Float64Array | null,
    timeShare: number,
    fixed?: { indices: number[]; values: number[] },
  ): SolveOutcome => {
    mipSolves++;
    const mip = highs.createModel(modelData(cost, true));
    try {
      for (const row of extraRows) mip.addRow(row.lower, row.upper, { indices: row.indices, values: row.values });
      if (fixed && fixed.indices.length > 0) {
        mip.changeColsBounds({ kind: 'set', indices: fixed.indices }, fixed.values, fixed.values);
      }
      configure(mip, { mip_rel_gap: mipRelGap, time_limit: secondsLeft() * timeShare });
      if (start) mip.setSolution({ colValue: start });
      const { modelStatus } = mip.run();
      if (modelStatus === highs.constants.modelStatus.infeasible) return { status: 'infeasible', gap: 1 };
      if (!feasible(mip)) return { status: 'failed', gap: 1 };
      const optimal = modelStatus === highs.constants.modelStatus.optimal;
      const gap = Number(mip.info.get('mip_gap'));
      return {
        status: optimal ? 'optimal' : 'time_limit',
        x: mip.getSolution().colValue,
        gap: Number.isFinite(gap) ? Math.max(0, gap) : 1,
      };
    } finally {
      mip.dispose();
    }
  };
  const allColumns = { kind: 'range', from: 0, to: model.numCols - 1 } as const;
  // Stage 3 adds a millisecond per posting so that, where drive times tie (e.g. 0 at home), nobody
  // is posted beyond what the minimums need; reported travel is the pure drive time.
  const travelSolveCost = Float64Array.from(model.travelCost);
  for (let i = 0; i < model.nCount; i++) travelSolveCost[model.nFirst + i]! += 0.001;

  const stages: StageReport[] = [];
  let x: Float64Array = new Float64Array(model.numCols);
  try {
    if (model.numCols === 0) {
      // Nothing asked for and nothing to decide.
      for (const name of ['unmet', 'fairness', 'travel'] as const) {
        stages.push({ name, status: 'optimal', objective: 0, mipGap: 0, method: 'lp', seconds: 0 });
      }
      return finish();
    }
    // Stage 1: weighted unmet.
    let clock = performance.now();
    const relaxed = solveLp();
    let status1: StageStatus;
    let gap1 = 0;
    let method1: StageReport['method'] = 'lp';
    if (relaxed.status === 'optimal' && isIntegral(model, relaxed.x!)) {
      x = normalise(relaxed.x!);
      status1 = 'optimal';
    } else {
      method1 = 'mip';
      const greedyVector = vectorOfPlan(index, model, baselinePlan);
      // First the LP's neighbourhood (RENS): integer columns integral in the LP stay fixed. With
      // integral costs, a plan there at ⌈LP bound⌉ is optimal.
      let found: SolveOutcome = { status: 'failed', gap: 1 };
      if (relaxed.status === 'optimal') {
        const lpBound = dot(model.unmetCost, relaxed.x!);
        const integralCosts = model.unmetCost.every(Number.isInteger);
        const fixed = { indices: [] as number[], values: [] as number[] };
        relaxed.x!.forEach((value, j) => {
          if (model.integrality[j] && Math.abs(value - Math.round(value)) <= 1e-6) {
            fixed.indices.push(j);
            fixed.values.push(Math.round(value));
          }
        });
        const neighbour = solveMip(model.unmetCost, null, 0.2, fixed);
        if (neighbour.x) {
          const value = dot(model.unmetCost, normalise(neighbour.x));
          const bound = integralCosts ? Math.ceil(lpBound - 1e-6) : lpBound;
          if (value <= bound + 1e-6 * Math.max(1, bound)) found = { status: 'optimal', x: neighbour.x, gap: 0 };
        }
      }
      if (!found.x) found = solveMip(model.unmetCost, greedyVector, 0.5);
      x = found.x ? normalise(found.x) : greedyVector;
      status1 = found.status === 'optimal' ? 'optimal' : found.x ? 'time_limit' : 'failed';
      gap1 = found.gap;
    }
    const unmetOptimum = dot(model.unmetCost, x);
    stages.push({
      name: 'unmet',
      status: status1,
      objective: unmetOptimum,
      mipGap: gap1,
      method: method1,
      seconds: (performance.now() - clock) / 1000,
    });
    const fixRow = {
      lower: -Infinity,
      upper: unmetOptimum + fixTolerance * Math.max(1, unmetOptimum),
      indices: [] as number[],
      values: [] as number[],
    };
    model.unmetCost.forEach((c, j) => {
      if (c) {
        fixRow.indices.push(j);
        fixRow.values.push(c);
      }
    });
    extraRows.push(fixRow);
    lp.addRow(fixRow.lower, fixRow.upper, { indices: fixRow.indices, values: fixRow.values });
    lp.changeColsCost(allColumns, travelSolveCost);

    // Stage 2: least share level whose caps leave the LP feasible.
    clock = performance.now();
    const incumbent = x;
    const incumbentShare = maxShareOf(model, incumbent);
    const levels = shareLevels(model, incumbentShare, fairnessStep);
    const setCaps = (level: number) => {
      model.stationUnmetCol.forEach((col, s) => {
        if (col < 0) return;
        colUpper[col] = Math.floor(level * model.stationDemand[s]! + 1e-9);
        lp.changeColBounds(col, 0, colUpper[col]!);
      });
    };
    let low = -1;
    let high = levels.length - 1; // the incumbent meets the top level
    let searchProven = true; // every level below `high` shown LP-infeasible
    while (high - low > 1) {
      const mid = (low + high) >> 1;
      setCaps(levels[mid]!);
      const check = solveLp();
      if (check.status === 'optimal') high = mid;
      else {
        if (check.status === 'failed') searchProven = false;
        low = mid;
      }
    }
    const searchSeconds = (performance.now() - clock) / 1000;

    // Stage 3: travel at that level (moving up a level only if no integer plan meets it).
    clock = performance.now();
    let status2: StageStatus = 'optimal';
    let status3: StageStatus = 'failed';
    let gap3 = 1;
    let method3: StageReport['method'] = 'lp';
    let level = high;
    for (; level < levels.length; level++) {
      setCaps(levels[level]!);
      const atLevel = solveLp();
      if (atLevel.status === 'infeasible') continue;
      if (atLevel.status === 'optimal' && isIntegral(model, atLevel.x!)) {
        x = normalise(atLevel.x!);
        status3 = 'optimal';
        gap3 = 0;
        break;
      }
      method3 = 'mip';
      const onTop = level === levels.length - 1;
      const found = solveMip(travelSolveCost, onTop ? incumbent : null, 1);
      if (found.x) {
        x = normalise(found.x);
        status3 = found.status === 'optimal' ? 'optimal' : 'time_limit';
        gap3 = found.gap;
        break;
      }
      if (found.status !== 'infeasible') {
        // Out of time with no plan at this level: keep stage 1's plan.
        x = incumbent;
        status2 = 'time_limit';
        break;
      }
    }
    if (!searchProven) status2 = 'time_limit';
    const share = maxShareOf(model, x);
    const shareBound = searchProven ? levels[high]! : 0;
    stages.push({
      name: 'fairness',
      status: status2,
      objective: fairnessStep > 0 ? levels[Math.min(level, levels.length - 1)]! : share,
      mipGap: status2 === 'optimal' || share === 0 ? 0 : (share - shareBound) / share,
      method: 'cap_search',
      seconds: searchSeconds,
    });
    stages.push({
      name: 'travel',
      status: status3,
      objective: dot(model.travelCost, x),
      mipGap: gap3,
      method: method3,
      seconds: (performance.now() - clock) / 1000,
    });
    return finish();
  } finally {
    lp.dispose();
  }

  function finish(): AllocationResult {
    const plan = planOfVector(index, model, x);
    const score = scorePlan(index, plan);
    const explanations = options.explain === false ? [] : explainPlan(index, plan);
    return {
      ...score,
      status: stages.every((s) => s.status === 'optimal') ? 'optimal' : 'feasible',
      mipGap: Math.max(...stages.map((s) => s.mipGap)),
      stages,
      seconds: (performance.now() - started) / 1000,
      buildSeconds,
      variables: model.numCols,
      binaries: model.binaries,
      integers: model.integers,
      constraints: model.numRows + extraRows.length,
      nonzeros: model.indices.length,
      lpSolves,
      mipSolves,
      assignments: assignmentsOf(index, plan),
      explanations,
      baseline: {
        weightedUnmet: baselineScore.weightedUnmet,
        unmet: baselineScore.coverage.total.unmet,
        maxUnmetShare: baselineScore.maxUnmetShare,
        travelSeconds: baselineScore.travelSeconds,
      },
    };
  }
}
