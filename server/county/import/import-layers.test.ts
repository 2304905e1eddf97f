import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { BACKENDS } from '../../../test/backends.js';
import { buildRoadNetwork } from '../../routing/network.js';
import { loadRoadEdges } from '../../routing/repository.js';
import { importLayer, type ImportRequest } from './import.js';
import { fixture, rectangle, useTestCountyDatabase } from './test-county.js';

/** Great-circle length of a lon/lat line, metres (spherical, good to ~0.5%). */
function haversineMetres(line: [number, number][]): number {
  const radius = 6_371_008.8;
  const rad = Math.PI / 180;
  let total = 0;
  for (let i = 1; i < line.length; i++) {
    const [lon1, lat1] = line[i - 1]!;
    const [lon2, lat2] = line[i]!;
    const a =
      Math.sin(((lat2 - lat1) * rad) / 2) ** 2 +
      Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(((lon2 - lon1) * rad) / 2) ** 2;
    total += 2 * radius * Math.asin(Math.sqrt(a));
  }
  return total;
}

describe.each(BACKENDS)('importing each layer on %s', (kind) => {
  const database = useTestCountyDatabase(kind);
  const run = async (request: Omit<ImportRequest, 'importedBy'>) => {
    const outcome = await importLayer(database().db, { importedBy: 'test', ...request });
    return outcome.report;
  };

  it('townships (CGCS2000, said in the file): codes, names, kinds, and the import recorded', async () => {
    const report = await run({
      layer: 'townships',
      bytes: fixture('townships.geojson'),
      fileName: 'townships.geojson',
    });
    expect(report).toEqual({
      accepted: true,
      layer: 'townships',
      crs: 'cgcs2000',
      encoding: 'utf-8',
      counts: { features: 2, imported: 2, repaired: 0, rejected: 0 },
      problems: [],
    });
    const rows = await sql<{ code: string; name: string; kind: string; county_code: string; type: string }>`
      select code, name, kind, county_code, ST_GeometryType(geom) as type from townships order by code`.execute(
      database().db,
    );
    expect(rows.rows).toEqual([
      { code: '330329101', name: '罗阳镇', kind: 'town', county_code: '330329', type: 'ST_MultiPolygon' },
      { code: '330329102', name: '司前畲族镇', kind: 'town', county_code: '330329', type: 'ST_MultiPolygon' },
      { code: '330329201', name: '竹里畲族乡', kind: 'township', county_code: '330329', type: 'ST_MultiPolygon' },
    ]);
    const imports = await sql<Record<string, unknown>>`
      select county_code, layer, file_name, crs, counts, imported_by from imports`.execute(database().db);
    expect(imports.rows).toEqual([
      {
        county_code: '330329',
        layer: 'townships',
        file_name: 'townships.geojson',
        crs: 'cgcs2000',
        counts: { features: 2, imported: 2, repaired: 0, rejected: 0 },
        imported_by: 'test',
      },
    ]);
  });

  it('villages (GCJ-02): converted to WGS84 within 1 m, township by code prefix or by name, kind from the name', async () => {
    const report = await run({
      layer: 'villages',
      bytes: fixture('villages-gcj02.geojson'),
      fileName: 'villages.geojson',
      crs: 'gcj02',
    });
    expect(report.accepted).toBe(true);
    expect(report.counts).toEqual({ features: 2, imported: 2, repaired: 0, rejected: 0 });
    const rows = await sql<{
      code: string;
      name: string;
      kind: string;
      township_code: string;
      offset: number;
      centre_inside: boolean;
    }>`
      select code, name, kind, township_code,
        ST_HausdorffDistance(geom, case code when '330329101203' then ST_GeomFromText(${rectangle(119.8, 27.5, 119.85, 27.6)}, 4326)
                                               else ST_GeomFromText(${rectangle(119.85, 27.5, 119.9, 27.6)}, 4326) end) as offset,
        ST_Covers(geom, centre) as centre_inside
      from villages where code in ('330329101203', '330329101204') order by code`.execute(database().db);
    expect(rows.rows.map(({ offset, ...rest }) => ({ ...rest, withinMetre: offset < 1e-5 }))).toEqual([
      {
        code: '330329101203',
        name: '南门村',
        kind: 'village',
        township_code: '330329101',
        centre_inside: true,
        withinMetre: true,
      },
      {
        code: '330329101204',
        name: '罗阳社区',
        kind: 'community',
        township_code: '330329101',
        centre_inside: true,
        withinMetre: true,
      },
    ]);
  });

  it('households (CSV with BOM and Chinese headers, GCJ-02): values, villages found, positions within 1 m', async () => {
    const report = await run({
      layer: 'households',
      bytes: fixture('households-gcj02.csv'),
      fileName: 'households-gcj02.csv',
      crs: 'gcj02',
    });
    expect(report).toEqual({
      accepted: true,
      layer: 'households',
      crs: 'gcj02',
      encoding: 'utf-8',
      counts: { features: 3, imported: 3, repaired: 0, rejected: 0 },
      problems: [],
    });
    const rows = await sql<Record<string, unknown>>`
      select code, village_code, persons, aged_70_plus, disabled, left_behind, low_income, needs_assistance,
        round(ST_Distance(geom::geography, case code
          when 'H001' then ST_SetSRID(ST_MakePoint(119.65, 27.55), 4326)
          when 'H002' then ST_SetSRID(ST_MakePoint(119.75, 27.55), 4326)
          else ST_SetSRID(ST_MakePoint(119.61, 27.51), 4326) end::geography)::numeric, 1) as offset_m
      from households order by code`.execute(database().db);
    expect(rows.rows).toEqual([
      {
        code: 'H001',
        village_code: '330329101201',
        persons: 3,
        aged_70_plus: 1,
        disabled: 0,
        left_behind: 0,
        low_income: 0,
        needs_assistance: 0,
        offset_m: 0,
      },
      {
        code: 'H002',
        village_code: '330329101202',
        persons: 5,
        aged_70_plus: 0,
        disabled: 1,
        left_behind: 2,
        low_income: 1,
        needs_assistance: 0,
        offset_m: 0,
      },
      {
        code: 'H003',
        village_code: '330329101201',
        persons: 2,
        aged_70_plus: 2,
        disabled: 0,
        left_behind: 0,
        low_income: 1,
        needs_assistance: 1,
        offset_m: 0,
      },
    ]);
  });

  it('roads: ends within 1 m share a node, MultiLineStrings split, speeds by class, lengths from geography', async () => {
    const report = await run({ layer: 'roads', bytes: fixture('roads.geojson'), fileName: 'roads.geojson' });
    expect(report).toMatchObject({
      accepted: true,
      crs: 'wgs84',
      counts: { features: 3, imported: 3, repaired: 0, rejected: 0 },
    });
    const nodes = await sql<{ id: number }>`select id from road_nodes where county_code = '330329' order by id`.execute(
      database().db,
    );
    expect(nodes.rows).toHaveLength(5);
    const edges = await sql<{
      source: number;
      target: number;
      road_class: string;
      name: string | null;
      speed_kmh: number;
      length_m: number;
      sinuosity: number | null;
      line: string;
    }>`
      select source, target, road_class, name, speed_kmh, length_m, sinuosity, ST_AsGeoJSON(geom) as line
      from road_edges where county_code = '330329' order by id`.execute(database().db);
    expect(edges.rows.map((e) => [e.road_class, e.name, e.speed_kmh])).toEqual([
      ['county', 'X123 泰罗线', 60],
      ['township', '乡道', 35],
      ['township', '乡道', 35],
      ['village', null, 25],
    ]);
    // A chain A→B→C→D→E: each edge starts where the previous one ends (B joined across 0.3 m).
    for (let i = 1; i < edges.rows.length; i++) expect(edges.rows[i]!.source).toBe(edges.rows[i - 1]!.target);
    for (const edge of edges.rows) {
      const line = (JSON.parse(edge.line) as { coordinates: [number, number][] }).coordinates;
      expect(Math.abs(edge.length_m / haversineMetres(line) - 1)).toBeLessThan(0.005);
    }
    expect(edges.rows[2]!.sinuosity).toBeCloseTo(1, 6);

    // Appending the same roads again: noded with the stored ones, the lines drawn over them are
    // drawn once; the 乡道, whose start the first import moved 0.3 m onto the node, differs from its
    // stored edge and comes in as a second edge between the same nodes. No new node.
    const again = await run({ layer: 'roads', bytes: fixture('roads.geojson'), fileName: 'roads.geojson' });
    expect(again.accepted).toBe(true);
    expect(again.problems.filter((p) => p.index >= 0).map((p) => [p.index, p.reason])).toEqual([
      [0, 'duplicates the stored road edge 1 along a stretch: drawn once'],
      [1, 'duplicates the stored road edge 3 along a stretch: drawn once'],
      [2, 'duplicates the stored road edge 4 along a stretch: drawn once'],
    ]);
    const counts = await sql<{ nodes: number; edges: number }>`
      select (select count(*) from road_nodes) as nodes, (select count(*) from road_edges) as edges`.execute(
      database().db,
    );
    expect(counts.rows[0]).toEqual({ nodes: 5, edges: 5 });
  });

  it("roads from a transport bureau's file: crossings noded, bridges not, classes and one-way kept, parts reported", async () => {
    // X101 (县道, 三级) crosses Y201 (四级) at 东门村's centre; the Y202 bridge passes over X101; a
    // one-way 四级 road stands alone at 城东社区's centre; the fifth line repeats X101 backwards.
    const report = await run({
      layer: 'roads',
      bytes: fixture('roads-bureau.geojson'),
      fileName: 'roads.geojson',
      crs: 'wgs84',
    });
    expect(report.problems.filter((p) => p.severity === 'error')).toEqual([]);
    expect(report.accepted).toBe(true);
    const edges = await sql<{
      source: number;
      target: number;
      road_class: string;
      name: string | null;
      speed_kmh: number;
      one_way: string | null;
      technical_grade: string | null;
      administrative_class: string | null;
      structure: string | null;
    }>`
      select source, target, road_class, name, speed_kmh, one_way, technical_grade, administrative_class, structure
      from road_edges where county_code = '330329' order by id`.execute(database().db);
    expect(
      edges.rows.map((e) => [
        e.road_class,
        e.name,
        e.speed_kmh,
        e.one_way,
        e.technical_grade,
        e.administrative_class,
        e.structure,
      ]),
    ).toEqual([
      ['county', '罗阳线', 40, null, 'class3', 'X', null],
      ['county', '罗阳线', 40, null, 'class3', 'X', null],
      ['township', 'Y201', 30, null, 'class4', 'Y', null],
      ['township', 'Y201', 30, null, 'class4', 'Y', null],
      ['township', 'Y202', 30, null, null, 'Y', 'bridge'],
      ['village', null, 30, 'forward', 'class4', null, null],
    ]);
    // The four pieces of the cross meet at one node; the bridge and the one-way road touch nothing.
    const [a1, a2, b1, b2] = edges.rows;
    expect(new Set([a1!.target, a2!.source, b1!.target, b2!.source]).size).toBe(1);
    const nodes = await sql<{ n: number }>`select count(*)::int as n from road_nodes`.execute(database().db);
    expect(nodes.rows[0]!.n).toBe(9);
    expect(report.problems.map((p) => [p.index, p.code ?? null, p.reason])).toEqual([
      [
        -1,
        null,
        'road classes read from the road file: 技术等级 四级 → village (1); 行政等级 X 县道 → county (2); 行政等级 Y 乡道 → township (2)',
      ],
      [
        -1,
        null,
        'road class mapping of county 330329 (change it with county road-classes): G 国道 → county, usually 二级; S 省道 → county, usually 二级; X 县道 → county, usually 三级; Y 乡道 → township, usually 四级; C 村道 → village, usually 四级; Z 专用公路 → village, usually 四级; 高速 → county, 100 km/h; 一级 → county, 80 km/h; 二级 → county, 60 km/h; 三级 → township, 40 km/h; 四级 → village, 30 km/h; 等外 → village, 20 km/h',
      ],
      [-1, null, 'road network: 3 connected parts (4 edges/5 nodes, 1 edges/2 nodes, 1 edges/2 nodes)'],
      [
        -1,
        '330329101202',
        'village centre 城东社区 (330329101202) is nearest to a road not connected to the main network (a part of 1 edges): it cannot be reached from most of the county',
      ],
      [4, null, 'duplicates #0 along a stretch: drawn once'],
    ]);
    // Routing reads what was imported: the one-way road is closed against its direction.
    const records = await loadRoadEdges(database().db, '330329');
    expect(records.map((r) => [r.oneWay ?? null, r.structure ?? null])).toEqual([
      [null, null],
      [null, null],
      [null, null],
      [null, null],
      [null, 'bridge'],
      ['forward', null],
    ]);
    const network = buildRoadNetwork(records);
    const oneWay = records.length - 1;
    expect(network.forwardSeconds[oneWay]).toBeGreaterThan(0);
    expect(Number.isFinite(network.forwardSeconds[oneWay])).toBe(true);
    expect(network.backwardSeconds[oneWay]).toBe(Infinity);
  });

  it('police stations (CSV): officers default 0, war zones created once by name', async () => {
    const report = await run({
      layer: 'stations',
      bytes: fixture('stations.csv'),
      fileName: 'stations.csv',
      crs: 'wgs84',
    });
    expect(report.accepted).toBe(true);
    const rows = await sql<{ code: string; name: string; officers: number; war_zone: string | null }>`
      select p.code, p.name, p.officers, w.name as war_zone
      from police_stations p left join war_zones w on w.id = p.war_zone_id order by p.code`.execute(database().db);
    expect(rows.rows).toEqual([
      { code: 'PS01', name: '罗阳派出所', officers: 12, war_zone: '第一战区' },
      { code: 'PS02', name: '司前派出所', officers: 6, war_zone: '第一战区' },
      { code: 'PS03', name: '竹里派出所', officers: 0, war_zone: null },
    ]);
    const zones = await sql<{ county_code: string; name: string }>`select county_code, name from war_zones`.execute(
      database().db,
    );
    expect(zones.rows).toEqual([{ county_code: '330329', name: '第一战区' }]);
  });

  it('events: categories in Chinese, Shanghai time when no zone is given, villages found by position', async () => {
    const report = await run({
      layer: 'events',
      bytes: fixture('events.geojson'),
      fileName: 'events.geojson',
      crs: 'wgs84',
    });
    expect(report.accepted).toBe(true);
    const rows = await sql<{
      category: string;
      subcategory: string | null;
      occurred_at: Date;
      village_code: string;
      county_code: string;
    }>`
      select category, subcategory, occurred_at, village_code, county_code from events order by occurred_at`.execute(
      database().db,
    );
    expect(rows.rows.map((r) => ({ ...r, occurred_at: r.occurred_at.toISOString() }))).toEqual([
      {
        category: 'incident',
        subcategory: '盗窃',
        occurred_at: '2024-05-01T06:30:00.000Z',
        village_code: '330329101201',
        county_code: '330329',
      },
      {
        category: 'dispute',
        subcategory: null,
        occurred_at: '2024-05-02T09:00:00.000Z',
        village_code: '330329101202',
        county_code: '330329',
      },
    ]);
  });
});
