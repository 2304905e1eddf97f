import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { crsOfGeoKeys, readDem, readHgt } from './dem-read.js';
import { demTiff, hgt, withTag } from './dem-test-files.js';

const heightAt = (x: number, y: number) => 100 + x + 2 * y;

describe('reading a DEM file', () => {
  it('reads a tiled, deflated Float32 GeoTIFF whose tiles overhang the image', async () => {
    const bytes = demTiff({
      width: 40,
      height: 20,
      origin: [0, 20],
      pixelSize: [1, 1],
      crs: { epsg: 4549, geographic: false },
      nodata: -9999,
      tileSize: 16,
      type: 'float32',
      heightAt,
    });
    const dem = await readDem(bytes, 'tiled.tif');
    expect(dem).toMatchObject({
      format: 'geotiff',
      width: 40,
      height: 20,
      crs: 'EPSG:4549',
      crsName: 'EPSG:4549 (GeoTIFF projected GeoKey)',
      sampleType: 'Float32',
      compression: 'Deflate',
      voids: 0,
      affine: { x0: 0, a: 1, b: 0, y0: 20, c: 0, d: -1 },
    });
    // Pixel (col 33, row 17) is centred at x 33.5, y 2.5.
    expect(dem.heights[17 * 40 + 33]).toBe(heightAt(33.5, 2.5));
  });

  it('reads UInt16 samples and marks nodata pixels as voids', async () => {
    const tiff = demTiff({
      width: 3,
      height: 2,
      origin: [119, 28],
      pixelSize: [0.5, 0.5],
      crs: { epsg: 4490, geographic: true },
      nodata: 110,
      type: 'int16',
      compression: 'none',
      heightAt: (x, y) => Math.round((x - 119) * 4 + (28 - y) * 20 + 100),
    });
    const dem = await readDem(withTag(tiff, 339, 1), 'u16.tif');
    expect(dem.sampleType).toBe('UInt16');
    expect(dem.crs).toBe('cgcs2000');
    // Centres x 119.25, 119.75, 120.25 and y 27.75, 27.25: 106, 108, 110 (nodata) / 116, 118, 120.
    expect(Array.from(dem.heights)).toEqual([106, 108, NaN, 116, 118, 120]);
    expect(dem.voids).toBe(1);
  });

  it('reads an SRTM tile: its corner from the name, cell centres on whole seconds, voids', () => {
    const bytes = hgt(1201, [-120, -28], (lon, lat) => lon + lat + 200);
    new DataView(bytes.buffer).setInt16(0, -32768, false);
    const dem = readHgt(bytes, 's28w120.HGT');
    expect(dem.crs).toBe('wgs84');
    expect(dem.voids).toBe(1);
    const { x0, a, y0, d } = dem.affine;
    // The first cell is centred on (−120°, −27°).
    expect(x0 + a / 2).toBeCloseTo(-120, 12);
    expect(y0 + d / 2).toBeCloseTo(-27, 12);
    expect(dem.heights[1]).toBe(Math.round(-120 + 3 / 3600 - 27 + 200));
    expect(() => readHgt(bytes, 'tile.hgt')).toThrow("an SRTM file's name gives its south-west corner");
  });

  it('takes the one DEM of a zip and refuses a zip with two, and a file that is neither', async () => {
    const tile = hgt(1201, [119, 27], () => 300);
    expect((await readDem(zipSync({ 'a/N27E119.hgt': tile, 'readme.txt': new Uint8Array(3) }), 'x.zip')).fileName).toBe(
      'N27E119.hgt',
    );
    await expect(readDem(zipSync({ 'N27E119.hgt': tile, 'N27E120.hgt': tile }), 'x.zip')).rejects.toThrow(
      'the zip holds 2 DEM files',
    );
    await expect(readDem(new TextEncoder().encode('ncols 10'), 'dem.asc')).rejects.toThrow(
      '"dem.asc" is neither a GeoTIFF nor an SRTM .hgt',
    );
  });

  it('reads the system from the GeoKeys: EPSG codes taken, user-defined ones named but not taken', () => {
    expect(crsOfGeoKeys({ ProjectedCSTypeGeoKey: 4549, GeographicTypeGeoKey: 4490 }).crs).toBe('EPSG:4549');
    expect(crsOfGeoKeys({ GeographicTypeGeoKey: 4326 }).crs).toBe('wgs84');
    expect(crsOfGeoKeys({ ProjectedCSTypeGeoKey: 32767, GTCitationGeoKey: 'Xian 1980 / local' })).toEqual({
      crs: null,
      crsName: 'Xian 1980 / local (GeoTIFF GeoKeys)',
    });
    expect(crsOfGeoKeys({})).toEqual({ crs: undefined, crsName: null });
  });
});
