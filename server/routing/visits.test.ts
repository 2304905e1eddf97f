import { describe, expect, it } from 'vitest';
import { Random } from '../county/generate/random.js';
import {
  type NoTripGroupCounts,
  type VisitPlan,
  type VisitProblem,
  VISIT_MAX_MINUTES,
  planVisits,
  visitServiceSeconds,
} from './visits.js';

const MINUTE = 60;
const EIGHT_HOURS = 8 * 60 * MINUTE;

/** A drive matrix from a function of (from, to) in minutes, stored in seconds. */
function minutesMatrix(size: number, minutes: (from: number, to: number) => number): Float64Array {
  const seconds = new Float64Array(size * size);
  for (let i = 0; i < size; i++) for (let j = 0; j < size; j++) seconds[i * size + j] = minutes(i, j) * MINUTE;
  return seconds;
}

/**
 * Plans a frozen problem and checks that the typed arrays (which cannot be frozen) come back
 * unchanged, so a planner that scribbles on its input fails here.
 */
function plan(problem: VisitProblem): VisitPlan {
  const drive = problem.driveSeconds.slice();
  const service = problem.serviceSeconds.slice();
  const result = planVisits(Object.freeze({ ...problem }));
  expect(problem.driveSeconds).toEqual(drive);
  expect(problem.serviceSeconds).toEqual(service);
  return result;
}

/** Drive of a route station → stops → station, added in visiting order (as the planner documents). */
function routeDriveSeconds(problem: VisitProblem, stops: readonly number[]): number {
  const route = [0, ...stops, 0];
  let seconds = 0;
  for (let t = 0; t + 1 < route.length; t++) seconds += problem.driveSeconds[route[t]! * problem.size + route[t + 1]!]!;
  return seconds;
}

/** The invariants every plan must keep, recomputed independently from the input. */
function expectValidPlan(problem: VisitProblem, result: VisitPlan): void {
  const { size, serviceSeconds, driveSeconds, dayBudgetSeconds } = problem;
  const seen = new Array<number>(size).fill(0);
  let totalDrive = 0;
  let totalService = 0;
  for (const day of result.days) {
    expect(day.stops.length).toBeGreaterThan(0);
    let service = 0;
    for (const stop of day.stops) {
      expect(stop).toBeGreaterThanOrEqual(1);
      expect(stop).toBeLessThan(size);
      seen[stop]!++;
      service += serviceSeconds[stop]!;
    }
    expect(day.driveSeconds).toBe(routeDriveSeconds(problem, day.stops));
    expect(day.serviceSeconds).toBe(service);
    expect(day.totalSeconds).toBe(day.driveSeconds + day.serviceSeconds);
    expect(day.totalSeconds).toBeLessThanOrEqual(dayBudgetSeconds);
    totalDrive += day.driveSeconds;
    totalService += day.serviceSeconds;
  }
  expect(result.totalDriveSeconds).toBe(totalDrive);
  expect(result.totalServiceSeconds).toBe(totalService);
  for (const { place, reason, neededSeconds } of result.unplaced) {
    seen[place]!++;
    const roundTrip = driveSeconds[place]! + serviceSeconds[place]! + driveSeconds[place * size]!;
    if (reason === 'unreachable') expect(roundTrip).toBe(Infinity);
    if (reason === 'exceeds_day') expect(neededSeconds).toBe(roundTrip);
    if (reason === 'exceeds_day') expect(roundTrip).toBeGreaterThan(dayBudgetSeconds);
    if (reason === 'no_days_left') {
      // Only when every allowed day is used; the place itself would fit a day on its own.
      expect(result.days.length).toBe(problem.maxDays);
      expect(neededSeconds).toBe(roundTrip);
      expect(roundTrip).toBeLessThanOrEqual(dayBudgetSeconds);
      // And it fits nowhere in the planned days either.
      for (const day of result.days) {
        for (let position = 0; position <= day.stops.length; position++) {
          const stops = day.stops.slice(0, position).concat(place, day.stops.slice(position));
          const total = routeDriveSeconds(problem, stops) + day.serviceSeconds + serviceSeconds[place]!;
          expect(total).toBeGreaterThan(dayBudgetSeconds);
        }
      }
    }
  }
  expect(result.unplaced.map((u) => u.place)).toEqual(result.unplaced.map((u) => u.place).sort((a, b) => a - b));
  expect(seen.slice(1)).toEqual(new Array<number>(size - 1).fill(1));
  if (problem.maxDays !== undefined) expect(result.days.length).toBeLessThanOrEqual(problem.maxDays);
}

/** The baseline as the brief states it, written separately: nearest next stop, go home when it does not fit. */
function nearestNeighbourBaseline(problem: VisitProblem): {
  days: number;
  totalDriveSeconds: number;
  placedCount: number;
} {
  const { size, driveSeconds, serviceSeconds, dayBudgetSeconds } = problem;
  const at = (i: number, j: number) => driveSeconds[i * size + j]!;
  const left: number[] = [];
  for (let place = 1; place < size; place++) {
    if (at(0, place) + serviceSeconds[place]! + at(place, 0) <= dayBudgetSeconds) left.push(place);
  }
  let days = 0;
  let totalDriveSeconds = 0;
  let placedCount = 0;
  while (left.length > 0 && days < (problem.maxDays ?? Infinity)) {
    const stops: number[] = [];
    let used = 0;
    let here = 0;
    for (;;) {
      const next = left.reduce((best, place) => (at(here, place) < at(here, best) ? place : best), left[0]!);
      if (next === undefined || !(used + at(here, next) + serviceSeconds[next]! + at(next, 0) <= dayBudgetSeconds))
        break;
      used += at(here, next) + serviceSeconds[next]!;
      stops.push(next);
      left.splice(left.indexOf(next), 1);
      here = next;
    }
    days++;
    totalDriveSeconds += routeDriveSeconds(problem, stops);
    placedCount += stops.length;
  }
  return { days, totalDriveSeconds, placedCount };
}

describe('planVisits on hand-built valleys', () => {
  it('visits villages on one road in an order that never crosses the station twice', () => {
    // A valley road through the station: villages at +10 and +45 min east, −15 min west.
    const position = [0, 10, 45, -15];
    const problem: VisitProblem = {
      driveSeconds: minutesMatrix(4, (i, j) => Math.abs(position[i]! - position[j]!)),
      size: 4,
      serviceSeconds: new Float64Array([0, 600, 600, 600]),
      dayBudgetSeconds: EIGHT_HOURS,
    };
    const result = plan(problem);
    expectValidPlan(problem, result);
    // Optimal drive: out and back to each end, 2×45 + 2×15 = 120 min. On a symmetric line the
    // optimal orders are exactly those that do one side, then the other: these four.
    expect(result.days).toHaveLength(1);
    expect([
      [1, 2, 3],
      [2, 1, 3],
      [3, 1, 2],
      [3, 2, 1],
    ]).toContainEqual(result.days[0]!.stops);
    expect(result.days[0]).toMatchObject({ driveSeconds: 7200, serviceSeconds: 1800, totalSeconds: 9000 });
    expect(result.unplaced).toEqual([]);
    // Nearest neighbour goes 0 → +10 → −15 (25 min, nearer than +45 at 35) → +45 → 0 = 140 min.
    expect(result.baseline).toEqual({ days: 1, totalDriveSeconds: 8400, placedCount: 3 });
  });

  it('climbs a mountain loop by the gentle side and comes down the steep one', () => {
    // Loop road: station 0 – 1 (steep: 50 min up, 30 down) – 2 (summit) – 3 – 0 (gentle: 35 up, 25 down).
    // 1→2 20, 2→1 15, 2→3 15, 3→2 20; other pairs are shortest paths along the loop.
    const minutes = [
      [0, 50, 55, 35],
      [30, 0, 20, 35],
      [40, 15, 0, 15],
      [25, 35, 20, 0],
    ];
    const problem: VisitProblem = {
      driveSeconds: minutesMatrix(4, (i, j) => minutes[i]![j]!),
      size: 4,
      serviceSeconds: new Float64Array([0, 1200, 1200, 1200]),
      dayBudgetSeconds: EIGHT_HOURS,
    };
    const result = plan(problem);
    expectValidPlan(problem, result);
    // 0→3→2→1→0 = 35+20+15+30 = 100 min; the other way round 50+20+15+25 = 110; the four
    // other orders are 130–145 min.
    expect(result.days.map((day) => day.stops)).toEqual([[3, 2, 1]]);
    expect(result.days[0]).toMatchObject({ driveSeconds: 6000, serviceSeconds: 3600, totalSeconds: 9600 });
    expect(routeDriveSeconds(problem, [1, 2, 3])).toBe(6600);
  });

  it('splits two valleys into two days when one day cannot hold both', () => {
    // East valley: villages 1, 2 at 60 and 70 min; west valley: 3, 4 at 60 and 75 min; crossing
    // goes through the station. One hour's service each; an 8-hour day.
    const position = [0, 60, 70, -60, -75];
    const problem: VisitProblem = {
      driveSeconds: minutesMatrix(5, (i, j) =>
        Math.sign(position[i]!) * Math.sign(position[j]!) >= 0
          ? Math.abs(position[i]! - position[j]!)
          : Math.abs(position[i]!) + Math.abs(position[j]!),
      ),
      size: 5,
      serviceSeconds: new Float64Array([0, 3600, 3600, 3600, 3600]),
      dayBudgetSeconds: EIGHT_HOURS,
    };
    const result = plan(problem);
    expectValidPlan(problem, result);
    // All in one day: 2×70 + 2×75 = 290 min drive + 240 min service > 480. Any plan drives at
    // least 290 min (both valley ends must be reached and left), which the valley split achieves.
    const days = result.days
      .map((day) => ({ ...day, stops: day.stops.slice().sort((a, b) => a - b) }))
      .sort((a, b) => a.stops[0]! - b.stops[0]!);
    expect(days).toEqual([
      { stops: [1, 2], driveSeconds: 8400, serviceSeconds: 7200, totalSeconds: 15600 },
      { stops: [3, 4], driveSeconds: 9000, serviceSeconds: 7200, totalSeconds: 16200 },
    ]);
    expect(result.totalDriveSeconds).toBe(17400);
    expect(result.totalServiceSeconds).toBe(14400);
    // Nearest neighbour: 1, 2, then 3 across the station (130 min) still fits, 4 does not:
    // day 1 = 60+10+130+60 = 260 min, day 2 = 150 min.
    expect(result.baseline).toEqual({ days: 2, totalDriveSeconds: 24600, placedCount: 4 });
  });

  it('packs a cluster of villages into the fewest days (bin packing: service dominates)', () => {
    // Six villages 30 min from the station and 5 min from each other; service 190, 60, 90, 150,
    // 370 and 300 min (1160 min in all). A day drives at least 60 min, so it holds at most 420 min
    // of service: 3 days is the least. A day with k stops drives 60 + 5(k − 1) min, so any 3 days
    // over 6 stops drive 3×60 + 5×3 = 195 min. Sequential insertion alone ends with 4 days.
    const service = [0, 190, 60, 90, 150, 370, 300];
    const problem: VisitProblem = {
      driveSeconds: minutesMatrix(7, (i, j) => (i === j ? 0 : i === 0 || j === 0 ? 30 : 5)),
      size: 7,
      serviceSeconds: new Float64Array(service.map((minutes) => minutes * MINUTE)),
      dayBudgetSeconds: EIGHT_HOURS,
    };
    const result = plan(problem);
    expectValidPlan(problem, result);
    expect(result.days).toHaveLength(3);
    expect(result.totalDriveSeconds).toBe(195 * MINUTE);
    expect(result.totalServiceSeconds).toBe(1160 * MINUTE);
    // Nearest neighbour (all ties, lowest index first): [1, 2, 3], [4], [5], [6].
    expect(result.baseline).toEqual({ days: 4, totalDriveSeconds: 250 * MINUTE, placedCount: 6 });
  });

  it('reports unreachable and over-long places with their reason', () => {
    // 1: 30 min away; 2: no road in; 3: a road in but none back; 4: 150 min away with 200 min
    // of service (needs 500 min, the day has 480). Villages connect through the station.
    const away = [0, 30, Infinity, 40, 150];
    const back = [0, 30, 20, Infinity, 150];
    const problem: VisitProblem = {
      driveSeconds: minutesMatrix(5, (i, j) => (i === j ? 0 : back[i]! + away[j]!)),
      size: 5,
      serviceSeconds: new Float64Array([0, 1800, 1800, 1800, 200 * MINUTE]),
      dayBudgetSeconds: EIGHT_HOURS,
    };
    const result = plan(problem);
    expectValidPlan(problem, result);
    expect(result.days).toEqual([{ stops: [1], driveSeconds: 3600, serviceSeconds: 1800, totalSeconds: 5400 }]);
    expect(result.unplaced).toEqual([
      { place: 2, reason: 'unreachable' },
      { place: 3, reason: 'unreachable' },
      { place: 4, reason: 'exceeds_day', neededSeconds: 30000 },
    ]);
    expect(result.baseline).toEqual({ days: 1, totalDriveSeconds: 3600, placedCount: 1 });
  });

  describe('with a cap on days', () => {
    // Two far villages that each fill a day: 100 and 110 min away, 200 min of service each,
    // 150 min apart over a pass. Together they would need 100+150+110 + 400 = 760 min.
    const problem = (maxDays: number): VisitProblem => ({
      driveSeconds: minutesMatrix(3, (i, j) => (i === j ? 0 : i * j === 2 ? 150 : 100 + 10 * (i + j - 1))),
      size: 3,
      serviceSeconds: new Float64Array([0, 200 * MINUTE, 200 * MINUTE]),
      dayBudgetSeconds: EIGHT_HOURS,
      maxDays,
    });

    it('visits the nearer village and reports the other as no_days_left when one day is allowed', () => {
      const result = plan(problem(1));
      expectValidPlan(problem(1), result);
      expect(result.days).toEqual([{ stops: [1], driveSeconds: 12000, serviceSeconds: 12000, totalSeconds: 24000 }]);
      expect(result.unplaced).toEqual([{ place: 2, reason: 'no_days_left', neededSeconds: 25200 }]);
      expect(result.baseline).toEqual({ days: 1, totalDriveSeconds: 12000, placedCount: 1 });
    });

    it('visits both on two days, and none with no days', () => {
      const two = plan(problem(2));
      expectValidPlan(problem(2), two);
      expect(two.days.map((day) => day.stops).sort()).toEqual([[1], [2]]);
      expect(two.totalDriveSeconds).toBe(12000 + 13200);
      expect(two.unplaced).toEqual([]);

      const none = plan(problem(0));
      expectValidPlan(problem(0), none);
      expect(none.days).toEqual([]);
      expect(none.unplaced.map((u) => u.reason)).toEqual(['no_days_left', 'no_days_left']);
      expect(none.baseline).toEqual({ days: 0, totalDriveSeconds: 0, placedCount: 0 });
    });
  });

  it('plans nothing for a station without villages', () => {
    const result = plan({
      driveSeconds: new Float64Array([0]),
      size: 1,
      serviceSeconds: new Float64Array([0]),
      dayBudgetSeconds: EIGHT_HOURS,
    });
    expect(result).toEqual({
      days: [],
      unplaced: [],
      totalDriveSeconds: 0,
      totalServiceSeconds: 0,
      baseline: { days: 0, totalDriveSeconds: 0, placedCount: 0 },
    });
  });

  it('rejects malformed input', () => {
    const valid: VisitProblem = {
      driveSeconds: new Float64Array([0, 60, 60, 0]),
      size: 2,
      serviceSeconds: new Float64Array([0, 60]),
      dayBudgetSeconds: EIGHT_HOURS,
    };
    expect(() => planVisits({ ...valid, driveSeconds: new Float64Array(3) })).toThrow(RangeError);
    expect(() => planVisits({ ...valid, serviceSeconds: new Float64Array(1) })).toThrow(RangeError);
    expect(() => planVisits({ ...valid, driveSeconds: new Float64Array([0, NaN, 60, 0]) })).toThrow(RangeError);
    expect(() => planVisits({ ...valid, driveSeconds: new Float64Array([0, -1, 60, 0]) })).toThrow(RangeError);
    expect(() => planVisits({ ...valid, dayBudgetSeconds: 0 })).toThrow(RangeError);
    expect(() => planVisits({ ...valid, maxDays: 1.5 })).toThrow(RangeError);
  });
});

/**
 * A seeded county-like instance: the station in the middle of a 60 km square, villages at random,
 * 30 km/h on straight lines (120 s/km), and on 30% of ordered pairs the uphill direction 1.3×
 * slower. Optionally some villages with no road and some with an overlong visit.
 */
function randomProblem(seed: number, villages: number, options: { maxDays?: number; awkward?: boolean } = {}) {
  const rng = new Random(seed);
  const size = villages + 1;
  const x = [30];
  const y = [30];
  for (let i = 1; i < size; i++) {
    x.push(rng.uniform(0, 60));
    y.push(rng.uniform(0, 60));
  }
  const driveSeconds = new Float64Array(size * size);
  for (let i = 0; i < size; i++) {
    for (let j = 0; j < size; j++) {
      const km = Math.hypot(x[i]! - x[j]!, y[i]! - y[j]!);
      driveSeconds[i * size + j] = km * 120 * (i !== j && rng.chance(0.3) ? 1.3 : 1);
    }
  }
  const serviceSeconds = new Float64Array(size);
  for (let i = 1; i < size; i++) serviceSeconds[i] = rng.int(20, 90) * MINUTE;
  if (options.awkward) {
    for (let i = 1; i < size; i++) {
      const roll = rng.next();
      if (roll < 0.05)
        driveSeconds[i * size] = Infinity; // a road in, none back
      else if (roll < 0.1) serviceSeconds[i] = 7.5 * 3600; // too long unless very near
    }
  }
  const problem: VisitProblem = { driveSeconds, size, serviceSeconds, dayBudgetSeconds: EIGHT_HOURS };
  if (options.maxDays !== undefined) problem.maxDays = options.maxDays;
  return problem;
}

describe('planVisits on seeded random counties', () => {
  const seeds = Array.from({ length: 20 }, (_, k) => k + 1);

  it.each(seeds)('seed %i: a valid plan, no worse than nearest neighbour in days or drive', (seed) => {
    const problem = randomProblem(seed, 30);
    const result = plan(problem);
    expectValidPlan(problem, result);
    expect(result.unplaced).toEqual([]);
    expect(result.baseline).toEqual(nearestNeighbourBaseline(problem));
    expect(result.days.length).toBeLessThanOrEqual(result.baseline.days);
    expect(result.totalDriveSeconds).toBeLessThanOrEqual(result.baseline.totalDriveSeconds);
  });

  it('beats nearest neighbour clearly over the seeds (the improvement is real, not a tie)', () => {
    let planDrive = 0;
    let baselineDrive = 0;
    for (const seed of seeds) {
      const result = planVisits(randomProblem(seed, 30));
      planDrive += result.totalDriveSeconds;
      baselineDrive += result.baseline.totalDriveSeconds;
    }
    expect(planDrive / baselineDrive).toBeLessThan(0.9);
  });

  it.each(seeds)('seed %i: with awkward places and at most 3 days, every place accounted for', (seed) => {
    const problem = randomProblem(seed, 30, { maxDays: 3, awkward: true });
    const result = plan(problem);
    expectValidPlan(problem, result);
    expect(result.baseline).toEqual(nearestNeighbourBaseline(problem));
    const placed = result.days.reduce((count, day) => count + day.stops.length, 0);
    expect(placed).toBeGreaterThanOrEqual(result.baseline.placedCount);
  });
});

describe('visitServiceSeconds', () => {
  const none: NoTripGroupCounts = { aged70Plus: 0, disabled: 0, leftBehind: 0, lowIncome: 0, needsAssistance: 0 };

  it('is the base time plus minutes per person', () => {
    expect(visitServiceSeconds(none)).toBe(30 * MINUTE);
    // 30 + 20×0.25 + 3×1 + 10×0.25 + 5×0.5 + 2×3 = 49 min.
    expect(visitServiceSeconds({ aged70Plus: 20, disabled: 3, leftBehind: 10, lowIncome: 5, needsAssistance: 2 })).toBe(
      49 * MINUTE,
    );
    expect(visitServiceSeconds({ ...none, aged70Plus: 476 })).toBe(149 * MINUTE);
  });

  it('is capped at two and a half hours', () => {
    expect(VISIT_MAX_MINUTES).toBe(150);
    expect(visitServiceSeconds({ ...none, aged70Plus: 480 })).toBe(150 * MINUTE);
    expect(visitServiceSeconds({ ...none, needsAssistance: 1000 })).toBe(150 * MINUTE);
  });

  it('never falls when a group grows, and rises until the cap', () => {
    const start: NoTripGroupCounts = { aged70Plus: 12, disabled: 2, leftBehind: 6, lowIncome: 4, needsAssistance: 1 };
    for (const group of Object.keys(start) as (keyof NoTripGroupCounts)[]) {
      let previous = visitServiceSeconds(start);
      for (let extra = 1; extra <= 600; extra++) {
        const seconds = visitServiceSeconds({ ...start, [group]: start[group] + extra });
        if (previous < VISIT_MAX_MINUTES * MINUTE) expect(seconds).toBeGreaterThan(previous);
        else expect(seconds).toBe(previous);
        previous = seconds;
      }
      expect(previous).toBe(VISIT_MAX_MINUTES * MINUTE);
    }
  });

  it('rejects negative or non-finite counts', () => {
    expect(() => visitServiceSeconds({ ...none, disabled: -1 })).toThrow(RangeError);
    expect(() => visitServiceSeconds({ ...none, lowIncome: NaN })).toThrow(RangeError);
    expect(() => visitServiceSeconds({ ...none, leftBehind: Infinity })).toThrow(RangeError);
  });
});
