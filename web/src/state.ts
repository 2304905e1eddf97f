import {
  initialGridsState,
  isGridAction,
  updateGrids,
  type GridAction,
  type GridsState,
} from './workspaces/grids/state.js';
import {
  initialHolidaysState,
  isHolidayAction,
  updateHolidays,
  type HolidayAction,
  type HolidaysState,
} from './workspaces/holidays/state.js';
import type { Locale } from './i18n/index.js';
import {
  initialPolicingState,
  updatePolicing,
  type PolicingAction,
  type PolicingState,
} from './workspaces/policing/state.js';
import {
  initialRiskState,
  isRiskAction,
  updateRisk,
  type RiskAction,
  type RiskState,
} from './workspaces/risk/state.js';
import type { Role, SessionUser } from './session.js';

export const WORKSPACES = ['grids', 'policing', 'risk', 'holidays', 'admin'] as const;
export type WorkspaceId = (typeof WORKSPACES)[number];

/**
 * The workspaces each role sees, first the one it opens on. They follow the server's route roles:
 * grids for admin, planner and leader (read-only); policing and holidays for admin, commander and
 * leader (read-only); risk for everyone; the admin screen for admins.
 */
export const ROLE_WORKSPACES: Readonly<Record<Role, readonly WorkspaceId[]>> = {
  admin: ['grids', 'policing', 'risk', 'holidays', 'admin'],
  planner: ['grids', 'risk'],
  commander: ['policing', 'holidays', 'risk'],
  leader: ['risk', 'grids', 'policing', 'holidays'],
};

/** The workspaces a user sees, in tab order (nobody logged in: none). */
export function workspacesOf(user: SessionUser | null): WorkspaceId[] {
  if (!user) return [];
  return WORKSPACES.filter((id) => ROLE_WORKSPACES[user.role].includes(id));
}

/** What a role may change (the server refuses the rest with 403; the UI does not offer it). */
export interface Permissions {
  /** Plans, grid edits and attributes (admin, planners). */
  editGrids: boolean;
  /** Household lists and county layer imports (admin, planners). */
  importLayers: boolean;
  /** No-trip rules, designations, visit plans, holidays and their plans (admin, commanders). */
  editPolicing: boolean;
  /** The admin screen: users and the audit log. */
  administer: boolean;
}

/** What a user may change. */
export function permissionsOf(user: SessionUser | null): Permissions {
  const role = user?.role;
  return {
    editGrids: role === 'admin' || role === 'planner',
    // Imports change whole-county layers: a planner limited to some townships may not (the server refuses too).
    importLayers: role === 'admin' || (role === 'planner' && user?.townships === null),
    editPolicing: role === 'admin' || role === 'commander',
    administer: role === 'admin',
  };
}

/** Whether a user may edit grids in a township: admins everywhere, planners within their townships. */
export function mayEditTownship(user: SessionUser | null, townshipCode: string | null): boolean {
  if (!user || !permissionsOf(user).editGrids) return false;
  if (user.role === 'admin' || user.townships === null || townshipCode === null) return true;
  return user.townships.includes(townshipCode);
}

/** The workspace to show for a wish: the wish when the user may open it, else the user's first. */
export function allowedWorkspace(user: SessionUser | null, wish: WorkspaceId): WorkspaceId {
  if (!user) return wish;
  const allowed = ROLE_WORKSPACES[user.role];
  return allowed.includes(wish) ? wish : allowed[0]!;
}

/** What `/api/health` answers. */
export interface Health {
  status: 'ok';
  db: 'pglite' | 'postgres';
  postgis: string;
  migration: number;
  version: string;
}

export type ServiceStatus =
  { kind: 'connecting' } | { kind: 'online'; health: Health } | { kind: 'offline'; message: string };

/** What `/api/county/status` answers: is the county model there yet. */
export interface CountyStatus {
  state: 'idle' | 'ready' | 'generating' | 'loading' | 'failed';
  percent: number;
  step?: string;
  layer?: string;
  message?: string;
}

/** One problem of an import report, as the server sends it. */
export interface ImportProblem {
  index: number;
  code?: string;
  field?: string;
  reason: string;
  severity: 'error' | 'warning';
}

export interface ImportReport {
  accepted: boolean;
  layer: string;
  counts: { features: number; imported: number; repaired: number; rejected: number };
  problems: ImportProblem[];
}

/** The import panel: nothing yet, a file on its way, or the server's answer. */
export type ImportState =
  | { kind: 'idle' }
  | { kind: 'uploading'; fileName: string }
  | { kind: 'accepted'; report: ImportReport }
  | { kind: 'rejected'; message: string; report: ImportReport | null };

export type MapStatus = { kind: 'loading' } | { kind: 'ready' } | { kind: 'error'; message: string };

/** The whole UI state; the map and the DOM are drawn from it. */
export interface AppState {
  locale: Locale;
  /** Who is logged in (the app is only drawn after a login; null in tests of the state alone). */
  user: SessionUser | null;
  workspace: WorkspaceId;
  service: ServiceStatus;
  county: CountyStatus | null;
  import: ImportState;
  map: MapStatus;
  policing: PolicingState;
  risk: RiskState;
  holidays: HolidaysState;
  grids: GridsState;
}

export type Action =
  | { type: 'setLocale'; locale: Locale }
  | { type: 'openWorkspace'; workspace: WorkspaceId }
  | { type: 'serviceChecked'; status: ServiceStatus }
  | { type: 'countyStatus'; status: CountyStatus }
  | { type: 'importChanged'; state: ImportState }
  | { type: 'mapStatus'; status: MapStatus }
  | PolicingAction
  | RiskAction
  | HolidayAction
  | GridAction;

/** Parse `#/risk` style hashes; anything else opens grid planning. */
export function workspaceFromHash(hash: string): WorkspaceId {
  const id = hash.replace(/^#\/?/, '');
  return (WORKSPACES as readonly string[]).includes(id) ? (id as WorkspaceId) : 'grids';
}

/** The workspace an address opens for a user: the named one if theirs, else their first. */
export function workspaceForUser(user: SessionUser | null, hash: string): WorkspaceId {
  const named = hash.replace(/^#\/?/, '') !== '';
  const wish = workspaceFromHash(hash);
  return named || !user ? allowedWorkspace(user, wish) : ROLE_WORKSPACES[user.role][0]!;
}

export function initialState(locale: Locale, hash: string, user: SessionUser | null = null): AppState {
  return {
    locale,
    user,
    workspace: workspaceForUser(user, hash),
    service: { kind: 'connecting' },
    county: null,
    import: { kind: 'idle' },
    map: { kind: 'loading' },
    policing: initialPolicingState(),
    risk: initialRiskState(),
    holidays: initialHolidaysState(),
    grids: initialGridsState(),
  };
}

/** The one state transition function: pure, testable without a browser. */
export function update(state: AppState, action: Action): AppState {
  switch (action.type) {
    case 'setLocale':
      return state.locale === action.locale ? state : { ...state, locale: action.locale };
    case 'openWorkspace': {
      const workspace = allowedWorkspace(state.user, action.workspace);
      return state.workspace === workspace ? state : { ...state, workspace };
    }
    case 'serviceChecked':
      return { ...state, service: action.status };
    case 'countyStatus':
      return { ...state, county: action.status };
    case 'importChanged':
      return { ...state, import: action.state };
    case 'mapStatus':
      return { ...state, map: action.status };
    default: {
      if (isRiskAction(action)) {
        const risk = updateRisk(state.risk, action);
        return risk === state.risk ? state : { ...state, risk };
      }
      if (isGridAction(action)) {
        const grids = updateGrids(state.grids, action);
        return grids === state.grids ? state : { ...state, grids };
      }
      if (isHolidayAction(action)) {
        const holidays = updateHolidays(state.holidays, action);
        return holidays === state.holidays ? state : { ...state, holidays };
      }
      const policing = updatePolicing(state.policing, action);
      return policing === state.policing ? state : { ...state, policing };
    }
  }
}

/** A minimal store: holds the state, applies actions, tells listeners. */
export class Store {
  private listeners = new Set<(state: AppState, previous: AppState) => void>();

  constructor(private state: AppState) {}

  get current(): AppState {
    return this.state;
  }

  dispatch(action: Action): void {
    const previous = this.state;
    this.state = update(previous, action);
    if (this.state !== previous) for (const listener of this.listeners) listener(this.state, previous);
  }

  subscribe(listener: (state: AppState, previous: AppState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
