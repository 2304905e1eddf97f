import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { BACKENDS } from '../../../test/backends.js';
import { AppError } from '../../http/errors.js';
import { importLayer, type ImportRequest } from './import.js';
import { applyRoadClassChanges, readRoadClassMapping, writeRoadClassMapping } from './road-classes.js';
import { roadComponents } from './roads.js';
import { snapshotTables, useTestCountyDatabase } from './test-county.js';

type Line = { properties: Record<string, unknown>; coordinates: [number, number][] };
const roads = (lines: Line[]) =>
  Buffer.from(
    JSON.stringify({
      type: 'FeatureCollection',
      features: lines.map((l) => ({
        type: 'Feature',
        properties: l.properties,
        geometry: { type: 'LineString', coordinates: l.coordinates },
      })),
    }),
  );

describe.each(BACKENDS)('road networks on %s', (kind) => {
  const database = useTestCountyDatabase(kind);
  const run = async (request: Omit<ImportRequest, 'importedBy' | 'fileName' | 'layer' | 'crs'>) =>
    (
      await importLayer(database().db, {
        importedBy: 'test',
        layer: 'roads',
        fileName: 'roads.geojson',
        crs: 'wgs84',
        ...request,
      })
    ).report;
  const components = async () => {
    const edges = await sql<{ source: number; target: number }>`select source, target from road_edges`.execute(
      database().db,
    );
    return roadComponents(edges.rows).edgeCounts;
  };

  it('keeps a road running on into the next county whole, and refuses one wholly outside or reaching too far', async () => {
    // The county's east edge is at 120.0°: 0.1° of longitude is 9.9 km there.
    const crossing = {
      properties: { 行政等级: 'S' },
      coordinates: [
        [119.9, 27.55],
        [120.1, 27.55],
      ] as [number, number][],
    };
    // Most of the file lies in the county (its typical position decides the coordinate system check).
    const inside: Line[] = [0, 1, 2, 3].map((k) => ({
      properties: { 行政等级: 'Y' },
      coordinates: [
        [119.6 + k * 0.05, 27.4],
        [119.6 + k * 0.05, 27.45],
      ],
    }));
    const before = await snapshotTables(database().db);
    const rejected = await run({
      bytes: roads([
        ...inside,
        crossing,
        {
          properties: { 行政等级: 'X' },
          coordinates: [
            [121.0, 27.55],
            [121.1, 27.55],
          ],
        },
        {
          properties: { 行政等级: 'X' },
          coordinates: [
            [119.9, 27.6],
            [120.4, 27.6],
          ],
        },
      ]),
    });
    expect(rejected.accepted).toBe(false);
    expect(rejected.problems.filter((p) => p.severity === 'error')).toEqual([
      {
        index: 5,
        field: 'geometry',
        reason:
          "lies wholly outside county 330329 泰顺县, more than 20 km from it: a wrong coordinate system, or another county's road",
        severity: 'error',
      },
      {
        index: 6,
        field: 'geometry',
        reason: 'runs on more than 20 km beyond county 330329 泰顺县: cut it at 20 km',
        severity: 'error',
      },
    ]);
    expect(await snapshotTables(database().db)).toEqual(before);

    // The road goes on in a second piece wholly in the next county (5–8 km beyond the outline).
    const beyond: Line = {
      properties: { 行政等级: 'S' },
      coordinates: [
        [120.1, 27.55],
        [120.13, 27.56],
      ],
    };
    const accepted = await run({ bytes: roads([crossing, beyond]) });
    expect(accepted.accepted).toBe(true);
    expect(accepted.problems).toContainEqual({
      index: -1,
      field: 'geometry',
      reason:
        '1 line crosses the county outline, 1 line lies beyond it: kept whole (up to 20 km beyond the outline) for routing',
      severity: 'warning',
    });
    const stored = await sql<{ km: number; east: number }>`
      select round((ST_Length(geom::geography) / 1000)::numeric, 1)::float8 as km, ST_XMax(geom) as east
      from road_edges order by id`.execute(database().db);
    expect(stored.rows).toEqual([
      { km: 19.8, east: 120.1 },
      { km: 3.2, east: 120.13 },
    ]);
    expect(await components()).toEqual([2]);
  });

  it('appending a connector nodes it with the stored roads it crosses: two parts become one', async () => {
    const first = await run({
      bytes: roads([
        {
          properties: { 行政等级: 'X', 名称: 'A' },
          coordinates: [
            [119.6, 27.55],
            [119.8, 27.55],
          ],
        },
        {
          properties: { 行政等级: 'Y', 名称: 'B' },
          coordinates: [
            [119.6, 27.58],
            [119.7, 27.58],
            [119.8, 27.58],
          ],
        },
      ]),
    });
    expect(first.accepted).toBe(true);
    expect(await components()).toEqual([1, 1]);
    const climbs = await sql`update road_edges set climb_m = 100, descent_m = 40 where name = 'A'`.execute(
      database().db,
    );
    expect(Number(climbs.numAffectedRows)).toBe(1);

    // C crosses A between vertices and passes through B's vertex; a bridge D crosses A and is not joined.
    const appended = await run({
      bytes: roads([
        {
          properties: { 行政等级: 'C', 名称: 'C' },
          coordinates: [
            [119.7, 27.54],
            [119.7, 27.59],
          ],
        },
        {
          properties: { 行政等级: 'C', 名称: 'D', 桥梁: '是' },
          coordinates: [
            [119.65, 27.54],
            [119.65, 27.56],
          ],
        },
      ]),
    });
    expect(appended.accepted).toBe(true);
    expect(appended.problems).toContainEqual({
      index: -1,
      field: 'geometry',
      reason: '2 stored road edges were cut where the new lines meet them',
      severity: 'warning',
    });
    const edges = await sql<{ name: string; pieces: number; climb: number; descent: number | null; km: number }>`
      select name, count(*)::int as pieces, sum(climb_m)::float8 as climb, sum(descent_m)::float8 as descent,
        round((sum(ST_Length(geom::geography)) / 1000)::numeric, 2)::float8 as km
      from road_edges group by name order by name`.execute(database().db);
    expect(edges.rows).toEqual([
      { name: 'A', pieces: 2, climb: 100, descent: 40, km: 19.75 },
      { name: 'B', pieces: 2, climb: null, descent: null, km: 19.75 },
      { name: 'C', pieces: 3, climb: null, descent: null, km: 5.54 },
      { name: 'D', pieces: 1, climb: null, descent: null, km: 2.22 },
    ]);
    // A, B and C are one network; the bridge D meets nothing.
    expect(await components()).toEqual([7, 1]);
    const nodes = await sql<{ n: number }>`select count(*)::int as n from road_nodes`.execute(database().db);
    expect(nodes.rows[0]!.n).toBe(4 + 2 + 2 + 2);
  });

  it('the county road class mapping classes and costs imported roads, and changing it re-costs them', async () => {
    const report = await run({
      bytes: roads([
        {
          properties: { 行政等级: 'X', 名称: 'X101' },
          coordinates: [
            [119.6, 27.55],
            [119.7, 27.55],
          ],
        },
        {
          properties: { 行政等级: 'Y', 技术等级: '三级', 名称: 'Y201' },
          coordinates: [
            [119.7, 27.55],
            [119.8, 27.55],
          ],
        },
        {
          properties: { 行政等级: 'X', 限速: 55, 名称: 'X102' },
          coordinates: [
            [119.6, 27.56],
            [119.7, 27.56],
          ],
        },
        {
          properties: { class: 'village', 名称: 'V' },
          coordinates: [
            [119.6, 27.57],
            [119.7, 27.57],
          ],
        },
      ]),
    });
    expect(report.accepted).toBe(true);
    expect(report.problems.map((p) => p.reason)).toContain(
      'road class mapping of county 330329 (change it with county road-classes): G 国道 → county, usually 二级; S 省道 → county, usually 二级; X 县道 → county, usually 三级; Y 乡道 → township, usually 四级; C 村道 → village, usually 四级; Z 专用公路 → village, usually 四级; 高速 → county, 100 km/h; 一级 → county, 80 km/h; 二级 → county, 60 km/h; 三级 → township, 40 km/h; 四级 → village, 30 km/h; 等外 → village, 20 km/h',
    );
    const edges = async () =>
      (
        await sql<{ name: string; road_class: string; speed_kmh: number }>`
          select name, road_class, speed_kmh from road_edges order by name`.execute(database().db)
      ).rows;
    expect(await edges()).toEqual([
      { name: 'V', road_class: 'village', speed_kmh: 25 },
      { name: 'X101', road_class: 'county', speed_kmh: 40 },
      { name: 'X102', road_class: 'county', speed_kmh: 55 },
      { name: 'Y201', road_class: 'township', speed_kmh: 40 },
    ]);

    // 县道 usually 四级 here, and roads of 三级 are driven at 35: X101 and Y201 change; X102 keeps
    // the file's speed, V its class.
    const { mapping } = await readRoadClassMapping(database().db, '330329');
    const changed = applyRoadClassChanges(mapping, ['X=class4', 'class3=35', 'Y=county']);
    expect(await writeRoadClassMapping(database().db, '330329', changed, 'test')).toEqual({ edgesChanged: 2 });
    expect(await edges()).toEqual([
      { name: 'V', road_class: 'village', speed_kmh: 25 },
      { name: 'X101', road_class: 'county', speed_kmh: 30 },
      { name: 'X102', road_class: 'county', speed_kmh: 55 },
      { name: 'Y201', road_class: 'county', speed_kmh: 35 },
    ]);
    expect((await readRoadClassMapping(database().db, '330329')).own).toBe(true);

    // A later import follows the county's mapping.
    const more = await run({
      bytes: roads([
        {
          properties: { 行政等级: 'X', 名称: 'X103' },
          coordinates: [
            [119.6, 27.58],
            [119.7, 27.58],
          ],
        },
      ]),
    });
    expect(more.accepted).toBe(true);
    expect((await edges()).find((e) => e.name === 'X103')).toEqual({
      name: 'X103',
      road_class: 'county',
      speed_kmh: 30,
    });

    expect(() => applyRoadClassChanges(mapping, ['Q=class1'])).toThrow(AppError);
    expect(() => applyRoadClassChanges(mapping, ['class3=200'])).toThrow(/1 to 130/);
  });
});
