import { fromArrayBuffer } from 'geotiff';
import { describe, expect, it } from 'vitest';
import { writeGeoTiff } from './geotiff-writer.js';

/** Open written bytes with the `geotiff` package, as GDAL-compatible readers do. */
async function open(bytes: Uint8Array) {
  const copy = bytes.slice().buffer;
  const tiff = await fromArrayBuffer(copy);
  return tiff.getImage();
}

describe('GeoTIFF writer', () => {
  it('writes Int16 heights in deflated strips with a projected EPSG code, tiepoint and nodata', async () => {
    const values = Int16Array.from({ length: 7 * 5 }, (_, i) => (i === 12 ? -9999 : i * 10 - 40));
    const bytes = writeGeoTiff({
      width: 7,
      height: 5,
      values,
      origin: [500_000, 3_050_000],
      pixelSize: [30, 30],
      crs: { epsg: 4549, geographic: false },
      nodata: -9999,
      rowsPerStrip: 2,
    });
    const image = await open(bytes);
    expect([image.getWidth(), image.getHeight()]).toEqual([7, 5]);
    expect(image.fileDirectory.getValue('Compression')).toBe(8);
    expect(image.fileDirectory.getValue('RowsPerStrip')).toBe(2);
    expect(await image.fileDirectory.loadValue('StripOffsets')).toHaveLength(3);
    expect(image.getGeoKeys()).toMatchObject({ GTModelTypeGeoKey: 1, ProjectedCSTypeGeoKey: 4549 });
    expect(image.getOrigin()).toEqual([500_000, 3_050_000, 0]);
    expect(image.getResolution()).toEqual([30, -30, 0]);
    expect(image.getGDALNoData()).toBe(-9999);
    const [band] = await image.readRasters({ interleave: false });
    expect(band).toBeInstanceOf(Int16Array);
    expect(Array.from(band as Int16Array)).toEqual(Array.from(values));
  });

  it('writes Float32 uncompressed with a geographic code and a ModelTransformation', async () => {
    const values = Float32Array.from({ length: 4 * 3 }, (_, i) => 100.25 + i / 8);
    const bytes = writeGeoTiff({
      width: 4,
      height: 3,
      values,
      origin: [119.5, 27.8],
      pixelSize: [0.001, 0.002],
      crs: { epsg: 4326, geographic: true },
      compression: 'none',
      georeference: 'transformation',
    });
    // Uncompressed: the header, the IFD and its values, then exactly the raw samples.
    expect(bytes.length).toBeGreaterThan(4 * 3 * 4);
    const image = await open(bytes);
    expect(image.fileDirectory.getValue('Compression')).toBe(1);
    expect(image.getGeoKeys()).toMatchObject({ GTModelTypeGeoKey: 2, GeographicTypeGeoKey: 4326 });
    expect(image.fileDirectory.hasTag('ModelTiepoint')).toBe(false);
    // x = 119.5 + 0.001·col, y = 27.8 − 0.002·row (GeoTIFF spec 2.6.1, row-major 4 × 4).
    expect(Array.from(image.fileDirectory.getValue('ModelTransformation') as number[])).toEqual([
      0.001, 0, 0, 119.5, 0, -0.002, 0, 27.8, 0, 0, 0, 0, 0, 0, 0, 1,
    ]);
    const [band] = await image.readRasters({ interleave: false });
    expect(Array.from(band as Float32Array)).toEqual(Array.from(values));
  });

  it('writes no GeoKeys or georeference when asked not to, and refuses values that do not fill the raster', async () => {
    const image = await open(
      writeGeoTiff({
        width: 2,
        height: 2,
        values: new Int16Array(4),
        origin: [0, 0],
        pixelSize: [1, 1],
        georeference: 'none',
      }),
    );
    expect(image.getGeoKeys()).toBeNull();
    expect(image.fileDirectory.hasTag('ModelPixelScale')).toBe(false);
    expect(() =>
      writeGeoTiff({ width: 3, height: 2, values: new Int16Array(5), origin: [0, 0], pixelSize: [1, 1] }),
    ).toThrow('5 values do not fill 3 × 2 pixels');
  });
});
