import { describe, expect, it } from 'vitest';
import { ringArea, simplifyLine, stretchCapsules, withoutSmallHoles, type MetricPoint } from './band-polygons.js';

/** Twice the signed area: positive when the ring turns counter-clockwise. */
const signedArea = (ring: readonly (readonly number[])[]) => {
  let twice = 0;
  for (let i = 1; i < ring.length; i++) twice += ring[i - 1]![0]! * ring[i]![1]! - ring[i]![0]! * ring[i - 1]![1]!;
  return twice / 2;
};

describe('the shapes of a drive band', () => {
  it('simplifies a line to the points farther than the tolerance, keeping both ends', () => {
    const line: MetricPoint[] = [
      [0, 0],
      [100, 5],
      [200, -5],
      [300, 0],
      [300, 100],
      [300, 101],
    ];
    expect(simplifyLine(line, 20)).toEqual([
      [0, 0],
      [300, 0],
      [300, 101],
    ]);
    expect(simplifyLine(line, 4)).toEqual([
      [0, 0],
      [100, 5],
      [200, -5],
      [300, 0],
      [300, 101],
    ]);
    expect(simplifyLine([[1, 1]], 20)).toEqual([[1, 1]]);
    // A hairpin back past its start stays, though it is on the line through the ends.
    expect(
      simplifyLine(
        [
          [0, 0],
          [-100, 0],
          [300, 0],
        ],
        20,
      ),
    ).toEqual([
      [0, 0],
      [-100, 0],
      [300, 0],
    ]);
    // A closed loop keeps its farthest point.
    expect(
      simplifyLine(
        [
          [0, 0],
          [50, 50],
          [0, 100],
          [0, 0],
        ],
        60,
      ),
    ).toEqual([
      [0, 0],
      [0, 100],
      [0, 0],
    ]);
  });

  it('makes one closed counter-clockwise capsule per segment: round at nodes, flat where time ran out', () => {
    const straight = { points: [[0, 0] as const, [100, 0] as const], roundStart: true, roundEnd: true };
    const [round] = stretchCapsules(straight, 10, 64);
    const ring = round![0]!;
    expect(ring[0]).toEqual(ring.at(-1));
    expect(signedArea(ring)).toBeGreaterThan(0);
    // A 100 m × 20 m rectangle and a whole disc of radius 10 (its chords lose a sliver).
    expect(ringArea(ring)).toBeCloseTo(2000 + Math.PI * 100, -1);
    expect(ringArea(ring)).toBeLessThan(2000 + Math.PI * 100);
    // Its far end reaches 10 m past the node; the flat end stops at the road's end.
    expect(Math.max(...ring.map(([x]) => x!))).toBeCloseTo(110, 6);
    const [flat] = stretchCapsules({ ...straight, roundEnd: false }, 10, 64);
    expect(Math.max(...flat![0]!.map(([x]) => x!))).toBeCloseTo(100, 9);
    expect(ringArea(flat![0]!)).toBeCloseTo(2000 + (Math.PI * 100) / 2, -1);
    const [box] = stretchCapsules({ ...straight, roundStart: false, roundEnd: false }, 10, 2);
    expect(box![0]).toEqual([
      [0, -10],
      [100, -10],
      [100, 10],
      [0, 10],
      [0, -10],
    ]);
  });

  it('cuts only the end segments of a stretch flat, and skips segments of no length', () => {
    const bent = {
      points: [[0, 0] as const, [100, 0] as const, [100, 0] as const, [100, 100] as const],
      roundStart: false,
      roundEnd: false,
    };
    const capsules = stretchCapsules(bent, 10, 2);
    expect(capsules).toHaveLength(2);
    // The first segment is flat at its start (x = 0) and round at the bend (reaching x = 110).
    const xs = capsules[0]![0]!.map(([x]) => x!);
    expect(Math.min(...xs)).toBeCloseTo(0, 9);
    expect(Math.max(...xs)).toBeCloseTo(110, 9);
    // The second is round at the bend (reaching y = −10) and flat at its end (y = 100).
    const ys = capsules[1]![0]!.map(([, y]) => y!);
    expect(Math.min(...ys)).toBeCloseTo(-10, 9);
    expect(Math.max(...ys)).toBeCloseTo(100, 9);
    expect(stretchCapsules({ points: [[5, 5]], roundStart: true, roundEnd: true }, 10, 2)).toEqual([]);
  });

  it('drops the holes smaller than the artefact size and keeps the others', () => {
    const square = (x: number, y: number, side: number): [number, number][] => [
      [x, y],
      [x + side, y],
      [x + side, y + side],
      [x, y + side],
      [x, y],
    ];
    const polygons = [[square(0, 0, 1000), square(100, 100, 10), square(500, 500, 300)]];
    expect(withoutSmallHoles(polygons, 200 * 200)).toEqual([[square(0, 0, 1000), square(500, 500, 300)]]);
    expect(ringArea(square(0, 0, 3))).toBe(9);
  });
});
