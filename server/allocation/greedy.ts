import { canAlsoWork, type IndexedProblem, indexProblem, isQualified } from './indexed.js';
import { type AllocationProblem } from './problem.js';
import { type Assignment, assignmentsOf, type PlanArrays, type PlanScore, scorePlan } from './score.js';

/** The greedy plan and its score (the same scorer as the optimum). */
export interface GreedyResult extends PlanScore {
  assignments: Assignment[];
}

/**
 * Shares `seats` among claims in proportion to them by largest remainder (Hamilton), never giving
 * a claim more than itself. Ties in the remainder go to the larger claim, then the earlier one.
 */
export function largestRemainder(claims: readonly number[], seats: number): number[] {
  const total = claims.reduce((a, b) => a + b, 0);
  if (total <= seats) return [...claims];
  if (seats <= 0) return claims.map(() => 0);
  const quotas = claims.map((c) => (c * seats) / total);
  const shares = quotas.map(Math.floor);
  let left = seats - shares.reduce((a, b) => a + b, 0);
  const order = claims
    .map((_, i) => i)
    .sort((a, b) => quotas[b]! - shares[b]! - (quotas[a]! - shares[a]!) || claims[b]! - claims[a]! || a - b);
  for (const i of order) {
    if (left <= 0) break;
    if (shares[i]! < claims[i]!) {
      shares[i]!++;
      left--;
    }
  }
  return shares;
}

/**
 * The baseline a commander could do by hand, as a feasible plan for the same pool. Slot by slot, in
 * time order:
 * 1. the pool is the officers available in the slot whom the rest rules (given their earlier posts)
 *    still allow to work;
 * 2. its size is shared among the stations in proportion to their total demand in the slot, by
 *    largest remainder (never above a station's demand), then cut to each zone cap the same way;
 * 3. each station's share goes to its duties in priority order; restricted duties (traffic) take
 *    the nearest qualified officers in drive range, the others the nearest unqualified, then
 *    qualified, officers in range; seats nobody in range can fill stay empty.
 *
 * What it ignores, on purpose: duty priority across stations (shares follow total demand, not
 * weighted demand); the future (an officer used now may be missing at a later peak); re-routing
 * officers left over when a station's share cannot be filled in range; zone minimums and station
 * minimum covers; fairness; travel beyond "nearest first". It honours every hard rule
 * (availability, one post, rest, drive limit, qualification, zone caps), so it is a feasible plan
 * of the MILP and its weighted unmet can never beat the optimum's when no minimums bind.
 */
export function greedyPlan(index: IndexedProblem): PlanArrays {
  const { S, T, D, O, Z, problem } = index;
  const post = new Int32Array(O * T).fill(-1);
  const duty = new Int32Array(O * T).fill(-1);
  const worked = Array.from({ length: O }, () => new Uint8Array(T));
  const dutyOrder = Array.from({ length: D }, (_, d) => d).sort((a, b) => index.weight[b]! - index.weight[a]! || a - b);

  for (let t = 0; t < T; t++) {
    const pool: number[] = [];
    for (let o = 0; o < O; o++) {
      if (index.available[o * T + t] && canAlsoWork(worked[o]!, t, problem.restRules)) pool.push(o);
    }
    const stationDemand = Array.from({ length: S }, (_, s) => {
      let total = 0;
      for (let d = 0; d < D; d++) total += index.demand[(s * T + t) * D + d]!;
      return total;
    });
    const shares = largestRemainder(stationDemand, pool.length);
    for (let z = 0; z < Z; z++) {
      const cap = index.zoneMax[z * T + t]!;
      const members = Array.from({ length: S }, (_, s) => s).filter((s) => index.zoneOfStation[s] === z);
      const inZone = members.reduce((sum, s) => sum + shares[s]!, 0);
      if (inZone <= cap) continue;
      const cut = largestRemainder(
        members.map((s) => shares[s]!),
        cap,
      );
      members.forEach((s, k) => (shares[s] = cut[k]!));
    }

    // Stations with the fewest officers in range choose first.
    const inRangeCount = (s: number) => pool.filter((o) => index.inRange[o * S + s]).length;
    const stationOrder = Array.from({ length: S }, (_, s) => s)
      .filter((s) => shares[s]! > 0)
      .sort((a, b) => inRangeCount(a) - inRangeCount(b) || a - b);
    const taken = new Set<number>();
    for (const s of stationOrder) {
      let seats = shares[s]!;
      const want = new Array<number>(D).fill(0);
      for (const d of dutyOrder) {
        want[d] = Math.min(index.demand[(s * T + t) * D + d]!, seats);
        seats -= want[d]!;
      }
      const nearest = pool
        .filter((o) => !taken.has(o) && index.inRange[o * S + s])
        .sort((a, b) => index.travel[index.home[a]! * S + s]! - index.travel[index.home[b]! * S + s]! || a - b);
      const place = (o: number, d: number) => {
        taken.add(o);
        post[o * T + t] = s;
        duty[o * T + t] = d;
        worked[o]![t] = 1;
      };
      // Restricted duties first, so unrestricted ones do not use up the qualified officers.
      const restrictedFirst = [...dutyOrder].sort(
        (a, b) => Number(index.dutyBit[b]! > 0) - Number(index.dutyBit[a]! > 0),
      );
      for (const d of restrictedFirst) {
        const restricted = index.dutyBit[d]! > 0;
        const candidates = restricted
          ? nearest.filter((o) => isQualified(index, o, d))
          : [
              ...nearest.filter((o) => index.qualifiedMask[o] === 0),
              ...nearest.filter((o) => index.qualifiedMask[o] !== 0),
            ];
        for (const o of candidates) {
          if (want[d]! <= 0) break;
          if (taken.has(o)) continue;
          place(o, d);
          want[d]!--;
        }
      }
    }
  }
  return { post, duty };
}

/** Runs the greedy baseline on a problem and scores it like the optimum. */
export function greedyAllocation(
  problem: AllocationProblem,
  index: IndexedProblem = indexProblem(problem),
): GreedyResult {
  const plan = greedyPlan(index);
  return { ...scorePlan(index, plan), assignments: assignmentsOf(index, plan) };
}
