import { latLngToCell } from 'h3-js';
import { describe, expect, it } from 'vitest';
import { Random } from '../county/generate/random.js';
import {
  ALL_CATEGORIES_MASK,
  addResolution,
  type EventQuery,
  buildEventIndex,
  categoryCode,
  categoryMask,
  countByCell,
  countByVillage,
  countEvents,
  eventRange,
  monthlyCountsByCell,
  monthlyCountsByVillage,
  nonZeroCells,
  placeFilter,
} from './event-index.js';
import { FIXTURE_END_DAY, FIXTURE_START_DAY, firstDifference, syntheticEvents } from './test-fixtures.js';
import { chinaDayOfDate, chinaDayOfEpochMs, monthIndexOfChinaDay } from './time.js';

const events = syntheticEvents(3000, 'event-index');
const resolutions = [7, 9];
const index = buildEventIndex(events, { resolutions, villageCount: events.villageCount });

// The naive reference: every event's own day and H3 cell, computed straight from the inputs.
const naiveDay = events.occurredAtMs.map(chinaDayOfEpochMs);
const naiveCell = new Map(
  resolutions.map((r) => [r, events.lonDeg.map((lon, i) => latLngToCell(events.latDeg[i]!, lon, r))]),
);

function naiveMatches(query: EventQuery, i: number): boolean {
  const day = naiveDay[i]!;
  if (day < query.startDay || day >= query.endDay) return false;
  if (!((query.categoryMask >> events.categoryCode[i]!) & 1)) return false;
  if (!query.villageAllowed) return true;
  const village = events.villageIndex[i]!;
  return village >= 0 && query.villageAllowed[village] === 1;
}

function randomQuery(random: Random): EventQuery {
  const a = random.int(FIXTURE_START_DAY - 40, FIXTURE_END_DAY + 40);
  const b = random.int(FIXTURE_START_DAY - 40, FIXTURE_END_DAY + 40);
  const place = random.int(0, 2);
  const villageAllowed =
    place === 0
      ? null
      : place === 1
        ? placeFilter(events.villageTownship, { townships: [random.int(0, 6), random.int(0, 6)] })
        : placeFilter(events.villageTownship, { villages: [random.int(0, 39), random.int(0, 39), random.int(0, 39)] });
  return { startDay: Math.min(a, b), endDay: Math.max(a, b) + 1, categoryMask: random.int(0, 31), villageAllowed };
}

describe('event index', () => {
  it('sorts by China day and keeps every column aligned with the input', () => {
    expect(index.count).toBe(3000);
    for (let k = 0; k < index.count; k++) {
      const i = index.inputPosition[k]!;
      expect(index.day[k]).toBe(naiveDay[i]);
      expect(index.category[k]).toBe(events.categoryCode[i]);
      expect(index.village[k]).toBe(events.villageIndex[i]);
      if (k > 0) expect(index.day[k]).toBeGreaterThanOrEqual(index.day[k - 1]!);
      for (const r of resolutions) {
        const column = index.cellsByResolution.get(r)!;
        expect(column.cells[column.cellOfEvent[k]!]).toBe(naiveCell.get(r)![i]);
      }
    }
    expect(new Set(index.inputPosition).size).toBe(3000);
    // About 10 % of the fixture's events repeat an earlier address.
    const distinct = index.distinctPoints;
    expect(distinct.lonDeg.length).toBeLessThan(2800);
    expect(distinct.lonDeg.length).toBe(new Set(events.lonDeg.map((lon, i) => `${lon},${events.latDeg[i]}`)).size);
    for (let k = 0; k < index.count; k++) {
      const i = index.inputPosition[k]!;
      expect([distinct.lonDeg[distinct.pointOfEvent[k]!], distinct.latDeg[distinct.pointOfEvent[k]!]]).toEqual([
        events.lonDeg[i],
        events.latDeg[i],
      ]);
    }
  });

  it('adds a resolution later, equal to building it at once', () => {
    const later = addResolution(index, 8);
    const atOnce = buildEventIndex(events, { resolutions: [8] });
    expect(later.cellsByResolution.get(8)!.cells).toEqual(atOnce.cellsByResolution.get(8)!.cells);
    expect(
      firstDifference(later.cellsByResolution.get(8)!.cellOfEvent, atOnce.cellsByResolution.get(8)!.cellOfEvent),
    ).toBe(-1);
    expect(later.cellsByResolution.get(7)).toBe(index.cellsByResolution.get(7));
    expect(index.cellsByResolution.has(8)).toBe(false);
    expect(addResolution(later, 8)).toBe(later);
  });

  it('aggregates exactly like a naive filter-and-count, for many random windows and filters', () => {
    const random = new Random('queries');
    for (let trial = 0; trial < 60; trial++) {
      const query = randomQuery(random);
      const matching = naiveDay.map((_, i) => i).filter((i) => naiveMatches(query, i));
      expect(countEvents(index, query)).toBe(matching.length);
      for (const r of resolutions) {
        const expected = new Map<string, number>();
        for (const i of matching) expected.set(naiveCell.get(r)![i]!, (expected.get(naiveCell.get(r)![i]!) ?? 0) + 1);
        const actual = new Map(nonZeroCells(index, r, countByCell(index, query, r)).map((c) => [c.cell, c.count]));
        expect(actual).toEqual(expected);
      }
      const villages = new Array<number>(events.villageCount).fill(0);
      for (const i of matching) if (events.villageIndex[i]! >= 0) villages[events.villageIndex[i]!]!++;
      expect([...countByVillage(index, query)]).toEqual(villages);
    }
  });

  it('bins monthly counts by calendar month in UTC+8, clipped to the window', () => {
    const random = new Random('monthly');
    for (let trial = 0; trial < 10; trial++) {
      const query = randomQuery(random);
      const monthly = monthlyCountsByCell(index, query, 9);
      const byVillage = monthlyCountsByVillage(index, query);
      const cells = index.cellsByResolution.get(9)!;
      const expected = new Int32Array(monthly.counts.length);
      const expectedVillage = new Int32Array(byVillage.counts.length);
      for (let i = 0; i < naiveDay.length; i++) {
        if (!naiveMatches(query, i)) continue;
        const m = monthIndexOfChinaDay(naiveDay[i]!) - monthly.firstMonth;
        expected[m * monthly.locationCount + cells.cellIdOf.get(naiveCell.get(9)![i]!)!]!++;
        const v = events.villageIndex[i]!;
        if (v >= 0) expectedVillage[m * byVillage.locationCount + v]!++;
      }
      // A plain loop: vitest's deep equality on large typed arrays is slow.
      expect(firstDifference(monthly.counts, expected)).toBe(-1);
      expect(firstDifference(byVillage.counts, expectedVillage)).toBe(-1);
      if (query.endDay > query.startDay) {
        expect(monthly.monthCount).toBe(
          monthIndexOfChinaDay(query.endDay - 1) - monthIndexOfChinaDay(query.startDay) + 1,
        );
      }
    }
  });

  it('puts an event at 23:30 UTC on the next China day and month', () => {
    const tiny = buildEventIndex(
      {
        lonDeg: [119.7, 119.7],
        latDeg: [27.5, 27.5],
        occurredAtMs: [Date.UTC(2024, 1, 29, 23, 30), Date.UTC(2024, 1, 29, 15, 30)],
        categoryCode: [categoryCode('fraud'), categoryCode('petition')],
        villageIndex: [0, 0],
      },
      { resolutions: [7] },
    );
    const march = chinaDayOfDate(2024, 3, 1);
    const query = { startDay: march, endDay: march + 31, categoryMask: ALL_CATEGORIES_MASK };
    expect(countEvents(tiny, query)).toBe(1);
    expect(countEvents(tiny, { ...query, categoryMask: categoryMask(['fraud']) })).toBe(1);
    expect(countEvents(tiny, { ...query, startDay: march - 1, categoryMask: categoryMask(['petition']) })).toBe(1);
    const monthly = monthlyCountsByVillage(tiny, { ...query, startDay: march - 1 });
    // Village 0 in February and in March.
    expect([monthly.counts[0], monthly.counts[monthly.locationCount]]).toEqual([1, 1]);
  });

  it('handles empty and out-of-range windows, and rejects bad input', () => {
    expect(eventRange(index, FIXTURE_END_DAY + 5, FIXTURE_END_DAY + 50)).toEqual([0, 0]);
    expect(eventRange(index, 10, 5)).toEqual([0, 0]);
    expect(eventRange(index, -1e6, 1e6)).toEqual([0, 3000]);
    expect(countEvents(index, { startDay: -1e6, endDay: 1e6, categoryMask: 0 })).toBe(0);
    const empty = buildEventIndex({ lonDeg: [], latDeg: [], occurredAtMs: [], categoryCode: [], villageIndex: [] });
    expect(countEvents(empty, { startDay: 0, endDay: 1e6, categoryMask: ALL_CATEGORIES_MASK })).toBe(0);
    const bad = { lonDeg: [119], latDeg: [27], occurredAtMs: [0], categoryCode: [5], villageIndex: [0] };
    expect(() => buildEventIndex(bad)).toThrow(RangeError);
    expect(() => buildEventIndex({ ...bad, categoryCode: [0], occurredAtMs: [NaN] })).toThrow(RangeError);
    expect(() => countByCell(index, { startDay: 0, endDay: 1, categoryMask: 1 }, 8)).toThrow(/not indexed/);
    expect(() => categoryMask(['arson' as never])).toThrow(RangeError);
    expect(placeFilter(events.villageTownship, {})).toBeNull();
  });
});
