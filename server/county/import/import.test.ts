import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { BACKENDS } from '../../../test/backends.js';
import { importLayer, type ImportRequest } from './import.js';
import { fixture, snapshotTables, useTestCountyDatabase } from './test-county.js';

const bytes = (text: string) => new TextEncoder().encode(text);
const geoJson = (features: unknown[], crs?: string) =>
  bytes(
    JSON.stringify({
      type: 'FeatureCollection',
      ...(crs ? { crs: { type: 'name', properties: { name: crs } } } : {}),
      features,
    }),
  );

describe.each(BACKENDS)('importing on %s: what is refused, and what append and replace do', (kind) => {
  const database = useTestCountyDatabase(kind);
  const run = (request: Omit<ImportRequest, 'importedBy'>) =>
    importLayer(database().db, { importedBy: 'test', ...request }).then((outcome) => outcome.report);
  /** Run an import that must be rejected, and check that no table changed. */
  const rejected = async (request: Omit<ImportRequest, 'importedBy'>) => {
    const before = await snapshotTables(database().db);
    const report = await run(request);
    expect(report.accepted).toBe(false);
    expect(report.counts.imported).toBe(0);
    expect(await snapshotTables(database().db)).toEqual(before);
    return report;
  };

  it('rejects a broken GCJ-02 file as a whole: bow-tie, longitude 200, a malformed code', async () => {
    const report = await rejected({
      layer: 'villages',
      bytes: fixture('broken-villages.geojson'),
      fileName: 'broken-villages.geojson',
    });
    expect(report).toEqual({
      accepted: false,
      layer: 'villages',
      crs: 'gcj02',
      encoding: 'utf-8',
      counts: { features: 4, imported: 0, repaired: 0, rejected: 3 },
      problems: [
        {
          index: 1,
          code: '330329101204',
          field: 'geometry',
          reason:
            'invalid geometry (Self-intersection at 119.875, 27.55); not repaired, because repairing would split it into 2 polygons (as for a bow-tie): fix it in the source',
          severity: 'error',
        },
        {
          index: 2,
          code: '330329101205',
          field: 'geometry',
          reason: 'coordinates out of range: longitude 200 is not between -180 and 180',
          severity: 'error',
        },
        {
          index: 2,
          code: '330329101205',
          field: 'geometry',
          reason: 'wrong geometry type: expected Polygon or MultiPolygon, got Point',
          severity: 'error',
        },
        { index: 3, field: 'code', reason: 'expected a 12-digit village code, got "33032910120"', severity: 'error' },
      ],
    });
  });

  it('asks for the coordinate system when neither the file nor the caller names it', async () => {
    const report = await rejected({
      layer: 'households',
      bytes: fixture('households-outside.csv'),
      fileName: 'households-outside.csv',
    });
    expect(report).toEqual({
      accepted: false,
      layer: 'households',
      crs: null,
      encoding: 'utf-8',
      counts: { features: 2, imported: 0, repaired: 0, rejected: 0 },
      problems: [
        {
          index: -1,
          field: 'crs',
          reason:
            'the file does not say which coordinate system it is in: give crs (--crs on the command line) as wgs84, cgcs2000, gcj02, bd09 or EPSG:<code> (e.g. EPSG:4549, CGCS2000 3-degree Gauss–Krüger CM 120°E) (Chinese web maps: AMap and Tencent use gcj02, Baidu bd09)',
          severity: 'error',
        },
      ],
    });
  });

  it('refuses a projected coordinate system, one that contradicts the file, and polygons in CSV', async () => {
    const projected = await rejected({
      layer: 'stations',
      bytes: geoJson([], 'Local Gauss-Kruger'),
      fileName: 'x.geojson',
      crs: 'wgs84',
    });
    expect(projected.problems).toEqual([{ index: -1, reason: 'the file has no features', severity: 'error' }]);
    const mercator = await rejected({
      layer: 'stations',
      bytes: geoJson([{ type: 'Feature', properties: {}, geometry: null }], 'Local Gauss-Kruger'),
      fileName: 'x.geojson',
    });
    expect(mercator.problems).toEqual([
      {
        index: -1,
        field: 'crs',
        reason:
          '无法识别文件的坐标系，请用 crs 指定（the file\'s coordinate system "Local Gauss-Kruger" cannot be matched to an EPSG code: give crs as wgs84, cgcs2000, gcj02, bd09 or EPSG:<code> (e.g. EPSG:4549, CGCS2000 3-degree Gauss–Krüger CM 120°E)）',
        severity: 'error',
      },
    ]);
    const contradicted = await rejected({
      layer: 'villages',
      bytes: fixture('townships.geojson'),
      fileName: 'townships.geojson',
      crs: 'gcj02',
    });
    expect(contradicted.problems).toEqual([
      {
        index: -1,
        field: 'crs',
        reason:
          'the file says its coordinates are cgcs2000 ("urn:ogc:def:crs:EPSG::4490") but gcj02 was given: give crs=cgcs2000, or remove the file\'s "crs" member if the coordinates really are gcj02',
        severity: 'error',
      },
    ]);
    const csvTownships = await rejected({
      layer: 'townships',
      bytes: bytes('code,lon,lat\n330329102,119.55,27.55\n'),
      fileName: 'townships.csv',
      crs: 'wgs84',
    });
    expect(csvTownships.problems).toEqual([
      {
        index: -1,
        reason: 'a CSV file holds points only; give the townships as a Shapefile, GeoPackage or GeoJSON',
        severity: 'error',
      },
    ]);
  });

  it('rejects a household outside every village, naming its index', async () => {
    const report = await rejected({
      layer: 'households',
      bytes: fixture('households-outside.csv'),
      fileName: 'households-outside.csv',
      crs: 'wgs84',
    });
    expect(report.counts).toEqual({ features: 2, imported: 0, repaired: 0, rejected: 1 });
    expect(report.problems).toEqual([
      {
        index: 1,
        code: 'H102',
        field: 'village_code',
        reason: 'no village_code given, and the point is outside every village of county 330329',
        severity: 'error',
      },
    ]);
  });

  it('names each missing, mistyped, unknown or repeated field', async () => {
    const file = [
      'code,lon,lat,village,persons,disabled',
      'H1,119.65,27.55,,abc,',
      'H2,119.65,27.55,,2,5',
      'H3,119.65,27.55,330329101299,1,',
      'H3,119.65,27.55,不存在村,1,',
      ',119.65,27.55,,,',
    ].join('\n');
    const report = await rejected({ layer: 'households', bytes: bytes(file), fileName: 'h.csv', crs: 'cgcs2000' });
    expect(report.problems).toEqual(
      [
        {
          index: 0,
          code: 'H1',
          field: 'persons',
          reason: 'expected a whole number from 1 to 40, got "abc"',
          severity: 'error',
        },
        {
          index: 1,
          code: 'H2',
          field: 'disabled',
          reason: "5 is more than the household's 2 persons",
          severity: 'error',
        },
        { index: 3, code: 'H3', field: 'code', reason: 'duplicate code (also at #2)', severity: 'error' },
        {
          index: 2,
          code: 'H3',
          field: 'village_code',
          reason: 'unknown village "330329101299" in county 330329',
          severity: 'error',
        },
        {
          index: 3,
          code: 'H3',
          field: 'village_code',
          reason: 'unknown village "不存在村" in county 330329',
          severity: 'error',
        },
        { index: 4, field: 'code', reason: 'missing; expected the household code', severity: 'error' },
        { index: 4, field: 'persons', reason: 'missing; expected a whole number from 1 to 40', severity: 'error' },
      ].sort((a, b) => a.index - b.index),
    );
  });

  it('refuses a village under a township the county does not have', async () => {
    const report = await rejected({
      layer: 'villages',
      bytes: geoJson(
        [
          {
            type: 'Feature',
            properties: { code: '330329109201', name: '外村' },
            geometry: {
              type: 'Polygon',
              coordinates: [
                [
                  [119.8, 27.5],
                  [119.85, 27.5],
                  [119.85, 27.6],
                  [119.8, 27.5],
                ],
              ],
            },
          },
        ],
        'EPSG:4490',
      ),
      fileName: 'v.geojson',
    });
    expect(report.problems).toEqual([
      {
        index: 0,
        code: '330329109201',
        field: 'township_code',
        reason: 'unknown township "330329109" in county 330329',
        severity: 'error',
      },
    ]);
  });

  it('refuses features more than 1 km outside the county, and takes those within', async () => {
    const station = (code: string, lon: number) => ({
      type: 'Feature',
      properties: { code, name: code },
      geometry: { type: 'Point', coordinates: [lon, 27.55] },
    });
    // The county's west edge is at 119.5°; 0.005° is about 490 m there, 0.02° about 2 km.
    const report = await rejected({
      layer: 'stations',
      bytes: geoJson([station('PS-NEAR', 119.495), station('PS-FAR', 119.48)]),
      fileName: 's.geojson',
      crs: 'wgs84',
    });
    expect(report.problems).toEqual([
      {
        index: 1,
        code: 'PS-FAR',
        field: 'geometry',
        reason: 'lies more than 1 km outside county 330329 泰顺县',
        severity: 'error',
      },
    ]);
    const near = await run({
      layer: 'stations',
      bytes: geoJson([station('PS-NEAR', 119.495)]),
      fileName: 's.geojson',
      crs: 'wgs84',
    });
    expect(near.accepted).toBe(true);
  });

  it('repairs a spike (a safe repair) and says so as a warning', async () => {
    const spiked = [
      [119.5, 27.5],
      [119.6, 27.5],
      [119.6, 27.55],
      [119.62, 27.55],
      [119.6, 27.55],
      [119.6, 27.6],
      [119.5, 27.6],
      [119.5, 27.5],
    ];
    const report = await run({
      layer: 'townships',
      bytes: geoJson(
        [
          {
            type: 'Feature',
            properties: { code: '330329102', name: '司前畲族镇' },
            geometry: { type: 'Polygon', coordinates: [spiked] },
          },
        ],
        'EPSG:4326',
      ),
      fileName: 't.geojson',
    });
    expect(report).toEqual({
      accepted: true,
      layer: 'townships',
      crs: 'wgs84',
      encoding: 'utf-8',
      counts: { features: 1, imported: 1, repaired: 1, rejected: 0 },
      problems: [
        {
          index: 0,
          code: '330329102',
          field: 'geometry',
          reason:
            'invalid geometry (Self-intersection at 119.62, 27.55); repaired with ST_MakeValid (area changed by 0.00%)',
          severity: 'warning',
        },
      ],
    });
    const stored = await sql<{ valid: boolean; type: string; points: number }>`
      select ST_IsValid(geom) as valid, ST_GeometryType(geom) as type, ST_NPoints(geom) as points
      from townships where code = '330329102'`.execute(database().db);
    expect(stored.rows).toEqual([{ valid: true, type: 'ST_MultiPolygon', points: 6 }]);
  });

  it('refuses in append mode a code already in the database; replace mode replaces the layer', async () => {
    const first = await run({
      layer: 'households',
      bytes: fixture('households-gcj02.csv'),
      fileName: 'h.csv',
      crs: 'gcj02',
    });
    expect(first.accepted).toBe(true);
    const ids = await sql<{ code: string; id: number }>`select code, id from households order by code`.execute(
      database().db,
    );

    const again = await rejected({
      layer: 'households',
      bytes: fixture('households-gcj02.csv'),
      fileName: 'h.csv',
      crs: 'gcj02',
    });
    expect(again.problems.map((p) => [p.index, p.code, p.field, p.reason])).toEqual(
      ['H001', 'H002', 'H003'].map((code, index) => [
        index,
        code,
        'code',
        'code already in the database; mode "replace" replaces the county\'s households',
      ]),
    );

    const replacement = 'code,lon,lat,persons\nH001,119.65,27.55,4\nH004,119.75,27.55,1\n';
    const replaced = await run({
      layer: 'households',
      bytes: bytes(replacement),
      fileName: 'h2.csv',
      crs: 'wgs84',
      mode: 'replace',
    });
    expect(replaced.accepted).toBe(true);
    const rows = await sql<{ code: string; id: number; persons: number; village_code: string }>`
      select code, id, persons, village_code from households order by code`.execute(database().db);
    const h001 = ids.rows.find((r) => r.code === 'H001')!.id;
    expect(rows.rows).toEqual([
      { code: 'H001', id: h001, persons: 4, village_code: '330329101201' },
      { code: 'H004', id: expect.any(Number), persons: 1, village_code: '330329101202' },
    ]);
    const imports = await sql<{ file_name: string }>`select file_name from imports order by id`.execute(database().db);
    expect(imports.rows.map((r) => r.file_name)).toEqual(['h.csv', 'h2.csv']);
  });

  it('refuses to replace townships when that would delete villages with them', async () => {
    const report = await rejected({
      layer: 'townships',
      bytes: fixture('townships.geojson'),
      fileName: 'townships.geojson',
      mode: 'replace',
    });
    expect(report.problems).toEqual([
      {
        index: -1,
        code: '330329101',
        reason:
          'township 330329101 罗阳镇 is not in the file but has 2 villages, which replacing would delete: include it in the file, or replace the villages first',
        severity: 'error',
      },
    ]);
  });

  it('imports into the only county, or the one named; refuses when that is unclear', async () => {
    const station = geoJson([
      {
        type: 'Feature',
        properties: { code: 'PS1', name: '罗阳派出所' },
        geometry: { type: 'Point', coordinates: [119.7, 27.55] },
      },
    ]);
    const request = { layer: 'stations' as const, bytes: station, fileName: 's.geojson', crs: 'wgs84' as const };
    await expect(run({ ...request, countyCode: '330328' })).rejects.toThrow(
      'There is no county 330328 in the database.',
    );
    await sql`
      insert into counties (code, name, geom)
      values ('330328', '文成县', ST_Multi(ST_GeomFromText('POLYGON((119.9 27.7,120.3 27.7,120.3 28.0,119.9 28.0,119.9 27.7))', 4326)))`.execute(
      database().db,
    );
    await expect(run(request)).rejects.toThrow(
      'The database holds 2 counties (330328, 330329): say which one with county (--county on the command line).',
    );
    expect((await run({ ...request, countyCode: '330329' })).accepted).toBe(true);
    await sql`delete from counties`.execute(database().db);
    await expect(run(request)).rejects.toThrow(
      'There is no county in the database yet: create it first (county create --code CODE --name NAME, or POST /api/counties).',
    );
  });
});
