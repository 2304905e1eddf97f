/**
 * A county's road class mapping: from a road file's administrative class (行政等级) and technical
 * grade (技术等级) to the app's road class and design speed. The built-in mapping follows JTG
 * B01-2014 as the speed model reads it; each county may change it (county_road_classes), and a
 * change re-costs the county's roads that took their class or speed from it. Pure, apart from the
 * repository functions at the end that take the connection.
 */
import { sql, type Kysely } from 'kysely';
import type { DB, RoadClass } from '../../db/schema.js';
import { AppError } from '../../http/errors.js';
import {
  type AdministrativeClass,
  DESIGN_SPEED_KMH,
  GRADE_OF_ADMINISTRATIVE_CLASS,
  type TechnicalGrade,
} from '../../routing/speed-model.js';

export const ADMINISTRATIVE_CLASSES: readonly AdministrativeClass[] = ['G', 'S', 'X', 'Y', 'C', 'Z'];
export const TECHNICAL_GRADES: readonly TechnicalGrade[] = [
  'expressway',
  'class1',
  'class2',
  'class3',
  'class4',
  'substandard',
];
const ROAD_CLASSES: readonly RoadClass[] = ['county', 'township', 'village'];

export const ADMINISTRATIVE_WORDS: Readonly<Record<AdministrativeClass, string>> = {
  G: '国道',
  S: '省道',
  X: '县道',
  Y: '乡道',
  C: '村道',
  Z: '专用公路',
};
export const GRADE_WORDS: Readonly<Record<TechnicalGrade, string>> = {
  expressway: '高速',
  class1: '一级',
  class2: '二级',
  class3: '三级',
  class4: '四级',
  substandard: '等外',
};

export interface RoadClassMapping {
  /** Each administrative class: its road class, and the grade usual for it when the file gives none. */
  administrative: Record<AdministrativeClass, { roadClass: RoadClass; grade: TechnicalGrade }>;
  /** Each technical grade: its road class and its design speed, km/h. */
  technical: Record<TechnicalGrade, { roadClass: RoadClass; designSpeedKmh: number }>;
}

const CLASS_OF_ADMINISTRATIVE: Record<AdministrativeClass, RoadClass> = {
  G: 'county',
  S: 'county',
  X: 'county',
  Y: 'township',
  C: 'village',
  Z: 'village',
};
const CLASS_OF_GRADE: Record<TechnicalGrade, RoadClass> = {
  expressway: 'county',
  class1: 'county',
  class2: 'county',
  class3: 'township',
  class4: 'village',
  substandard: 'village',
};

/** The built-in mapping: the speed model's design speeds and usual grades (server/routing/speed-model.ts). */
export const DEFAULT_ROAD_CLASS_MAPPING: RoadClassMapping = Object.freeze({
  administrative: Object.fromEntries(
    ADMINISTRATIVE_CLASSES.map((a) => [
      a,
      { roadClass: CLASS_OF_ADMINISTRATIVE[a], grade: GRADE_OF_ADMINISTRATIVE_CLASS[a] },
    ]),
  ) as RoadClassMapping['administrative'],
  technical: Object.fromEntries(
    TECHNICAL_GRADES.map((g) => [g, { roadClass: CLASS_OF_GRADE[g], designSpeedKmh: DESIGN_SPEED_KMH[g] }]),
  ) as RoadClassMapping['technical'],
});

/** What the mapping gives a road: its class and design speed, and what they were read from. */
export interface MappedRoad {
  roadClass: RoadClass | null;
  designSpeedKmh: number | null;
  /** For the report: "行政等级 X 县道" or "技术等级 四级". */
  from: string | null;
}

/** A road's class (from its administrative class first, then its grade) and design speed (from its grade, else the usual one). */
export function mapRoad(
  mapping: RoadClassMapping,
  road: { administrativeClass: AdministrativeClass | null; technicalGrade: TechnicalGrade | null },
): MappedRoad {
  const { administrativeClass: a, technicalGrade: g } = road;
  const grade = g ?? (a ? mapping.administrative[a].grade : null);
  return {
    roadClass: a ? mapping.administrative[a].roadClass : g ? mapping.technical[g].roadClass : null,
    designSpeedKmh: grade ? mapping.technical[grade].designSpeedKmh : null,
    from: a ? `行政等级 ${a} ${ADMINISTRATIVE_WORDS[a]}` : g ? `技术等级 ${GRADE_WORDS[g]}` : null,
  };
}

/** The mapping in one line, for the import report and the CLI. */
export function describeRoadClassMapping(mapping: RoadClassMapping): string {
  const administrative = ADMINISTRATIVE_CLASSES.map((a) => {
    const { roadClass, grade } = mapping.administrative[a];
    return `${a} ${ADMINISTRATIVE_WORDS[a]} → ${roadClass}, usually ${GRADE_WORDS[grade]}`;
  });
  const technical = TECHNICAL_GRADES.map((g) => {
    const { roadClass, designSpeedKmh } = mapping.technical[g];
    return `${GRADE_WORDS[g]} → ${roadClass}, ${designSpeedKmh} km/h`;
  });
  return `${administrative.join('; ')}; ${technical.join('; ')}`;
}

const bad = (message: string) => AppError.badRequest(message);

/**
 * A mapping with changes applied, each `KEY=VALUE`: an administrative class (G…Z) with a grade
 * (class1, 二级…) or a road class (county, township, village); a grade with a design speed in km/h
 * (1–130) or a road class. Throws a 400 naming the bad pair.
 */
export function applyRoadClassChanges(mapping: RoadClassMapping, changes: readonly string[]): RoadClassMapping {
  const next: RoadClassMapping = structuredClone(mapping);
  const gradeOf = (word: string) =>
    TECHNICAL_GRADES.find((g) => g === word || GRADE_WORDS[g] === word.replace(/公路$/, '')) ?? null;
  for (const change of changes) {
    const [rawKey, rawValue, ...rest] = change.split('=').map((s) => s.trim());
    if (!rawKey || !rawValue || rest.length > 0) {
      throw bad(
        `应为 键=值，如 G=class1、class3=35、Y=county（expected KEY=VALUE such as G=class1, class3=35, Y=county; got "${change}"）`,
      );
    }
    const admin = ADMINISTRATIVE_CLASSES.find((a) => a === rawKey.toUpperCase() || ADMINISTRATIVE_WORDS[a] === rawKey);
    const grade = gradeOf(rawKey);
    const roadClass = ROAD_CLASSES.find((c) => c === rawValue);
    if (admin) {
      const valueGrade = gradeOf(rawValue);
      if (roadClass) next.administrative[admin].roadClass = roadClass;
      else if (valueGrade) next.administrative[admin].grade = valueGrade;
      else {
        throw bad(
          `${rawKey} 的值应为技术等级或道路类别（${rawKey} takes a grade (${TECHNICAL_GRADES.join(', ')}) or a road class (${ROAD_CLASSES.join(', ')}); got "${rawValue}"）`,
        );
      }
    } else if (grade) {
      const speed = Number(rawValue);
      if (roadClass) next.technical[grade].roadClass = roadClass;
      else if (/^\d+(\.\d+)?$/.test(rawValue) && speed >= 1 && speed <= 130)
        next.technical[grade].designSpeedKmh = speed;
      else {
        throw bad(
          `${rawKey} 的值应为 1–130 的设计速度或道路类别（${rawKey} takes a design speed from 1 to 130 km/h or a road class; got "${rawValue}"）`,
        );
      }
    } else {
      throw bad(
        `未知的行政等级或技术等级 "${rawKey}"（unknown administrative class or grade "${rawKey}": ${[...ADMINISTRATIVE_CLASSES, ...TECHNICAL_GRADES].join(', ')}）`,
      );
    }
  }
  return next;
}

/** Checks a mapping given whole (the API's PUT body) and returns it; throws a 400 naming what is wrong. */
export function checkRoadClassMapping(value: unknown): RoadClassMapping {
  const mapping = value as Partial<RoadClassMapping> | null;
  const problems: string[] = [];
  for (const a of ADMINISTRATIVE_CLASSES) {
    const entry = mapping?.administrative?.[a];
    if (!entry || !ROAD_CLASSES.includes(entry.roadClass) || !TECHNICAL_GRADES.includes(entry.grade)) {
      problems.push(`administrative.${a}`);
    }
  }
  for (const g of TECHNICAL_GRADES) {
    const entry = mapping?.technical?.[g];
    const speed = entry?.designSpeedKmh;
    if (
      !entry ||
      !ROAD_CLASSES.includes(entry.roadClass) ||
      typeof speed !== 'number' ||
      !(speed >= 1 && speed <= 130)
    ) {
      problems.push(`technical.${g}`);
    }
  }
  if (problems.length > 0) {
    throw AppError.badRequest(
      `道路类别映射不完整或有误（the road class mapping is incomplete or wrong at ${problems.join(', ')}: each administrative class needs a roadClass and a grade, each grade a roadClass and a designSpeedKmh from 1 to 130）`,
      { fields: problems },
    );
  }
  return {
    administrative: Object.fromEntries(
      ADMINISTRATIVE_CLASSES.map((a) => [
        a,
        { roadClass: mapping!.administrative![a].roadClass, grade: mapping!.administrative![a].grade },
      ]),
    ) as RoadClassMapping['administrative'],
    technical: Object.fromEntries(
      TECHNICAL_GRADES.map((g) => [
        g,
        { roadClass: mapping!.technical![g].roadClass, designSpeedKmh: mapping!.technical![g].designSpeedKmh },
      ]),
    ) as RoadClassMapping['technical'],
  };
}

/** The county's mapping (the built-in one when it has none of its own). */
export async function readRoadClassMapping(
  db: Kysely<DB>,
  countyCode: string,
): Promise<{ mapping: RoadClassMapping; own: boolean }> {
  const row = await sql<{ mapping: RoadClassMapping | string }>`
    select mapping from county_road_classes where county_code = ${countyCode}`.execute(db);
  const stored = row.rows[0]?.mapping;
  if (stored === undefined) return { mapping: DEFAULT_ROAD_CLASS_MAPPING, own: false };
  return { mapping: typeof stored === 'string' ? (JSON.parse(stored) as RoadClassMapping) : stored, own: true };
}

/**
 * Store a county's mapping and re-cost its roads in one transaction: every edge that took its
 * class or speed from the mapping gets them again from the new one (the routing network, which
 * costs edges from their design speed, must then be reloaded: the caller signals the change).
 * Returns how many edges changed.
 */
export async function writeRoadClassMapping(
  db: Kysely<DB>,
  countyCode: string,
  mapping: RoadClassMapping,
  by: string,
): Promise<{ edgesChanged: number }> {
  return db.transaction().execute(async (trx) => {
    await sql`
      insert into county_road_classes (county_code, mapping, updated_by) values (${countyCode}, ${JSON.stringify(mapping)}::jsonb, ${by})
      on conflict (county_code) do update set mapping = excluded.mapping, updated_by = excluded.updated_by, updated_at = now()`.execute(
      trx,
    );
    const result = await sql`
      with m as (select ${JSON.stringify(mapping)}::jsonb as m),
      mapped as (
        select e.id,
          case when e.administrative_class is not null then m.m->'administrative'->e.administrative_class->>'roadClass'
               else m.m->'technical'->e.technical_grade->>'roadClass' end as road_class,
          (m.m->'technical'->coalesce(e.technical_grade, m.m->'administrative'->e.administrative_class->>'grade')->>'designSpeedKmh')::real as speed
        from road_edges e, m
        where e.county_code = ${countyCode} and (e.class_from_mapping or e.speed_from_mapping)
      )
      update road_edges e set
        road_class = case when e.class_from_mapping then mapped.road_class else e.road_class end,
        speed_kmh = case when e.speed_from_mapping then mapped.speed else e.speed_kmh end
      from mapped
      where e.id = mapped.id
        and ((e.class_from_mapping and e.road_class <> mapped.road_class)
          or (e.speed_from_mapping and e.speed_kmh <> mapped.speed))`.execute(trx);
    return { edgesChanged: Number(result.numAffectedRows ?? 0) };
  });
}
