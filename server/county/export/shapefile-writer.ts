/**
 * Shapefiles as the ESRI Shapefile Technical Description (July 1998) lays them out: the .shp
 * (100-byte header, then records of a big-endian number and length followed by the little-endian
 * shape), its .shx index (one offset and length per record, in 16-bit words), the .dbf attributes,
 * the .prj (the system's ESRI WKT) and the .cpg (the attributes' encoding), zipped together.
 * Points, polylines and polygons; a polygon's outer rings clockwise and its holes anticlockwise,
 * a multipolygon one record with all its rings.
 */
import type { Geometry, Position } from 'geojson';
import { zipSync } from 'fflate';
import { SHAPEFILE_MAX_BYTES, writeDbf } from './dbf-writer.js';
import { esriWkt } from './esri-wkt.js';
import { type ExportEncoding, type ExportTable, type GeometryKind, tooLargeError, valueError } from './table.js';

export const SHAPE_TYPES: Record<GeometryKind, number> = { point: 1, line: 3, polygon: 5 };

/** Twice the signed area of a ring: positive when anticlockwise (x east, y north). */
export function signedArea2(ring: readonly Position[]): number {
  let sum = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    sum += (ring[j]![0]! + ring[i]![0]!) * (ring[i]![1]! - ring[j]![1]!);
  }
  return sum;
}

/** A ring turned the way asked (clockwise for an outer ring), closed. */
export function orientRing(ring: readonly Position[], clockwise: boolean): Position[] {
  const closed =
    ring.length > 0 && (ring[0]![0] !== ring.at(-1)![0] || ring[0]![1] !== ring.at(-1)![1])
      ? [...ring, ring[0]!]
      : [...ring];
  return signedArea2(closed) < 0 === clockwise ? closed : closed.reverse();
}

/**
 * A hole started at a vertex its outer ring does not share. Readers that give a hole to the outer
 * ring holding its first vertex (ours, and others that test one point) would otherwise miss a hole
 * touching its outer ring there, and read it as a polygon of its own.
 */
function startOffOuter(ring: readonly Position[], outer: ReadonlySet<string>): Position[] {
  const open =
    ring.length > 1 && ring[0]![0] === ring.at(-1)![0] && ring[0]![1] === ring.at(-1)![1]
      ? ring.slice(0, -1)
      : [...ring];
  const start = open.findIndex((p) => !outer.has(`${p[0]},${p[1]}`));
  if (start <= 0) return [...ring];
  const rotated = [...open.slice(start), ...open.slice(0, start)];
  return [...rotated, rotated[0]!];
}

/** The parts (point lists) of one record, or null for a null shape; a string says why it cannot be written. */
function shapeParts(geometry: Geometry | null, kind: GeometryKind): Position[][] | null | string {
  if (geometry === null) return null;
  switch (kind) {
    case 'point':
      if (geometry.type === 'Point') return [[geometry.coordinates]];
      if (geometry.type === 'MultiPoint' && geometry.coordinates.length === 1) return [[geometry.coordinates[0]!]];
      break;
    case 'line':
      if (geometry.type === 'LineString') return geometry.coordinates.length === 0 ? null : [geometry.coordinates];
      if (geometry.type === 'MultiLineString') {
        const lines = geometry.coordinates.filter((line) => line.length > 0);
        return lines.length === 0 ? null : lines;
      }
      break;
    case 'polygon': {
      const polygons =
        geometry.type === 'Polygon'
          ? [geometry.coordinates]
          : geometry.type === 'MultiPolygon'
            ? geometry.coordinates
            : null;
      if (!polygons) break;
      const rings = polygons.flatMap((rings) => {
        const kept = rings.filter((ring) => ring.length > 0);
        const outer = new Set(kept[0]?.map((p) => `${p[0]},${p[1]}`));
        return kept.map((ring, i) => orientRing(i === 0 ? ring : startOffOuter(ring, outer), i === 0));
      });
      return rings.length === 0 ? null : rings;
    }
  }
  return `a ${geometry.type} in a ${kind} layer`;
}

/** The .shp and .shx of a table. */
export function writeShpShx(table: ExportTable): { shp: Uint8Array; shx: Uint8Array } {
  const shapeType = SHAPE_TYPES[table.kind];
  const records = table.features.map((feature, i) => {
    const parts = shapeParts(feature.geometry, table.kind);
    if (typeof parts === 'string') {
      throw valueError(table, i, 'geometry', { zh: `几何类型不符（${parts}）`, en: parts });
    }
    for (const part of parts ?? []) {
      for (const p of part) {
        if (!Number.isFinite(p[0]) || !Number.isFinite(p[1])) {
          throw valueError(table, i, 'geometry', { zh: '坐标不是数字', en: 'a coordinate is not a number' });
        }
      }
    }
    return parts;
  });
  const contentBytes = (parts: Position[][] | null) => {
    if (parts === null) return 4;
    if (shapeType === 1) return 20;
    const points = parts.reduce((n, part) => n + part.length, 0);
    return 44 + 4 * parts.length + 16 * points;
  };
  const shpLength = records.reduce((sum, parts) => sum + 8 + contentBytes(parts), 100);
  if (shpLength > SHAPEFILE_MAX_BYTES) throw tooLargeError(table.name, '.shp', shpLength);
  const shxLength = 100 + 8 * records.length;
  const shp = new Uint8Array(shpLength);
  const shx = new Uint8Array(shxLength);
  const sv = new DataView(shp.buffer);
  const xv = new DataView(shx.buffer);

  let [xmin, ymin, xmax, ymax] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const parts of records) {
    for (const part of parts ?? []) {
      for (const [x, y] of part) {
        if (x! < xmin) xmin = x!;
        if (x! > xmax) xmax = x!;
        if (y! < ymin) ymin = y!;
        if (y! > ymax) ymax = y!;
      }
    }
  }
  if (xmin > xmax) [xmin, ymin, xmax, ymax] = [0, 0, 0, 0];
  for (const [view, length] of [
    [sv, shpLength],
    [xv, shxLength],
  ] as const) {
    view.setInt32(0, 9994, false);
    view.setInt32(24, length / 2, false);
    view.setInt32(28, 1000, true);
    view.setInt32(32, shapeType, true);
    view.setFloat64(36, xmin, true);
    view.setFloat64(44, ymin, true);
    view.setFloat64(52, xmax, true);
    view.setFloat64(60, ymax, true);
    // Z and M ranges (68–99) stay 0: 2-D shapes.
  }

  let at = 100;
  records.forEach((parts, i) => {
    const content = contentBytes(parts);
    xv.setInt32(100 + 8 * i, at / 2, false);
    xv.setInt32(104 + 8 * i, content / 2, false);
    sv.setInt32(at, i + 1, false);
    sv.setInt32(at + 4, content / 2, false);
    const c = at + 8;
    if (parts === null) {
      sv.setInt32(c, 0, true);
    } else if (shapeType === 1) {
      sv.setInt32(c, 1, true);
      sv.setFloat64(c + 4, parts[0]![0]![0]!, true);
      sv.setFloat64(c + 12, parts[0]![0]![1]!, true);
    } else {
      let [bx0, by0, bx1, by1] = [Infinity, Infinity, -Infinity, -Infinity];
      let points = 0;
      for (const part of parts) {
        for (const [x, y] of part) {
          bx0 = Math.min(bx0, x!);
          by0 = Math.min(by0, y!);
          bx1 = Math.max(bx1, x!);
          by1 = Math.max(by1, y!);
        }
        points += part.length;
      }
      sv.setInt32(c, shapeType, true);
      sv.setFloat64(c + 4, bx0, true);
      sv.setFloat64(c + 12, by0, true);
      sv.setFloat64(c + 20, bx1, true);
      sv.setFloat64(c + 28, by1, true);
      sv.setInt32(c + 36, parts.length, true);
      sv.setInt32(c + 40, points, true);
      let first = 0;
      let p = c + 44 + 4 * parts.length;
      parts.forEach((part, k) => {
        sv.setInt32(c + 44 + 4 * k, first, true);
        first += part.length;
        for (const [x, y] of part) {
          sv.setFloat64(p, x!, true);
          sv.setFloat64(p + 8, y!, true);
          p += 16;
        }
      });
    }
    at += 8 + content;
  });
  return { shp, shx };
}

/** The .cpg's text: the code page name GDAL, QGIS and ArcGIS read. */
export const CPG_TEXT: Record<ExportEncoding, string> = { gbk: 'GBK', 'utf-8': 'UTF-8' };

/** The five files of a Shapefile, named after the table. */
export function writeShapefile(table: ExportTable, encoding: ExportEncoding): Record<string, Uint8Array> {
  const { shp, shx } = writeShpShx(table);
  const text = new TextEncoder();
  return {
    [`${table.name}.shp`]: shp,
    [`${table.name}.shx`]: shx,
    [`${table.name}.dbf`]: writeDbf(table, encoding),
    [`${table.name}.prj`]: text.encode(esriWkt(table.wkt)),
    [`${table.name}.cpg`]: text.encode(CPG_TEXT[encoding]),
  };
}

/** A Shapefile zipped (deflate): what the provincial platform and desktop GIS take as one file. */
export function writeShapefileZip(table: ExportTable, encoding: ExportEncoding): Uint8Array {
  const files = writeShapefile(table, encoding);
  return zipSync(Object.fromEntries(Object.entries(files).map(([name, bytes]) => [name, [bytes, { level: 6 }]])));
}
