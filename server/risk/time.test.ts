import { describe, expect, it } from 'vitest';
import {
  chinaDayOfDate,
  chinaDayOfEpochMs,
  dateOfChinaDay,
  firstChinaDayOfMonth,
  monthIndexOf,
  monthIndexOfChinaDay,
  sameWindowLastYear,
  windowMonths,
} from './time.js';

describe('China Standard Time calendar', () => {
  it('puts instants on their UTC+8 calendar day', () => {
    // 2024-02-29 16:00 UTC is 2024-03-01 00:00 in China; one millisecond earlier is still 29 Feb.
    expect(chinaDayOfEpochMs(Date.UTC(2024, 1, 29, 16))).toBe(chinaDayOfDate(2024, 3, 1));
    expect(chinaDayOfEpochMs(Date.UTC(2024, 1, 29, 16) - 1)).toBe(chinaDayOfDate(2024, 2, 29));
    expect(chinaDayOfDate(1970, 1, 1)).toBe(0);
    expect(chinaDayOfEpochMs(Date.UTC(1969, 11, 31, 15, 59))).toBe(-1);
    expect(dateOfChinaDay(chinaDayOfDate(2026, 11, 30))).toEqual({ year: 2026, month: 11, day: 30 });
  });

  it('maps days to calendar months and back', () => {
    expect(monthIndexOf(2023, 11)).toBe(53 * 12 + 10);
    expect(monthIndexOfChinaDay(chinaDayOfEpochMs(Date.UTC(2024, 1, 29, 16)))).toBe(monthIndexOf(2024, 3));
    for (let month = monthIndexOf(2023, 11); month <= monthIndexOf(2026, 11); month++) {
      const first = firstChinaDayOfMonth(month);
      expect(monthIndexOfChinaDay(first)).toBe(month);
      expect(monthIndexOfChinaDay(first - 1)).toBe(month - 1);
      expect(dateOfChinaDay(first).day).toBe(1);
    }
  });

  it('agrees with the Date calendar on every day from 1900 to 2100', () => {
    const DAY_MS = 86_400_000;
    for (let chinaDay = Date.UTC(1900, 0, 1) / DAY_MS; chinaDay < Date.UTC(2100, 0, 1) / DAY_MS; chinaDay++) {
      const date = new Date(chinaDay * DAY_MS);
      const expected = { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() };
      const got = dateOfChinaDay(chinaDay);
      if (got.year !== expected.year || got.month !== expected.month || got.day !== expected.day) {
        expect(got, String(chinaDay)).toEqual(expected);
      }
      if (chinaDayOfDate(expected.year, expected.month, expected.day) !== chinaDay) {
        expect(chinaDayOfDate(expected.year, expected.month, expected.day), String(chinaDay)).toBe(chinaDay);
      }
    }
  });

  it('shifts a window to the same dates last year, clamping 29 February', () => {
    expect(sameWindowLastYear(chinaDayOfDate(2025, 3, 1), chinaDayOfDate(2025, 4, 1))).toEqual({
      startDay: chinaDayOfDate(2024, 3, 1),
      endDay: chinaDayOfDate(2024, 4, 1),
    });
    expect(sameWindowLastYear(chinaDayOfDate(2024, 2, 29), chinaDayOfDate(2024, 3, 10))).toEqual({
      startDay: chinaDayOfDate(2023, 2, 28),
      endDay: chinaDayOfDate(2023, 3, 10),
    });
  });

  it('measures windows in calendar months', () => {
    expect(windowMonths(chinaDayOfDate(2025, 1, 1), chinaDayOfDate(2026, 1, 1))).toBe(12);
    expect(windowMonths(chinaDayOfDate(2024, 2, 1), chinaDayOfDate(2024, 3, 1))).toBe(1);
    // 16 days of January (16–31) and 14 of February 2025 (28 days).
    expect(windowMonths(chinaDayOfDate(2025, 1, 16), chinaDayOfDate(2025, 2, 15))).toBeCloseTo(16 / 31 + 14 / 28, 14);
    expect(windowMonths(5, 5)).toBe(0);
  });
});
