/**
 * A county model written as its offices would hand it over (issue 15.11): boundaries from the
 * natural resources bureau as Shapefile and GeoPackage in the county's Gauss–Krüger system with
 * GBK attributes, the transport bureau's road file (long lines crossing at junctions, with class,
 * design speed and one-way), the police's tables as XLSX and CSV (some in GCJ-02, as web maps give
 * them), and the surveyors' DEM as a GeoTIFF. With a manifest (onboard.json) saying which layer
 * each file is, for onboard.ts. Projection by PostGIS, as the importer's.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Geometry, Position } from 'geojson';
import { sql, type Kysely } from 'kysely';
import type { DB, RoadClass } from '../../db/schema.js';
import { writeGeoPackage } from '../export/geopackage-writer.js';
import { writeGeoTiff } from '../export/geotiff-writer.js';
import { writeShapefileZip } from '../export/shapefile-writer.js';
import type { ExportTable } from '../export/table.js';
import { wgs84ToGcj02 } from '../import/crs.js';
import type { CountyModel, LonLat } from '../model.js';
import { mergeRoadLines } from './road-lines.js';
import { writeXlsx } from './xlsx-writer.js';

/** One file of a county's folder and the layer it holds. */
export interface OnboardFile {
  file: string;
  /** An import layer, or `terrain` for a DEM. */
  layer: string;
  /** The file's coordinate system when the file itself does not say (CSV, XLSX). */
  crs?: string;
}

/** What onboard.json says: the county and its files, in the order they are imported. */
export interface OnboardManifest {
  county: { code: string; name: string; crsEpsg: number };
  files: OnboardFile[];
}

export const MANIFEST_FILE = 'onboard.json';

/** Taishun's system: CGCS2000 3-degree Gauss–Krüger, central meridian 120°E. */
export const DEMO_FILES_EPSG = 4549;

const ROAD_ADMINISTRATIVE: Record<RoadClass, string> = { county: 'X', township: 'Y', village: 'C' };
const ROAD_CLASS_TEXT: Record<RoadClass, string> = { county: '县道', township: '乡道', village: '村道' };
const VILLAGE_KIND_TEXT = { village: '行政村', community: '社区' } as const;
const EVENT_CATEGORY_TEXT = {
  incident: '警情',
  dispute: '矛盾纠纷',
  petition: '信访',
  fraud: '诈骗',
  traffic_accident: '交通事故',
} as const;
const QUALIFICATION_TEXT: Record<string, string> = { traffic: '交通', incident: '接处警', patrol: '巡逻' };

const TRANSFORM_BATCH = 50_000;

/** Positions from WGS84 to EPSG `srid` by PostGIS (the importer's way back), in order. */
async function project(db: Kysely<DB>, positions: readonly Position[], srid: number): Promise<Position[]> {
  const out: Position[] = [];
  for (let start = 0; start < positions.length; start += TRANSFORM_BATCH) {
    const batch = positions.slice(start, start + TRANSFORM_BATCH);
    const result = await sql<{ x: number; y: number }>`
      select ST_X(g) as x, ST_Y(g) as y from (
        select i, ST_Transform(ST_SetSRID(ST_MakePoint(x, y), 4326), ${srid}::int) as g
        from unnest(${batch.map((p) => p[0]!)}::float8[], ${batch.map((p) => p[1]!)}::float8[]) with ordinality as t(x, y, i)
      ) q order by i`.execute(db);
    for (const row of result.rows) out.push([row.x, row.y]);
  }
  return out;
}

/** Geometries' positions replaced by their projections (copies; the model is not touched). */
async function projectGeometries(db: Kysely<DB>, geometries: readonly Geometry[], srid: number): Promise<Geometry[]> {
  const copies = geometries.map((g) => structuredClone(g));
  const positions: Position[] = [];
  const visit = (value: unknown) => {
    if (!Array.isArray(value)) return;
    if (typeof value[0] === 'number') positions.push(value as Position);
    else for (const part of value) visit(part);
  };
  for (const g of copies) if ('coordinates' in g) visit(g.coordinates);
  const projected = await project(db, positions, srid);
  positions.forEach((p, i) => p.splice(0, p.length, ...projected[i]!));
  return copies;
}

async function srsOf(db: Kysely<DB>, srid: number): Promise<Pick<ExportTable, 'srid' | 'wkt' | 'srsName'>> {
  const row = (await sql<{ srtext: string }>`select srtext from spatial_ref_sys where srid = ${srid}`.execute(db))
    .rows[0];
  if (!row) throw new Error(`PostGIS does not know EPSG:${srid}`);
  return { srid, wkt: row.srtext, srsName: /^\w+\[\s*"([^"]*)"/.exec(row.srtext)?.[1] ?? `EPSG:${srid}` };
}

function csv(header: string[], rows: (string | number | null)[][]): string {
  const cell = (v: string | number | null) => {
    const text = v === null ? '' : String(v);
    return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  return `${[header, ...rows].map((r) => r.map(cell).join(',')).join('\n')}\n`;
}

/** The road file as a transport bureau draws it (see road-lines.ts), in the county's system. */
async function roadTable(
  db: Kysely<DB>,
  model: CountyModel,
  srs: Pick<ExportTable, 'srid' | 'wkt' | 'srsName'>,
): Promise<ExportTable> {
  const lines = mergeRoadLines(model.roadEdges);
  const geometries = await projectGeometries(
    db,
    lines.map((l) => ({ type: 'LineString', coordinates: l.coordinates })),
    srs.srid,
  );
  return {
    name: 'roads',
    kind: 'line',
    ...srs,
    fields: [
      { name: '路线名称', type: 'C' },
      { name: '行政等级', type: 'C' },
      { name: '等级', type: 'C' },
      { name: '设计速度', type: 'N', decimals: 3 },
      { name: '单行', type: 'C' },
      { name: '层级', type: 'N' },
    ],
    features: lines.map((l, i) => ({
      geometry: geometries[i]!,
      values: [
        l.name,
        ROAD_ADMINISTRATIVE[l.roadClass],
        ROAD_CLASS_TEXT[l.roadClass],
        l.speedKmh,
        l.oneWay ? '正向' : '双向',
        0,
      ],
    })),
  };
}

/**
 * Write the model's layers into `dir` as a county's offices would hand them over, with the
 * manifest that says which layer each file holds. Returns the manifest.
 */
export async function writeCountyFiles(
  db: Kysely<DB>,
  model: CountyModel,
  dir: string,
  options: { srid?: number; onFile?: (file: string, seconds: number) => void } = {},
): Promise<OnboardManifest> {
  const srid = options.srid ?? DEMO_FILES_EPSG;
  fs.mkdirSync(dir, { recursive: true });
  const srs = await srsOf(db, srid);
  const files: OnboardFile[] = [];
  let since = performance.now();
  const put = (name: string, bytes: Uint8Array | string, layer: string, crs?: string) => {
    fs.writeFileSync(path.join(dir, name), bytes);
    files.push({ file: name, layer, ...(crs ? { crs } : {}) });
    options.onFile?.(name, Math.round(performance.now() - since) / 1000);
    since = performance.now();
  };
  const polygons = async (geometries: Geometry[]) => projectGeometries(db, geometries, srid);

  // Natural resources bureau: townships as a zipped GBK Shapefile, villages as a GeoPackage.
  const townshipShapes = await polygons(model.townships.map((t) => t.geometry));
  put(
    '乡镇界.zip',
    writeShapefileZip(
      {
        name: 'townships',
        kind: 'polygon',
        ...srs,
        fields: [
          { name: '乡镇代码', type: 'C' },
          { name: '乡镇名称', type: 'C' },
        ],
        features: model.townships.map((t, i) => ({ geometry: townshipShapes[i]!, values: [t.code, t.name] })),
      },
      'gbk',
    ),
    'townships',
  );
  // Villages in CGCS2000 lon/lat (EPSG:4490, taken as it is): projected to 4549 and back, the
  // near-touching rings of four demo villages cross by 1e-9° and their unit polygons are lost.
  const villageShapes = model.villages.map((v) => v.geometry);
  put(
    '村界.gpkg',
    await writeGeoPackage({
      name: 'villages',
      kind: 'polygon',
      ...(await srsOf(db, 4490)),
      fields: [
        { name: '村代码', type: 'C' },
        { name: '村名称', type: 'C' },
        { name: '乡镇代码', type: 'C' },
        { name: '类型', type: 'C' },
        { name: '村委会经度', type: 'F', decimals: 9 },
        { name: '村委会纬度', type: 'F', decimals: 9 },
      ],
      features: model.villages.map((v, i) => ({
        geometry: villageShapes[i]!,
        values: [v.code, v.name, v.townshipCode, VILLAGE_KIND_TEXT[v.kind], v.centre[0], v.centre[1]],
      })),
    }),
    'villages',
  );

  // Transport bureau: the road file.
  put('公路路网.zip', writeShapefileZip(await roadTable(db, model, srs), 'gbk'), 'roads');

  // Surveying: the DEM on its own CGCS2000 lon/lat grid.
  if (model.terrain) {
    const { spec, elevationMetres } = model.terrain;
    put(
      'DEM.tif',
      writeGeoTiff({
        width: spec.width,
        height: spec.height,
        values: Int16Array.from(elevationMetres),
        origin: [spec.west, spec.north],
        pixelSize: [spec.dLon, spec.dLat],
        crs: { epsg: 4490, geographic: true },
      }),
      'terrain',
    );
  }

  // Police: stations in the county's system (x/y), their townships and war zones.
  const zoneName = new Map(model.warZones.map((z) => [z.id, z.name]));
  const townshipsOf = new Map<string, string[]>();
  for (const t of model.townships) {
    if (t.stationCode) townshipsOf.set(t.stationCode, [...(townshipsOf.get(t.stationCode) ?? []), t.code]);
  }
  const stationXy = await project(
    db,
    model.stations.map((s) => s.point),
    srid,
  );
  put(
    '派出所.xlsx',
    writeXlsx(
      ['派出所编码', '派出所名称', '民警数', '战区', '辖区乡镇', 'X', 'Y'],
      model.stations.map((s, i) => [
        s.code,
        s.name,
        s.officers,
        s.warZoneId === null ? null : (zoneName.get(s.warZoneId) ?? null),
        (townshipsOf.get(s.code) ?? []).join('、'),
        stationXy[i]![0]!,
        stationXy[i]![1]!,
      ]),
    ),
    'stations',
    `EPSG:${srid}`,
  );
  put(
    '战区.xlsx',
    writeXlsx(
      ['战区名称', '包含派出所'],
      model.warZones.map((z) => [
        z.name,
        model.stations
          .filter((s) => s.warZoneId === z.id)
          .map((s) => s.code)
          .join('、'),
      ]),
    ),
    'war_zones',
  );

  // Grid system: households with CGCS2000 lon/lat.
  put(
    '户籍.xlsx',
    writeXlsx(
      ['户编码', '村代码', '人口', '70岁以上', '残疾人', '留守', '低收入', '需帮扶', '经度', '纬度'],
      model.households.map((h) => [
        h.code,
        h.villageCode,
        h.persons,
        h.aged70Plus,
        h.disabled,
        h.leftBehind,
        h.lowIncome,
        h.needsAssistance,
        h.point[0],
        h.point[1],
      ]),
    ),
    'households',
    'cgcs2000',
  );

  // Transport: bus stops with the lines that call there.
  const linesAt = new Map<string, string[]>();
  for (const line of model.busLines) {
    for (const stop of line.stopIds) linesAt.set(stop, [...(linesAt.get(stop) ?? []), line.name]);
  }
  put(
    '公交站点.csv',
    csv(
      ['站点编码', '站点名称', '途经线路', '村代码', '经度', '纬度'],
      model.busStops.map((s) => [
        s.id,
        s.name,
        (linesAt.get(s.id) ?? []).join('、'),
        s.villageCode,
        s.point[0],
        s.point[1],
      ]),
    ),
    'bus_stops',
    'wgs84',
  );

  put(
    '警力.xlsx',
    writeXlsx(
      ['警号', '姓名', '部门', '资质', '所属派出所', '经度', '纬度'],
      model.officers.map((o) => [
        o.id,
        o.name,
        o.department,
        o.qualifications.map((q) => QUALIFICATION_TEXT[q] ?? q).join('、'),
        o.homeStationCode,
        o.point[0],
        o.point[1],
      ]),
    ),
    'officers',
    'wgs84',
  );

  // Events as the police's web map gives them: GCJ-02.
  put(
    '警情.csv',
    csv(
      ['类别', '子类', '发生时间', '村代码', '派出所编码', '经度', '纬度'],
      model.events.map((e) => {
        const [lon, lat] = wgs84ToGcj02(e.point as LonLat);
        return [
          EVENT_CATEGORY_TEXT[e.category],
          e.subcategory,
          e.occurredAt.toISOString(),
          e.villageCode,
          e.stationCode,
          lon,
          lat,
        ] as (string | number | null)[];
      }),
    ),
    'events',
    'gcj02',
  );

  const manifest: OnboardManifest = {
    county: { code: model.county.code, name: model.county.name, crsEpsg: srid },
    files,
  };
  fs.writeFileSync(path.join(dir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}
