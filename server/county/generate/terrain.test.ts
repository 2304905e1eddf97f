import { beforeAll, describe, expect, it } from 'vitest';
import { extractRivers, fillDepressions, flowAccumulation, flowDirections, NO_FLOW, type River } from './hydrology.js';
import {
  cellCentre,
  cellOf,
  cellSizeMetres,
  gridForBounds,
  metresPerDegree,
  type GridSpec,
  type Raster,
} from './raster.js';
import { generateTerrain, slopeDegrees, surfaceGradients } from './terrain.js';

function smallGrid(width: number, height: number): GridSpec {
  const m = metresPerDegree(27.5);
  return { west: 120, north: 27.5, dLon: 60 / m.lon, dLat: 60 / m.lat, width, height };
}

/** A plane z = 300 + eastward·x + northward·y (x east, y north of the first cell, metres). */
function plane(spec: GridSpec, eastward: number, northward: number): Raster {
  const size = cellSizeMetres(spec);
  const data = new Float32Array(spec.width * spec.height);
  for (let row = 0; row < spec.height; row++) {
    for (let col = 0; col < spec.width; col++) {
      data[row * spec.width + col] = 300 + eastward * col * size.x - northward * row * size.y;
    }
  }
  return { spec, data };
}

function distanceMetres([lon0, lat0]: [number, number], [lon1, lat1]: [number, number]): number {
  const m = metresPerDegree((lat0 + lat1) / 2);
  return Math.hypot((lon1 - lon0) * m.lon, (lat1 - lat0) * m.lat);
}

function lengthMetres(river: River): number {
  let total = 0;
  for (let i = 1; i < river.coordinates.length; i++) {
    total += distanceMetres(river.coordinates[i - 1]!, river.coordinates[i]!);
  }
  return total;
}

describe('slopeDegrees', () => {
  it('is atan(rise/run) on a tilted plane, at every cell including the edges', () => {
    const spec = smallGrid(6, 5);
    const expected = (Math.atan(Math.hypot(0.3, 0.4)) * 180) / Math.PI; // atan(0.5) = 26.565°
    for (const slope of slopeDegrees(plane(spec, 0.3, -0.4))) expect(slope).toBeCloseTo(expected, 4);
    for (const slope of slopeDegrees(plane(spec, 0, 0))) expect(slope).toBe(0);
  });

  it('measures the gradient towards the east and the north with their signs', () => {
    const { eastward, northward } = surfaceGradients(plane(smallGrid(4, 4), 0.25, -0.5));
    for (let i = 0; i < 16; i++) {
      expect(eastward[i]).toBeCloseTo(0.25, 5);
      expect(northward[i]).toBeCloseTo(-0.5, 5);
    }
  });
});

describe('generateTerrain', () => {
  const spec = gridForBounds({ west: 119.7, south: 27.5, east: 119.78, north: 27.56 }, 60);

  it('gives byte-identical heights for the same seed and different ones for another', () => {
    const a = generateTerrain(spec, { seed: 'taishun' });
    const b = generateTerrain(spec, { seed: 'taishun' });
    const c = generateTerrain(spec, { seed: 'wenzhou' });
    const bytes = (r: Raster): Buffer => Buffer.from(r.data.buffer, r.data.byteOffset, r.data.byteLength);
    expect(bytes(a).equals(bytes(b))).toBe(true);
    expect(bytes(a).equals(bytes(c))).toBe(false);
    expect(a.spec).toBe(spec);
    expect(a.data).toHaveLength(spec.width * spec.height);
  });

  it('spans exactly the range asked for', () => {
    const range = (r: Raster): [number, number] => [Math.min(...r.data), Math.max(...r.data)];
    const [low, high] = range(generateTerrain(spec, { seed: 3 }));
    expect(low).toBe(200);
    expect(high).toBeCloseTo(1600, 3);
    const [low2, high2] = range(generateTerrain(spec, { seed: 3, minMetres: 0, maxMetres: 100 }));
    expect(low2).toBe(0);
    expect(high2).toBeCloseTo(100, 4);
  });
});

describe('generateTerrain on the county grid', () => {
  const spec = gridForBounds({ west: 119.61, south: 27.28, east: 120.27, north: 27.83 }, 60);
  // A massif in the north-west quarter, away from the trend's south-west high, so that it must
  // come from the highland.
  const massif = { lon: 119.7, lat: 27.7, radiusMetres: 6000, liftMetres: 600 };
  let dem: Raster;
  let directions: Uint8Array;
  let accumulation: Float32Array;
  let rivers: River[];

  beforeAll(() => {
    dem = generateTerrain(spec, { seed: 'taishun', highlands: [massif] });
    directions = flowDirections({ spec, data: fillDepressions(dem) });
    accumulation = flowAccumulation(directions, spec);
    const size = cellSizeMetres(spec);
    rivers = extractRivers(directions, accumulation, spec, { minCells: Math.round(1e6 / (size.x * size.y)) });
  });

  it('covers about 1.1 million cells within 200–1600 m', () => {
    expect(spec.width * spec.height).toBeGreaterThan(1_000_000);
    let low = Infinity;
    let high = -Infinity;
    for (const z of dem.data) {
      low = Math.min(low, z);
      high = Math.max(high, z);
    }
    expect(low).toBeGreaterThanOrEqual(200);
    expect(high).toBeLessThanOrEqual(1600);
    expect(high - low).toBeGreaterThan(1399);
  });

  it('is higher in the south-west quarter than in the north-east quarter', () => {
    const meanOf = (rows: [number, number], cols: [number, number]): number => {
      let sum = 0;
      for (let row = rows[0]; row < rows[1]; row++) {
        for (let col = cols[0]; col < cols[1]; col++) sum += dem.data[row * spec.width + col]!;
      }
      return sum / ((rows[1] - rows[0]) * (cols[1] - cols[0]));
    };
    const midRow = Math.floor(spec.height / 2);
    const midCol = Math.floor(spec.width / 2);
    const southWest = meanOf([midRow, spec.height], [0, midCol]);
    const northEast = meanOf([0, midRow], [midCol, spec.width]);
    expect(southWest - northEast).toBeGreaterThan(150);
  });

  it('puts the highest ground on the highland', () => {
    let top = 0;
    for (let i = 1; i < dem.data.length; i++) if (dem.data[i]! > dem.data[top]!) top = i;
    const peak = cellCentre(spec, top % spec.width, Math.floor(top / spec.width));
    expect(distanceMetres(peak, [massif.lon, massif.lat])).toBeLessThan(massif.radiusMetres);
    const centre = cellOf(spec, massif.lon, massif.lat)!;
    expect(dem.data[centre.row * spec.width + centre.col]).toBeGreaterThan(1000);
  });

  it('is mountainous: mean slope 15–30°, little flat ground, a tenth steeper than 25°', () => {
    const slopes = slopeDegrees(dem);
    let sum = 0;
    let flat = 0;
    let steep = 0;
    for (const s of slopes) {
      sum += s;
      if (s < 5) flat++;
      if (s > 25) steep++;
    }
    expect(sum / slopes.length).toBeGreaterThan(15);
    expect(sum / slopes.length).toBeLessThan(30);
    expect(flat / slopes.length).toBeLessThan(0.1);
    expect(steep / slopes.length).toBeGreaterThan(0.1);
  });

  it('drains every cell to the edge of the grid', () => {
    let outletCells = 0;
    const interiorOutlets: number[] = [];
    for (let row = 0; row < spec.height; row++) {
      for (let col = 0; col < spec.width; col++) {
        const i = row * spec.width + col;
        if (directions[i] !== NO_FLOW) continue;
        if (row > 0 && col > 0 && row < spec.height - 1 && col < spec.width - 1) interiorOutlets.push(i);
        outletCells += accumulation[i]!;
      }
    }
    expect(interiorOutlets).toEqual([]);
    expect(outletCells).toBe(spec.width * spec.height);
  });

  it('has long, branching rivers: a source-to-outlet course over 20 km and many of order ≥ 3', () => {
    // Longest course: the longest chain of stretches from a headwater down to the edge.
    const courseMetres = new Float64Array(rivers.length);
    const byAccumulation = [...rivers].sort((a, b) => a.accumulationCells - b.accumulationCells);
    const longestAbove = new Float64Array(rivers.length);
    for (const river of byAccumulation) {
      courseMetres[river.id] = longestAbove[river.id]! + lengthMetres(river);
      const down = river.downstreamId;
      if (down !== null) longestAbove[down] = Math.max(longestAbove[down]!, courseMetres[river.id]!);
    }
    const longest = Math.max(...rivers.filter((r) => r.downstreamId === null).map((r) => courseMetres[r.id]!));
    expect(longest).toBeGreaterThan(20_000);
    expect(rivers.filter((r) => r.order >= 3).length).toBeGreaterThanOrEqual(5);
    expect(Math.max(...rivers.map((r) => r.order))).toBeGreaterThanOrEqual(4);
    // Every stretch but the outlets flows into another, and none into itself.
    for (const river of rivers) {
      if (river.downstreamId === null) continue;
      const down = rivers[river.downstreamId]!;
      expect(down.accumulationCells).toBeGreaterThan(river.accumulationCells);
      expect(down.coordinates[0]).toEqual(river.coordinates[river.coordinates.length - 1]);
    }
  });
});
