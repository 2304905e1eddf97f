/**
 * The rules of each layer, applied to a parsed file without the database: which geometry, which
 * fields (with their aliases and defaults), codes unique within the file. The result is one staged
 * row per feature plus the problems found; the database checks come after (import.ts).
 */
import type { RoadClass } from '../../db/schema.js';
import {
  type AdministrativeClass,
  administrativeClassOf,
  type TechnicalGrade,
  technicalGradeOf,
} from '../../routing/speed-model.js';
import { DEFAULT_ROAD_CLASS_MAPPING, mapRoad } from './road-classes.js';
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
  /** Villages: the village committee's place (村委会) in CGCS2000/WGS84 degrees, when the file gives it. */
  centre_lon?: number | null;
  centre_lat?: number | null;
  township_ref?: string | null;
  village_ref?: string | null;
  station_ref?: string | null;
  /** Households: the 门牌 or address, which orders the households placed along their village's roads. */
  address?: string | null;
  persons?: number | null;
  aged_70_plus?: number | null;
  disabled?: number | null;
  left_behind?: number | null;
  low_income?: number | null;
  needs_assistance?: number | null;
  officers?: number | null;
  war_zone?: string | null;
  /** Officers: the unit (部门/单位) they belong to. */
  department?: string | null;
  /** Officers: the duties they may do beyond any (traffic …), comma-joined. */
  qualifications?: string | null;
  /** Bus stops: the names of the lines that call there, as the file gives them (several separated by 、 or commas). */
  lines?: string | null;
  road_class?: string | null;
  speed_kmh?: number | null;
  /** Roads: driven from source to target only ('forward'), the other way only, or both (null). */
  one_way?: 'forward' | 'backward' | null;
  technical_grade?: TechnicalGrade | null;
  administrative_class?: AdministrativeClass | null;
  structure?: 'bridge' | 'tunnel' | null;
  /** Roads: the level lines cross at (0 at grade; null: a bridge or tunnel with no level given). */
  level?: number | null;
  /** Roads: what the road class was read from, for the import report ("行政等级 X → county"). */
  road_class_from?: string | null;
  /** Roads: the class, and the design speed, came from the county's road class mapping (road-classes.ts). */
  class_from_mapping?: boolean;
  speed_from_mapping?: boolean;
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

/**
 * The road class: the app's words (县道, 乡道, 村道, county…), or, since files put grades under
 * 等级 too, a technical grade (四级 → village) or the other administrative classes (国道, 省道 →
 * county; 专用公路 → village).
 */
function roadClassSpec(): FieldSpec<RoadClass> {
  const base = choice('road_class', ['class', '等级', '道路等级', '公路等级'], ROAD_CLASS_WORDS);
  return {
    ...base,
    expected: `${base.expected} (or 国道, 省道, 专用公路, 高速 … 四级, 等外)`,
    parse: (raw) => {
      const known = base.parse(raw);
      if (known !== undefined) return known;
      const value = typeof raw === 'string' ? raw.trim() : '';
      const grade = technicalGradeOf(value);
      if (grade) return DEFAULT_ROAD_CLASS_MAPPING.technical[grade].roadClass;
      if (/国道|省道/.test(value)) return 'county';
      if (/专用/.test(value)) return 'village';
      return undefined;
    },
  };
}

const YES = ['1', 'y', 'yes', 't', 'true', '是', '有'];
const NO = ['0', 'n', 'no', 'f', 'false', '否', '无', '非'];

/** A yes/no flag (是/否, 1/0, Y/N, true/false); a value naming the structure (…桥, …隧道) is yes. */
function flagSpec(name: string, aliases: readonly string[], word: string): FieldSpec<boolean> {
  return {
    name,
    aliases,
    expected: `是/否, 1/0, yes/no or a name with ${word}`,
    parse: (raw) => {
      const value = String(raw).trim().toLowerCase();
      if (YES.includes(value) || value.includes(word)) return true;
      if (NO.includes(value) || value === '') return false;
      return undefined;
    },
  };
}

const ONE_WAY_WORDS: Record<'forward' | 'backward' | 'both', readonly string[]> = {
  forward: [...YES, '+1', '正向', '顺向', '单行', '单向', 'forward', 'ft', 'fwd'],
  backward: ['-1', '反向', '逆向', 'backward', 'reverse', 'tf', 'back'],
  both: [...NO, '双向', '双行', 'both', 'b', 'two-way', 'twoway'],
};

/** One-way: 1/yes/正向 along the line as drawn, -1/反向 against it, 0/no/双向 both ways (null). */
function oneWaySpec(name: string, aliases: readonly string[]): FieldSpec<'forward' | 'backward' | null> {
  return {
    name,
    aliases,
    expected: '1/yes/正向 (along the line), -1/反向 (against it) or 0/no/双向',
    parse: (raw) => {
      const value = String(raw).trim().toLowerCase();
      if (ONE_WAY_WORDS.forward.includes(value)) return 'forward';
      if (ONE_WAY_WORDS.backward.includes(value)) return 'backward';
      if (ONE_WAY_WORDS.both.includes(value) || value === '') return null;
      return undefined;
    },
  };
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
  bus_stops: 'point',
  // War zones: a list of zones and their stations (no geometry), or polygons whose stations inside belong to them.
  war_zones: 'polygon',
  officers: 'point',
};

/** Layers whose features may come without a geometry (a table with no coordinate columns, or null geometries). */
export const POSITION_OPTIONAL: ReadonlySet<ImportLayer> = new Set(['households', 'war_zones', 'officers']);

/** Layers whose features carry a code that must be unique. */
export const CODED_LAYERS: ReadonlySet<ImportLayer> = new Set(['townships', 'villages', 'households', 'stations']);

/** A number of degrees within [min, max]. */
function degrees(
  name: string,
  aliases: readonly string[],
  min: number,
  max: number,
  expected: string,
): FieldSpec<number> {
  return {
    name,
    aliases,
    expected,
    parse: (raw) => {
      const value = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
      return value >= min && value <= max ? value : undefined;
    },
  };
}

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
  // Village lists give the committee's place in degrees even when the boundaries are projected.
  centreLon: degrees(
    'centre_lon',
    ['中心经度', '村委会经度', 'center_lon'],
    73,
    136,
    'a longitude in degrees (CGCS2000)',
  ),
  centreLat: degrees('centre_lat', ['中心纬度', '村委会纬度', 'center_lat'], 3, 54, 'a latitude in degrees (CGCS2000)'),
  householdCode: text('code', ['household_code', ...CODE, '户号', '户编号', '户编码'], 'the household code'),
  householdVillage: text('village_code', VILLAGE_REF, 'a village code or name'),
  address: text(
    'address',
    ['门牌', '门牌号', '门牌号码', '地址', '住址', '家庭住址', 'house_number'],
    'a house number',
  ),
  persons: integer('persons', ['population', '人口', '人数', '户人口', '家庭人口'], 1, 40),
  aged70Plus: integer('aged_70_plus', ['70岁以上', '七十岁以上', '70岁以上老人', '高龄老人'], 0, 40),
  disabled: integer('disabled', ['残疾人', '残疾'], 0, 40),
  leftBehind: integer('left_behind', ['留守', '留守人员', '留守妇女儿童'], 0, 40),
  lowIncome: integer('low_income', ['低收入', '困难', '低收入困难', '低保'], 0, 40),
  needsAssistance: integer('needs_assistance', ['需帮扶', '帮扶', '需帮扶监管', '帮扶监管'], 0, 40),
  roadClass: roadClassSpec(),
  roadName: text('name', [...NAME, '路名', '道路名称', 'lxmc', '路线名称'], 'the road name'),
  speed: positiveNumber('speed_kmh', ['speed', '速度', '限速', '设计速度', '时速'], 130),
  administrativeClass: text('administrative_class', ['xzdj', '行政等级', 'admin_class'], 'an administrative class'),
  routeCode: text('route_code', ['lxbm', '路线编码', '路线代码', '路线编号', 'route'], 'a route code'),
  technicalGrade: text('technical_grade', ['jsdj', '技术等级', 'tech_grade'], 'a technical grade'),
  oneWay: oneWaySpec('one_way', [
    'oneway',
    '单行',
    '单向',
    '是否单行',
    '单行线',
    'direction',
    'dir',
    '方向',
    '通行方向',
  ]),
  bridge: flagSpec('bridge', ['sfql', 'ql', '是否桥梁', '桥梁', '桥', 'is_bridge'], '桥'),
  tunnel: flagSpec('tunnel', ['sfsd', 'sd', '是否隧道', '隧道', 'is_tunnel'], '隧'),
  structureKind: text('structure', ['结构物', '构造物', '路段类型', '结构类型'], 'a structure kind'),
  level: integer('level', ['z_level', 'zlevel', 'zlev', '层级', '层次', '所在层'], -9, 9),
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
  busStopCode: text(
    'code',
    ['stop_id', 'stop_code', ...CODE, '站点编号', '站点编码', '站号', '站点代码'],
    'the stop code',
  ),
  busStopName: text('name', ['stop_name', ...NAME, '站名', '站点', '站点名称', '站点名'], 'the stop name'),
  busStopLines: text(
    'lines',
    ['line', 'route', 'routes', 'line_name', '线路', '线路名称', '公交线路', '途经线路', '经过线路', '班线'],
    'the names of the lines calling there (several separated by 、 or commas)',
  ),
  warZoneName: text('war_zone', ['name', 'zone', '战区', '战区名称', '名称'], 'the war zone name'),
  warZoneStations: text(
    'stations',
    [
      'station',
      'station_code',
      'station_name',
      '派出所',
      '派出所编码',
      '派出所名称',
      '所属派出所',
      '辖区派出所',
      '包含派出所',
    ],
    'the codes or names of its police stations (several separated by 、 or commas)',
  ),
  officerCode: text(
    'code',
    ['police_number', 'officer_id', 'badge', '警号', '警员编号', '工号', ...CODE],
    'the police number (警号)',
  ),
  officerName: text('name', ['officer_name', '姓名', '名字', '民警姓名', ...NAME], "the officer's name"),
  department: text(
    'department',
    ['unit', 'dept', '单位', '部门', '所在单位', '所属单位', '所在部门', '科所队'],
    'a unit',
  ),
  officerRank: text('rank', ['type', 'kind', '警种', '职务', '职级', '岗位', '类别'], 'a rank or kind of police'),
  qualifications: text(
    'qualifications',
    ['skills', '资质', '技能', '专长', '可承担勤务', '勤务'],
    'duties such as 交通/traffic, 接处警/incident, 巡逻/patrol',
  ),
  homeStation: text(
    'home_station',
    ['home_station_code', 'station', '所属派出所', '派出所', '驻地派出所', '出发派出所', '出发地', '驻地'],
    'the code or name of the police station the officer sets out from',
  ),
};

/**
 * An officer's qualifications from a cell of duty words (交通/交警/traffic, 接处警/incident,
 * 巡逻/patrol); undefined when a word is none of them.
 */
export function qualificationsOf(cell: string): string[] | undefined {
  const found = new Set<string>();
  for (const word of cell.split(/[,，、;；/|\s]+/).filter((w) => w !== '')) {
    if (/交通|交警|traffic/i.test(word)) found.add('traffic');
    else if (/接处警|处警|incident/i.test(word)) found.add('incident');
    else if (/巡逻|巡防|patrol/i.test(word)) found.add('patrol');
    else return undefined;
  }
  return [...found].sort();
}

/** The fields each layer reads, in order: for the preview's field mapping. */
export const LAYER_FIELDS: Record<ImportLayer, readonly FieldSpec<unknown>[]> = {
  townships: [F.townshipCode, F.townshipName],
  villages: [F.villageCode, F.villageName, F.villageTownship, F.villageKind, F.centreLon, F.centreLat],
  households: [
    F.householdCode,
    F.householdVillage,
    F.address,
    F.persons,
    F.aged70Plus,
    F.disabled,
    F.leftBehind,
    F.lowIncome,
    F.needsAssistance,
  ],
  roads: [
    F.roadClass,
    F.roadName,
    F.speed,
    F.administrativeClass,
    F.routeCode,
    F.technicalGrade,
    F.oneWay,
    F.bridge,
    F.tunnel,
    F.structureKind,
    F.level,
  ],
  stations: [F.stationCode, F.stationName, F.officers, F.warZone],
  events: [F.category, F.subcategory, F.occurredAt, F.householdVillage, F.eventStation],
  bus_stops: [F.busStopCode, F.busStopName, F.busStopLines, F.householdVillage],
  war_zones: [F.warZoneName, F.warZoneStations],
  officers: [F.officerCode, F.officerName, F.department, F.officerRank, F.qualifications, F.homeStation],
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
      // Without both, the centre is a point inside the boundary (write.ts).
      centre_lon: r.read(F.centreLon, false),
      centre_lat: r.read(F.centreLat, false),
    };
  },
  households: (r, index, problems) => {
    const fields: Fields = {
      code: r.read(F.householdCode, true),
      village_ref: r.read(F.householdVillage, false),
      address: r.read(F.address, false),
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
  roads: (r, index, problems) => {
    const adminText = r.read(F.administrativeClass, false);
    const routeCode = r.read(F.routeCode, false);
    const gradeText = r.read(F.technicalGrade, false);
    const administrativeClass = administrativeClassOf(adminText) ?? administrativeClassOf(routeCode);
    const technicalGrade = technicalGradeOf(gradeText);
    // Unknown words are warned about, not refused: the other fields may still give the class.
    if (adminText !== null && administrativeClassOf(adminText) === null) {
      problems.warning(index, `"${adminText}" is not an administrative class (国道 … 专用公路, G/S/X/Y/C/Z)`, {
        field: F.administrativeClass.name,
      });
    }
    if (gradeText !== null && technicalGrade === null) {
      problems.warning(index, `"${gradeText}" is not a technical grade (高速, 一级 … 四级, 等外)`, {
        field: F.technicalGrade.name,
      });
    }
    const given = r.read(F.roadClass, false);
    // The built-in mapping here; the county's own replaces it when the roads are written (write.ts).
    const mapped = mapRoad(DEFAULT_ROAD_CLASS_MAPPING, { administrativeClass, technicalGrade });
    const roadClass: RoadClass | null = given ?? mapped.roadClass;
    if (!roadClass) {
      problems.error(
        index,
        `missing; expected ${F.roadClass.expected}, 行政等级/XZDJ, 路线编码/LXBM or 技术等级/JSDJ`,
        {
          field: F.roadClass.name,
        },
      );
    }
    const speed = r.read(F.speed, false);
    const structureWord = r.read(F.structureKind, false) ?? '';
    const structure =
      r.read(F.bridge, false) || /桥|bridge/i.test(structureWord)
        ? 'bridge'
        : r.read(F.tunnel, false) || /隧|tunnel/i.test(structureWord)
          ? 'tunnel'
          : null;
    const level = r.read(F.level, false);
    return {
      road_class: roadClass,
      name: r.read(F.roadName, false) ?? routeCode,
      speed_kmh: speed ?? mapped.designSpeedKmh ?? (roadClass ? DEFAULT_SPEED_KMH[roadClass] : null),
      one_way: r.read(F.oneWay, false),
      technical_grade: technicalGrade,
      administrative_class: administrativeClass,
      structure,
      level: level ?? (structure ? null : 0),
      road_class_from: given ? 'class' : mapped.from,
      class_from_mapping: !given && mapped.roadClass !== null,
      speed_from_mapping: speed === null && mapped.designSpeedKmh !== null,
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
  bus_stops: (r) => ({
    code: r.read(F.busStopCode, false),
    name: r.read(F.busStopName, true),
    lines: r.read(F.busStopLines, false),
    // The village it serves; without one, the village containing it (bus-stops.ts).
    village_ref: r.read(F.householdVillage, false),
  }),
  war_zones: (r) => ({
    war_zone: r.read(F.warZoneName, true),
    // Without stations, a polygon's stations inside it belong to the zone (war-zones.ts).
    station_ref: r.read(F.warZoneStations, false),
  }),
  officers: (r, index, problems) => {
    const department = r.read(F.department, false);
    const rank = r.read(F.officerRank, false);
    const cell = r.read(F.qualifications, false);
    let qualifications: string[] | undefined;
    if (cell !== null) {
      qualifications = qualificationsOf(cell);
      if (!qualifications) {
        problems.error(index, `expected ${F.qualifications.expected}, got "${cell}"`, { field: F.qualifications.name });
      }
    }
    // Without a qualifications column, every officer may respond to incidents and patrol, and a
    // traffic police officer (交警) may also direct traffic: the one duty that needs a qualification.
    qualifications ??= /交警|交通|traffic/i.test(`${department ?? ''} ${rank ?? ''}`)
      ? ['incident', 'patrol', 'traffic']
      : ['incident', 'patrol'];
    return {
      code: r.read(F.officerCode, false),
      name: r.read(F.officerName, true),
      department: department ?? '机关',
      qualifications: qualifications.join(','),
      station_ref: r.read(F.homeStation, false),
    };
  },
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
    // A household without coordinates is placed along its village's roads (place-households.ts).
    const unplaced =
      POSITION_OPTIONAL.has(layer) && (feature.unplaced === true || (!feature.csv && feature.geometry === null));
    if (feature.geometry !== undefined && !(feature.csv && feature.geometry === null) && !unplaced) {
      const checked = checkGeometry(feature.geometry, family, convert);
      for (const reason of checked.problems) problems.error(index, reason, { field: 'geometry' });
      geometry = checked.geometry;
    }
    const fields = READ_FIELDS[layer](new FieldReader(feature, problems), index, problems);
    if (layer === 'households' && unplaced && !fields.village_ref) {
      problems.error(index, 'no coordinates and no village: give lon/lat (or x/y), or a village code or name', {
        field: 'village_code',
      });
    }
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
