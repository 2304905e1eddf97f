/**
 * Reading a county's DEM: a GeoTIFF (one band of Int16, UInt16, Int32 or Float32; stripped or
 * tiled; uncompressed, LZW or Deflate) or an SRTM .hgt, loose or zipped. Nothing is trusted:
 * sizes the file declares are checked before anything is allocated, every strip or tile must lie
 * inside the file, and every refusal says why in Chinese and English. Pure: no database.
 */
import path from 'node:path';
import { fromArrayBuffer, type GeoTIFFImage } from 'geotiff';
import { type Crs, epsgCrs } from './crs.js';
import { FileReadError } from './parse.js';
import { isZip, readZip } from './zip.js';

/** At most this many source pixels (a 8192 × 8192 image; 256 MiB as Float32): larger is refused unread. */
export const MAX_DEM_SOURCE_CELLS = 8192 * 8192;

/** Pixel corner (col, row) → source CRS: x = x0 + a·col + b·row, y = y0 + c·col + d·row. */
export interface Affine {
  x0: number;
  a: number;
  b: number;
  y0: number;
  c: number;
  d: number;
}

/** A DEM as read from its file, before it is brought to the county's grid. */
export interface DemRaster {
  format: 'geotiff' | 'hgt';
  /** The file read (the member's name when zipped). */
  fileName: string;
  width: number;
  height: number;
  /** Row-major from the top row, metres; NaN where the file has no value (nodata, SRTM void). */
  heights: Float32Array;
  affine: Affine;
  /** The file's system: undefined when it names none, null when it names one we cannot take. */
  crs: Crs | null | undefined;
  /** How the file named its system, for messages and the preview. */
  crsName: string | null;
  /** Int16, UInt16, Int32 or Float32. */
  sampleType: string;
  compression: string;
  /** Pixels without a value. */
  voids: number;
}

const COMPRESSIONS: Record<number, string> = { 1: 'none', 5: 'LZW', 8: 'Deflate', 32946: 'Deflate' };
const SRTM_VOID = -32768;

function extension(name: string): string {
  return path.extname(name).slice(1).toLowerCase();
}

const isDemName = (name: string) => ['tif', 'tiff', 'hgt'].includes(extension(name));

/** A DEM file, or the one DEM in a zip. Throws FileReadError (Chinese and English) when it cannot be read. */
export async function readDem(bytes: Uint8Array, fileName: string): Promise<DemRaster> {
  if (isZip(bytes)) {
    const members = [...readZip(bytes, isDemName)];
    if (members.length !== 1) {
      throw new FileReadError(
        `压缩包中应有且只有一个 .tif 或 .hgt 文件（the zip holds ${members.length} DEM files (.tif, .tiff, .hgt): zip exactly one）`,
      );
    }
    const [name, data] = members[0]!;
    return readDem(data, path.basename(name));
  }
  if (isTiff(bytes)) return readGeoTiffDem(bytes, fileName);
  if (extension(fileName) === 'hgt') return readHgt(bytes, fileName);
  throw new FileReadError(
    `不是 GeoTIFF 或 SRTM .hgt 文件（"${fileName}" is neither a GeoTIFF nor an SRTM .hgt: give the DEM as .tif or .hgt, loose or zipped）`,
  );
}

function isTiff(bytes: Uint8Array): boolean {
  if (bytes.length < 8) return false;
  const little = bytes[0] === 0x49 && bytes[1] === 0x49 && (bytes[2] === 42 || bytes[2] === 43) && bytes[3] === 0;
  const big = bytes[0] === 0x4d && bytes[1] === 0x4d && bytes[2] === 0 && (bytes[3] === 42 || bytes[3] === 43);
  return little || big;
}

/**
 * An SRTM tile: 1201² (3″) or 3601² (1″) big-endian Int16 heights, −32768 for a void, rows from
 * the north; its south-west corner is in its name (N27E119.hgt), its cell centres on whole seconds.
 */
export function readHgt(bytes: Uint8Array, fileName: string): DemRaster {
  const name = /([NS])(\d{2})([EW])(\d{3})\.hgt$/i.exec(fileName);
  if (!name) {
    throw new FileReadError(
      `SRTM 文件名应像 N27E119.hgt（an SRTM file's name gives its south-west corner, like N27E119.hgt; got "${fileName}")`,
    );
  }
  const side = bytes.length === 1201 * 1201 * 2 ? 1201 : bytes.length === 3601 * 3601 * 2 ? 3601 : 0;
  if (side === 0) {
    throw new FileReadError(
      `SRTM 文件大小不对，可能被截断（an SRTM .hgt holds 1201² or 3601² heights of 2 bytes, ${1201 * 1201 * 2} or ${3601 * 3601 * 2} bytes; "${fileName}" has ${bytes.length}: truncated or not SRTM）`,
    );
  }
  const south = Number(name[2]) * (name[1]!.toUpperCase() === 'S' ? -1 : 1);
  const west = Number(name[4]) * (name[3]!.toUpperCase() === 'W' ? -1 : 1);
  const step = 1 / (side - 1);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const heights = new Float32Array(side * side);
  let voids = 0;
  for (let i = 0; i < heights.length; i++) {
    const value = view.getInt16(2 * i, false);
    if (value === SRTM_VOID) {
      heights[i] = NaN;
      voids += 1;
    } else heights[i] = value;
  }
  return {
    format: 'hgt',
    fileName,
    width: side,
    height: side,
    heights,
    // The first cell is centred on the north-west corner: its own corner lies half a cell beyond.
    affine: { x0: west - step / 2, a: step, b: 0, y0: south + 1 + step / 2, c: 0, d: -step },
    crs: 'wgs84',
    crsName: 'SRTM (WGS84)',
    sampleType: 'Int16',
    compression: 'none',
    voids,
  };
}

function sampleTypeOf(bits: number, format: number): string | null {
  if (bits === 16 && format === 1) return 'UInt16';
  if (bits === 16 && format === 2) return 'Int16';
  if (bits === 32 && format === 2) return 'Int32';
  if (bits === 32 && format === 3) return 'Float32';
  return null;
}

const SAMPLE_FORMATS: Record<number, string> = { 1: 'unsigned', 2: 'signed', 3: 'float' };

/** The GeoTIFF's transform from its pixel corners to its CRS, or null when it has no georeference. */
function affineOf(image: GeoTIFFImage, pixelIsPoint: boolean): Affine | null {
  const dir = image.fileDirectory;
  let affine: Affine | null = null;
  const transformation = dir.getValue('ModelTransformation') as ArrayLike<number> | undefined;
  const scale = dir.getValue('ModelPixelScale') as ArrayLike<number> | undefined;
  const tiepoint = dir.getValue('ModelTiepoint') as ArrayLike<number> | undefined;
  if (transformation && transformation.length >= 8) {
    const t = Array.from(transformation);
    affine = { x0: t[3]!, a: t[0]!, b: t[1]!, y0: t[7]!, c: t[4]!, d: t[5]! };
  } else if (scale && scale.length >= 2 && tiepoint && tiepoint.length >= 6) {
    const [i, j, , x, y] = Array.from(tiepoint);
    const [sx, sy] = Array.from(scale);
    affine = { x0: x! - i! * sx!, a: sx!, b: 0, y0: y! + j! * sy!, c: 0, d: -sy! };
  }
  if (!affine || ![affine.x0, affine.a, affine.b, affine.y0, affine.c, affine.d].every(Number.isFinite)) return null;
  if (affine.a * affine.d - affine.b * affine.c === 0) return null;
  // PixelIsPoint: the georeference names the pixel's centre, so its corner lies half a pixel back.
  if (pixelIsPoint) {
    affine.x0 -= (affine.a + affine.b) / 2;
    affine.y0 -= (affine.c + affine.d) / 2;
  }
  return affine;
}

async function readGeoTiffDem(bytes: Uint8Array, fileName: string): Promise<DemRaster> {
  const cannot = (why: string) =>
    new FileReadError(`无法读取 GeoTIFF（the GeoTIFF "${fileName}" cannot be read: ${why}）`);
  let image: GeoTIFFImage;
  try {
    const tiff = await fromArrayBuffer(bytes.slice().buffer);
    image = await tiff.getImage(0);
  } catch (err) {
    throw cannot(`${(err as Error).message}; the file may be truncated or damaged`);
  }
  const dir = image.fileDirectory;
  const width = image.getWidth();
  const height = image.getHeight();
  if (!(width > 0 && height > 0)) throw cannot(`it declares ${width} × ${height} pixels`);
  if (width * height > MAX_DEM_SOURCE_CELLS) {
    throw new FileReadError(
      `DEM 太大（"${fileName}" declares ${width} × ${height} = ${width * height} pixels, more than ${MAX_DEM_SOURCE_CELLS}: refused unread; cut it to the county, or resample it to a coarser cell）`,
    );
  }
  const compressionCode = Number(dir.getValue('Compression') ?? 1);
  const compression = COMPRESSIONS[compressionCode];
  if (!compression) {
    throw new FileReadError(
      `不支持的 GeoTIFF 压缩方式 ${compressionCode}（the GeoTIFF "${fileName}" uses compression ${compressionCode}; read are none, LZW and Deflate: re-save it with one of them, e.g. gdal_translate -co COMPRESS=DEFLATE）`,
    );
  }
  const bits = image.getBitsPerSample(0);
  const format = image.getSampleFormat(0);
  const sampleType = sampleTypeOf(bits, format);
  if (!sampleType) {
    throw new FileReadError(
      `不支持的高程数据类型（the GeoTIFF "${fileName}" holds ${bits}-bit ${SAMPLE_FORMATS[format] ?? `format ${format}`} samples; read are Int16, UInt16, Int32 and Float32）`,
    );
  }
  // Every strip or tile must lie inside the file: a truncated file is refused before decoding.
  const tiled = dir.hasTag('TileOffsets');
  let offsets: ArrayLike<number> | undefined;
  let counts: ArrayLike<number> | undefined;
  try {
    offsets = (await dir.loadValue(tiled ? 'TileOffsets' : 'StripOffsets')) as ArrayLike<number> | undefined;
    counts = (await dir.loadValue(tiled ? 'TileByteCounts' : 'StripByteCounts')) as ArrayLike<number> | undefined;
  } catch (err) {
    throw cannot(`its ${tiled ? 'tile' : 'strip'} table cannot be read (${(err as Error).message}): truncated?`);
  }
  if (!offsets || !counts || offsets.length !== counts.length || offsets.length === 0) {
    throw cannot(`it has no ${tiled ? 'tile' : 'strip'} table`);
  }
  for (let i = 0; i < offsets.length; i++) {
    if (Number(offsets[i]) + Number(counts[i]) > bytes.length) {
      throw new FileReadError(
        `GeoTIFF 文件不完整（"${fileName}" is truncated: its ${tiled ? 'tile' : 'strip'} ${i} ends at byte ${Number(offsets[i]) + Number(counts[i])} of a ${bytes.length}-byte file）`,
      );
    }
  }
  const geoKeys = (image.getGeoKeys() ?? {}) as Record<string, unknown>;
  const affine = affineOf(image, geoKeys.GTRasterTypeGeoKey === 2);
  if (!affine) {
    throw new FileReadError(
      `GeoTIFF 没有地理参考（the GeoTIFF "${fileName}" has no georeference (ModelPixelScale + ModelTiepoint or ModelTransformation); a .tfw world file is not read: save it as a GeoTIFF with its georeference）`,
    );
  }
  const { crs, crsName } = crsOfGeoKeys(geoKeys);

  let band: ArrayLike<number>;
  try {
    const rasters = await image.readRasters({ samples: [0], interleave: false });
    band = rasters[0] as ArrayLike<number>;
  } catch (err) {
    throw cannot(`its pixels cannot be decoded (${(err as Error).message}): truncated or damaged?`);
  }
  if (band.length !== width * height) throw cannot(`it decodes to ${band.length} pixels, not ${width * height}`);
  const nodata = image.getGDALNoData();
  const heights = new Float32Array(width * height);
  let voids = 0;
  for (let i = 0; i < heights.length; i++) {
    const value = band[i]!;
    if (!Number.isFinite(value) || value === nodata) {
      heights[i] = NaN;
      voids += 1;
    } else heights[i] = value;
  }
  return {
    format: 'geotiff',
    fileName,
    width,
    height,
    heights,
    affine,
    crs,
    crsName,
    sampleType,
    compression,
    voids,
  };
}

/** The system the GeoKeys name: a projected or geographic EPSG code; 32767 is user-defined (not taken). */
export function crsOfGeoKeys(keys: Record<string, unknown>): { crs: Crs | null | undefined; crsName: string | null } {
  const citation = typeof keys.GTCitationGeoKey === 'string' ? keys.GTCitationGeoKey : null;
  for (const [key, label] of [
    ['ProjectedCSTypeGeoKey', 'projected'],
    ['GeographicTypeGeoKey', 'geographic'],
  ] as const) {
    const code = keys[key];
    if (typeof code !== 'number') continue;
    if (code > 0 && code < 32767) return { crs: epsgCrs(code), crsName: `EPSG:${code} (GeoTIFF ${label} GeoKey)` };
    return { crs: null, crsName: `${citation ?? `user-defined ${label} system`} (GeoTIFF GeoKeys)` };
  }
  return { crs: undefined, crsName: null };
}
