import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { encodingFromCpg } from './encoding.js';
import { readGeoPackageGeometry } from './geopackage.js';
import { FileReadError } from './parse.js';
import { guessCrs, matchPrj } from './prj.js';
import { readSourceFile } from './source.js';
import { gbk, PRJ_4549_ESRI, utf8, wkb, writeDbf, writeGeoPackage, writeShp, writeXlsx, zip } from './test-files.js';
import { MAX_ZIP_BYTES } from './zip.js';

const TAISHUN = { lon: 119.72, lat: 27.56 };
const SQUARE: [number, number][] = [
  [0, 0],
  [0, 10],
  [10, 10],
  [10, 0],
  [0, 0],
]; // clockwise: an outer ring
const HOLE: [number, number][] = [
  [2, 2],
  [4, 2],
  [4, 4],
  [2, 4],
  [2, 2],
]; // anticlockwise: a hole

function shapefileZip(options: { cpg?: string; encode?: (t: string) => Uint8Array; prj?: string; drop?: string } = {}) {
  const { shp, shx } = writeShp([{ polygon: [SQUARE, HOLE] }, { polygon: [SQUARE] }]);
  const dbf = writeDbf(
    [
      { 名称: '罗阳镇', 编码: '330329100' },
      { 名称: '所', 编码: '330329101' },
    ],
    options.encode ?? gbk,
  );
  const files: Record<string, Uint8Array | string> = { 'xzq/XZQ.shp': shp, 'xzq/XZQ.shx': shx, 'xzq/XZQ.dbf': dbf };
  if (options.cpg !== undefined) files['xzq/XZQ.cpg'] = options.cpg;
  if (options.prj !== undefined) files['xzq/XZQ.prj'] = options.prj;
  if (options.drop) delete files[`xzq/XZQ.${options.drop}`];
  return zip(files);
}

const read = (bytes: Uint8Array, fileName = 'upload.zip', table?: string) =>
  readSourceFile({ bytes, fileName, ...(table ? { table } : {}) });

describe('Shapefiles', () => {
  it('reads a zipped Shapefile: polygons with holes, GBK attributes named by the .cpg, the .prj matched', async () => {
    expect(new TextDecoder('gbk').decode(gbk('名称编码罗阳镇所'))).toBe('名称编码罗阳镇所');
    const parsed = await read(shapefileZip({ cpg: '936', prj: PRJ_4549_ESRI }));
    expect(parsed.format).toBe('shapefile');
    expect(parsed.encoding).toBe('gbk');
    expect(parsed.encodingSource).toBe('cpg');
    expect(parsed.declaredCrs).toBe('EPSG:4549');
    expect(parsed.declaredCrsHow).toMatch(/central meridian 120° and false easting 500000/);
    expect(parsed.features.map((f) => f.properties)).toEqual([
      { 名称: '罗阳镇', 编码: '330329100' },
      { 名称: '所', 编码: '330329101' },
    ]);
    expect(parsed.features[0]!.geometry).toEqual({ type: 'Polygon', coordinates: [SQUARE, HOLE] });
    expect(parsed.problems.items).toEqual([]);
  });

  it('detects GBK without a .cpg, and UTF-8 when the bytes are UTF-8', async () => {
    expect((await read(shapefileZip())).encoding).toBe('gb18030');
    const utf = await read(shapefileZip({ encode: utf8 }));
    expect(utf.encoding).toBe('utf-8');
    expect(utf.encodingSource).toBe('detected');
    expect(utf.features[0]!.properties.名称).toBe('罗阳镇');
    expect(encodingFromCpg('UTF-8')).toBe('utf-8');
    expect(encodingFromCpg('GB18030')).toBe('gb18030');
  });

  it('has no system without a .prj, and names an unmatched .prj', async () => {
    expect((await read(shapefileZip())).declaredCrs).toBeUndefined();
    const odd = await read(shapefileZip({ prj: 'PROJCS["Local grid",GEOGCS["Mystery"],PROJECTION["Lambert"]]' }));
    expect(odd.declaredCrs).toBeNull();
    expect(odd.declaredCrsName).toBe('Local grid (.prj)');
  });

  it('refuses a zip without a .dbf, warns without a .shx', async () => {
    await expect(read(shapefileZip({ drop: 'dbf' }))).rejects.toThrow(/缺少 \.dbf.*no \.dbf attribute table/);
    const noShx = await read(shapefileZip({ drop: 'shx' }));
    expect(noShx.features).toHaveLength(2);
    expect(noShx.problems.items).toEqual([
      expect.objectContaining({
        index: -1,
        field: 'shx',
        severity: 'warning',
        reason: expect.stringMatching(/no \.shx/),
      }),
    ]);
  });

  it('reports a truncated .shp and a header declaring 2 GB, reading what is there', async () => {
    const { shp, shx } = writeShp([{ point: [1, 2] }, { point: [3, 4] }]);
    const dbf = writeDbf([{ 编码: 'A' }, { 编码: 'B' }], utf8);
    const truncated = await read(zip({ 'a.shp': shp.subarray(0, shp.length - 6), 'a.shx': shx, 'a.dbf': dbf }));
    expect(truncated.features.map((f) => f.geometry)).toEqual([{ type: 'Point', coordinates: [1, 2] }, undefined]);
    expect(truncated.problems.items.map((p) => [p.index, p.severity, p.reason.slice(0, 40)])).toEqual([
      [-1, 'error', expect.stringContaining('.shp 文件头声明')],
      [1, 'error', expect.stringContaining('.shp 记录被截断')],
    ]);
    const huge = new Uint8Array(shp);
    new DataView(huge.buffer).setInt32(24, 1_073_741_823, false); // 2 GB in 16-bit words
    const claimed = await read(zip({ 'a.shp': huge, 'a.shx': shx, 'a.dbf': dbf }));
    expect(claimed.features).toHaveLength(2);
    expect(claimed.problems.items[0]!.reason).toMatch(/declares 2147483646 bytes but the file has 156: truncated/);
    // A record whose part count would need gigabytes is refused without allocating it.
    const { shp: poly } = writeShp([{ polygon: [SQUARE] }]);
    new DataView(poly.buffer).setInt32(100 + 8 + 40, 200_000_000, true);
    const bad = await read(zip({ 'a.shp': poly, 'a.dbf': writeDbf([{ 编码: 'A' }], utf8) }));
    expect(bad.problems.items.find((p) => p.index === 0)?.reason).toMatch(/declares 1 parts and 200000000 points/);
    await expect(read(zip({ 'a.shp': shp.subarray(0, 50), 'a.dbf': dbf }))).rejects.toThrow(
      /shorter than its 100-byte header/,
    );
  });

  it('reports each record whose type is not the header’s (mixed geometry types)', async () => {
    const { shp, shx } = writeShp([
      { point: [1, 2] },
      {
        line: [
          [0, 0],
          [1, 1],
        ],
      },
      null,
    ]);
    const parsed = await read(
      zip({ 'a.shp': shp, 'a.shx': shx, 'a.dbf': writeDbf([{ a: '1' }, { a: '2' }, { a: '3' }], utf8) }),
    );
    expect(parsed.features.map((f) => f.geometry)).toEqual([{ type: 'Point', coordinates: [1, 2] }, undefined, null]);
    expect(parsed.problems.items).toEqual([
      expect.objectContaining({
        index: 1,
        field: 'geometry',
        reason: expect.stringMatching(/mixed geometry types: the record is a PolyLine but the header says Point/),
      }),
    ]);
  });

  it('reports a .dbf shorter than it declares, and a count that differs from the .shp', async () => {
    const { shp, shx } = writeShp([{ point: [1, 2] }, { point: [3, 4] }]);
    const dbf = writeDbf([{ 编码: 'A' }, { 编码: 'B' }], utf8);
    const parsed = await read(zip({ 'a.shp': shp, 'a.shx': shx, 'a.dbf': dbf.subarray(0, dbf.length - 3) }));
    expect(parsed.problems.items.map((p) => p.reason)).toEqual([
      expect.stringMatching(/declares 2 records but holds 1/),
      expect.stringMatching(/holds 2 shapes but the \.dbf 1 records/),
    ]);
  });
});

describe('hostile zips', () => {
  it('refuses member names that climb out of the archive', async () => {
    const { shp } = writeShp([{ point: [1, 2] }]);
    await expect(read(zip({ '../../etc/a.shp': shp }))).rejects.toThrow(/points outside the archive/);
    await expect(read(zip({ '/abs/a.shp': shp }))).rejects.toThrow(FileReadError);
  });

  it('refuses a zip that declares more than the limit once inflated (a zip bomb), without inflating it', async () => {
    const bomb = zipSync({ 'a.shp': new Uint8Array(1024), 'a.dbf': new Uint8Array(1024) });
    // Patch the central directory's uncompressed size of the first member to 2 GB.
    const view = new DataView(bomb.buffer, bomb.byteOffset, bomb.byteLength);
    for (let at = bomb.length - 22; at >= 0; at--) {
      if (view.getUint32(at, true) === 0x02014b50) {
        view.setUint32(at + 24, 0x7fffffff, true);
        break;
      }
    }
    await expect(read(bomb)).rejects.toThrow(
      new RegExp(`more than ${MAX_ZIP_BYTES / 1024 / 1024} MiB: refused as a possible zip bomb`),
    );
  });

  it('refuses bytes that are not a zip at all, in Chinese and English', async () => {
    await expect(read(Uint8Array.from([0x50, 0x4b, 3, 4, 0, 0]))).rejects.toThrow(
      /压缩包已损坏.*the zip cannot be read/,
    );
  });
});

describe('GeoPackages', () => {
  it('reads a feature table: attributes, WKB geometries, the system from its SRS row', async () => {
    const bytes = await writeGeoPackage({
      table: 'CJDCQ',
      srsId: 4549,
      rows: [
        {
          properties: { ZLDWDM: '330329100001', ZLDWMC: '东门村' },
          wkb: wkb({
            ring: [
              [472000, 3050000],
              [472000, 3051000],
              [473000, 3051000],
              [472000, 3050000],
            ],
          }),
        },
        { properties: { ZLDWDM: '330329100002', ZLDWMC: '西门村' }, wkb: null },
      ],
    });
    const parsed = await read(bytes, 'cjdcq.gpkg');
    expect(parsed.format).toBe('geopackage');
    expect(parsed.table).toBe('CJDCQ');
    expect(parsed.declaredCrs).toBe('EPSG:4549');
    expect(parsed.features.map((f) => f.properties)).toEqual([
      { ZLDWDM: '330329100001', ZLDWMC: '东门村' },
      { ZLDWDM: '330329100002', ZLDWMC: '西门村' },
    ]);
    expect(parsed.features[0]!.geometry).toEqual({
      type: 'Polygon',
      coordinates: [
        [
          [472000, 3050000],
          [472000, 3051000],
          [473000, 3051000],
          [472000, 3050000],
        ],
      ],
    });
    expect(parsed.features[1]!.geometry).toBeNull();
  });

  it('asks which table when there are several, and refuses a damaged file or blob', async () => {
    const rows = [{ properties: { a: 1 }, wkb: wkb({ point: [1, 2] }) }];
    const two = await writeGeoPackage({ table: 'XZQ', srsId: 4490, rows, extraTables: ['CJDCQ'] });
    await expect(read(two, 'a.gpkg')).rejects.toThrow(/holds 2 feature tables: CJDCQ, XZQ; say which with table/);
    expect((await read(two, 'a.gpkg', 'XZQ')).declaredCrs).toBe('cgcs2000');
    const damaged = new Uint8Array(two);
    damaged.fill(0xff, 100, 4000);
    await expect(read(damaged, 'a.gpkg')).rejects.toThrow(FileReadError);
    expect(() =>
      readGeoPackageGeometry(Uint8Array.from([0x47, 0x50, 0, 1, 0, 0, 0, 0, 1, 3, 0, 0, 0, 255, 255, 255, 127])),
    ).toThrow(/declares 2147483647 items but is shorter/);
  });
});

describe('XLSX', () => {
  it('reads a sheet with a title row, Chinese headers, numbers as text and formulas by their saved value', async () => {
    const bytes = await writeXlsx([
      ['泰顺县派出所一览表'],
      ['编码', '名称', '经度', '纬度', '民警数'],
      ['S1', '罗阳派出所', '119.72', '27.56', { formula: '2+3', result: 5 }],
      ['S2', '司前派出所', 119.6, 27.5, '4'],
      [],
    ]);
    const parsed = await read(bytes, 'stations.xlsx');
    expect(parsed.format).toBe('xlsx');
    expect(parsed.coordinateColumns).toEqual(['经度', '纬度']);
    expect(parsed.features.map((f) => [f.properties, f.geometry])).toEqual([
      [
        { 编码: 'S1', 名称: '罗阳派出所', 民警数: 5 },
        { type: 'Point', coordinates: [119.72, 27.56] },
      ],
      [
        { 编码: 'S2', 名称: '司前派出所', 民警数: '4' },
        { type: 'Point', coordinates: [119.6, 27.5] },
      ],
    ]);
    expect(parsed.problems.items).toEqual([]);
  });

  it('reports a formula saved without a value, by row and column', async () => {
    const bytes = await writeXlsx([
      ['编码', '经度', '纬度', '民警数'],
      ['S1', 119.72, 27.56, { formula: 'B2*2' }],
    ]);
    const parsed = await read(bytes, 'stations.xlsx');
    expect(parsed.problems.items).toEqual([
      expect.objectContaining({
        index: 0,
        field: '民警数',
        reason: expect.stringMatching(/a formula cell with no saved value/),
      }),
    ]);
  });

  it('takes x/y columns, swapping them when X holds the northing (as surveyors write it)', async () => {
    const bytes = await writeXlsx([
      ['编号', 'X坐标', 'Y坐标'],
      ['H1', 3050000, 40472000],
    ]);
    const parsed = await read(bytes, 'h.xlsx');
    expect(parsed.features[0]!.geometry).toEqual({ type: 'Point', coordinates: [40472000, 3050000] });
    expect(parsed.problems.items[0]).toMatchObject({
      severity: 'warning',
      reason: expect.stringMatching(/holds northings/),
    });
  });

  it('refuses a sheet without coordinate columns and a zip that is no workbook', async () => {
    await expect(read(await writeXlsx([['编码', '名称']]), 'a.xlsx')).rejects.toThrow(
      /has no header row with longitude\/latitude/,
    );
    await expect(read(zip({ 'a.txt': 'x' }), 'a.xlsx')).rejects.toThrow(/not an \.xlsx workbook/);
  });
});

describe('CSV encodings', () => {
  it('reads a GBK CSV (Excel on Chinese Windows) and says so', async () => {
    const bytes = Uint8Array.from([...gbk('名称,lon,lat\n'), ...gbk('罗阳镇,119.7,27.5\n')]);
    const parsed = await read(bytes, 'a.csv');
    expect(parsed.encoding).toBe('gb18030');
    expect(parsed.features[0]!.properties).toEqual({ 名称: '罗阳镇' });
  });
});

describe('.prj and coordinate guesses', () => {
  it('matches WKT by EPSG authority, by Gauss–Krüger parameters, by datum', () => {
    expect(
      matchPrj(
        'PROJCS["CGCS2000 / 3-degree Gauss-Kruger zone 40",GEOGCS["China Geodetic Coordinate System 2000"],AUTHORITY["EPSG","4528"]]',
      )?.crs,
    ).toBe('EPSG:4528');
    expect(matchPrj(PRJ_4549_ESRI)?.crs).toBe('EPSG:4549');
    expect(matchPrj(PRJ_4549_ESRI.replace('500000.0', '40500000.0'))?.crs).toBe('EPSG:4528');
    expect(matchPrj(PRJ_4549_ESRI.replace(/China_2000|China_Geodetic_Coordinate_System_2000/g, 'Xian_1980'))?.crs).toBe(
      'EPSG:2385',
    );
    expect(matchPrj('GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000"]]')?.crs).toBe('cgcs2000');
    expect(matchPrj('GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984"]]')?.crs).toBe('wgs84');
  });

  it('names the likely system of coordinates that do not fit the county', () => {
    expect(guessCrs(40_472_000, 3_050_000, TAISHUN)).toMatch(
      /probably EPSG:4528 \(CGCS2000 \/ 3-degree Gauss-Kruger zone 40\)/,
    );
    expect(guessCrs(472_000, 3_050_000, TAISHUN)).toMatch(
      /probably EPSG:4549 \(CGCS2000 \/ 3-degree Gauss-Kruger CM 120E/,
    );
    expect(guessCrs(20_472_000, 3_050_000, TAISHUN)).toMatch(/6-degree zone 20: probably EPSG:4498/);
    expect(guessCrs(27.56, 119.72, TAISHUN)).toMatch(/latitude, longitude in the wrong order/);
    expect(guessCrs(116.4, 39.9, TAISHUN)).toMatch(/GCJ-02 and BD-09 differ from WGS84 by only a few hundred metres/);
  });
});
