import { describe, expect, it } from 'vitest';
import {
  drainageOrder,
  extractRivers,
  fillDepressions,
  flowAccumulation,
  flowDirections,
  NO_FLOW,
} from './hydrology.js';
import { Random } from './random.js';
import { cellCentre, cellSizeMetres, metresPerDegree, NEIGHBOURS_8, type GridSpec, type Raster } from './raster.js';

const EAST = 2;
const SOUTH_EAST = 3;
const SOUTH = 4;
const SOUTH_WEST = 5;

/** A small grid of ~60 m cells near Taishun. */
function smallGrid(width: number, height: number): GridSpec {
  const m = metresPerDegree(27.5);
  return { west: 120, north: 27.5, dLon: 60 / m.lon, dLat: 60 / m.lat, width, height };
}

/** A DEM from a function of (col, row) or of metres east and north of the first cell's centre. */
function demOf(spec: GridSpec, z: (col: number, row: number, east: number, north: number) => number): Raster {
  const size = cellSizeMetres(spec);
  const data = new Float32Array(spec.width * spec.height);
  for (let row = 0; row < spec.height; row++) {
    for (let col = 0; col < spec.width; col++) data[row * spec.width + col] = z(col, row, col * size.x, -row * size.y);
  }
  return { spec, data };
}

/** Where a cell drains to, or -1. */
function receiver(directions: Uint8Array, spec: GridSpec, cell: number): number {
  const d = directions[cell]!;
  if (d === NO_FLOW) return -1;
  const [dc, dr] = NEIGHBOURS_8[d]!;
  return cell + dr * spec.width + dc;
}

describe('fillDepressions', () => {
  it('fills a single pit to its spill height and leaves every other cell alone', () => {
    const spec = smallGrid(5, 5);
    // A pit (1 m) in a 10 m plateau, spilling over a 6 m cell to a 5 m cell on the north edge.
    const dem = demOf(spec, (col, row) =>
      col === 2 && row === 2 ? 1 : col === 2 && row === 1 ? 6 : col === 2 && row === 0 ? 5 : 10,
    );
    const before = Float32Array.from(dem.data);
    const filled = fillDepressions(dem);
    expect(filled[2 * 5 + 2]).toBeGreaterThan(6);
    expect(filled[2 * 5 + 2]).toBeLessThan(6.001);
    for (let i = 0; i < filled.length; i++) if (i !== 12) expect(filled[i]).toBe(dem.data[i]);
    expect(dem.data).toEqual(before);
  });

  it('fills a hole to its lowest rim, and a walled basin to the notch it spills through', () => {
    const spec = smallGrid(7, 7);
    const rim = (col: number, row: number): number | null =>
      col === 0 && row === 3 ? 12 : col === 0 || row === 0 || col === 6 || row === 6 ? 20 : null;
    // Rim 20 m with a 12 m notch on the west edge; inside, a floor rising away from the notch with a
    // 3 m hole at (3,3): the hole spills over its lowest neighbour, (2,3) at 13.5 m.
    const floor = (col: number, row: number): number => 12.5 + 0.5 * col + 0.1 * Math.abs(row - 3);
    const sloping = demOf(spec, (col, row) => rim(col, row) ?? (col === 3 && row === 3 ? 3 : floor(col, row)));
    const filled = fillDepressions(sloping);
    expect(filled[3 * 7 + 3]).toBeGreaterThan(13.5);
    expect(filled[3 * 7 + 3]).toBeLessThan(13.501);
    for (let i = 0; i < 49; i++) if (i !== 3 * 7 + 3) expect(filled[i]).toBe(sloping.data[i]);

    // A flat 8 m floor is below the notch: the whole basin rises to just above 12 m.
    const walled = demOf(spec, (col, row) => rim(col, row) ?? (col === 3 && row === 3 ? 3 : 8));
    const flooded = fillDepressions(walled);
    for (let row = 1; row < 6; row++) {
      for (let col = 1; col < 6; col++) {
        expect(flooded[row * 7 + col]).toBeGreaterThan(12);
        expect(flooded[row * 7 + col]).toBeLessThan(12.001);
      }
    }
  });

  it('makes every interior cell of a rough DEM drain to the edge', () => {
    const spec = smallGrid(40, 30);
    const random = new Random('pits');
    const dem = demOf(spec, () => random.uniform(0, 50));
    const filled = fillDepressions(dem);
    const directions = flowDirections({ spec, data: filled });
    const undrained: number[] = [];
    for (let row = 1; row < spec.height - 1; row++) {
      for (let col = 1; col < spec.width - 1; col++) {
        if (directions[row * spec.width + col] === NO_FLOW) undrained.push(row * spec.width + col);
      }
    }
    expect(undrained).toEqual([]);
    expect(filled.every((z, i) => z >= dem.data[i]!)).toBe(true);
    // All the water reaches the outlets on the edge.
    const accumulation = flowAccumulation(directions, spec);
    let atOutlets = 0;
    for (let i = 0; i < directions.length; i++) if (directions[i] === NO_FLOW) atOutlets += accumulation[i]!;
    expect(atOutlets).toBe(spec.width * spec.height);
  });
});

describe('flowDirections', () => {
  it('drains a plane tilted to the east straight east, and off the grid from the east column', () => {
    const spec = smallGrid(6, 4);
    const directions = flowDirections(demOf(spec, (_c, _r, east) => 100 - 0.1 * east));
    for (let row = 0; row < 4; row++) {
      for (let col = 0; col < 6; col++) expect(directions[row * 6 + col]).toBe(col === 5 ? NO_FLOW : EAST);
    }
  });

  it('prefers the diagonal on a plane falling equally to the east and south (distance-weighted)', () => {
    const spec = smallGrid(5, 5);
    const directions = flowDirections(demOf(spec, (_c, _r, east, north) => 100 - 0.1 * east + 0.1 * north));
    for (let row = 0; row < 5; row++) {
      for (let col = 0; col < 5; col++) {
        const expected = col === 4 && row === 4 ? NO_FLOW : col === 4 ? SOUTH : row === 4 ? EAST : SOUTH_EAST;
        expect(directions[row * 5 + col]).toBe(expected);
      }
    }
  });
});

describe('flowAccumulation', () => {
  it('counts the cells draining through each cell of a V-shaped valley exactly', () => {
    const spec = smallGrid(5, 4);
    // Sides fall 100 m per column towards the middle column, which falls 1 m per row to the south.
    const dem = demOf(spec, (col, row) => 100 * Math.abs(col - 2) + (4 - row));
    const directions = flowDirections(dem);
    const accumulation = flowAccumulation(directions, spec);
    expect(Array.from(accumulation)).toEqual([
      1,
      2,
      5,
      2,
      1, //
      1,
      2,
      10,
      2,
      1,
      1,
      2,
      15,
      2,
      1,
      1,
      2,
      20,
      2,
      1,
    ]);
    expect(directions[3 * 5 + 2]).toBe(NO_FLOW);
    expect(directions[0]).toBe(EAST);
    expect(directions[1 * 5 + 2]).toBe(SOUTH);
  });

  it('orders every cell before the cell it drains into', () => {
    const spec = smallGrid(30, 20);
    const random = new Random('order');
    const filled = fillDepressions(demOf(spec, (_c, _r, east) => 0.01 * east + random.uniform(0, 5)));
    const directions = flowDirections({ spec, data: filled });
    const order = drainageOrder(directions, spec);
    expect(order.length).toBe(spec.width * spec.height);
    const position = new Int32Array(order.length);
    order.forEach((cell, i) => (position[cell] = i));
    for (let cell = 0; cell < order.length; cell++) {
      const next = receiver(directions, spec, cell);
      if (next >= 0) expect(position[cell]).toBeLessThan(position[next]!);
    }
  });
});

describe('extractRivers', () => {
  /**
   * A hand-built network on 7×7 cells: two branches meet at (3,3), the trunk runs south down column
   * 3 and leaves the grid at (3,6); a short third branch joins it from the west at (3,5). Other
   * cells are isolated outlets.
   */
  function yNetwork(): { spec: GridSpec; directions: Uint8Array } {
    const spec = smallGrid(7, 7);
    const directions = new Uint8Array(49).fill(NO_FLOW);
    const set = (col: number, row: number, d: number): void => {
      directions[row * 7 + col] = d;
    };
    set(0, 0, SOUTH_EAST);
    set(1, 1, SOUTH_EAST);
    set(2, 2, SOUTH_EAST);
    set(6, 0, SOUTH_WEST);
    set(5, 1, SOUTH_WEST);
    set(4, 2, SOUTH_WEST);
    set(3, 3, SOUTH);
    set(3, 4, SOUTH);
    set(3, 5, SOUTH);
    set(1, 5, EAST);
    set(2, 5, EAST);
    return { spec, directions };
  }

  it('splits a Y network at its confluences, with Strahler orders and links downstream', () => {
    const { spec, directions } = yNetwork();
    const accumulation = flowAccumulation(directions, spec);
    expect(accumulation[3 * 7 + 3]).toBe(7);
    expect(accumulation[6 * 7 + 3]).toBe(12);
    const rivers = extractRivers(directions, accumulation, spec, { minCells: 2 });
    const summary = rivers.map((r) => ({
      id: r.id,
      from: r.coordinates[0],
      to: r.coordinates[r.coordinates.length - 1],
      order: r.order,
      accumulationCells: r.accumulationCells,
      downstreamId: r.downstreamId,
    }));
    const at = (col: number, row: number): [number, number] => cellCentre(spec, col, row);
    expect(summary).toEqual([
      { id: 0, from: at(1, 1), to: at(3, 3), order: 1, accumulationCells: 3, downstreamId: 2 },
      { id: 1, from: at(5, 1), to: at(3, 3), order: 1, accumulationCells: 3, downstreamId: 2 },
      { id: 2, from: at(3, 3), to: at(3, 5), order: 2, accumulationCells: 8, downstreamId: 4 },
      { id: 3, from: at(2, 5), to: at(3, 5), order: 1, accumulationCells: 2, downstreamId: 4 },
      // An order 1 joining an order 2 leaves it order 2.
      { id: 4, from: at(3, 5), to: at(3, 6), order: 2, accumulationCells: 12, downstreamId: null },
    ]);
  });

  it('smooths the staircase but keeps the line between its cells', () => {
    const { spec, directions } = yNetwork();
    const rivers = extractRivers(directions, flowAccumulation(directions, spec), spec, { minCells: 2 });
    // Three cell centres, two Chaikin passes: 3 → 4 → 6 points, all on the diagonal segment.
    const [lon0, lat0] = cellCentre(spec, 1, 1);
    const [lon1, lat1] = cellCentre(spec, 3, 3);
    const branch = rivers[0]!.coordinates;
    expect(branch).toHaveLength(6);
    for (const [lon, lat] of branch) {
      const t = (lon - lon0) / (lon1 - lon0);
      expect(t).toBeGreaterThanOrEqual(0);
      expect(t).toBeLessThanOrEqual(1);
      expect(lat).toBeCloseTo(lat0 + t * (lat1 - lat0), 12);
    }
  });

  it('leaves out branches below the threshold, so the trunk is one stretch', () => {
    const { spec, directions } = yNetwork();
    const accumulation = flowAccumulation(directions, spec);
    const rivers = extractRivers(directions, accumulation, spec, { minCells: 3 });
    expect(rivers.map((r) => [r.order, r.accumulationCells, r.downstreamId, r.coordinates[0]])).toEqual([
      [1, 3, 2, cellCentre(spec, 2, 2)],
      [1, 3, 2, cellCentre(spec, 4, 2)],
      [2, 12, null, cellCentre(spec, 3, 3)],
    ]);
  });
});
