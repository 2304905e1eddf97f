import { canAlsoWork, type IndexedProblem, isQualified, obeysRestRules } from './indexed.js';

/** One officer on one post for one shift. */
export interface Assignment {
  officerId: string;
  stationCode: string;
  day: number;
  shift: number;
  dutyId: string;
  /** Drive from the officer's home station to the post. */
  travelSeconds: number;
}

/** Demanded, met and unmet officer-shifts of some group of cells; weighted = × duty priority weight. */
export interface CoverageTotals {
  demanded: number;
  met: number;
  unmet: number;
  /** Officers on post beyond the demand of their duty (only a minimum cover asks for them). */
  surplus: number;
  weightedDemanded: number;
  weightedUnmet: number;
}

/** One (station, day, shift, duty) cell. */
export interface CoverageCell extends CoverageTotals {
  stationCode: string;
  zoneId: string;
  day: number;
  shift: number;
  dutyId: string;
  /** Officers doing this duty here (met + surplus). */
  assigned: number;
}

/** Coverage of a plan: every cell with demand or officers, and totals per station / zone / day / shift / duty. */
export interface Coverage {
  cells: CoverageCell[];
  /** `unmetShare` = unmet ÷ demanded officer-shifts over the holiday (0 without demand): the fairness measure. */
  byStation: (CoverageTotals & { stationCode: string; zoneId: string; unmetShare: number })[];
  byZone: (CoverageTotals & { zoneId: string })[];
  byDuty: (CoverageTotals & { dutyId: string })[];
  byDay: (CoverageTotals & { day: number })[];
  byShift: (CoverageTotals & { shift: number })[];
  byZoneSlot: (CoverageTotals & { zoneId: string; day: number; shift: number })[];
  total: CoverageTotals;
}

/** The numbers that rank plans: the three objectives, and minimum shortfalls (which come before them). */
export interface PlanScore {
  coverage: Coverage;
  /** Objective 1: Σ priority weight × unmet officer-shifts. */
  weightedUnmet: number;
  /** Objective 2: the largest station unmet share (unmet ÷ demanded officer-shifts over the holiday). */
  maxUnmetShare: number;
  /** Objective 3: Σ drive seconds from home to post over all assignments. */
  travelSeconds: number;
  /** Officer-shifts missing from zone minimums and from station minimum covers. */
  zoneMinimumShortfall: number;
  stationCoverShortfall: number;
}

/** A plan as arrays: post[o·T+t] = station or −1, duty[o·T+t] = duty or −1. */
export interface PlanArrays {
  post: Int32Array;
  duty: Int32Array;
}

/** The plan arrays of a list of assignments (throws on unknown ids or a second post in one slot). */
export function planArraysOf(index: IndexedProblem, assignments: readonly Assignment[]): PlanArrays {
  const { problem, O, T } = index;
  const officerIndex = new Map(problem.officers.map((o, i) => [o.id, i]));
  const dutyIndex = new Map(problem.duties.map((d, i) => [d.id, i]));
  const post = new Int32Array(O * T).fill(-1);
  const duty = new Int32Array(O * T).fill(-1);
  for (const a of assignments) {
    const o = officerIndex.get(a.officerId);
    const s = index.stationIndex.get(a.stationCode);
    const d = dutyIndex.get(a.dutyId);
    if (o == null || s == null || d == null) throw new Error(`assignment with unknown id: ${JSON.stringify(a)}`);
    const ot = o * T + a.day * problem.shiftsPerDay + a.shift;
    if (post[ot]! >= 0) throw new Error(`officer ${a.officerId} has two posts on day ${a.day} shift ${a.shift}`);
    post[ot] = s;
    duty[ot] = d;
  }
  return { post, duty };
}

/** The assignment list of plan arrays, ordered by day, shift, station, duty, officer. */
export function assignmentsOf(index: IndexedProblem, plan: PlanArrays): Assignment[] {
  const { problem, O, T, S } = index;
  const rows: { o: number; s: number; t: number; d: number }[] = [];
  for (let o = 0; o < O; o++) {
    for (let t = 0; t < T; t++) {
      const s = plan.post[o * T + t]!;
      if (s >= 0) rows.push({ o, s, t, d: plan.duty[o * T + t]! });
    }
  }
  rows.sort((a, b) => a.t - b.t || a.s - b.s || a.d - b.d || a.o - b.o);
  return rows.map(({ o, s, t, d }) => ({
    officerId: problem.officers[o]!.id,
    stationCode: problem.stations[s]!.code,
    day: Math.floor(t / problem.shiftsPerDay),
    shift: t % problem.shiftsPerDay,
    dutyId: problem.duties[d]!.id,
    travelSeconds: index.travel[index.home[o]! * S + s]!,
  }));
}

/** Officers doing each duty per cell (s·T+t)·D+d. */
export function dutyCounts(index: IndexedProblem, plan: PlanArrays): Float64Array {
  const { O, T, D, S } = index;
  const counts = new Float64Array(S * T * D);
  for (let o = 0; o < O; o++) {
    for (let t = 0; t < T; t++) {
      const s = plan.post[o * T + t]!;
      if (s >= 0) counts[(s * T + t) * D + plan.duty[o * T + t]!]!++;
    }
  }
  return counts;
}

const emptyTotals = (): CoverageTotals => ({
  demanded: 0,
  met: 0,
  unmet: 0,
  surplus: 0,
  weightedDemanded: 0,
  weightedUnmet: 0,
});

function addInto(target: CoverageTotals, cell: CoverageTotals): void {
  target.demanded += cell.demanded;
  target.met += cell.met;
  target.unmet += cell.unmet;
  target.surplus += cell.surplus;
  target.weightedDemanded += cell.weightedDemanded;
  target.weightedUnmet += cell.weightedUnmet;
}

/** Coverage of duty counts per cell: met = min(assigned, demanded). */
export function coverageOf(index: IndexedProblem, counts: Float64Array): Coverage {
  const { problem, S, T, D, Z } = index;
  const { shiftsPerDay, days } = problem;
  const cells: CoverageCell[] = [];
  const byStation = problem.stations.map((st) => ({
    stationCode: st.code,
    zoneId: st.zoneId,
    unmetShare: 0,
    ...emptyTotals(),
  }));
  const byZone = problem.zones.map((z) => ({ zoneId: z.id, ...emptyTotals() }));
  const byDuty = problem.duties.map((d) => ({ dutyId: d.id, ...emptyTotals() }));
  const byDay = Array.from({ length: days }, (_, day) => ({ day, ...emptyTotals() }));
  const byShift = Array.from({ length: shiftsPerDay }, (_, shift) => ({ shift, ...emptyTotals() }));
  const byZoneSlot = Array.from({ length: Z * T }, (_, zt) => ({
    zoneId: problem.zones[Math.floor(zt / T)]!.id,
    day: Math.floor((zt % T) / shiftsPerDay),
    shift: (zt % T) % shiftsPerDay,
    ...emptyTotals(),
  }));
  const total = emptyTotals();
  for (let s = 0; s < S; s++) {
    const z = index.zoneOfStation[s]!;
    for (let t = 0; t < T; t++) {
      for (let d = 0; d < D; d++) {
        const cellIndex = (s * T + t) * D + d;
        const demanded = index.demand[cellIndex]!;
        const assigned = counts[cellIndex]!;
        if (demanded === 0 && assigned === 0) continue;
        const met = Math.min(demanded, assigned);
        const w = index.weight[d]!;
        const cell: CoverageCell = {
          stationCode: problem.stations[s]!.code,
          zoneId: problem.zones[z]!.id,
          day: Math.floor(t / shiftsPerDay),
          shift: t % shiftsPerDay,
          dutyId: problem.duties[d]!.id,
          assigned,
          demanded,
          met,
          unmet: demanded - met,
          surplus: assigned - met,
          weightedDemanded: w * demanded,
          weightedUnmet: w * (demanded - met),
        };
        cells.push(cell);
        addInto(byStation[s]!, cell);
        addInto(byZone[z]!, cell);
        addInto(byDuty[d]!, cell);
        addInto(byDay[cell.day]!, cell);
        addInto(byShift[cell.shift]!, cell);
        addInto(byZoneSlot[z * T + t]!, cell);
        addInto(total, cell);
      }
    }
  }
  for (const row of byStation) row.unmetShare = row.demanded > 0 ? row.unmet / row.demanded : 0;
  return { cells, byStation, byZone, byDuty, byDay, byShift, byZoneSlot, total };
}

/** Officers on post per (s·T+t). */
export function postedCounts(index: IndexedProblem, plan: PlanArrays): Float64Array {
  const posted = new Float64Array(index.S * index.T);
  for (let o = 0; o < index.O; o++) {
    for (let t = 0; t < index.T; t++) {
      const s = plan.post[o * index.T + t]!;
      if (s >= 0) posted[s * index.T + t]!++;
    }
  }
  return posted;
}

/** Officers on post per (zone·T+t). */
export function zonePostedCounts(index: IndexedProblem, posted: Float64Array): Float64Array {
  const zonePosted = new Float64Array(index.Z * index.T);
  for (let s = 0; s < index.S; s++) {
    for (let t = 0; t < index.T; t++) zonePosted[index.zoneOfStation[s]! * index.T + t]! += posted[s * index.T + t]!;
  }
  return zonePosted;
}

/** Scores a plan with the objectives of the MILP (the same function scores the optimum and the greedy baseline). */
export function scorePlan(index: IndexedProblem, plan: PlanArrays): PlanScore {
  const coverage = coverageOf(index, dutyCounts(index, plan));
  let travelSeconds = 0;
  for (let o = 0; o < index.O; o++) {
    for (let t = 0; t < index.T; t++) {
      const s = plan.post[o * index.T + t]!;
      if (s >= 0) travelSeconds += index.travel[index.home[o]! * index.S + s]!;
    }
  }
  const posted = postedCounts(index, plan);
  const zonePosted = zonePostedCounts(index, posted);
  let zoneMinimumShortfall = 0;
  for (let zt = 0; zt < index.Z * index.T; zt++) {
    zoneMinimumShortfall += Math.max(0, index.zoneMin[zt]! - zonePosted[zt]!);
  }
  let stationCoverShortfall = 0;
  for (let st = 0; st < index.S * index.T; st++)
    stationCoverShortfall += Math.max(0, index.coverMin[st]! - posted[st]!);
  return {
    coverage,
    weightedUnmet: coverage.total.weightedUnmet,
    maxUnmetShare: Math.max(0, ...coverage.byStation.map((s) => s.unmetShare)),
    travelSeconds,
    zoneMinimumShortfall,
    stationCoverShortfall,
  };
}

/**
 * The hard rules a plan breaks, in words (empty for a valid plan): availability, drive limit,
 * qualification, rest rules, zone caps, and posts beyond max(demand, minimum cover, zone minimum).
 */
export function planViolations(index: IndexedProblem, plan: PlanArrays): string[] {
  const { problem, O, T, S } = index;
  const out: string[] = [];
  const worked = new Uint8Array(T);
  for (let o = 0; o < O; o++) {
    const id = problem.officers[o]!.id;
    for (let t = 0; t < T; t++) {
      const s = plan.post[o * T + t]!;
      worked[t] = s >= 0 ? 1 : 0;
      if (s < 0) continue;
      if (!index.available[o * T + t]) out.push(`officer ${id} is not available in slot ${t}`);
      if (!index.inRange[o * S + s]) out.push(`officer ${id} is posted beyond the drive limit in slot ${t}`);
      if (!isQualified(index, o, plan.duty[o * T + t]!)) out.push(`officer ${id} lacks the qualification in slot ${t}`);
    }
    if (!obeysRestRules(worked, problem.restRules)) out.push(`officer ${id} breaks the rest rules`);
  }
  const posted = postedCounts(index, plan);
  for (let st = 0; st < S * T; st++) {
    if (posted[st]! > index.postCap[st]!) out.push(`station ${problem.stations[Math.floor(st / T)]!.code} over-posted`);
  }
  const zonePosted = zonePostedCounts(index, posted);
  for (let zt = 0; zt < index.Z * T; zt++) {
    if (zonePosted[zt]! > index.zoneMax[zt]!) out.push(`zone ${problem.zones[Math.floor(zt / T)]!.id} over its cap`);
  }
  return out;
}

/** Would posting officer o in slot t keep the rest rules, given the plan? */
export function restAllows(
  index: IndexedProblem,
  plan: PlanArrays,
  o: number,
  t: number,
  scratch?: Uint8Array,
): boolean {
  const worked = scratch ?? new Uint8Array(index.T);
  for (let k = 0; k < index.T; k++) worked[k] = plan.post[o * index.T + k]! >= 0 ? 1 : 0;
  return canAlsoWork(worked, t, index.problem.restRules);
}
