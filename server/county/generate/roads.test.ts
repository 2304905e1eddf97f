import { describe, expect, it } from 'vitest';
import { Random } from './random.js';
import { type GridSpec, cellCentre, metresPerDegree, NEIGHBOURS_8 } from './raster.js';
import {
  buildRoadNetwork,
  connectedComponents,
  DEFAULT_ROAD_LOOPS,
  type RoadLoopOptions,
  type RoadNetwork,
  type RoadRequest,
} from './roads.js';

const CELL_METRES = 60;

/** A grid of about 60 m cells near Taishun's latitude. */
function gridOf(width: number, height: number): GridSpec {
  const m = metresPerDegree(27.5);
  return { west: 120, north: 27.5, dLon: CELL_METRES / m.lon, dLat: CELL_METRES / m.lat, width, height };
}

function flat(spec: GridSpec, metres = 300): Float32Array {
  return new Float32Array(spec.width * spec.height).fill(metres);
}

function request(spec: GridSpec, id: string, col: number, row: number, roadClass: RoadRequest['roadClass']) {
  const [lon, lat] = cellCentre(spec, col, row);
  return { id, lon, lat, roadClass };
}

/** Position in cell units: x = columns from the west edge, y = rows from the north edge. */
function gridPosition(spec: GridSpec, [lon, lat]: readonly number[]): { x: number; y: number } {
  return { x: (lon! - spec.west) / spec.dLon, y: (spec.north - lat!) / spec.dLat };
}

const noNoise = { noiseFraction: 0 };

/** A network on a flat 31 × 21 grid without cost noise, from [id, col, row, class] requests. */
function flatNetwork(requests: [string, number, number, RoadRequest['roadClass']][]) {
  const spec = gridOf(31, 21);
  const network = buildRoadNetwork({
    spec,
    elevationMetres: flat(spec),
    requests: requests.map(([id, col, row, roadClass]) => request(spec, id, col, row, roadClass)),
    seed: 1,
    costs: noNoise,
  });
  return { spec, network };
}

function degrees(network: RoadNetwork): number[] {
  const degree = network.nodes.map(() => 0);
  for (const edge of network.edges) {
    degree[edge.source]!++;
    degree[edge.target]!++;
  }
  return degree;
}

/** Invariants every network must keep: ends on nodes, no loops, duplicates or zero-length edges. */
function expectWellFormed(network: RoadNetwork): void {
  const pairs = new Set<string>();
  for (const edge of network.edges) {
    const source = network.nodes[edge.source]!;
    const target = network.nodes[edge.target]!;
    expect(edge.coordinates[0]).toEqual([source.lon, source.lat, source.elevationMetres]);
    expect(edge.coordinates.at(-1)).toEqual([target.lon, target.lat, target.elevationMetres]);
    expect(edge.source).not.toBe(edge.target);
    expect(edge.lengthMetres).toBeGreaterThan(0);
    expect(edge.sinuosity).toBeGreaterThanOrEqual(1);
    const pair = [edge.source, edge.target].sort((a, b) => a - b).join('-');
    expect(pairs.has(pair)).toBe(false);
    pairs.add(pair);
  }
}

describe('buildRoadNetwork on tiny rasters', () => {
  it('joins two requests on flat ground by a straight road', () => {
    const spec = gridOf(25, 11);
    const network = buildRoadNetwork({
      spec,
      elevationMetres: flat(spec),
      requests: [request(spec, 'seat', 2, 5, 'county'), request(spec, 'village', 22, 5, 'village')],
      seed: 1,
      costs: noNoise,
    });
    expect(network.nodes).toHaveLength(2);
    expect(network.edges).toHaveLength(1);
    const [edge] = network.edges;
    expect(edge!.source).toBe(network.requestNode.seat);
    expect(edge!.target).toBe(network.requestNode.village);
    expect(edge!.roadClass).toBe('village');
    expect(edge!.lengthMetres).toBeCloseTo(20 * CELL_METRES, 0);
    expect(edge!.sinuosity).toBeCloseTo(1, 3);
    expect(edge!.climbMetres).toBe(0);
    expect(edge!.turningDegreesPerKm).toBe(0);
    expect(connectedComponents(network)).toBe(1);
  });

  it('keeps a diagonal road within a cell of the straight distance, an oblique one within the 8-direction bound', () => {
    const spec = gridOf(30, 20);
    const lengthOf = (col: number, row: number) =>
      buildRoadNetwork({
        spec,
        elevationMetres: flat(spec),
        requests: [request(spec, 'a', 2, 2, 'county'), request(spec, 'b', col, row, 'village')],
        seed: 1,
        costs: noNoise,
      }).edges[0]!;
    const diagonal = lengthOf(14, 14);
    expect(Math.abs(diagonal.lengthMetres - 12 * Math.SQRT2 * CELL_METRES)).toBeLessThan(CELL_METRES);
    // 20 across, 10 down: 8-direction moves give at most 10√2 + 10 cells, smoothing takes a little off.
    const oblique = lengthOf(22, 12);
    expect(oblique.lengthMetres).toBeGreaterThan(Math.hypot(20, 10) * CELL_METRES);
    expect(oblique.lengthMetres).toBeLessThan((10 * Math.SQRT2 + 10) * CELL_METRES);
  });

  it('routes over a ridge through its one low pass', () => {
    const spec = gridOf(31, 21);
    const elevationMetres = flat(spec);
    const passRow = 15;
    for (let row = 0; row < spec.height; row++) {
      for (let col = 14; col <= 16; col++) elevationMetres[row * spec.width + col] = row === passRow ? 330 : 700;
    }
    const network = buildRoadNetwork({
      spec,
      elevationMetres,
      requests: [request(spec, 'west', 5, 3, 'county'), request(spec, 'east', 25, 3, 'village')],
      seed: 1,
      costs: noNoise,
    });
    expect(network.edges).toHaveLength(1);
    const edge = network.edges[0]!;
    const points = edge.coordinates.map((point) => gridPosition(spec, point));
    // Every vertex over the ridge columns lies in the pass row.
    const overRidge = points.filter(({ x }) => x >= 14 && x < 17);
    expect(overRidge.length).toBeGreaterThan(0);
    for (const { y } of overRidge) expect(Math.floor(y)).toBe(passRow);
    // And the road runs through the middle of the pass cell.
    const passCentre = { x: 15.5, y: passRow + 0.5 };
    const nearest = Math.min(...points.slice(1).map((point, i) => distanceToSegment(passCentre, points[i]!, point)));
    expect(nearest).toBeLessThan(0.05);
    // Road elevations are the raster under a 1-2-1 kernel: the pass peaks at (4 × 700 + 8 × 330 + 4 × 700) / 16
    // = 515 m, the ridge anywhere else at 700 m; the road starts and ends at 300 m.
    expect(edge.climbMetres).toBeLessThan(515 - 300);
    expect(edge.descentMetres).toBeLessThan(515 - 300);
    expect(edge.climbMetres).toBeGreaterThan(150);
  });

  it('goes round a wall of impassable cells through its gap', () => {
    const spec = gridOf(21, 21);
    const passable = new Uint8Array(spec.width * spec.height).fill(1);
    for (let col = 0; col < spec.width; col++) if (col !== 3) passable[10 * spec.width + col] = 0;
    const network = buildRoadNetwork({
      spec,
      elevationMetres: flat(spec),
      passable,
      requests: [request(spec, 'north', 15, 5, 'county'), request(spec, 'south', 15, 15, 'village')],
      seed: 1,
      costs: noNoise,
    });
    const crossings = network.edges[0]!.coordinates.map((point) => gridPosition(spec, point)).filter(
      ({ y }) => y >= 10 && y < 11,
    );
    expect(crossings.length).toBeGreaterThan(0);
    for (const { x } of crossings) expect(Math.floor(x)).toBe(3);
  });

  it('goes round the end of a big river when that is cheaper than a bridge', () => {
    const spec = gridOf(31, 21);
    const riverAccumulation = new Float32Array(spec.width * spec.height).fill(1);
    // A big river along row 10, from the west edge to column 9.
    for (let col = 0; col <= 9; col++) riverAccumulation[10 * spec.width + col] = 1e6;
    const build = (bridgeMetres: number) =>
      buildRoadNetwork({
        spec,
        elevationMetres: flat(spec),
        riverAccumulation,
        requests: [request(spec, 'north', 4, 6, 'county'), request(spec, 'south', 4, 14, 'village')],
        seed: 1,
        costs: { ...noNoise, bridgeMetres, valleyDiscount: 0 },
      }).edges[0]!;
    const riverRow = (edge: { coordinates: number[][] }) =>
      edge.coordinates.map((point) => gridPosition(spec, point)).filter(({ y }) => y >= 10 && y < 11);
    // With the default bridge cost the road rounds the river's end at column 10 or beyond …
    const around = build(800);
    for (const { x } of riverRow(around)) expect(x).toBeGreaterThanOrEqual(10);
    expect(around.lengthMetres).toBeGreaterThan(12 * CELL_METRES);
    // … with a cheap bridge it crosses straight over.
    const bridged = build(60);
    expect(bridged.lengthMetres).toBeCloseTo(8 * CELL_METRES, 0);
  });

  it('attaches a request beside a road with one junction that splits the old edge in two', () => {
    const { spec, network } = flatNetwork([
      ['seat', 5, 10, 'county'],
      ['east', 25, 10, 'village'],
      ['south', 15, 14, 'village'],
    ]);
    expect(network.nodes).toHaveLength(4);
    expect(network.edges).toHaveLength(3);
    expectWellFormed(network);
    const degree = degrees(network);
    const junctions = network.nodes.filter((node) => degree[node.id] === 3);
    expect(junctions).toHaveLength(1);
    const junction = junctions[0]!;
    expect([junction.lon, junction.lat]).toEqual(cellCentreRounded(spec, 15, 10));
    const seat = network.requestNode.seat!;
    const east = network.requestNode.east!;
    const south = network.requestNode.south!;
    const lengthBetween = (a: number, b: number) =>
      network.edges.find((e) => (e.source === a && e.target === b) || (e.source === b && e.target === a))!.lengthMetres;
    expect(lengthBetween(seat, junction.id)).toBeCloseTo(10 * CELL_METRES, 0);
    expect(lengthBetween(junction.id, east)).toBeCloseTo(10 * CELL_METRES, 0);
    expect(lengthBetween(junction.id, south)).toBeCloseTo(4 * CELL_METRES, 0);
    expect(connectedComponents(network)).toBe(1);
  });

  it('splits an edge at a request that lies on it, without building anything', () => {
    const { network } = flatNetwork([
      ['seat', 5, 10, 'county'],
      ['east', 25, 10, 'village'],
      ['onRoad', 12, 10, 'village'],
    ]);
    expect(network.nodes).toHaveLength(3);
    // Straight lengths, plus what the ±2 m digitising noise adds (a few decimetres at most).
    const lengths = network.edges.map((e) => e.lengthMetres).sort((a, b) => a - b);
    expect(lengths[0]).toBeCloseTo(7 * CELL_METRES, 0);
    expect(lengths[1]).toBeCloseTo(13 * CELL_METRES, 0);
    expect(degrees(network)[network.requestNode.onRoad!]).toBe(2);
    expectWellFormed(network);
  });

  it('promotes a village road to county where a later county road reuses it', () => {
    const { network } = flatNetwork([
      ['seat', 2, 10, 'county'],
      ['village', 28, 10, 'village'],
      ['town', 25, 14, 'county'],
    ]);
    expect(network.edges).toHaveLength(3);
    expectWellFormed(network);
    const touching = (node: number) => network.edges.filter((e) => e.source === node || e.target === node);
    expect(touching(network.requestNode.seat!).map((e) => e.roadClass)).toEqual(['county']);
    expect(touching(network.requestNode.town!).map((e) => e.roadClass)).toEqual(['county']);
    expect(touching(network.requestNode.village!).map((e) => e.roadClass)).toEqual(['village']);
    // The county road shares the old road instead of running beside it: 26 cells of old road and
    // about 4 of new (a road of its own to the seat would add 23 more).
    const total = network.edges.reduce((sum, e) => sum + e.lengthMetres, 0);
    expect(total).toBeLessThan((26 + 5) * CELL_METRES);
    const junction = network.nodes.find((node) => degrees(network)[node.id] === 3)!;
    expect(junction.lat).toBe(network.nodes[network.requestNode.seat!]!.lat);
  });

  it('draws a straight road as a survey would: a vertex at most every 80 m, each within 2 m of the line, not all on it', () => {
    const spec = gridOf(41, 5);
    const network = buildRoadNetwork({
      spec,
      elevationMetres: flat(spec),
      requests: [request(spec, 'seat', 1, 2, 'county'), request(spec, 'village', 39, 2, 'village')],
      seed: 1,
      costs: noNoise,
    });
    const m = metresPerDegree(27.5);
    const line = network.edges[0]!.coordinates;
    const [lon0, lat0] = line[0]!;
    const offsets = line.map(([, lat]) => (lat - lat0) * m.lat);
    const steps = line.slice(1).map(([lon], i) => (lon - line[i]![0]) * m.lon);
    expect(line.length).toBeGreaterThanOrEqual(Math.ceil((38 * CELL_METRES) / 80) + 1);
    expect(Math.max(...steps)).toBeLessThanOrEqual(84);
    expect(Math.max(...offsets.map(Math.abs))).toBeLessThanOrEqual(2);
    expect(Math.max(...offsets.map(Math.abs))).toBeGreaterThan(0.2);
    expect(lon0).toBe(network.nodes[network.edges[0]!.source]!.lon);
    // Bends are measured on the drawn line, not on the noise.
    expect(network.edges[0]!.turningDegreesPerKm).toBe(0);
  });

  it('rejects requests outside the grid and duplicate ids', () => {
    const spec = gridOf(10, 10);
    const base = { spec, elevationMetres: flat(spec), seed: 1 };
    expect(() => buildRoadNetwork({ ...base, requests: [{ id: 'x', lon: 0, lat: 0, roadClass: 'county' }] })).toThrow(
      RangeError,
    );
    const twice = [request(spec, 'a', 1, 1, 'county'), request(spec, 'a', 5, 5, 'village')];
    expect(() => buildRoadNetwork({ ...base, requests: twice })).toThrow(/duplicate/);
  });
});

function distanceToSegment(
  p: { x: number; y: number },
  a: { x: number; y: number },
  b: { x: number; y: number },
): number {
  const ux = b.x - a.x;
  const uy = b.y - a.y;
  const t = Math.max(0, Math.min(1, ((p.x - a.x) * ux + (p.y - a.y) * uy) / (ux * ux + uy * uy)));
  return Math.hypot(p.x - a.x - t * ux, p.y - a.y - t * uy);
}

function cellCentreRounded(spec: GridSpec, col: number, row: number): number[] {
  return cellCentre(spec, col, row).map((degrees) => Math.round(degrees * 1e7) / 1e7);
}

/** A synthetic mountain: a tilted surface, sums of sines and Gaussian ridges, with D8 accumulation. */
function mountain(size: number): { spec: GridSpec; elevationMetres: Float32Array; riverAccumulation: Float32Array } {
  const spec = gridOf(size, size);
  const elevationMetres = new Float32Array(size * size);
  const ridges = [
    { col: 0.3 * size, row: 0.2 * size, angle: 0.6, heightMetres: 450, widthCells: 9 },
    { col: 0.7 * size, row: 0.6 * size, angle: -0.9, heightMetres: 500, widthCells: 11 },
    { col: 0.2 * size, row: 0.8 * size, angle: 0.1, heightMetres: 380, widthCells: 8 },
  ];
  for (let row = 0; row < size; row++) {
    for (let col = 0; col < size; col++) {
      let z = 300 + 2.5 * (col + row);
      z += 220 * Math.sin(col / 9) * Math.cos(row / 11) + 120 * Math.sin((col - 2 * row) / 14);
      z += 25 * Math.sin(col / 2.7) * Math.sin(row / 3.1);
      for (const ridge of ridges) {
        // Distance from the ridge line through (col, row) at `angle`.
        const across = (col - ridge.col) * Math.sin(ridge.angle) - (row - ridge.row) * Math.cos(ridge.angle);
        z += ridge.heightMetres * Math.exp(-(across * across) / (2 * ridge.widthCells ** 2));
      }
      elevationMetres[row * size + col] = Math.min(1600, Math.max(200, z));
    }
  }
  // D8 accumulation, highest cells first (pits keep what reaches them).
  const riverAccumulation = new Float32Array(size * size).fill(1);
  const order = Array.from({ length: size * size }, (_, cell) => cell).sort(
    (a, b) => elevationMetres[b]! - elevationMetres[a]! || a - b,
  );
  for (const cell of order) {
    const col = cell % size;
    const row = (cell - col) / size;
    let steepest = 0;
    let outlet = -1;
    for (const [dc, dr] of NEIGHBOURS_8) {
      const c = col + dc;
      const r = row + dr;
      if (c < 0 || r < 0 || c >= size || r >= size) continue;
      const drop = (elevationMetres[cell]! - elevationMetres[r * size + c]!) / Math.hypot(dc, dr);
      if (drop > steepest) {
        steepest = drop;
        outlet = r * size + c;
      }
    }
    if (outlet >= 0) riverAccumulation[outlet] = riverAccumulation[outlet]! + riverAccumulation[cell]!;
  }
  return { spec, elevationMetres, riverAccumulation };
}

/** About 50 requests on gentle ground: a seat, four township seats, villages. */
function mountainRequests(spec: GridSpec, elevationMetres: Float32Array, seed: number): RoadRequest[] {
  const size = spec.width;
  const random = new Random(seed);
  const gentle = (col: number, row: number) => {
    const z = (c: number, r: number) => elevationMetres[r * size + c]!;
    const slope = Math.hypot(z(col + 1, row) - z(col - 1, row), z(col, row + 1) - z(col, row - 1)) / (2 * CELL_METRES);
    return slope < 0.12;
  };
  const picked: [number, number][] = [];
  const pick = (count: number, separationCells: number): [number, number][] => {
    const out: [number, number][] = [];
    for (let attempt = 0; out.length < count && attempt < 20_000; attempt++) {
      const col = random.int(3, size - 4);
      const row = random.int(3, size - 4);
      if (!gentle(col, row)) continue;
      if (picked.some(([c, r]) => Math.hypot(c - col, r - row) < separationCells)) continue;
      out.push([col, row]);
      picked.push([col, row]);
    }
    return out;
  };
  const seats = pick(5, 35);
  const villages = pick(45, 9);
  return [
    ...seats.map(([col, row], i) => request(spec, `seat${i}`, col, row, i === 0 ? 'county' : 'township')),
    ...villages.map(([col, row], i) => request(spec, `village${i}`, col, row, 'village')),
  ];
}

describe('buildRoadNetwork on a synthetic mountain', () => {
  const { spec, elevationMetres, riverAccumulation } = mountain(170);
  const requests = mountainRequests(spec, elevationMetres, 7);
  const elevationBefore = Float32Array.from(elevationMetres);
  const network = buildRoadNetwork({ spec, elevationMetres, riverAccumulation, requests, seed: 'taishun' });

  it('has about fifty requests, all joined into one well-formed network', () => {
    expect(requests.length).toBeGreaterThanOrEqual(45);
    expect(connectedComponents(network)).toBe(1);
    expectWellFormed(network);
    expect(Object.keys(network.requestNode).sort()).toEqual(requests.map((r) => r.id).sort());
    // Dead ends are requests; other nodes are junctions or class changes.
    const degree = degrees(network);
    const requestNodes = new Set(Object.values(network.requestNode));
    for (const node of network.nodes) if (!requestNodes.has(node.id)) expect(degree[node.id]).toBeGreaterThanOrEqual(2);
  });

  it('winds: village roads are sinuous and no edge is steeper than 20% on average', () => {
    const village = network.edges.filter((e) => e.roadClass === 'village');
    expect(village.length).toBeGreaterThan(20);
    const meanSinuosity = village.reduce((sum, e) => sum + e.sinuosity, 0) / village.length;
    expect(meanSinuosity).toBeGreaterThan(1.1);
    for (const edge of network.edges) {
      expect((edge.climbMetres + edge.descentMetres) / edge.lengthMetres).toBeLessThan(0.2);
    }
  });

  it('is deterministic and leaves its input alone', () => {
    const again = buildRoadNetwork({ spec, elevationMetres, riverAccumulation, requests, seed: 'taishun' });
    expect(JSON.stringify(again)).toBe(JSON.stringify(network));
    expect(elevationMetres).toEqual(elevationBefore);
    const otherSeed = buildRoadNetwork({ spec, elevationMetres, riverAccumulation, requests, seed: 'other' });
    expect(JSON.stringify(otherSeed)).not.toBe(JSON.stringify(network));
  });
});

describe('loops on a synthetic mountain', () => {
  const { spec, elevationMetres, riverAccumulation } = mountain(170);
  const requests = mountainRequests(spec, elevationMetres, 7);
  const seat = requests[0]!;
  const loops: RoadLoopOptions = {
    ...DEFAULT_ROAD_LOOPS,
    towns: [{ lon: seat.lon, lat: seat.lat, radiusMetres: 1500, maxStreets: 2 }],
  };
  const tree = buildRoadNetwork({ spec, elevationMetres, riverAccumulation, requests, seed: 'taishun' });
  const network = buildRoadNetwork({ spec, elevationMetres, riverAccumulation, requests, seed: 'taishun', loops });
  const cycles = (n: RoadNetwork) => n.edges.length - n.nodes.length + connectedComponents(n);

  it('closes loops where the tree has none, and stays one well-formed network', () => {
    expect(cycles(tree)).toBe(0);
    expect(cycles(network)).toBeGreaterThanOrEqual(5);
    expect(connectedComponents(network)).toBe(1);
    expectWellFormed(network);
  });

  it('makes a one-way couplet at the first town: the one-way edges form a circuit through the seat', () => {
    const oneWay = network.edges.filter((e) => e.oneWay !== null);
    expect(oneWay.length).toBeGreaterThanOrEqual(2);
    expect(tree.edges.every((e) => e.oneWay === null)).toBe(true);
    // Driven one way round: every node of the couplet is entered as often as it is left.
    const balance = new Map<number, number>();
    for (const edge of oneWay) {
      const [from, to] = edge.oneWay === 'forward' ? [edge.source, edge.target] : [edge.target, edge.source];
      balance.set(from, (balance.get(from) ?? 0) + 1);
      balance.set(to, (balance.get(to) ?? 0) - 1);
    }
    expect([...balance.values()].every((b) => b === 0)).toBe(true);
    expect(balance.has(network.requestNode[seat.id]!)).toBe(true);
    // Within a kilometre of the seat.
    const m = metresPerDegree(27.5);
    for (const edge of oneWay) {
      for (const [lon, lat] of edge.coordinates) {
        expect(Math.hypot((lon - seat.lon) * m.lon, (lat - seat.lat) * m.lat)).toBeLessThan(1000);
      }
    }
  });

  it('is deterministic', () => {
    const again = buildRoadNetwork({ spec, elevationMetres, riverAccumulation, requests, seed: 'taishun', loops });
    expect(JSON.stringify(again)).toBe(JSON.stringify(network));
  });
});
