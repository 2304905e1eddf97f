import type { Explanation, ShortReason } from './explain.js';
import type { AllocationProblem } from './problem.js';

/** Languages the explanations are written in. */
export type Locale = 'zh-CN' | 'en';

/** Names of the things an explanation mentions, in one language. */
export interface ExplanationLabels {
  zone(zoneId: string): string;
  station(stationCode: string): string;
  duty(dutyId: string): string;
  day(day: number): string;
  shift(shift: number): string;
}

interface Dictionary {
  zone: (ordinal: number) => string;
  day: (day: number) => string;
  /** Names of the shifts of a day with this many shifts, or null for numbered shifts. */
  shifts: (shiftsPerDay: number) => readonly string[] | null;
  shift: (shift: number) => string;
  reason: Record<ShortReason, (minutes: number) => string>;
  short: (where: string, officerShifts: number, reason: string) => string;
  zoneMinimum: (where: string, required: number, posted: number, officerShifts: number) => string;
  stationCover: (where: string, required: number, posted: number, officerShifts: number) => string;
  extraOfficer: (zone: string, station: string, officerShifts: number, weighted: number) => string;
  allMet: (demanded: number) => string;
  where: (...parts: string[]) => string;
  stationInZone: (station: string, zone: string) => string;
}

const zh: Dictionary = {
  zone: (ordinal) => `第${ordinal}战区`,
  day: (day) => `第${day + 1}天`,
  shifts: (n) => (n === 3 ? ['白班', '中班', '夜班'] : n === 2 ? ['白班', '夜班'] : null),
  shift: (shift) => `第${shift + 1}班`,
  reason: {
    all_qualified_in_range_assigned: (m) => `${m} 分钟车程内有资质的机关警力已全部安排`,
    no_one_in_range: (m) => `${m} 分钟车程内没有当班可用的机关警力`,
    no_qualified_in_range: (m) => `${m} 分钟车程内没有具备所需资质的可用警力`,
    zone_cap: () => '本战区该班次已达警力上限',
    rest_rules: () => '车程内尚有空闲警力，但再排班会违反连续上岗与休息规定',
    solver_gap: () => '求解未完全收敛，可能仍有更优方案',
  },
  short: (where, n, reason) => `${where} 缺 ${n} 人次：${reason}`,
  zoneMinimum: (where, required, posted, n) => `${where} 最低警力 ${required} 人，只能安排 ${posted} 人，缺 ${n} 人`,
  stationCover: (where, required, posted, n) => `${where} 最低在岗 ${required} 人，只能安排 ${posted} 人，缺 ${n} 人`,
  extraOfficer: (zone, station, n, weighted) =>
    `${zone}：再增加 1 名驻地在${station}、全勤且具备全部资质的机关警力，可多补 ${n} 人次（加权缺口减少 ${weighted}）`,
  allMet: (demanded) => `全部 ${demanded} 人次警力需求均已满足`,
  where: (...parts) => parts.join(' '),
  stationInZone: (station, zone) => `${station}（${zone}）`,
};

const en: Dictionary = {
  zone: (ordinal) => `War zone ${ordinal}`,
  day: (day) => `day ${day + 1}`,
  shifts: (n) =>
    n === 3 ? ['day shift', 'evening shift', 'night shift'] : n === 2 ? ['day shift', 'night shift'] : null,
  shift: (shift) => `shift ${shift + 1}`,
  reason: {
    all_qualified_in_range_assigned: (m) =>
      `every qualified headquarters officer within a ${m}-minute drive is already on duty`,
    no_one_in_range: (m) => `no headquarters officer is available within a ${m}-minute drive`,
    no_qualified_in_range: (m) => `no available officer within a ${m}-minute drive holds the required qualification`,
    zone_cap: () => 'the war zone is at its cap for this shift',
    rest_rules: () => 'officers in range are free, but one more shift would break the rest rules',
    solver_gap: () => 'the solver stopped before proving optimality; a better plan may exist',
  },
  short: (where, n, reason) => `${where}: short by ${n} officer-shift${n === 1 ? '' : 's'} — ${reason}`,
  zoneMinimum: (where, required, posted, n) =>
    `${where}: minimum ${required} officers, only ${posted} can be posted (${n} short)`,
  stationCover: (where, required, posted, n) =>
    `${where}: minimum cover ${required} officers, only ${posted} can be posted (${n} short)`,
  extraOfficer: (zone, station, n, weighted) =>
    `${zone}: one more headquarters officer based at ${station}, available every shift and holding every qualification, would fill ${n} more officer-shift${n === 1 ? '' : 's'} (weighted shortfall −${weighted})`,
  allMet: (demanded) => `All ${demanded} requested officer-shifts are covered`,
  where: (...parts) => parts.join(', '),
  stationInZone: (station, zone) => `${station} (${zone})`,
};

const DICTIONARIES: Record<Locale, Dictionary> = { 'zh-CN': zh, en };

/** Labels from the problem's own names (nameZh / nameEn), falling back to numbered war zones, codes and ids. */
export function explanationLabels(problem: AllocationProblem, locale: Locale): ExplanationLabels {
  const dictionary = DICTIONARIES[locale];
  const pick = (names: { nameZh?: string; nameEn?: string }) => (locale === 'zh-CN' ? names.nameZh : names.nameEn);
  const zones = new Map(problem.zones.map((z, i) => [z.id, pick(z) ?? dictionary.zone(i + 1)]));
  const stations = new Map(problem.stations.map((s) => [s.code, pick(s) ?? s.code]));
  const duties = new Map(problem.duties.map((d) => [d.id, pick(d) ?? d.id]));
  const shiftNames = dictionary.shifts(problem.shiftsPerDay);
  return {
    zone: (id) => zones.get(id) ?? id,
    station: (code) => stations.get(code) ?? code,
    duty: (id) => duties.get(id) ?? id,
    day: dictionary.day,
    shift: (shift) => shiftNames?.[shift] ?? dictionary.shift(shift),
  };
}

/** One explanation as a sentence, e.g. "第3战区 第2天 夜班 缺 14 人次：60 分钟车程内有资质的机关警力已全部安排". */
export function renderExplanation(explanation: Explanation, locale: Locale, labels: ExplanationLabels): string {
  const t = DICTIONARIES[locale];
  switch (explanation.kind) {
    case 'short': {
      const where = t.where(
        labels.zone(explanation.zoneId),
        labels.day(explanation.day),
        labels.shift(explanation.shift),
      );
      const reason = t.reason[explanation.reason](Math.round(explanation.maxTravelSeconds / 60));
      return t.short(where, explanation.officerShifts, reason);
    }
    case 'zone_minimum_short': {
      const where = t.where(
        labels.zone(explanation.zoneId),
        labels.day(explanation.day),
        labels.shift(explanation.shift),
      );
      return t.zoneMinimum(where, explanation.required, explanation.posted, explanation.officerShifts);
    }
    case 'station_cover_short': {
      const station = t.stationInZone(labels.station(explanation.stationCode), labels.zone(explanation.zoneId));
      const where = t.where(station, labels.day(explanation.day), labels.shift(explanation.shift));
      return t.stationCover(where, explanation.required, explanation.posted, explanation.officerShifts);
    }
    case 'extra_officer':
      return t.extraOfficer(
        labels.zone(explanation.zoneId),
        labels.station(explanation.homeStation),
        explanation.officerShifts,
        explanation.weightedUnmetReduction,
      );
    case 'all_met':
      return t.allMet(explanation.demanded);
  }
}

/** Every explanation of a result as sentences in one language. */
export function renderExplanations(
  explanations: readonly Explanation[],
  problem: AllocationProblem,
  locale: Locale,
): string[] {
  const labels = explanationLabels(problem, locale);
  return explanations.map((e) => renderExplanation(e, locale, labels));
}
