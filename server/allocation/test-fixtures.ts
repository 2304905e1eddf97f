import {
  type AllocationProblem,
  DEFAULT_DUTIES,
  DEFAULT_REST_RULES,
  type RestRules,
  type StationCover,
  type ZoneLimit,
} from './problem.js';
import { deepFreeze } from '../../test/deep-freeze.js';

export { deepFreeze };

/** A hand-sized problem for tests (see `tiny`). */
export interface TinySpec {
  days?: number;
  shiftsPerDay?: number;
  /** Default: A in zone Z1, B in zone Z2. */
  stations?: { code: string; zoneId: string }[];
  /** Home × post drive seconds; default A↔B 1200 s. */
  travel?: number[][];
  maxTravelSeconds?: number;
  /** `available` defaults to every slot. */
  officers: { id: string; home: string; quals?: string[]; available?: boolean[] }[];
  /** [station, day, shift, duty, officers]. */
  demand: [string, number, number, string, number][];
  restRules?: RestRules;
  zoneLimits?: ZoneLimit[];
  stationCovers?: StationCover[];
}

/** A deep-frozen problem from a compact spec, with the default duties (incident 3 > traffic 2 > patrol 1). */
export function tiny(spec: TinySpec): AllocationProblem {
  const days = spec.days ?? 1;
  const shiftsPerDay = spec.shiftsPerDay ?? 2;
  const stations = spec.stations ?? [
    { code: 'A', zoneId: 'Z1' },
    { code: 'B', zoneId: 'Z2' },
  ];
  const zoneIds = [...new Set(stations.map((s) => s.zoneId))];
  return deepFreeze({
    days,
    shiftsPerDay,
    zones: zoneIds.map((id) => ({ id })),
    stations,
    duties: DEFAULT_DUTIES,
    officers: spec.officers.map((o) => ({
      id: o.id,
      homeStation: o.home,
      qualifications: o.quals ?? [],
      available: o.available ?? new Array<boolean>(days * shiftsPerDay).fill(true),
    })),
    demand: spec.demand.map(([stationCode, day, shift, dutyId, officers]) => ({
      stationCode,
      day,
      shift,
      dutyId,
      officers,
    })),
    travelSeconds: spec.travel ?? [
      [0, 1200],
      [1200, 0],
    ],
    maxTravelSeconds: spec.maxTravelSeconds ?? 1800,
    restRules: spec.restRules ?? DEFAULT_REST_RULES,
    ...(spec.zoneLimits ? { zoneLimits: spec.zoneLimits } : {}),
    ...(spec.stationCovers ? { stationCovers: spec.stationCovers } : {}),
  });
}

/**
 * The hand-solved instance: 2 stations, 1 day, 2 shifts, 3 officers.
 * Shift 1: A wants incident + traffic, B patrol; P1 (traffic-qualified, home A), P2 (home A, shift 1
 * only) and P3 (home B) cover all three at home. Shift 2: A wants patrol, B incident + traffic, but
 * only P1 and P3 are left: the best is P3 on B's incident and P1 driving to B (1200 s) for traffic,
 * leaving A's patrol (weight 1) unmet. Optimum: unmet 1, largest share 1/3 (A), travel 1200 s.
 */
export const HAND_SOLVED_SPEC: TinySpec = deepFreeze({
  officers: [
    { id: 'P1', home: 'A', quals: ['traffic'] },
    { id: 'P2', home: 'A', available: [true, false] },
    { id: 'P3', home: 'B' },
  ],
  demand: [
    ['A', 0, 0, 'incident', 1],
    ['A', 0, 0, 'traffic', 1],
    ['B', 0, 0, 'patrol', 1],
    ['A', 0, 1, 'patrol', 1],
    ['B', 0, 1, 'incident', 1],
    ['B', 0, 1, 'traffic', 1],
  ],
});
