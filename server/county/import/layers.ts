/**
 * The rules of each layer, applied to a parsed file without the database: which geometry, which
 * fields (with their aliases and defaults), codes unique within the file. The result is one staged
 * row per feature plus the problems found; the database checks come after (import.ts).
 */
import type { RoadClass } from '../../db/schema.js';
import { townshipKindOf } from '../codes.js';
import { villageKind } from '../sources.js';
import { type Crs, type LonLat, toWgs84 } from './crs.js';
import {
  choice,
  dateTime,
  digits,
  EVENT_CATEGORY_WORDS,
  type FieldSpec,
  integer,
  lookupField,
  positiveNumber,
  propertyKeys,
  ROAD_CLASS_WORDS,
  text,
  VILLAGE_KIND_WORDS,
} from './fields.js';
import { type CheckedGeometry, checkGeometry, type GeometryFamily } from './geometry.js';
import type { SourceFeature } from './parse.js';
import type { ImportLayer, ProblemList } from './report.js';

/** A feature ready for the staging table: column name → value (see import.ts for the columns). */
export interface StagedRow {
  idx: number;
  code?: string | null;
  /** The file's own identifier of a township or village (FID, OBJECTID, 标识码…). */
  source_id?: string | null;
  name?: string | null;
  kind?: string | null;
  township_ref?: string | null;
  village_ref?: string | null;
  station_ref?: string | null;
  persons?: number | null;
  aged_70_plus?: number | null;
  disabled?: number | null;
  left_behind?: number | null;
  low_income?: number | null;
  needs_assistance?: number | null;
  officers?: number | null;
  war_zone?: string | null;
  road_class?: string | null;
  speed_kmh?: number | null;
  category?: string | null;
  subcategory?: string | null;
  occurred_at?: string | null;
  /** Points: the position (WGS84). */
  lon?: number;
  lat?: number;
  /** Other geometries (WGS84). */
  geometry?: CheckedGeometry;
}

export interface NormalisedFeature {
  index: number;
  code: string | null;
  row: StagedRow;
  geometry: CheckedGeometry | null;
}

/** Default speed by road class, km/h, for roads whose file gives none. */
export const DEFAULT_SPEED_KMH: Record<RoadClass, number> = { county: 50, township: 35, village: 25 };

/** Which geometry each layer takes. */
export const LAYER_GEOMETRY: Record<ImportLayer, GeometryFamily> = {
  townships: 'polygon',
  villages: 'polygon',
  households: 'point',
  roads: 'line',
  stations: 'point',
  events: 'point',
};

/** Layers whose features carry a code that must be unique. */
export const CODED_LAYERS: ReadonlySet<ImportLayer> = new Set(['townships', 'villages', 'households', 'stations']);

const CODE = ['编码', '代码', '编号'];
const NAME = ['名称'];
const VILLAGE_REF = ['village', '村编码', '村代码', '所属村', '行政村', '村'];
const TOWNSHIP_REF = ['township', '乡镇编码', '乡镇代码', '所属乡镇', '乡镇'];
const STATION_REF = ['station', 'station_code', '派出所编码', '所属派出所', '派出所'];

const F = {
  townshipCode: digits('code', ['township_code', ...CODE, '乡镇编码', '乡镇代码', '区划代码'], 9, 'township code'),
  townshipName: text('name', ['township_name', ...NAME, '乡镇名称', '乡镇'], 'the township name'),
  sourceId: text('source_id', ['id', 'fid', 'objectid', 'bsm', '标识码', '要素标识'], "the feature's identifier"),
  villageCode: digits('code', ['village_code', ...CODE, '村编码', '村代码', '区划代码'], 12, 'village code'),
  villageName: text('name', ['village_name', ...NAME, '村名', '村名称'], 'the village name'),
  villageTownship: text('township_code', TOWNSHIP_REF, 'a township code or name'),
  villageKind: choice('kind', ['类型'], VILLAGE_KIND_WORDS),
  householdCode: text('code', ['household_code', ...CODE, '户号', '户编号', '户编码'], 'the household code'),
  householdVillage: text('village_code', VILLAGE_REF, 'a village code or name'),
  persons: integer('persons', ['population', '人口', '人数', '户人口', '家庭人口'], 1, 40),
  aged70Plus: integer('aged_70_plus', ['70岁以上', '七十岁以上', '70岁以上老人', '高龄老人'], 0, 40),
  disabled: integer('disabled', ['残疾人', '残疾'], 0, 40),
  leftBehind: integer('left_behind', ['留守', '留守人员', '留守妇女儿童'], 0, 40),
  lowIncome: integer('low_income', ['低收入', '困难', '低收入困难', '低保'], 0, 40),
  needsAssistance: integer('needs_assistance', ['需帮扶', '帮扶', '需帮扶监管', '帮扶监管'], 0, 40),
  roadClass: choice('road_class', ['class', '等级', '道路等级', '公路等级'], ROAD_CLASS_WORDS),
  roadName: text('name', [...NAME, '路名', '道路名称'], 'the road name'),
  speed: positiveNumber('speed_kmh', ['speed', '速度', '限速', '设计速度', '时速'], 130),
  stationCode: text('code', ['station_code', ...CODE, '派出所编码'], 'the police station code'),
  stationName: text('name', ['station_name', ...NAME, '派出所名称', '派出所'], 'the police station name'),
  officers: integer('officers', ['警力', '民警', '民警数', '民警人数', '警员数'], 0, 10_000),
  warZone: text('war_zone', ['战区'], 'a war zone name'),
  stationTownships: text(
    'townships',
    ['township', 'township_code', '辖区', '辖区乡镇', '管辖乡镇', '所属乡镇', '乡镇', '乡镇编码'],
    'the codes or names of the townships it serves',
  ),
  category: choice('category', ['类别', '类型', '事件类别'], EVENT_CATEGORY_WORDS),
  subcategory: text('subcategory', ['子类', '小类', '细类'], 'a subcategory'),
  occurredAt: dateTime('occurred_at', ['time', 'datetime', 'date', '时间', '发生时间', '日期', '发生日期']),
  eventStation: text('police_station_code', STATION_REF, 'a police station code or name'),
};

/** The fields each layer reads, in order: for the preview's field mapping. */
export const LAYER_FIELDS: Record<ImportLayer, readonly FieldSpec<unknown>[]> = {
  townships: [F.townshipCode, F.townshipName],
  villages: [F.villageCode, F.villageName, F.villageTownship, F.villageKind],
  households: [
    F.householdCode,
    F.householdVillage,
    F.persons,
    F.aged70Plus,
    F.disabled,
    F.leftBehind,
    F.lowIncome,
    F.needsAssistance,
  ],
  roads: [F.roadClass, F.roadName, F.speed],
  stations: [F.stationCode, F.stationName, F.officers, F.warZone],
  events: [F.category, F.subcategory, F.occurredAt, F.householdVillage, F.eventStation],
};

/** A bad value as the report shows it: its JSON, cut to 80 characters (hostile values can be huge or deep). */
function preview(raw: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(raw) ?? String(raw);
  } catch {
    text = Array.isArray(raw) ? '[…]' : typeof raw === 'object' ? '{…}' : String(raw);
  }
  return text.length > 80 ? `${text.slice(0, 79)}…` : text;
}

/** Reads one feature's fields, reporting missing and mistyped ones. */
class FieldReader {
  private readonly keys: Map<string, string>;
  constructor(
    private readonly feature: SourceFeature,
    private readonly problems: ProblemList,
  ) {
    this.keys = propertyKeys(feature.properties);
  }

  read<T>(spec: FieldSpec<T>, required: boolean): T | null {
    const found = lookupField(this.feature.properties, this.keys, spec as FieldSpec<unknown>);
    if (!found) {
      if (required) this.problems.error(this.feature.index, `missing; expected ${spec.expected}`, { field: spec.name });
      return null;
    }
    const value = spec.parse(found.raw);
    if (value === undefined) {
      const column = found.key === spec.name ? '' : ` (in "${found.key}")`;
      this.problems.error(this.feature.index, `expected ${spec.expected}, got ${preview(found.raw)}${column}`, {
        field: spec.name,
      });
      return null;
    }
    return value;
  }
}

type Fields = Omit<StagedRow, 'idx' | 'lon' | 'lat' | 'geometry'>;

const GROUP_FIELDS = ['aged_70_plus', 'disabled', 'left_behind', 'low_income', 'needs_assistance'] as const;

/** Each layer's fields, read into staging columns with their defaults. */
const READ_FIELDS: Record<ImportLayer, (r: FieldReader, index: number, problems: ProblemList) => Fields> = {
  townships: (r) => {
    // Without an official code the township gets an assigned one (codes.ts), found again by source_id.
    const code = r.read(F.townshipCode, false);
    const name = r.read(F.townshipName, true);
    return { code, name, source_id: r.read(F.sourceId, false), kind: townshipKindOf(code, name) };
  },
  villages: (r) => {
    const code = r.read(F.villageCode, false);
    const name = r.read(F.villageName, true);
    return {
      code,
      name,
      source_id: r.read(F.sourceId, false),
      township_ref: r.read(F.villageTownship, false) ?? code?.slice(0, 9) ?? null,
      kind: r.read(F.villageKind, false) ?? (name ? villageKind(name) : null),
    };
  },
  households: (r, index, problems) => {
    const fields: Fields = {
      code: r.read(F.householdCode, true),
      village_ref: r.read(F.householdVillage, false),
      persons: r.read(F.persons, true),
      aged_70_plus: r.read(F.aged70Plus, false) ?? 0,
      disabled: r.read(F.disabled, false) ?? 0,
      left_behind: r.read(F.leftBehind, false) ?? 0,
      low_income: r.read(F.lowIncome, false) ?? 0,
      needs_assistance: r.read(F.needsAssistance, false) ?? 0,
    };
    const persons = fields.persons;
    if (persons != null) {
      for (const group of GROUP_FIELDS) {
        const count = fields[group];
        if (count != null && count > persons) {
          problems.error(index, `${count} is more than the household's ${persons} persons`, { field: group });
        }
      }
    }
    return fields;
  },
  roads: (r) => {
    const roadClass = r.read(F.roadClass, true);
    return {
      road_class: roadClass,
      name: r.read(F.roadName, false),
      speed_kmh: r.read(F.speed, false) ?? (roadClass ? DEFAULT_SPEED_KMH[roadClass] : null),
    };
  },
  stations: (r) => ({
    code: r.read(F.stationCode, true),
    name: r.read(F.stationName, true),
    officers: r.read(F.officers, false) ?? 0,
    war_zone: r.read(F.warZone, false),
    // The townships it serves become its jurisdiction (county/jurisdictions.ts).
    township_ref: r.read(F.stationTownships, false),
  }),
  events: (r) => ({
    category: r.read(F.category, true),
    subcategory: r.read(F.subcategory, false),
    occurred_at: r.read(F.occurredAt, true)?.toISOString() ?? null,
    village_ref: r.read(F.householdVillage, false),
    station_ref: r.read(F.eventStation, false),
  }),
};

/**
 * Apply a layer's rules to every feature: check and convert the geometry, read the fields, and
 * find codes used twice. Problems go to `problems`; every feature gets a row (with nulls where
 * a value is bad) so that the database checks can still report on it.
 */
export function normaliseFeatures(
  layer: ImportLayer,
  features: readonly SourceFeature[],
  crs: Crs,
  problems: ProblemList,
): NormalisedFeature[] {
  const family = LAYER_GEOMETRY[layer];
  const convert = toWgs84(crs);
  const firstIndexOfCode = new Map<string, number>();
  return features.map((feature) => {
    const { index } = feature;
    let geometry: CheckedGeometry | null = null;
    if (feature.geometry !== undefined && !(feature.csv && feature.geometry === null)) {
      const checked = checkGeometry(feature.geometry, family, convert);
      for (const reason of checked.problems) problems.error(index, reason, { field: 'geometry' });
      geometry = checked.geometry;
    }
    const fields = READ_FIELDS[layer](new FieldReader(feature, problems), index, problems);
    const code = fields.code ?? null;
    if (code !== null && CODED_LAYERS.has(layer)) {
      const first = firstIndexOfCode.get(code);
      if (first === undefined) firstIndexOfCode.set(code, index);
      else problems.error(index, `duplicate code (also at #${first})`, { field: 'code' });
    }
    const row: StagedRow = { idx: index, ...fields };
    if (geometry?.type === 'Point') {
      const [lon, lat] = geometry.coordinates as LonLat;
      row.lon = lon;
      row.lat = lat;
    } else if (geometry) row.geometry = geometry;
    return { index, code, row, geometry };
  });
}
