import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { BACKENDS } from '../../../test/backends.js';
import { createHoliday, readZonesAndStations } from '../../holidays/repository.js';
import { HolidayService } from '../../holidays/service.js';
import { PolicingService } from '../../policing/service.js';
import { RoadRouting } from '../../routing/service.js';
import { countyReadiness } from '../readiness.js';
import { importLayer, type ImportRequest } from './import.js';
import { fixture, snapshotTables, useTestCountyDatabase } from './test-county.js';

const text = (body: string) => Buffer.from(body, 'utf8');

/** A road along 27.55° N through both test villages' centres (119.65 and 119.75° E). */
const ROAD = JSON.stringify({
  type: 'FeatureCollection',
  features: [
    {
      type: 'Feature',
      properties: { 行政等级: 'X', 名称: 'X101' },
      geometry: {
        type: 'LineString',
        coordinates: [
          [119.64, 27.55],
          [119.7, 27.55],
          [119.76, 27.55],
        ],
      },
    },
  ],
});

const BUS_STOPS = [
  '站点名称,线路,所属村,经度,纬度',
  '东门站,1路、2路,,119.652,27.5501',
  '城东站,1路,城东社区,119.70,27.5499',
  '岭头站,2路,,119.98,27.79',
].join('\n');

describe.each(BACKENDS)('the bus stops, war zones and officers layers on %s', (kind) => {
  const database = useTestCountyDatabase(kind);
  const run = async (request: Omit<ImportRequest, 'importedBy'>) =>
    (await importLayer(database().db, { importedBy: 'test', ...request })).report;
  const stations = () =>
    run({ layer: 'stations', bytes: fixture('stations.csv'), fileName: 'stations.csv', crs: 'wgs84' });

  it('bus stops: village given or containing, lines in file order, and no-trip walks to them', async () => {
    expect((await run({ layer: 'roads', bytes: text(ROAD), fileName: 'roads.geojson', crs: 'wgs84' })).accepted).toBe(
      true,
    );
    const noTrip = async () => {
      const report = await new PolicingService(database().db, new RoadRouting(database().db)).report('330329');
      return report.villages.map((v) => ({ code: v.code, walk: v.busWalkMetres, noBus: v.reasons.includes('no_bus') }));
    };
    expect(await noTrip()).toEqual([
      { code: '330329101201', walk: null, noBus: true },
      { code: '330329101202', walk: null, noBus: true },
    ]);

    const report = await run({ layer: 'bus_stops', bytes: text(BUS_STOPS), fileName: 'stops.csv', crs: 'wgs84' });
    expect(report.accepted).toBe(true);
    expect(report.counts).toEqual({ features: 3, imported: 3, repaired: 0, rejected: 0 });
    expect(report.problems).toEqual([
      {
        index: 2,
        field: 'village_code',
        reason: 'outside every village of county 330329: kept without a village',
        severity: 'warning',
      },
    ]);
    const stops = await sql<{ name: string; village_code: string | null }>`
      select name, village_code from bus_stops order by name`.execute(database().db);
    expect(stops.rows).toEqual([
      { name: '东门站', village_code: '330329101201' },
      { name: '城东站', village_code: '330329101202' },
      { name: '岭头站', village_code: null },
    ]);
    const lines = await sql<{ name: string; stops: string; points: number }>`
      select l.name, string_agg(s.name, ' ' order by b.seq) as stops, ST_NPoints(l.geom) as points
      from bus_lines l join bus_line_stops b on b.line_id = l.id join bus_stops s on s.id = b.stop_id
      group by l.id order by l.name`.execute(database().db);
    expect(lines.rows).toEqual([
      { name: '1路', stops: '东门站 城东站', points: 2 },
      { name: '2路', stops: '东门站 岭头站', points: 2 },
    ]);

    // 东门村's centre (119.65) is 0.002° of longitude (197 m) from 东门站 along the road; 城东社区's
    // (119.75) is 0.05° (4.9 km) from 城东站, beyond the 1 km walk of the default rules.
    const after = await noTrip();
    expect(after.map((v) => v.noBus)).toEqual([false, true]);
    expect(after[0]!.walk).toBeGreaterThan(190);
    expect(after[0]!.walk).toBeLessThan(215);
    expect(after[1]!.walk).toBeGreaterThan(4850);
    expect(after[1]!.walk).toBeLessThan(5000);

    // The same file again: appending finds the same stops (ids from name and position) and refuses;
    // replacing keeps one of each.
    const again = await run({ layer: 'bus_stops', bytes: text(BUS_STOPS), fileName: 'stops.csv', crs: 'wgs84' });
    expect(again.accepted).toBe(false);
    expect(again.problems.filter((p) => p.severity === 'error').map((p) => p.index)).toEqual([0, 1, 2]);
    const replaced = await run({
      layer: 'bus_stops',
      bytes: text(BUS_STOPS),
      fileName: 'stops.csv',
      crs: 'wgs84',
      mode: 'replace',
    });
    expect(replaced.accepted).toBe(true);
    const counts = await sql<{ stops: number; lines: number; calls: number }>`
      select (select count(*)::int from bus_stops) as stops, (select count(*)::int from bus_lines) as lines,
        (select count(*)::int from bus_line_stops) as calls`.execute(database().db);
    expect(counts.rows[0]).toEqual({ stops: 3, lines: 2, calls: 4 });
    const readiness = await countyReadiness(database().db, '330329');
    expect(readiness.layers.find((l) => l.layer === 'busStops')).toMatchObject({ count: 3 });
    expect(readiness.layers.find((l) => l.layer === 'busStops')!.importedAt).not.toBeNull();
  });

  it('bus stops: an unknown village and a stop without a name are refused, and nothing is written', async () => {
    const before = await snapshotTables(database().db);
    const report = await run({
      layer: 'bus_stops',
      bytes: text(['name,village,lon,lat', '东门站,西门村,119.65,27.55', ',,119.66,27.55'].join('\n')),
      fileName: 'stops.csv',
      crs: 'wgs84',
    });
    expect(report.accepted).toBe(false);
    expect(report.problems).toEqual([
      { index: 0, field: 'village_code', reason: 'unknown village "西门村" in county 330329', severity: 'error' },
      { index: 1, field: 'name', reason: 'missing; expected the stop name', severity: 'error' },
    ]);
    expect(await snapshotTables(database().db)).toEqual(before);
  });

  it('war zones from a list (no coordinates): stations by name, short name or code; replace drops the old zones', async () => {
    expect((await stations()).accepted).toBe(true);
    const report = await run({
      layer: 'war_zones',
      bytes: text(['战区,派出所', '北部战区,罗阳派出所、司前', '南部战区,PS03'].join('\n')),
      fileName: 'zones.csv',
      mode: 'replace',
    });
    expect(report.accepted).toBe(true);
    expect(report.crs).toBe('wgs84');
    const { zones } = await readZonesAndStations(database().db, '330329');
    expect(zones.map((z) => ({ name: z.name, stations: z.stationCodes }))).toEqual([
      { name: '北部战区', stations: ['PS01', 'PS02'] },
      { name: '南部战区', stations: ['PS03'] },
    ]);

    // One row per station, appended: 南部战区 keeps its id and gains PS02 (moved from 北部战区).
    const southId = zones[1]!.id;
    const appended = await run({
      layer: 'war_zones',
      bytes: text(['war_zone,station', '南部战区,PS02'].join('\n')),
      fileName: 'zones.csv',
    });
    expect(appended.accepted).toBe(true);
    const after = await readZonesAndStations(database().db, '330329');
    expect(after.zones.map((z) => ({ id: z.id, stations: z.stationCodes }))).toEqual([
      { id: zones[0]!.id, stations: ['PS01'] },
      { id: southId, stations: ['PS02', 'PS03'] },
    ]);
  });

  it('war zones: an unknown station, or a station in two zones, refuses the file', async () => {
    expect((await stations()).accepted).toBe(true);
    const before = await snapshotTables(database().db);
    const report = await run({
      layer: 'war_zones',
      bytes: text(['战区,派出所', '北部战区,罗阳所、百丈所', '南部战区,PS01', '东部战区,'].join('\n')),
      fileName: 'zones.csv',
      mode: 'replace',
    });
    expect(report.accepted).toBe(false);
    expect(report.problems).toEqual([
      { index: 0, field: 'stations', reason: 'unknown police station "百丈所" in county 330329', severity: 'error' },
      {
        index: 1,
        field: 'stations',
        reason: 'station PS01 is also in war zone 北部战区 (#0): a station is in one war zone',
        severity: 'error',
      },
      {
        index: 2,
        field: 'stations',
        reason: 'no stations and no polygon: give the codes or names of its police stations, or its area',
        severity: 'error',
      },
    ]);
    expect(await snapshotTables(database().db)).toEqual(before);
  });

  it('war zones as polygons: the stations inside belong to each', async () => {
    expect((await stations()).accepted).toBe(true);
    const square = (west: number, east: number) => ({
      type: 'Polygon',
      coordinates: [
        [
          [west, 27.5],
          [east, 27.5],
          [east, 27.6],
          [west, 27.6],
          [west, 27.5],
        ],
      ],
    });
    const file = JSON.stringify({
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', properties: { 名称: '西部战区' }, geometry: square(119.5, 119.8) },
        { type: 'Feature', properties: { 名称: '东部战区' }, geometry: square(119.9, 120.0) },
      ],
    });
    const report = await run({ layer: 'war_zones', bytes: text(file), fileName: 'zones.geojson', crs: 'wgs84' });
    expect(report.accepted).toBe(true);
    const { zones } = await readZonesAndStations(database().db, '330329');
    expect(zones.map((z) => [z.name, z.stationCodes])).toEqual([
      ['第一战区', []],
      ['西部战区', ['PS01', 'PS02']],
      ['东部战区', ['PS03']],
    ]);
    const readiness = await countyReadiness(database().db, '330329');
    expect(readiness.layers.find((l) => l.layer === 'warZones')).toMatchObject({ count: 3, unlocks: ['holidays'] });
    expect(readiness.capabilities.find((c) => c.capability === 'holidays')!.problems).toEqual([
      '没有机关警力名单（no headquarters officers: import the roster with --layer officers）',
      '1 个战区没有派出所（war zones without a station）：第一战区',
    ]);
  });

  it('officers from a roster without coordinates: placed at their station, listed in the holiday pool', async () => {
    expect((await stations()).accepted).toBe(true);
    const roster = [
      '警号,姓名,单位,警种,所属派出所',
      '012345,张三,交警大队,交警,罗阳派出所',
      '012346,李四,治安大队,,PS02',
      ',王五,罗阳派出所,,',
    ].join('\n');
    const report = await run({ layer: 'officers', bytes: text(roster), fileName: 'officers.csv' });
    expect(report.accepted).toBe(true);
    expect(report.counts).toEqual({ features: 3, imported: 3, repaired: 0, rejected: 0 });

    const holiday = await createHoliday(
      database().db,
      { countyCode: '330329', name: '国庆', firstDay: '2026-10-01', days: 3, shiftsPerDay: 2 },
      'test',
    );
    const pool = await new HolidayService(database().db, new RoadRouting(database().db)).officers(holiday);
    expect(pool.map((o) => [o.id, o.name, o.department, o.homeStation, o.qualifications])).toEqual([
      ['012345', '张三', '交警大队', 'PS01', ['incident', 'patrol', 'traffic']],
      ['012346', '李四', '治安大队', 'PS02', ['incident', 'patrol']],
      ['330329-罗阳派出所-王五', '王五', '罗阳派出所', 'PS01', ['incident', 'patrol']],
    ]);
    const placed = await sql<{ id: string; at_station: boolean }>`
      select o.id, ST_Equals(o.geom, p.geom) as at_station from officers o join police_stations p on p.code = o.home_station_code
      order by o.id`.execute(database().db);
    expect(placed.rows.every((r) => r.at_station)).toBe(true);
    const holidays = (await countyReadiness(database().db, '330329')).capabilities.find(
      (c) => c.capability === 'holidays',
    );
    expect(holidays).toMatchObject({
      ready: false,
      problems: ['1 个派出所不属于任何战区（stations in no war zone）：PS03 竹里派出所'],
    });

    // Replacing with a roster that drops 李四 keeps the others (by police number) and deletes him.
    const replaced = await run({
      layer: 'officers',
      bytes: text(['警号,姓名,部门,资质,派出所', '012345,张三,交警大队,交通、巡逻,PS01'].join('\n')),
      fileName: 'officers.csv',
      mode: 'replace',
    });
    expect(replaced.accepted).toBe(true);
    const after = await new HolidayService(database().db, new RoadRouting(database().db)).officers(holiday);
    expect(after.map((o) => [o.id, o.qualifications])).toEqual([['012345', ['patrol', 'traffic']]]);
  });

  it('officers: no station and no coordinates, an unknown station, a bad qualification, a number twice', async () => {
    expect((await stations()).accepted).toBe(true);
    const before = await snapshotTables(database().db);
    const roster = [
      '警号,姓名,单位,所属派出所,资质',
      '1,赵六,刑侦大队,,',
      '2,钱七,治安大队,百丈派出所,',
      '3,孙八,治安大队,PS01,开车',
      '3,周九,治安大队,PS01,',
    ].join('\n');
    const report = await run({ layer: 'officers', bytes: text(roster), fileName: 'officers.csv' });
    expect(report.accepted).toBe(false);
    expect(report.problems.map((p) => [p.index, p.field, p.reason])).toEqual([
      [
        0,
        'home_station',
        'no home station and no coordinates: give the police station the officer sets out from (所属派出所), or lon/lat',
      ],
      [1, 'police_station_code', 'unknown police station "百丈派出所" in county 330329'],
      [2, 'qualifications', 'expected duties such as 交通/traffic, 接处警/incident, 巡逻/patrol, got "开车"'],
      [3, 'code', 'the same officer (same police number, or same unit and name) as #2'],
    ]);
    expect(await snapshotTables(database().db)).toEqual(before);
  });
});
