/**
 * What each export holds, read from the database with its geometry transformed by PostGIS
 * (ST_Transform) into the county's own system: the county's layers, a grid plan's grids and the
 * no-trip list. Field names are the ones offices use (代码, 名称, 户数…), chosen to fit a
 * Shapefile's 10 bytes in GBK and in UTF-8 and, where the importer has a name for them, to be read
 * back by it (XZDJ, JSDJ, 单行, 结构物…).
 */
import type { Geometry } from 'geojson';
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { DB } from '../../db/schema.js';
import { AppError } from '../../http/errors.js';
import type { NoTripReport } from '../../policing/service.js';
import type { ExportField, ExportTable, ExportValue, GeometryKind } from './table.js';

/** The county layers that export. */
export const EXPORT_LAYERS = [
  'townships',
  'villages',
  'roads',
  'stations',
  'bus_stops',
  'households',
  'events',
] as const;
export type ExportLayer = (typeof EXPORT_LAYERS)[number];

/** A county's own coordinate system as the writers need it. */
export interface CountyCrs {
  county: string;
  countyName: string;
  srid: number;
  /** OGC WKT from spatial_ref_sys.srtext. */
  wkt: string;
  srsName: string;
}

/** The county's system, with its definition from PostGIS; 409 when the county has none yet (no outline). */
export async function countyCrs(db: Kysely<DB>, county: string): Promise<CountyCrs> {
  const row = (
    await sql<{ name: string; crs_epsg: number | null; srtext: string | null }>`
      select c.name, c.crs_epsg, s.srtext from counties c left join spatial_ref_sys s on s.srid = c.crs_epsg
      where c.code = ${county}`.execute(db)
  ).rows[0];
  if (!row) throw AppError.notFound(`没有代码为 ${county} 的县（no county ${county} is loaded）`);
  if (row.crs_epsg === null || !row.srtext) {
    throw AppError.conflict(
      `县 ${county} 还没有坐标系：请先导入乡镇或设置坐标系（county ${county} has no coordinate system yet: import its townships or set one with crsEpsg）`,
    );
  }
  const srsName = /^\w+\["([^"]*)"/.exec(row.srtext)?.[1] ?? `EPSG:${row.crs_epsg}`;
  return { county, countyName: row.name, srid: row.crs_epsg, wkt: row.srtext, srsName };
}

type Row = Record<string, unknown> & { geometry: string | null };

/** Rows with a GeoJSON `geometry` column → a table of the given fields (values read by field name). */
function toTable(
  name: string,
  kind: GeometryKind,
  fields: ExportField[],
  rows: readonly Row[],
  crs: CountyCrs,
): ExportTable {
  return {
    name,
    kind,
    fields,
    srid: crs.srid,
    wkt: crs.wkt,
    srsName: crs.srsName,
    features: rows.map((row) => ({
      geometry: row.geometry === null ? null : (JSON.parse(row.geometry) as Geometry),
      values: fields.map((f) => {
        const v = row[f.name];
        if (v === null || v === undefined) return null;
        // PostgreSQL bigint and numeric arrive as text.
        if ((f.type === 'N' || f.type === 'F') && typeof v === 'string') return Number(v);
        return v as ExportValue;
      }),
    })),
  };
}

/** The geometry in the county's system, as GeoJSON text (9 decimals: a nanometre in metres). */
const geometryIn = (column: RawBuilder<unknown>, srid: number) =>
  sql`ST_AsGeoJSON(ST_Transform(${column}, ${srid}::int), 9)`;

const C = (name: string): ExportField => ({ name, type: 'C' });
const N = (name: string, decimals = 0): ExportField => ({ name, type: 'N', decimals });

/** Which households an export may hold: all of the county's, or those of some townships. */
export type HouseholdScope = 'all' | readonly string[];

/** One of the county's layers, in its own system. Households only within `households`. */
export async function layerTable(
  db: Kysely<DB>,
  layer: ExportLayer,
  crs: CountyCrs,
  households: HouseholdScope = 'all',
): Promise<ExportTable> {
  const { county, srid } = crs;
  const run = async (query: RawBuilder<Row>) => (await query.execute(db)).rows;
  switch (layer) {
    case 'townships':
      return toTable(
        layer,
        'polygon',
        [C('代码'), C('名称'), C('类型'), C('派出所')],
        await run(sql<Row>`
          select code as "代码", name as "名称",
            case kind when 'town' then '镇' when 'township' then '乡' else '保护区' end as "类型",
            police_station_code as "派出所", ${geometryIn(sql`geom`, srid)} as geometry
          from townships where county_code = ${county} order by code`),
        crs,
      );
    case 'villages':
      return toTable(
        layer,
        'polygon',
        [C('代码'), C('名称'), C('乡镇'), C('类型'), N('户数')],
        await run(sql<Row>`
          select v.code as "代码", v.name as "名称", v.township_code as "乡镇",
            case v.kind when 'community' then '社区' else '村' end as "类型",
            (select count(*)::int from households h where h.village_code = v.code) as "户数",
            ${geometryIn(sql`v.geom`, srid)} as geometry
          from villages v join townships t on t.code = v.township_code
          where t.county_code = ${county} order by v.code`),
        crs,
      );
    case 'roads':
      return toTable(
        layer,
        'line',
        [C('编号'), C('名称'), C('类别'), C('XZDJ'), C('JSDJ'), C('单行'), C('结构物'), N('限速', 1), N('长度米', 1)],
        await run(sql<Row>`
          select id::text as "编号", name as "名称",
            case road_class when 'county' then '县道' when 'township' then '乡道' else '村道' end as "类别",
            administrative_class as "XZDJ",
            case technical_grade when 'expressway' then '高速' when 'class1' then '一级' when 'class2' then '二级'
              when 'class3' then '三级' when 'class4' then '四级' when 'substandard' then '等外' end as "JSDJ",
            case one_way when 'forward' then '正向' when 'backward' then '反向' else '双向' end as "单行",
            case structure when 'bridge' then '桥梁' when 'tunnel' then '隧道' end as "结构物",
            speed_kmh as "限速", length_m as "长度米", ${geometryIn(sql`geom`, srid)} as geometry
          from road_edges where county_code = ${county} order by id`),
        crs,
      );
    case 'stations':
      return toTable(
        layer,
        'point',
        [C('代码'), C('名称'), N('民警数'), C('战区'), C('辖区')],
        await run(sql<Row>`
          select s.code as "代码", s.name as "名称", s.officers as "民警数", z.name as "战区",
            (select string_agg(st.township_code, '、' order by st.township_code) from station_townships st
              where st.station_code = s.code and st.confirmed) as "辖区",
            ${geometryIn(sql`s.geom`, srid)} as geometry
          from police_stations s left join war_zones z on z.id = s.war_zone_id
          where s.county_code = ${county} order by s.code`),
        crs,
      );
    case 'bus_stops':
      return toTable(
        layer,
        'point',
        [C('代码'), C('名称'), C('村代码'), C('线路')],
        await run(sql<Row>`
          select b.id as "代码", b.name as "名称", b.village_code as "村代码",
            (select string_agg(distinct l.name, '、') from bus_line_stops ls join bus_lines l on l.id = ls.line_id
              where ls.stop_id = b.id) as "线路",
            ${geometryIn(sql`b.geom`, srid)} as geometry
          from bus_stops b where b.county_code = ${county} order by b.id`),
        crs,
      );
    case 'households': {
      const scope =
        households === 'all'
          ? sql``
          : households.length === 0
            ? sql`and false`
            : sql`and v.township_code in (${sql.join([...households])})`;
      return toTable(
        layer,
        'point',
        [
          C('代码'),
          C('村代码'),
          N('人口'),
          N('高龄'),
          N('残疾'),
          N('留守'),
          N('低保'),
          N('帮扶'),
          { name: '估算', type: 'L' },
        ],
        await run(sql<Row>`
          select h.code as "代码", h.village_code as "村代码", h.persons as "人口", h.aged_70_plus as "高龄",
            h.disabled as "残疾", h.left_behind as "留守", h.low_income as "低保", h.needs_assistance as "帮扶",
            h.estimated as "估算", ${geometryIn(sql`h.geom`, srid)} as geometry
          from households h join villages v on v.code = h.village_code join townships t on t.code = v.township_code
          where t.county_code = ${county} ${scope} order by h.code`),
        crs,
      );
    }
    case 'events':
      return toTable(
        layer,
        'point',
        [C('编号'), C('类别'), C('子类'), C('时间'), C('村代码'), C('派出所')],
        await run(sql<Row>`
          select e.id::text as "编号",
            case e.category when 'incident' then '警情' when 'dispute' then '矛盾纠纷' when 'petition' then '信访'
              when 'fraud' then '网络诈骗' else '交通事故' end as "类别",
            e.subcategory as "子类",
            to_char(e.occurred_at at time zone 'Asia/Shanghai', 'YYYY-MM-DD"T"HH24:MI:SS') || '+08:00' as "时间",
            e.village_code as "村代码", e.police_station_code as "派出所", ${geometryIn(sql`e.geom`, srid)} as geometry
          from events e where e.county_code = ${county} order by e.occurred_at, e.id`),
        crs,
      );
  }
}

/** A grid plan's county and name; 404 when there is no such plan. */
export async function gridPlanHead(db: Kysely<DB>, planId: number): Promise<{ county: string; name: string }> {
  const row = (
    await sql<{
      county_code: string;
      name: string;
    }>`select county_code, name from grid_plans where id = ${planId}`.execute(db)
  ).rows[0];
  if (!row) throw AppError.notFound(`没有编号为 ${planId} 的网格方案（no grid plan ${planId}）`);
  return { county: row.county_code, name: row.name };
}

/** A grid plan's grids: number, name, township, households, worker and kind (农村 or 社区). */
export async function gridPlanTable(db: Kysely<DB>, planId: number, crs: CountyCrs): Promise<ExportTable> {
  const rows = (
    await sql<Row>`
      select g.grid_id as "编号", g.name as "名称", g.township_code as "乡镇", t.name as "乡镇名",
        g.households as "户数", g.worker_name as "网格员", g.worker_phone as "电话",
        case when exists (select 1 from villages v where v.code = any(g.village_codes) and v.kind = 'village')
          then '农村' else '社区' end as "类型",
        ${geometryIn(sql`g.geom`, crs.srid)} as geometry
      from grid_plan_grids g join townships t on t.code = g.township_code
      where g.plan_id = ${planId} order by g.township_code, g.grid_id`.execute(db)
  ).rows;
  return toTable(
    'grids',
    'polygon',
    [N('编号'), C('名称'), C('乡镇'), C('乡镇名'), N('户数'), C('网格员'), C('电话'), C('类型')],
    rows,
    crs,
  );
}

const REASON_TEXT = { drive: '车程超限', no_bus: '无公交', designated: '人工认定' } as const;

/** The no-trip villages of a report (as its CSV export lists them), drawn as their village polygons. */
export async function noTripTable(db: Kysely<DB>, report: NoTripReport, crs: CountyCrs): Promise<ExportTable> {
  const villages = report.villages.filter((v) => v.noTrip);
  const codes = villages.map((v) => v.code);
  const shapes = new Map(
    codes.length === 0
      ? []
      : (
          await sql<{ code: string; geometry: string }>`
            select code, ${geometryIn(sql`geom`, crs.srid)} as geometry from villages
            where code in (${sql.join(codes)})`.execute(db)
        ).rows.map((r) => [r.code, r.geometry]),
  );
  const rows: Row[] = villages.map((v) => ({
    村代码: v.code,
    村名: v.name,
    乡镇: v.townshipName,
    派出所: v.stationName,
    车程分: v.driveMinutes,
    原因: v.reasons.map((r) => REASON_TEXT[r]).join('、'),
    认定: v.designation?.reason ?? null,
    户数: v.households,
    geometry: shapes.get(v.code) ?? null,
  }));
  return toTable(
    'no_trip',
    'polygon',
    [C('村代码'), C('村名'), C('乡镇'), C('派出所'), N('车程分', 1), C('原因'), C('认定'), N('户数')],
    rows,
    crs,
  );
}
