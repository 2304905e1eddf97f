import { inflateSync } from 'node:zlib';
import { VectorTile } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, openTestDatabase } from '../../test/backends.js';
import type { Database } from '../db/database.js';
import { MapData } from './map-data.js';
import { tileBounds } from './mercator.js';
import { encodePngRgba } from './png.js';

/** Decode the PNGs this server writes (8-bit RGBA, filter 0 on every row). */
function decodePng(png: Buffer): { width: number; height: number; rgba: Uint8Array } {
  expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  let offset = 8;
  let width = 0;
  let height = 0;
  const idat: Buffer[] = [];
  while (offset < png.length) {
    const length = png.readUInt32BE(offset);
    const type = png.toString('ascii', offset + 4, offset + 8);
    const data = png.subarray(offset + 8, offset + 8 + length);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
    } else if (type === 'IDAT') idat.push(data);
    offset += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const rgba = new Uint8Array(width * height * 4);
  for (let row = 0; row < height; row++) {
    expect(raw[row * (width * 4 + 1)]).toBe(0);
    rgba.set(raw.subarray(row * (width * 4 + 1) + 1, (row + 1) * (width * 4 + 1)), row * width * 4);
  }
  return { width, height, rgba };
}

/** The XYZ tile holding a point at zoom z. */
function tileOf(lon: number, lat: number, z: number): { x: number; y: number } {
  const n = 2 ** z;
  const x = Math.floor(((lon + 180) / 360) * n);
  const rad = (lat * Math.PI) / 180;
  const y = Math.floor(((1 - Math.log(Math.tan(rad) + 1 / Math.cos(rad)) / Math.PI) / 2) * n);
  return { x, y };
}

describe('PNG encoding', () => {
  it('round-trips pixels', () => {
    const rgba = new Uint8Array(3 * 2 * 4).map((_, i) => (i * 37) % 256);
    const decoded = decodePng(encodePngRgba(3, 2, rgba));
    expect(decoded).toEqual({ width: 3, height: 2, rgba });
  });
});

describe.each(BACKENDS)('map tiles of the demo county on %s', (kind) => {
  let database: Database;
  let mapData: MapData;

  beforeAll(async () => {
    database = await openTestDatabase(kind, { withCounty: true });
    mapData = new MapData(database.db);
  });
  afterAll(async () => {
    await database?.close();
  });

  it('knows the county extent', async () => {
    const extent = await mapData.extent();
    expect(extent![0]).toBeCloseTo(119.63, 1);
    expect(extent![2]).toBeCloseTo(120.25, 1);
    expect(extent![1]).toBeCloseTo(27.3, 1);
    expect(extent![3]).toBeCloseTo(27.81, 1);
  });

  it('cuts a vector tile over the county seat with its layers and names', async () => {
    const { x, y } = tileOf(119.717, 27.557, 11);
    const bytes = await mapData.vectorTile(11, x, y);
    expect(bytes).not.toBeNull();
    const tile = new VectorTile(new PbfReader(bytes!));
    for (const layer of [
      'townships',
      'villages',
      'roads',
      'households',
      'village_labels',
      'township_labels',
      'county_mask',
    ]) {
      expect(tile.layers[layer], layer).toBeDefined();
    }
    const names = Array.from(
      { length: tile.layers.township_labels!.length },
      (_, i) => tile.layers.township_labels!.feature(i).properties.name,
    );
    expect(names).toContain('罗阳镇');
    const classes = new Set(
      Array.from({ length: tile.layers.roads!.length }, (_, i) => tile.layers.roads!.feature(i).properties.road_class),
    );
    expect(classes.has('county')).toBe(true);
    expect(tile.layers.households!.length).toBeGreaterThan(500);
  });

  it('has no vector tile far from any county', async () => {
    const { x, y } = tileOf(116.4, 39.9, 11);
    expect(await mapData.vectorTile(11, x, y)).toBeNull();
  });

  it('serves Terrarium elevation tiles within the terrain, none outside', async () => {
    const { x, y } = tileOf(119.9, 27.55, 10);
    const png = await mapData.demTile(10, x, y);
    expect(png).not.toBeNull();
    const { width, height, rgba } = decodePng(png!);
    expect([width, height]).toEqual([256, 256]);
    const [west, south, east, north] = tileBounds(10, x, y);
    expect(west < 119.9 && 119.9 < east && south < 27.55 && 27.55 < north).toBe(true);
    let low = Infinity;
    let high = -Infinity;
    for (let i = 0; i < rgba.length; i += 4) {
      const metres = rgba[i]! * 256 + rgba[i + 1]! + rgba[i + 2]! / 256 - 32768;
      low = Math.min(low, metres);
      high = Math.max(high, metres);
    }
    expect(low).toBeGreaterThanOrEqual(199);
    expect(high).toBeLessThanOrEqual(1601);
    expect(high - low).toBeGreaterThan(200);
    const far = tileOf(116.4, 39.9, 10);
    expect(await mapData.demTile(10, far.x, far.y)).toBeNull();
  });
});
