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

/** China day number of a calendar date in UTC+8 (month 1–12). */
export function chinaDayOfDate(year: number, month: number, day: number): number {
  return Math.round(Date.UTC(year, month - 1, day) / DAY_MS);
}

/** Calendar date (UTC+8) of a China day number. */
export function dateOfChinaDay(chinaDay: number): { year: number; month: number; day: number } {
  const date = new Date(chinaDay * DAY_MS);
  return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() };
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
  const lastDay = new Date(Date.UTC(year - 1, month, 0)).getUTCDate();
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
