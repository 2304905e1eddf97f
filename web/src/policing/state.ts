import type { NoTripSettings } from '../../../server/policing/no-trip.js';
import type { NoTripReport, NoTripVillage } from '../../../server/policing/service.js';
import type { VisitPlanResult } from '../../../server/policing/visit-plan.js';
import type { VisitTotals } from '../../../server/policing/visits-repository.js';

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
  report: Remote<NoTripReport>;
  /** Rules of a what-if the commander is trying (null: the saved rules). */
  whatIf: NoTripSettings | null;
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
  | { type: 'policing/summary'; summary: Remote<VisitTotals> }
  | { type: 'policing/selectStation'; station: string | null }
  | { type: 'policing/selectVillage'; village: string | null }
  | { type: 'policing/isochrones'; isochrones: Remote<IsochroneCollection> }
  | { type: 'policing/plan'; plan: Remote<VisitPlanResult> }
  | { type: 'policing/message'; message: string | null };

export function initialPolicingState(): PolicingState {
  return {
    report: { kind: 'idle' },
    whatIf: null,
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
    case 'policing/report':
      return {
        ...state,
        report: action.report,
        ...(action.whatIf === undefined ? {} : { whatIf: action.whatIf }),
      };
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
