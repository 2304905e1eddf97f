/**
 * DEM files for the importer's tests, built from a height function through the GeoTIFF writer (or
 * as SRTM bytes), and hostile variants made by rewriting a tag of a written file.
 */
import { writeGeoTiff, type GeoTiffRaster } from '../export/geotiff-writer.js';

/** Heights on a grid of pixel centres: `heightAt(x, y)` of each centre, row 0 at the top. */
export function demTiff(
  options: Omit<GeoTiffRaster, 'values' | 'width' | 'height'> & {
    width: number;
    height: number;
    type: 'int16' | 'float32';
    heightAt: (x: number, y: number) => number;
  },
): Uint8Array {
  const { width, height, origin, pixelSize, heightAt, type } = options;
  const values = type === 'int16' ? new Int16Array(width * height) : new Float32Array(width * height);
  for (let row = 0; row < height; row++) {
    for (let col = 0; col < width; col++) {
      const h = heightAt(origin[0] + (col + 0.5) * pixelSize[0], origin[1] - (row + 0.5) * pixelSize[1]);
      values[row * width + col] = type === 'int16' ? Math.round(h) : h;
    }
  }
  const { heightAt: _h, type: _t, ...raster } = options;
  return writeGeoTiff({ ...raster, values });
}

/** An SRTM tile of `side`² big-endian heights (cell centres on whole seconds from the south-west corner). */
export function hgt(
  side: 1201 | 3601,
  southWest: [number, number],
  heightAt: (lon: number, lat: number) => number,
): Uint8Array {
  const bytes = new Uint8Array(side * side * 2);
  const view = new DataView(bytes.buffer);
  const step = 1 / (side - 1);
  for (let row = 0; row < side; row++) {
    const lat = southWest[1] + 1 - row * step;
    for (let col = 0; col < side; col++) {
      view.setInt16(2 * (row * side + col), Math.round(heightAt(southWest[0] + col * step, lat)), false);
    }
  }
  return bytes;
}

/** A copy of a little-endian classic TIFF with the first value of tag `tag` set to `value` (SHORT or LONG). */
export function withTag(tiff: Uint8Array, tag: number, value: number): Uint8Array {
  const out = tiff.slice();
  const view = new DataView(out.buffer);
  const ifd = view.getUint32(4, true);
  const count = view.getUint16(ifd, true);
  for (let i = 0; i < count; i++) {
    const at = ifd + 2 + 12 * i;
    if (view.getUint16(at, true) !== tag) continue;
    if (view.getUint16(at + 2, true) === 3) view.setUint16(at + 8, value, true);
    else view.setUint32(at + 8, value, true);
    return out;
  }
  throw new Error(`the TIFF has no tag ${tag}`);
}
