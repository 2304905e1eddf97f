import type { Kysely } from 'kysely';
import { Random } from '../county/generate/random.js';
import type { DB } from '../db/schema.js';
import type { DemandEntry, DutyId } from './api-types.js';
import { holidayEvidence } from './evidence.js';
import { createHoliday, readHolidayOfficers, replaceDemands, writeAvailability } from './repository.js';

/** The demo county's coming holiday: the 2027 Spring Festival week. */
export const DEMO_HOLIDAY = {
  name: '2027年春节',
  firstDay: '2027-02-06',
  days: 7,
  shiftsPerDay: 3,
  // Headquarters officers are sent out for the holiday from the county seat; the far stations are
  // two to three hours away on the mountain roads.
  maxTravelMinutes: 150,
} as const;

/** Extra officers a station of median size asks for per shift (day, evening, night) before its history. */
const BASE_ASK: Record<DutyId, [number, number, number]> = {
  incident: [4, 4, 2],
  traffic: [4, 2, 0],
  patrol: [4, 5, 2],
};
/** Busier holiday days (arrivals on the eve and first days, returns at the end). */
const DAY_FACTOR = [1.3, 1.2, 1, 0.9, 0.9, 1, 1.2];

/**
 * A draft holiday with every station's submission, as commanders would enter it: a base ask per
 * duty and shift scaled by the station's size and its past holidays' events, times a habit of its
 * own (some ask for too much, some too little, which the evidence column shows), and a tenth of
 * the pool on leave for a day or two. Deterministic for a seed; skipped when a holiday exists.
 */
export async function seedDemoHoliday(db: Kysely<DB>, countyCode: string, seed: string): Promise<number | null> {
  const existing = await db
    .selectFrom('holidays')
    .select('id')
    .where('county_code', '=', countyCode)
    .executeTakeFirst();
  if (existing) return null;
  const holiday = await createHoliday(db, { countyCode, ...DEMO_HOLIDAY }, 'demo');
  const random = new Random(`${seed}/holiday`);
  const { evidence } = await holidayEvidence(db, { countyCode, ...DEMO_HOLIDAY });
  const stations = await db
    .selectFrom('police_stations')
    .select(['code', 'officers'])
    .where('county_code', '=', countyCode)
    .orderBy('code')
    .execute();
  const expected = new Map(evidence.map((e) => [`${e.stationCode}|${e.day}|${e.shift}|${e.duty}`, e.expectedOfficers]));
  const sizes = stations.map((s) => s.officers).sort((a, b) => a - b);
  const median = Math.max(1, sizes[sizes.length >> 1] ?? 1);
  const entries: DemandEntry[] = [];
  for (const station of stations) {
    const size = Math.min(4, Math.max(0.6, station.officers / median));
    const habit = random.uniform(0.45, 2);
    const own = Math.max(1, Math.round(station.officers / 6));
    for (let day = 0; day < DEMO_HOLIDAY.days; day++) {
      for (let shift = 0; shift < DEMO_HOLIDAY.shiftsPerDay; shift++) {
        for (const duty of ['incident', 'traffic', 'patrol'] as const) {
          const history = expected.get(`${station.code}|${day}|${shift}|${duty}`) ?? 0;
          const ask = habit * DAY_FACTOR[day]! * (BASE_ASK[duty][shift]! * size * 0.65 + 10 * history);
          entries.push({
            stationCode: station.code,
            day,
            shift,
            duty,
            officers: Math.round(ask),
            ownOnDuty: duty === 'incident' ? own : Math.round(own / 2),
          });
        }
      }
    }
  }
  await replaceDemands(db, holiday, entries);
  for (const officer of await readHolidayOfficers(db, holiday)) {
    if (!random.chance(0.1)) continue;
    const first = random.int(0, DEMO_HOLIDAY.days - 1);
    const last = Math.min(DEMO_HOLIDAY.days - 1, first + random.int(0, 1));
    const off: [number, number][] = [];
    for (let day = first; day <= last; day++) for (let shift = 0; shift < 3; shift++) off.push([day, shift]);
    await writeAvailability(db, holiday, officer.id, off);
  }
  return holiday.id;
}
