import type {
  DemandEntry,
  DutyId,
  EvidenceEntry,
  HolidayDetail,
  PlanDetail,
  SolveRequest,
} from '../../../../contracts/holidays.js';

/** Duties in priority order: incident response before traffic control before patrol. */
export const DUTIES: readonly DutyId[] = ['incident', 'traffic', 'patrol'];

// ---- Demand cells ---------------------------------------------------------------------------

/** A station's submission for one (day, shift, duty) as the editor holds it. */
export interface DemandValues {
  officers: number;
  ownOnDuty: number;
}

/** Demand cells edited but not saved yet, by `cellKey`. */
export type DemandDraft = Readonly<Record<string, DemandValues>>;

/** The key of one (station, day, shift, duty) cell. */
export function cellKey(stationCode: string, day: number, shift: number, duty: string): string {
  return `${stationCode}|${day}|${shift}|${duty}`;
}

function parseKey(key: string): { stationCode: string; day: number; shift: number; duty: DutyId } {
  const [stationCode = '', day = '0', shift = '0', duty = 'incident'] = key.split('|');
  return { stationCode, day: Number(day), shift: Number(shift), duty: duty as DutyId };
}

const indexCache = new WeakMap<object, Map<string, unknown>>();

/** Entries by cell key; built once per (frozen, server-sent) list. */
function indexOf<E extends { stationCode: string; day: number; shift: number; duty: string }>(
  entries: readonly E[],
): Map<string, E> {
  let index = indexCache.get(entries) as Map<string, E> | undefined;
  if (!index) {
    index = new Map(entries.map((e) => [cellKey(e.stationCode, e.day, e.shift, e.duty), e]));
    indexCache.set(entries, index);
  }
  return index;
}

/** The saved submission of a cell (zeros when the station asked for nothing there). */
export function savedDemand(detail: HolidayDetail, key: string): DemandValues {
  const entry = indexOf<DemandEntry>(detail.demands).get(key);
  return { officers: entry?.officers ?? 0, ownOnDuty: entry?.ownOnDuty ?? 0 };
}

/** Expected officers of a cell from past holidays (0 without evidence). */
export function expectedOfficers(detail: HolidayDetail, key: string): number {
  return indexOf<EvidenceEntry>(detail.evidence).get(key)?.expectedOfficers ?? 0;
}

/** What the editor shows in a cell: the draft if edited, else the saved value. */
export function currentDemand(detail: HolidayDetail, draft: DemandDraft, key: string): DemandValues {
  return draft[key] ?? savedDemand(detail, key);
}

/**
 * The draft after one edit: a cell edited back to its saved values leaves the draft, so "unsaved
 * changes" counts only real changes. Negative or fractional values become whole officers ≥ 0.
 */
export function editDraft(
  detail: HolidayDetail,
  draft: DemandDraft,
  key: string,
  field: keyof DemandValues,
  value: number,
): DemandDraft {
  const whole = Number.isFinite(value) ? Math.max(0, Math.round(value)) : 0;
  const next = { ...currentDemand(detail, draft, key), [field]: whole };
  const saved = savedDemand(detail, key);
  const { [key]: _old, ...rest } = draft;
  return next.officers === saved.officers && next.ownOnDuty === saved.ownOnDuty ? rest : { ...rest, [key]: next };
}

/** Drops the draft cells that equal what the server now holds (after a save, or another user's). */
export function pruneDraft(detail: HolidayDetail, draft: DemandDraft): DemandDraft {
  let pruned: Record<string, DemandValues> | null = null;
  for (const [key, values] of Object.entries(draft)) {
    const saved = savedDemand(detail, key);
    if (saved.officers === values.officers && saved.ownOnDuty === values.ownOnDuty) {
      pruned ??= { ...draft };
      delete pruned[key];
    }
  }
  return pruned ?? draft;
}

/**
 * The body of PUT /api/holidays/{id}/demands for a draft. The server replaces all entries of each
 * station present, so every edited station is sent whole (its saved cells merged with the draft),
 * without cells that ask for nothing. A station edited down to nothing at all is sent with one
 * zero cell, so that it is present and its old entries are cleared.
 */
export function demandPutEntries(detail: HolidayDetail, draft: DemandDraft): DemandEntry[] {
  const edited = new Set(Object.keys(draft).map((key) => parseKey(key).stationCode));
  const cells = new Map<string, DemandEntry>();
  for (const entry of detail.demands) {
    if (edited.has(entry.stationCode)) cells.set(cellKey(entry.stationCode, entry.day, entry.shift, entry.duty), entry);
  }
  for (const [key, values] of Object.entries(draft)) cells.set(key, { ...parseKey(key), ...values });
  const dutyRank = (duty: string) => DUTIES.indexOf(duty as DutyId);
  const sorted = [...cells.values()]
    .map((e) => ({ ...e }))
    .sort(
      (a, b) =>
        a.stationCode.localeCompare(b.stationCode) ||
        a.day - b.day ||
        a.shift - b.shift ||
        dutyRank(a.duty) - dutyRank(b.duty),
    );
  const entries = sorted.filter((e) => e.officers > 0 || e.ownOnDuty > 0);
  for (const station of [...edited].sort()) {
    if (!entries.some((e) => e.stationCode === station)) entries.push(sorted.find((e) => e.stationCode === station)!);
  }
  return entries;
}

/** A draft that asks, in every cell of a station, for the officers past holidays suggest (rounded). */
export function draftFromEvidence(detail: HolidayDetail, draft: DemandDraft, stationCode: string): DemandDraft {
  let next = draft;
  const { days, shiftsPerDay } = detail.holiday;
  for (let day = 0; day < days; day++) {
    for (let shift = 0; shift < shiftsPerDay; shift++) {
      for (const duty of DUTIES) {
        const key = cellKey(stationCode, day, shift, duty);
        next = editDraft(detail, next, key, 'officers', Math.round(expectedOfficers(detail, key)));
      }
    }
  }
  return next;
}

// ---- Evidence marks -------------------------------------------------------------------------

/** A request above this multiple of the evidence is marked as much more than past holidays suggest. */
export const EVIDENCE_OVER_RATIO = 1.5;
/** A request below this multiple of the evidence is marked as much less. */
export const EVIDENCE_UNDER_RATIO = 0.5;
/** Differences under one officer are never marked: 1 asked against 0.4 expected is no story. */
export const EVIDENCE_MIN_GAP_OFFICERS = 1;

/** How a request compares with the evidence: much more, much less, or neither. */
export type EvidenceMark = 'over' | 'under' | 'none';

/**
 * Whether a request is much more (> 1.5×) or much less (< 0.5×) than the evidence, by at least one
 * officer. The evidence counts only event handling, while stations also ask for presence, so it is
 * first scaled by `typicalRatio` — what stations typically ask per unit of evidence (the median
 * over the county) — and the mark tells who asks for much more or much less than the others do for
 * the same history.
 */
export function evidenceMark(requested: number, expected: number, typicalRatio = 1): EvidenceMark {
  const typical = expected * typicalRatio;
  if (requested > EVIDENCE_OVER_RATIO * typical && requested - typical >= EVIDENCE_MIN_GAP_OFFICERS) return 'over';
  if (requested < EVIDENCE_UNDER_RATIO * typical && typical - requested >= EVIDENCE_MIN_GAP_OFFICERS) return 'under';
  return 'none';
}

/** The median of requested ÷ expected over the stations with evidence (1 when none has any). */
export function typicalAskRatio(totals: readonly { requested: number; expected: number }[]): number {
  const ratios = totals
    .filter((t) => t.expected > 0)
    .map((t) => t.requested / t.expected)
    .sort((a, b) => a - b);
  if (ratios.length === 0) return 1;
  const middle = ratios.length >> 1;
  return ratios.length % 2 ? ratios[middle]! : (ratios[middle - 1]! + ratios[middle]!) / 2;
}

/** One station's submission over the holiday, beside the evidence. */
export interface StationDemandSummary {
  code: string;
  name: string;
  warZoneId: number | null;
  ownOfficers: number;
  /** Officer-shifts asked for (draft included). */
  requested: number;
  /** Officer-shifts past holidays suggest. */
  expected: number;
  /** requested ÷ expected, null without evidence. */
  ratio: number | null;
  mark: EvidenceMark;
  byDuty: Record<DutyId, { requested: number; expected: number; mark: EvidenceMark }>;
  /** Cells edited and not saved. */
  edited: number;
}

/** Every station's totals, asked vs expected, in the order the server lists the stations. */
export function stationSummaries(detail: HolidayDetail, draft: DemandDraft): StationDemandSummary[] {
  const requested = new Map<string, number>();
  const expected = new Map<string, number>();
  const edited = new Map<string, number>();
  const add = (map: Map<string, number>, key: string, value: number) => map.set(key, (map.get(key) ?? 0) + value);
  for (const entry of detail.demands) {
    const key = cellKey(entry.stationCode, entry.day, entry.shift, entry.duty);
    if (draft[key]) continue;
    add(requested, entry.stationCode, entry.officers);
    add(requested, `${entry.stationCode}|${entry.duty}`, entry.officers);
  }
  for (const [key, values] of Object.entries(draft)) {
    const { stationCode, duty } = parseKey(key);
    add(requested, stationCode, values.officers);
    add(requested, `${stationCode}|${duty}`, values.officers);
    add(edited, stationCode, 1);
  }
  for (const entry of detail.evidence) {
    add(expected, entry.stationCode, entry.expectedOfficers);
    add(expected, `${entry.stationCode}|${entry.duty}`, entry.expectedOfficers);
  }
  const typical = typicalAskRatio(
    detail.stations.map((s) => ({ requested: requested.get(s.code) ?? 0, expected: expected.get(s.code) ?? 0 })),
  );
  return detail.stations.map((station) => {
    const asked = requested.get(station.code) ?? 0;
    const suggested = round1(expected.get(station.code) ?? 0);
    const byDuty = Object.fromEntries(
      DUTIES.map((duty) => {
        const r = requested.get(`${station.code}|${duty}`) ?? 0;
        const e = round1(expected.get(`${station.code}|${duty}`) ?? 0);
        return [duty, { requested: r, expected: e, mark: evidenceMark(r, e, typical) }];
      }),
    ) as StationDemandSummary['byDuty'];
    return {
      code: station.code,
      name: station.name,
      warZoneId: station.warZoneId,
      ownOfficers: station.ownOfficers,
      requested: asked,
      expected: suggested,
      ratio: suggested > 0 ? asked / suggested : null,
      mark: evidenceMark(asked, suggested, typical),
      byDuty,
      edited: edited.get(station.code) ?? 0,
    };
  });
}

const round1 = (value: number) => Math.round(value * 10) / 10;

// ---- Coverage -------------------------------------------------------------------------------

/** From this share of the demand met, a zone is well covered (green). */
export const COVERAGE_GOOD_SHARE = 0.95;
/** From this share, partly covered (amber); below it, short (red). */
export const COVERAGE_WARN_SHARE = 0.8;

/** The colour class of a share of demand met. */
export type CoverageClass = 'good' | 'warn' | 'bad' | 'none';

/** Met ÷ demanded officer-shifts; null when nothing was demanded. */
export function coverageShare(totals: { demanded: number; met: number }): number | null {
  return totals.demanded > 0 ? Math.min(1, totals.met / totals.demanded) : null;
}

/** The colour class of a coverage share: good ≥ 95 %, warn ≥ 80 %, bad below, none without demand. */
export function coverageClass(share: number | null): CoverageClass {
  if (share === null) return 'none';
  if (share >= COVERAGE_GOOD_SHARE) return 'good';
  if (share >= COVERAGE_WARN_SHARE) return 'warn';
  return 'bad';
}

/** A war zone's coverage in a plan (zone ids are war-zone ids as text in the coverage). */
export function zoneCoverage(plan: PlanDetail, warZoneId: number) {
  return plan.coverage.byZone.find((z) => z.zoneId === String(warZoneId)) ?? null;
}

// ---- Days and shifts ------------------------------------------------------------------------

/** The date of a holiday day, 'YYYY-MM-DD' (day 0 = the first day). */
export function dayDate(firstDay: string, day: number): string {
  const [year, month, date] = firstDay.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(year, month - 1, date + day)).toISOString().slice(0, 10);
}

/** Month and day of a holiday day, e.g. '2/6'. */
export function dayShort(firstDay: string, day: number): string {
  const [, month = '', date = ''] = dayDate(firstDay, day).split('-');
  return `${Number(month)}/${Number(date)}`;
}

/** The first shift of a holiday day starts at 08:00 (白班); the last ends the next morning. */
export const SHIFT_START_HOUR = 8;

/** The hours of a shift as text, e.g. '08–16' for shift 0 of 3 and '00–08' for shift 2 (the night). */
export function shiftHours(shiftsPerDay: number, shift: number): string {
  const hours = 24 / shiftsPerDay;
  const text = (h: number) => (Number.isInteger(h) ? String(h).padStart(2, '0') : h.toFixed(1));
  const start = SHIFT_START_HOUR + shift * hours;
  const end = start + hours;
  return `${text(start % 24)}–${text(end > 24 ? end - 24 : end)}`;
}

// ---- What-if and solving --------------------------------------------------------------------

/** The what-if settings of the next solve: a label, a pool size (null: the whole pool), caps per zone. */
export interface WhatIf {
  label: string;
  poolSize: number | null;
  /** War zone id → at most this many officers per shift in the zone. */
  zoneCaps: Readonly<Record<string, number>>;
}

/** The POST /plans body for a what-if: only what differs from a plain solve is sent. */
export function solveRequestOf(whatIf: WhatIf): SolveRequest {
  const label = whatIf.label.trim();
  const zoneCaps = Object.entries(whatIf.zoneCaps)
    .map(([warZoneId, maxOfficers]) => ({ warZoneId: Number(warZoneId), maxOfficers }))
    .sort((a, b) => a.warZoneId - b.warZoneId);
  return {
    ...(label ? { label } : {}),
    ...(whatIf.poolSize === null ? {} : { poolSize: whatIf.poolSize }),
    ...(zoneCaps.length > 0 ? { zoneCaps } : {}),
  };
}

// ---- Roster and the printed zone plan -------------------------------------------------------

type Assignment = PlanDetail['assignments'][number];

/** One officer's posts in a plan, in time order. */
export interface OfficerRoster {
  officerId: string;
  officerName: string;
  homeStation: string;
  posts: Assignment[];
  travelMinutes: number;
}

/** The roster grouped by officer (most posts first, then by name), narrowed to a zone's stations and a day. */
export function rosterByOfficer(
  plan: PlanDetail,
  filter: { stationCodes?: ReadonlySet<string> | null; day?: number | null } = {},
): OfficerRoster[] {
  const byOfficer = new Map<string, OfficerRoster>();
  for (const a of plan.assignments) {
    if (filter.stationCodes && !filter.stationCodes.has(a.stationCode)) continue;
    if (filter.day !== undefined && filter.day !== null && a.day !== filter.day) continue;
    let roster = byOfficer.get(a.officerId);
    if (!roster) {
      roster = {
        officerId: a.officerId,
        officerName: a.officerName,
        homeStation: a.homeStation,
        posts: [],
        travelMinutes: 0,
      };
      byOfficer.set(a.officerId, roster);
    }
    roster.posts.push(a);
    roster.travelMinutes += a.travelMinutes;
  }
  const rosters = [...byOfficer.values()];
  for (const r of rosters) r.posts.sort((a, b) => a.day - b.day || a.shift - b.shift);
  return rosters.sort((a, b) => b.posts.length - a.posts.length || a.officerName.localeCompare(b.officerName, 'zh-CN'));
}

/** One duty's row of a station on the printed zone plan: posted vs demanded per (day, shift). */
export interface PrintRow {
  duty: DutyId;
  /** Indexed day × shiftsPerDay + shift. */
  cells: { posted: number; demanded: number; short: number }[];
  demanded: number;
  posted: number;
  short: number;
}

/** What the one-page plan of a war zone shows: its stations, per duty and slot, and the totals. */
export interface ZonePrintSheet {
  warZoneId: number;
  zoneName: string;
  stations: { code: string; name: string; rows: PrintRow[] }[];
  demanded: number;
  met: number;
  short: number;
  officers: number;
}

/** The printed plan of one war zone from a plan's coverage cells and roster. */
export function zonePrintSheet(detail: HolidayDetail, plan: PlanDetail, warZoneId: number): ZonePrintSheet {
  const { days, shiftsPerDay } = detail.holiday;
  const slots = days * shiftsPerDay;
  const zone = detail.zones.find((z) => z.id === warZoneId);
  const stations = detail.stations.filter((s) => s.warZoneId === warZoneId);
  const cells = new Map(plan.coverage.cells.map((c) => [cellKey(c.stationCode, c.day, c.shift, c.dutyId), c]));
  let demanded = 0;
  let met = 0;
  const sheetStations = stations.map((station) => ({
    code: station.code,
    name: station.name,
    rows: DUTIES.map((duty): PrintRow => {
      const row: PrintRow = { duty, cells: [], demanded: 0, posted: 0, short: 0 };
      for (let slot = 0; slot < slots; slot++) {
        const day = Math.floor(slot / shiftsPerDay);
        const c = cells.get(cellKey(station.code, day, slot % shiftsPerDay, duty));
        const cell = { posted: c?.assigned ?? 0, demanded: c?.demanded ?? 0, short: c?.unmet ?? 0 };
        row.cells.push(cell);
        row.demanded += cell.demanded;
        row.posted += cell.posted;
        row.short += cell.short;
        demanded += cell.demanded;
        met += c?.met ?? 0;
      }
      return row;
    }),
  }));
  const codes = new Set(stations.map((s) => s.code));
  const officers = new Set(plan.assignments.filter((a) => codes.has(a.stationCode)).map((a) => a.officerId)).size;
  return {
    warZoneId,
    zoneName: zone?.name ?? String(warZoneId),
    stations: sheetStations,
    demanded,
    met,
    short: demanded - met,
    officers,
  };
}
