import { beforeAll, describe, expect, it } from 'vitest';
import type { EventCategory } from '../../db/schema.js';
import type { EventRecord, LonLat } from '../model.js';
import {
  chinaHoliday,
  chinaLocalTime,
  EVENT_SUBCATEGORIES,
  generateEvents,
  type EventInput,
  type GeneratedEvents,
} from './events.js';
import { Random } from './random.js';
import { metresPerDegree } from './raster.js';
import { deepFreeze } from '../../../test/deep-freeze.js';

const METRES = metresPerDegree(27.5);
const ORIGIN: LonLat = [119.8, 27.5];
const SEAT = '330329100';
/** 2023-01-01 to 2026-01-01, China Standard Time. */
const START = new Date('2023-01-01T00:00:00+08:00');
const END = new Date('2026-01-01T00:00:00+08:00');
const DAY_MS = 86_400_000;
const YEAR_MS = 365 * DAY_MS;

/** A point offset from another by metres east and north. */
function offset(point: LonLat, eastMetres: number, northMetres: number): LonLat {
  return [point[0] + eastMetres / METRES.lon, point[1] + northMetres / METRES.lat];
}

function distanceMetres(a: LonLat, b: LonLat): number {
  return Math.hypot((a[0] - b[0]) * METRES.lon, (a[1] - b[1]) * METRES.lat);
}

/** The hairpin of the one curvy road in the small county. */
const BEND: LonLat = offset(ORIGIN, 20_000, 3_000);

/**
 * 40 villages 1 km apart on an east–west line, in three townships (the first village is the
 * county seat's community); each village's households on a north–south line through its centre,
 * ~13.6 k in all. Roads: three straight 1.5 km county roads 3 km south, one 392 m township road
 * 3 km north with a 171° hairpin at BEND.
 */
function smallCounty(): EventInput {
  const villages: EventInput['villages'][number][] = [];
  const households: EventInput['households'][number][] = [];
  const townships = [SEAT, '330329101', '330329102'];
  for (let i = 0; i < 40; i++) {
    const townshipCode = townships[i < 5 ? 0 : i < 22 ? 1 : 2]!;
    const code = `${townshipCode}${200 + i}`;
    const centre = offset(ORIGIN, i * 1000, 0);
    const count = i === 0 ? 900 : 200 + ((i * 37) % 250);
    villages.push({ code, townshipCode, kind: i === 0 ? 'community' : 'village', centre, households: count });
    for (let j = 0; j < count; j++) {
      households.push({
        villageCode: code,
        point: offset(centre, 0, (j - count / 2) * 1.5),
        persons: 1 + (j % 4),
        aged70Plus: j % 5 === 0 ? 1 : 0,
      });
    }
  }
  const straight = (id: number, from: LonLat): EventInput['roadEdges'][number] => ({
    id,
    roadClass: 'county',
    coordinates: [0, 500, 1000, 1500].map((m) => offset(from, m, 0)),
    lengthMetres: 1500,
    turningDegreesPerKm: 0,
  });
  return {
    villages,
    households,
    roadEdges: [
      straight(1, offset(ORIGIN, 0, -3000)),
      straight(2, offset(ORIGIN, 15_000, -3000)),
      straight(3, offset(ORIGIN, 30_000, -3000)),
      {
        id: 4,
        roadClass: 'township',
        coordinates: [offset(BEND, 0, -200), BEND, offset(BEND, 30, -190)],
        lengthMetres: 392,
        turningDegreesPerKm: 436,
      },
    ],
    stationOfTownship: { [SEAT]: '33032901', '330329101': '33032901', '330329102': '33032902' },
    countySeatTownshipCode: SEAT,
  };
}

/**
 * A county of Taishun's size from a seeded generator: the seat township with 16 communities and
 * 54 villages, 19 other townships with 220 villages (one community), ~110 k households strung
 * along village axes, and 10 k winding road edges.
 */
function realisticCounty(seed: number): EventInput {
  const rng = new Random(seed);
  const townshipCodes = [SEAT];
  for (let t = 1; t <= 11; t++) townshipCodes.push(`3303291${String(t).padStart(2, '0')}`);
  for (let t = 0; t < 8; t++) townshipCodes.push(`3303292${String(t).padStart(2, '0')}`);
  const villages: EventInput['villages'][number][] = [];
  const households: EventInput['households'][number][] = [];
  townshipCodes.forEach((townshipCode, t) => {
    const seat = offset(ORIGIN, (t % 5) * 11_000 + rng.uniform(-2000, 2000), Math.floor(t / 5) * 11_000);
    const communities = t === 0 ? 16 : t === 1 ? 1 : 0;
    const count = t === 0 ? 70 : 11 + (t <= 11 ? 1 : 0) - (t === 19 ? 1 : 0);
    for (let v = 0; v < count; v++) {
      const community = v < communities;
      const code = `${townshipCode}${String(200 + v)}`;
      const households_ = community
        ? rng.int(1000, 1800)
        : Math.min(1500, Math.max(30, Math.round(Math.exp(rng.normal(Math.log(t === 0 ? 320 : 280), 0.5)))));
      const spread = community ? 800 : 5000;
      const centre = offset(seat, rng.uniform(-spread, spread), rng.uniform(-spread, spread));
      villages.push({ code, townshipCode, kind: community ? 'community' : 'village', centre, households: households_ });
      const heading = rng.uniform(0, Math.PI);
      for (let h = 0; h < households_; h++) {
        const along = rng.uniform(-800, 800);
        const across = rng.normal(0, 60);
        const persons = rng.int(1, 5);
        households.push({
          villageCode: code,
          point: offset(
            centre,
            along * Math.cos(heading) - across * Math.sin(heading),
            along * Math.sin(heading) + across * Math.cos(heading),
          ),
          persons,
          aged70Plus: rng.chance(0.3) ? rng.int(1, Math.min(2, persons)) : 0,
        });
      }
    }
  });
  const roadEdges: EventInput['roadEdges'][number][] = [];
  for (let id = 0; id < 10_000; id++) {
    const from = villages[rng.int(0, villages.length - 1)]!.centre;
    let point = offset(from, rng.uniform(-3000, 3000), rng.uniform(-3000, 3000));
    let heading = rng.uniform(0, 2 * Math.PI);
    const wiggleRadians = rng.uniform(0.05, 0.8);
    const coordinates = [point];
    let lengthMetres = 0;
    let turningDegrees = 0;
    for (let k = rng.int(1, 9); k > 0; k--) {
      const step = rng.uniform(60, 150);
      point = offset(point, step * Math.cos(heading), step * Math.sin(heading));
      coordinates.push(point);
      lengthMetres += step;
      if (k > 1) {
        const turn = rng.normal(0, wiggleRadians);
        heading += turn;
        turningDegrees += (Math.abs(turn) * 180) / Math.PI;
      }
    }
    roadEdges.push({
      id,
      roadClass: rng.weighted(['county', 'township', 'village'] as const, (c) =>
        c === 'village' ? 6 : c === 'township' ? 3 : 1,
      ),
      coordinates,
      lengthMetres,
      turningDegreesPerKm: turningDegrees / (lengthMetres / 1000),
    });
  }
  const stationOfTownship = Object.fromEntries(
    townshipCodes.map((code, t) => [code, `330329${String(t % 15).padStart(2, '0')}`]),
  );
  return { villages, households, roadEdges, stationOfTownship, countySeatTownshipCode: SEAT };
}

/** Local calendar day key, e.g. '2024-02-10'. */
function localDayKey(date: Date): string {
  const { year, month, day } = chinaLocalTime(date);
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

function count(events: readonly EventRecord[], category: EventCategory, fromMs: number, toMs: number): number {
  return events.filter(
    (e) => e.category === category && e.occurredAt.getTime() >= fromMs && e.occurredAt.getTime() < toMs,
  ).length;
}

/** Village-placed events per household, by village code. */
function ratesPerHousehold(input: EventInput, events: readonly EventRecord[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const e of events) {
    if (e.category !== 'traffic_accident' && e.villageCode)
      counts.set(e.villageCode, (counts.get(e.villageCode) ?? 0) + 1);
  }
  return new Map(input.villages.map((v) => [v.code, (counts.get(v.code) ?? 0) / v.households]));
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

describe('generateEvents on a small county', () => {
  const input = deepFreeze(smallCounty());
  let result: GeneratedEvents;
  let events: EventRecord[];

  beforeAll(() => {
    result = generateEvents(input, { seed: 'events-test', start: START, end: END, ratesScale: 3 });
    events = result.events;
  });

  it('is deterministic: the same seed gives the same events and hotspots, another seed others', () => {
    expect(generateEvents(input, { seed: 'events-test', start: START, end: END, ratesScale: 3 })).toEqual(result);
    const other = generateEvents(input, { seed: 'other', start: START, end: END, ratesScale: 3 });
    expect(other.events.slice(0, 50)).not.toEqual(events.slice(0, 50));
  });

  it('keeps every event inside [start, end), sorted by time', () => {
    expect(events.length).toBeGreaterThan(10_000);
    const outside = events.filter((e) => e.occurredAt < START || e.occurredAt >= END);
    expect(outside).toEqual([]);
    const unordered = events.filter((e, i) => i > 0 && e.occurredAt < events[i - 1]!.occurredAt);
    expect(unordered).toEqual([]);
    const short = generateEvents(input, {
      seed: 1,
      start: new Date('2024-03-01T10:30:00+08:00'),
      end: new Date('2024-03-03T18:00:00+08:00'),
      ratesScale: 3,
    }).events;
    expect(short.length).toBeGreaterThan(0);
    expect(short[0]!.occurredAt.getTime()).toBeGreaterThanOrEqual(Date.parse('2024-03-01T10:30:00+08:00'));
    expect(short.at(-1)!.occurredAt.getTime()).toBeLessThan(Date.parse('2024-03-03T18:00:00+08:00'));
    expect(generateEvents(input, { seed: 1, start: END, end: START })).toEqual({ events: [], hotspots: [] });
  });

  it('uses only the allowed categories and subcategories, with the village and its station', () => {
    const villages = new Map(input.villages.map((v) => [v.code, v]));
    const categories = new Set<string>();
    const wrong = events.filter((e) => {
      categories.add(e.category);
      const subcategoryOk =
        e.category === 'traffic_accident'
          ? e.subcategory === null
          : EVENT_SUBCATEGORIES[e.category].includes(e.subcategory ?? '');
      const village = villages.get(e.villageCode ?? '');
      return !subcategoryOk || !village || e.stationCode !== input.stationOfTownship[village.townshipCode];
    });
    expect(wrong).toEqual([]);
    expect([...categories].sort()).toEqual(['dispute', 'fraud', 'incident', 'petition', 'traffic_accident']);
    for (const category of ['incident', 'dispute', 'petition', 'fraud'] as const) {
      const seen = new Set(events.filter((e) => e.category === category).map((e) => e.subcategory));
      expect([...seen].sort()).toEqual([...EVENT_SUBCATEGORIES[category]].sort());
    }
  });

  it('places petitions at village centres and other village events within a few metres of a household', () => {
    const centres = new Map(input.villages.map((v) => [v.code, v.centre]));
    const byVillage = new Map<string, LonLat[]>();
    for (const h of input.households) byVillage.set(h.villageCode, [...(byVillage.get(h.villageCode) ?? []), h.point]);
    const sample = events.filter((e) => e.category !== 'traffic_accident').slice(0, 300);
    for (const e of sample) {
      if (e.category === 'petition') {
        expect(distanceMetres(e.point, centres.get(e.villageCode!)!)).toBeLessThan(0.5);
      } else {
        const nearest = Math.min(...byVillage.get(e.villageCode!)!.map((p) => distanceMetres(p, e.point)));
        expect(nearest).toBeLessThan(7);
      }
    }
  });

  it('makes fraud rise year over year and disputes fall', () => {
    const firstYear = [START.getTime(), START.getTime() + YEAR_MS] as const;
    const lastYear = [END.getTime() - YEAR_MS, END.getTime()] as const;
    expect(count(events, 'fraud', ...lastYear)).toBeGreaterThan(1.3 * count(events, 'fraud', ...firstYear));
    expect(count(events, 'dispute', ...lastYear)).toBeLessThan(count(events, 'dispute', ...firstYear));
  });

  it('has more incidents per day on holidays than on ordinary days', () => {
    const perDay = new Map<string, number>();
    for (const e of events)
      if (e.category === 'incident')
        perDay.set(localDayKey(e.occurredAt), (perDay.get(localDayKey(e.occurredAt)) ?? 0) + 1);
    const holiday: number[] = [];
    const ordinary: number[] = [];
    for (let ms = START.getTime(); ms < END.getTime(); ms += DAY_MS) {
      const day = new Date(ms);
      (chinaHoliday(day) ? holiday : ordinary).push(perDay.get(localDayKey(day)) ?? 0);
    }
    const mean = (xs: number[]): number => xs.reduce((s, x) => s + x, 0) / xs.length;
    expect(holiday.length).toBe(3 * (8 + 3 + 5 + 7));
    expect(mean(holiday)).toBeGreaterThan(1.25 * mean(ordinary));
  });

  it('has few events at night, more fights at weekends, and petitions only in office hours', () => {
    const hours = events.map((e) => chinaLocalTime(e.occurredAt).hour);
    const night = hours.filter((h) => h >= 2 && h <= 5).length;
    const evening = hours.filter((h) => h >= 17 && h <= 21).length;
    expect(night).toBeLessThan(evening / 3);

    const fights = events.filter((e) => e.subcategory === 'fight' && !chinaHoliday(e.occurredAt));
    const weekendFights = fights.filter((e) => [0, 6].includes(chinaLocalTime(e.occurredAt).weekday)).length;
    // per day: 2 weekend days against 5 weekdays
    expect(weekendFights / 2).toBeGreaterThan((1.3 * (fights.length - weekendFights)) / 5);

    for (const e of events.filter((e) => e.category === 'petition')) {
      const hour = chinaLocalTime(e.occurredAt).hour;
      expect(hour >= 6 && hour <= 20).toBe(true);
    }
  });

  it('puts most traffic accidents at the hairpin, in the village with the nearest centre', () => {
    const accidents = events.filter((e) => e.category === 'traffic_accident');
    expect(accidents.length).toBeGreaterThan(1000);
    const atBend = accidents.filter((e) => distanceMetres(e.point, BEND) <= 100).length;
    expect(atBend / accidents.length).toBeGreaterThanOrEqual(0.6);
    const misplaced = accidents.filter((e) => {
      const nearest = input.villages.reduce((best, v) =>
        distanceMetres(v.centre, e.point) < distanceMetres(best.centre, e.point) ? v : best,
      );
      return e.villageCode !== nearest.code;
    });
    expect(misplaced).toEqual([]);
  });

  it('plants persistent, emerging and diminishing hotspots in non-community villages', () => {
    const { hotspots } = result;
    const of = (pattern: string): string[] => hotspots.filter((h) => h.pattern === pattern).map((h) => h.villageCode);
    expect(of('persistent').length).toBeGreaterThanOrEqual(3);
    expect(of('persistent').length).toBeLessThanOrEqual(5);
    expect(of('emerging').length).toBeGreaterThanOrEqual(1);
    expect(of('emerging').length).toBeLessThanOrEqual(2);
    expect(of('diminishing')).toHaveLength(1);
    expect(new Set(hotspots.map((h) => h.villageCode)).size).toBe(hotspots.length);
    const kinds = new Map(input.villages.map((v) => [v.code, v.kind]));
    for (const h of hotspots) expect(kinds.get(h.villageCode)).toBe('village');

    const rates = ratesPerHousehold(input, events);
    const typical = median([...rates.values()]);
    for (const code of of('persistent')) expect(rates.get(code)!).toBeGreaterThanOrEqual(2 * typical);

    const inVillage = (code: string, fromMs: number, toMs: number): number =>
      events.filter(
        (e) =>
          e.villageCode === code &&
          e.category !== 'traffic_accident' &&
          e.occurredAt.getTime() >= fromMs &&
          e.occurredAt.getTime() < toMs,
      ).length;
    const firstYear = [START.getTime(), START.getTime() + YEAR_MS] as const;
    const lastYear = [END.getTime() - YEAR_MS, END.getTime()] as const;
    for (const code of of('emerging')) {
      expect(inVillage(code, ...lastYear)).toBeGreaterThan(1.5 * inVillage(code, ...firstYear));
      const secondYear = [firstYear[1], lastYear[0]] as const;
      expect(inVillage(code, ...secondYear)).toBeLessThan(1.4 * inVillage(code, ...firstYear));
    }
    for (const code of of('diminishing')) {
      expect(inVillage(code, ...firstYear)).toBeGreaterThan(1.8 * inVillage(code, ...lastYear));
    }
  });

  it('scales with ratesScale', () => {
    const single = generateEvents(input, { seed: 'events-test', start: START, end: END }).events.length;
    expect(events.length / single).toBeGreaterThan(2.7);
    expect(events.length / single).toBeLessThan(3.3);
  });
});

describe('chinaHoliday', () => {
  it('knows the Spring Festival, Qingming, Labour Day and National Day in China time', () => {
    expect(chinaHoliday(new Date('2024-02-09T12:00:00+08:00'))).toBe('spring_festival'); // eve
    expect(chinaHoliday(new Date('2024-02-16T23:59:00+08:00'))).toBe('spring_festival');
    expect(chinaHoliday(new Date('2024-02-17T00:00:00+08:00'))).toBeNull();
    expect(chinaHoliday(new Date('2023-01-22T00:30:00+08:00'))).toBe('spring_festival');
    expect(chinaHoliday(new Date('2025-01-29T10:00:00+08:00'))).toBe('spring_festival');
    expect(chinaHoliday(new Date('2026-02-17T10:00:00+08:00'))).toBe('spring_festival');
    expect(chinaHoliday(new Date('2023-04-05T10:00:00+08:00'))).toBe('qingming');
    expect(chinaHoliday(new Date('2024-04-03T10:00:00+08:00'))).toBe('qingming');
    expect(chinaHoliday(new Date('2024-04-06T10:00:00+08:00'))).toBeNull();
    expect(chinaHoliday(new Date('2025-05-05T23:00:00+08:00'))).toBe('labour_day');
    expect(chinaHoliday(new Date('2025-05-06T00:00:00+08:00'))).toBeNull();
    // 2024-09-30T17:00Z is already 1 October in China
    expect(chinaHoliday(new Date('2024-09-30T17:00:00Z'))).toBe('national_day');
    expect(chinaHoliday(new Date('2024-10-08T10:00:00+08:00'))).toBeNull();
  });
});

describe('generateEvents on a county of Taishun size', () => {
  it('gives 60–90 k events in three years, incidents most and petitions fewest, busiest in the seat', () => {
    const input = realisticCounty(7);
    const households = input.villages.reduce((s, v) => s + v.households, 0);
    expect(households).toBeGreaterThan(100_000);
    expect(households).toBeLessThan(120_000);
    expect(input.households).toHaveLength(households);

    const { events } = generateEvents(input, { seed: 2024, start: START, end: END });
    expect(events.length).toBeGreaterThan(60_000);
    expect(events.length).toBeLessThan(90_000);

    const totals = (category: EventCategory): number => count(events, category, START.getTime(), END.getTime());
    expect(totals('incident')).toBeGreaterThan(totals('dispute'));
    expect(totals('dispute')).toBeGreaterThan(totals('fraud'));
    expect(totals('fraud')).toBeGreaterThan(totals('traffic_accident'));
    expect(totals('traffic_accident')).toBeGreaterThan(totals('petition'));
    expect(totals('petition') / 3).toBeGreaterThan(200);
    expect(totals('petition') / 3).toBeLessThan(800);

    // per-household incidents: seat communities > the median village elsewhere
    const incidents = new Map<string, number>();
    for (const e of events)
      if (e.category === 'incident') incidents.set(e.villageCode!, (incidents.get(e.villageCode!) ?? 0) + 1);
    const rate = (v: EventInput['villages'][number]): number => (incidents.get(v.code) ?? 0) / v.households;
    const seat = input.villages.filter((v) => v.kind === 'community' && v.townshipCode === SEAT).map(rate);
    const rural = input.villages.filter((v) => v.townshipCode !== SEAT && v.kind === 'village').map(rate);
    expect(median(seat)).toBeGreaterThan(1.5 * median(rural));
  });
});
