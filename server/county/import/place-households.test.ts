import { describe, expect, it } from 'vitest';
import { metresPerDegree } from '../generate/raster.js';
import type { LonLat } from './crs.js';
import {
  compareAddresses,
  placeVillageHouseholds,
  placingOrder,
  ROAD_OFFSET_METRES,
  SPIRAL_SPACING_METRES,
  type VillageForPlacing,
} from './place-households.js';

const square: VillageForPlacing['polygons'] = [
  [
    [
      [120, 27],
      [120.01, 27],
      [120.01, 27.01],
      [120, 27.01],
      [120, 27],
    ],
  ],
];
const scale = metresPerDegree(27.005);
const households = (n: number) => Array.from({ length: n }, (_, idx) => ({ idx, address: null }));

describe('placing households without coordinates', () => {
  it('orders by house number, numbers as numbers, then the rest in file order', () => {
    expect(compareAddresses('3号', '12号')).toBeLessThan(0);
    expect(compareAddresses('东门1-10', '东门1-2')).toBeGreaterThan(0);
    const order = placingOrder([
      { idx: 0, address: null },
      { idx: 1, address: '12号' },
      { idx: 2, address: '3号' },
      { idx: 3, address: null },
    ]).map((h) => h.idx);
    expect(order).toEqual([2, 1, 0, 3]);
  });

  it('spreads 4 households evenly along a 400 m road, 5 m off it on alternate sides', () => {
    const west = 120.002;
    const east = west + 400 / scale.lon;
    const village = {
      centre: [120.005, 27.005] as LonLat,
      polygons: square,
      roads: [
        [
          [west, 27.005],
          [east, 27.005],
        ] as LonLat[],
      ],
      households: households(4),
    };
    const placed = placeVillageHouseholds(village);
    const metres = placed.map((p) => [
      Math.round((p.lon - west) * scale.lon * 1000) / 1000,
      Math.round((p.lat - 27.005) * scale.lat * 1000) / 1000,
    ]);
    expect(metres).toEqual([
      [50, ROAD_OFFSET_METRES],
      [150, -ROAD_OFFSET_METRES],
      [250, ROAD_OFFSET_METRES],
      [350, -ROAD_OFFSET_METRES],
    ]);
    expect(placeVillageHouseholds(village)).toEqual(placed);
  });

  it('puts a village without roads on a spiral around its centre', () => {
    const centre: LonLat = [120.005, 27.005];
    const placed = placeVillageHouseholds({ centre, polygons: square, roads: [], households: households(3) });
    const radii = placed.map(
      (p) => Math.round(Math.hypot((p.lon - centre[0]) * scale.lon, (p.lat - centre[1]) * scale.lat) * 1000) / 1000,
    );
    expect(radii).toEqual([0.5, 1.5, 2.5].map((k) => Math.round(SPIRAL_SPACING_METRES * Math.sqrt(k) * 1000) / 1000));
  });
});
