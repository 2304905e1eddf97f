import type { Kysely } from 'kysely';
import { Random } from '../county/generate/random.js';
import type { DB } from '../db/schema.js';
import { RoadRouting } from '../routing/service.js';
import { PolicingService } from './service.js';

/** The seed report's totals since 2018: services handled, requests for help, unregistered persons resolved. */
export const SEED_VISIT_TOTALS = { businessHandled: 420, helpRequests: 652, unregisteredResolved: 41 } as const;
const FIRST_DAY = Date.UTC(2018, 2, 1);
const LAST_DAY = Date.UTC(2026, 9, 31);
const DAY_MS = 86_400_000;

/**
 * A plausible visit record for the demo county: every no-trip village visited every two to four
 * months since March 2018, the services spread over the visits so that the county totals equal
 * the seed report's (420 / 652 / 41). Deterministic for a seed; skipped when visits exist.
 */
export async function seedDemoVisits(db: Kysely<DB>, countyCode: string, seed: string): Promise<number> {
  const existing = await db
    .selectFrom('backpack_visits')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirst();
  if ((existing?.n ?? 0) > 0) return 0;
  const report = await new PolicingService(db, new RoadRouting(db)).report(countyCode);
  const random = new Random(`${seed}/visits`);
  const visits: {
    village_code: string;
    station_code: string;
    visited_on: string;
    officers: number;
    business_handled: number;
    help_requests: number;
    unregistered_resolved: number;
    recorded_by: string;
  }[] = [];
  const weights: number[] = [];
  for (const village of report.villages) {
    if (!village.noTrip || !village.stationCode) continue;
    const g = village.groups;
    const weight = 1 + g.aged70Plus + 2 * g.disabled + g.lowIncome + 3 * g.needsAssistance;
    for (let day = FIRST_DAY + random.int(0, 60) * DAY_MS; day <= LAST_DAY; day += random.int(60, 120) * DAY_MS) {
      visits.push({
        village_code: village.code,
        station_code: village.stationCode,
        visited_on: new Date(day).toISOString().slice(0, 10),
        officers: random.chance(0.7) ? 2 : 3,
        business_handled: 0,
        help_requests: 0,
        unregistered_resolved: 0,
        recorded_by: 'demo',
      });
      weights.push(weight);
    }
  }
  if (visits.length === 0) return 0;
  const cumulative: number[] = [];
  weights.reduce((sum, w, i) => (cumulative[i] = sum + w), 0);
  const total = cumulative.at(-1)!;
  const pick = () => {
    const target = random.next() * total;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! > target) hi = mid;
      else lo = mid + 1;
    }
    return visits[lo]!;
  };
  for (let i = 0; i < SEED_VISIT_TOTALS.businessHandled; i++) pick().business_handled++;
  for (let i = 0; i < SEED_VISIT_TOTALS.helpRequests; i++) pick().help_requests++;
  for (let i = 0; i < SEED_VISIT_TOTALS.unregisteredResolved; i++) pick().unregistered_resolved++;
  for (let i = 0; i < visits.length; i += 1000) {
    await db
      .insertInto('backpack_visits')
      .values(visits.slice(i, i + 1000))
      .execute();
  }
  return visits.length;
}
