import { type IndexedProblem } from './indexed.js';
import { dutyCounts, type PlanArrays, postedCounts, restAllows, zonePostedCounts } from './score.js';

/**
 * Why a (station, slot, duty) stays short, checked in this order:
 * - `no_one_in_range`: no pool officer available in the slot lives within the drive limit;
 * - `no_qualified_in_range`: some do, but none has the duty's qualification;
 * - `zone_cap`: the zone already has its cap of officers in the slot;
 * - `all_qualified_in_range_assigned`: every qualified officer in range is already on a post in the
 *   slot (here, or where the objective valued them more);
 * - `rest_rules`: the qualified officers in range who are free in the slot would break the rest
 *   rules if posted (given their other shifts);
 * - `solver_gap`: none of the above; the solver stopped before proving optimality.
 */
export type ShortReason =
  | 'no_one_in_range'
  | 'no_qualified_in_range'
  | 'zone_cap'
  | 'all_qualified_in_range_assigned'
  | 'rest_rules'
  | 'solver_gap';

/** The order in which reasons are tested, also the tie-break for a zone's main reason. */
export const SHORT_REASONS: readonly ShortReason[] = [
  'no_one_in_range',
  'no_qualified_in_range',
  'zone_cap',
  'all_qualified_in_range_assigned',
  'rest_rules',
  'solver_gap',
];

/** One short (station, duty) in a zone's slot. */
export interface ShortPart {
  stationCode: string;
  dutyId: string;
  officerShifts: number;
  reason: ShortReason;
  /** Officers available in the slot, within the drive limit and qualified for the duty. */
  candidates: number;
  /** Of those, the ones not on any post in the slot. */
  candidatesFree: number;
}

/** A war zone short of officers in one slot: officer-shifts unmet and the main reason (the one covering most of them). */
export interface ShortExplanation {
  kind: 'short';
  zoneId: string;
  day: number;
  shift: number;
  officerShifts: number;
  weightedUnmet: number;
  reason: ShortReason;
  maxTravelSeconds: number;
  parts: ShortPart[];
}

/** A zone minimum the pool could not meet. */
export interface ZoneMinimumExplanation {
  kind: 'zone_minimum_short';
  zoneId: string;
  day: number;
  shift: number;
  required: number;
  posted: number;
  officerShifts: number;
}

/** A station minimum cover the pool could not meet. */
export interface StationCoverExplanation {
  kind: 'station_cover_short';
  stationCode: string;
  zoneId: string;
  day: number;
  shift: number;
  required: number;
  posted: number;
  officerShifts: number;
}

/**
 * What one more officer (available every shift, holding every qualification) would buy, with home
 * at the best station of a short zone: the best schedule under the rest rules that fills unmet
 * seats in drive range while every other officer keeps their post. That is a lower bound on what a
 * full re-solve would gain (a re-solve may also move others), and costs a 21-slot dynamic
 * programme instead of three MILPs per zone.
 */
export interface ExtraOfficerExplanation {
  kind: 'extra_officer';
  zoneId: string;
  homeStation: string;
  officerShifts: number;
  weightedUnmetReduction: number;
  shifts: { day: number; shift: number; stationCode: string; dutyId: string }[];
}

/** Every demand is met. */
export interface AllMetExplanation {
  kind: 'all_met';
  demanded: number;
}

/** A structured explanation the UI renders in Chinese or English (explain-text.ts). */
export type Explanation =
  ShortExplanation | ZoneMinimumExplanation | StationCoverExplanation | ExtraOfficerExplanation | AllMetExplanation;

/** Explains a plan: shortages per zone and slot with their reasons, unmet minimums, and the value of one more officer. */
export function explainPlan(index: IndexedProblem, plan: PlanArrays): Explanation[] {
  const { problem, S, T, D, O, Z } = index;
  const counts = dutyCounts(index, plan);
  const posted = postedCounts(index, plan);
  const zonePosted = zonePostedCounts(index, posted);
  const unmet = new Float64Array(S * T * D);
  let demanded = 0;
  for (let cell = 0; cell < S * T * D; cell++) {
    unmet[cell] = Math.max(0, index.demand[cell]! - counts[cell]!);
    demanded += index.demand[cell]!;
  }
  const zoneCapped = (z: number, t: number) => zonePosted[z * T + t]! >= index.zoneMax[z * T + t]!;
  const scratch = new Uint8Array(T);

  const reasonOf = (s: number, t: number, d: number): Omit<ShortPart, 'stationCode' | 'dutyId' | 'officerShifts'> => {
    let inRange = 0;
    let candidates = 0;
    let candidatesFree = 0;
    let freeAllowed = 0;
    const bit = index.dutyBit[d]!;
    for (let o = 0; o < O; o++) {
      if (!index.available[o * T + t] || !index.inRange[o * S + s]) continue;
      inRange++;
      if (bit !== 0 && (index.qualifiedMask[o]! & bit) === 0) continue;
      candidates++;
      if (plan.post[o * T + t]! >= 0) continue;
      candidatesFree++;
      if (restAllows(index, plan, o, t, scratch)) freeAllowed++;
    }
    let reason: ShortReason;
    if (inRange === 0) reason = 'no_one_in_range';
    else if (candidates === 0) reason = 'no_qualified_in_range';
    else if (zoneCapped(index.zoneOfStation[s]!, t)) reason = 'zone_cap';
    else if (candidatesFree === 0) reason = 'all_qualified_in_range_assigned';
    else if (freeAllowed === 0) reason = 'rest_rules';
    else reason = 'solver_gap';
    return { reason, candidates, candidatesFree };
  };

  const out: Explanation[] = [];
  const shortZones = new Set<number>();
  for (let z = 0; z < Z; z++) {
    for (let t = 0; t < T; t++) {
      const parts: ShortPart[] = [];
      let weightedUnmet = 0;
      for (let s = 0; s < S; s++) {
        if (index.zoneOfStation[s] !== z) continue;
        for (let d = 0; d < D; d++) {
          const missing = unmet[(s * T + t) * D + d]!;
          if (missing <= 0) continue;
          weightedUnmet += missing * index.weight[d]!;
          parts.push({
            stationCode: problem.stations[s]!.code,
            dutyId: problem.duties[d]!.id,
            officerShifts: missing,
            ...reasonOf(s, t, d),
          });
        }
      }
      if (parts.length === 0) continue;
      shortZones.add(z);
      const byReason = new Map<ShortReason, number>();
      for (const part of parts) byReason.set(part.reason, (byReason.get(part.reason) ?? 0) + part.officerShifts);
      let reason: ShortReason = parts[0]!.reason;
      let most = 0;
      for (const candidate of SHORT_REASONS) {
        const count = byReason.get(candidate) ?? 0;
        if (count > most) {
          reason = candidate;
          most = count;
        }
      }
      out.push({
        kind: 'short',
        zoneId: problem.zones[z]!.id,
        day: Math.floor(t / problem.shiftsPerDay),
        shift: t % problem.shiftsPerDay,
        officerShifts: parts.reduce((sum, p) => sum + p.officerShifts, 0),
        weightedUnmet,
        reason,
        maxTravelSeconds: problem.maxTravelSeconds,
        parts,
      });
    }
  }

  for (let z = 0; z < Z; z++) {
    for (let t = 0; t < T; t++) {
      const required = index.zoneMin[z * T + t]!;
      const have = zonePosted[z * T + t]!;
      if (have >= required) continue;
      out.push({
        kind: 'zone_minimum_short',
        zoneId: problem.zones[z]!.id,
        day: Math.floor(t / problem.shiftsPerDay),
        shift: t % problem.shiftsPerDay,
        required,
        posted: have,
        officerShifts: required - have,
      });
    }
  }
  for (let s = 0; s < S; s++) {
    for (let t = 0; t < T; t++) {
      const required = index.coverMin[s * T + t]!;
      const have = posted[s * T + t]!;
      if (have >= required) continue;
      out.push({
        kind: 'station_cover_short',
        stationCode: problem.stations[s]!.code,
        zoneId: problem.stations[s]!.zoneId,
        day: Math.floor(t / problem.shiftsPerDay),
        shift: t % problem.shiftsPerDay,
        required,
        posted: have,
        officerShifts: required - have,
      });
    }
  }

  for (const z of shortZones) {
    let best: ExtraOfficerExplanation | null = null;
    for (let h = 0; h < S; h++) {
      if (index.zoneOfStation[h] !== z) continue;
      const gain = extraOfficerGain(index, unmet, zoneCapped, h);
      if (best == null || gain.weightedUnmetReduction > best.weightedUnmetReduction) {
        best = { kind: 'extra_officer', zoneId: problem.zones[z]!.id, homeStation: problem.stations[h]!.code, ...gain };
      }
    }
    if (best != null && best.weightedUnmetReduction > 0) out.push(best);
  }

  if (out.length === 0) out.push({ kind: 'all_met', demanded });
  return out;
}

/**
 * The best rest-rule-abiding schedule of one extra fully available, fully qualified officer with
 * home station h, filling the most valuable unmet seat in range in each worked slot. Dynamic
 * programme over slots with state (current block length c, free slots since the last block g).
 */
function extraOfficerGain(
  index: IndexedProblem,
  unmet: Float64Array,
  zoneCapped: (z: number, t: number) => boolean,
  h: number,
): Omit<ExtraOfficerExplanation, 'kind' | 'zoneId' | 'homeStation'> {
  const { problem, S, T, D } = index;
  const K = problem.restRules.maxConsecutiveShifts;
  const R = problem.restRules.minRestShiftsBetweenBlocks;
  const value = new Float64Array(T);
  const seat = new Int32Array(T).fill(-1);
  for (let t = 0; t < T; t++) {
    let bestTravel = Infinity;
    for (let s = 0; s < S; s++) {
      const travel = index.travel[h * S + s]!;
      if (travel > problem.maxTravelSeconds || zoneCapped(index.zoneOfStation[s]!, t)) continue;
      for (let d = 0; d < D; d++) {
        const cell = (s * T + t) * D + d;
        if (unmet[cell]! <= 0) continue;
        const w = index.weight[d]!;
        if (w > value[t]! || (w === value[t]! && travel < bestTravel)) {
          value[t] = w;
          seat[t] = cell;
          bestTravel = travel;
        }
      }
    }
  }
  // state = c (1..K) while working, or K + 1 + g (g = 0..R free slots since the last block, R = rested).
  const states = K + 2 + R;
  const rested = K + 1 + R;
  const score = Array.from({ length: T + 1 }, () => new Float64Array(states).fill(-Infinity));
  const from = Array.from({ length: T + 1 }, () => new Int32Array(states).fill(-1));
  score[0]![rested] = 0;
  for (let t = 0; t < T; t++) {
    for (let state = 0; state < states; state++) {
      const here = score[t]![state]!;
      if (here === -Infinity) continue;
      const relax = (to: number, gained: number) => {
        if (here + gained > score[t + 1]![to]!) {
          score[t + 1]![to] = here + gained;
          from[t + 1]![to] = state;
        }
      };
      const working = state >= 1 && state <= K;
      const g = working ? 0 : state - (K + 1);
      relax(working ? K + 2 : K + 1 + Math.min(R, g + 1), 0);
      if (value[t]! > 0) {
        if (working && state < K) relax(state + 1, value[t]!);
        if (!working && g >= R) relax(1, value[t]!);
      }
    }
  }
  let end = 0;
  for (let state = 1; state < states; state++) if (score[T]![state]! > score[T]![end]!) end = state;
  const shifts: ExtraOfficerExplanation['shifts'] = [];
  for (let t = T, state = end; t > 0; t--) {
    const prev = from[t]![state]!;
    if (state >= 1 && state <= K) {
      const cell = seat[t - 1]!;
      const s = Math.floor(cell / (T * D));
      shifts.push({
        day: Math.floor((t - 1) / problem.shiftsPerDay),
        shift: (t - 1) % problem.shiftsPerDay,
        stationCode: problem.stations[s]!.code,
        dutyId: problem.duties[cell % D]!.id,
      });
    }
    state = prev;
  }
  shifts.reverse();
  return { officerShifts: shifts.length, weightedUnmetReduction: Math.max(0, score[T]![end]!), shifts };
}
