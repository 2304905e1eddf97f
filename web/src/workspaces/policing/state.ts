import type {
  IsochroneCollection,
  NoTripReport,
  NoTripSettings,
  NoTripVillage,
  VisitPlanResult,
  VisitTotals,
} from '../../../../contracts/policing.js';
import { countyReady, currentData, resource, type Resource, type ResourceTable } from '../../frame/resource.js';

export type { IsochroneCollection, NoTripReport, NoTripSettings, NoTripVillage, VisitPlanResult, VisitTotals };

/** A command's answer (the visit plan): not asked for yet, on its way, there, or failed. */
export type Remote<T> =
  { kind: 'idle' } | { kind: 'loading' } | { kind: 'ready'; data: T } | { kind: 'error'; message: string };

/** The server data of the workspace, through the resource layer (keyed by the URLs `policingResources` wants). */
export const policingData = {
  /** The report under the rules in force: the what-if's when one is tried, else the saved rules'. */
  report: resource<NoTripReport>('policing/report'),
  /** The report under the saved rules, to compare a what-if against (asked for only with a what-if). */
  saved: resource<NoTripReport>('policing/saved'),
  summary: resource<VisitTotals>('policing/summary'),
  /** The drive-time bands of the chosen station. */
  isochrones: resource<IsochroneCollection>('policing/isochrones'),
};

/** The commanders' workspace: what is chosen and tried (the server's answers are resources). */
export interface PolicingState {
  /** Rules of a what-if the commander is trying (null: the saved rules). */
  whatIf: NoTripSettings | null;
  station: string | null;
  village: string | null;
  plan: Remote<VisitPlanResult>;
  /** A short confirmation or error shown under the rules. */
  message: string | null;
}

/** The workspace's state with its server data, as the panel, the map and the legend read it. */
export interface PolicingView extends PolicingState {
  report: Resource<NoTripReport>;
  saved: Resource<NoTripReport>;
  summary: Resource<VisitTotals>;
  isochrones: Resource<IsochroneCollection>;
}

/** The workspace's state beside its resources' states. */
export function policingView(state: PolicingState, app: { resources: ResourceTable }): PolicingView {
  return {
    ...state,
    report: policingData.report.of(app),
    saved: policingData.saved.of(app),
    summary: policingData.summary.of(app),
    isochrones: policingData.isochrones.of(app),
  };
}

/** The query of a what-if's rules ('' for the saved rules). */
export function rulesQuery(rules: NoTripSettings | null): string {
  return rules
    ? `?${new URLSearchParams({
        maxDriveMinutes: String(rules.maxDriveMinutes),
        maxBusWalkMetres: String(rules.maxBusWalkMetres),
      }).toString()}`
    : '';
}

/** What the workspace asks the server for, from its choices (nothing before the county is there). */
export function policingResources(
  state: PolicingState,
  app: { county: { state: string } | null },
): Record<string, string | null> {
  const ready = countyReady(app);
  return {
    [policingData.report.name]: ready ? `/api/policing/no-trip${rulesQuery(state.whatIf)}` : null,
    [policingData.saved.name]: ready && state.whatIf ? '/api/policing/no-trip' : null,
    [policingData.summary.name]: ready ? '/api/policing/visits/summary' : null,
    [policingData.isochrones.name]: state.station
      ? `/api/policing/stations/${encodeURIComponent(state.station)}/isochrones?minutes=30,60,90`
      : null,
  };
}

export type PolicingAction =
  /** Rules to try (null: back to the saved rules). */
  | { type: 'policing/tryRules'; whatIf: NoTripSettings | null }
  | { type: 'policing/selectStation'; station: string | null }
  | { type: 'policing/selectVillage'; village: string | null }
  | { type: 'policing/plan'; plan: Remote<VisitPlanResult> }
  | { type: 'policing/message'; message: string | null };

export function initialPolicingState(): PolicingState {
  return { whatIf: null, station: null, village: null, plan: { kind: 'idle' }, message: null };
}

/** Pure transitions of the commanders' workspace. */
export function updatePolicing(state: PolicingState, action: PolicingAction): PolicingState {
  switch (action.type) {
    case 'policing/tryRules':
      // Back to the saved rules: their report is in the resource layer's cache, nothing is asked again.
      return state.whatIf === action.whatIf && state.message === null
        ? state
        : { ...state, whatIf: action.whatIf, message: null };
    case 'policing/selectStation':
      // Plans belong to one station: a new station starts without one.
      return state.station === action.station ? state : { ...state, station: action.station, plan: { kind: 'idle' } };
    case 'policing/selectVillage':
      return state.village === action.village ? state : { ...state, village: action.village };
    case 'policing/plan':
      return { ...state, plan: action.plan };
    case 'policing/message':
      return state.message === action.message ? state : { ...state, message: action.message };
  }
}

/** The villages the list shows: no-trip ones, of the selected station if any, farthest first. */
export function listedVillages(state: PolicingView): NoTripVillage[] {
  if (!state.report.data) return [];
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
export function whatIfChanges(state: PolicingView): WhatIfChanges | null {
  const report = currentData(state.report);
  const saved = currentData(state.saved);
  if (state.whatIf === null || !report || !saved) return null;
  const inScope = (v: NoTripVillage) => state.station === null || v.stationCode === state.station;
  const savedNoTrip = new Set(saved.villages.filter((v) => v.noTrip).map((v) => v.code));
  const whatIfNoTrip = new Set(report.villages.filter((v) => v.noTrip).map((v) => v.code));
  const farthestFirst = (a: NoTripVillage, b: NoTripVillage) =>
    (b.driveMinutes ?? Infinity) - (a.driveMinutes ?? Infinity) || a.code.localeCompare(b.code);
  return {
    savedSettings: saved.settings,
    added: report.villages.filter((v) => inScope(v) && v.noTrip && !savedNoTrip.has(v.code)).sort(farthestFirst),
    removed: saved.villages.filter((v) => inScope(v) && v.noTrip && !whatIfNoTrip.has(v.code)).sort(farthestFirst),
  };
}
