import { type IndexedProblem } from './indexed.js';

/**
 * The MILP of holiday policing, as CSR arrays for HiGHS's structured API: no LP text to write and
 * parse (0.6 MB even with short names at 300 officers; `modelToLpText` exists for inspection).
 *
 * Officers of the same type — same home station and same qualifications — are interchangeable in
 * where they can go and at what drive time, so the model decides *who works when* per officer and
 * *where they go* per type. This is exact (any per-type count can be split among that type's
 * workers) and much smaller than a binary y[officer, station, slot]: on the synthetic county with a
 * 60-min drive limit that is 48,800 binaries at 300 officers; this model has 11,100 columns
 * (10,400 integer, 5,600 of them 0/1) and 5,400 rows; at 1,000 officers 22,200 columns and 13,100 rows.
 *
 * Columns
 * - w[o, t] ∈ {0,1}: officer o works slot t — only where o is available and some station within
 *   the drive limit wants someone in t (demand or minimum cover). An officer has one w per slot, so
 *   "one post per shift" holds by construction.
 * - n[k, s, t] ∈ ℤ≥0: officers of type k posted at station s in slot t (only s within k's drive limit).
 * - z[s, t, d] ∈ ℤ≥0: officers doing duty d at s in t (each officer's duty is derived afterwards); at
 *   most the duty's demand, plus whatever a minimum cover or zone minimum asks beyond the station's
 *   demand — so nobody is posted for nothing.
 * - u[s, t, d] ≥ 0: unmet demand (slack, so a plan always exists); only where demand > 0.
 * - v[s] ∈ ℤ≥0: unmet officer-shifts of station s over the holiday; fairness caps are its bounds.
 * - short ≥ 0: shortfall of a zone minimum or a station minimum cover (soft only when the pool cannot).
 * - f ∈ [0, 1]: rest-state arcs, only when R ≥ 2 (below).
 *
 * Rows
 * - type balance: Σ_s n[k, s, t] = Σ_{o of type k} w[o, t].
 * - rest, R = 1 (K = longest block, R = least gap between blocks): every K + 1 consecutive slots
 *   hold at most K worked slots of o. These are interval rows (a totally unimodular matrix), so each
 *   officer's rest polytope is exact.
 * - rest, R ≥ 2: windows plus gap rows (pairwise or Rajan–Takriti) left the LP bound 10% low at 300
 *   officers, so each officer's shifts become a path through the states "worked c in a
 *   row" (c = 1..K) and "free g in a row" (g = 1..R, R meaning rested): arc columns f ∈ [0, 1], one
 *   unit leaving "rested" before the holiday, flow conservation per state and slot, and
 *   w[o, t] = flow into worked states at t. A network per officer, so again exact per officer.
 * - station balance: Σ_k n[k, s, t] − Σ_d z[s, t, d] = 0; cap: Σ_d z ≤ max(demand, minimum cover, zone minimum).
 * - qualification (Hall): for every non-empty set Q of duties needing a qualification,
 *   Σ_{d∈Q} z[s, t, d] ≤ Σ of n[k, s, t] over types qualified for some duty of Q. By Hall's theorem
 *   these 2^q − 1 rows are exactly the condition for the posted officers to be matched to the duty
 *   counts; with one restricted duty (traffic) it is the single row z_traffic ≤ Σ_qualified n.
 * - unmet: z[s, t, d] + u[s, t, d] ≥ demand; station unmet: Σ_{t,d} u[s, t, d] − v[s] = 0.
 * - zone cap / zone minimum per (zone, t); station minimum cover per (s, t).
 *
 * Objective costs (solve.ts runs them lexicographically):
 * - unmetCost: Σ w_d u + M Σ short, M = total weighted demand + 1, so one officer-shift of a minimum
 *   outweighs all demand (minimums are hard whenever the pool allows them);
 * - fairness has no cost vector: it is searched through the bounds of v (see solve.ts);
 * - travelCost: Σ travelSeconds(home(k), s) · n[k, s, t].
 *
 * Without the fix and fairness rows this LP has integral optima in practice (rest windows are
 * interval rows; the rest is transportation-like), which is why solve.ts tries the LP first.
 */
export interface MilpModel {
  numCols: number;
  numRows: number;
  colLower: Float64Array;
  colUpper: Float64Array;
  /** 0 continuous, 1 integer (HiGHS codes). */
  integrality: Int32Array;
  rowLower: Float64Array;
  rowUpper: Float64Array;
  /** CSR rows. */
  starts: Int32Array;
  indices: Int32Array;
  values: Float64Array;
  /** Objective 1: priority-weighted unmet + M × minimum shortfall. */
  unmetCost: Float64Array;
  /** Objective 3: drive seconds of every posting. */
  travelCost: Float64Array;
  /** Type of each officer; home station and qualification mask of each type. */
  officerType: Int32Array;
  typeHome: Int32Array;
  typeMask: Int32Array;
  /** Column of w per (o·T+t), or −1. */
  wCol: Int32Array;
  /** n columns are nFirst..nFirst+nCount−1, with their type, station and slot. */
  nFirst: number;
  nCount: number;
  nType: Int32Array;
  nStation: Int32Array;
  nSlot: Int32Array;
  /** Column of n per ((k·S)+s)·T+t, or −1. */
  nCol: Int32Array;
  /** Column of z / u per cell (s·T+t)·D+d, or −1. */
  zCol: Int32Array;
  uCol: Int32Array;
  /** Column v of each station's unmet officer-shifts over the holiday, or −1 without demand. */
  stationUnmetCol: Int32Array;
  /** Demanded officer-shifts of each station over the holiday (the fairness denominator). */
  stationDemand: Float64Array;
  /** Column of the shortfall of a zone minimum per (zone·T+t) / station cover per (s·T+t), or −1. */
  zoneShortCol: Int32Array;
  coverShortCol: Int32Array;
  /** Weight M of one officer-shift of minimum shortfall in objective 1. */
  shortfallPenalty: number;
  binaries: number;
  integers: number;
  continuous: number;
}

/** Grows CSR rows. */
class RowBuffer {
  starts: number[] = [0];
  indices: number[] = [];
  values: number[] = [];
  lower: number[] = [];
  upper: number[] = [];

  add(cols: readonly number[], coefs: readonly number[], lower: number, upper: number): void {
    for (let k = 0; k < cols.length; k++) {
      this.indices.push(cols[k]!);
      this.values.push(coefs[k]!);
    }
    this.starts.push(this.indices.length);
    this.lower.push(lower);
    this.upper.push(upper);
  }

  get count(): number {
    return this.lower.length;
  }
}

/** Builds the MILP of an indexed problem (see the module comment for the formulation). */
export function buildModel(index: IndexedProblem): MilpModel {
  const stationDemand = new Float64Array(index.S);
  for (let s = 0; s < index.S; s++) {
    for (let t = 0; t < index.T; t++) {
      for (let d = 0; d < index.D; d++) stationDemand[s]! += index.demand[(s * index.T + t) * index.D + d]!;
    }
  }
  const { S, T, D, O, Z, problem } = index;
  const K = problem.restRules.maxConsecutiveShifts;
  const R = problem.restRules.minRestShiftsBetweenBlocks;

  // Officer types: (home station, qualification mask).
  const typeKey = new Map<number, number>();
  const typeHomeList: number[] = [];
  const typeMaskList: number[] = [];
  const officerType = new Int32Array(O);
  for (let o = 0; o < O; o++) {
    const key = index.home[o]! * 65536 + index.qualifiedMask[o]!;
    let k = typeKey.get(key);
    if (k == null) {
      k = typeHomeList.length;
      typeKey.set(key, k);
      typeHomeList.push(index.home[o]!);
      typeMaskList.push(index.qualifiedMask[o]!);
    }
    officerType[o] = k;
  }
  const types = typeHomeList.length;
  const reachable = (home: number, t: number) => {
    for (let s = 0; s < S; s++) {
      if (index.travel[home * S + s]! <= problem.maxTravelSeconds && index.postCap[s * T + t]! > 0) return true;
    }
    return false;
  };

  let next = 0;
  const wCol = new Int32Array(O * T).fill(-1);
  const workersOfTypeSlot = new Int32Array(types * T);
  for (let o = 0; o < O; o++) {
    for (let t = 0; t < T; t++) {
      if (!index.available[o * T + t] || !reachable(index.home[o]!, t)) continue;
      wCol[o * T + t] = next++;
      workersOfTypeSlot[officerType[o]! * T + t]!++;
    }
  }
  const wCount = next;
  const nFirst = next;
  const nTypeList: number[] = [];
  const nStationList: number[] = [];
  const nSlotList: number[] = [];
  for (let k = 0; k < types; k++) {
    for (let t = 0; t < T; t++) {
      if (workersOfTypeSlot[k * T + t] === 0) continue;
      for (let s = 0; s < S; s++) {
        if (index.travel[typeHomeList[k]! * S + s]! > problem.maxTravelSeconds || index.postCap[s * T + t]! <= 0) {
          continue;
        }
        nTypeList.push(k);
        nStationList.push(s);
        nSlotList.push(t);
        next++;
      }
    }
  }
  const nCount = nTypeList.length;
  const nCol = new Int32Array(types * S * T).fill(-1);
  for (let i = 0; i < nCount; i++) nCol[(nTypeList[i]! * S + nStationList[i]!) * T + nSlotList[i]!] = nFirst + i;
  const zCol = new Int32Array(S * T * D).fill(-1);
  const uCol = new Int32Array(S * T * D).fill(-1);
  for (let st = 0; st < S * T; st++) {
    if (index.postCap[st]! <= 0) continue;
    for (let d = 0; d < D; d++) zCol[st * D + d] = next++;
  }
  for (let cell = 0; cell < S * T * D; cell++) if (index.demand[cell]! > 0) uCol[cell] = next++;
  const stationUnmetCol = new Int32Array(S).fill(-1);
  for (let s = 0; s < S; s++) if (stationDemand[s]! > 0) stationUnmetCol[s] = next++;
  const zoneShortCol = new Int32Array(Z * T).fill(-1);
  for (let zt = 0; zt < Z * T; zt++) if (index.zoneMin[zt]! > 0) zoneShortCol[zt] = next++;
  const coverShortCol = new Int32Array(S * T).fill(-1);
  for (let st = 0; st < S * T; st++) if (index.coverMin[st]! > 0) coverShortCol[st] = next++;
  // With a gap rule (R ≥ 2), each officer's shifts are a path through rest states (see the module
  // comment): arc columns f ∈ [0, 1] from state `from` at t − 1 to state `to` at t.
  const arcFirst = next;
  const arcOfficer: number[] = [];
  const arcSlot: number[] = [];
  const arcFrom: number[] = [];
  const arcTo: number[] = [];
  if (R >= 2) {
    const rested = K + R - 1;
    const moves = (state: number, canWork: boolean): number[] => {
      if (state < K) return state + 1 < K && canWork ? [state + 1, K] : [K];
      if (state < rested) return [state + 1];
      return canWork ? [rested, 0] : [rested];
    };
    for (let o = 0; o < O; o++) {
      let reachable = new Set<number>([rested]);
      for (let t = 0; t < T; t++) {
        const canWork = wCol[o * T + t]! >= 0;
        const nextStates = new Set<number>();
        for (const from of [...reachable].sort((a, b) => a - b)) {
          for (const to of moves(from, canWork)) {
            arcOfficer.push(o);
            arcSlot.push(t);
            arcFrom.push(from);
            arcTo.push(to);
            nextStates.add(to);
            next++;
          }
        }
        reachable = nextStates;
      }
    }
  }
  const numCols = next;

  let totalWeighted = 0;
  for (let s = 0; s < S; s++) totalWeighted += index.weightedDemandOfStation[s]!;
  const shortfallPenalty = totalWeighted + 1;

  const colLower = new Float64Array(numCols);
  const colUpper = new Float64Array(numCols).fill(Infinity);
  const integrality = new Int32Array(numCols);
  const cost1 = new Float64Array(numCols);
  const cost3 = new Float64Array(numCols);
  for (let j = 0; j < wCount; j++) {
    colUpper[j] = 1;
    integrality[j] = 1;
  }
  for (let i = 0; i < nCount; i++) {
    const j = nFirst + i;
    const s = nStationList[i]!;
    const t = nSlotList[i]!;
    integrality[j] = 1;
    colUpper[j] = Math.min(workersOfTypeSlot[nTypeList[i]! * T + t]!, index.postCap[s * T + t]!);
    cost3[j] = index.travel[typeHomeList[nTypeList[i]!]! * S + s]!;
  }
  for (let cell = 0; cell < S * T * D; cell++) {
    const z = zCol[cell]!;
    if (z >= 0) {
      // Officers beyond a duty's demand only where a minimum asks for more than the station's demand.
      const st = Math.floor(cell / D);
      let stationDemandInSlot = 0;
      for (let d = 0; d < D; d++) stationDemandInSlot += index.demand[st * D + d]!;
      integrality[z] = 1;
      colUpper[z] = index.demand[cell]! + index.postCap[st]! - stationDemandInSlot;
    }
    const u = uCol[cell]!;
    if (u >= 0) {
      colUpper[u] = index.demand[cell]!;
      cost1[u] = index.weight[cell % D]!;
    }
  }
  for (let s = 0; s < S; s++) {
    const c = stationUnmetCol[s]!;
    if (c < 0) continue;
    colUpper[c] = stationDemand[s]!;
    integrality[c] = 1;
  }
  for (let a = 0; a < arcOfficer.length; a++) colUpper[arcFirst + a] = 1;
  for (let zt = 0; zt < Z * T; zt++) {
    const c = zoneShortCol[zt]!;
    if (c >= 0) {
      colUpper[c] = index.zoneMin[zt]!;
      cost1[c] = shortfallPenalty;
    }
  }
  for (let st = 0; st < S * T; st++) {
    const c = coverShortCol[st]!;
    if (c >= 0) {
      colUpper[c] = index.coverMin[st]!;
      cost1[c] = shortfallPenalty;
    }
  }

  const rows = new RowBuffer();
  const cols: number[] = [];
  const coefs: number[] = [];
  const reset = () => {
    cols.length = 0;
    coefs.length = 0;
  };
  const push = (col: number, coef: number) => {
    cols.push(col);
    coefs.push(coef);
  };
  const w = (o: number, t: number) => wCol[o * T + t]!;

  for (let o = 0; o < O; o++) {
    if (R >= 2) continue; // the path rows below are exact
    // K + 1 consecutive slots hold at most K worked ones (an interval matrix: exact for R = 1).
    // Skip windows with ≤ K candidate slots.
    for (let a = 0; a + K < T; a++) {
      reset();
      for (let t = a; t <= a + K; t++) if (w(o, t) >= 0) push(w(o, t), 1);
      if (cols.length > K) rows.add(cols, coefs, -Infinity, K);
    }
  }
  // Paths (R ≥ 2): one unit leaves "rested" at the start; flow is conserved through each state;
  // w[o, t] is the flow into working states at t.
  for (let first = 0; first < arcOfficer.length;) {
    const o = arcOfficer[first]!;
    let last = first;
    while (last < arcOfficer.length && arcOfficer[last] === o) last++;
    const bySlot: number[][] = Array.from({ length: T }, () => []);
    for (let a = first; a < last; a++) bySlot[arcSlot[a]!]!.push(a);
    reset();
    for (const a of bySlot[0]!) push(arcFirst + a, 1);
    rows.add(cols, coefs, 1, 1);
    for (let t = 0; t + 1 < T; t++) {
      const states = new Set(bySlot[t]!.map((a) => arcTo[a]!));
      for (const state of states) {
        reset();
        for (const a of bySlot[t]!) if (arcTo[a] === state) push(arcFirst + a, 1);
        for (const a of bySlot[t + 1]!) if (arcFrom[a] === state) push(arcFirst + a, -1);
        rows.add(cols, coefs, 0, 0);
      }
    }
    for (let t = 0; t < T; t++) {
      if (w(o, t) < 0) continue;
      reset();
      push(w(o, t), 1);
      for (const a of bySlot[t]!) if (arcTo[a]! < K) push(arcFirst + a, -1);
      rows.add(cols, coefs, 0, 0);
    }
    first = last;
  }

  // n columns by (type, slot) and by (station, slot).
  const nByTypeSlot: number[][] = Array.from({ length: types * T }, () => []);
  const nByStationSlot: number[][] = Array.from({ length: S * T }, () => []);
  for (let i = 0; i < nCount; i++) {
    nByTypeSlot[nTypeList[i]! * T + nSlotList[i]!]!.push(nFirst + i);
    nByStationSlot[nStationList[i]! * T + nSlotList[i]!]!.push(nFirst + i);
  }
  const officersOfType: number[][] = Array.from({ length: types }, () => []);
  for (let o = 0; o < O; o++) officersOfType[officerType[o]!]!.push(o);
  for (let k = 0; k < types; k++) {
    for (let t = 0; t < T; t++) {
      const ns = nByTypeSlot[k * T + t]!;
      if (ns.length === 0) continue;
      reset();
      for (const j of ns) push(j, 1);
      for (const o of officersOfType[k]!) if (w(o, t) >= 0) push(w(o, t), -1);
      rows.add(cols, coefs, 0, 0);
    }
  }

  const restrictedSubsets: number[] = [];
  for (let subset = 1; subset <= index.restrictedBits; subset++) {
    if ((subset & index.restrictedBits) === subset) restrictedSubsets.push(subset);
  }
  for (let s = 0; s < S; s++) {
    for (let t = 0; t < T; t++) {
      const st = s * T + t;
      if (index.postCap[st]! <= 0) continue;
      const ns = nByStationSlot[st]!;
      reset();
      for (const j of ns) push(j, 1);
      for (let d = 0; d < D; d++) push(zCol[st * D + d]!, -1);
      rows.add(cols, coefs, 0, 0);
      reset();
      for (let d = 0; d < D; d++) push(zCol[st * D + d]!, 1);
      rows.add(cols, coefs, -Infinity, index.postCap[st]!);
      for (const subset of restrictedSubsets) {
        reset();
        for (let d = 0; d < D; d++) if (index.dutyBit[d]! & subset) push(zCol[st * D + d]!, 1);
        if (cols.length === 0) continue;
        for (const j of ns) if (typeMaskList[nTypeList[j - nFirst]!]! & subset) push(j, -1);
        rows.add(cols, coefs, -Infinity, 0);
      }
      for (let d = 0; d < D; d++) {
        const u = uCol[st * D + d]!;
        if (u < 0) continue;
        reset();
        push(zCol[st * D + d]!, 1);
        push(u, 1);
        rows.add(cols, coefs, index.demand[st * D + d]!, Infinity);
      }
      const coverShort = coverShortCol[st]!;
      if (coverShort >= 0) {
        reset();
        for (const j of ns) push(j, 1);
        push(coverShort, 1);
        rows.add(cols, coefs, index.coverMin[st]!, Infinity);
      }
    }
    if (stationDemand[s]! > 0) {
      reset();
      for (let t = 0; t < T; t++) {
        for (let d = 0; d < D; d++) {
          const u = uCol[(s * T + t) * D + d]!;
          if (u >= 0) push(u, 1);
        }
      }
      push(stationUnmetCol[s]!, -1);
      rows.add(cols, coefs, 0, 0);
    }
  }

  for (let z = 0; z < Z; z++) {
    for (let t = 0; t < T; t++) {
      const zt = z * T + t;
      const min = index.zoneMin[zt]!;
      const max = index.zoneMax[zt]!;
      if (min <= 0 && max === Infinity) continue;
      reset();
      for (let s = 0; s < S; s++)
        if (index.zoneOfStation[s] === z) for (const j of nByStationSlot[s * T + t]!) push(j, 1);
      if (max < Infinity) rows.add(cols, coefs, -Infinity, max);
      if (min > 0) {
        push(zoneShortCol[zt]!, 1);
        rows.add(cols, coefs, min, Infinity);
      }
    }
  }

  let binaries = 0;
  let integers = 0;
  for (let j = 0; j < numCols; j++) {
    if (!integrality[j]) continue;
    if (colUpper[j] === 1) binaries++;
    else integers++;
  }
  return {
    numCols,
    numRows: rows.count,
    colLower,
    colUpper,
    integrality,
    rowLower: Float64Array.from(rows.lower),
    rowUpper: Float64Array.from(rows.upper),
    starts: Int32Array.from(rows.starts),
    indices: Int32Array.from(rows.indices),
    values: Float64Array.from(rows.values),
    unmetCost: cost1,
    travelCost: cost3,
    officerType,
    typeHome: Int32Array.from(typeHomeList),
    typeMask: Int32Array.from(typeMaskList),
    wCol,
    nFirst,
    nCount,
    nType: Int32Array.from(nTypeList),
    nStation: Int32Array.from(nStationList),
    nSlot: Int32Array.from(nSlotList),
    nCol,
    zCol,
    uCol,
    stationUnmetCol,
    stationDemand,
    zoneShortCol,
    coverShortCol,
    shortfallPenalty,
    binaries,
    integers,
    continuous: numCols - binaries - integers,
  };
}

/**
 * The model in CPLEX LP format with the objective of one stage, for inspection (e.g. to replay a
 * case in the HiGHS command line). solve.ts does not use it: it passes the arrays directly.
 */
export function modelToLpText(model: MilpModel, cost: Float64Array = model.unmetCost): string {
  const term = (coef: number, col: number) => `${coef < 0 ? '-' : '+'} ${Math.abs(coef)} x${col}`;
  const lines: string[] = ['Minimize', ' obj:'];
  let objective = '';
  for (let j = 0; j < model.numCols; j++) if (cost[j]) objective += ` ${term(cost[j]!, j)}`;
  lines[1] += objective || ' 0 x0';
  lines.push('Subject To');
  for (let i = 0; i < model.numRows; i++) {
    let expr = '';
    for (let k = model.starts[i]!; k < model.starts[i + 1]!; k++)
      expr += ` ${term(model.values[k]!, model.indices[k]!)}`;
    const lo = model.rowLower[i]!;
    const hi = model.rowUpper[i]!;
    if (lo === hi) lines.push(` r${i}:${expr} = ${lo}`);
    else if (lo === -Infinity) lines.push(` r${i}:${expr} <= ${hi}`);
    else if (hi === Infinity) lines.push(` r${i}:${expr} >= ${lo}`);
    else lines.push(` r${i}: ${lo} <=${expr} <= ${hi}`);
  }
  lines.push('Bounds');
  for (let j = 0; j < model.numCols; j++) {
    const hi = model.colUpper[j]!;
    lines.push(hi === Infinity ? ` x${j} >= ${model.colLower[j]}` : ` ${model.colLower[j]} <= x${j} <= ${hi}`);
  }
  const generals: string[] = [];
  for (let j = 0; j < model.numCols; j++) if (model.integrality[j]) generals.push(`x${j}`);
  if (generals.length) lines.push('Generals', ` ${generals.join(' ')}`);
  lines.push('End', '');
  return lines.join('\n');
}
