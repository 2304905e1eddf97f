/**
 * A GeoTIFF writer for elevation grids: one band of Int16 or Float32, little-endian, in strips of
 * a few rows each (deflate-compressed with fflate, or stored), georeferenced by ModelPixelScale +
 * ModelTiepoint (or a ModelTransformation) and GeoKeys naming an EPSG code, with GDAL's nodata
 * tag. What GDAL, QGIS and the `geotiff` reader take as a plain DEM.
 */
import { zlibSync } from 'fflate';

/** The raster to write. */
export interface GeoTiffRaster {
  width: number;
  height: number;
  /** Row-major from the top (north-west) pixel. Int16Array writes Int16, Float32Array Float32. */
  values: Int16Array | Float32Array;
  /** x and y of the top-left corner of the top-left pixel, in the CRS's units. */
  origin: [number, number];
  /** Pixel width and height (both positive; y decreases down the rows), in the CRS's units. */
  pixelSize: [number, number];
  /** The CRS's EPSG code and whether it is geographic (degrees) or projected; none writes no GeoKeys. */
  crs?: { epsg: number; geographic: boolean };
  /** The value marking a void (GDAL_NODATA). */
  nodata?: number;
  /** 'deflate' (default) or 'none'. */
  compression?: 'deflate' | 'none';
  /** Rows per strip; 16 by default. */
  rowsPerStrip?: number;
  /** Write square tiles of this many pixels a side (a multiple of 16) instead of strips. */
  tileSize?: number;
  /** 'tiepoint' (default: ModelPixelScale + ModelTiepoint), 'transformation' (ModelTransformation) or 'none'. */
  georeference?: 'tiepoint' | 'transformation' | 'none';
}

const SHORT = 3;
const LONG = 4;
const ASCII = 2;
const DOUBLE = 12;
const TYPE_BYTES: Record<number, number> = { [SHORT]: 2, [LONG]: 4, [ASCII]: 1, [DOUBLE]: 8 };

interface Entry {
  tag: number;
  type: number;
  values: number[] | string;
}

/** The bytes of a GeoTIFF holding `raster`. Throws when the raster's parts disagree. */
export function writeGeoTiff(raster: GeoTiffRaster): Uint8Array {
  const { width, height, values } = raster;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new Error(`a GeoTIFF needs a positive whole width and height (got ${width} × ${height})`);
  }
  if (values.length !== width * height) {
    throw new Error(`${values.length} values do not fill ${width} × ${height} pixels`);
  }
  const bytesPerSample = values.BYTES_PER_ELEMENT;
  const rowsPerStrip = Math.max(1, Math.min(height, raster.rowsPerStrip ?? 16));
  const deflate = (raster.compression ?? 'deflate') === 'deflate';

  const tile = raster.tileSize;
  if (tile !== undefined && !(Number.isInteger(tile) && tile > 0 && tile % 16 === 0)) {
    throw new Error(`a TIFF tile's side is a positive multiple of 16 (got ${tile})`);
  }
  // Each block (strip, or tile padded to its full size) as little-endian bytes, whatever the machine's order.
  const block = (left: number, top: number, blockWidth: number, blockHeight: number): Uint8Array => {
    const raw = new Uint8Array(blockWidth * blockHeight * bytesPerSample);
    const view = new DataView(raw.buffer);
    for (let r = 0; r < blockHeight && top + r < height; r++) {
      for (let c = 0; c < blockWidth && left + c < width; c++) {
        const value = values[(top + r) * width + left + c]!;
        const i = r * blockWidth + c;
        if (values instanceof Int16Array) view.setInt16(2 * i, value, true);
        else view.setFloat32(4 * i, value, true);
      }
    }
    return deflate ? zlibSync(raw, { level: 6 }) : raw;
  };
  const strips: Uint8Array[] = [];
  if (tile !== undefined) {
    for (let top = 0; top < height; top += tile) {
      for (let left = 0; left < width; left += tile) strips.push(block(left, top, tile, tile));
    }
  } else {
    for (let top = 0; top < height; top += rowsPerStrip) {
      strips.push(block(0, top, width, Math.min(rowsPerStrip, height - top)));
    }
  }

  const [x0, y0] = raster.origin;
  const [sx, sy] = raster.pixelSize;
  const entries: Entry[] = [
    { tag: 256, type: LONG, values: [width] },
    { tag: 257, type: LONG, values: [height] },
    { tag: 258, type: SHORT, values: [bytesPerSample * 8] },
    { tag: 259, type: SHORT, values: [deflate ? 8 : 1] },
    { tag: 262, type: SHORT, values: [1] }, // BlackIsZero
    ...(tile === undefined
      ? [
          { tag: 273, type: LONG, values: strips.map(() => 0) }, // StripOffsets, filled below
          { tag: 277, type: SHORT, values: [1] },
          { tag: 278, type: LONG, values: [rowsPerStrip] },
          { tag: 279, type: LONG, values: strips.map((s) => s.length) },
          { tag: 284, type: SHORT, values: [1] },
        ]
      : [
          { tag: 277, type: SHORT, values: [1] },
          { tag: 284, type: SHORT, values: [1] },
          { tag: 322, type: LONG, values: [tile] },
          { tag: 323, type: LONG, values: [tile] },
          { tag: 324, type: LONG, values: strips.map(() => 0) }, // TileOffsets, filled below
          { tag: 325, type: LONG, values: strips.map((s) => s.length) },
        ]),
    { tag: 339, type: SHORT, values: [values instanceof Int16Array ? 2 : 3] }, // signed int / IEEE float
  ];
  const georeference = raster.georeference ?? 'tiepoint';
  if (georeference === 'tiepoint') {
    entries.push({ tag: 33550, type: DOUBLE, values: [sx, sy, 0] });
    entries.push({ tag: 33922, type: DOUBLE, values: [0, 0, 0, x0, y0, 0] });
  } else if (georeference === 'transformation') {
    entries.push({ tag: 34264, type: DOUBLE, values: [sx, 0, 0, x0, 0, -sy, 0, y0, 0, 0, 0, 0, 0, 0, 0, 1] });
  }
  if (raster.crs) {
    const { epsg, geographic } = raster.crs;
    // GeoKeyDirectory: version 1.1.0, then (key, location 0, count 1, value) for each key.
    const keys = [
      [1024, geographic ? 2 : 1], // GTModelTypeGeoKey
      [1025, 1], // GTRasterTypeGeoKey: PixelIsArea
      [geographic ? 2048 : 3072, epsg], // GeographicTypeGeoKey or ProjectedCSTypeGeoKey
    ];
    entries.push({
      tag: 34735,
      type: SHORT,
      values: [1, 1, 0, keys.length, ...keys.flatMap(([k, v]) => [k!, 0, 1, v!])],
    });
  }
  if (raster.nodata !== undefined) entries.push({ tag: 42113, type: ASCII, values: `${raster.nodata}\0` });

  // Layout: header (8), IFD, the IFD's out-of-line values, then the strips.
  const ifdBytes = 2 + entries.length * 12 + 4;
  let cursor = 8 + ifdBytes;
  const outOfLine = new Map<Entry, number>();
  for (const entry of entries) {
    const size = entry.values.length * TYPE_BYTES[entry.type]!;
    if (size > 4) {
      cursor += cursor % 2; // word-aligned
      outOfLine.set(entry, cursor);
      cursor += size;
    }
  }
  const stripOffsets: number[] = [];
  for (const strip of strips) {
    stripOffsets.push(cursor);
    cursor += strip.length;
  }
  entries.find((e) => e.tag === (tile === undefined ? 273 : 324))!.values = stripOffsets;
  if (cursor > 0xffff_ffff) throw new Error('the raster is too large for a classic TIFF (4 GiB)');

  const out = new Uint8Array(cursor);
  const view = new DataView(out.buffer);
  out.set([0x49, 0x49, 42, 0]); // "II", 42
  view.setUint32(4, 8, true);
  view.setUint16(8, entries.length, true);
  const writeValues = (entry: Entry, at: number) => {
    if (typeof entry.values === 'string') {
      for (let i = 0; i < entry.values.length; i++) out[at + i] = entry.values.charCodeAt(i);
      return;
    }
    entry.values.forEach((value, i) => {
      if (entry.type === SHORT) view.setUint16(at + 2 * i, value, true);
      else if (entry.type === LONG) view.setUint32(at + 4 * i, value, true);
      else view.setFloat64(at + 8 * i, value, true);
    });
  };
  entries.forEach((entry, i) => {
    const at = 10 + 12 * i;
    view.setUint16(at, entry.tag, true);
    view.setUint16(at + 2, entry.type, true);
    view.setUint32(at + 4, entry.values.length, true);
    const offset = outOfLine.get(entry);
    if (offset === undefined) writeValues(entry, at + 8);
    else {
      view.setUint32(at + 8, offset, true);
      writeValues(entry, offset);
    }
  });
  view.setUint32(10 + 12 * entries.length, 0, true); // no next IFD
  strips.forEach((strip, i) => out.set(strip, stripOffsets[i]!));
  return out;
}
