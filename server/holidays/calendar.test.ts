import { describe, expect, it } from 'vitest';
import {
  addDays,
  HOLIDAY_KEYS,
  festivalDay,
  holidaysOfYear,
  NOTICE_YEARS,
  qingmingDay,
  sameHolidayInYear,
  whichHoliday,
} from './calendar.js';

/**
 * Published dates (almanacs, the State Council's notices), written out here independently of the
 * lunar table in calendar.ts: year, 春节 (正月初一), 清明, 端午 (五月初五), 中秋 (八月十五).
 */
const KNOWN: [number, string, string, string, string][] = [
  [2000, '02-05', '04-04', '06-06', '09-12'],
  [2001, '01-24', '04-05', '06-25', '10-01'],
  [2002, '02-12', '04-05', '06-15', '09-21'],
  [2003, '02-01', '04-05', '06-04', '09-11'],
  [2004, '01-22', '04-04', '06-22', '09-28'],
  [2005, '02-09', '04-05', '06-11', '09-18'],
  [2006, '01-29', '04-05', '05-31', '10-06'],
  [2007, '02-18', '04-05', '06-19', '09-25'],
  [2008, '02-07', '04-04', '06-08', '09-14'],
  [2009, '01-26', '04-04', '05-28', '10-03'],
  [2010, '02-14', '04-05', '06-16', '09-22'],
  [2011, '02-03', '04-05', '06-06', '09-12'],
  [2012, '01-23', '04-04', '06-23', '09-30'],
  [2013, '02-10', '04-04', '06-12', '09-19'],
  [2014, '01-31', '04-05', '06-02', '09-08'],
  [2015, '02-19', '04-05', '06-20', '09-27'],
  [2016, '02-08', '04-04', '06-09', '09-15'],
  [2017, '01-28', '04-04', '05-30', '10-04'],
  [2018, '02-16', '04-05', '06-18', '09-24'],
  [2019, '02-05', '04-05', '06-07', '09-13'],
  [2020, '01-25', '04-04', '06-25', '10-01'],
  [2021, '02-12', '04-04', '06-14', '09-21'],
  [2022, '02-01', '04-05', '06-03', '09-10'],
  [2023, '01-22', '04-05', '06-22', '09-29'],
  [2024, '02-10', '04-04', '06-10', '09-17'],
  [2025, '01-29', '04-04', '05-31', '10-06'],
  [2026, '02-17', '04-05', '06-19', '09-25'],
  [2027, '02-06', '04-05', '06-09', '09-15'],
  [2028, '01-26', '04-04', '05-28', '10-03'],
  [2029, '02-13', '04-04', '06-16', '09-22'],
  [2030, '02-03', '04-05', '06-05', '09-12'],
];

const weekday = (date: string) => new Date(`${date}T00:00:00Z`).getUTCDay();

describe('festival days 2000–2030', () => {
  it.each(KNOWN)('%i', (year, spring, qingming, dragonBoat, midAutumn) => {
    expect(festivalDay('springFestival', year)).toBe(`${year}-${spring}`);
    expect(qingmingDay(year)).toBe(`${year}-${qingming}`);
    expect(festivalDay('dragonBoat', year)).toBe(`${year}-${dragonBoat}`);
    expect(festivalDay('midAutumn', year)).toBe(`${year}-${midAutumn}`);
  });

  it('Qingming agrees with the 21st-century term formula floor(0.2422·Y + 4.81) − floor(Y / 4)', () => {
    for (let year = 2000; year <= 2099; year++) {
      const y = year % 100;
      const day = Math.floor(0.2422 * y + 4.81) - Math.floor(y / 4);
      expect(qingmingDay(year)).toBe(`${year}-04-0${day}`);
    }
  });

  it('Spring Festival outside the tested years: 1949, 1976, 1990, 2050', () => {
    expect(['1949', '1976', '1990', '2050'].map((y) => festivalDay('springFestival', Number(y)))).toEqual([
      '1949-01-29',
      '1976-01-31',
      '1990-01-27',
      '2050-01-23',
    ]);
  });
});

describe('holidaysOfYear', () => {
  it('2025 from the State Council notice: 春节 from 除夕, 中秋 inside 国庆', () => {
    const holidays = Object.fromEntries(holidaysOfYear(2025).map((h) => [h.key, h]));
    expect(holidays.springFestival).toEqual({
      key: 'springFestival',
      name: '春节',
      nameEn: 'Spring Festival',
      festivalDay: '2025-01-29',
      firstDay: '2025-01-28',
      days: 8,
      workdays: ['2025-01-26', '2025-02-08'],
      source: 'stateCouncil',
    });
    expect(holidays.midAutumn).toMatchObject({ festivalDay: '2025-10-06', within: 'nationalDay', days: 8 });
  });

  it.each(NOTICE_YEARS)('%i notice: spans hold their festival day, workdays are weekend days outside them', (year) => {
    for (const holiday of holidaysOfYear(year)) {
      expect(holiday.source).toBe('stateCouncil');
      const last = addDays(holiday.firstDay, holiday.days - 1);
      expect(holiday.festivalDay >= holiday.firstDay && holiday.festivalDay <= last).toBe(true);
      for (const workday of holiday.workdays) {
        expect([0, 6]).toContain(weekday(workday));
        expect(workday < holiday.firstDay || workday > last).toBe(true);
      }
    }
  });

  it('a year without a notice: statutory days only, no 调休', () => {
    const spans = holidaysOfYear(2027).map((h) => [h.key, h.firstDay, h.days, h.workdays.length, h.source]);
    expect(spans).toEqual([
      ['newYear', '2027-01-01', 1, 0, 'statutory'],
      ['springFestival', '2027-02-05', 4, 0, 'statutory'],
      ['qingming', '2027-04-05', 1, 0, 'statutory'],
      ['labourDay', '2027-05-01', 2, 0, 'statutory'],
      ['dragonBoat', '2027-06-09', 1, 0, 'statutory'],
      ['midAutumn', '2027-09-15', 1, 0, 'statutory'],
      ['nationalDay', '2027-10-01', 3, 0, 'statutory'],
    ]);
    expect(holidaysOfYear(2019).find((h) => h.key === 'springFestival')).toMatchObject({
      firstDay: '2019-02-05',
      days: 3,
    });
  });

  it('every year 1901–2099 has its seven holidays', () => {
    for (let year = 1901; year <= 2099; year++) {
      expect(
        holidaysOfYear(year)
          .map((h) => h.key)
          .sort(),
      ).toEqual([...HOLIDAY_KEYS].sort());
    }
  });
});

describe('matching by holiday and day of the holiday', () => {
  it('whichHoliday counts from the festival day', () => {
    expect(whichHoliday('2026-02-15')).toEqual({ key: 'springFestival', dayOfHoliday: -2 });
    expect(whichHoliday('2026-02-23')).toEqual({ key: 'springFestival', dayOfHoliday: 6 });
    expect(whichHoliday('2025-10-06')).toEqual({ key: 'nationalDay', dayOfHoliday: 5 });
    expect(whichHoliday('2023-12-30')).toEqual({ key: 'newYear', dayOfHoliday: -2 });
    expect(whichHoliday('2027-02-06')).toEqual({ key: 'springFestival', dayOfHoliday: 0 });
    expect(whichHoliday('2026-02-14')).toBeNull(); // a 调休 Saturday
    expect(whichHoliday('2026-03-10')).toBeNull();
  });

  it('sameHolidayInYear finds the same lunar day in past years', () => {
    expect([2024, 2025, 2026].map((year) => sameHolidayInYear('springFestival', -1, year))).toEqual([
      '2024-02-09',
      '2025-01-28',
      '2026-02-16',
    ]);
    expect(sameHolidayInYear('nationalDay', 3, 2020)).toBe('2020-10-04');
    expect(sameHolidayInYear('qingming', 0, 2026)).toBe('2026-04-05');
  });
});
