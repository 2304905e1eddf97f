/** Seeded synthetic events for the risk tests (not a test itself): Taishun-like clusters, 2023-11 to 2026-11. */
import { Random } from '../county/generate/random.js';
import type { RiskEventColumns } from './event-index.js';
import { chinaDayOfDate } from './time.js';
import { deepFreeze } from '../../test/deep-freeze.js';

export { deepFreeze };

/** Half-open range of the fixture's China days: 2023-11-01 … 2026-11-30. */
export const FIXTURE_START_DAY = chinaDayOfDate(2023, 11, 1);
/** Exclusive end of the fixture's days. */
export const FIXTURE_END_DAY = chinaDayOfDate(2026, 12, 1);

/** Event columns as plain arrays, plus the villages' townships. */
export interface FixtureEvents extends RiskEventColumns {
  lonDeg: readonly number[];
  latDeg: readonly number[];
  occurredAtMs: readonly number[];
  categoryCode: readonly number[];
  villageIndex: readonly number[];
  /** `villageTownship[v]` is village v's township. */
  villageTownship: readonly number[];
  villageCount: number;
}

/** Events as frozen plain arrays. */
export function syntheticEvents(count: number, seed: string): FixtureEvents {
  const random = new Random(seed);
  const centres = [
    [119.717, 27.556],
    [119.89, 27.62],
    [119.62, 27.43],
    [120.0, 27.5],
    [119.8, 27.7],
  ] as const;
  const lonDeg: number[] = [];
  const latDeg: number[] = [];
  const occurredAtMs: number[] = [];
  const categoryCode: number[] = [];
  const villageIndex: number[] = [];
  const startMs = Date.UTC(2023, 9, 31, 16);
  const endMs = Date.UTC(2026, 10, 30, 16);
  for (let i = 0; i < count; i++) {
    if (i > 0 && random.chance(0.1)) {
      // Same address as an earlier event.
      const j = random.int(0, i - 1);
      lonDeg.push(lonDeg[j]!);
      latDeg.push(latDeg[j]!);
    } else if (random.chance(0.8)) {
      const [lon, lat] = centres[random.int(0, centres.length - 1)]!;
      lonDeg.push(random.normal(lon, 0.02));
      latDeg.push(random.normal(lat, 0.02));
    } else {
      lonDeg.push(random.uniform(119.55, 120.1));
      latDeg.push(random.uniform(27.3, 27.8));
    }
    occurredAtMs.push(Math.floor(random.uniform(startMs, endMs)));
    categoryCode.push(random.int(0, 4));
    villageIndex.push(random.chance(0.1) ? -1 : random.int(0, 39));
  }
  const villageTownship = Array.from({ length: 40 }, (_, v) => v % 7);
  return deepFreeze({ lonDeg, latDeg, occurredAtMs, categoryCode, villageIndex, villageTownship, villageCount: 40 });
}

/** Position of the first differing element (or the shorter length), −1 when equal; fast on big typed arrays. */
export function firstDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Math.min(a.length, b.length);
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return i;
  return -1;
}
