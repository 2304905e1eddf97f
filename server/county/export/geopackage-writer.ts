/**
 * GeoPackage (OGC 12-128r15, version 1.2) written with sql.js: the required gpkg_spatial_ref_sys
 * (with the -1, 0 and 4326 rows and the export's own system), gpkg_contents (with the features'
 * bounds) and gpkg_geometry_columns, and one feature table whose geometries are GeoPackage binary
 * blobs: "GP", version 0, flags (little-endian, envelope [minx, maxx, miny, maxy]), the SRS id,
 * then standard little-endian WKB. application_id is 'GPKG' and user_version 10200 (1.2: nothing
 * of 1.3/1.4 is used, and older desktop GIS read 1.2).
 */
import type { Geometry, Position } from 'geojson';
import initSqlJs from 'sql.js';
import { orientRing } from './shapefile-writer.js';
import type { ExportField, ExportTable, FieldType } from './table.js';

let sqlJs: ReturnType<typeof initSqlJs> | undefined;

export const GPKG_APPLICATION_ID = 0x47504b47; // 'GPKG'
export const GPKG_USER_VERSION = 10200;

const WGS84_WKT =
  'GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AUTHORITY["EPSG","4326"]]';

/** Growable little-endian byte writer for WKB. */
class ByteWriter {
  private bytes = new Uint8Array(256);
  private view = new DataView(this.bytes.buffer);
  length = 0;
  private room(n: number): void {
    if (this.length + n <= this.bytes.length) return;
    const next = new Uint8Array(Math.max(this.bytes.length * 2, this.length + n));
    next.set(this.bytes.subarray(0, this.length));
    this.bytes = next;
    this.view = new DataView(next.buffer);
  }
  u8(v: number): void {
    this.room(1);
    this.bytes[this.length++] = v;
  }
  u32(v: number): void {
    this.room(4);
    this.view.setUint32(this.length, v, true);
    this.length += 4;
  }
  f64(v: number): void {
    this.room(8);
    this.view.setFloat64(this.length, v, true);
    this.length += 8;
  }
  result(): Uint8Array {
    return this.bytes.slice(0, this.length);
  }
}

function writeWkbGeometry(w: ByteWriter, g: Geometry): void {
  const positions = (list: Position[]) => {
    w.u32(list.length);
    for (const p of list) {
      w.f64(p[0]!);
      w.f64(p[1]!);
    }
  };
  // OGC simple features: polygons with an anticlockwise outer ring and clockwise holes.
  const polygon = (rings: Position[][]) => {
    w.u8(1);
    w.u32(3);
    w.u32(rings.length);
    rings.forEach((ring, i) => positions(orientRing(ring, i !== 0)));
  };
  switch (g.type) {
    case 'Point':
      w.u8(1);
      w.u32(1);
      w.f64(g.coordinates[0]!);
      w.f64(g.coordinates[1]!);
      return;
    case 'LineString':
      w.u8(1);
      w.u32(2);
      positions(g.coordinates);
      return;
    case 'Polygon':
      polygon(g.coordinates);
      return;
    case 'MultiPoint':
      w.u8(1);
      w.u32(4);
      w.u32(g.coordinates.length);
      for (const p of g.coordinates) writeWkbGeometry(w, { type: 'Point', coordinates: p });
      return;
    case 'MultiLineString':
      w.u8(1);
      w.u32(5);
      w.u32(g.coordinates.length);
      for (const line of g.coordinates) writeWkbGeometry(w, { type: 'LineString', coordinates: line });
      return;
    case 'MultiPolygon':
      w.u8(1);
      w.u32(6);
      w.u32(g.coordinates.length);
      for (const rings of g.coordinates) polygon(rings);
      return;
    default:
      throw new Error(`cannot write a ${g.type} as WKB`);
  }
}

/** Standard little-endian WKB (2-D). */
export function writeWkb(geometry: Geometry): Uint8Array {
  const w = new ByteWriter();
  writeWkbGeometry(w, geometry);
  return w.result();
}

/** Every position of a geometry. */
function* positionsOf(g: Geometry): Generator<Position> {
  switch (g.type) {
    case 'Point':
      yield g.coordinates;
      return;
    case 'LineString':
    case 'MultiPoint':
      yield* g.coordinates;
      return;
    case 'Polygon':
    case 'MultiLineString':
      for (const part of g.coordinates) yield* part;
      return;
    case 'MultiPolygon':
      for (const rings of g.coordinates) for (const ring of rings) yield* ring;
      return;
    case 'GeometryCollection':
      for (const part of g.geometries) yield* positionsOf(part);
  }
}

/** [minx, maxx, miny, maxy] of a geometry, or null when it has no position. */
function envelopeOf(g: Geometry): [number, number, number, number] | null {
  let [x0, x1, y0, y1] = [Infinity, -Infinity, Infinity, -Infinity];
  for (const [x, y] of positionsOf(g)) {
    x0 = Math.min(x0, x!);
    x1 = Math.max(x1, x!);
    y0 = Math.min(y0, y!);
    y1 = Math.max(y1, y!);
  }
  return x0 > x1 ? null : [x0, x1, y0, y1];
}

/**
 * A GeoPackage binary geometry: header "GP", version 0, flags (bit 0 little-endian, bits 1–3
 * envelope 1 = [minx, maxx, miny, maxy], bit 4 empty), the SRS id, the envelope, then WKB. A
 * point carries no envelope (the spec allows it, and it would only repeat the point); an empty
 * geometry sets the empty flag.
 */
export function geoPackageGeometry(geometry: Geometry, srsId: number): Uint8Array {
  const envelope = geometry.type === 'Point' ? null : envelopeOf(geometry);
  const empty = geometry.type !== 'Point' && envelope === null;
  const wkb = writeWkb(geometry);
  const headerBytes = 8 + (envelope ? 32 : 0);
  const out = new Uint8Array(headerBytes + wkb.length);
  const view = new DataView(out.buffer);
  out[0] = 0x47; // G
  out[1] = 0x50; // P
  out[2] = 0; // version 1
  out[3] = 0x01 | (envelope ? 1 << 1 : 0) | (empty ? 1 << 4 : 0);
  view.setInt32(4, srsId, true);
  if (envelope) envelope.forEach((v, i) => view.setFloat64(8 + 8 * i, v, true));
  out.set(wkb, headerBytes);
  return out;
}

const COLUMN_TYPES: Record<FieldType, string> = { C: 'TEXT', N: 'INTEGER', F: 'REAL', D: 'DATE', L: 'BOOLEAN' };

/** The SQLite column type of a field: N with decimals is REAL. */
function columnType(field: ExportField): string {
  return field.type === 'N' && (field.decimals ?? 0) > 0 ? 'REAL' : COLUMN_TYPES[field.type];
}

/** The declared geometry type of the table: polygons always MULTIPOLYGON; lines MULTILINESTRING only when one is. */
function geometryTypeName(table: ExportTable): string {
  if (table.kind === 'point') return 'POINT';
  if (table.kind === 'polygon') return 'MULTIPOLYGON';
  return table.features.some((f) => f.geometry?.type === 'MultiLineString') ? 'MULTILINESTRING' : 'LINESTRING';
}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** Write a table as a GeoPackage file. */
export async function writeGeoPackage(table: ExportTable, now = new Date()): Promise<Uint8Array> {
  sqlJs ??= initSqlJs();
  const SQL = await sqlJs;
  const db = new SQL.Database();
  try {
    db.run(`PRAGMA application_id = ${GPKG_APPLICATION_ID}`);
    db.run(`PRAGMA user_version = ${GPKG_USER_VERSION}`);
    db.run(`CREATE TABLE gpkg_spatial_ref_sys (
      srs_name TEXT NOT NULL, srs_id INTEGER NOT NULL PRIMARY KEY, organization TEXT NOT NULL,
      organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL, description TEXT)`);
    const srs = db.prepare('INSERT INTO gpkg_spatial_ref_sys VALUES (?, ?, ?, ?, ?, ?)');
    srs.run([
      'Undefined cartesian SRS',
      -1,
      'NONE',
      -1,
      'undefined',
      'undefined cartesian coordinate reference system',
    ]);
    srs.run([
      'Undefined geographic SRS',
      0,
      'NONE',
      0,
      'undefined',
      'undefined geographic coordinate reference system',
    ]);
    srs.run([
      'WGS 84 geodetic',
      4326,
      'EPSG',
      4326,
      WGS84_WKT,
      'longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid',
    ]);
    if (table.srid !== 4326) srs.run([table.srsName, table.srid, 'EPSG', table.srid, table.wkt, table.srsName]);
    srs.free();
    db.run(`CREATE TABLE gpkg_contents (
      table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL, identifier TEXT UNIQUE,
      description TEXT DEFAULT '', last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
      min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER,
      CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id))`);
    db.run(`CREATE TABLE gpkg_geometry_columns (
      table_name TEXT NOT NULL, column_name TEXT NOT NULL, geometry_type_name TEXT NOT NULL,
      srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL,
      CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
      CONSTRAINT uk_gc_table_name UNIQUE (table_name),
      CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
      CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id))`);
    const columns = table.fields.map((f) => `${quote(f.name)} ${columnType(f)}`);
    db.run(
      `CREATE TABLE ${quote(table.name)} (fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, geom ${geometryTypeName(table)}${columns.map((c) => `, ${c}`).join('')})`,
    );
    let bounds: [number, number, number, number] | null = null;
    const insert = db.prepare(
      `INSERT INTO ${quote(table.name)} VALUES (?, ?${table.fields.map(() => ', ?').join('')})`,
    );
    db.run('BEGIN');
    table.features.forEach((feature, i) => {
      let blob: Uint8Array | null = null;
      if (feature.geometry) {
        const geometry =
          table.kind === 'polygon' && feature.geometry.type === 'Polygon'
            ? { type: 'MultiPolygon' as const, coordinates: [feature.geometry.coordinates] }
            : feature.geometry;
        blob = geoPackageGeometry(geometry, table.srid);
        const e = envelopeOf(geometry);
        if (e) {
          bounds = bounds
            ? [
                Math.min(bounds[0], e[0]),
                Math.max(bounds[1], e[1]),
                Math.min(bounds[2], e[2]),
                Math.max(bounds[3], e[3]),
              ]
            : e;
        }
      }
      insert.run([
        i + 1,
        blob,
        // SQLite has no booleans: GeoPackage BOOLEAN is 0 or 1.
        ...feature.values.map((v) => (typeof v === 'boolean' ? (v ? 1 : 0) : v)),
      ]);
    });
    db.run('COMMIT');
    insert.free();
    const b = bounds as [number, number, number, number] | null;
    db.run('INSERT INTO gpkg_contents VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)', [
      table.name,
      'features',
      table.name,
      '',
      now.toISOString(),
      b ? b[0] : null,
      b ? b[2] : null,
      b ? b[1] : null,
      b ? b[3] : null,
      table.srid,
    ]);
    db.run('INSERT INTO gpkg_geometry_columns VALUES (?, ?, ?, ?, 0, 0)', [
      table.name,
      'geom',
      geometryTypeName(table),
      table.srid,
    ]);
    return db.export();
  } finally {
    db.close();
  }
}
