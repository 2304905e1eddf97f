import { describe, expect, it } from 'vitest';
import { Random } from './random.js';
import { pathEdges, shortestPaths } from './road-paths.js';
import { kMeans, shortName } from './services.js';
import { pointInPolygons, villageHouseholds } from './settlements.js';

describe('generator helpers', () => {
  it('shorten township names for stations and bus lines', () => {
    expect(shortName('罗阳镇')).toBe('罗阳');
    expect(shortName('司前畲族镇')).toBe('司前');
    expect(shortName('竹里畲族乡')).toBe('竹里');
    expect(shortName('乌岩岭自然保护区')).toBe('乌岩岭');
  });

  it('find shortest paths by length on a small road graph', () => {
    // 0 —1000— 1 —1000— 2, and a 2500 m shortcut 0 — 2; 3 is cut off.
    const edges = [
      { id: 0, source: 0, target: 1, lengthMetres: 1000 },
      { id: 1, source: 1, target: 2, lengthMetres: 1000 },
      { id: 2, source: 2, target: 0, lengthMetres: 2500 },
    ];
    const { distanceMetres, viaEdge } = shortestPaths(4, edges, 0);
    expect(Array.from(distanceMetres)).toEqual([0, 1000, 2000, Infinity]);
    expect(pathEdges(edges, viaEdge, 2)).toEqual([0, 1]);
    expect(pathEdges(edges, viaEdge, 3)).toEqual([]);
  });

  it('group points into k clusters deterministically', () => {
    const points: [number, number][] = [
      [0, 0],
      [0.01, 0],
      [1, 1],
      [1.01, 1],
      [0, 1],
      [0.01, 1.01],
    ];
    const clusters = kMeans(points, 3, 0);
    expect(clusters[0]).toBe(clusters[1]);
    expect(clusters[2]).toBe(clusters[3]);
    expect(clusters[4]).toBe(clusters[5]);
    expect(new Set(clusters).size).toBe(3);
    expect(kMeans(points, 3, 0)).toEqual(clusters);
  });

  it('tell points inside a polygon with a hole', () => {
    const square = [
      [
        [
          [0, 0],
          [4, 0],
          [4, 4],
          [0, 4],
          [0, 0],
        ],
        [
          [1, 1],
          [1, 3],
          [3, 3],
          [3, 1],
          [1, 1],
        ],
      ],
    ];
    expect(pointInPolygons(0.5, 0.5, square)).toBe(true);
    expect(pointInPolygons(2, 2, square)).toBe(false);
    expect(pointInPolygons(5, 2, square)).toBe(false);
  });

  it('size villages plausibly: communities in the county seat largest, the reserve smallest', () => {
    const random = new Random('sizes');
    const mean = (kind: 'village' | 'community', seat: boolean) =>
      Array.from({ length: 400 }, () => villageHouseholds(kind, seat, false, random)).reduce((a, b) => a + b, 0) / 400;
    const seatCommunity = mean('community', true);
    const ruralVillage = mean('village', false);
    expect(seatCommunity).toBeGreaterThan(900);
    expect(seatCommunity).toBeLessThan(1400);
    expect(ruralVillage).toBeGreaterThan(240);
    expect(ruralVillage).toBeLessThan(380);
    expect(villageHouseholds('village', false, true, random)).toBeLessThanOrEqual(100);
  });
});
