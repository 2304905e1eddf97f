/**
 * Calibration of the speed model from observed trips (issue 16.2): a few of the model's constants
 * fitted so that the model's station → village drive times match the times people reported or a
 * patrol car's GPS recorded.
 *
 * **Which constants.** Four, each one a trip time can see:
 *
 * - `speedFactor`, a factor on every road's design speed: how much faster or slower than the JTG
 *   figures people drive the straight, level stretches (the bulk of a trunk road's time);
 * - `sideFriction` (e + f): how hard drivers take bends, which scales every curve speed as √(e+f)
 *   and so governs the winding village and township roads;
 * - `junctionKmh`: the speed through a junction off the main road, the delay of every turn;
 * - `climbingWattsPerKg`: how fast a car climbs the steep stretches (only they feel it).
 *
 * Left out: `settlementKmh` (no stored edge is marked as running through a settlement yet, so no
 * trip can tell it), acceleration and braking (their effect is folded into the curve and junction
 * terms and they are nearly collinear with them), gravity, rolling resistance (collinear with the
 * climbing power) and the geometric scales (sampling, smoothing, chord: measurement, not
 * behaviour). Five or more constants from a few dozen trips would fit noise.
 *
 * **Loss.** The residual of a trip is r = log(model / observed), so a trip 20 % too slow and one
 * 20 % too fast weigh alike whatever their length. Robust least squares by iteratively reweighted
 * least squares: a plain fit, one round with Huber weights (k = 1.345 s), then two with Tukey's
 * biweight (c = 4.685 s), s = 1.4826 × the median absolute deviation of the residuals; Tukey gives
 * a gross outlier (a trip logged with a stop for lunch) no weight at all. Each round minimises the
 * weighted squares with our bounded Nelder–Mead over the box {@link CALIBRATION_BOUNDS} (a trial
 * point outside is projected back onto the box).
 *
 * **Evaluation.** A trial re-costs every edge under the trial constants with the routing engine's
 * own costing (`costNetwork` of network.ts over the network prepared once: each edge's profile of
 * radii and grades and its end kinds are measured once, so a trial is one cheap pass per edge) and
 * runs one Dijkstra per trip origin, stopping when that origin's destinations are settled.
 */
import { shortestTimes, type SearchResult } from './dijkstra.js';
import {
  arrivalCost,
  costNetwork,
  sameEdgeCost,
  sourcesFrom,
  type PreparedRoadNetwork,
  type RoadNetwork,
  type RoadPoint,
} from './network.js';
import { SPEED_MODEL, type Driving, type SpeedModelConstants } from './speed-model.js';

/** The constants calibration fits. */
export interface CalibratedConstants {
  /** Factor on every road's design speed. */
  speedFactor: number;
  sideFriction: number;
  junctionKmh: number;
  climbingWattsPerKg: number;
}

export type CalibratedConstant = keyof CalibratedConstants;

export const CALIBRATED_CONSTANTS: readonly CalibratedConstant[] = Object.freeze([
  'speedFactor',
  'sideFriction',
  'junctionKmh',
  'climbingWattsPerKg',
]);

/** The model's own constants: what a county uses without a calibration. */
export const DEFAULT_CONSTANTS: Readonly<CalibratedConstants> = Object.freeze({
  speedFactor: 1,
  sideFriction: SPEED_MODEL.sideFriction,
  junctionKmh: SPEED_MODEL.junctionKmh,
  climbingWattsPerKg: SPEED_MODEL.climbingWattsPerKg,
});

/**
 * Plausible ranges: design speeds driven at half to 1.6 times; e + f from wet gravel (0.08) to a
 * driver who knows every bend (0.45); a junction crawled at 5 km/h to hardly slowed at 60; a car
 * climbing with 5–40 W/kg (a loaded van to a strong car driven hard).
 */
export const CALIBRATION_BOUNDS: Readonly<Record<CalibratedConstant, readonly [number, number]>> = Object.freeze({
  speedFactor: [0.5, 1.6],
  sideFriction: [0.08, 0.45],
  junctionKmh: [5, 60],
  climbingWattsPerKg: [5, 40],
});

/**
 * Without a calibration, a commander sees each drive as −25 % … +25 % of the model's time: the
 * spread the issue measured on real roads after the length ÷ speed correction (0.83–1.04 ×) plus
 * the curve and climb terms' own doubt. A calibration replaces it by its held-out ratios.
 */
export const PRIOR_RATIO_RANGE: Readonly<{ low: number; high: number }> = Object.freeze({ low: 0.75, high: 1.25 });

/** The speed model's full constants for calibrated ones. */
export function modelConstants(constants: Readonly<CalibratedConstants>): SpeedModelConstants {
  return {
    ...SPEED_MODEL,
    sideFriction: constants.sideFriction,
    junctionKmh: constants.junctionKmh,
    climbingWattsPerKg: constants.climbingWattsPerKg,
  };
}

/** How a county drives under calibrated constants: the model's constants with them, design speeds × the factor. */
export function drivingOf(constants: Readonly<CalibratedConstants>): Driving {
  return { constants: modelConstants(constants), designSpeedFactor: constants.speedFactor };
}

/**
 * The network with every edge timed under `constants` (the same shape, new times): the routing
 * engine's own costing (network.ts), so a fit sees exactly the times routing will use.
 */
export function recostNetwork(prepared: PreparedRoadNetwork, constants: Readonly<CalibratedConstants>): RoadNetwork {
  return costNetwork(prepared, { driving: drivingOf(constants) });
}

/** A trip as calibration reads it: its two places on the road and the observed time. */
export interface CalibrationTrip {
  from: RoadPoint;
  to: RoadPoint;
  observedSeconds: number;
}

/** The model's time of each trip on a costed network (Infinity when no road joins its places). */
export function modelTripSeconds(network: RoadNetwork, trips: readonly CalibrationTrip[]): Float64Array {
  const byOrigin = new Map<string, number[]>();
  trips.forEach((trip, i) => {
    const key = `${trip.from.edge}:${trip.from.fraction}:${trip.from.offRoadMetres}`;
    const list = byOrigin.get(key);
    if (list) list.push(i);
    else byOrigin.set(key, [i]);
  });
  const seconds = new Float64Array(trips.length);
  for (const indices of byOrigin.values()) {
    const from = trips[indices[0]!]!.from;
    const targets = indices.flatMap((i) => [
      network.edgeSource[trips[i]!.to.edge]!,
      network.edgeTarget[trips[i]!.to.edge]!,
    ]);
    const result: SearchResult = shortestTimes(network.drive, sourcesFrom(network, from), { targets });
    for (const i of indices) {
      const to = trips[i]!.to;
      seconds[i] = Math.min(arrivalCost(network, result, to), sameEdgeCost(network, from, to));
    }
  }
  return seconds;
}

/** Median and 90th percentile of absolute percentage errors |model / observed − 1|. */
export interface ErrorFigures {
  medianApe: number;
  p90Ape: number;
}

/** Absolute percentage errors' median and p90 (linear interpolation between ranks). */
export function errorFigures(modelSeconds: ArrayLike<number>, observedSeconds: ArrayLike<number>): ErrorFigures {
  const errors = Array.from(modelSeconds, (m, i) => Math.abs(m / observedSeconds[i]! - 1));
  return { medianApe: quantile(errors, 0.5), p90Ape: quantile(errors, 0.9) };
}

/** The q-quantile of values (linear interpolation between order statistics); NaN when empty. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const at = q * (sorted.length - 1);
  const lo = Math.floor(at);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo]! + (at - lo) * (sorted[hi]! - sorted[lo]!);
}

/** Bounded Nelder–Mead minimisation over the unit box [0, 1]^n (trial points projected onto it). */
export function nelderMead(
  f: (u: readonly number[]) => number,
  start: readonly number[],
  options: { maxEvaluations: number; step?: number; tolerance?: number },
): { point: number[]; value: number; evaluations: number } {
  const n = start.length;
  const clamp = (u: readonly number[]) => u.map((x) => Math.min(1, Math.max(0, x)));
  let evaluations = 0;
  const evaluate = (u: readonly number[]) => {
    evaluations++;
    return f(u);
  };
  const step = options.step ?? 0.1;
  const simplex: { point: number[]; value: number }[] = [];
  const first = clamp(start);
  simplex.push({ point: first, value: evaluate(first) });
  for (let i = 0; i < n; i++) {
    const point = [...first];
    point[i] = point[i]! + (point[i]! + step <= 1 ? step : -step);
    simplex.push({ point, value: evaluate(point) });
  }
  const tolerance = options.tolerance ?? 1e-4;
  while (evaluations < options.maxEvaluations) {
    simplex.sort((a, b) => a.value - b.value);
    const best = simplex[0]!;
    const worst = simplex[n]!;
    let size = 0;
    for (const vertex of simplex)
      for (let i = 0; i < n; i++) size = Math.max(size, Math.abs(vertex.point[i]! - best.point[i]!));
    if (size < tolerance) break;
    const centroid = new Array<number>(n).fill(0);
    for (let v = 0; v < n; v++) for (let i = 0; i < n; i++) centroid[i]! += simplex[v]!.point[i]! / n;
    const along = (t: number) => clamp(centroid.map((c, i) => c + t * (worst.point[i]! - c)));
    const reflected = along(-1);
    const reflectedValue = evaluate(reflected);
    if (reflectedValue < best.value) {
      const expanded = along(-2);
      const expandedValue = evaluate(expanded);
      simplex[n] =
        expandedValue < reflectedValue
          ? { point: expanded, value: expandedValue }
          : { point: reflected, value: reflectedValue };
    } else if (reflectedValue < simplex[n - 1]!.value) {
      simplex[n] = { point: reflected, value: reflectedValue };
    } else {
      const outside = reflectedValue < worst.value;
      const contracted = along(outside ? -0.5 : 0.5);
      const contractedValue = evaluate(contracted);
      if (contractedValue < (outside ? reflectedValue : worst.value)) {
        simplex[n] = { point: contracted, value: contractedValue };
      } else {
        for (let v = 1; v <= n; v++) {
          const point = simplex[v]!.point.map((x, i) => best.point[i]! + 0.5 * (x - best.point[i]!));
          simplex[v] = { point, value: evaluate(point) };
        }
      }
    }
  }
  simplex.sort((a, b) => a.value - b.value);
  return { point: simplex[0]!.point, value: simplex[0]!.value, evaluations };
}

/** What a fit found. */
export interface FitResult {
  constants: CalibratedConstants;
  /** Robust weight of each trip in the last round (0: treated as an outlier). */
  weights: Float64Array;
  /** Model time of each trip under the fitted constants. */
  modelSeconds: Float64Array;
  evaluations: number;
}

export interface FitOptions {
  /** The constants to fit (default all four); the others keep `start`'s values. */
  fit?: readonly CalibratedConstant[];
  start?: Readonly<CalibratedConstants>;
  /** Nelder–Mead evaluations per reweighting round. */
  evaluationsPerRound?: number;
}

/** Robust weights: Huber (k = 1.345) or Tukey's biweight (c = 4.685) of residuals over a scale. */
function robustWeights(residuals: Float64Array, kind: 'huber' | 'tukey'): Float64Array {
  const values = Array.from(residuals);
  const centre = quantile(values, 0.5);
  const scale = Math.max(
    0.01,
    1.4826 *
      quantile(
        values.map((r) => Math.abs(r - centre)),
        0.5,
      ),
  );
  return residuals.map((r) => {
    const u = Math.abs(r) / scale;
    if (kind === 'huber') return u <= 1.345 ? 1 : 1.345 / u;
    return u < 4.685 ? (1 - (u / 4.685) ** 2) ** 2 : 0;
  });
}

/**
 * Fit the constants to trips by robust least squares on log(model / observed) (see the module
 * doc). `trips` must all be reachable under the start constants.
 */
export function fitConstants(
  prepared: PreparedRoadNetwork,
  trips: readonly CalibrationTrip[],
  options: FitOptions = {},
): FitResult {
  const names = options.fit ?? CALIBRATED_CONSTANTS;
  const start = { ...(options.start ?? DEFAULT_CONSTANTS) };
  const toConstants = (u: readonly number[]): CalibratedConstants => {
    const constants = { ...start };
    names.forEach((name, i) => {
      const [lo, hi] = CALIBRATION_BOUNDS[name];
      constants[name] = lo + u[i]! * (hi - lo);
    });
    return constants;
  };
  const toUnit = (constants: CalibratedConstants) =>
    names.map((name) => {
      const [lo, hi] = CALIBRATION_BOUNDS[name];
      return (constants[name] - lo) / (hi - lo);
    });
  const observed = Float64Array.from(trips, (t) => t.observedSeconds);
  const residualsAt = (constants: CalibratedConstants) => {
    const model = modelTripSeconds(recostNetwork(prepared, constants), trips);
    return { model, residuals: model.map((m, i) => Math.log(m / observed[i]!)) };
  };
  let evaluations = 0;
  let current = start;
  let weights: Float64Array = new Float64Array(trips.length).fill(1);
  const rounds: ('plain' | 'huber' | 'tukey')[] = ['plain', 'huber', 'tukey', 'tukey'];
  for (const round of rounds) {
    if (round !== 'plain') {
      const { residuals } = residualsAt(current);
      evaluations++;
      weights = robustWeights(residuals, round);
    }
    const roundWeights = weights;
    const loss = (u: readonly number[]) => {
      const { residuals } = residualsAt(toConstants(u));
      let sum = 0;
      for (let i = 0; i < residuals.length; i++) {
        const r = residuals[i]!;
        // An unreachable trip under trial constants cannot happen (constants change no connectivity); guard anyway.
        sum += roundWeights[i]! * (Number.isFinite(r) ? r * r : 1e6);
      }
      return sum;
    };
    const result = nelderMead(loss, toUnit(current), {
      maxEvaluations: (options.evaluationsPerRound ?? 40) * (round === 'plain' ? 2 : 1),
      step: round === 'plain' ? 0.15 : 0.05,
    });
    evaluations += result.evaluations;
    current = toConstants(result.point);
  }
  const { model, residuals } = residualsAt(current);
  evaluations++;
  return { constants: current, weights: robustWeights(residuals, 'tukey'), modelSeconds: model, evaluations };
}

/** Calibration's report: error before and after, in sample and on held-out trips, and the fit's cost. */
export interface CalibrationMetrics {
  trips: number;
  folds: number;
  /** Default constants on all trips (nothing is fitted, so this is also their held-out error). */
  before: ErrorFigures;
  /** Fitted on all trips, measured on the same trips. */
  inSample: ErrorFigures;
  /** Each trip predicted by constants fitted on the other folds. */
  heldOut: ErrorFigures;
  /** 10th and 90th percentiles of observed / model over held-out trips: the range of a drive. */
  ratioP10: number;
  ratioP90: number;
  /** Trips the final fit gave no weight (gross outliers). */
  outliers: number;
  evaluations: number;
  evaluationsPerSecond: number;
  fitSeconds: number;
}

/** A deterministic permutation of 0..n-1 (mulberry32 seeded). */
export function seededOrder(n: number, seed: number): number[] {
  let state = seed >>> 0;
  const random = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order;
}

/** The fewest trips a calibration takes: two per fold of its cross-validation. */
export const MIN_CALIBRATION_TRIPS = 10;

/**
 * Fit on all trips and cross-validate: `folds` folds by a seeded shuffle, each predicted by
 * constants fitted on the others alone, from the same start and with the same budget as the full
 * fit (a fold started at the full fit would have seen its held-out trips, and its error would
 * flatter the model). Returns the constants fitted on all trips and the report.
 */
export function calibrate(
  prepared: PreparedRoadNetwork,
  trips: readonly CalibrationTrip[],
  options: FitOptions & { folds?: number; seed?: number } = {},
): { constants: CalibratedConstants; metrics: CalibrationMetrics; fit: FitResult } {
  const folds = options.folds ?? 5;
  if (trips.length < Math.max(MIN_CALIBRATION_TRIPS, 2 * folds)) {
    throw new RangeError(`Calibration needs at least ${Math.max(MIN_CALIBRATION_TRIPS, 2 * folds)} trips`);
  }
  const started = performance.now();
  const observed = Float64Array.from(trips, (t) => t.observedSeconds);
  const before = errorFigures(
    modelTripSeconds(recostNetwork(prepared, options.start ?? DEFAULT_CONSTANTS), trips),
    observed,
  );
  const fit = fitConstants(prepared, trips, options);
  let evaluations = fit.evaluations + 1;
  const order = seededOrder(trips.length, options.seed ?? 16);
  const heldOutModel = new Float64Array(trips.length);
  for (let fold = 0; fold < folds; fold++) {
    const held = order.filter((_, k) => k % folds === fold);
    const heldSet = new Set(held);
    const training = trips.filter((_, i) => !heldSet.has(i));
    const foldFit = fitConstants(prepared, training, options);
    evaluations += foldFit.evaluations + 1;
    const predicted = modelTripSeconds(
      recostNetwork(prepared, foldFit.constants),
      held.map((i) => trips[i]!),
    );
    held.forEach((i, k) => (heldOutModel[i] = predicted[k]!));
  }
  const ratios = Array.from(observed, (o, i) => o / heldOutModel[i]!);
  const fitSeconds = (performance.now() - started) / 1000;
  return {
    constants: fit.constants,
    fit,
    metrics: {
      trips: trips.length,
      folds,
      before,
      inSample: errorFigures(fit.modelSeconds, observed),
      heldOut: errorFigures(heldOutModel, observed),
      ratioP10: quantile(ratios, 0.1),
      ratioP90: quantile(ratios, 0.9),
      outliers: fit.weights.filter((w) => w === 0).length,
      evaluations,
      evaluationsPerSecond: evaluations / fitSeconds,
      fitSeconds,
    },
  };
}
