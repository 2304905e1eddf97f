/**
 * China's public holidays by year: the lunar festivals from a table of lunar months, Qingming from
 * the sun's position, and the State Council's holiday spans with their adjusted working days (调休)
 * for the years whose notices are entered below. Pure: dates in and out as 'YYYY-MM-DD' (China time).
 */

export type HolidayKey =
  'newYear' | 'springFestival' | 'qingming' | 'labourDay' | 'dragonBoat' | 'midAutumn' | 'nationalDay';

export const HOLIDAY_KEYS: readonly HolidayKey[] = [
  'newYear',
  'springFestival',
  'qingming',
  'labourDay',
  'dragonBoat',
  'midAutumn',
  'nationalDay',
];

const NAMES: Record<HolidayKey, { name: string; nameEn: string }> = {
  newYear: { name: '元旦', nameEn: "New Year's Day" },
  springFestival: { name: '春节', nameEn: 'Spring Festival' },
  qingming: { name: '清明节', nameEn: 'Qingming Festival' },
  labourDay: { name: '劳动节', nameEn: 'Labour Day' },
  dragonBoat: { name: '端午节', nameEn: 'Dragon Boat Festival' },
  midAutumn: { name: '中秋节', nameEn: 'Mid-Autumn Festival' },
  nationalDay: { name: '国庆节', nameEn: 'National Day' },
};

export interface PublicHoliday {
  key: HolidayKey;
  name: string;
  nameEn: string;
  /** The festival's own date (春节: 正月初一; 清明: the solar term's day); day 0 of the holiday. */
  festivalDay: string;
  /** First day off; may fall before the festival (除夕) or in the year before (2024's New Year weekend). */
  firstDay: string;
  days: number;
  /** Weekend days worked instead (调休), as the State Council's notice lists them. */
  workdays: string[];
  /**
   * 'stateCouncil': the span and workdays of that year's notice; 'statutory': only the statutory
   * day(s) off (全国年节及纪念日放假办法) with no 调休, for a year whose notice is not entered here.
   */
  source: 'stateCouncil' | 'statutory';
  /** Set when the notice merged this festival into another holiday's span (2025: 中秋 inside 国庆). */
  within?: HolidayKey;
}

// ---------------------------------------------------------------------------------------------
// Days as integers (days since 1970-01-01), so spans and offsets are plain arithmetic.

const DAY_MS = 86_400_000;

function dayNumber(date: string): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) throw new Error(`not a date: ${date}`);
  return Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) / DAY_MS;
}

function dateText(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** The date `offset` days after `date` (negative: before). */
export function addDays(date: string, offset: number): string {
  return dateText(dayNumber(date) + offset);
}

/** Days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return dayNumber(to) - dayNumber(from);
}

// ---------------------------------------------------------------------------------------------
// The lunar calendar (农历).

/**
 * One number per lunar year 1900–2100, the months of the Chinese calendar as published by the
 * Purple Mountain Observatory (紫金山天文台) and reproduced in many almanacs and open calendar
 * libraries (the widely circulated "lunarInfo" table; here only the facts are taken, the decoder is
 * our own). Bits: 0–3 the leap month (0: none); bit (16 − m) set when month m (1–12) has 30 days,
 * else 29; bit 16 set when the leap month has 30 days. Checked in calendar.test.ts against the
 * known festival dates of 2000–2030.
 */
// prettier-ignore
const LUNAR_YEARS = [
  0x04bd8, 0x04ae0, 0x0a570, 0x054d5, 0x0d260, 0x0d950, 0x16554, 0x056a0, 0x09ad0, 0x055d2, // 1900
  0x04ae0, 0x0a5b6, 0x0a4d0, 0x0d250, 0x1d255, 0x0b540, 0x0d6a0, 0x0ada2, 0x095b0, 0x14977, // 1910
  0x04970, 0x0a4b0, 0x0b4b5, 0x06a50, 0x06d40, 0x1ab54, 0x02b60, 0x09570, 0x052f2, 0x04970, // 1920
  0x06566, 0x0d4a0, 0x0ea50, 0x16a95, 0x05ad0, 0x02b60, 0x186e3, 0x092e0, 0x1c8d7, 0x0c950, // 1930
  0x0d4a0, 0x1d8a6, 0x0b550, 0x056a0, 0x1a5b4, 0x025d0, 0x092d0, 0x0d2b2, 0x0a950, 0x0b557, // 1940
  0x06ca0, 0x0b550, 0x15355, 0x04da0, 0x0a5b0, 0x14573, 0x052b0, 0x0a9a8, 0x0e950, 0x06aa0, // 1950
  0x0aea6, 0x0ab50, 0x04b60, 0x0aae4, 0x0a570, 0x05260, 0x0f263, 0x0d950, 0x05b57, 0x056a0, // 1960
  0x096d0, 0x04dd5, 0x04ad0, 0x0a4d0, 0x0d4d4, 0x0d250, 0x0d558, 0x0b540, 0x0b6a0, 0x195a6, // 1970
  0x095b0, 0x049b0, 0x0a974, 0x0a4b0, 0x0b27a, 0x06a50, 0x06d40, 0x0af46, 0x0ab60, 0x09570, // 1980
  0x04af5, 0x04970, 0x064b0, 0x074a3, 0x0ea50, 0x06b58, 0x05ac0, 0x0ab60, 0x096d5, 0x092e0, // 1990
  0x0c960, 0x0d954, 0x0d4a0, 0x0da50, 0x07552, 0x056a0, 0x0abb7, 0x025d0, 0x092d0, 0x0cab5, // 2000
  0x0a950, 0x0b4a0, 0x0baa4, 0x0ad50, 0x055d9, 0x04ba0, 0x0a5b0, 0x15176, 0x052b0, 0x0a930, // 2010
  0x07954, 0x06aa0, 0x0ad50, 0x05b52, 0x04b60, 0x0a6e6, 0x0a4e0, 0x0d260, 0x0ea65, 0x0d530, // 2020
  0x05aa0, 0x076a3, 0x096d0, 0x04afb, 0x04ad0, 0x0a4d0, 0x1d0b6, 0x0d250, 0x0d520, 0x0dd45, // 2030
  0x0b5a0, 0x056d0, 0x055b2, 0x049b0, 0x0a577, 0x0a4b0, 0x0aa50, 0x1b255, 0x06d20, 0x0ada0, // 2040
  0x14b63, 0x09370, 0x049f8, 0x04970, 0x064b0, 0x168a6, 0x0ea50, 0x06b20, 0x1a6c4, 0x0aae0, // 2050
  0x0a2e0, 0x0d2e3, 0x0c960, 0x0d557, 0x0d4a0, 0x0da50, 0x05d55, 0x056a0, 0x0a6d0, 0x055d4, // 2060
  0x052d0, 0x0a9b8, 0x0a950, 0x0b4a0, 0x0b6a6, 0x0ad50, 0x055a0, 0x0aba4, 0x0a5b0, 0x052b0, // 2070
  0x0b273, 0x06930, 0x07337, 0x06aa0, 0x0ad50, 0x14b55, 0x04b60, 0x0a570, 0x054e4, 0x0d160, // 2080
  0x0e968, 0x0d520, 0x0daa0, 0x16aa6, 0x056d0, 0x04ae0, 0x0a9d4, 0x0a2d0, 0x0d150, 0x0f252, // 2090
  0x0d520, // 2100
];
const FIRST_LUNAR_YEAR = 1900;
/** 正月初一 of lunar year 1900. */
const FIRST_NEW_YEAR_DAY = dayNumber('1900-01-31');

export const LUNAR_RANGE = { from: FIRST_LUNAR_YEAR, to: FIRST_LUNAR_YEAR + LUNAR_YEARS.length - 1 } as const;

/** The lengths of a lunar year's months in order, the leap month (闰月) after the month it repeats. */
function lunarMonths(year: number): { month: number; leap: boolean; days: number }[] {
  const info = LUNAR_YEARS[year - FIRST_LUNAR_YEAR];
  if (info === undefined) throw new Error(`lunar year ${year} is outside ${LUNAR_RANGE.from}–${LUNAR_RANGE.to}`);
  const leapMonth = info & 0xf;
  const months: { month: number; leap: boolean; days: number }[] = [];
  for (let month = 1; month <= 12; month++) {
    months.push({ month, leap: false, days: info & (0x10000 >> month) ? 30 : 29 });
    if (month === leapMonth) months.push({ month, leap: true, days: info & 0x10000 ? 30 : 29 });
  }
  return months;
}

const newYearDays: number[] = [FIRST_NEW_YEAR_DAY];

/** Day number of 正月初一 of a lunar year (cumulative year lengths from 1900, cached). */
function lunarNewYearDay(year: number): number {
  for (let y = FIRST_LUNAR_YEAR + newYearDays.length - 1; y < year; y++) {
    const length = lunarMonths(y).reduce((sum, m) => sum + m.days, 0);
    newYearDays.push(newYearDays[newYearDays.length - 1]! + length);
  }
  lunarMonths(year); // range check
  return newYearDays[year - FIRST_LUNAR_YEAR]!;
}

/** The Gregorian date of a (non-leap) lunar month and day of a lunar year. */
export function lunarToSolar(year: number, month: number, day: number): string {
  let offset = 0;
  for (const m of lunarMonths(year)) {
    if (m.month === month && !m.leap) {
      if (day < 1 || day > m.days) throw new Error(`lunar ${year}-${month} has ${m.days} days`);
      return dateText(lunarNewYearDay(year) + offset + day - 1);
    }
    offset += m.days;
  }
  throw new Error(`lunar month ${month} out of range`);
}

// ---------------------------------------------------------------------------------------------
// Qingming (清明): the day, in China time, on which the sun's apparent longitude reaches 15°.

/**
 * The sun's apparent geometric longitude in degrees at a Julian Ephemeris Day, by the
 * low-accuracy theory of Meeus, Astronomical Algorithms (2nd ed.), chapter 25: about 0.01°, i.e.
 * some 15 minutes of time — enough for the date unless the term falls within minutes of midnight.
 */
function sunApparentLongitude(jde: number): number {
  const t = (jde - 2_451_545) / 36_525;
  const rad = Math.PI / 180;
  const meanLongitude = 280.46646 + 36_000.76983 * t + 0.0003032 * t * t;
  const meanAnomaly = (357.52911 + 35_999.05029 * t - 0.0001537 * t * t) * rad;
  const centre =
    (1.914602 - 0.004817 * t - 0.000014 * t * t) * Math.sin(meanAnomaly) +
    (0.019993 - 0.000101 * t) * Math.sin(2 * meanAnomaly) +
    0.000289 * Math.sin(3 * meanAnomaly);
  const node = (125.04 - 1934.136 * t) * rad;
  const longitude = meanLongitude + centre - 0.00569 - 0.00478 * Math.sin(node);
  return ((longitude % 360) + 360) % 360;
}

/** Julian Day of 1970-01-01 00:00 UT. */
const UNIX_EPOCH_JD = 2_440_587.5;

/** The moment (Julian Ephemeris Day) the sun's apparent longitude reaches `degrees` near a first guess. */
function solarTermJde(degrees: number, guessJde: number): number {
  let jde = guessJde;
  for (let i = 0; i < 20; i++) {
    const gap = ((degrees - sunApparentLongitude(jde) + 540) % 360) - 180;
    jde += (gap * 365.2422) / 360;
    if (Math.abs(gap) < 1e-7) break;
  }
  return jde;
}

/**
 * ΔT (TT − UT) in seconds: about 64 s in 2000 rising to 69 s in 2020 (IERS); a minute's error
 * here moves the term by a minute, so a rough value is enough.
 */
function deltaTSeconds(year: number): number {
  return year < 2000 ? 63 : Math.min(72, 64 + (year - 2000) * 0.25);
}

/** The date of Qingming (清明, the sun at 15°) in China time (UTC+8) of a year. */
export function qingmingDay(year: number): string {
  const guess = Date.UTC(year, 3, 5) / DAY_MS + UNIX_EPOCH_JD;
  const jde = solarTermJde(15, guess);
  const chinaDays = jde - deltaTSeconds(year) / 86_400 - UNIX_EPOCH_JD + 8 / 24;
  return dateText(Math.floor(chinaDays));
}

// ---------------------------------------------------------------------------------------------
// The holidays.

/** The festival's own date (day 0) of a holiday in a Gregorian year. */
export function festivalDay(key: HolidayKey, year: number): string {
  switch (key) {
    case 'newYear':
      return `${year}-01-01`;
    case 'springFestival':
      return lunarToSolar(year, 1, 1);
    case 'qingming':
      return qingmingDay(year);
    case 'labourDay':
      return `${year}-05-01`;
    case 'dragonBoat':
      return lunarToSolar(year, 5, 5);
    case 'midAutumn':
      return lunarToSolar(year, 8, 15);
    case 'nationalDay':
      return `${year}-10-01`;
  }
}

type Span = { firstDay: string; days: number; workdays?: string[]; within?: HolidayKey };

/**
 * The State Council's notices (国务院办公厅关于…年部分节假日安排的通知) for 2024, 2025 and 2026, each
 * published on gov.cn the autumn before. Other years: statutory days only, no 调休.
 */
const NOTICES: Record<number, Record<HolidayKey, Span>> = {
  2024: {
    // 1月1日（周一）放假，与周末连休.
    newYear: { firstDay: '2023-12-30', days: 3 },
    springFestival: { firstDay: '2024-02-10', days: 8, workdays: ['2024-02-04', '2024-02-18'] },
    qingming: { firstDay: '2024-04-04', days: 3, workdays: ['2024-04-07'] },
    labourDay: { firstDay: '2024-05-01', days: 5, workdays: ['2024-04-28', '2024-05-11'] },
    // 6月10日（周一）放假，与周末连休.
    dragonBoat: { firstDay: '2024-06-08', days: 3 },
    midAutumn: { firstDay: '2024-09-15', days: 3, workdays: ['2024-09-14'] },
    nationalDay: { firstDay: '2024-10-01', days: 7, workdays: ['2024-09-29', '2024-10-12'] },
  },
  2025: {
    newYear: { firstDay: '2025-01-01', days: 1 },
    springFestival: { firstDay: '2025-01-28', days: 8, workdays: ['2025-01-26', '2025-02-08'] },
    qingming: { firstDay: '2025-04-04', days: 3 },
    labourDay: { firstDay: '2025-05-01', days: 5, workdays: ['2025-04-27'] },
    dragonBoat: { firstDay: '2025-05-31', days: 3 },
    // 国庆节、中秋节：10月1日至8日放假调休，共8天 (中秋 is 10月6日).
    midAutumn: { firstDay: '2025-10-01', days: 8, workdays: ['2025-09-28', '2025-10-11'], within: 'nationalDay' },
    nationalDay: { firstDay: '2025-10-01', days: 8, workdays: ['2025-09-28', '2025-10-11'] },
  },
  2026: {
    newYear: { firstDay: '2026-01-01', days: 3, workdays: ['2026-01-04'] },
    springFestival: { firstDay: '2026-02-15', days: 9, workdays: ['2026-02-14', '2026-02-28'] },
    qingming: { firstDay: '2026-04-04', days: 3 },
    labourDay: { firstDay: '2026-05-01', days: 5, workdays: ['2026-05-09'] },
    dragonBoat: { firstDay: '2026-06-19', days: 3 },
    midAutumn: { firstDay: '2026-09-25', days: 3 },
    nationalDay: { firstDay: '2026-10-01', days: 7, workdays: ['2026-09-20', '2026-10-10'] },
  },
};

/** Years whose spans and adjusted working days come from the State Council's notice. */
export const NOTICE_YEARS: readonly number[] = Object.keys(NOTICES).map(Number);

/**
 * Statutory days off without 调休 (全国年节及纪念日放假办法): since 2025 春节 is 除夕 to 初三 and
 * 劳动节 two days; 2008–2024 春节 three days from 初一 and 劳动节 one day; before 2008 劳动节 and 国庆
 * three days each and 清明, 端午, 中秋 no day off (their festival day is still given, as one day).
 */
function statutorySpan(key: HolidayKey, year: number): Span {
  const day = festivalDay(key, year);
  switch (key) {
    case 'springFestival':
      return year >= 2025 ? { firstDay: addDays(day, -1), days: 4 } : { firstDay: day, days: 3 };
    case 'labourDay':
      return { firstDay: day, days: year >= 2025 ? 2 : year >= 2008 ? 1 : 3 };
    case 'nationalDay':
      return { firstDay: day, days: 3 };
    default:
      return { firstDay: day, days: 1 };
  }
}

/** China's seven public holidays of a Gregorian year, in calendar order of their festival days. */
export function holidaysOfYear(year: number): PublicHoliday[] {
  const notice = NOTICES[year];
  return HOLIDAY_KEYS.map((key): PublicHoliday => {
    const span = notice?.[key] ?? statutorySpan(key, year);
    return {
      key,
      ...NAMES[key],
      festivalDay: festivalDay(key, year),
      firstDay: span.firstDay,
      days: span.days,
      workdays: span.workdays ?? [],
      source: notice ? 'stateCouncil' : 'statutory',
      ...(span.within ? { within: span.within } : {}),
    };
  }).sort((a, b) => a.festivalDay.localeCompare(b.festivalDay));
}

/**
 * The holiday a date is a day off of, and its day counted from the festival's own date (0 = 初一,
 * 1 January, 1 October…; −1 = 除夕), so the same day of the holiday can be found in other years.
 * A merged span (2025's 国庆 and 中秋) answers with the holiday that owns the span. Null on other days.
 */
export function whichHoliday(date: string): { key: HolidayKey; dayOfHoliday: number } | null {
  const year = Number(date.slice(0, 4));
  // The next year's New Year may start in the last days of December (2024's began on 2023-12-30).
  const next = year < LUNAR_RANGE.to ? holidaysOfYear(year + 1) : [];
  for (const holiday of [...holidaysOfYear(year), ...next]) {
    if (holiday.within) continue;
    const offset = daysBetween(holiday.firstDay, date);
    if (offset >= 0 && offset < holiday.days) {
      return { key: holiday.key, dayOfHoliday: daysBetween(holiday.festivalDay, date) };
    }
  }
  return null;
}

/** The date of the same day of the same holiday in another year: its festival day plus `dayOfHoliday`. */
export function sameHolidayInYear(key: HolidayKey, dayOfHoliday: number, year: number): string {
  return addDays(festivalDay(key, year), dayOfHoliday);
}
