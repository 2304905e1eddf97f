/**
 * Tiny files of every format, written from code for the tests (no binaries in the repository):
 * Shapefile parts byte by byte, GeoPackages with sql.js, workbooks with exceljs, zips with fflate.
 */
import ExcelJS from 'exceljs';
import { zipSync } from 'fflate';
import initSqlJs from 'sql.js';

type Ring = [number, number][];
export type TestShape = { point: [number, number] } | { polygon: Ring[] } | { line: [number, number][] } | null;

const SHAPE_TYPE = { point: 1, line: 3, polygon: 5 } as const;

function shapeKind(shape: TestShape): keyof typeof SHAPE_TYPE | null {
  if (!shape) return null;
  return 'point' in shape ? 'point' : 'polygon' in shape ? 'polygon' : 'line';
}

function shapeContent(shape: TestShape): Uint8Array {
  const kind = shapeKind(shape);
  if (!kind || !shape) return new Uint8Array(4); // Null shape: type 0
  if ('point' in shape) {
    const out = new DataView(new ArrayBuffer(20));
    out.setInt32(0, 1, true);
    out.setFloat64(4, shape.point[0], true);
    out.setFloat64(12, shape.point[1], true);
    return new Uint8Array(out.buffer);
  }
  const parts = 'polygon' in shape ? shape.polygon : [shape.line];
  const points = parts.flat();
  const out = new DataView(new ArrayBuffer(44 + parts.length * 4 + points.length * 16));
  out.setInt32(0, SHAPE_TYPE[kind], true);
  out.setInt32(36, parts.length, true);
  out.setInt32(40, points.length, true);
  let start = 0;
  parts.forEach((part, i) => {
    out.setInt32(44 + i * 4, start, true);
    start += part.length;
  });
  points.forEach(([x, y], i) => {
    out.setFloat64(44 + parts.length * 4 + i * 16, x, true);
    out.setFloat64(44 + parts.length * 4 + i * 16 + 8, y, true);
  });
  return new Uint8Array(out.buffer);
}

function header(fileBytes: number, shapeType: number): DataView {
  const view = new DataView(new ArrayBuffer(100));
  view.setInt32(0, 9994, false);
  view.setInt32(24, fileBytes / 2, false);
  view.setInt32(28, 1000, true);
  view.setInt32(32, shapeType, true);
  return view;
}

/** A .dbf of character fields, encoded with `encode` (the test's GBK or UTF-8 bytes). */
export function writeDbf(rows: Record<string, string>[], encode: (text: string) => Uint8Array): Uint8Array {
  const names = Object.keys(rows[0] ?? {});
  const widths = names.map((name) => Math.max(1, ...rows.map((row) => encode(row[name] ?? '').length)));
  const headerLength = 32 + names.length * 32 + 1;
  const recordLength = 1 + widths.reduce((a, b) => a + b, 0);
  const bytes = new Uint8Array(headerLength + rows.length * recordLength + 1);
  const view = new DataView(bytes.buffer);
  bytes[0] = 3;
  view.setUint32(4, rows.length, true);
  view.setUint16(8, headerLength, true);
  view.setUint16(10, recordLength, true);
  names.forEach((name, i) => {
    bytes.set(encode(name).subarray(0, 10), 32 + i * 32);
    bytes[32 + i * 32 + 11] = 'C'.charCodeAt(0);
    bytes[32 + i * 32 + 16] = widths[i]!;
  });
  bytes[headerLength - 1] = 0x0d;
  rows.forEach((row, r) => {
    let at = headerLength + r * recordLength;
    bytes[at++] = 0x20;
    names.forEach((name, i) => {
      const value = encode(row[name] ?? '');
      bytes.fill(0x20, at, at + widths[i]!);
      bytes.set(value, at);
      at += widths[i]!;
    });
  });
  bytes[bytes.length - 1] = 0x1a;
  return bytes;
}

/** The .shp and .shx of some shapes (the header's type is the first non-null shape's). */
export function writeShp(shapes: TestShape[]): { shp: Uint8Array; shx: Uint8Array } {
  const contents = shapes.map(shapeContent);
  const kind = shapes.map(shapeKind).find((k) => k !== null);
  const type = kind ? SHAPE_TYPE[kind] : 0;
  const shpBytes = 100 + contents.reduce((sum, c) => sum + 8 + c.length, 0);
  const shp = new Uint8Array(shpBytes);
  shp.set(new Uint8Array(header(shpBytes, type).buffer), 0);
  const shx = new Uint8Array(100 + contents.length * 8);
  shx.set(new Uint8Array(header(shx.length, type).buffer), 0);
  const shxView = new DataView(shx.buffer);
  let at = 100;
  contents.forEach((content, i) => {
    const view = new DataView(shp.buffer, at, 8);
    view.setInt32(0, i + 1, false);
    view.setInt32(4, content.length / 2, false);
    shp.set(content, at + 8);
    shxView.setInt32(100 + i * 8, at / 2, false);
    shxView.setInt32(104 + i * 8, content.length / 2, false);
    at += 8 + content.length;
  });
  return { shp, shx };
}

/** A zip of the named files. */
export function zip(files: Record<string, Uint8Array | string>): Uint8Array {
  const entries = Object.fromEntries(
    Object.entries(files).map(([name, data]) => [
      name,
      typeof data === 'string' ? new TextEncoder().encode(data) : data,
    ]),
  );
  return zipSync(entries);
}

/** GBK bytes of a string (Node's TextDecoder reads GBK but no TextEncoder writes it): a small table for the tests' words. */
const GBK: Record<string, number[]> = {
  名: [0xc3, 0xfb],
  称: [0xb3, 0xc6],
  编: [0xb1, 0xe0],
  码: [0xc2, 0xeb],
  罗: [0xc2, 0xde],
  阳: [0xd1, 0xf4],
  镇: [0xd5, 0xf2],
  所: [0xcb, 0xf9],
};

export function gbk(text: string): Uint8Array {
  const out: number[] = [];
  for (const char of text) {
    const code = GBK[char];
    if (code) out.push(...code);
    else if (char.charCodeAt(0) < 0x80) out.push(char.charCodeAt(0));
    else throw new Error(`no GBK bytes for ${char} in the test table`);
  }
  return Uint8Array.from(out);
}

export const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

/** An ESRI .prj of CGCS2000 3-degree Gauss–Krüger CM 120°E (as ArcGIS writes it: no EPSG authority). */
export const PRJ_4549_ESRI =
  'PROJCS["CGCS2000_3_Degree_GK_CM_120E",GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",120.0],PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]';

/** A GeoPackage with one feature table of points or polygons given as WKB-ready coordinates. */
export async function writeGeoPackage(options: {
  table: string;
  srsId: number;
  rows: { properties: Record<string, string | number>; wkb: Uint8Array | null }[];
  extraTables?: string[];
}): Promise<Uint8Array> {
  const SQL = await initSqlJs();
  const db = new SQL.Database();
  db.run(`
    create table gpkg_spatial_ref_sys (srs_name text, srs_id integer primary key, organization text, organization_coordsys_id integer, definition text);
    create table gpkg_contents (table_name text primary key, data_type text, identifier text, srs_id integer);
    create table gpkg_geometry_columns (table_name text, column_name text, geometry_type_name text, srs_id integer, z integer, m integer);`);
  db.run('insert into gpkg_spatial_ref_sys values (?, ?, ?, ?, ?)', [
    `EPSG:${options.srsId}`,
    options.srsId,
    'EPSG',
    options.srsId,
    'undefined',
  ]);
  for (const table of [options.table, ...(options.extraTables ?? [])]) {
    const columns = Object.keys(options.rows[0]?.properties ?? {});
    db.run(`create table "${table}" (fid integer primary key, geom blob${columns.map((c) => `, "${c}"`).join('')})`);
    db.run('insert into gpkg_contents values (?, ?, ?, ?)', [table, 'features', table, options.srsId]);
    db.run('insert into gpkg_geometry_columns values (?, ?, ?, ?, 0, 0)', [table, 'geom', 'GEOMETRY', options.srsId]);
    for (const row of options.rows) {
      const values = Object.values(row.properties);
      db.run(
        `insert into "${table}" (geom${columns.map((c) => `, "${c}"`).join('')}) values (?${', ?'.repeat(values.length)})`,
        [row.wkb ? geoPackageBlob(row.wkb, options.srsId) : null, ...values],
      );
    }
  }
  const bytes = db.export();
  db.close();
  return bytes;
}

/** A GeoPackage geometry blob: "GP", version 0, flags (little-endian, no envelope), SRS id, WKB. */
export function geoPackageBlob(wkb: Uint8Array, srsId: number): Uint8Array {
  const out = new Uint8Array(8 + wkb.length);
  out.set([0x47, 0x50, 0, 0x01]);
  new DataView(out.buffer).setInt32(4, srsId, true);
  out.set(wkb, 8);
  return out;
}

/** Little-endian WKB of a point or a one-ring polygon. */
export function wkb(shape: { point: [number, number] } | { ring: [number, number][] }): Uint8Array {
  if ('point' in shape) {
    const view = new DataView(new ArrayBuffer(21));
    view.setUint8(0, 1);
    view.setUint32(1, 1, true);
    view.setFloat64(5, shape.point[0], true);
    view.setFloat64(13, shape.point[1], true);
    return new Uint8Array(view.buffer);
  }
  const view = new DataView(new ArrayBuffer(13 + 4 + shape.ring.length * 16));
  view.setUint8(0, 1);
  view.setUint32(1, 3, true);
  view.setUint32(5, 1, true);
  view.setUint32(9, shape.ring.length, true);
  shape.ring.forEach(([x, y], i) => {
    view.setFloat64(13 + i * 16, x, true);
    view.setFloat64(21 + i * 16, y, true);
  });
  return new Uint8Array(view.buffer.slice(0, 13 + shape.ring.length * 16));
}

/** An .xlsx of one sheet from rows of cell values (exceljs cell values: formulas as { formula, result }). */
export async function writeXlsx(rows: ExcelJS.CellValue[][], sheetName = 'Sheet1'): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet(sheetName);
  for (const row of rows) sheet.addRow(row);
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}
