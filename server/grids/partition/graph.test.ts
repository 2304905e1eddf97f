import { describe, expect, it } from 'vitest';
import { buildUnitGraph, components, countPieces, DriveTimes, isContiguous, pathOrder } from './graph.js';
import { deepFreeze, lattice } from './test-fixtures.js';

describe('buildUnitGraph', () => {
  it('keeps the fastest of duplicate links and lists neighbours ascending', () => {
    const edges = deepFreeze([
      { a: 2, b: 0, driveSeconds: 50 },
      { a: 0, b: 1, driveSeconds: 30 },
      { a: 0, b: 2, driveSeconds: 40 },
      { a: 3, b: 0, driveSeconds: 10 },
    ]);
    const graph = buildUnitGraph(4, edges);
    expect([...graph.adjStart]).toEqual([0, 3, 4, 5, 6]);
    expect([...graph.adjTarget.subarray(0, 3)]).toEqual([1, 2, 3]);
    expect([...graph.adjSeconds.subarray(0, 3)]).toEqual([30, 40, 10]);
    expect([...graph.adjTarget.subarray(3)]).toEqual([0, 0, 0]);
  });

  it('rejects links to missing units, self-links and bad drive times', () => {
    expect(() => buildUnitGraph(2, [{ a: 0, b: 2, driveSeconds: 1 }])).toThrow(RangeError);
    expect(() => buildUnitGraph(2, [{ a: 1, b: 1, driveSeconds: 1 }])).toThrow(RangeError);
    expect(() => buildUnitGraph(2, [{ a: 0, b: 1, driveSeconds: -1 }])).toThrow(RangeError);
    expect(() => buildUnitGraph(2, [{ a: 0, b: 1, driveSeconds: Infinity }])).toThrow(RangeError);
    expect(() => buildUnitGraph(2, [], new Float64Array(3))).toThrow(RangeError);
  });
});

describe('DriveTimes', () => {
  it('finds shortest drives over the road links, not the direct but slow one', () => {
    // 0–1–2 by 100 s each; 0–2 directly over a pass takes 500 s; 3 has no road.
    const graph = buildUnitGraph(4, [
      { a: 0, b: 1, driveSeconds: 100 },
      { a: 1, b: 2, driveSeconds: 100 },
      { a: 0, b: 2, driveSeconds: 500 },
    ]);
    const drive = new DriveTimes(graph);
    expect([...drive.row(0)]).toEqual([0, 100, 200, Infinity]);
    expect(drive.seconds(2, 0)).toBe(200);
    expect(drive.row(0)).toBe(drive.row(0)); // cached
  });

  it('reads given all-pairs times instead of searching', () => {
    const allPairs = Float64Array.from([0, 7, 7, 0]);
    const drive = new DriveTimes(buildUnitGraph(2, [{ a: 0, b: 1, driveSeconds: 100 }], allPairs));
    expect(drive.seconds(0, 1)).toBe(7);
  });
});

describe('contiguity', () => {
  const { edges } = lattice(3, 3, Array(9).fill(10));
  const graph = buildUnitGraph(9, edges);

  it('counts the pieces of a set of units on the road links', () => {
    expect(isContiguous([0, 1, 2], graph)).toBe(true);
    expect(isContiguous([0, 4], graph)).toBe(false); // diagonal: polygons touch at a corner, no road
    expect(countPieces([0, 2, 6, 8], graph)).toBe(4);
    expect(countPieces([0, 1, 2, 6, 7, 8], graph)).toBe(2);
    expect(isContiguous([], graph)).toBe(true);
  });

  it('finds connected components of a unit subset', () => {
    const include = Uint8Array.from([1, 0, 1, 1, 0, 1, 0, 0, 1]);
    expect(components(graph, include)).toEqual([
      [0, 3],
      [2, 5, 8],
    ]);
  });
});

describe('pathOrder', () => {
  it('orders a strip from its lower-numbered end whatever the unit numbers', () => {
    const graph = buildUnitGraph(5, [
      { a: 3, b: 0, driveSeconds: 1 },
      { a: 0, b: 4, driveSeconds: 1 },
      { a: 4, b: 2, driveSeconds: 1 },
      { a: 2, b: 1, driveSeconds: 1 },
    ]);
    expect(pathOrder(graph, [0, 1, 2, 3, 4])).toEqual([1, 2, 4, 0, 3]);
    expect(pathOrder(graph, [0, 4])).toEqual([0, 4]);
    expect(pathOrder(graph, [2])).toEqual([2]);
  });

  it('refuses a junction and a loop', () => {
    const star = buildUnitGraph(4, [
      { a: 0, b: 1, driveSeconds: 1 },
      { a: 0, b: 2, driveSeconds: 1 },
      { a: 0, b: 3, driveSeconds: 1 },
    ]);
    expect(pathOrder(star, [0, 1, 2, 3])).toBeNull();
    expect(pathOrder(star, [1, 0, 2])).toEqual([1, 0, 2]);
    const ring = buildUnitGraph(3, [
      { a: 0, b: 1, driveSeconds: 1 },
      { a: 1, b: 2, driveSeconds: 1 },
      { a: 2, b: 0, driveSeconds: 1 },
    ]);
    expect(pathOrder(ring, [0, 1, 2])).toBeNull();
  });
});
