// The Shapefile and GeoPackage writers byte by byte (ESRI 1998 Shapefile description, dBASE III,
// OGC GeoPackage 1.2), and read back by our own importer.
import { unzipSync } from 'fflate';
import initSqlJs from 'sql.js';
import { describe, expect, it } from 'vitest';
import { readGeoPackage, readGeoPackageGeometry } from '../import/geopackage.js';
import { matchPrj } from '../import/prj.js';
import { ProblemList } from '../import/report.js';
import { readDbf, readShapefile } from '../import/shapefile.js';
import { dbfFieldNames, writeDbf } from './dbf-writer.js';
import { esriWkt } from './esri-wkt.js';
import { encodeGbk, firstNonGbk } from './gbk.js';
import { geoPackageGeometry, GPKG_APPLICATION_ID, GPKG_USER_VERSION, writeGeoPackage } from './geopackage-writer.js';
import { signedArea2, writeShapefile, writeShapefileZip, writeShpShx } from './shapefile-writer.js';
import type { ExportTable } from './table.js';

const WKT_4549 =
  'PROJCS["CGCS2000 / 3-degree Gauss-Kruger CM 120E",GEOGCS["China Geodetic Coordinate System 2000",DATUM["China_2000",SPHEROID["CGCS2000",6378137,298.257222101,AUTHORITY["EPSG","1024"]],AUTHORITY["EPSG","1043"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AUTHORITY["EPSG","4490"]],PROJECTION["Transverse_Mercator"],PARAMETER["latitude_of_origin",0],PARAMETER["central_meridian",120],PARAMETER["scale_factor",1],PARAMETER["false_easting",500000],PARAMETER["false_northing",0],UNIT["metre",1,AUTHORITY["EPSG","9001"]],AUTHORITY["EPSG","4549"]]';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

function table(partial: Partial<ExportTable> & Pick<ExportTable, 'kind' | 'fields' | 'features'>): ExportTable {
  return { name: 'test', srid: 4549, wkt: WKT_4549, srsName: 'CGCS2000 / 3-degree Gauss-Kruger CM 120E', ...partial };
}

const points = table({
  name: 'stations',
  kind: 'point',
  fields: [
    { name: '代码', type: 'C' },
    { name: '户数', type: 'N' },
  ],
  features: [
    { geometry: { type: 'Point', coordinates: [480_000.5, 3_050_000.25] }, values: ['330329001', 12] },
    { geometry: null, values: ['330329002', null] },
    { geometry: { type: 'Point', coordinates: [470_000, 3_060_000] }, values: ['330329003', 7] },
  ],
});

// An anticlockwise outer square with a clockwise hole (GeoJSON's order), and a second square.
const square = (x: number, y: number, size: number) => [
  [x, y],
  [x + size, y],
  [x + size, y + size],
  [x, y + size],
  [x, y],
];
const polygons = table({
  name: 'villages',
  kind: 'polygon',
  fields: [
    { name: '代码', type: 'C' },
    { name: '名称', type: 'C' },
  ],
  features: [
    {
      geometry: {
        type: 'MultiPolygon',
        coordinates: [[square(0, 0, 10), square(2, 2, 2).reverse()], [square(20, 0, 5)]],
      },
      values: ['330329100201', '泰顺县'],
    },
  ],
});

describe('GBK', () => {
  it('encodes as code page 936 does', () => {
    expect(hex(encodeGbk('泰顺县'))).toBe('cca9cbb3cfd8');
    expect(hex(encodeGbk('名称 代码 户数'))).toBe('c3fbb3c620b4fac2eb20bba7cafd');
    expect(hex(encodeGbk('镕堃'))).toBe('e94688d2'); // GBK extensions beyond GB2312
    expect(hex(encodeGbk('A-1'))).toBe('412d31');
  });

  it('names a character it cannot write', () => {
    expect(() => encodeGbk('上㽎村')).toThrow('U+3F4E');
    expect(firstNonGbk('上㽎村')).toBe('㽎');
    expect(firstNonGbk('泰顺县')).toBeNull();
  });

  it('decodes back to the same text', () => {
    const text = '浙江省温州市泰顺县罗阳镇司前畲族镇竹里畲族乡（保护区）、１２３';
    expect(new TextDecoder('gbk').decode(encodeGbk(text))).toBe(text);
  });
});

describe('dBASE III', () => {
  it('shortens field names to 10 bytes in the encoding, uniquely', () => {
    expect(dbfFieldNames(['名称', '代码', '户数'], 'gbk')).toEqual(['名称', '代码', '户数']);
    expect(dbfFieldNames(['最远户车程分钟'], 'gbk')).toEqual(['最远户车程']);
    expect(dbfFieldNames(['最远户车程分钟'], 'utf-8')).toEqual(['最远户']);
    expect(dbfFieldNames(['行政等级代码一', '行政等级代码二', '行政等级代码三'], 'gbk')).toEqual([
      '行政等级代',
      '行政等级_1',
      '行政等级_2',
    ]);
    expect(dbfFieldNames(['行政等级一', '行政等级二'], 'utf-8')).toEqual(['行政等', '行政_1']);
    expect(dbfFieldNames(['population_total', 'POPULATION_MALE'], 'gbk')).toEqual(['population', 'POPULATI_1']);
  });

  it('lays out the header, field descriptors and records', () => {
    const t = table({
      kind: 'point',
      fields: [
        { name: '名称', type: 'C' },
        { name: '户数', type: 'N' },
        { name: '面积', type: 'N', decimals: 2 },
        { name: '估算', type: 'L' },
        { name: '日期', type: 'D' },
      ],
      features: [
        { geometry: null, values: ['泰顺县', 123, 1.5, true, '2026-12-07'] },
        { geometry: null, values: ['罗阳', 4, null, false, null] },
      ],
    });
    const dbf = writeDbf(t, 'gbk', new Date('2026-12-07T00:00:00Z'));
    const view = new DataView(dbf.buffer);
    expect([dbf[0], dbf[1], dbf[2], dbf[3]]).toEqual([0x03, 126, 12, 7]);
    expect(view.getUint32(4, true)).toBe(2);
    expect(view.getUint16(8, true)).toBe(32 + 5 * 32 + 1);
    // 1 (deletion flag) + 名称 6 + 户数 3 + 面积 4 + 估算 1 + 日期 8
    expect(view.getUint16(10, true)).toBe(23);
    expect(dbf[29]).toBe(0x4d); // code page 936
    expect(hex(dbf.subarray(32, 43))).toBe('c3fbb3c6' + '00'.repeat(7));
    expect(String.fromCharCode(dbf[43]!)).toBe('C');
    expect([dbf[48], dbf[49]]).toEqual([6, 0]);
    expect([String.fromCharCode(dbf[64 + 11]!), dbf[64 + 16], dbf[64 + 17]]).toEqual(['N', 3, 0]);
    expect([dbf[96 + 16], dbf[96 + 17]]).toEqual([4, 2]);
    expect(dbf[192]).toBe(0x0d);
    const record = dbf.subarray(193, 193 + 23);
    expect(hex(record)).toBe(
      hex(Buffer.concat([Buffer.from([0x20, 0xcc, 0xa9, 0xcb, 0xb3, 0xcf, 0xd8]), Buffer.from('1231.50T20261207')])),
    );
    expect(
      Buffer.from(dbf.subarray(193 + 23, 193 + 46))
        .toString('latin1')
        .slice(7),
    ).toBe('  4    F        ');
    expect(dbf.length).toBe(193 + 46 + 1);
    expect(dbf.at(-1)).toBe(0x1a);
    const read = readDbf(dbf, 'gbk', new ProblemList());
    expect(read.records).toEqual([
      { 名称: '泰顺县', 户数: 123, 面积: 1.5, 估算: true, 日期: '2026-12-07' },
      { 名称: '罗阳', 户数: 4, 面积: null, 估算: false, 日期: null },
    ]);
    const utf8 = writeDbf(t, 'utf-8');
    expect(utf8[29]).toBe(0);
    expect(readDbf(utf8, 'utf-8', new ProblemList()).records[0]!.名称).toBe('泰顺县');
  });

  it('refuses what dBASE cannot hold, naming the feature and field', () => {
    const one = (value: string) =>
      table({
        kind: 'point',
        fields: [{ name: '名称', type: 'C' }],
        features: [
          { geometry: null, values: ['a'] },
          { geometry: null, values: [value] },
        ],
      });
    expect(() => writeDbf(one('上㽎村'), 'gbk')).toThrow(/第 2 个要素的字段 名称.*U\+3F4E.*choose UTF-8/);
    expect(hex(writeDbf(one('上㽎村'), 'utf-8').subarray(-10, -1))).toBe(hex(new TextEncoder().encode('上㽎村')));
    expect(() => writeDbf(one('村'.repeat(128)), 'gbk')).toThrow(
      /feature 2 of test, field 名称: 256 bytes, over dBASE's 254-byte/,
    );
    expect(() => writeDbf(one('村'.repeat(127)), 'gbk')).not.toThrow();
    const many = table({
      kind: 'point',
      fields: Array.from({ length: 256 }, (_, i) => ({ name: `f${i}`, type: 'C' as const })),
      features: [],
    });
    expect(() => writeDbf(many, 'gbk')).toThrow(/more than 255 fields/);
    const big = table({
      kind: 'point',
      fields: [{ name: 'n', type: 'N' }],
      features: [{ geometry: null, values: [1e20] }],
    });
    expect(() => writeDbf(big, 'gbk')).toThrow(/19-byte limit/);
  });
});

describe('Shapefile', () => {
  it('writes points, a null shape and the .shx index', () => {
    const { shp, shx } = writeShpShx(points);
    const sv = new DataView(shp.buffer);
    const xv = new DataView(shx.buffer);
    expect(shp.length).toBe(100 + 28 + 12 + 28);
    expect(sv.getInt32(0, false)).toBe(9994);
    expect(sv.getInt32(24, false)).toBe(shp.length / 2);
    expect(sv.getInt32(28, true)).toBe(1000);
    expect(sv.getInt32(32, true)).toBe(1);
    expect([36, 44, 52, 60].map((at) => sv.getFloat64(at, true))).toEqual([
      470_000, 3_050_000.25, 480_000.5, 3_060_000,
    ]);
    expect(shx.length).toBe(100 + 3 * 8);
    expect(xv.getInt32(24, false)).toBe(62);
    expect([0, 1, 2].map((i) => [xv.getInt32(100 + 8 * i, false), xv.getInt32(104 + 8 * i, false)])).toEqual([
      [50, 10],
      [64, 2],
      [70, 10],
    ]);
    // Record 2: number 2, 2 words, shape type 0.
    expect([sv.getInt32(128, false), sv.getInt32(132, false), sv.getInt32(136, true)]).toEqual([2, 2, 0]);
    expect([sv.getInt32(140, false), sv.getFloat64(152, true), sv.getFloat64(160, true)]).toEqual([
      3, 470_000, 3_060_000,
    ]);
  });

  it('writes a multipolygon as one record, outer rings clockwise and holes anticlockwise', () => {
    const { shp, shx } = writeShpShx(polygons);
    const sv = new DataView(shp.buffer);
    const content = 44 + 4 * 3 + 16 * 15;
    expect(shp.length).toBe(100 + 8 + content);
    expect(new DataView(shx.buffer).getInt32(104, false)).toBe(content / 2);
    const c = 108;
    expect(sv.getInt32(c, true)).toBe(5);
    expect([4, 12, 20, 28].map((d) => sv.getFloat64(c + d, true))).toEqual([0, 0, 25, 10]);
    expect([sv.getInt32(c + 36, true), sv.getInt32(c + 40, true)]).toEqual([3, 15]);
    expect([0, 1, 2].map((k) => sv.getInt32(c + 44 + 4 * k, true))).toEqual([0, 5, 10]);
    const ring = (k: number) =>
      Array.from({ length: 5 }, (_, i) => {
        const at = c + 56 + (k * 5 + i) * 16;
        return [sv.getFloat64(at, true), sv.getFloat64(at + 8, true)];
      });
    expect(signedArea2(ring(0))).toBeLessThan(0);
    expect(signedArea2(ring(1))).toBeGreaterThan(0);
    expect(signedArea2(ring(2))).toBeLessThan(0);
    // The importer reads it back as the same multipolygon.
    const files = writeShapefile(polygons, 'gbk');
    const read = readShapefile({
      shp: files['villages.shp'],
      shx: files['villages.shx'],
      dbf: files['villages.dbf'],
      cpg: files['villages.cpg'],
      prj: files['villages.prj'],
    });
    expect(read.problems.items).toEqual([]);
    expect(read.encoding).toBe('gbk');
    expect(read.features[0]!.properties).toEqual({ 代码: '330329100201', 名称: '泰顺县' });
    const geometry = read.features[0]!.geometry as { type: string; coordinates: number[][][][] };
    expect(geometry.type).toBe('MultiPolygon');
    expect(geometry.coordinates.map((p) => p.length)).toEqual([2, 1]);
  });

  it('starts a hole touching its outer ring off the touching vertex, so that a one-point reader keeps it a hole', () => {
    const outer = [
      [0, 0],
      [10, 0],
      [10, 5],
      [10, 10],
      [0, 10],
      [0, 0],
    ];
    const hole = [
      [10, 5],
      [7, 4],
      [7, 6],
      [10, 5],
    ];
    const touching = {
      ...polygons,
      features: [
        { geometry: { type: 'Polygon' as const, coordinates: [outer, hole] }, values: ['330329100201', '竹里'] },
      ],
    };
    const files = writeShapefile(touching, 'gbk');
    const read = readShapefile({ shp: files['villages.shp'], dbf: files['villages.dbf'], shx: files['villages.shx'] });
    const geometry = read.features[0]!.geometry as { type: string; coordinates: number[][][] };
    expect(geometry.type).toBe('Polygon');
    expect(geometry.coordinates).toHaveLength(2);
    expect(geometry.coordinates[1]![0]).not.toEqual([10, 5]);
    expect(geometry.coordinates[1]!).toHaveLength(4);
  });

  it('zips .shp .shx .dbf .prj .cpg, the .prj in ESRI WKT that the importer matches to EPSG:4549', () => {
    const files = unzipSync(writeShapefileZip(points, 'utf-8'));
    expect(Object.keys(files).sort()).toEqual([
      'stations.cpg',
      'stations.dbf',
      'stations.prj',
      'stations.shp',
      'stations.shx',
    ]);
    expect(new TextDecoder().decode(files['stations.cpg'])).toBe('UTF-8');
    const prj = new TextDecoder().decode(files['stations.prj']);
    expect(prj).toBe(
      'PROJCS["CGCS2000_3_degree_Gauss_Kruger_CM_120E",GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137,298.257222101]],PRIMEM["Greenwich",0],UNIT["Degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],PARAMETER["latitude_of_origin",0],PARAMETER["central_meridian",120],PARAMETER["scale_factor",1],PARAMETER["false_easting",500000],PARAMETER["false_northing",0],UNIT["Meter",1.0]]',
    );
    expect(matchPrj(prj)?.crs).toBe('EPSG:4549');
    expect(
      esriWkt(
        'GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],TOWGS84[0,0,0]]]',
      ),
    ).toBe('GEOGCS["GCS_WGS_84",DATUM["D_WGS_1984",SPHEROID["WGS_84",6378137,298.257223563]]]');
  });

  it('refuses a geometry of another kind, naming the feature', () => {
    const wrong = {
      ...points,
      features: [
        {
          geometry: {
            type: 'LineString' as const,
            coordinates: [
              [0, 0],
              [1, 1],
            ],
          },
          values: ['x', 1],
        },
      ],
    };
    expect(() => writeShpShx(wrong)).toThrow(/第 1 个要素的字段 geometry.*a LineString in a point layer/);
  });
});

describe('GeoPackage', () => {
  it('writes the GP header with its envelope, then standard WKB', () => {
    const blob = geoPackageGeometry({ type: 'Polygon', coordinates: [square(1, 2, 3)] }, 4549);
    const view = new DataView(blob.buffer);
    expect(hex(blob.subarray(0, 4))).toBe('47500003'); // "GP", version 0, little-endian with an [x, y] envelope
    expect(view.getInt32(4, true)).toBe(4549);
    expect([8, 16, 24, 32].map((at) => view.getFloat64(at, true))).toEqual([1, 4, 2, 5]);
    expect([blob[40], view.getUint32(41, true), view.getUint32(45, true), view.getUint32(49, true)]).toEqual([
      1, 3, 1, 5,
    ]);
    expect(blob.length).toBe(40 + 1 + 4 + 4 + 4 + 5 * 16);
    expect(readGeoPackageGeometry(blob)).toEqual({ type: 'Polygon', coordinates: [square(1, 2, 3)] });
    const point = geoPackageGeometry({ type: 'Point', coordinates: [480_000, 3_050_000] }, 4549);
    expect(hex(point.subarray(0, 4))).toBe('47500001');
    expect(point.length).toBe(8 + 21);
  });

  it('writes the required tables, application id and version; the importer reads it back', async () => {
    const bytes = await writeGeoPackage(polygons, new Date('2026-12-07T08:00:00Z'));
    const SQL = await initSqlJs();
    const db = new SQL.Database(bytes);
    const one = (q: string) => db.exec(q)[0]!.values;
    expect(one('PRAGMA application_id')[0]![0]).toBe(GPKG_APPLICATION_ID);
    expect(one('PRAGMA user_version')[0]![0]).toBe(GPKG_USER_VERSION);
    expect(hex(bytes.subarray(68, 72))).toBe(hex(new TextEncoder().encode('GPKG')));
    expect(
      one('select srs_id, organization, organization_coordsys_id from gpkg_spatial_ref_sys order by srs_id'),
    ).toEqual([
      [-1, 'NONE', -1],
      [0, 'NONE', 0],
      [4326, 'EPSG', 4326],
      [4549, 'EPSG', 4549],
    ]);
    expect(
      one('select table_name, data_type, min_x, min_y, max_x, max_y, srs_id, last_change from gpkg_contents'),
    ).toEqual([['villages', 'features', 0, 0, 25, 10, 4549, '2026-12-07T08:00:00.000Z']]);
    expect(one('select * from gpkg_geometry_columns')).toEqual([['villages', 'geom', 'MULTIPOLYGON', 4549, 0, 0]]);
    expect(db.exec('PRAGMA foreign_key_check')).toEqual([]);
    db.close();
    const read = await readGeoPackage(bytes);
    expect(read.crs).toBe('EPSG:4549');
    expect(read.features).toHaveLength(1);
    expect(read.features[0]!.properties).toEqual({ 代码: '330329100201', 名称: '泰顺县' });
    // WKB polygons anticlockwise outside, clockwise holes.
    const mp = read.features[0]!.geometry as { coordinates: number[][][][] };
    expect(signedArea2(mp.coordinates[0]![0]!)).toBeGreaterThan(0);
    expect(signedArea2(mp.coordinates[0]![1]!)).toBeLessThan(0);
  });
});
