import { describe, expect, it } from 'vitest';
import { SPEED_MODEL } from '../../routing/speed-model.js';
import { deepFreeze } from '../../../test/deep-freeze.js';
import type { LonLat } from '../model.js';
import {
  observedTrips,
  observedTripsCsv,
  trueDriveTimes,
  type ObservedTripInput,
  type TrueDriving,
} from './observed-trips.js';
import { metresPerDegree } from './raster.js';

const LAT0 = 27.5;
const M = metresPerDegree(LAT0);
const at = (xMetres: number, yMetres: number): LonLat => [120 + xMetres / M.lon, LAT0 + yMetres / M.lat];

/** A straight level road from (x0, y0) to (x1, y1) with a vertex every 50 m. */
function straight(x0: number, y0: number, x1: number, y1: number): LonLat[] {
  const metres = Math.hypot(x1 - x0, y1 - y0);
  const pieces = Math.round(metres / 50);
  return Array.from({ length: pieces + 1 }, (_, k) => at(x0 + ((x1 - x0) * k) / pieces, y0 + ((y1 - y0) * k) / pieces));
}

/** A test's own truth: the routing constants with slower junctions, design speeds at 92 %. */
const TRUTH: TrueDriving = deepFreeze({ constants: { ...SPEED_MODEL, junctionKmh: 20 }, designSpeedFactor: 0.92 });

/**
 * A 4 × 4 grid of village roads 3 km apart (node id = row × 4 + col + 1), one station at the
 * south-west corner, a village at every other node; level, no settlements.
 */
function gridCounty(): ObservedTripInput {
  const spacing = 3000;
  const roadNodes = [];
  for (let row = 0; row < 4; row++)
    for (let col = 0; col < 4; col++)
      roadNodes.push({ id: row * 4 + col + 1, point: at(col * spacing, row * spacing) });
  const roadEdges: ObservedTripInput['roadEdges'][number][] = [];
  const edge = (a: number, b: number) => {
    const [ax, ay] = [((a - 1) % 4) * spacing, Math.floor((a - 1) / 4) * spacing];
    const [bx, by] = [((b - 1) % 4) * spacing, Math.floor((b - 1) / 4) * spacing];
    roadEdges.push({
      id: roadEdges.length + 1,
      source: a,
      target: b,
      roadClass: 'village',
      lengthMetres: spacing,
      coordinates: straight(ax, ay, bx, by),
      oneWay: null,
    });
  };
  for (let row = 0; row < 4; row++) {
    for (let col = 0; col < 4; col++) {
      const id = row * 4 + col + 1;
      if (col < 3) edge(id, id + 1);
      if (row < 3) edge(id, id + 4);
    }
  }
  return {
    roadNodes,
    roadEdges,
    terrain: null,
    stations: [{ code: 'PS01', point: at(20, 30) }],
    villages: roadNodes.slice(1).map((n) => ({ code: `V${n.id}`, townshipCode: 'T1', centre: n.point })),
    stationOfTownship: { T1: 'PS01' },
    settlements: [],
  };
}

describe('observed trips from a hidden true model', () => {
  const county = deepFreeze(gridCounty());

  it('times a straight level road as worked out by hand', () => {
    // One 2 km village road (30 km/h design, 27.6 km/h true), dead ends at both ends: from a stop,
    // accelerate at 1 m/s² to v = 7.667 m/s (7.67 s over 29.4 m), brake at 2 m/s² (3.83 s over
    // 14.7 m), cruise the remaining 1955.9 m in 255.1 s: 266.6 s.
    const road: ObservedTripInput = {
      ...county,
      roadNodes: [
        { id: 1, point: at(0, 0) },
        { id: 2, point: at(2000, 0) },
      ],
      roadEdges: [
        {
          id: 1,
          source: 1,
          target: 2,
          roadClass: 'village',
          lengthMetres: 2000,
          coordinates: straight(0, 0, 2000, 0),
          oneWay: null,
        },
      ],
    };
    const times = trueDriveTimes(road, TRUTH);
    expect(times(1, 2)).toBeCloseTo(266.6, 0);
    expect(times(2, 1)).toBeCloseTo(266.6, 0);
  });

  it('honours one-way edges', () => {
    const oneWay: ObservedTripInput = {
      ...county,
      roadEdges: county.roadEdges.map((e) => (e.source === 1 && e.target === 2 ? { ...e, oneWay: 'backward' } : e)),
    };
    const times = trueDriveTimes(oneWay, TRUTH);
    const both = trueDriveTimes(county, TRUTH);
    // 2 → 1 is the edge itself; 1 → 2 must go round a block of three edges.
    expect(times(2, 1)).toBeCloseTo(both(2, 1), 6);
    expect(times(1, 2)).toBeGreaterThan(2.9 * both(1, 2));
  });

  it('are the same for the same seed, and others for another seed', () => {
    const first = observedTrips(county, { seed: 's', truth: TRUTH });
    const again = observedTrips(county, { seed: 's', truth: TRUTH });
    const other = observedTrips(county, { seed: 't', truth: TRUTH });
    expect(again).toEqual(first);
    expect(other).not.toEqual(first);
  });

  it('report the true drive times within their noise, in whole minutes', () => {
    const trips = observedTrips(county, { seed: 'noise', truth: TRUTH, villageTrips: 150 });
    // Every village from its station, then village pairs.
    expect(trips.filter((t) => t.fromCode === 'PS01')).toHaveLength(15);
    expect(trips.length).toBeGreaterThanOrEqual(150);
    const times = trueDriveTimes(county, TRUTH);
    const node = (code: string) => (code === 'PS01' ? 1 : Number(code.slice(1)));
    const logRatios = trips.map((trip) => {
      expect(Number.isInteger(trip.minutes)).toBe(true);
      const trueMinutes = times(node(trip.fromCode), node(trip.toCode)) / 60;
      // 8 % noise: within four standard deviations, plus half a minute of rounding.
      expect(Math.abs(trip.minutes - trueMinutes)).toBeLessThanOrEqual(trueMinutes * (Math.exp(0.32) - 1) + 0.5);
      return Math.log(trip.minutes / trueMinutes);
    });
    const mean = logRatios.reduce((s, r) => s + r, 0) / logRatios.length;
    const sd = Math.sqrt(logRatios.reduce((s, r) => s + (r - mean) ** 2, 0) / logRatios.length);
    expect(Math.abs(mean)).toBeLessThan(0.02);
    expect(sd).toBeGreaterThan(0.06);
    expect(sd).toBeLessThan(0.11);
  });

  it('are handed over as a CSV with a byte-order mark and Chinese headers', () => {
    const csv = observedTripsCsv({
      stations: [{ code: 'PS01', name: '罗阳派出所', warZoneId: 1, officers: 45, point: at(0, 0) }],
      villages: [
        { code: 'V2', townshipCode: 'T1', name: '洪口村', kind: 'village', centre: at(0, 0), geometry: emptyArea },
        { code: 'V3', townshipCode: 'T1', name: '新,村', kind: 'village', centre: at(0, 0), geometry: emptyArea },
      ],
      observedTrips: [
        { fromCode: 'PS01', toCode: 'V2', minutes: 34 },
        { fromCode: 'V2', toCode: 'V3', minutes: 7 },
      ],
    });
    expect(csv).toBe(
      '\uFEFF出发地代码,出发地,目的地代码,目的地,用时（分钟）\r\n' +
        'PS01,罗阳派出所,V2,洪口村,34\r\n' +
        'V2,洪口村,V3,"新,村",7\r\n',
    );
  });
});

const emptyArea = { type: 'MultiPolygon' as const, coordinates: [] };
