import { describe, expect, it } from 'vitest';
import { Random } from './random.js';
import { type GridSpec, NEIGHBOURS_8, gridForBounds } from './raster.js';
import { type RegionSeed, growRegions } from './regions.js';

/** A grid of 60 m cells in Taishun with the given size. */
function smallGrid(width: number, height: number): GridSpec {
  return { ...gridForBounds({ west: 119.9, south: 27.5, east: 119.91, north: 27.51 }, 60), width, height };
}

function uniformCost(spec: GridSpec, value = 1): Float32Array {
  return new Float32Array(spec.width * spec.height).fill(value);
}

/** Labels as rows of text, '-' for -1, so expectations read like the grid. */
function picture(spec: GridSpec, labels: Int32Array): string[] {
  const rows: string[] = [];
  for (let row = 0; row < spec.height; row++) {
    const cells = [...labels.subarray(row * spec.width, (row + 1) * spec.width)];
    rows.push(cells.map((label) => (label < 0 ? '-' : String(label))).join(''));
  }
  return rows;
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

describe('growRegions', () => {
  it('splits a uniform 6×4 grid halfway between two seeds', () => {
    const spec = smallGrid(6, 4);
    const labels = growRegions(spec, uniformCost(spec), [
      { col: 1, row: 1, label: 0 },
      { col: 4, row: 1, label: 1 },
    ]);
    expect(picture(spec, labels)).toEqual(['000111', '000111', '000111', '000111']);
  });

  it('moves the border onto a high-cost ridge column', () => {
    const spec = smallGrid(6, 4);
    const seeds = [
      { col: 0, row: 1, label: 0 },
      { col: 5, row: 1, label: 1 },
    ];
    expect(picture(spec, growRegions(spec, uniformCost(spec), seeds))).toEqual([
      '000111',
      '000111',
      '000111',
      '000111',
    ]);
    const cost = uniformCost(spec);
    for (let row = 0; row < spec.height; row++) cost[row * spec.width + 4] = 100;
    // The far seed reaches the ridge at 50.5 cells of cost, the near one only at 53.4 or more.
    expect(picture(spec, growRegions(spec, cost, seeds))).toEqual(['000011', '000011', '000011', '000011']);
  });

  it('makes a region with weight 3 a quarter of the line instead of a half', () => {
    const spec = smallGrid(20, 3);
    const even = growRegions(spec, uniformCost(spec), [
      { col: 0, row: 1, label: 0 },
      { col: 19, row: 1, label: 1 },
    ]);
    expect(picture(spec, even)).toEqual(Array(3).fill('0'.repeat(10) + '1'.repeat(10)));
    // Region 1 wins where 3 × (19 - c) < c, that is c > 14.25: five columns of twenty.
    const weighted = growRegions(spec, uniformCost(spec), [
      { col: 0, row: 1, label: 0 },
      { col: 19, row: 1, label: 1, weight: 3 },
    ]);
    expect(picture(spec, weighted)).toEqual(Array(3).fill('0'.repeat(15) + '1'.repeat(5)));
  });

  it('gives a cell at equal cost to the lower label, whatever the order of the seeds', () => {
    const spec = smallGrid(5, 1);
    const seeds: RegionSeed[] = [
      { col: 0, row: 0, label: 1 },
      { col: 4, row: 0, label: 0 },
    ];
    expect(picture(spec, growRegions(spec, uniformCost(spec), seeds))).toEqual(['11000']);
    expect(picture(spec, growRegions(spec, uniformCost(spec), [...seeds].reverse()))).toEqual(['11000']);
  });

  it('leaves blocked cells at -1 and gives cut-off cells to the nearest seed in a straight line', () => {
    const spec = smallGrid(5, 3);
    const seeds = [
      { col: 0, row: 0, label: 0 },
      { col: 0, row: 2, label: 1 },
    ];
    const expected = ['00-00', '00-00', '11-11'];
    const cost = uniformCost(spec);
    for (let row = 0; row < 3; row++) cost[row * 5 + 2] = Number.NaN;
    expect(picture(spec, growRegions(spec, cost, seeds))).toEqual(expected);
    const allowed = new Uint8Array(15).fill(1);
    for (let row = 0; row < 3; row++) allowed[row * 5 + 2] = 0;
    expect(picture(spec, growRegions(spec, uniformCost(spec), seeds, { allowed }))).toEqual(expected);
  });

  it('grows one region from several seeds of the same label', () => {
    const spec = smallGrid(9, 1);
    const labels = growRegions(spec, uniformCost(spec), [
      { col: 0, row: 0, label: 2 },
      { col: 4, row: 0, label: 5 },
      { col: 8, row: 0, label: 2 },
    ]);
    // Cells 2 and 6 are two steps from both kinds of seed: the lower label takes them.
    expect(picture(spec, labels)).toEqual(['222555222']);
  });

  it('rejects seeds off the grid, bad labels and weights, negative costs and wrong sizes', () => {
    const spec = smallGrid(4, 4);
    const cost = uniformCost(spec);
    expect(() => growRegions(spec, cost, [])).toThrow(RangeError);
    expect(() => growRegions(spec, cost, [{ col: 4, row: 0, label: 0 }])).toThrow(/outside the grid/);
    expect(() => growRegions(spec, cost, [{ col: 0.5, row: 0, label: 0 }])).toThrow(/not on a cell/);
    expect(() => growRegions(spec, cost, [{ col: 0, row: 0, label: -1 }])).toThrow(/label/);
    expect(() => growRegions(spec, cost, [{ col: 0, row: 0, label: 0, weight: 0 }])).toThrow(/weight/);
    expect(() => growRegions(spec, new Float32Array(15), [{ col: 0, row: 0, label: 0 }])).toThrow(/cells/);
    const negative = uniformCost(spec);
    negative[3] = -1;
    expect(() => growRegions(spec, negative, [{ col: 0, row: 0, label: 0 }])).toThrow(/negative/);
  });

  it('labels the whole county grid with 8-connected regions around their seeds, without touching its inputs', () => {
    const spec = gridForBounds({ west: 119.61, south: 27.28, east: 120.27, north: 27.83 }, 60);
    const cost = noisyCost(spec, 11);
    const random = new Random(12);
    const seeds = Array.from({ length: 20 }, (_, label) => ({
      col: random.int(0, spec.width - 1),
      row: random.int(0, spec.height - 1),
      label,
      weight: random.uniform(0.8, 1.5),
    }));
    const costBefore = cost.slice();
    const seedsBefore = structuredClone(seeds);
    const labels = growRegions(spec, cost, seeds);
    // (Compared by hand: deep equality of million-element typed arrays is slow in expect.)
    expect(cost.every((value, i) => value === costBefore[i])).toBe(true);
    expect(seeds).toEqual(seedsBefore);

    const cellCount = spec.width * spec.height;
    expect(cellCount).toBeGreaterThan(1_000_000);
    expect(labels.every((label) => label >= 0 && label < 20)).toBe(true);
    for (const seed of seeds) expect(labels[seed.row * spec.width + seed.col]).toBe(seed.label);

    // Every cell of a region is reachable from its seed through cells of the same region.
    const reached = new Uint8Array(cellCount);
    const queue = new Int32Array(cellCount);
    let tail = 0;
    for (const seed of seeds) {
      const cell = seed.row * spec.width + seed.col;
      reached[cell] = 1;
      queue[tail++] = cell;
    }
    for (let head = 0; head < tail; head++) {
      const cell = queue[head]!;
      const col = cell % spec.width;
      const row = (cell - col) / spec.width;
      for (const [dc, dr] of NEIGHBOURS_8) {
        const c = col + dc;
        const r = row + dr;
        if (c < 0 || r < 0 || c >= spec.width || r >= spec.height) continue;
        const next = r * spec.width + c;
        if (!reached[next] && labels[next] === labels[cell]) {
          reached[next] = 1;
          queue[tail++] = next;
        }
      }
    }
    expect(tail).toBe(cellCount);
  });
});
