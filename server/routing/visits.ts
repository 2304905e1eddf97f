/**
 * Backpack policing (背包警务): the order in which a station's team visits its no-trip villages
 * (免跑村), over one or several working days, each day leaving from and returning to the station.
 *
 * This is a vehicle-routing problem with a time budget per route (a distance-constrained VRP)
 * over a possibly asymmetric drive-time matrix: uphill is slower than downhill. It is solved
 * heuristically and deterministically:
 *   1. construction by sequential cheapest insertion (days filled one after another), twice:
 *      each day seeded by its nearest place and by its farthest place (Solomon's I1 seed);
 *   2. local search on each plan, repeated until nothing improves: 2-opt inside a day (the true
 *      reversed cost is used, as a reversed segment is driven the other way), Or-opt (a chain of
 *      1–3 stops moved, possibly reversed, within its day or to another day), placing places
 *      that were left over for lack of days, and emptying the lightest day into the others;
 *      2-opt* and exchange between days are tried when those find nothing;
 *   3. the nearest-neighbour baseline, improved the same way, is a third candidate.
 * The best of the three is returned: most places visited, then fewest days, then least driving.
 * As the baseline is among the candidates, the plan is never worse than it in that order.
 *
 * Sums are taken in visiting order (drive station → stop 1 → … → station, service stop 1 → …),
 * so a caller that re-adds the same numbers in the same order gets the same totals to the bit.
 */

/** The planning input: a drive-time matrix over the station (index 0) and its villages. */
export interface VisitProblem {
  /** Drive seconds between places, row-major size×size (from row to column); index 0 is the station, 1..size−1 the villages. May be asymmetric (uphill ≠ downhill). Infinity = unreachable. */
  driveSeconds: Float64Array;
  /** Number of places, station included. */
  size: number;
  /** Service time at each place (index 0 ignored). */
  serviceSeconds: Float64Array;
  /** Working time available per day (drive + service), e.g. 8 h = 28 800. */
  dayBudgetSeconds: number;
  /** Optional cap on the number of days; places that do not fit are reported, not dropped silently. */
  maxDays?: number;
}

/** One working day: the villages in visiting order (station not listed) and its times. */
export interface VisitDay {
  stops: number[];
  driveSeconds: number;
  serviceSeconds: number;
  /** driveSeconds + serviceSeconds; never above the day budget. */
  totalSeconds: number;
}

/** Why a place is not in any day. */
export type UnplacedReason = 'unreachable' | 'exceeds_day' | 'no_days_left';

/** A place left out of the plan, with why and (where it applies) the seconds its visit alone needs. */
export interface UnplacedPlace {
  place: number;
  /**
   * 'unreachable': no finite drive from the station to it or back; 'exceeds_day': the round trip
   * station → place → station plus its service alone is over the budget; 'no_days_left': it fits
   * a day but maxDays are all full.
   */
  reason: UnplacedReason;
  /** Round trip + service of a visit on its own (absent for 'unreachable'). */
  neededSeconds?: number;
}

/** The plan: the days, what is left out and why, totals, and the nearest-neighbour baseline for comparison. */
export interface VisitPlan {
  days: VisitDay[];
  /** Every place 1..size−1 is either in exactly one day or here, in place order. */
  unplaced: UnplacedPlace[];
  totalDriveSeconds: number;
  totalServiceSeconds: number;
  /** The nearest-neighbour plan on the same input (same budget and maxDays). */
  baseline: { days: number; totalDriveSeconds: number; placedCount: number };
}

/** Improvements smaller than this (seconds) are rounding noise, not progress; also stops cycling. */
const EPS_SECONDS = 1e-6;
/** Longest chain of consecutive stops an Or-opt move carries (Or 1976 used 3). */
const OR_OPT_MAX_CHAIN = 3;

/** A day under construction: the route with the station at both ends, and its exact sums. */
interface Day {
  route: number[];
  driveSeconds: number;
  serviceSeconds: number;
}

interface Context {
  drive: Float64Array;
  size: number;
  service: Float64Array;
  budget: number;
  maxDays: number;
}

/** A plan in progress: its days and the places that fit a day but found none yet. */
interface State {
  days: Day[];
  pending: number[];
}

/** Plans the visits of one team from its station; see the module comment for the method. */
export function planVisits(problem: VisitProblem): VisitPlan {
  validate(problem);
  const ctx: Context = {
    drive: problem.driveSeconds,
    size: problem.size,
    service: problem.serviceSeconds,
    budget: problem.dayBudgetSeconds,
    maxDays: problem.maxDays ?? Infinity,
  };
  const { eligible, unplaced } = classifyPlaces(ctx);

  const baseline = nearestNeighbourPlan(ctx, eligible);
  const candidates = [
    insertionPlan(ctx, eligible, 'nearest'),
    insertionPlan(ctx, eligible, 'farthest'),
    cloneState(baseline),
  ];
  let best: State | null = null;
  for (const candidate of candidates) {
    improve(ctx, candidate);
    if (best === null || isBetter(candidate, best)) best = candidate;
  }
  const chosen = best!;

  for (const place of chosen.pending) {
    unplaced.push({ place, reason: 'no_days_left', neededSeconds: roundTripSeconds(ctx, place) });
  }
  unplaced.sort((a, b) => a.place - b.place);
  const days = chosen.days.map((day) => ({
    stops: day.route.slice(1, -1),
    driveSeconds: day.driveSeconds,
    serviceSeconds: day.serviceSeconds,
    totalSeconds: day.driveSeconds + day.serviceSeconds,
  }));
  return {
    days,
    unplaced,
    totalDriveSeconds: sumOf(days.map((day) => day.driveSeconds)),
    totalServiceSeconds: sumOf(days.map((day) => day.serviceSeconds)),
    baseline: {
      days: baseline.days.length,
      totalDriveSeconds: sumOf(baseline.days.map((day) => day.driveSeconds)),
      placedCount: placedCount(baseline),
    },
  };
}

/** Base time of a village visit, in minutes: park, meet the village cadre, set up and pack up the mobile desk. */
export const VISIT_BASE_MINUTES = 30;

/**
 * Expected minutes per listed person per visit = share who need the police on a given visit ×
 * minutes per service. First estimates for the demo county, to be calibrated from visit logs
 * (the seed's 420 services in eight years are far fewer than one per person per visit).
 */
export const VISIT_MINUTES_PER_PERSON = {
  /** About one in forty needs an ID-card or household-registration service, ~10 min each. */
  aged70Plus: 0.25,
  /** About one in ten, ~10 min, and served at home: they cannot come to the village hall. */
  disabled: 1,
  /** Safety and anti-fraud advice is given to the group together; individual matters are rare. */
  leftBehind: 0.25,
  /** Occasional certificates and disputes. */
  lowIncome: 0.5,
  /** People under assistance or supervision (帮扶帮教) are seen one to one at every visit. */
  needsAssistance: 3,
} as const;

/**
 * Longest visit to one village, in minutes: about a third of a working day, the rest waits for
 * the next visit. Any village up to 2 h 45 min away still fits an 8-hour day with a capped visit.
 */
export const VISIT_MAX_MINUTES = 150;

/** Head counts of a village's five no-trip groups (五类免跑群体). */
export interface NoTripGroupCounts {
  aged70Plus: number;
  disabled: number;
  leftBehind: number;
  lowIncome: number;
  needsAssistance: number;
}

/** Service seconds for a village visit from its no-trip group counts: base + minutes per person, capped (constants above). */
export function visitServiceSeconds(groups: NoTripGroupCounts): number {
  let minutes = VISIT_BASE_MINUTES;
  for (const group of Object.keys(VISIT_MINUTES_PER_PERSON) as (keyof NoTripGroupCounts)[]) {
    const count = groups[group];
    if (!(count >= 0) || !Number.isFinite(count)) {
      throw new RangeError(`A no-trip group count must be a finite number ≥ 0 (got ${group} = ${count})`);
    }
    minutes += count * VISIT_MINUTES_PER_PERSON[group];
  }
  return Math.min(minutes, VISIT_MAX_MINUTES) * 60;
}

function validate(problem: VisitProblem): void {
  const { size, driveSeconds, serviceSeconds, dayBudgetSeconds, maxDays } = problem;
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`size must be an integer ≥ 1 (got ${size})`);
  if (driveSeconds.length !== size * size) {
    throw new RangeError(`driveSeconds must hold size² = ${size * size} values (got ${driveSeconds.length})`);
  }
  if (serviceSeconds.length !== size) {
    throw new RangeError(`serviceSeconds must hold size = ${size} values (got ${serviceSeconds.length})`);
  }
  if (!(dayBudgetSeconds > 0) || !Number.isFinite(dayBudgetSeconds)) {
    throw new RangeError(`dayBudgetSeconds must be finite and > 0 (got ${dayBudgetSeconds})`);
  }
  if (maxDays !== undefined && !(Number.isInteger(maxDays) && maxDays >= 0)) {
    throw new RangeError(`maxDays must be an integer ≥ 0 (got ${maxDays})`);
  }
  // Infinity is the documented "no road"; NaN or a negative time is a bug upstream.
  for (let k = 0; k < driveSeconds.length; k++) {
    if (!(driveSeconds[k]! >= 0)) throw new RangeError(`driveSeconds[${k}] must be ≥ 0 or Infinity`);
  }
  for (let place = 1; place < size; place++) {
    const seconds = serviceSeconds[place]!;
    if (!(seconds >= 0) || !Number.isFinite(seconds)) {
      throw new RangeError(`serviceSeconds[${place}] must be finite and ≥ 0 (got ${seconds})`);
    }
  }
}

/** Station → place → station + service at the place: the least a day containing it costs. */
function roundTripSeconds(ctx: Context, place: number): number {
  return ctx.drive[place]! + ctx.service[place]! + ctx.drive[place * ctx.size]!;
}

/** Splits places into those that fit a day on their own and those that can never be visited. */
function classifyPlaces(ctx: Context): { eligible: number[]; unplaced: UnplacedPlace[] } {
  const eligible: number[] = [];
  const unplaced: UnplacedPlace[] = [];
  for (let place = 1; place < ctx.size; place++) {
    const neededSeconds = roundTripSeconds(ctx, place);
    if (neededSeconds === Infinity) unplaced.push({ place, reason: 'unreachable' });
    else if (neededSeconds > ctx.budget) unplaced.push({ place, reason: 'exceeds_day', neededSeconds });
    else eligible.push(place);
  }
  return { eligible, unplaced };
}

function sumOf(values: readonly number[]): number {
  let total = 0;
  for (const value of values) total += value;
  return total;
}

/** Builds a day from a route (station at both ends) with its sums taken in visiting order. */
function makeDay(ctx: Context, route: number[]): Day {
  const { drive, size, service } = ctx;
  let driveSeconds = 0;
  let serviceSeconds = 0;
  // An empty day [0, 0] drives nothing, whatever the matrix diagonal says.
  for (let t = 0; t + 1 < route.length && route.length > 2; t++)
    driveSeconds += drive[route[t]! * size + route[t + 1]!]!;
  for (let t = 1; t + 1 < route.length; t++) serviceSeconds += service[route[t]!]!;
  return { route, driveSeconds, serviceSeconds };
}

function fits(ctx: Context, day: Day): boolean {
  return day.driveSeconds + day.serviceSeconds <= ctx.budget;
}

function cloneState(state: State): State {
  return { days: state.days.map((day) => ({ ...day, route: day.route.slice() })), pending: state.pending.slice() };
}

function totalDrive(state: State): number {
  return sumOf(state.days.map((day) => day.driveSeconds));
}

function placedCount(state: State): number {
  return state.days.reduce((count, day) => count + day.route.length - 2, 0);
}

/** The objective: more places visited, then fewer days, then less driving. */
function isBetter(a: State, b: State): boolean {
  const placedA = placedCount(a);
  const placedB = placedCount(b);
  if (placedA !== placedB) return placedA > placedB;
  if (a.days.length !== b.days.length) return a.days.length < b.days.length;
  return totalDrive(a) < totalDrive(b) - EPS_SECONDS;
}

/**
 * The baseline: from the station, always drive to the nearest unvisited place; when that place
 * plus the drive home would pass the budget, go home and start a new day.
 */
function nearestNeighbourPlan(ctx: Context, eligible: readonly number[]): State {
  const { drive, size, service, budget } = ctx;
  const left = new Set(eligible);
  const days: Day[] = [];
  while (left.size > 0 && days.length < ctx.maxDays) {
    const route = [0];
    let usedSeconds = 0;
    for (;;) {
      const here = route[route.length - 1]!;
      let next = -1;
      for (const place of left) {
        if (next < 0 || drive[here * size + place]! < drive[here * size + next]!) next = place;
      }
      if (next < 0) break;
      // From the station the nearest eligible place always fits, so no day stays empty.
      const withNext = usedSeconds + drive[here * size + next]! + service[next]!;
      if (!(withNext + drive[next * size]! <= budget)) break;
      route.push(next);
      left.delete(next);
      usedSeconds = withNext;
    }
    route.push(0);
    days.push(makeDay(ctx, route));
  }
  return { days, pending: [...left] };
}

/** Where a place would go: the day's index and the route position it would take. */
interface Insertion {
  place: number;
  day: number;
  position: number;
}

/**
 * The insertion of one of `places` into one of `days` that adds the least drive and keeps the
 * day within budget; the winner is re-checked with exact sums (a sum of deltas may round).
 */
function cheapestInsertion(ctx: Context, days: readonly Day[], places: readonly number[]): Insertion | null {
  const { drive, size, service, budget } = ctx;
  const banned = new Set<string>();
  for (;;) {
    let best: Insertion | null = null;
    let bestDelta = Infinity;
    for (let d = 0; d < days.length; d++) {
      const { route, driveSeconds, serviceSeconds } = days[d]!;
      const usedSeconds = driveSeconds + serviceSeconds;
      for (const place of places) {
        const room = budget - usedSeconds - service[place]!;
        for (let position = 1; position < route.length; position++) {
          const a = route[position - 1]!;
          const b = route[position]!;
          const open = route.length === 2 ? 0 : drive[a * size + b]!;
          const delta = drive[a * size + place]! + drive[place * size + b]! - open;
          if (delta < bestDelta && delta <= room && !banned.has(`${place}:${d}:${position}`)) {
            bestDelta = delta;
            best = { place, day: d, position };
          }
        }
      }
    }
    if (best === null) return null;
    const route = days[best.day]!.route.slice();
    route.splice(best.position, 0, best.place);
    if (fits(ctx, makeDay(ctx, route))) return best;
    banned.add(`${best.place}:${best.day}:${best.position}`);
  }
}

function applyInsertion(ctx: Context, days: Day[], insertion: Insertion): void {
  const route = days[insertion.day]!.route.slice();
  route.splice(insertion.position, 0, insertion.place);
  days[insertion.day] = makeDay(ctx, route);
}

/**
 * Sequential cheapest insertion: open a day, seed it, keep inserting the place whose best
 * position adds the least drive while the day stays within budget, then open the next day.
 * 'nearest' seeds with nothing (the first insertion is then the cheapest round trip);
 * 'farthest' seeds with the longest round trip, so far places anchor their own days early.
 */
function insertionPlan(ctx: Context, eligible: readonly number[], seed: 'nearest' | 'farthest'): State {
  const left = eligible.slice();
  const days: Day[] = [];
  while (left.length > 0 && days.length < ctx.maxDays) {
    const today: Day[] = [makeDay(ctx, [0, 0])];
    if (seed === 'farthest') {
      let far = 0;
      for (let k = 1; k < left.length; k++) {
        if (roundTripSeconds(ctx, left[k]!) > roundTripSeconds(ctx, left[far]!)) far = k;
      }
      today[0] = makeDay(ctx, [0, left[far]!, 0]);
      left.splice(far, 1);
    }
    for (;;) {
      const insertion = cheapestInsertion(ctx, today, left);
      if (insertion === null) break;
      applyInsertion(ctx, today, insertion);
      left.splice(left.indexOf(insertion.place), 1);
    }
    days.push(today[0]!);
  }
  return { days, pending: left };
}

/** Local search until no move improves the objective; every accepted move strictly improves it, so this ends. */
function improve(ctx: Context, state: State): void {
  for (;;) {
    let improved = false;
    for (let d = 0; d < state.days.length; d++) {
      if (twoOpt(ctx, state.days, d)) improved = true;
    }
    if (orOpt(ctx, state.days)) improved = true;
    if (!improved && crossDays(ctx, state.days)) improved = true;
    if (improved) continue;
    if (placePending(ctx, state)) continue;
    if (emptyOneDay(ctx, state)) continue;
    return;
  }
}

/**
 * 2-opt inside day `d`: reverse the stops a..b when that shortens the day. With an asymmetric
 * matrix the reversed segment is driven the other way, so its own cost is summed anew, not
 * assumed equal (the symmetric textbook delta would be wrong).
 */
function twoOpt(ctx: Context, days: Day[], d: number): boolean {
  const { drive, size } = ctx;
  let improvedAny = false;
  scan: for (;;) {
    const { route, driveSeconds } = days[d]!;
    const stops = route.length - 2;
    for (let a = 1; a < stops; a++) {
      let forwardSeconds = 0;
      let reversedSeconds = 0;
      for (let b = a + 1; b <= stops; b++) {
        forwardSeconds += drive[route[b - 1]! * size + route[b]!]!;
        reversedSeconds += drive[route[b]! * size + route[b - 1]!]!;
        const p = route[a - 1]!;
        const q = route[b + 1]!;
        const before = drive[p * size + route[a]!]! + forwardSeconds + drive[route[b]! * size + q]!;
        const after = drive[p * size + route[b]!]! + reversedSeconds + drive[route[a]! * size + q]!;
        if (!(after - before < -EPS_SECONDS)) continue;
        const candidate = route.slice(0, a).concat(route.slice(a, b + 1).reverse(), route.slice(b + 1));
        const day = makeDay(ctx, candidate);
        if (day.driveSeconds < driveSeconds - EPS_SECONDS) {
          days[d] = day;
          improvedAny = true;
          continue scan;
        }
      }
    }
    return improvedAny;
  }
}

/**
 * Or-opt: move a chain of 1–3 consecutive stops, forwards or reversed, to another position of
 * its day or of another day, when that lowers the total drive (or empties its day) and keeps
 * both days within budget. Applies the first improving move found; returns whether it did.
 */
function orOpt(ctx: Context, days: Day[]): boolean {
  const { drive, size, service, budget } = ctx;
  for (let from = 0; from < days.length; from++) {
    const source = days[from]!;
    const route = source.route;
    const stops = route.length - 2;
    for (let length = 1; length <= Math.min(OR_OPT_MAX_CHAIN, stops); length++) {
      for (let i = 1; i + length - 1 <= stops; i++) {
        const p = route[i - 1]!;
        const q = route[i + length]!;
        const first = route[i]!;
        const last = route[i + length - 1]!;
        let chainForward = 0;
        let chainReversed = 0;
        let chainService = 0;
        for (let t = i; t < i + length; t++) {
          chainService += service[route[t]!]!;
          if (t + 1 < i + length) {
            chainForward += drive[route[t]! * size + route[t + 1]!]!;
            chainReversed += drive[route[t + 1]! * size + route[t]!]!;
          }
        }
        const chain = route.slice(i, i + length);
        const rest = route.slice(0, i).concat(route.slice(i + length));
        const emptiesDay = length === stops;
        const removeDelta = emptiesDay
          ? -source.driveSeconds
          : drive[p * size + q]! - drive[p * size + first]! - chainForward - drive[last * size + q]!;

        for (let to = 0; to < days.length; to++) {
          if (to === from && emptiesDay) continue;
          const target = to === from ? rest : days[to]!.route;
          // Seconds the target day may still take on, besides the chain's service.
          const room =
            to === from
              ? budget - source.driveSeconds - source.serviceSeconds - removeDelta
              : budget - days[to]!.driveSeconds - days[to]!.serviceSeconds - chainService;
          const sourceFits =
            to === from ||
            emptiesDay ||
            source.driveSeconds + removeDelta + source.serviceSeconds - chainService <= budget;
          if (!sourceFits) continue;
          for (let position = 1; position < target.length; position++) {
            const a = target[position - 1]!;
            const b = target[position]!;
            const open = drive[a * size + b]!;
            for (const reversed of length > 1 ? [false, true] : [false]) {
              // Putting the chain back where it was, unreversed, is no move.
              if (to === from && position === i && !reversed) continue;
              const insertDelta = reversed
                ? drive[a * size + last]! + chainReversed + drive[first * size + b]! - open
                : drive[a * size + first]! + chainForward + drive[last * size + b]! - open;
              if (!(insertDelta <= room)) continue;
              if (!emptiesDay && !(removeDelta + insertDelta < -EPS_SECONDS)) continue;
              const moved = reversed ? chain.slice().reverse() : chain;
              const newTarget = target.slice(0, position).concat(moved, target.slice(position));
              if (tryApplyMove(ctx, days, from, to, rest, newTarget, emptiesDay)) return true;
            }
          }
        }
      }
    }
  }
  return false;
}

/** Commits an Or-opt move if the exact sums confirm it: both days within budget, and less drive or one day fewer. */
function tryApplyMove(
  ctx: Context,
  days: Day[],
  from: number,
  to: number,
  rest: number[],
  newTarget: number[],
  emptiesDay: boolean,
): boolean {
  const targetDay = makeDay(ctx, newTarget);
  if (!fits(ctx, targetDay)) return false;
  if (to === from) {
    if (!(targetDay.driveSeconds < days[from]!.driveSeconds - EPS_SECONDS)) return false;
    days[from] = targetDay;
    return true;
  }
  if (emptiesDay) {
    days[to] = targetDay;
    days.splice(from, 1);
    return true;
  }
  const sourceDay = makeDay(ctx, rest);
  if (!fits(ctx, sourceDay)) return false;
  const before = days[from]!.driveSeconds + days[to]!.driveSeconds;
  if (!(sourceDay.driveSeconds + targetDay.driveSeconds < before - EPS_SECONDS)) return false;
  days[from] = sourceDay;
  days[to] = targetDay;
  return true;
}

/** Prefix sums along a route: drive to reach position k, and service of the stops up to k. */
function prefixSums(ctx: Context, route: readonly number[]): { driveTo: Float64Array; serviceTo: Float64Array } {
  const driveTo = new Float64Array(route.length);
  const serviceTo = new Float64Array(route.length);
  for (let k = 1; k < route.length; k++) {
    driveTo[k] = driveTo[k - 1]! + ctx.drive[route[k - 1]! * ctx.size + route[k]!]!;
    serviceTo[k] = serviceTo[k - 1]! + (k < route.length - 1 ? ctx.service[route[k]!]! : 0);
  }
  return { driveTo, serviceTo };
}

/**
 * Moves between two days, beyond Or-opt: 2-opt* (the days swap their tails; no stop changes
 * direction, so asymmetry is no trap; a tail swap that leaves one day empty merges two days)
 * and exchange (a stop of one day swaps places with a stop of the other). First improving
 * move is applied; returns whether one was.
 */
function crossDays(ctx: Context, days: Day[]): boolean {
  const { drive, size, service, budget } = ctx;
  for (let x = 0; x < days.length; x++) {
    for (let y = x + 1; y < days.length; y++) {
      const r = days[x]!.route;
      const s = days[y]!.route;
      const before = days[x]!.driveSeconds + days[y]!.driveSeconds;
      const pr = prefixSums(ctx, r);
      const ps = prefixSums(ctx, s);
      const rEnd = r.length - 1;
      const sEnd = s.length - 1;
      // 2-opt*: x keeps r[0..i] then drives on to s[j+1..]; y keeps s[0..j] then r[i+1..].
      for (let i = 0; i < rEnd; i++) {
        for (let j = 0; j < sEnd; j++) {
          if ((i === 0 && j === 0) || (i === rEnd - 1 && j === sEnd - 1)) continue; // the same two days
          const xEmpty = i === 0 && j === sEnd - 1;
          const yEmpty = j === 0 && i === rEnd - 1;
          const xDrive = xEmpty
            ? 0
            : pr.driveTo[i]! + drive[r[i]! * size + s[j + 1]!]! + ps.driveTo[sEnd]! - ps.driveTo[j + 1]!;
          const yDrive = yEmpty
            ? 0
            : ps.driveTo[j]! + drive[s[j]! * size + r[i + 1]!]! + pr.driveTo[rEnd]! - pr.driveTo[i + 1]!;
          const xService = pr.serviceTo[i]! + ps.serviceTo[sEnd]! - ps.serviceTo[j]!;
          const yService = ps.serviceTo[j]! + pr.serviceTo[rEnd]! - pr.serviceTo[i]!;
          if (!(xDrive + xService <= budget && yDrive + yService <= budget)) continue;
          const merges = xEmpty || yEmpty;
          if (!merges && !(xDrive + yDrive < before - EPS_SECONDS)) continue;
          const xRoute = r.slice(0, i + 1).concat(s.slice(j + 1));
          const yRoute = s.slice(0, j + 1).concat(r.slice(i + 1));
          if (tryReplacePair(ctx, days, x, y, xRoute, yRoute, merges)) return true;
        }
      }
      // Exchange r[i] with s[j].
      for (let i = 1; i < rEnd; i++) {
        const u = r[i]!;
        const uOut = drive[r[i - 1]! * size + u]! + drive[u * size + r[i + 1]!]!;
        for (let j = 1; j < sEnd; j++) {
          const v = s[j]!;
          const vOut = drive[s[j - 1]! * size + v]! + drive[v * size + s[j + 1]!]!;
          const xDelta = drive[r[i - 1]! * size + v]! + drive[v * size + r[i + 1]!]! - uOut;
          const yDelta = drive[s[j - 1]! * size + u]! + drive[u * size + s[j + 1]!]! - vOut;
          if (!(xDelta + yDelta < -EPS_SECONDS)) continue;
          const serviceShift = service[v]! - service[u]!;
          const xFits = days[x]!.driveSeconds + xDelta + days[x]!.serviceSeconds + serviceShift <= budget;
          const yFits = days[y]!.driveSeconds + yDelta + days[y]!.serviceSeconds - serviceShift <= budget;
          if (!(xFits && yFits)) continue;
          const xRoute = r.slice();
          const yRoute = s.slice();
          xRoute[i] = v;
          yRoute[j] = u;
          if (tryReplacePair(ctx, days, x, y, xRoute, yRoute, false)) return true;
        }
      }
    }
  }
  return false;
}

/** Commits new routes for days x < y if exact sums confirm: both within budget, and less drive or (merging) one day fewer. */
function tryReplacePair(
  ctx: Context,
  days: Day[],
  x: number,
  y: number,
  xRoute: number[],
  yRoute: number[],
  merges: boolean,
): boolean {
  const xDay = makeDay(ctx, xRoute);
  const yDay = makeDay(ctx, yRoute);
  if (!fits(ctx, xDay) || !fits(ctx, yDay)) return false;
  const before = days[x]!.driveSeconds + days[y]!.driveSeconds;
  if (!merges && !(xDay.driveSeconds + yDay.driveSeconds < before - EPS_SECONDS)) return false;
  days[x] = xDay;
  days[y] = yDay;
  // Remove the emptied day (higher index first so the other stays put).
  for (const d of [y, x]) if (days[d]!.route.length === 2) days.splice(d, 1);
  return true;
}

/**
 * Places left over for lack of days go into any day with room (cheapest insertion), or into a
 * new day if a day has been freed. Visiting one more place outranks any drive saved.
 */
function placePending(ctx: Context, state: State): boolean {
  let placedAny = false;
  while (state.pending.length > 0) {
    const insertion = cheapestInsertion(ctx, state.days, state.pending);
    if (insertion !== null) {
      applyInsertion(ctx, state.days, insertion);
      state.pending.splice(state.pending.indexOf(insertion.place), 1);
    } else if (state.days.length < ctx.maxDays) {
      state.days.push(makeDay(ctx, [0, 0]));
      const opening = cheapestInsertion(ctx, state.days.slice(-1), state.pending)!;
      applyInsertion(ctx, state.days, { ...opening, day: state.days.length - 1 });
      state.pending.splice(state.pending.indexOf(opening.place), 1);
    } else {
      break;
    }
    placedAny = true;
  }
  return placedAny;
}

/**
 * Tries to dissolve one day, lightest (least working time) first, by inserting its stops one by
 * one into the other days (cheapest insertion within budget). One day fewer outranks the drive
 * that may cost. Returns whether a day was removed.
 */
function emptyOneDay(ctx: Context, state: State): boolean {
  if (state.days.length < 2) return false;
  const order = state.days
    .map((day, index) => ({ index, seconds: day.driveSeconds + day.serviceSeconds }))
    .sort((a, b) => a.seconds - b.seconds || a.index - b.index);
  for (const { index } of order) {
    const others = state.days.filter((_, d) => d !== index);
    const stops = state.days[index]!.route.slice(1, -1);
    while (stops.length > 0) {
      const insertion = cheapestInsertion(ctx, others, stops);
      if (insertion === null) break;
      applyInsertion(ctx, others, insertion);
      stops.splice(stops.indexOf(insertion.place), 1);
    }
    if (stops.length === 0) {
      state.days = others;
      return true;
    }
  }
  return false;
}
