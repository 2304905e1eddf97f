import { describe, expect, it } from 'vitest';
import type { LonLat } from './crs.js';
import { nodeRoadLines, type NodingLine } from './noding.js';
import { snapRoadNetwork } from './roads.js';

// Metres of longitude and latitude at 27.5°N, as degrees.
const M_LON = 1 / 98_800;
const M_LAT = 1 / 110_800;
const at = (eastMetres: number, northMetres: number): LonLat => [
  119.7 + eastMetres * M_LON,
  27.5 + northMetres * M_LAT,
];
const road = (coordinates: LonLat[], level: number | null = 0): NodingLine => ({ coordinates, level });

/** Node, then join ends within 1 m: the edges as [line, source, target] and the node count. */
function network(lines: NodingLine[]) {
  const noded = nodeRoadLines(lines, 1);
  const snapped = snapRoadNetwork(
    noded.pieces.map((p) => p.coordinates),
    [],
    1,
  );
  return {
    noded,
    nodes: snapped.nodes.length,
    edges: snapped.edges.map((e) => [noded.pieces[e.line]!.line, e.source, e.target]),
    snapped,
  };
}

/** How many edge ends meet at each node that has more than one. */
function junctions(edges: number[][]): number[] {
  const degree = new Map<number, number>();
  for (const [, s, t] of edges) for (const n of [s!, t!]) degree.set(n, (degree.get(n) ?? 0) + 1);
  return [...degree.values()].filter((d) => d > 1).sort();
}

describe('nodeRoadLines', () => {
  it('cuts a cross "+" into 4 edges meeting at one node', () => {
    const result = network([road([at(-100, 0), at(100, 0)]), road([at(0, -100), at(0, 100)])]);
    expect(result.edges).toHaveLength(4);
    expect(result.nodes).toBe(5);
    expect(junctions(result.edges)).toEqual([4]);
    // Each line keeps its direction: the first piece ends at the crossing, the second starts there.
    const first = result.noded.pieces.filter((p) => p.line === 0);
    expect(first.map((p) => p.coordinates.length)).toEqual([2, 2]);
    expect(first[0]!.coordinates[1]![0]).toBeCloseTo(119.7, 9);
    expect(first[1]!.coordinates[0]).toEqual(first[0]!.coordinates[1]);
  });

  it('cuts a line where another line ends on its middle (a T)', () => {
    const result = network([road([at(-100, 0), at(100, 0)]), road([at(0, 0), at(0, 100)])]);
    expect(result.edges).toHaveLength(3);
    expect(junctions(result.edges)).toEqual([3]);
  });

  it('cuts both lines at a shared interior vertex', () => {
    const result = network([road([at(-100, 0), at(0, 0), at(100, 10)]), road([at(0, -100), at(0, 0), at(10, 100)])]);
    expect(result.edges).toHaveLength(4);
    expect(junctions(result.edges)).toEqual([4]);
    // The cut is at the vertex itself, not a computed point.
    expect(result.noded.pieces[0]!.coordinates).toEqual([at(-100, 0), at(0, 0)]);
  });

  it('cuts a stored road only where a new line meets it, never where two stored roads cross', () => {
    const stored = (coordinates: LonLat[]): NodingLine => ({ coordinates, level: 0, stored: true });
    const result = nodeRoadLines(
      [stored([at(-100, 0), at(100, 0)]), stored([at(0, -100), at(0, 100)]), road([at(50, -100), at(50, 100)])],
      1,
    );
    // The first stored road is cut at x = 50 by the new line; the two stored roads cross uncut.
    expect(result.pieces.map((p) => [p.line, p.coordinates.length])).toEqual([
      [0, 2],
      [0, 2],
      [1, 2],
      [2, 2],
      [2, 2],
    ]);
    expect(result.pieces[0]!.coordinates[1]![0]).toBeCloseTo(at(50, 0)[0], 9);
  });

  it('does not cut where a bridge (no level) or a line on another level passes over', () => {
    const bridge = network([road([at(-100, 0), at(100, 0)]), road([at(0, -100), at(0, 100)], null)]);
    expect(bridge.edges).toHaveLength(2);
    expect(junctions(bridge.edges)).toEqual([]);
    const levels = network([road([at(-100, 0), at(100, 0)], 0), road([at(0, -100), at(0, 100)], 1)]);
    expect(levels.edges).toHaveLength(2);
    // A T onto a bridge's middle does not join it either.
    const onBridge = network([road([at(-100, 0), at(100, 0)], null), road([at(0, 0), at(0, 100)])]);
    expect(onBridge.edges).toHaveLength(2);
    expect(junctions(onBridge.edges)).toEqual([]);
  });

  it('snaps a T drawn 0.6 m short onto the line, and leaves one 3 m short apart', () => {
    const near = network([road([at(-100, 0), at(100, 0)]), road([at(0, 0.6), at(0, 100)])]);
    expect(near.edges).toHaveLength(3);
    expect(junctions(near.edges)).toEqual([3]);
    const far = network([road([at(-100, 0), at(100, 0)]), road([at(0, 3), at(0, 100)])]);
    expect(far.edges).toHaveLength(2);
    expect(junctions(far.edges)).toEqual([]);
  });

  it('keeps one of two identical lines (either way round) and names the dropped one', () => {
    const result = network([
      road([at(-100, 0), at(0, 0), at(100, 0)]),
      road([at(100, 0), at(0, 0), at(-100, 0)]),
      road([at(0, -100), at(0, 0)]),
    ]);
    expect(result.noded.duplicates).toEqual([
      [1, 0],
      [1, 0],
    ]);
    expect(result.edges).toHaveLength(3);
    expect(junctions(result.edges)).toEqual([3]);
  });

  it('merges cuts closer than the tolerance and ignores crossings at a line end', () => {
    // Two lines crossing the first 0.4 m apart give one cut, not a sliver.
    const result = nodeRoadLines(
      [road([at(-100, 0), at(100, 0)]), road([at(0, -100), at(0, 100)]), road([at(0.4, -100), at(0.4, 100)])],
      1,
    );
    expect(result.pieces.filter((p) => p.line === 0)).toHaveLength(2);
  });

  it('nodes a grid of 20 × 20 long lines into 400 crossings', () => {
    const lines: NodingLine[] = [];
    for (let i = 0; i < 20; i++) {
      lines.push(road([at(-50, i * 100), at(2000, i * 100)]));
      lines.push(road([at(i * 100, -50), at(i * 100, 2000)]));
    }
    const result = network(lines);
    expect(result.edges).toHaveLength(40 * 21);
    expect(junctions(result.edges).filter((d) => d === 4)).toHaveLength(400);
  });
});
