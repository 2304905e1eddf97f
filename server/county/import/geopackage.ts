/**
 * GeoPackage (OGC 12-128): a SQLite file, opened with sql.js (SQLite compiled to WebAssembly, so
 * nothing native to install), one feature table read into features. Geometries are GeoPackage
 * binary blobs: a small header (magic "GP", flags, SRS id, optional envelope) then standard WKB,
 * both decoded here with every length checked against the blob.
 */
import type { Geometry, Position } from 'geojson';
import initSqlJs from 'sql.js';
import { type Crs, epsgCrs } from './crs.js';
import { FileReadError, type SourceFeature } from './parse.js';
import { matchPrj } from './prj.js';
import { ProblemList } from './report.js';

let sqlJs: ReturnType<typeof initSqlJs> | undefined;

/** A GeoPackage starts with the SQLite header. */
export function isSqlite(bytes: Uint8Array): boolean {
  return new TextDecoder().decode(bytes.subarray(0, 15)) === 'SQLite format 3';
}

class WkbReader {
  private at = 0;
  private little = true;
  constructor(private readonly view: DataView) {}

  private need(bytes: number): void {
    if (this.at + bytes > this.view.byteLength) throw new Error('the WKB geometry is truncated');
  }
  private uint32(): number {
    this.need(4);
    const value = this.view.getUint32(this.at, this.little);
    this.at += 4;
    return value;
  }
  private count(bytesEach: number): number {
    const n = this.uint32();
    // A count the remaining bytes cannot hold is refused before anything is allocated.
    if (n * bytesEach > this.view.byteLength - this.at) throw new Error(`the WKB declares ${n} items but is shorter`);
    return n;
  }
  private position(dimensions: number): Position {
    this.need(8 * dimensions);
    const x = this.view.getFloat64(this.at, this.little);
    const y = this.view.getFloat64(this.at + 8, this.little);
    this.at += 8 * dimensions;
    return [x, y];
  }
  private positions(dimensions: number): Position[] {
    const n = this.count(8 * dimensions);
    return Array.from({ length: n }, () => this.position(dimensions));
  }

  geometry(depth = 0): Geometry {
    if (depth > 4) throw new Error('the WKB geometry is nested too deeply');
    this.need(1);
    this.little = this.view.getUint8(this.at) === 1;
    this.at += 1;
    const raw = this.uint32();
    // ISO WKB: 1000s add Z, 2000s M, 3000s ZM; EWKB: high flag bits.
    let dimensions = 2;
    if (raw & 0x80000000) dimensions += 1;
    if (raw & 0x40000000) dimensions += 1;
    if (raw & 0x20000000) throw new Error('EWKB with an embedded SRID is not GeoPackage WKB');
    const iso = raw & 0x0fffffff;
    const thousands = Math.floor(iso / 1000);
    if (thousands === 1 || thousands === 2) dimensions += 1;
    if (thousands === 3) dimensions += 2;
    const type = iso % 1000;
    switch (type) {
      case 1:
        return { type: 'Point', coordinates: this.position(dimensions) };
      case 2:
        return { type: 'LineString', coordinates: this.positions(dimensions) };
      case 3: {
        const n = this.count(4);
        return { type: 'Polygon', coordinates: Array.from({ length: n }, () => this.positions(dimensions)) };
      }
      case 4:
      case 5:
      case 6:
      case 7: {
        const n = this.count(9);
        const parts = Array.from({ length: n }, () => this.geometry(depth + 1));
        if (type === 7) return { type: 'GeometryCollection', geometries: parts };
        const coordinates = parts.map((part) => (part as { coordinates: unknown }).coordinates);
        const name = type === 4 ? 'MultiPoint' : type === 5 ? 'MultiLineString' : 'MultiPolygon';
        return { type: name, coordinates } as Geometry;
      }
      default:
        throw new Error(`unsupported WKB geometry type ${raw}`);
    }
  }
}

/** Decode a standard WKB geometry. Throws (with the reason) when it is malformed or truncated. */
export function readWkb(bytes: Uint8Array): Geometry {
  return new WkbReader(new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)).geometry();
}

const ENVELOPE_BYTES = [0, 32, 48, 48, 64];

/** Decode a GeoPackage binary geometry: null when it is empty. Throws (with the reason) when malformed. */
export function readGeoPackageGeometry(blob: Uint8Array): Geometry | null {
  if (blob.length < 8 || blob[0] !== 0x47 || blob[1] !== 0x50)
    throw new Error('not a GeoPackage geometry (no "GP" header)');
  const flags = blob[3]!;
  if (flags & 0x20) throw new Error('extended GeoPackage geometry types are not supported');
  const envelope = ENVELOPE_BYTES[(flags >> 1) & 0x07];
  if (envelope === undefined) throw new Error('invalid GeoPackage envelope flag');
  if (flags & 0x10) return null;
  return readWkb(blob.subarray(8 + envelope));
}

export interface GeoPackageContents {
  table: string;
  features: SourceFeature[];
  /** The system its SRS row names (null when we cannot tell), and how. */
  crs: Crs | null;
  crsName: string;
  crsHow: string;
  problems: ProblemList;
}

/**
 * Read one feature table of a GeoPackage: the one named, or the only one. Throws FileReadError for
 * a file that is not a GeoPackage or holds several tables when none is named.
 */
export async function readGeoPackage(bytes: Uint8Array, table?: string): Promise<GeoPackageContents> {
  sqlJs ??= initSqlJs();
  const SQL = await sqlJs;
  let db;
  try {
    db = new SQL.Database(bytes);
  } catch (err) {
    throw new FileReadError(`GeoPackage 文件已损坏（the GeoPackage cannot be opened: ${(err as Error).message}）`);
  }
  try {
    const rows = (sql: string, params: (string | number)[] = []) => {
      const statement = db.prepare(sql, params);
      const out: Record<string, unknown>[] = [];
      while (statement.step()) out.push(statement.getAsObject());
      statement.free();
      return out;
    };
    let tables;
    try {
      tables = rows(`
        select c.table_name, g.column_name, g.srs_id, s.srs_name, s.organization, s.organization_coordsys_id, s.definition
        from gpkg_contents c join gpkg_geometry_columns g on g.table_name = c.table_name
        left join gpkg_spatial_ref_sys s on s.srs_id = g.srs_id
        where c.data_type = 'features' order by c.table_name`);
    } catch (err) {
      throw new FileReadError(`不是 GeoPackage（the file is SQLite but not a GeoPackage: ${(err as Error).message}）`);
    }
    const names = tables.map((t) => String(t.table_name));
    if (tables.length === 0)
      throw new FileReadError('GeoPackage 中没有要素表（the GeoPackage holds no feature table）');
    const chosen =
      table !== undefined ? tables.find((t) => t.table_name === table) : tables.length === 1 ? tables[0] : undefined;
    if (!chosen) {
      throw new FileReadError(
        table !== undefined
          ? `GeoPackage 中没有表 "${table}"（no feature table "${table}"; it holds ${names.join(', ')}）`
          : `GeoPackage 有多个要素表，请用 table 指定（the GeoPackage holds ${names.length} feature tables: ${names.join(', ')}; say which with table (--table)）`,
        'table',
      );
    }
    const geometryColumn = String(chosen.column_name);
    const organization = String(chosen.organization ?? '').toUpperCase();
    const code = Number(chosen.organization_coordsys_id);
    let crs: Crs | null = null;
    let crsHow = '';
    if (organization === 'EPSG' && code > 0) {
      crs = epsgCrs(code);
      crsHow = 'the GeoPackage SRS (EPSG)';
    } else {
      const match = matchPrj(String(chosen.definition ?? ''));
      if (match) ({ crs } = match);
      crsHow = match ? `the GeoPackage SRS definition: ${match.how}` : '';
    }
    const problems = new ProblemList();
    const quoted = (name: string) => `"${name.replace(/"/g, '""')}"`;
    const statement = db.prepare(`select * from ${quoted(String(chosen.table_name))}`);
    const features: SourceFeature[] = [];
    while (statement.step()) {
      const index = features.length;
      const row = statement.getAsObject();
      const blob = row[geometryColumn];
      const properties: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(row)) {
        if (key !== geometryColumn && key !== 'fid' && !(value instanceof Uint8Array)) properties[key] = value;
      }
      let geometry: unknown = null;
      if (blob instanceof Uint8Array) {
        try {
          geometry = readGeoPackageGeometry(blob);
        } catch (err) {
          problems.error(index, `几何无法读取（the geometry cannot be read: ${(err as Error).message}）`, {
            field: 'geometry',
          });
          geometry = undefined;
        }
      }
      features.push({ index, properties, geometry });
    }
    statement.free();
    return {
      table: String(chosen.table_name),
      features,
      crs,
      crsName: String(chosen.srs_name ?? chosen.srs_id),
      crsHow,
      problems,
    };
  } finally {
    db.close();
  }
}
