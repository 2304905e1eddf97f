import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { BACKENDS } from '../../../test/backends.js';
import { countyReadiness } from '../readiness.js';
import { countyStats } from '../stats.js';
import { importLayer, type ImportRequest } from './import.js';
import { ROAD_OFFSET_METRES } from './place-households.js';
import { rectangle, TEST_TOWNSHIP, useTestCountyDatabase } from './test-county.js';
import { writeXlsx } from './test-files.js';

// A third village beside the test county's two: 西岭村 has no roads, so its households go on a spiral.
const WEST_RIDGE = { code: '330329101203', name: '西岭村', wkt: rectangle(119.8, 27.5, 119.9, 27.6) };

const road = (name: string, coordinates: [number, number][]) => ({
  type: 'Feature',
  properties: { road_class: '村道', name },
  geometry: { type: 'LineString', coordinates },
});
// 东门村 (119.6–119.7): one road; 城东社区 (119.7–119.8): two crossing roads.
const ROADS = JSON.stringify({
  type: 'FeatureCollection',
  features: [
    road('东门路', [
      [119.62, 27.52],
      [119.65, 27.55],
      [119.68, 27.55],
    ]),
    road('城东路', [
      [119.72, 27.55],
      [119.78, 27.55],
    ]),
    road('城北路', [
      [119.75, 27.51],
      [119.75, 27.59],
    ]),
  ],
});

// No coordinate columns: a village by code or by name, a 门牌 for some.
const HOUSEHOLDS = [
  '户号,村,门牌,人口',
  'H1,330329101201,东门3号,3',
  'H2,东门村,东门12号,2',
  'H3,330329101201,东门1号,4',
  'H4,东门村,,1',
  'H5,330329101202,,2',
  'H6,城东社区,,3',
  'H7,城东社区,,5',
  'H8,330329101202,,2',
  'H9,城东社区,,1',
  'H10,西岭村,,2',
  'H11,330329101203,,3',
  'H12,西岭村,,4',
].join('\n');

describe.each(BACKENDS)('households without coordinates on %s', (kind) => {
  const database = useTestCountyDatabase(kind);
  const run = async (request: Omit<ImportRequest, 'importedBy'>) =>
    (await importLayer(database().db, { importedBy: 'test', ...request })).report;
  const seed = async () => {
    const db = database().db;
    await sql`
      insert into villages (code, township_code, name, kind, centre, geom)
      values (${WEST_RIDGE.code}, ${TEST_TOWNSHIP.code}, ${WEST_RIDGE.name}, 'village',
        ST_PointOnSurface(ST_GeomFromText(${WEST_RIDGE.wkt}, 4326)), ST_Multi(ST_GeomFromText(${WEST_RIDGE.wkt}, 4326)))`.execute(
      db,
    );
    const roads = await run({ layer: 'roads', bytes: Buffer.from(ROADS), fileName: 'roads.geojson', crs: 'wgs84' });
    expect(roads.accepted).toBe(true);
  };
  const positions = async () =>
    (
      await sql<{ code: string; village_code: string; estimated: boolean; lon: number; lat: number }>`
        select code, village_code, estimated, ST_X(geom) as lon, ST_Y(geom) as lat from households order by code`.execute(
        database().db,
      )
    ).rows;

  it('places each household along its own village’s roads, flagged estimated, the same way twice', async () => {
    await seed();
    const db = database().db;
    const report = await run({ layer: 'households', bytes: Buffer.from(HOUSEHOLDS), fileName: 'households.csv' });
    expect(report).toMatchObject({
      accepted: true,
      crs: 'wgs84',
      counts: { features: 12, imported: 12, rejected: 0, estimated: 12 },
      problems: [],
    });

    const placed = await sql<{ code: string; village_code: string; inside: boolean; road_metres: number | null }>`
      select h.code, h.village_code, ST_Covers(v.geom, h.geom) as inside,
        (select min(ST_Distance(h.geom::geography, r.geom::geography)) from road_edges r
         where ST_Intersects(r.geom, v.geom)) as road_metres
      from households h join villages v on v.code = h.village_code order by h.code`.execute(db);
    expect(placed.rows.map((r) => [r.code, r.village_code, r.inside])).toEqual([
      ['H1', '330329101201', true],
      ['H10', '330329101203', true],
      ['H11', '330329101203', true],
      ['H12', '330329101203', true],
      ['H2', '330329101201', true],
      ['H3', '330329101201', true],
      ['H4', '330329101201', true],
      ['H5', '330329101202', true],
      ['H6', '330329101202', true],
      ['H7', '330329101202', true],
      ['H8', '330329101202', true],
      ['H9', '330329101202', true],
    ]);
    for (const row of placed.rows.filter((r) => r.village_code !== WEST_RIDGE.code)) {
      // ROAD_OFFSET_METRES off its own line (up to 0.5 m off in the placing's flat local frame);
      // nearer where it sits by a bend or a crossing road.
      expect(Number(row.road_metres)).toBeGreaterThan(1);
      expect(Number(row.road_metres)).toBeLessThan(ROAD_OFFSET_METRES + 0.5);
    }
    // 西岭村 has no roads: a spiral within 30 m of its centre.
    const spiral = await sql<{ metres: number }>`
      select ST_Distance(h.geom::geography, ST_PointOnSurface(v.geom)::geography) as metres
      from households h join villages v on v.code = h.village_code where v.code = ${WEST_RIDGE.code}`.execute(db);
    expect(spiral.rows).toHaveLength(3);
    for (const { metres } of spiral.rows) expect(Number(metres)).toBeLessThan(30);

    const first = await positions();
    expect(first.every((h) => h.estimated)).toBe(true);
    // Ordered by 门牌 along 东门路: 东门1号 (H3), 3号 (H1), 12号 (H2), then H4 without one.
    const alongEastGate = ['H3', 'H1', 'H2', 'H4'].map((code) => first.find((h) => h.code === code)!.lon);
    expect([...alongEastGate].sort((a, b) => a - b)).toEqual(alongEastGate);

    const stats = await countyStats(db, '330329');
    expect(Number(stats.estimatedHouseholds)).toBe(12);
    expect(Number(stats.estimatedShare)).toBe(1);

    const again = await run({
      layer: 'households',
      bytes: Buffer.from(HOUSEHOLDS),
      fileName: 'households.csv',
      mode: 'replace',
    });
    expect(again.accepted).toBe(true);
    expect(await positions()).toEqual(first);
  });

  it('keeps a row’s own coordinates (not estimated), reports the share, and names a village that matches none', async () => {
    await seed();
    const db = database().db;
    const mixed = ['code,village,lon,lat,persons', 'A1,东门村,119.65,27.56,2', 'A2,东门村,,,3', 'A3,城东社区,,,1'].join(
      '\n',
    );
    const report = await run({ layer: 'households', bytes: Buffer.from(mixed), fileName: 'mixed.csv', crs: 'wgs84' });
    expect(report).toMatchObject({ accepted: true, counts: { features: 3, imported: 3, estimated: 2 } });
    const rows = await positions();
    expect(rows.find((h) => h.code === 'A1')).toEqual({
      code: 'A1',
      village_code: '330329101201',
      estimated: false,
      lon: 119.65,
      lat: 27.56,
    });
    expect(rows.filter((h) => h.estimated).map((h) => h.code)).toEqual(['A2', 'A3']);
    const readiness = await countyReadiness(db, '330329');
    expect(readiness.layers.find((l) => l.layer === 'households')?.estimatedShare).toBeCloseTo(2 / 3, 10);

    // The same from a workbook with a title row and no coordinate columns, and from GeoJSON with null geometries.
    const workbook = await writeXlsx([['东门村住户'], ['户号', '所属村', '门牌', '人口'], ['X1', '东门村', '5号', 2]]);
    const fromXlsx = await run({ layer: 'households', bytes: workbook, fileName: 'households.xlsx' });
    expect(fromXlsx).toMatchObject({ accepted: true, counts: { features: 1, estimated: 1 } });
    const geojson = JSON.stringify({
      type: 'FeatureCollection',
      features: [{ type: 'Feature', properties: { code: 'G1', village: '西岭村', persons: 1 }, geometry: null }],
    });
    const fromGeoJson = await run({ layer: 'households', bytes: Buffer.from(geojson), fileName: 'h.geojson' });
    expect(fromGeoJson).toMatchObject({ accepted: true, counts: { features: 1, estimated: 1 } });
    expect((await positions()).filter((h) => h.estimated).map((h) => h.code)).toEqual(['A2', 'A3', 'G1', 'X1']);

    const unknown = ['户号,村,人口', 'B1,东门村,2', 'B2,北山村,3'].join('\n');
    const refused = await run({ layer: 'households', bytes: Buffer.from(unknown), fileName: 'unknown.csv' });
    expect(refused.accepted).toBe(false);
    expect(refused.problems).toEqual([
      {
        index: 1,
        code: 'B2',
        field: 'village_code',
        reason: 'unknown village "北山村" in county 330329',
        severity: 'error',
      },
    ]);
    const neither = ['户号,人口', 'C1,2'].join('\n');
    const noVillage = await run({ layer: 'households', bytes: Buffer.from(neither), fileName: 'neither.csv' });
    expect(noVillage.problems).toEqual([
      {
        index: 0,
        code: 'C1',
        field: 'village_code',
        reason: 'no coordinates and no village: give lon/lat (or x/y), or a village code or name',
        severity: 'error',
      },
    ]);
  });
});
