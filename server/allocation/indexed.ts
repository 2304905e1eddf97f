import { type AllocationProblem, validateProblem } from './problem.js';

/**
 * The problem as dense typed arrays, shared by the model builder, the greedy baseline, the scorer
 * and the explainer. Cell (s, t, d) is at `(s * T + t) * D + d`; slot t = day × shiftsPerDay + shift.
 */
export interface IndexedProblem {
  problem: AllocationProblem;
  /** Stations, slots, duties, officers, zones. */
  S: number;
  T: number;
  D: number;
  O: number;
  Z: number;
  stationIndex: ReadonlyMap<string, number>;
  zoneOfStation: Int32Array;
  weight: Float64Array;
  /** Bit of each duty in the officers' qualification masks; 0 for a duty anyone may do. */
  dutyBit: Int32Array;
  /** Per officer, the OR of the bits of the restricted duties the officer is qualified for. */
  qualifiedMask: Int32Array;
  /** Bits of all restricted duties. */
  restrictedBits: number;
  demand: Float64Array;
  /** Priority-weighted demand of each station over the holiday (the fairness denominator). */
  weightedDemandOfStation: Float64Array;
  home: Int32Array;
  /** available[o * T + t]. */
  available: Uint8Array;
  /** inRange[o * S + s]: may officer o be posted to station s (drive from home ≤ limit)? */
  inRange: Uint8Array;
  /** travel[h * S + s]: drive seconds from home station h to post station s. */
  travel: Float64Array;
  /** Minimum officers on post per (s, t); 0 when none. */
  coverMin: Float64Array;
  /** Most officers worth posting per (s, t): max(total demand, minimum cover, zone minimum). */
  postCap: Float64Array;
  /** Zone bounds per (zone, t): 0 / Infinity when none. */
  zoneMin: Float64Array;
  zoneMax: Float64Array;
}

/** Validates the problem and builds its dense index. */
export function indexProblem(problem: AllocationProblem): IndexedProblem {
  validateProblem(problem);
  const S = problem.stations.length;
  const T = problem.days * problem.shiftsPerDay;
  const D = problem.duties.length;
  const O = problem.officers.length;
  const Z = problem.zones.length;
  const stationIndex = new Map(problem.stations.map((s, i) => [s.code, i]));
  const zoneIndex = new Map(problem.zones.map((z, i) => [z.id, i]));
  const dutyIndex = new Map(problem.duties.map((d, i) => [d.id, i]));
  const zoneOfStation = Int32Array.from(problem.stations, (s) => zoneIndex.get(s.zoneId)!);
  const weight = Float64Array.from(problem.duties, (d) => d.priorityWeight);

  const dutyBit = new Int32Array(D);
  const qualificationBits = new Map<string, number>();
  let restrictedBits = 0;
  problem.duties.forEach((duty, d) => {
    if (duty.requiredQualification == null) return;
    const bit = 1 << d;
    dutyBit[d] = bit;
    restrictedBits |= bit;
    qualificationBits.set(duty.requiredQualification, (qualificationBits.get(duty.requiredQualification) ?? 0) | bit);
  });
  const qualifiedMask = Int32Array.from(problem.officers, (o) => {
    let mask = 0;
    for (const q of o.qualifications) mask |= qualificationBits.get(q) ?? 0;
    return mask;
  });

  const demand = new Float64Array(S * T * D);
  for (const entry of problem.demand) {
    const s = stationIndex.get(entry.stationCode)!;
    const t = entry.day * problem.shiftsPerDay + entry.shift;
    demand[(s * T + t) * D + dutyIndex.get(entry.dutyId)!]! += entry.officers;
  }
  const weightedDemandOfStation = new Float64Array(S);
  for (let s = 0; s < S; s++) {
    for (let t = 0; t < T; t++) {
      for (let d = 0; d < D; d++) weightedDemandOfStation[s]! += weight[d]! * demand[(s * T + t) * D + d]!;
    }
  }

  const home = Int32Array.from(problem.officers, (o) => stationIndex.get(o.homeStation)!);
  const available = new Uint8Array(O * T);
  problem.officers.forEach((o, i) => o.available.forEach((flag, t) => (available[i * T + t] = flag ? 1 : 0)));
  const travel = new Float64Array(S * S);
  problem.travelSeconds.forEach((row, h) => row.forEach((seconds, s) => (travel[h * S + s] = seconds)));
  const inRange = new Uint8Array(O * S);
  for (let o = 0; o < O; o++) {
    for (let s = 0; s < S; s++) inRange[o * S + s] = travel[home[o]! * S + s]! <= problem.maxTravelSeconds ? 1 : 0;
  }

  const slotsOf = (day: number | undefined, shift: number | undefined): number[] => {
    const out: number[] = [];
    for (let dy = 0; dy < problem.days; dy++) {
      for (let sh = 0; sh < problem.shiftsPerDay; sh++) {
        if ((day == null || day === dy) && (shift == null || shift === sh)) out.push(dy * problem.shiftsPerDay + sh);
      }
    }
    return out;
  };
  const coverMin = new Float64Array(S * T);
  for (const cover of problem.stationCovers ?? []) {
    const s = stationIndex.get(cover.stationCode)!;
    for (const t of slotsOf(cover.day, cover.shift))
      coverMin[s * T + t] = Math.max(coverMin[s * T + t]!, cover.minOfficers);
  }
  const zoneMin = new Float64Array(Z * T);
  const zoneMax = new Float64Array(Z * T).fill(Infinity);
  for (const limit of problem.zoneLimits ?? []) {
    const z = zoneIndex.get(limit.zoneId)!;
    for (const t of slotsOf(limit.day, limit.shift)) {
      if (limit.minOfficers != null) zoneMin[z * T + t] = Math.max(zoneMin[z * T + t]!, limit.minOfficers);
      if (limit.maxOfficers != null) zoneMax[z * T + t] = Math.min(zoneMax[z * T + t]!, limit.maxOfficers);
    }
  }
  // A station takes officers beyond its demand only to meet a minimum (its cover, or its zone's).
  const postCap = new Float64Array(S * T);
  for (let s = 0; s < S; s++) {
    for (let t = 0; t < T; t++) {
      let total = 0;
      for (let d = 0; d < D; d++) total += demand[(s * T + t) * D + d]!;
      postCap[s * T + t] = Math.max(total, coverMin[s * T + t]!, zoneMin[zoneOfStation[s]! * T + t]!);
    }
  }
  return {
    problem,
    S,
    T,
    D,
    O,
    Z,
    stationIndex,
    zoneOfStation,
    weight,
    dutyBit,
    qualifiedMask,
    restrictedBits,
    demand,
    weightedDemandOfStation,
    home,
    available,
    inRange,
    travel,
    coverMin,
    postCap,
    zoneMin,
    zoneMax,
  };
}

/** Is officer o qualified for duty d? */
export function isQualified(index: IndexedProblem, o: number, d: number): boolean {
  const bit = index.dutyBit[d]!;
  return bit === 0 || (index.qualifiedMask[o]! & bit) !== 0;
}

/**
 * Does a sequence of worked flags (one per slot) obey the rest rules? Blocks (maximal runs of
 * worked slots) are at most `maxConsecutiveShifts` long and, after the first, start at least
 * `minRestShiftsBetweenBlocks` free slots after the previous one ended.
 */
export function obeysRestRules(
  worked: ArrayLike<number>,
  rules: { maxConsecutiveShifts: number; minRestShiftsBetweenBlocks: number },
): boolean {
  let run = 0;
  let gap = 0;
  let seenBlock = false;
  for (let t = 0; t < worked.length; t++) {
    if (worked[t]) {
      if (run === 0 && seenBlock && gap < rules.minRestShiftsBetweenBlocks) return false;
      run++;
      if (run > rules.maxConsecutiveShifts) return false;
      gap = 0;
    } else {
      if (run > 0) seenBlock = true;
      run = 0;
      gap++;
    }
  }
  return true;
}

/** Would the rest rules still hold if the officer also worked slot t? (`worked` is restored.) */
export function canAlsoWork(
  worked: Uint8Array,
  t: number,
  rules: { maxConsecutiveShifts: number; minRestShiftsBetweenBlocks: number },
): boolean {
  if (worked[t]) return false;
  worked[t] = 1;
  const ok = obeysRestRules(worked, rules);
  worked[t] = 0;
  return ok;
}
