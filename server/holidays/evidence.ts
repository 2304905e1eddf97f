import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import type { DutyId, EvidenceEntry } from './api-types.js';
import { addDays, LUNAR_RANGE, sameHolidayInYear, whichHoliday, type HolidayKey } from './calendar.js';

/**
 * Officer-hours of work per event, by category and the duty that handles it. First estimates from
 * the seed report's description of holiday work (an incident call takes a pair about 45 minutes on
 * site; disputes and petitions take longer; a traffic accident needs scene control and clearing);
 * patrol is presence where events happen: half an hour per event of any kind.
 */
export const HANDLING_HOURS: Record<string, Partial<Record<DutyId, number>>> = {
  incident: { incident: 1.5, patrol: 0.5 },
  dispute: { incident: 2, patrol: 0.5 },
  petition: { incident: 3, patrol: 0.5 },
  fraud: { incident: 1, patrol: 0.25 },
  traffic_accident: { traffic: 2.5, patrol: 0.5 },
};

/** The first shift of a holiday day starts at 08:00 (白班), then 中班, then 夜班 to 08:00 next morning. */
export const SHIFT_START_HOUR = 8;

/**
 * Which public holiday a holiday entered from `firstDay` for `days` days is, as the holiday's key and
 * the day of that holiday its first day is (counted from the festival's own date, so a week entered
 * two days before 初一 is day −2 of the Spring Festival, whatever day that year's days off start).
 */
export function matchPublicHoliday(firstDay: string, days: number): { key: HolidayKey; dayOfHoliday: number } | null {
  const year = Number(firstDay.slice(0, 4));
  if (year < LUNAR_RANGE.from + 1 || year > LUNAR_RANGE.to) return null;
  for (let day = 0; day < days; day++) {
    const match = whichHoliday(addDays(firstDay, day));
    if (match) return { key: match.key, dayOfHoliday: match.dayOfHoliday - day };
  }
  return null;
}

/**
 * The first days of a holiday's windows in past years with data: the same days of the same public
 * holiday (the Spring Festival week of 2027 is compared with the lunar new year of 2024–2026), or
 * the same calendar dates for a holiday that is none of China's public holidays.
 */
export function pastWindows(firstDay: string, days: number, dataFrom: string, dataTo: string): string[] {
  const match = matchPublicHoliday(firstDay, days);
  const year = Number(firstDay.slice(0, 4));
  const windows: string[] = [];
  for (let back = 1; back <= 10; back++) {
    if (year - back < LUNAR_RANGE.from) break;
    const start = match
      ? sameHolidayInYear(match.key, match.dayOfHoliday, year - back)
      : `${year - back}${firstDay.slice(4)}`.replace(/-02-29$/, '-03-01');
    const end = addDays(start, days - 1);
    if (start >= dataFrom && end <= dataTo) windows.push(start);
  }
  return windows.sort();
}

/**
 * Expected work per station, day, shift and duty of a holiday: the events at each station on the
 * same days of the same holiday in past years (China time; `from` lists each window's first day),
 * times the handling hours, averaged over those years.
 */
export async function holidayEvidence(
  db: Kysely<DB>,
  holiday: { countyCode: string; firstDay: string; days: number; shiftsPerDay: number },
): Promise<{ evidence: EvidenceEntry[]; from: string[] }> {
  const range = await sql<{ from: string | null; to: string | null }>`
    select min((occurred_at at time zone 'UTC' + interval '8 hours')::date)::text as "from",
           max((occurred_at at time zone 'UTC' + interval '8 hours')::date)::text as "to"
    from events where county_code = ${holiday.countyCode}`.execute(db);
  const { from, to } = range.rows[0] ?? { from: null, to: null };
  if (!from || !to) return { evidence: [], from: [] };
  const windows = pastWindows(holiday.firstDay, holiday.days, from, to);
  if (windows.length === 0) return { evidence: [], from: [] };
  const rows = await sql<{ station: string; category: string; window: string; day: number; hour: number; n: number }>`
    with local as (
      select police_station_code as station, category,
             (occurred_at at time zone 'UTC' + interval '8 hours') as at
      from events
      where county_code = ${holiday.countyCode} and police_station_code is not null
    ), windows as (
      select w::date as start from unnest(${windows}::text[]) as w
    )
    select l.station, l.category, w.start::text as window, (l.at::date - w.start) as day,
           extract(hour from l.at)::int as hour, count(*) as n
    from local l join windows w
      on l.at >= w.start + interval '8 hours' and l.at < w.start + ${holiday.days}::int + interval '8 hours'
    group by 1, 2, 3, 4, 5`.execute(db);
  // A holiday day runs from 08:00 to 08:00: the night shift ends the next morning.
  const shiftHours = 24 / holiday.shiftsPerDay;
  const hours = new Map<string, number>();
  for (const row of rows.rows) {
    const day = row.hour < SHIFT_START_HOUR ? row.day - 1 : row.day;
    const shift = Math.min(
      holiday.shiftsPerDay - 1,
      Math.floor(((row.hour - SHIFT_START_HOUR + 24) % 24) / shiftHours),
    );
    for (const [duty, perEvent] of Object.entries(HANDLING_HOURS[row.category] ?? {})) {
      const key = `${row.station}|${day}|${shift}|${duty}`;
      hours.set(key, (hours.get(key) ?? 0) + (row.n * perEvent) / windows.length);
    }
  }
  const evidence = [...hours].map(([key, officerHours]) => {
    const [stationCode, day, shift, duty] = key.split('|') as [string, string, string, DutyId];
    return {
      stationCode,
      day: Number(day),
      shift: Number(shift),
      duty,
      expectedOfficerHours: Math.round(officerHours * 10) / 10,
      expectedOfficers: Math.round((officerHours / shiftHours) * 10) / 10,
    };
  });
  evidence.sort(
    (a, b) =>
      a.stationCode.localeCompare(b.stationCode) || a.day - b.day || a.shift - b.shift || a.duty.localeCompare(b.duty),
  );
  return { evidence, from: windows };
}
