/**
 * Travel time of a road edge on a mountain road. Routers that use only length ÷ speed are
 * known to underestimate mountain drives by 30–50%; here the base speed of the road class is
 * slowed by the road's bends and, per direction, by its climbs and steep descents.
 *
 *   seconds = length / (speed × bendFactor) × (1 + CLIMB_PENALTY × climb/length
 *                                               + DESCENT_PENALTY × max(0, descent/length − FREE_DESCENT_GRADE))
 *   bendFactor = 1 / (1 + turningDegreesPerKm / HALF_SPEED_TURNING_DEG_PER_KM)
 *
 * The constants are first estimates for the demo county (a county road turning ~150°/km drives
 * at ~36 km/h, a village road turning ~500°/km at ~11 km/h); the drive-time bench calibrates them.
 */

/** Turning per km at which the bends alone halve the speed (a hairpin is ~180° in ~100 m). */
export const HALF_SPEED_TURNING_DEG_PER_KM = 400;
/** Extra time per unit of average uphill grade: 8% of climb makes a drive ~48% longer. */
export const CLIMB_PENALTY = 6;
/** Descents steeper than this are driven with the brakes on. */
export const FREE_DESCENT_GRADE = 0.03;
/** Extra time per unit of average downhill grade beyond the free grade. */
export const DESCENT_PENALTY = 3;

export interface EdgeForTiming {
  lengthMetres: number;
  speedKmh: number;
  /** Sum of heading changes per km of road; null when unknown (taken as straight). */
  turningDegreesPerKm: number | null;
  /** Height gained and lost going from source to target; null when unknown (taken as flat). */
  climbMetres: number | null;
  descentMetres: number | null;
}

/** Seconds to drive the edge from source to target and back. */
export function edgeTravelSeconds(edge: EdgeForTiming): { forwardSeconds: number; backwardSeconds: number } {
  if (!(edge.lengthMetres >= 0) || !(edge.speedKmh > 0)) {
    throw new RangeError(
      `An edge needs a length ≥ 0 and a speed > 0 (got ${edge.lengthMetres} m, ${edge.speedKmh} km/h)`,
    );
  }
  if (edge.lengthMetres === 0) return { forwardSeconds: 0, backwardSeconds: 0 };
  const bendFactor = 1 / (1 + Math.max(0, edge.turningDegreesPerKm ?? 0) / HALF_SPEED_TURNING_DEG_PER_KM);
  const flatSeconds = edge.lengthMetres / ((edge.speedKmh / 3.6) * bendFactor);
  const climbGrade = Math.max(0, edge.climbMetres ?? 0) / edge.lengthMetres;
  const descentGrade = Math.max(0, edge.descentMetres ?? 0) / edge.lengthMetres;
  const slowdown = (up: number, down: number) =>
    1 + CLIMB_PENALTY * up + DESCENT_PENALTY * Math.max(0, down - FREE_DESCENT_GRADE);
  return {
    forwardSeconds: flatSeconds * slowdown(climbGrade, descentGrade),
    backwardSeconds: flatSeconds * slowdown(descentGrade, climbGrade),
  };
}
