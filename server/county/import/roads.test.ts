import { describe, expect, it } from 'vitest';
import type { LonLat } from './crs.js';
import { roadComponents, snapRoadNetwork, turningDegreesPerKm } from './roads.js';

// About 0.1 m and 3 m of longitude at 27.5°N.
const TENTH_METRE = 0.1 / 98_800;
const THREE_METRES = 3 / 98_800;

describe('snapRoadNetwork', () => {
  it('joins line ends within 1 m into one node, and keeps ends further apart', () => {
    const a: LonLat = [119.7, 27.55];
    const b: LonLat = [119.71, 27.55];
    const lines: LonLat[][] = [
      [a, b],
      [
        [b[0] + TENTH_METRE, b[1]],
        [119.72, 27.56],
      ],
      [
        [b[0] + THREE_METRES, b[1]],
        [119.71, 27.54],
      ],
    ];
    const network = snapRoadNetwork(lines, [], 10);
    expect(network.nodes.map((n) => n.id)).toEqual([10, 11, 12, 13, 14]);
    expect(network.edges.map((e) => [e.source, e.target])).toEqual([
      [10, 11],
      [11, 12],
      [13, 14],
    ]);
    // The second line now starts exactly at the first one's end.
    expect(network.edges[1]!.coordinates[0]).toEqual(b);
    expect(network.collapsed).toEqual([]);
  });

  it('snaps onto an existing node and keeps its id', () => {
    const existing = [{ id: 3, point: [119.7, 27.55] as LonLat }];
    const network = snapRoadNetwork(
      [
        [
          [119.7 + TENTH_METRE, 27.55],
          [119.72, 27.55],
        ],
      ],
      existing,
      4,
    );
    expect(network.nodes).toEqual([{ id: 4, point: [119.72, 27.55] }]);
    expect(network.edges).toEqual([
      {
        line: 0,
        source: 3,
        target: 4,
        coordinates: [
          [119.7, 27.55],
          [119.72, 27.55],
        ],
      },
    ]);
  });

  it('reports a line shorter than the tolerance as collapsed', () => {
    const network = snapRoadNetwork(
      [
        [
          [119.7, 27.55],
          [119.7 + TENTH_METRE, 27.55],
        ],
      ],
      [],
      1,
    );
    expect(network.collapsed).toEqual([0]);
    expect(network.edges).toEqual([]);
  });
});

describe('turningDegreesPerKm', () => {
  it('is 0 for a straight line and 90° over the length for one right angle', () => {
    expect(
      turningDegreesPerKm([
        [119.7, 27.55],
        [119.71, 27.55],
        [119.72, 27.55],
      ]),
    ).toBe(0);
    // 1 km east then 1 km north: 90° over 2 km.
    const east = 1000 / 98_777;
    const north = 1000 / 110_790;
    expect(
      turningDegreesPerKm([
        [119.7, 27.55],
        [119.7 + east, 27.55],
        [119.7 + east, 27.55 + north],
      ]),
    ).toBeCloseTo(45, 0);
  });
});

describe('roadComponents', () => {
  it('counts the connected parts, largest first, ignoring direction', () => {
    const parts = roadComponents([
      { source: 7, target: 8 },
      { source: 1, target: 2 },
      { source: 3, target: 2 },
      { source: 3, target: 4 },
    ]);
    expect(parts.edgeCounts).toEqual([3, 1]);
    expect(parts.nodeCounts).toEqual([4, 2]);
    expect([1, 2, 3, 4, 7, 8].map((n) => parts.componentOf.get(n))).toEqual([0, 0, 0, 0, 1, 1]);
  });
});
