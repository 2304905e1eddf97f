import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { BACKENDS } from '../../../test/backends.js';
import { gcj02ToBd09, wgs84ToGcj02 } from './crs.js';
import { importLayer, type ImportRequest } from './import.js';
import { previewFile } from './preview.js';
import { snapshotTables, useTestCountyDatabase } from './test-county.js';
import { gbk, PRJ_4549_ESRI, writeDbf, writeShp, writeXlsx, zip } from './test-files.js';

// The stations of fixtures/stations.csv, in WGS84.
const STATIONS: { code: string; name: string; lon: number; lat: number }[] = [
  { code: 'PS01', name: '罗阳所', lon: 119.72, lat: 27.55 },
  { code: 'PS02', name: '所', lon: 119.55, lat: 27.55 },
];

describe.each(BACKENDS)('importing Shapefiles and workbooks in other systems on %s', (kind) => {
  const database = useTestCountyDatabase(kind);
  const run = (request: Omit<ImportRequest, 'importedBy'>) =>
    importLayer(database().db, { importedBy: 'test', ...request }).then((outcome) => outcome.report);

  /** The stations projected to EPSG:4549 by PostGIS, as a county's survey office would hand them over. */
  async function projected(eastingOffset = 0): Promise<[number, number][]> {
    const rows = await Promise.all(
      STATIONS.map(async ({ lon, lat }) => {
        const result = await sql<{ x: number; y: number }>`
          select ST_X(p) as x, ST_Y(p) as y from (select ST_Transform(ST_SetSRID(ST_MakePoint(${lon}::float8, ${lat}::float8), 4326), 4549) as p) q`.execute(
          database().db,
        );
        return [result.rows[0]!.x + eastingOffset, result.rows[0]!.y] as [number, number];
      }),
    );
    return rows;
  }

  async function stationShapefile(options: { prj?: boolean; eastingOffset?: number } = {}) {
    const points = await projected(options.eastingOffset);
    const { shp, shx } = writeShp(points.map((point) => ({ point })));
    const dbf = writeDbf(
      STATIONS.map(({ code, name }) => ({ code, 名称: name })),
      gbk,
    );
    return zip({
      'PCS.shp': shp,
      'PCS.shx': shx,
      'PCS.dbf': dbf,
      'PCS.cpg': '936',
      ...(options.prj === false ? {} : { 'PCS.prj': PRJ_4549_ESRI }),
    });
  }

  it('previews a GBK Shapefile in CGCS2000 Gauss–Krüger: format, encoding, system from the .prj, mapping, WGS84 sample', async () => {
    const before = await snapshotTables(database().db);
    const preview = await previewFile(database().db, {
      layer: 'stations',
      bytes: await stationShapefile(),
      fileName: 'PCS.zip',
    });
    expect(preview).toMatchObject({
      format: 'shapefile',
      encoding: 'gbk',
      encodingSource: 'cpg',
      crs: 'EPSG:4549',
      featureCount: 2,
      problems: [],
    });
    expect(preview.crsSource).toMatch(/central meridian 120°/);
    expect(preview.fieldMapping.fields.find((f) => f.field === 'code')?.column).toBe('code');
    expect(preview.fieldMapping.fields.find((f) => f.field === 'name')?.column).toBe('名称');
    const [lon, lat] = (preview.sample.features[0]!.geometry as { coordinates: number[] }).coordinates;
    expect(Math.abs(lon! - 119.72)).toBeLessThan(1e-7);
    expect(Math.abs(lat! - 27.55)).toBeLessThan(1e-7);
    expect(await snapshotTables(database().db)).toEqual(before);
  });

  it('imports it, transformed by PostGIS, the encoding reported', async () => {
    const report = await run({
      layer: 'stations',
      bytes: await stationShapefile(),
      fileName: 'PCS.zip',
      mode: 'replace',
    });
    expect(report).toMatchObject({ accepted: true, crs: 'EPSG:4549', encoding: 'gbk', problems: [] });
    const rows = await sql<{ code: string; name: string; lon: number; lat: number }>`
      select code, name, ST_X(geom) as lon, ST_Y(geom) as lat from police_stations order by code`.execute(
      database().db,
    );
    expect(rows.rows.map((r) => [r.code, r.name])).toEqual(STATIONS.map((s) => [s.code, s.name]));
    rows.rows.forEach((row, i) => {
      expect(Math.abs(row.lon - STATIONS[i]!.lon)).toBeLessThan(1e-7);
      expect(Math.abs(row.lat - STATIONS[i]!.lat)).toBeLessThan(1e-7);
    });
  });

  it('names the likely system when the coordinates do not fit the one given, and writes nothing', async () => {
    const before = await snapshotTables(database().db);
    const wgs = await run({
      layer: 'stations',
      bytes: await stationShapefile({ prj: false }),
      fileName: 'PCS.zip',
      crs: 'wgs84',
    });
    expect(wgs.accepted).toBe(false);
    expect(wgs.problems).toEqual([
      expect.objectContaining({
        index: -1,
        field: 'crs',
        reason: expect.stringMatching(/wrong coordinate system\?.*probably EPSG:4549/),
      }),
    ]);
    const zoned = await run({
      layer: 'stations',
      bytes: await stationShapefile({ prj: false, eastingOffset: 40_000_000 }),
      fileName: 'PCS.zip',
      crs: 'EPSG:4549',
    });
    // PROJ cannot even transform eastings 40 000 km off the meridian: both that and the likely system are said.
    expect(zoned.problems.map((p) => p.reason)).toEqual([
      expect.stringMatching(/the coordinates cannot be transformed from EPSG:4549/),
      expect.stringMatching(/are not positions on Earth; .*probably EPSG:4528/),
    ]);
    const unknown = await run({
      layer: 'stations',
      bytes: await stationShapefile({ prj: false }),
      fileName: 'PCS.zip',
      crs: 'EPSG:999999',
    });
    expect(unknown.problems[0]!.reason).toMatch(/EPSG:999999 is not a coordinate system PostGIS knows/);
    expect(await snapshotTables(database().db)).toEqual(before);
  });

  it('imports an XLSX of BD-09 points with a column mapped by hand', async () => {
    const rows = STATIONS.map(({ code, name, lon, lat }) => [code, name, ...gcj02ToBd09(wgs84ToGcj02([lon, lat]))]);
    const bytes = await writeXlsx([['单位编号', '所名', '经度', '纬度'], ...rows]);
    const report = await run({
      layer: 'stations',
      bytes,
      fileName: 'stations.xlsx',
      crs: 'bd09',
      mode: 'replace',
      fields: { 单位编号: 'code', 所名: 'name' },
    });
    expect(report).toMatchObject({ accepted: true, crs: 'bd09', encoding: 'utf-8' });
    const stored = await sql<{ lon: number; lat: number }>`
      select ST_X(geom) as lon, ST_Y(geom) as lat from police_stations where code = 'PS01'`.execute(database().db);
    expect(Math.abs(stored.rows[0]!.lon - 119.72)).toBeLessThan(1e-7);
    expect(Math.abs(stored.rows[0]!.lat - 27.55)).toBeLessThan(1e-7);
  });
});
