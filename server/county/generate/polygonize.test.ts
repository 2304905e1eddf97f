import { readFileSync } from 'node:fs';
import { area, bbox, bboxClip, booleanPointInPolygon, featureCollection, intersect, kinks, polygon } from '@turf/turf';
import type { Feature, MultiPolygon, Polygon, Position } from 'geojson';
import { describe, expect, it } from 'vitest';
import { clipTiling, polygonizeLabels } from './polygonize.js';
import { Random } from './random.js';
import { type GridSpec, gridForBounds } from './raster.js';
import { growRegions } from './regions.js';

/** A grid of 60 m cells in Taishun with the given size. */
function smallGrid(width: number, height: number): GridSpec {
  return { ...gridForBounds({ west: 119.9, south: 27.5, east: 119.91, north: 27.51 }, 60), width, height };
}

/** A label raster drawn as text: a digit is a label, '.' is -1. */
function drawn(rows: string[]): { spec: GridSpec; labels: Int32Array } {
  const spec = smallGrid(rows[0]!.length, rows.length);
  const labels = Int32Array.from(rows.join(''), (ch) => (ch === '.' ? -1 : Number(ch)));
  return { spec, labels };
}

function corner(spec: GridSpec, col: number, row: number): Position {
  return [spec.west + col * spec.dLon, spec.north - row * spec.dLat];
}

/** A ring without its closing position, rotated to start at its least [lon, lat]: order kept. */
function normalised(ring: Position[]): Position[] {
  const open = ring[0]![0] === ring.at(-1)![0] && ring[0]![1] === ring.at(-1)![1] ? ring.slice(0, -1) : ring;
  let start = 0;
  open.forEach(([x, y], i) => {
    const [bx, by] = open[start]!;
    if (x! < bx! || (x === bx && y! < by!)) start = i;
  });
  return [...open.slice(start), ...open.slice(0, start)];
}

function ringFromCorners(spec: GridSpec, corners: [number, number][]): Position[] {
  return normalised(corners.map(([col, row]) => corner(spec, col, row)));
}

function planarArea(ring: Position[]): number {
  let sum = 0;
  for (let i = 0; i < ring.length - 1; i++) sum += ring[i]![0]! * ring[i + 1]![1]! - ring[i + 1]![0]! * ring[i]![1]!;
  return sum / 2;
}

/** Area in m² of the cells with a label (or of all labelled cells). */
function cellArea(spec: GridSpec, labels: Int32Array, label?: number): number {
  let total = 0;
  for (let row = 0; row < spec.height; row++) {
    const square = polygon([
      [
        corner(spec, 0, row + 1),
        corner(spec, 1, row + 1),
        corner(spec, 1, row),
        corner(spec, 0, row),
        corner(spec, 0, row + 1),
      ],
    ]);
    const rowArea = area(square);
    for (let col = 0; col < spec.width; col++) {
      const value = labels[row * spec.width + col]!;
      if (label === undefined ? value >= 0 : value === label) total += rowArea;
    }
  }
  return total;
}

function totalArea(polygons: Map<number, MultiPolygon>): number {
  let total = 0;
  for (const geometry of polygons.values()) total += area(geometry);
  return total;
}

/** Closed rings of four positions or more, outer counter-clockwise, holes clockwise, no kinks. */
function expectValidRings(polygons: Map<number, MultiPolygon>): void {
  for (const [label, geometry] of polygons) {
    for (const rings of geometry.coordinates) {
      rings.forEach((ring, i) => {
        expect(ring.length, `label ${label}`).toBeGreaterThanOrEqual(4);
        expect(ring[0], `label ${label} closed`).toEqual(ring.at(-1));
        expect(Math.sign(planarArea(ring)), `label ${label} ring ${i} orientation`).toBe(i === 0 ? 1 : -1);
        expect(kinks(polygon([ring])).features, `label ${label} ring ${i} kinks`).toHaveLength(0);
      });
    }
  }
}

/**
 * Shared borders are shared exactly: every directed edge of a ring is walked backwards by exactly
 * one ring of another label, except edges on the grid's outer edge.
 */
function expectSharedBorders(spec: GridSpec, polygons: Map<number, MultiPolygon>): void {
  const east = spec.west + spec.width * spec.dLon;
  const south = spec.north - spec.height * spec.dLat;
  const owner = new Map<string, number>();
  for (const [label, geometry] of polygons) {
    for (const ring of geometry.coordinates.flat()) {
      for (let i = 0; i < ring.length - 1; i++) {
        const key = `${ring[i]![0]},${ring[i]![1]}>${ring[i + 1]![0]},${ring[i + 1]![1]}`;
        expect(owner.has(key), `edge ${key} walked twice`).toBe(false);
        owner.set(key, label);
      }
    }
  }
  let outerEdges = 0;
  for (const [key, label] of owner) {
    const [from, to] = key.split('>') as [string, string];
    const partner = owner.get(`${to}>${from}`);
    if (partner === undefined) {
      const [x0, y0] = from.split(',').map(Number) as [number, number];
      const [x1, y1] = to.split(',').map(Number) as [number, number];
      const onEdge =
        (x0 === x1 && (x0 === spec.west || Math.abs(x0 - east) < 1e-12)) ||
        (y0 === y1 && (y0 === spec.north || Math.abs(y0 - south) < 1e-12));
      expect(onEdge, `edge ${key} of label ${label} has no partner`).toBe(true);
      outerEdges++;
    } else {
      expect(partner, `edge ${key} borders its own label`).not.toBe(label);
    }
  }
  expect(outerEdges).toBeGreaterThan(0);
}

/** Number of cell edges between each label and a different label (not the grid edge). */
function borderEdges(spec: GridSpec, labels: Int32Array): Map<number, number> {
  const count = new Map<number, number>();
  const add = (label: number): void => {
    count.set(label, (count.get(label) ?? 0) + 1);
  };
  for (let row = 0; row < spec.height; row++) {
    for (let col = 0; col < spec.width; col++) {
      const a = labels[row * spec.width + col]!;
      const right = col + 1 < spec.width ? labels[row * spec.width + col + 1]! : a;
      const below = row + 1 < spec.height ? labels[(row + 1) * spec.width + col]! : a;
      for (const b of [right, below]) {
        if (a === b) continue;
        add(a);
        add(b);
      }
    }
  }
  return count;
}

/** Pairs of labels whose cells touch along an edge. */
function neighbourPairs(spec: GridSpec, labels: Int32Array): [number, number][] {
  const pairs = new Set<string>();
  for (let row = 0; row < spec.height; row++) {
    for (let col = 0; col < spec.width; col++) {
      const a = labels[row * spec.width + col]!;
      const right = col + 1 < spec.width ? labels[row * spec.width + col + 1]! : a;
      const below = row + 1 < spec.height ? labels[(row + 1) * spec.width + col]! : a;
      for (const b of [right, below]) if (a >= 0 && b >= 0 && a !== b) pairs.add(`${Math.min(a, b)},${Math.max(a, b)}`);
    }
  }
  return [...pairs].map((pair) => pair.split(',').map(Number) as [number, number]);
}

/** Area of the intersection of two pieces by the clipper, both first cut to their common box. */
function overlapSquareMetres(a: MultiPolygon, b: MultiPolygon): number {
  const [aw, as, ae, an] = bbox(a);
  const [bw, bs, be, bn] = bbox(b);
  const margin = 1e-6;
  const box: [number, number, number, number] = [
    Math.max(aw, bw) - margin,
    Math.max(as, bs) - margin,
    Math.min(ae, be) + margin,
    Math.min(an, bn) + margin,
  ];
  if (box[0] > box[2] || box[1] > box[3]) return 0;
  const near = [a, b].map((piece): Feature<MultiPolygon> => {
    const cut = bboxClip(piece, box).geometry as MultiPolygon;
    return {
      type: 'Feature',
      properties: {},
      geometry: { ...cut, coordinates: cut.coordinates.filter((rings) => rings.length > 0) },
    };
  });
  if (near.some((piece) => piece.geometry.coordinates.length === 0)) return 0;
  const shared = intersect(featureCollection(near));
  return shared ? area(shared) : 0;
}

/** A smooth noisy cost surface (sum of a few seeded waves plus cell noise), values 1 to ~15. */
function noisyCost(spec: GridSpec, seed: number): Float32Array {
  const random = new Random(seed);
  const waves = Array.from({ length: 6 }, () => ({
    fx: random.uniform(0.005, 0.08),
    fy: random.uniform(0.005, 0.08),
    phase: random.uniform(0, 2 * Math.PI),
    amplitude: random.uniform(0.5, 2),
  }));
  const cost = new Float32Array(spec.width * spec.height);
  for (let row = 0; row < spec.height; row++) {
    for (let col = 0; col < spec.width; col++) {
      let value = 1;
      for (const w of waves) value += w.amplitude * (1 + Math.sin(col * w.fx + row * w.fy + w.phase));
      cost[row * spec.width + col] = value + random.uniform(0, 1);
    }
  }
  return cost;
}

function randomRegions(spec: GridSpec, seedCount: number, seed: number): Int32Array {
  const random = new Random(seed);
  const seeds = Array.from({ length: seedCount }, (_, label) => ({
    col: random.int(0, spec.width - 1),
    row: random.int(0, spec.height - 1),
    label,
    weight: random.uniform(0.8, 1.4),
  }));
  return growRegions(spec, noisyCost(spec, seed + 1), seeds);
}

function gridRectangle(spec: GridSpec): Polygon {
  const [w, h] = [spec.width, spec.height];
  return {
    type: 'Polygon',
    coordinates: [[corner(spec, 0, h), corner(spec, w, h), corner(spec, w, 0), corner(spec, 0, 0), corner(spec, 0, h)]],
  };
}

/** Seeded points in a box: each must lie in exactly one piece inside the boundary, none outside. */
function expectEachPointInOnePiece(
  pieces: Map<number, MultiPolygon>,
  boundary: Polygon | MultiPolygon,
  seed: number,
  count: number,
): void {
  const random = new Random(seed);
  const [west, south, east, north] = bbox(boundary);
  const boxes = [...pieces.values()].map((geometry) => ({ geometry, box: bbox(geometry) }));
  for (let i = 0; i < count; i++) {
    const point: Position = [random.uniform(west, east), random.uniform(south, north)];
    let holders = 0;
    for (const { geometry, box } of boxes) {
      if (point[0]! < box[0] || point[0]! > box[2] || point[1]! < box[1] || point[1]! > box[3]) continue;
      if (booleanPointInPolygon(point, geometry)) holders++;
    }
    expect(holders, `point ${point.join(',')}`).toBe(booleanPointInPolygon(point, boundary) ? 1 : 0);
  }
}

describe('polygonizeLabels on hand-drawn rasters', () => {
  it('splits a 6×4 grid into two rectangles at column 3, smoothed or not', () => {
    const { spec, labels } = drawn(['000111', '000111', '000111', '000111']);
    for (const smoothIterations of [0, 2]) {
      const polygons = polygonizeLabels(spec, labels, { smoothIterations });
      expect([...polygons.keys()]).toEqual([0, 1]);
      expect(polygons.get(0)!.coordinates.map((rings) => rings.map(normalised))).toEqual([
        [
          ringFromCorners(spec, [
            [0, 4],
            [3, 4],
            [3, 0],
            [0, 0],
          ]),
        ],
      ]);
      expect(polygons.get(1)!.coordinates.map((rings) => rings.map(normalised))).toEqual([
        [
          ringFromCorners(spec, [
            [3, 4],
            [6, 4],
            [6, 0],
            [3, 0],
          ]),
        ],
      ]);
    }
  });

  it('gives an L-shaped region its six corners and smooths only the inner corner of its border', () => {
    const { spec, labels } = drawn(['100', '100', '111']);
    const exact = polygonizeLabels(spec, labels, { smoothIterations: 0 });
    expect(exact.get(1)!.coordinates.map((rings) => rings.map(normalised))).toEqual([
      [
        ringFromCorners(spec, [
          [0, 3],
          [3, 3],
          [3, 2],
          [1, 2],
          [1, 0],
          [0, 0],
        ]),
      ],
    ]);
    expect(exact.get(0)!.coordinates.map((rings) => rings.map(normalised))).toEqual([
      [
        ringFromCorners(spec, [
          [1, 2],
          [3, 2],
          [3, 0],
          [1, 0],
        ]),
      ],
    ]);
    const smooth = polygonizeLabels(spec, labels);
    // The border (1,0)–(1,2)–(3,2) keeps its ends and gets four points round the cut corner; the
    // border against the grid edge keeps its corner (3,0).
    const inner = smooth.get(0)!.coordinates[0]![0]!;
    expect(inner).toHaveLength(4 + 2 + 1 + 1);
    expect(inner).toContainEqual(corner(spec, 1, 0));
    expect(inner).toContainEqual(corner(spec, 3, 2));
    expect(inner).not.toContainEqual(corner(spec, 1, 2));
    expectSharedBorders(spec, smooth);
    expectValidRings(smooth);
    expect(totalArea(smooth) / cellArea(spec, labels) - 1).toBeLessThan(1e-9);
  });

  it('makes a hole where a region encloses another, and the island is the hole reversed', () => {
    const { spec, labels } = drawn(['00000', '00000', '00100', '00000', '00000']);
    const exact = polygonizeLabels(spec, labels, { smoothIterations: 0 });
    expect(exact.get(0)!.coordinates.map((rings) => rings.map(normalised))).toEqual([
      [
        ringFromCorners(spec, [
          [0, 5],
          [5, 5],
          [5, 0],
          [0, 0],
        ]),
        ringFromCorners(spec, [
          [2, 3],
          [2, 2],
          [3, 2],
          [3, 3],
        ]),
      ],
    ]);
    expect(exact.get(1)!.coordinates.map((rings) => rings.map(normalised))).toEqual([
      [
        ringFromCorners(spec, [
          [2, 3],
          [3, 3],
          [3, 2],
          [2, 2],
        ]),
      ],
    ]);
    const smooth = polygonizeLabels(spec, labels);
    const hole = smooth.get(0)!.coordinates[0]![1]!;
    const island = smooth.get(1)!.coordinates[0]![0]!;
    expect(island).toHaveLength(4 * 4 + 1);
    expect(normalised(island.slice().reverse())).toEqual(normalised(hole));
    expectValidRings(smooth);
    expect(Math.abs(totalArea(smooth) / cellArea(spec, labels) - 1)).toBeLessThan(1e-9);
  });

  it('makes a region in two pieces two polygons', () => {
    const { spec, labels } = drawn(['10001', '10001', '10001']);
    const polygons = polygonizeLabels(spec, labels);
    expect(polygons.get(1)!.coordinates.map((rings) => rings.map(normalised))).toEqual([
      [
        ringFromCorners(spec, [
          [0, 3],
          [1, 3],
          [1, 0],
          [0, 0],
        ]),
      ],
      [
        ringFromCorners(spec, [
          [4, 3],
          [5, 3],
          [5, 0],
          [4, 0],
        ]),
      ],
    ]);
    expect(polygons.get(0)!.coordinates).toHaveLength(1);
  });

  it('keeps cells that touch only at a corner apart (checkerboard)', () => {
    const { spec, labels } = drawn(['01', '10']);
    for (const smoothIterations of [0, 2]) {
      const polygons = polygonizeLabels(spec, labels, { smoothIterations });
      expect(polygons.get(0)!.coordinates.map((rings) => rings.map(normalised))).toEqual([
        [
          ringFromCorners(spec, [
            [0, 1],
            [1, 1],
            [1, 0],
            [0, 0],
          ]),
        ],
        [
          ringFromCorners(spec, [
            [1, 2],
            [2, 2],
            [2, 1],
            [1, 1],
          ]),
        ],
      ]);
      expect(polygons.get(1)!.coordinates.map((rings) => rings.map(normalised))).toEqual([
        [
          ringFromCorners(spec, [
            [1, 1],
            [2, 1],
            [2, 0],
            [1, 0],
          ]),
        ],
        [
          ringFromCorners(spec, [
            [0, 2],
            [1, 2],
            [1, 1],
            [0, 1],
          ]),
        ],
      ]);
      expectValidRings(polygons);
    }
  });

  it('splits a ring that touches itself diagonally into an outer ring and a hole touching at a point', () => {
    const { spec, labels } = drawn(['000', '010', '001']);
    const exact = polygonizeLabels(spec, labels, { smoothIterations: 0 });
    expect(exact.get(0)!.coordinates.map((rings) => rings.map(normalised))).toEqual([
      [
        ringFromCorners(spec, [
          [0, 3],
          [2, 3],
          [2, 2],
          [3, 2],
          [3, 0],
          [0, 0],
        ]),
        ringFromCorners(spec, [
          [1, 2],
          [1, 1],
          [2, 1],
          [2, 2],
        ]),
      ],
    ]);
    expect(exact.get(1)!.coordinates).toHaveLength(2);
    for (const smoothIterations of [0, 2, 4]) {
      const polygons = polygonizeLabels(spec, labels, { smoothIterations });
      expectValidRings(polygons);
      const [shell, hole] = polygons.get(0)!.coordinates[0]!;
      const shared = hole!.filter((p) => shell!.some((q) => q[0] === p[0] && q[1] === p[1]));
      expect(new Set(shared.map(String))).toEqual(new Set([String(corner(spec, 2, 2))]));
      expect(Math.abs(totalArea(polygons) / cellArea(spec, labels) - 1)).toBeLessThan(1e-9);
    }
  });

  it('leaves -1 cells out and keeps borders against them on the cell edges', () => {
    const { spec, labels } = drawn(['..00', '.000', '0011']);
    const polygons = polygonizeLabels(spec, labels, { smoothIterations: 3 });
    expect([...polygons.keys()]).toEqual([0, 1]);
    expect(polygons.get(0)!.coordinates[0]![0]).toContainEqual(corner(spec, 1, 1));
    expect(Math.abs(totalArea(polygons) / cellArea(spec, labels) - 1)).toBeLessThan(1e-9);
    expectValidRings(polygons);
  });

  it('does not let a simplified border jump over an island (falls back to the smoothed staircase)', () => {
    // Region 0 reaches 3 rows down into region 1; an island of 2 sits in that notch. A 200 m
    // Douglas–Peucker would flatten the notch and leave the island on region 1's side.
    const rows: string[] = [];
    for (let row = 0; row < 16; row++) {
      let line = '';
      for (let col = 0; col < 40; col++) {
        const notch = col >= 15 && col <= 25 && row >= 8 && row <= 10;
        line += row === 9 && col === 20 ? '2' : row < 8 || notch ? '0' : '1';
      }
      rows.push(line);
    }
    const { spec, labels } = drawn(rows);
    const polygons = polygonizeLabels(spec, labels, { simplifyMetres: 200 });
    expectValidRings(polygons);
    expectSharedBorders(spec, polygons);
    const island = polygons.get(2)!.coordinates[0]![0]!;
    const shell = polygons.get(0)!.coordinates[0]![0]!;
    for (const point of island) expect(booleanPointInPolygon(point, polygon([shell]))).toBe(true);
    expect(overlapSquareMetres(polygons.get(1)!, polygons.get(2)!)).toBeLessThan(1);
    // Without the island the same tolerance does flatten the notch.
    const flat = polygonizeLabels(
      spec,
      labels.map((label) => (label === 2 ? 0 : label)),
      { simplifyMetres: 200 },
    );
    expect(area(flat.get(0)!)).toBeLessThan(cellArea(spec, labels, 0) * 0.95);
  });
});

describe('polygonizeLabels on grown regions', () => {
  const spec = smallGrid(200, 200);
  const labels = randomRegions(spec, 30, 101);
  const labelledArea = cellArea(spec, labels);

  it('matches the cell areas of every label to 1e-9 without smoothing', () => {
    const polygons = polygonizeLabels(spec, labels, { smoothIterations: 0 });
    expect(polygons.size).toBe(30);
    for (const [label, geometry] of polygons) {
      expect(Math.abs(area(geometry) / cellArea(spec, labels, label) - 1)).toBeLessThan(1e-9);
    }
    expect(Math.abs(totalArea(polygons) / labelledArea - 1)).toBeLessThan(1e-9);
    expectSharedBorders(spec, polygons);
    expectValidRings(polygons);
  });

  for (const options of [{}, { smoothIterations: 3, simplifyMetres: 45 }, { simplifyMetres: 150 }]) {
    it(`tiles without gaps or overlaps with ${JSON.stringify(options)}`, () => {
      const polygons = polygonizeLabels(spec, labels, options);
      expect(polygons.size).toBe(30);
      expectValidRings(polygons);
      expectSharedBorders(spec, polygons);
      expect(Math.abs(totalArea(polygons) / labelledArea - 1)).toBeLessThan(1e-4);
      // A label gains or loses at most its border length times how far its border moved.
      const moveCells = 0.25 + (options.simplifyMetres ?? 0) / 60;
      const borders = borderEdges(spec, labels);
      const cellSquareMetres = labelledArea / (spec.width * spec.height);
      for (const [label, geometry] of polygons) {
        const change = Math.abs(area(geometry) - cellArea(spec, labels, label));
        expect(change, `label ${label}`).toBeLessThan(borders.get(label)! * moveCells * cellSquareMetres);
      }
      expectEachPointInOnePiece(polygons, gridRectangle(spec), 7, 1000);
      // The clipper's own word on overlaps, for the default options (it is slow).
      if (Object.keys(options).length > 0) return;
      for (const [a, b] of neighbourPairs(spec, labels)) {
        expect(overlapSquareMetres(polygons.get(a)!, polygons.get(b)!), `labels ${a} and ${b}`).toBeLessThan(1);
      }
    });
  }

  it('is deterministic and leaves its input alone', () => {
    const before = labels.slice();
    const first = polygonizeLabels(spec, labels, { simplifyMetres: 45 });
    const second = polygonizeLabels(spec, labels, { simplifyMetres: 45 });
    expect(JSON.stringify([...second])).toBe(JSON.stringify([...first]));
    expect(labels.every((label, i) => label === before[i])).toBe(true);
  });
});

describe('clipTiling', () => {
  const at = (u: number, v: number): Position => [120 + u * 0.01, 27.5 + v * 0.01];
  const square = (u0: number, v0: number, u1: number, v1: number): Position[] => [
    at(u0, v0),
    at(u1, v0),
    at(u1, v1),
    at(u0, v1),
    at(u0, v0),
  ];

  it('keeps pieces inside as they are, drops pieces outside, and clips the rest', () => {
    const boundary: Polygon = { type: 'Polygon', coordinates: [square(0, 0, 10, 10), square(4, 4, 6, 6).reverse()] };
    const tiling = new Map<number, MultiPolygon>([
      [1, { type: 'MultiPolygon', coordinates: [[square(1, 1, 3, 3)]] }],
      [2, { type: 'MultiPolygon', coordinates: [[square(20, 20, 21, 21)]] }],
      [3, { type: 'MultiPolygon', coordinates: [[square(3.5, 3.5, 6.5, 6.5)]] }],
      [4, { type: 'MultiPolygon', coordinates: [[square(9, 0, 11, 1)]] }],
      [5, { type: 'MultiPolygon', coordinates: [[square(10 - 1e-7, 2, 11, 3)]] }],
    ]);
    const { polygons, dropped } = clipTiling(tiling, boundary);
    expect(polygons.get(1)!.coordinates).toEqual([[square(1, 1, 3, 3)]]);
    expect(polygons.has(2)).toBe(false);
    const ring = polygons.get(3)!.coordinates[0]!;
    expect(ring).toHaveLength(2);
    expect(
      Math.abs(
        area(polygons.get(3)!) / (area(polygon([square(3.5, 3.5, 6.5, 6.5)])) - area(polygon([square(4, 4, 6, 6)]))) -
          1,
      ),
    ).toBeLessThan(1e-6);
    expect(Math.abs(area(polygons.get(4)!) / area(polygon([square(9, 0, 10, 1)])) - 1)).toBeLessThan(1e-6);
    expect(polygons.has(5)).toBe(false);
    expect(dropped.map((piece) => piece.label)).toEqual([2, 5]);
    expect(dropped[0]!.squareMetres).toBe(0);
    expect(dropped[1]!.squareMetres).toBeGreaterThan(0);
    expect(dropped[1]!.squareMetres).toBeLessThan(1);
    expectValidRings(polygons);
  });

  it('cuts a grown tiling to a star exactly: areas add up to the star and pieces do not overlap', () => {
    const spec = smallGrid(200, 200);
    const labels = randomRegions(spec, 30, 202);
    const polygons = polygonizeLabels(spec, labels, { simplifyMetres: 45 });
    const centre = corner(spec, 100, 100);
    const star: Position[] = [];
    for (let i = 0; i < 20; i++) {
      const radius = i % 2 === 0 ? 0.05 : 0.025;
      const angle = (i * Math.PI) / 10;
      star.push([centre[0]! + radius * Math.cos(angle), centre[1]! + radius * 0.9 * Math.sin(angle)]);
    }
    star.push(star[0]!);
    const boundary: Polygon = { type: 'Polygon', coordinates: [star] };
    const { polygons: pieces, dropped } = clipTiling(polygons, boundary);
    expect(dropped.every((piece) => piece.squareMetres === 0)).toBe(true);
    expect(Math.abs(totalArea(pieces) / area(boundary) - 1)).toBeLessThan(1e-4);
    expectValidRings(pieces);
    const labelsInside = [...pieces.keys()];
    for (let i = 0; i < labelsInside.length; i++) {
      for (let j = i + 1; j < labelsInside.length; j++) {
        const a = pieces.get(labelsInside[i]!)!;
        const b = pieces.get(labelsInside[j]!)!;
        const [aw, as, ae, an] = bbox(a);
        const [bw, bs, be, bn] = bbox(b);
        if (aw > be || bw > ae || as > bn || bs > an) continue;
        expect(overlapSquareMetres(a, b), `labels ${labelsInside[i]} and ${labelsInside[j]}`).toBeLessThan(1);
      }
    }
    expectEachPointInOnePiece(pieces, boundary, 5, 2000);
  });

  it('tiles the real Taishun outline from a county-size grid', () => {
    const outline = JSON.parse(
      readFileSync(new URL('../../../gis-data/sources/taishun-outline.geojson', import.meta.url), 'utf8'),
    ).features[0].geometry as Polygon;
    const spec = gridForBounds({ west: 119.61, south: 27.28, east: 120.27, north: 27.83 }, 60);
    const labels = randomRegions(spec, 20, 303);
    const polygons = polygonizeLabels(spec, labels);
    expectSharedBorders(spec, polygons);
    const { polygons: pieces, dropped } = clipTiling(polygons, outline);
    expect(dropped.every((piece) => piece.squareMetres === 0)).toBe(true);
    expect(pieces.size + dropped.length).toBe(20);
    expect(Math.abs(totalArea(pieces) / area(outline) - 1)).toBeLessThan(1e-4);
    expectEachPointInOnePiece(pieces, outline, 6, 1000);
  });
});
