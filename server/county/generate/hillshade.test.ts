import { describe, expect, it } from 'vitest';
import { hillshade } from './hillshade.js';
import { cellSizeMetres, metresPerDegree, type GridSpec, type Raster } from './raster.js';

function smallGrid(width: number, height: number): GridSpec {
  const m = metresPerDegree(27.5);
  return { west: 120, north: 27.5, dLon: 30 / m.lon, dLat: 30 / m.lat, width, height };
}

/** A plane z = eastward·x + northward·y over a small grid (x east, y north, metres). */
function plane(spec: GridSpec, eastward: number, northward: number): Raster {
  const size = cellSizeMetres(spec);
  const data = new Float32Array(spec.width * spec.height);
  for (let row = 0; row < spec.height; row++) {
    for (let col = 0; col < spec.width; col++) {
      data[row * spec.width + col] = 500 + eastward * col * size.x - northward * row * size.y;
    }
  }
  return { spec, data };
}

describe('hillshade', () => {
  it('shades flat ground round(255 × sin(altitude))', () => {
    const flat: Raster = { spec: smallGrid(3, 3), data: new Float32Array(9).fill(420) };
    expect(Array.from(hillshade(flat))).toEqual(new Array(9).fill(180)); // 255 × sin 45° = 180.3
    const sin30 = Math.sin(Math.PI / 6); // 0.49999999999999994
    expect(Array.from(hillshade(flat, { altitudeDegrees: 30 }))).toEqual(new Array(9).fill(Math.round(255 * sin30)));
    expect(Array.from(hillshade(flat, { altitudeDegrees: 90, azimuthDegrees: 12 }))).toEqual(new Array(9).fill(255));
  });

  it('lights a slope facing the sun fully and leaves the opposite slope at the shadow line', () => {
    // Sun from the north-west, 45° up: a 45° slope facing north-west (rising to the south-east)
    // faces it square on; the opposite slope is lit edge-on.
    const tangent = Math.SQRT1_2;
    const facing = hillshade(plane(smallGrid(5, 4), tangent, -tangent));
    const away = hillshade(plane(smallGrid(5, 4), -tangent, tangent));
    expect(Array.from(facing)).toEqual(new Array(20).fill(255));
    expect(Array.from(away)).toEqual(new Array(20).fill(0));
  });

  it('follows the standard formula on a plane, with the z factor scaling its slope', () => {
    const spec = smallGrid(4, 4);
    const [p, q] = [0.3, 0.1];
    const azimuth = (200 * Math.PI) / 180;
    const altitude = (35 * Math.PI) / 180;
    const expected = (p2: number, q2: number): number => {
      // cos of the angle between the normal (-p, -q, 1) and the sun (east, north, up).
      const sun = [Math.sin(azimuth) * Math.cos(altitude), Math.cos(azimuth) * Math.cos(altitude), Math.sin(altitude)];
      return Math.round((255 * (-p2 * sun[0]! - q2 * sun[1]! + sun[2]!)) / Math.sqrt(1 + p2 * p2 + q2 * q2));
    };
    const options = { azimuthDegrees: 200, altitudeDegrees: 35 };
    expect(new Set(hillshade(plane(spec, p, q), options))).toEqual(new Set([expected(p, q)]));
    expect(new Set(hillshade(plane(spec, p, q), { ...options, zFactor: 2 }))).toEqual(
      new Set([expected(2 * p, 2 * q)]),
    );
  });

  it('is brighter on slopes facing the default north-west sun than on those facing south-east', () => {
    const spec = smallGrid(3, 3);
    const northWestFacing = hillshade(plane(spec, 0.2, -0.2))[4]!;
    const southEastFacing = hillshade(plane(spec, -0.2, 0.2))[4]!;
    expect(northWestFacing).toBeGreaterThan(180);
    expect(southEastFacing).toBeLessThan(180);
  });
});
