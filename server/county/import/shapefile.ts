/**
 * Shapefiles (ESRI 1998 specification): the .shp geometries, the .dbf attributes in the encoding
 * the .cpg names (or detected), and the .prj system. Read by hand rather than with a library so
 * that every length a hostile file declares is checked against the bytes actually there: a header
 * claiming 2 GB, a truncated record or a part count of a billion is reported, never allocated.
 */
import type { Geometry, Position } from 'geojson';
import { decodeAs, detectEncoding, encodingFromCpg, type TextEncoding } from './encoding.js';
import { FileReadError, type SourceFeature } from './parse.js';
import { FILE_INDEX, ProblemList } from './report.js';

/** The files of one Shapefile, by extension (lower case, without the dot). */
export interface ShapefileParts {
  shp?: Uint8Array;
  shx?: Uint8Array;
  dbf?: Uint8Array;
  prj?: Uint8Array;
  cpg?: Uint8Array;
}

export interface ShapefileContents {
  features: SourceFeature[];
  encoding: TextEncoding;
  encodingSource: 'cpg' | 'detected';
  /** The .prj's WKT, when there is one. */
  prj?: string;
  problems: ProblemList;
}

const SHAPE_NAMES: Record<number, string> = {
  0: 'Null',
  1: 'Point',
  3: 'PolyLine',
  5: 'Polygon',
  8: 'MultiPoint',
  11: 'PointZ',
  13: 'PolyLineZ',
  15: 'PolygonZ',
  18: 'MultiPointZ',
  21: 'PointM',
  23: 'PolyLineM',
  25: 'PolygonM',
  28: 'MultiPointM',
  31: 'MultiPatch',
};

/** The 2-D kind of a shape type: 1 point, 3 line, 5 polygon, 8 multipoint (Z and M dropped). */
function baseKind(shapeType: number): number {
  return shapeType === 0 ? 0 : shapeType % 10 === 1 ? 1 : shapeType % 10 === 3 ? 3 : shapeType % 10 === 5 ? 5 : 8;
}

/** Twice the signed area of a ring (positive when anticlockwise). */
function ringArea(ring: Position[]): number {
  let sum = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    sum += (ring[j]![0]! - ring[i]![0]!) * (ring[j]![1]! + ring[i]![1]!);
  }
  return sum;
}

function ringContains(ring: Position[], [x, y]: Position): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i]!;
    const [xj, yj] = ring[j]!;
    if (yi! > y! !== yj! > y! && x! < ((xj! - xi!) * (y! - yi!)) / (yj! - yi!) + xi!) inside = !inside;
  }
  return inside;
}

/** Shapefile rings → polygons: clockwise rings are outer rings, anticlockwise ones holes of the outer ring holding them. */
function assemblePolygons(rings: Position[][]): Geometry {
  const polygons: Position[][][] = [];
  const holes: Position[][] = [];
  for (const ring of rings) {
    if (ringArea(ring) < 0) polygons.push([ring]);
    else holes.push(ring);
  }
  for (const hole of holes) {
    const owner = polygons.find((polygon) => hole[0] && ringContains(polygon[0]!, hole[0]));
    // A hole inside no outer ring was probably drawn the wrong way round: keep it as an outer ring.
    if (owner) owner.push(hole);
    else polygons.push([hole]);
  }
  return polygons.length === 1
    ? { type: 'Polygon', coordinates: polygons[0]! }
    : { type: 'MultiPolygon', coordinates: polygons };
}

/** Read one record's content (after its 8-byte header): a GeoJSON geometry, null, or why not. */
function readShape(view: DataView, start: number, length: number): Geometry | null | string {
  if (length < 4) return 'the record is too short to hold a shape type';
  const type = view.getInt32(start, true);
  const kind = SHAPE_NAMES[type] ? baseKind(type) : -1;
  if (kind < 0 || type === 31) return `unsupported shape type ${type}${type === 31 ? ' (MultiPatch)' : ''}`;
  if (kind === 0) return null;
  const end = start + length;
  const point = (at: number): Position => [view.getFloat64(at, true), view.getFloat64(at + 8, true)];
  if (kind === 1) {
    if (length < 20) return 'the point record is truncated';
    return { type: 'Point', coordinates: point(start + 4) };
  }
  if (kind === 8) {
    if (length < 40) return 'the multipoint record is truncated';
    const count = view.getInt32(start + 36, true);
    if (count < 0 || start + 40 + count * 16 > end) return `the record declares ${count} points but holds fewer`;
    const points = Array.from({ length: count }, (_, i) => point(start + 40 + i * 16));
    return points.length === 1
      ? { type: 'Point', coordinates: points[0]! }
      : { type: 'MultiPoint', coordinates: points };
  }
  if (length < 44) return 'the record is truncated';
  const parts = view.getInt32(start + 36, true);
  const points = view.getInt32(start + 40, true);
  const pointsAt = start + 44 + parts * 4;
  if (parts < 1 || points < 0 || pointsAt + points * 16 > end) {
    return `the record declares ${parts} parts and ${points} points but holds fewer`;
  }
  const lines: Position[][] = [];
  for (let p = 0; p < parts; p++) {
    const from = view.getInt32(start + 44 + p * 4, true);
    const to = p + 1 < parts ? view.getInt32(start + 44 + (p + 1) * 4, true) : points;
    if (from < 0 || to > points || from > to) return `part ${p} points outside the record (${from}–${to} of ${points})`;
    lines.push(Array.from({ length: to - from }, (_, i) => point(pointsAt + (from + i) * 16)));
  }
  if (kind === 3) {
    return lines.length === 1
      ? { type: 'LineString', coordinates: lines[0]! }
      : { type: 'MultiLineString', coordinates: lines };
  }
  return assemblePolygons(lines);
}

interface DbfField {
  name: string;
  type: string;
  offset: number;
  length: number;
}

function dbfValue(text: string, type: string): unknown {
  const value = text.trim();
  if (value === '') return null;
  if (type === 'N' || type === 'F') {
    // Long codes (19-digit 坐落单位代码) are kept as text: a double keeps only ~15 digits.
    if (/^[+-]?\d{16,}$/.test(value)) return value;
    const number = Number(value);
    return Number.isFinite(number) ? number : value;
  }
  if (type === 'L') return /^[YyTt]$/.test(value) ? true : /^[NnFf]$/.test(value) ? false : null;
  if (type === 'D' && /^\d{8}$/.test(value)) return `${value.slice(0, 4)}-${value.slice(4, 6)}-${value.slice(6, 8)}`;
  return value;
}

/** Read a .dbf's records as attribute objects, decoded in `encoding` (detected when undefined). */
export function readDbf(
  bytes: Uint8Array,
  named: TextEncoding | null,
  problems: ProblemList,
): { records: Record<string, unknown>[]; encoding: TextEncoding } {
  if (bytes.length < 32) throw new FileReadError('.dbf 文件不完整（the .dbf is shorter than its 32-byte header）');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const declaredRecords = view.getUint32(4, true);
  const headerLength = view.getUint16(8, true);
  const recordLength = view.getUint16(10, true);
  if (headerLength < 33 || headerLength > bytes.length || recordLength < 1) {
    throw new FileReadError(
      `.dbf 文件头已损坏（the .dbf header is damaged: header ${headerLength} bytes, records ${recordLength} bytes, file ${bytes.length} bytes）`,
    );
  }
  const encoding = named ?? detectEncoding(bytes.subarray(32));
  const fields: DbfField[] = [];
  let offset = 1; // after the deletion flag
  for (let at = 32; at + 32 <= headerLength && bytes[at] !== 0x0d; at += 32) {
    const raw = bytes.subarray(at, at + 11);
    const nul = raw.indexOf(0);
    const name = decodeAs(nul >= 0 ? raw.subarray(0, nul) : raw, encoding).trim();
    const length = bytes[at + 16]!;
    fields.push({ name, type: String.fromCharCode(bytes[at + 11]!).toUpperCase(), offset, length });
    offset += length;
  }
  if (offset > recordLength) {
    throw new FileReadError(
      `.dbf 字段长度之和超过记录长度（the .dbf's fields need ${offset} bytes but its records have ${recordLength}）`,
    );
  }
  const available = Math.floor((bytes.length - headerLength) / recordLength);
  if (available < declaredRecords) {
    problems.error(
      FILE_INDEX,
      `.dbf 文件被截断：声明 ${declaredRecords} 条记录，实有 ${available} 条（the .dbf declares ${declaredRecords} records but holds ${available}: truncated）`,
      { field: 'dbf' },
    );
  }
  const count = Math.min(declaredRecords, available);
  const decoder = new TextDecoder(encoding);
  const records: Record<string, unknown>[] = [];
  for (let r = 0; r < count; r++) {
    const start = headerLength + r * recordLength;
    const record: Record<string, unknown> = {};
    for (const field of fields) {
      record[field.name] = dbfValue(
        decoder.decode(bytes.subarray(start + field.offset, start + field.offset + field.length)),
        field.type,
      );
    }
    records.push(record);
  }
  return { records, encoding };
}

/**
 * Read a Shapefile's parts into features. The .shp and .dbf are required (FileReadError without
 * them); a missing .shx is a warning (the .shp is read in order without it). Records that cannot be
 * read are per-feature errors; a file shorter than its header says is a file error.
 */
export function readShapefile(parts: ShapefileParts): ShapefileContents {
  const problems = new ProblemList();
  if (!parts.shp)
    throw new FileReadError(
      '缺少 .shp 文件（the Shapefile has no .shp: give the .shp, .shx, .dbf, .prj and .cpg together）',
    );
  if (!parts.dbf) {
    throw new FileReadError(
      '缺少 .dbf 属性表（the Shapefile has no .dbf attribute table: zip the .shp, .shx, .dbf, .prj and .cpg together）',
      'dbf',
    );
  }
  if (!parts.shx) {
    problems.warning(FILE_INDEX, '缺少 .shx 索引文件，已按顺序读取 .shp（no .shx index: the .shp was read in order）', {
      field: 'shx',
    });
  }
  const shp = parts.shp;
  if (shp.length < 100) throw new FileReadError('.shp 文件不完整（the .shp is shorter than its 100-byte header）');
  const view = new DataView(shp.buffer, shp.byteOffset, shp.byteLength);
  if (view.getInt32(0, false) !== 9994)
    throw new FileReadError('不是 Shapefile（the .shp does not start with the Shapefile code 9994）');
  const declaredBytes = view.getInt32(24, false) * 2;
  const headerType = view.getInt32(32, true);
  if (declaredBytes !== shp.length) {
    problems.error(
      FILE_INDEX,
      `.shp 文件头声明 ${declaredBytes} 字节，实有 ${shp.length} 字节（the .shp header declares ${declaredBytes} bytes but the file has ${shp.length}: ${declaredBytes > shp.length ? 'truncated or damaged' : 'damaged'}）`,
      { field: 'shp' },
    );
  }
  const cpg = parts.cpg ? new TextDecoder().decode(parts.cpg) : undefined;
  const named = cpg !== undefined ? encodingFromCpg(cpg) : null;
  if (cpg !== undefined && !named) {
    problems.warning(
      FILE_INDEX,
      `.cpg 写的编码 "${cpg.trim()}" 无法识别，已自动检测（the .cpg names "${cpg.trim()}", which we do not read: detected instead）`,
      {
        field: 'cpg',
      },
    );
  }
  const { records, encoding } = readDbf(parts.dbf, named, problems);

  const geometries: (Geometry | null | string)[] = [];
  let at = 100;
  const end = Math.min(shp.length, Math.max(declaredBytes, 100));
  while (at + 8 <= end) {
    const length = view.getInt32(at + 4, false) * 2;
    if (length < 0 || at + 8 + length > shp.length) {
      geometries.push(
        `.shp 记录被截断（the record is truncated: it declares ${length} bytes, ${shp.length - at - 8} remain）`,
      );
      break;
    }
    const shape = readShape(view, at + 8, length);
    if (shape && typeof shape === 'object') {
      const recordType = view.getInt32(at + 8, true);
      if (baseKind(recordType) !== baseKind(headerType)) {
        geometries.push(
          `几何类型混杂：此记录是 ${SHAPE_NAMES[recordType]}，文件头写的是 ${SHAPE_NAMES[headerType] ?? headerType}（mixed geometry types: the record is a ${SHAPE_NAMES[recordType]} but the header says ${SHAPE_NAMES[headerType] ?? headerType}）`,
        );
      } else geometries.push(shape);
    } else geometries.push(shape);
    at += 8 + length;
  }
  if (records.length !== geometries.length) {
    problems.error(
      FILE_INDEX,
      `.shp 有 ${geometries.length} 条记录，.dbf 有 ${records.length} 条（the .shp holds ${geometries.length} shapes but the .dbf ${records.length} records）`,
      { field: 'dbf' },
    );
  }
  const features = geometries.map((shape, index): SourceFeature => {
    if (typeof shape === 'string') {
      problems.error(index, shape, { field: 'geometry' });
      return { index, properties: records[index] ?? {}, geometry: undefined };
    }
    return { index, properties: records[index] ?? {}, geometry: shape };
  });
  return {
    features,
    encoding,
    encodingSource: named ? 'cpg' : 'detected',
    ...(parts.prj ? { prj: new TextDecoder().decode(parts.prj) } : {}),
    problems,
  };
}
