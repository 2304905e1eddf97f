import type { NoTripSettings } from '../../../../server/policing/no-trip.js';
import type { NoTripReport, NoTripVillage } from '../../../../server/policing/service.js';
import type { VisitPlanResult } from '../../../../server/policing/visit-plan.js';
import type { VisitTotals } from '../../../../server/policing/visits-repository.js';

export type { NoTripReport, NoTripSettings, NoTripVillage, VisitPlanResult, VisitTotals };

/** Something fetched from the server: not asked for yet, on its way, there, or failed. */
export type Remote<T> =
  { kind: 'idle' } | { kind: 'loading' } | { kind: 'ready'; data: T } | { kind: 'error'; message: string };

/** A GeoJSON FeatureCollection as the isochrone route answers. */
export interface IsochroneCollection {
  type: 'FeatureCollection';
  features: { type: 'Feature'; geometry: unknown; properties: { minutes: number } }[];
}

/** The commanders' workspace: the no-trip report, what is selected, and what was asked for. */
export interface PolicingState {
  /** The report under the rules in force: the what-if's when one is tried, else the saved rules'. */
  report: Remote<NoTripReport>;
  /** Rules of a what-if the commander is trying (null: the saved rules). */
  whatIf: NoTripSettings | null;
  /** The report under the saved rules, to compare a what-if against (the same as `report` without one). */
  saved: Remote<NoTripReport>;
  summary: Remote<VisitTotals>;
  station: string | null;
  village: string | null;
  isochrones: Remote<IsochroneCollection>;
  plan: Remote<VisitPlanResult>;
  /** A short confirmation or error shown under the rules. */
  message: string | null;
}

export type PolicingAction =
  | { type: 'policing/report'; report: Remote<NoTripReport>; whatIf?: NoTripSettings | null }
  | { type: 'policing/saved'; saved: Remote<NoTripReport> }
  | { type: 'policing/backToSaved' }
  | { type: 'policing/summary'; summary: Remote<VisitTotals> }
  | { type: 'policing/selectStation'; station: string | null }
  | { type: 'policing/selectVillage'; village: string | null }
  | { type: 'policing/isochrones'; isochrones: Remote<IsochroneCollection> }
  | { type: 'policing/plan'; plan: Remote<VisitPlanResult> }
  | { type: 'policing/message'; message: string | null };

const IDLE = { kind: 'idle' } as const;

export function initialPolicingState(): PolicingState {
  return {
    report: { kind: 'idle' },
    whatIf: null,
    saved: { kind: 'idle' },
    summary: { kind: 'idle' },
    station: null,
    village: null,
    isochrones: { kind: 'idle' },
    plan: { kind: 'idle' },
    message: null,
  };
}

/** Pure transitions of the commanders' workspace. */
export function updatePolicing(state: PolicingState, action: PolicingAction): PolicingState {
  switch (action.type) {
    case 'policing/report': {
      const whatIf = action.whatIf === undefined ? state.whatIf : action.whatIf;
      // Asked again without a what-if to try: the data or the saved rules changed, so has the saved report.
      const savedChanged = action.report.kind === 'idle' && !action.whatIf;
      const saved =
        whatIf === null && action.report.kind === 'ready' ? action.report : savedChanged ? IDLE : state.saved;
      return { ...state, report: action.report, whatIf, saved };
    }
    case 'policing/saved':
      return { ...state, saved: action.saved };
    case 'policing/backToSaved':
      // The saved rules' report is at hand: no need to ask the server again.
      return { ...state, whatIf: null, report: state.saved.kind === 'ready' ? state.saved : IDLE, message: null };
    case 'policing/summary':
      return { ...state, summary: action.summary };
    case 'policing/selectStation':
      // Bands and plans belong to one station: a new station starts without them.
      return state.station === action.station
        ? state
        : { ...state, station: action.station, isochrones: { kind: 'idle' }, plan: { kind: 'idle' } };
    case 'policing/selectVillage':
      return state.village === action.village ? state : { ...state, village: action.village };
    case 'policing/isochrones':
      return { ...state, isochrones: action.isochrones };
    case 'policing/plan':
      return { ...state, plan: action.plan };
    case 'policing/message':
      return { ...state, message: action.message };
  }
}

/** The villages the list shows: no-trip ones, of the selected station if any, farthest first. */
export function listedVillages(state: PolicingState): NoTripVillage[] {
  if (state.report.kind !== 'ready') return [];
  return state.report.data.villages
    .filter((v) => v.noTrip && (state.station === null || v.stationCode === state.station))
    .sort((a, b) => (b.driveMinutes ?? Infinity) - (a.driveMinutes ?? Infinity) || a.code.localeCompare(b.code));
}

/** What a what-if changes against the saved rules, in the list's scope (the selected station or the county). */
export interface WhatIfChanges {
  /** The saved rules it is compared with. */
  savedSettings: NoTripSettings;
  /** No-trip under the what-if, not under the saved rules; and the other way round. Farthest first. */
  added: NoTripVillage[];
  removed: NoTripVillage[];
}

/**
 * The villages a what-if adds to or removes from the no-trip list against the saved rules; null
 * without a what-if, or before both reports are there.
 */
export function whatIfChanges(state: PolicingState): WhatIfChanges | null {
  if (state.whatIf === null || state.report.kind !== 'ready' || state.saved.kind !== 'ready') return null;
  const inScope = (v: NoTripVillage) => state.station === null || v.stationCode === state.station;
  const savedNoTrip = new Set(state.saved.data.villages.filter((v) => v.noTrip).map((v) => v.code));
  const whatIfNoTrip = new Set(state.report.data.villages.filter((v) => v.noTrip).map((v) => v.code));
  const farthestFirst = (a: NoTripVillage, b: NoTripVillage) =>
    (b.driveMinutes ?? Infinity) - (a.driveMinutes ?? Infinity) || a.code.localeCompare(b.code);
  return {
    savedSettings: state.saved.data.settings,
    added: state.report.data.villages
      .filter((v) => inScope(v) && v.noTrip && !savedNoTrip.has(v.code))
      .sort(farthestFirst),
    removed: state.saved.data.villages
      .filter((v) => inScope(v) && v.noTrip && !whatIfNoTrip.has(v.code))
      .sort(farthestFirst),
  };
}
