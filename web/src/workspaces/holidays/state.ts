import type {
  DutyId,
  HolidayDetail,
  HolidayOfficer,
  HolidaySummary,
  PlanComparison,
  PlanDetail,
  PlanSummary,
  ZoneAreas,
} from '../../../../contracts/holidays.js';
import { idleFetched as idle, requestedFetched, type Fetched } from '../../keyed-fetch.js';
import { draftFromEvidence, editDraft, pruneDraft, type DemandDraft, type DemandValues, type WhatIf } from './model.js';

// The server's answers, for the rest of the workspace to import from one place.
export type * from '../../../../contracts/holidays.js';
export type { Fetched };

/** The panel's sections: zones and demands, the officer pool, the plan, two plans compared. */
export const HOLIDAY_TABS = ['demands', 'pool', 'plan', 'compare'] as const;
/** One of the panel's sections. */
export type HolidayTab = (typeof HOLIDAY_TABS)[number];

/** What each fetched resource answers. */
export interface HolidayData {
  list: HolidaySummary[];
  detail: HolidayDetail;
  zones: ZoneAreas;
  officers: HolidayOfficer[];
  plans: PlanSummary[];
  plan: PlanDetail;
  comparison: PlanComparison;
}
/** A resource the workspace fetches. */
export type HolidayResource = keyof HolidayData;
/** Every resource, in the order the controller asks for them. */
export const HOLIDAY_RESOURCES: readonly HolidayResource[] = [
  'list',
  'detail',
  'zones',
  'officers',
  'plans',
  'plan',
  'comparison',
];

/** Changes the commander sends to the server (one at a time). */
export type HolidayWrite = 'create' | 'demands' | 'move' | 'limits' | 'availability' | 'publish';

/** A solve: none running, one on its way (for a holiday, since a time), or the last one failed. */
export type SolveStatus =
  | { status: 'idle' }
  | { status: 'running'; holidayId: number; startedAtMs: number }
  | { status: 'error'; message: string };

/** The commanders' holiday workspace: what they chose, what they edit, and what the server answered. */
export interface HolidaysState {
  holidayId: number | null;
  tab: HolidayTab;
  /** War zone chosen on the map or in a list: lists narrow to it, and it is the zone printed. */
  zoneId: number | null;
  /** Station chosen: its demand editor is open, the roster narrows to it. */
  station: string | null;
  /** Plan shown (coverage, roster, map colours). */
  planId: number | null;
  /** Plans compared (null: the defaults of `compareIds`). */
  compare: { a: number | null; b: number | null };
  demandDraft: DemandDraft;
  /** Officer whose availability editor is open, and the pool list's filter text. */
  officer: string | null;
  officerQuery: string;
  whatIf: WhatIf;
  solve: SolveStatus;
  /** The new-holiday form is open. */
  creating: boolean;
  writing: HolidayWrite | null;
  /** The outcome of the last change (shown once, cleared by the next). */
  notice: { kind: 'ok'; write: HolidayWrite } | { kind: 'error'; write: HolidayWrite; message: string } | null;
  /** Roster narrowed to one day, a column per shift (null: the whole holiday); the first day to start. */
  rosterDay: number | null;
  showAllExplanations: boolean;
  fetched: { [R in HolidayResource]: Fetched<HolidayData[R]> };
}

type Loaded = {
  [R in HolidayResource]: { type: 'holidays/loaded'; resource: R; key: string; data: HolidayData[R] };
}[HolidayResource];

/** What can happen in the holiday workspace. */
export type HolidayAction =
  | { type: 'holidays/select'; holidayId: number | null }
  | { type: 'holidays/setTab'; tab: HolidayTab }
  | { type: 'holidays/selectZone'; zoneId: number | null }
  | { type: 'holidays/selectStation'; station: string | null }
  | { type: 'holidays/selectPlan'; planId: number | null }
  | { type: 'holidays/setCompare'; a: number | null; b: number | null }
  | {
      type: 'holidays/editDemand';
      stationCode: string;
      day: number;
      shift: number;
      duty: DutyId;
      field: keyof DemandValues;
      value: number;
    }
  | { type: 'holidays/fillFromEvidence'; stationCode: string }
  | { type: 'holidays/discardDemands' }
  | { type: 'holidays/selectOfficer'; officerId: string | null }
  | { type: 'holidays/setOfficerQuery'; query: string }
  /** Optimistic: the officer's unavailable slots as just sent to the server. */
  | { type: 'holidays/setAvailability'; officerId: string; unavailable: [number, number][] }
  | { type: 'holidays/setWhatIf'; whatIf: Partial<WhatIf> }
  | { type: 'holidays/setZoneCap'; warZoneId: number; maxOfficers: number | null }
  | { type: 'holidays/solveStarted'; holidayId: number; startedAtMs: number }
  | { type: 'holidays/solved'; holidayId: number; plan: PlanDetail }
  | { type: 'holidays/solveFailed'; holidayId: number; message: string }
  | { type: 'holidays/setCreating'; open: boolean }
  | { type: 'holidays/created'; holiday: HolidaySummary }
  | { type: 'holidays/writing'; write: HolidayWrite }
  | { type: 'holidays/written'; write: HolidayWrite }
  | { type: 'holidays/writeFailed'; write: HolidayWrite; message: string }
  | { type: 'holidays/clearNotice' }
  | { type: 'holidays/setRosterDay'; day: number | null }
  | { type: 'holidays/toggleExplanations' }
  /** A request went out (key null: the resource is not wanted any more). */
  | { type: 'holidays/requested'; resource: HolidayResource; key: string | null }
  | Loaded
  | { type: 'holidays/failed'; resource: HolidayResource; key: string; message: string }
  /** The server's copy changed: ask again (the last answer stays on screen meanwhile). */
  | { type: 'holidays/invalidate'; resources: HolidayResource[] }
  /** The county changed (an import): everything again, from the list. */
  | { type: 'holidays/reset' };

function idleFetched(): HolidaysState['fetched'] {
  return {
    list: idle(),
    detail: idle(),
    zones: idle(),
    officers: idle(),
    plans: idle(),
    plan: idle(),
    comparison: idle(),
  };
}

const emptyWhatIf = (): WhatIf => ({ label: '', poolSize: null, zoneCaps: {} });

/** The workspace before anything is loaded. */
export function initialHolidaysState(): HolidaysState {
  return {
    holidayId: null,
    tab: 'demands',
    zoneId: null,
    station: null,
    planId: null,
    compare: { a: null, b: null },
    demandDraft: {},
    officer: null,
    officerQuery: '',
    whatIf: emptyWhatIf(),
    solve: { status: 'idle' },
    creating: false,
    writing: null,
    notice: null,
    rosterDay: 0,
    showAllExplanations: false,
    fetched: idleFetched(),
  };
}

// ---- Queries --------------------------------------------------------------------------------

/** The plans compared: the chosen ones, else the plan shown against the newest other plan. */
export function compareIds(state: HolidaysState): { a: number | null; b: number | null } {
  const plans = state.fetched.plans.data ?? [];
  const b = state.compare.b ?? state.planId ?? plans.at(-1)?.id ?? null;
  const others = plans.filter((p) => p.id !== b).sort((x, y) => y.id - x.id);
  const a = state.compare.a ?? others[0]?.id ?? null;
  return { a, b };
}

/**
 * The URL each resource should answer for the current choices (null: not wanted now). The
 * controller fetches a resource when this differs from the key it asked for last.
 */
export function holidayQueries(state: HolidaysState): Record<HolidayResource, string | null> {
  const id = state.holidayId;
  const base = id === null ? null : `/api/holidays/${id}`;
  const { a, b } = compareIds(state);
  return {
    list: '/api/holidays',
    detail: base,
    zones: base && `${base}/zones.geojson`,
    // The pool is asked for when its tab is opened (some 300 officers with their slots).
    officers: base && state.tab === 'pool' ? `${base}/officers` : null,
    plans: base && `${base}/plans`,
    plan: base && state.planId !== null ? `${base}/plans/${state.planId}` : null,
    comparison:
      base && state.tab === 'compare' && a !== null && b !== null && a !== b
        ? `${base}/plans/compare?a=${a}&b=${b}`
        : null,
  };
}

/** The URL of a plan's roster download. */
export function rosterUrl(holidayId: number, planId: number, format: 'csv' | 'xlsx'): string {
  return `/api/holidays/${holidayId}/plans/${planId}/roster.${format}`;
}

/** The detail on screen when it belongs to the holiday chosen (never another holiday's, kept while loading). */
export function currentDetail(state: HolidaysState): HolidayDetail | null {
  const detail = state.fetched.detail.data;
  return detail && detail.holiday.id === state.holidayId ? detail : null;
}

/** The plan on screen when it is the one chosen. */
export function currentPlan(state: HolidaysState): PlanDetail | null {
  const plan = state.fetched.plan.data;
  return plan && plan.id === state.planId && plan.holidayId === state.holidayId ? plan : null;
}

/** The comparison on screen when it compares the plans chosen now. */
export function currentComparison(state: HolidaysState): PlanComparison | null {
  const comparison = state.fetched.comparison.data;
  const { a, b } = compareIds(state);
  return comparison && comparison.a === a && comparison.b === b ? comparison : null;
}

// ---- Transitions ----------------------------------------------------------------------------

function withFetched<R extends HolidayResource>(
  state: HolidaysState,
  resource: R,
  next: Fetched<HolidayData[R]>,
): HolidaysState {
  return { ...state, fetched: { ...state.fetched, [resource]: next } };
}

function ready<R extends HolidayResource>(key: string, data: HolidayData[R]): Fetched<HolidayData[R]> {
  return { key, status: 'ready', data, dataKey: key, message: null };
}

/** Forget the answers the next question will replace: keeps their data, drops their key. */
function invalidate(state: HolidaysState, resources: readonly HolidayResource[]): HolidaysState {
  const fetched = { ...state.fetched };
  for (const r of resources) (fetched as Record<string, Fetched<unknown>>)[r] = { ...fetched[r], key: null };
  return { ...state, fetched };
}

/** The holiday to open first: the next draft one (earliest first day), else the latest. */
function defaultHoliday(list: readonly HolidaySummary[]): number | null {
  const byDay = [...list].sort((a, b) => a.firstDay.localeCompare(b.firstDay) || a.id - b.id);
  return (byDay.find((h) => h.status === 'draft') ?? byDay.at(-1))?.id ?? null;
}

/** The plan to show first: the published one, else the newest. */
function defaultPlan(plans: readonly PlanSummary[]): number | null {
  return (plans.find((p) => p.published) ?? [...plans].sort((a, b) => b.id - a.id)[0])?.id ?? null;
}

/** A fresh holiday: everything of the last one forgotten, the list kept. */
function openHoliday(state: HolidaysState, holidayId: number | null): HolidaysState {
  const fresh = initialHolidaysState();
  return {
    ...fresh,
    holidayId,
    tab: state.tab,
    fetched: { ...fresh.fetched, list: state.fetched.list },
    // A solve still running belongs to its holiday; its answer is dropped when it comes.
    solve: state.solve,
  };
}

function stationZone(state: HolidaysState, station: string | null): number | null {
  if (station === null) return null;
  return currentDetail(state)?.stations.find((s) => s.code === station)?.warZoneId ?? null;
}

/** Pure transitions of the holiday workspace. */
export function updateHolidays(state: HolidaysState, action: HolidayAction): HolidaysState {
  switch (action.type) {
    case 'holidays/select':
      return state.holidayId === action.holidayId ? state : openHoliday(state, action.holidayId);
    case 'holidays/setTab':
      // A message about the last change belongs to the section it was made in.
      return state.tab === action.tab ? state : { ...state, tab: action.tab, notice: null };
    case 'holidays/selectZone': {
      if (state.zoneId === action.zoneId) return state;
      // A station of another zone is no longer chosen.
      const station = stationZone(state, state.station) === action.zoneId ? state.station : null;
      return { ...state, zoneId: action.zoneId, station };
    }
    case 'holidays/selectStation': {
      if (state.station === action.station) return state;
      const zoneId = action.station === null ? state.zoneId : (stationZone(state, action.station) ?? state.zoneId);
      return { ...state, station: action.station, zoneId };
    }
    case 'holidays/selectPlan':
      return state.planId === action.planId ? state : { ...state, planId: action.planId };
    case 'holidays/setCompare':
      return state.compare.a === action.a && state.compare.b === action.b
        ? state
        : { ...state, compare: { a: action.a, b: action.b } };
    case 'holidays/editDemand': {
      const detail = currentDetail(state);
      if (!detail) return state;
      const key = `${action.stationCode}|${action.day}|${action.shift}|${action.duty}`;
      const demandDraft = editDraft(detail, state.demandDraft, key, action.field, action.value);
      return { ...state, demandDraft, notice: null };
    }
    case 'holidays/fillFromEvidence': {
      const detail = currentDetail(state);
      if (!detail) return state;
      return { ...state, demandDraft: draftFromEvidence(detail, state.demandDraft, action.stationCode), notice: null };
    }
    case 'holidays/discardDemands':
      return Object.keys(state.demandDraft).length === 0 ? state : { ...state, demandDraft: {} };
    case 'holidays/selectOfficer':
      return state.officer === action.officerId ? state : { ...state, officer: action.officerId };
    case 'holidays/setOfficerQuery':
      return state.officerQuery === action.query ? state : { ...state, officerQuery: action.query };
    case 'holidays/setAvailability': {
      const officers = state.fetched.officers;
      const officer = officers.data?.find((o) => o.id === action.officerId);
      if (!officers.data || !officer) return state;
      const data = officers.data.map((o) => (o === officer ? { ...o, unavailable: action.unavailable } : o));
      let next = withFetched(state, 'officers', { ...officers, data });
      // The pool's count of unavailable slots follows at once.
      const detail = currentDetail(state);
      if (detail) {
        const unavailableSlots = detail.pool.unavailableSlots + action.unavailable.length - officer.unavailable.length;
        next = withFetched(next, 'detail', {
          ...state.fetched.detail,
          data: { ...detail, pool: { ...detail.pool, unavailableSlots } },
        });
      }
      return next;
    }
    case 'holidays/setWhatIf':
      return { ...state, whatIf: { ...state.whatIf, ...action.whatIf } };
    case 'holidays/setZoneCap': {
      const { [String(action.warZoneId)]: _old, ...rest } = state.whatIf.zoneCaps;
      const zoneCaps =
        action.maxOfficers === null || !Number.isFinite(action.maxOfficers)
          ? rest
          : { ...rest, [String(action.warZoneId)]: Math.max(0, Math.round(action.maxOfficers)) };
      return { ...state, whatIf: { ...state.whatIf, zoneCaps } };
    }
    case 'holidays/solveStarted':
      if (state.solve.status === 'running') return state;
      return { ...state, solve: { status: 'running', holidayId: action.holidayId, startedAtMs: action.startedAtMs } };
    case 'holidays/solved': {
      const solve: SolveStatus = { status: 'idle' };
      // The commander has moved to another holiday: the plan is in that holiday's list, not here.
      if (action.holidayId !== state.holidayId) return { ...state, solve };
      const key = `/api/holidays/${action.holidayId}/plans/${action.plan.id}`;
      const next: HolidaysState = {
        ...state,
        solve,
        planId: action.plan.id,
        // The plan shown before is what the new one is compared with.
        compare: { a: state.planId, b: action.plan.id },
        whatIf: { ...state.whatIf, label: '' },
        fetched: { ...state.fetched, plan: ready<'plan'>(key, action.plan) },
      };
      return invalidate(next, ['plans', 'list']);
    }
    case 'holidays/solveFailed':
      // Another holiday's failure is no news here.
      return action.holidayId === state.holidayId
        ? { ...state, solve: { status: 'error', message: action.message } }
        : { ...state, solve: { status: 'idle' } };
    case 'holidays/setCreating':
      return state.creating === action.open ? state : { ...state, creating: action.open };
    case 'holidays/created': {
      const list = state.fetched.list;
      const next = openHoliday(state, action.holiday.id);
      return invalidate(
        {
          ...next,
          tab: 'demands',
          notice: { kind: 'ok', write: 'create' },
          fetched: { ...next.fetched, list: { ...list, data: [...(list.data ?? []), action.holiday] } },
        },
        ['list'],
      );
    }
    case 'holidays/writing':
      return { ...state, writing: action.write, notice: null };
    case 'holidays/written':
      return {
        ...state,
        writing: null,
        notice: { kind: 'ok', write: action.write },
        creating: action.write === 'create' ? false : state.creating,
      };
    case 'holidays/writeFailed':
      return { ...state, writing: null, notice: { kind: 'error', write: action.write, message: action.message } };
    case 'holidays/clearNotice':
      return state.notice === null ? state : { ...state, notice: null };
    case 'holidays/setRosterDay':
      return state.rosterDay === action.day ? state : { ...state, rosterDay: action.day };
    case 'holidays/toggleExplanations':
      return { ...state, showAllExplanations: !state.showAllExplanations };
    case 'holidays/requested': {
      const current = state.fetched[action.resource];
      const next = requestedFetched<unknown>(current, action.key);
      return next === current ? state : withFetched(state, action.resource, next as typeof current);
    }
    case 'holidays/loaded':
      return loaded(state, action);
    case 'holidays/failed': {
      if (state.fetched[action.resource].key !== action.key) return state;
      return withFetched(state, action.resource, {
        ...state.fetched[action.resource],
        status: 'error',
        message: action.message,
      });
    }
    case 'holidays/invalidate':
      return invalidate(state, action.resources);
    case 'holidays/reset':
      return { ...openHoliday(initialHolidaysState(), null), tab: state.tab, solve: state.solve };
  }
}

/** An answer arrives: kept when it answers the question asked last, and what depends on it follows. */
function loaded(state: HolidaysState, action: Loaded): HolidaysState {
  // An answer to a question no longer asked (another holiday, another plan): dropped.
  if (state.fetched[action.resource].key !== action.key) return state;
  const next = withFetched(state, action.resource, ready(action.key, action.data) as never);
  switch (action.resource) {
    case 'list': {
      const list = action.data;
      if (state.holidayId !== null && list.some((h) => h.id === state.holidayId)) return next;
      return openHoliday(next, defaultHoliday(list));
    }
    case 'detail':
      // Cells saved (by this save or anyone's) leave the draft.
      return { ...next, demandDraft: pruneDraft(action.data, state.demandDraft) };
    case 'plans': {
      const plans = action.data;
      if (state.planId !== null && plans.some((p) => p.id === state.planId)) return next;
      return { ...next, planId: defaultPlan(plans) };
    }
    default:
      return next;
  }
}
