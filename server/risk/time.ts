/**
 * Calendar arithmetic for the risk maps in China Standard Time (UTC+8, no daylight saving).
 *
 * A *China day number* counts calendar days in UTC+8 since 1970-01-01 (day 0), so an event at
 * 2024-03-01 07:00 +08:00 (= 2024-02-29 23:00 UTC) is on the China day of 2024-03-01. A *month
 * index* counts calendar months in UTC+8 since January 1970 (month 0). Windows are half-open day
 * ranges `[startDay, endDay)`.
 */

const DAY_MS = 86_400_000;
const CHINA_OFFSET_MS = 8 * 3_600_000;

/** China day number of an instant given as epoch milliseconds. */
export function chinaDayOfEpochMs(epochMs: number): number {
  return Math.floor((epochMs + CHINA_OFFSET_MS) / DAY_MS);
}

/**
 * China day number of a calendar date in UTC+8 (month 1–12), by the proleptic Gregorian calendar.
 * Pure arithmetic (days from a civil date, counting years from March so the leap day comes last):
 * the risk maps call this and its inverse per month of every window, and a Date per call showed in
 * the profile under load.
 */
export function chinaDayOfDate(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

/** Calendar date (UTC+8) of a China day number: the inverse of chinaDayOfDate. */
export function dateOfChinaDay(chinaDay: number): { year: number; month: number; day: number } {
  const z = chinaDay + 719_468;
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor(
    (dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const shiftedMonth = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * shiftedMonth + 2) / 5) + 1;
  const month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9;
  return { year: yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

/** Month index (months since January 1970, UTC+8) of a China day number. */
export function monthIndexOfChinaDay(chinaDay: number): number {
  const { year, month } = dateOfChinaDay(chinaDay);
  return (year - 1970) * 12 + month - 1;
}

/** China day number of the first day of a month index. */
export function firstChinaDayOfMonth(monthIndex: number): number {
  const year = 1970 + Math.floor(monthIndex / 12);
  const month = monthIndex - (year - 1970) * 12 + 1;
  return chinaDayOfDate(year, month, 1);
}

/** Month index of a calendar month (month 1–12). */
export function monthIndexOf(year: number, month: number): number {
  return (year - 1970) * 12 + month - 1;
}

/**
 * The same calendar dates one year earlier (同比), for a half-open day window. A date that does
 * not exist a year earlier (29 February) becomes the last day of that month.
 */
export function sameWindowLastYear(startDay: number, endDay: number): { startDay: number; endDay: number } {
  return { startDay: shiftOneYearBack(startDay), endDay: shiftOneYearBack(endDay) };
}

function shiftOneYearBack(chinaDay: number): number {
  const { year, month, day } = dateOfChinaDay(chinaDay);
  const lastDay =
    chinaDayOfDate(month === 12 ? year : year - 1, (month % 12) + 1, 1) - chinaDayOfDate(year - 1, month, 1);
  return chinaDayOfDate(year - 1, month, Math.min(day, lastDay));
}

/**
 * Length of a day window in calendar months: each calendar month it covers counts as 1 whatever
 * its length, a partly covered month as the covered share of its days. So 1 January – 1 April is
 * exactly 3 and one February is 1: "events per month" means per calendar month, as leaders read it.
 */
export function windowMonths(startDay: number, endDay: number): number {
  let months = 0;
  for (let day = startDay; day < endDay;) {
    const month = monthIndexOfChinaDay(day);
    const monthStart = firstChinaDayOfMonth(month);
    const monthEnd = firstChinaDayOfMonth(month + 1);
    const until = Math.min(endDay, monthEnd);
    months += (until - day) / (monthEnd - monthStart);
    day = until;
  }
  return months;
}
