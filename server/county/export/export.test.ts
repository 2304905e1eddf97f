// Exports of the demo county in its own system (EPSG:4549), read back with our own importer's
// readers: the same features, codes, Chinese names, areas and (transformed back) vertices.
import { unzipSync } from 'fflate';
import type { Geometry, Position } from 'geojson';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, openTestDatabase } from '../../../test/backends.js';
import { startTestServer } from '../../../test/http.js';
import type { Database } from '../../db/database.js';
import { countyCrsEpsg, createCounty, setCountyCrs } from '../create.js';
import { readGeoPackage } from '../import/geopackage.js';
import type { SourceFeature } from '../import/parse.js';
import { matchPrj } from '../import/prj.js';
import { readShapefile } from '../import/shapefile.js';
import { writeExport, type ExportFormat } from './export.js';
import { countyCrs, EXPORT_LAYERS, gridPlanTable, layerTable, type CountyCrs } from './layers.js';
import { signedArea2 } from './shapefile-writer.js';
import type { ExportEncoding, ExportTable } from './table.js';

const DEMO = '330329';
const WAYS: [ExportFormat, ExportEncoding][] = [
  ['zip', 'gbk'],
  ['zip', 'utf-8'],
  ['gpkg', 'gbk'],
];

/** The file read back by the importer's readers: features, and the system it declares. */
async function readBack(bytes: Uint8Array, format: ExportFormat, name: string) {
  if (format === 'gpkg') {
    const read = await readGeoPackage(bytes);
    expect(read.problems.items).toEqual([]);
    return { features: read.features, crs: read.crs, encoding: 'utf-8' };
  }
  const files = unzipSync(bytes);
  const part = (ext: string) => files[`${name}.${ext}`];
  const read = readShapefile({
    shp: part('shp'),
    shx: part('shx'),
    dbf: part('dbf'),
    prj: part('prj'),
    cpg: part('cpg'),
  });
  expect(read.problems.items).toEqual([]);
  return { features: read.features, crs: matchPrj(read.prj ?? '')?.crs ?? null, encoding: read.encoding };
}

/** Planar area of polygons (outer rings minus holes). */
function area(geometry: Geometry): number {
  const polygons =
    geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.type === 'MultiPolygon' ? geometry.coordinates : [];
  return polygons.reduce(
    (sum, rings) => sum + rings.reduce((s, ring, i) => s + (i === 0 ? 1 : -1) * Math.abs(signedArea2(ring) / 2), 0),
    0,
  );
}

/** Every vertex of a geometry. */
function vertices(geometry: Geometry): Position[] {
  const out: Position[] = [];
  const walk = (c: unknown): void => {
    if (typeof (c as number[])[0] === 'number') out.push(c as Position);
    else for (const inner of c as unknown[]) walk(inner);
  };
  walk((geometry as { coordinates: unknown }).coordinates);
  return out;
}

describe.each(BACKENDS)('Shapefile and GeoPackage exports on %s', (kind) => {
  let database: Database;
  let crs: CountyCrs;
  const db = () => database.db;

  beforeAll(async () => {
    database = await openTestDatabase(kind, { withCounty: true });
    crs = await countyCrs(db(), DEMO);
  }, 120_000);
  afterAll(async () => {
    await database?.close();
  });

  /** Each feature's 4326 geometry after the way back: the file's 4549 coordinates transformed by PostGIS. */
  async function backToWgs84(features: SourceFeature[]): Promise<Geometry[]> {
    const rows = (
      await sql<{ g: string }>`
        select ST_AsGeoJSON(ST_Transform(ST_SetSRID(ST_GeomFromGeoJSON(f.value::text), ${crs.srid}::int), 4326), 15) as g
        from jsonb_array_elements(${JSON.stringify(features.map((f) => f.geometry))}::jsonb) with ordinality as f
        order by f.ordinality`.execute(db())
    ).rows;
    return rows.map((r) => JSON.parse(r.g) as Geometry);
  }

  /** Metres between two lon/lat positions (a local plane: exact enough at a millimetre). */
  const metres = (a: Position, b: Position) => {
    const dx = (a[0]! - b[0]!) * 111_320 * Math.cos((a[1]! * Math.PI) / 180);
    const dy = (a[1]! - b[1]!) * 110_574;
    return Math.hypot(dx, dy);
  };

  /** Read back: same count, codes and names, areas within 0.01 %, vertices within 1 mm of the stored ones. */
  async function checkRoundTrip(
    table: ExportTable,
    format: ExportFormat,
    encoding: ExportEncoding,
    stored: { key: string | number; name: string; area: number; geometry: Geometry }[],
    keyField: string,
  ) {
    const bytes = await writeExport(table, format, encoding);
    const read = await readBack(bytes, format, table.name);
    expect(read.crs).toBe('EPSG:4549');
    if (format === 'zip') expect(read.encoding).toBe(encoding);
    expect(read.features.length).toBe(stored.length);
    expect(read.features.map((f) => f.properties[keyField])).toEqual(stored.map((s) => s.key));
    expect(read.features.map((f) => f.properties['名称'])).toEqual(stored.map((s) => s.name));
    const areaErrors = read.features.map((f, i) => Math.abs(area(f.geometry as Geometry) / stored[i]!.area - 1));
    expect(Math.max(...areaErrors)).toBeLessThan(1e-4);
    const back = await backToWgs84(read.features);
    let worst = 0;
    back.forEach((geometry, i) => {
      const got = vertices(geometry);
      const want = vertices(stored[i]!.geometry);
      expect(got.length).toBe(want.length);
      // Each vertex against its nearest stored one (rings may start elsewhere or turn the other way),
      // looked up in cells of 1e-5° (about a metre) and their neighbours.
      const cell = (x: number, y: number) => `${x},${y}`;
      const cells = new Map<string, Position[]>();
      for (const q of want) {
        const key = cell(Math.floor(q[0]! * 1e5), Math.floor(q[1]! * 1e5));
        cells.set(key, [...(cells.get(key) ?? []), q]);
      }
      for (const p of got) {
        const [cx, cy] = [Math.floor(p[0]! * 1e5), Math.floor(p[1]! * 1e5)];
        let nearest = Infinity;
        for (let dx = -1; dx <= 1; dx++) {
          for (let dy = -1; dy <= 1; dy++) {
            for (const q of cells.get(cell(cx + dx, cy + dy)) ?? []) nearest = Math.min(nearest, metres(p, q));
          }
        }
        worst = Math.max(worst, nearest);
      }
    });
    expect(worst).toBeLessThan(0.001);
  }

  it("puts the demo county in its Gauss–Krüger zone, EPSG:4549, with PostGIS's definition", () => {
    expect(crs.srid).toBe(4549);
    expect(crs.srsName).toBe('CGCS2000 / 3-degree Gauss-Kruger CM 120E');
  });

  it.each(WAYS)('exports the villages as %s (%s) and reads them back', async (format, encoding) => {
    const table = await layerTable(db(), 'villages', crs);
    const stored = (
      await sql<{ code: string; name: string; area: number; g: string }>`
        select v.code, v.name, ST_Area(ST_Transform(v.geom, 4549)) as area, ST_AsGeoJSON(v.geom, 15) as g
        from villages v join townships t on t.code = v.township_code where t.county_code = ${DEMO} order by v.code`.execute(
        db(),
      )
    ).rows;
    expect(stored.length).toBeGreaterThan(250);
    await checkRoundTrip(
      table,
      format,
      encoding,
      stored.map((r) => ({ key: r.code, name: r.name, area: r.area, geometry: JSON.parse(r.g) as Geometry })),
      '代码',
    );
    // Households per village as stored.
    const households = Number(
      (
        await sql<{
          n: number;
        }>`select count(*)::int as n from households where village_code = ${stored[0]!.code}`.execute(db())
      ).rows[0]!.n,
    );
    expect(table.features[0]!.values[table.fields.findIndex((f) => f.name === '户数')]).toBe(households);
  });

  it.each(WAYS)("exports the active grid plan's grids as %s (%s) and reads them back", async (format, encoding) => {
    const plan = Number(
      (
        await sql<{ id: number }>`select id from grid_plans where county_code = ${DEMO} and status = 'active'`.execute(
          db(),
        )
      ).rows[0]!.id,
    );
    const table = await gridPlanTable(db(), plan, crs);
    const stored = (
      await sql<{ grid_id: number; name: string; area: number; g: string }>`
        select grid_id, name, ST_Area(ST_Transform(geom, 4549)) as area, ST_AsGeoJSON(geom, 15) as g
        from grid_plan_grids where plan_id = ${plan} order by township_code, grid_id`.execute(db())
    ).rows;
    expect(stored.length).toBeGreaterThan(100);
    await checkRoundTrip(
      table,
      format,
      encoding,
      stored.map((r) => ({ key: r.grid_id, name: r.name, area: r.area, geometry: JSON.parse(r.g) as Geometry })),
      '编号',
    );
    expect(table.fields.map((f) => f.name)).toEqual([
      '编号',
      '名称',
      '乡镇',
      '乡镇名',
      '户数',
      '网格员',
      '电话',
      '类型',
    ]);
  });

  it('exports every layer with its count; households only of the townships asked for, with the estimated flag', async () => {
    const count = async (query: ReturnType<typeof sql<{ n: number }>>) =>
      Number((await query.execute(db())).rows[0]!.n);
    const expected: Record<(typeof EXPORT_LAYERS)[number], number> = {
      townships: await count(sql`select count(*)::int as n from townships where county_code = ${DEMO}`),
      villages: await count(sql`select count(*)::int as n from villages where township_code like ${`${DEMO}%`}`),
      roads: await count(sql`select count(*)::int as n from road_edges where county_code = ${DEMO}`),
      stations: await count(sql`select count(*)::int as n from police_stations where county_code = ${DEMO}`),
      bus_stops: await count(sql`select count(*)::int as n from bus_stops where county_code = ${DEMO}`),
      households: await count(sql`select count(*)::int as n from households where village_code like ${`${DEMO}%`}`),
      events: await count(sql`select count(*)::int as n from events where county_code = ${DEMO}`),
    };
    for (const layer of EXPORT_LAYERS) {
      const table = await layerTable(db(), layer, crs);
      expect(table.features.length, layer).toBe(expected[layer]);
      expect(table.features.length, layer).toBeGreaterThan(0);
    }
    const roads = await layerTable(db(), 'roads', crs);
    expect(roads.fields.map((f) => f.name)).toEqual([
      '编号',
      '名称',
      '类别',
      'XZDJ',
      'JSDJ',
      '单行',
      '结构物',
      '限速',
      '长度米',
    ]);
    const read = await readBack(await writeExport(roads, 'zip', 'gbk'), 'zip', 'roads');
    expect(read.features.length).toBe(expected.roads);
    expect(new Set(read.features.map((f) => f.properties['类别']))).toEqual(new Set(['县道', '乡道', '村道']));

    const township = String(
      (await sql<{ code: string }>`select min(code) as code from townships where county_code = ${DEMO}`.execute(db()))
        .rows[0]!.code,
    );
    const own = await count(
      sql`select count(*)::int as n from households h join villages v on v.code = h.village_code where v.township_code = ${township}`,
    );
    await sql`update households set estimated = true where id = (select min(h.id) from households h
      join villages v on v.code = h.village_code where v.township_code = ${township})`.execute(db());
    const households = await layerTable(db(), 'households', crs, [township]);
    expect(households.features.length).toBe(own);
    const villageAt = households.fields.findIndex((f) => f.name === '村代码');
    expect(households.features.every((f) => String(f.values[villageAt]).startsWith(township))).toBe(true);
    const estimatedAt = households.fields.findIndex((f) => f.name === '估算');
    expect(households.features.filter((f) => f.values[estimatedAt] === true)).toHaveLength(1);
    const back = await readBack(await writeExport(households, 'zip', 'gbk'), 'zip', 'households');
    expect(back.features.filter((f) => f.properties['估算'] === true)).toHaveLength(1);
    expect((await layerTable(db(), 'households', crs, [])).features).toHaveLength(0);
  });

  it('refuses a name GBK cannot write, naming the feature and field; UTF-8 writes it', async () => {
    const code = String(
      (await sql<{ code: string }>`select min(code) as code from townships where county_code = ${DEMO}`.execute(db()))
        .rows[0]!.code,
    );
    const before = String(
      (await sql<{ name: string }>`select name from townships where code = ${code}`.execute(db())).rows[0]!.name,
    );
    await sql`update townships set name = '上㽎乡' where code = ${code}`.execute(db());
    try {
      const table = await layerTable(db(), 'townships', crs);
      await expect(writeExport(table, 'zip', 'gbk')).rejects.toThrow(
        /townships 第 1 个要素的字段 名称 无法导出.*U\+3F4E.*feature 1 of townships, field 名称.*choose UTF-8/,
      );
      const read = await readBack(await writeExport(table, 'zip', 'utf-8'), 'zip', 'townships');
      expect(read.features[0]!.properties['名称']).toBe('上㽎乡');
    } finally {
      await sql`update townships set name = ${before} where code = ${code}`.execute(db());
    }
  });

  it('serves the files over HTTP, beside the CSV exports, and lets an admin change the system', async () => {
    const server = await startTestServer(database);
    try {
      const villages = await server.fetch('/api/exports/villages.zip');
      expect(villages.status).toBe(200);
      expect(villages.headers.get('content-type')).toBe('application/zip');
      expect(villages.headers.get('content-disposition')).toContain(
        `filename*=UTF-8''${encodeURIComponent('泰顺县-村社区-EPSG4549-GBK.zip')}`,
      );
      const files = unzipSync(new Uint8Array(await villages.arrayBuffer()));
      expect(new TextDecoder().decode(files['villages.cpg'])).toBe('GBK');

      const plan = Number(
        (await sql<{ id: number }>`select id from grid_plans where status = 'active'`.execute(db())).rows[0]!.id,
      );
      const grids = Number(
        (await sql<{ n: number }>`select count(*)::int as n from grid_plan_grids where plan_id = ${plan}`.execute(db()))
          .rows[0]!.n,
      );
      const gpkg = await server.fetch(`/api/grids/plans/${plan}/export.gpkg`);
      expect(gpkg.status).toBe(200);
      expect(gpkg.headers.get('content-type')).toBe('application/geopackage+sqlite3');
      expect((await readGeoPackage(new Uint8Array(await gpkg.arrayBuffer()))).features).toHaveLength(grids);
      const csv = await server.fetch(`/api/grids/plans/${plan}/export.csv`);
      expect(csv.status).toBe(200);
      expect(csv.headers.get('content-type')).toContain('text/csv');

      const report = await server.api<{ villages: { code: string; noTrip: boolean }[] }>('/api/policing/no-trip');
      const noTrip = report.body.villages.filter((v) => v.noTrip).map((v) => v.code);
      expect(noTrip.length).toBeGreaterThan(0);
      const list = await server.fetch('/api/policing/no-trip/export.zip?encoding=utf-8');
      expect(list.status).toBe(200);
      const read = await readBack(new Uint8Array(await list.arrayBuffer()), 'zip', 'no_trip');
      expect(read.features.map((f) => f.properties['村代码'])).toEqual(noTrip);
      expect(read.features.every((f) => (f.geometry as Geometry | null)?.type.endsWith('Polygon'))).toBe(true);

      expect((await server.fetch('/api/exports/rivers.zip')).status).toBe(400);
      expect((await server.fetch('/api/exports/villages.zip?encoding=big5')).status).toBe(400);
      expect((await server.fetch('/api/grids/plans/999999/export.zip')).status).toBe(404);

      const put = (crsEpsg: number | null) =>
        server.api<{ crsEpsg: number | null }>('/api/counties/330329/crs', { method: 'PUT', json: { crsEpsg } });
      const refused = await put(999_999);
      expect(refused.status).toBe(400);
      expect(JSON.stringify(refused.body)).toContain('PostGIS 不认识 EPSG:999999');
      expect((await put(4490)).body.crsEpsg).toBe(4490);
      const geographic = await server.fetch('/api/exports/townships.gpkg');
      expect((await readGeoPackage(new Uint8Array(await geographic.arrayBuffer()))).crs).toBe('cgcs2000');
      expect((await put(null)).body.crsEpsg).toBe(4549);
      expect((await server.api<{ crsEpsg: number }>('/api/counties/330329/crs')).body.crsEpsg).toBe(4549);
    } finally {
      await server.close();
    }
  });

  it("gives a new county the zone of its centroid, a projected outline's system or the one set", async () => {
    const outline = (west: number) => ({
      type: 'Polygon',
      coordinates: [
        [
          [west, 27.5],
          [west + 0.2, 27.5],
          [west + 0.2, 27.7],
          [west, 27.7],
          [west, 27.5],
        ],
      ],
    });
    await createCounty(db(), { code: '350781', name: '邵武市', outline: outline(117.3) });
    expect((await countyCrsEpsg(db(), '350781')).crsEpsg).toBe(4548); // CM 117°E
    await createCounty(db(), { code: '350782', name: '武夷山市', outline: outline(117.9), crsEpsg: 4490 });
    expect((await countyCrsEpsg(db(), '350782')).crsEpsg).toBe(4490);
    const projected = {
      type: 'Polygon',
      coordinates: [
        [
          [400_000, 3_050_000],
          [410_000, 3_050_000],
          [410_000, 3_060_000],
          [400_000, 3_060_000],
          [400_000, 3_050_000],
        ],
      ],
    };
    await createCounty(db(), { code: '330328', name: '文成县', outline: projected, crs: 'EPSG:4549' });
    expect((await countyCrsEpsg(db(), '330328')).crsEpsg).toBe(4549);
    await createCounty(db(), { code: '330327', name: '苍南县' });
    expect((await countyCrsEpsg(db(), '330327')).crsEpsg).toBeNull();
    await expect(countyCrs(db(), '330327')).rejects.toThrow(/还没有坐标系.*has no coordinate system yet/);

    await expect(setCountyCrs(db(), '350781', 999_999)).rejects.toThrow(/PostGIS 不认识 EPSG:999999/);
    expect((await countyCrsEpsg(db(), '350781')).crsEpsg).toBe(4548);
    await expect(createCounty(db(), { code: '350783', name: '建瓯市', crsEpsg: 123_456 })).rejects.toThrow(
      /EPSG:123456/,
    );
    expect(
      (await sql<{ n: number }>`select count(*)::int as n from counties where code = '350783'`.execute(db())).rows[0]!
        .n,
    ).toBe(0);
    expect((await setCountyCrs(db(), '350781', 4490)).crsEpsg).toBe(4490);
    expect((await setCountyCrs(db(), '350781', null)).crsEpsg).toBe(4548);
    // The database itself refuses a system PostGIS does not know.
    await expect(sql`update counties set crs_epsg = 999999 where code = '350781'`.execute(db())).rejects.toThrow(
      /EPSG:999999/,
    );
  });
});
