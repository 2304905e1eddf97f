import { counties } from './frame/counties.js';
import {
  initialResourceState,
  updateResourceState,
  type ResourceAction,
  type ResourceState,
} from './frame/resource.js';
import type { Locale } from './i18n/index.js';
import type { Role, SessionUser } from './session.js';
import type { AppWorkspaceAction, WorkspaceId, WorkspaceSlices } from './workspaces/registry.js';
import { registeredWorkspaces, workspaceById, type AnyWorkspace } from './workspaces/workspace.js';

export type { WorkspaceId };

/** The workspaces a role sees, in tab order (each workspace names its roles). */
function workspacesOfRole(role: Role): AnyWorkspace[] {
  return registeredWorkspaces().filter((workspace) => workspace.roles.includes(role));
}

/** The workspace a role opens on: the one that is its home, else its first tab. */
function homeOf(role: Role): WorkspaceId {
  const seen = workspacesOfRole(role);
  return (seen.find((workspace) => workspace.homeFor?.includes(role)) ?? seen[0])!.id as WorkspaceId;
}

/** The workspaces a user sees, in tab order (nobody logged in: none). */
export function workspacesOf(user: SessionUser | null): WorkspaceId[] {
  if (!user) return [];
  return workspacesOfRole(user.role).map((workspace) => workspace.id as WorkspaceId);
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
  return workspacesOf(user).includes(wish) ? wish : homeOf(user.role);
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

/** What the frame holds, whichever workspace is open (with the resource layer's table and chosen county). */
export interface FrameState extends ResourceState {
  locale: Locale;
  /** Who is logged in (the app is only drawn after a login; null in tests of the state alone). */
  user: SessionUser | null;
  workspace: WorkspaceId;
  service: ServiceStatus;
  county: CountyStatus | null;
  import: ImportState;
  map: MapStatus;
}

/** The whole UI state: the frame's, and each registered workspace's slice under its id. */
export type AppState = FrameState & WorkspaceSlices;

/** An action of the frame itself. */
export type FrameAction =
  | { type: 'setLocale'; locale: Locale }
  | { type: 'openWorkspace'; workspace: WorkspaceId }
  | { type: 'serviceChecked'; status: ServiceStatus }
  | { type: 'countyStatus'; status: CountyStatus }
  | { type: 'importChanged'; state: ImportState }
  | { type: 'mapStatus'; status: MapStatus }
  | ResourceAction;

/** Every action: the frame's, or a workspace's (`<workspace id>/<name>`). */
export type Action = FrameAction | AppWorkspaceAction;

/** Parse `#/risk` style hashes; anything else opens the first workspace. */
export function workspaceFromHash(hash: string): WorkspaceId {
  const id = hash.replace(/^#\/?/, '');
  return (workspaceById(id) ?? registeredWorkspaces()[0]!).id as WorkspaceId;
}

/** The workspace an address opens for a user: the named one if theirs, else their first. */
export function workspaceForUser(user: SessionUser | null, hash: string): WorkspaceId {
  const named = hash.replace(/^#\/?/, '') !== '';
  const wish = workspaceFromHash(hash);
  return named || !user ? allowedWorkspace(user, wish) : homeOf(user.role);
}

export function initialState(
  locale: Locale,
  hash: string,
  user: SessionUser | null = null,
  countyCode: string | null = null,
): AppState {
  return {
    ...initialResourceState(countyCode),
    locale,
    user,
    workspace: workspaceForUser(user, hash),
    service: { kind: 'connecting' },
    county: null,
    import: { kind: 'idle' },
    map: { kind: 'loading' },
    ...(Object.fromEntries(
      registeredWorkspaces().map((workspace) => [workspace.id, workspace.initialState()]),
    ) as WorkspaceSlices),
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
      // Everything the server answers may have changed: every resource is asked for again.
      return action.state.kind === 'accepted'
        ? afterImport(
            updateResourceState({ ...state, import: action.state }, { type: 'dataChanged', prefixes: ['/api/'] }),
          )
        : { ...state, import: action.state };
    case 'mapStatus':
      return { ...state, map: action.status };
    case 'resource/requested':
    case 'resource/loaded':
    case 'resource/failed':
    case 'dataChanged':
    case 'chooseCounty':
      return updateResourceState(state, action);
    default:
      return updateWorkspace(state, action);
  }
}

/**
 * The URL each resource wants now (null: none): the frame's own (the loaded counties, for the top
 * bar's picker), and the open workspace's. Only the open workspace asks; a workspace left keeps its
 * last answers.
 */
export function wantedResources(state: AppState): Record<string, string | null> {
  const open = workspaceById(state.workspace);
  return {
    [counties.name]: state.user ? '/api/counties' : null,
    ...(open?.resources?.(sliceOf(state, open.id), state) ?? {}),
  };
}

/** A workspace's slice of the state, by its id. */
export function sliceOf(state: AppState, id: string): unknown {
  return (state as unknown as Record<string, unknown>)[id];
}

/** Hand a workspace's action to the workspace its type names, and to no other. */
function updateWorkspace(state: AppState, action: AppWorkspaceAction): AppState {
  const id = action.type.slice(0, action.type.indexOf('/'));
  const workspace = workspaceById(id);
  if (!workspace) throw new Error(`No workspace "${id}" for the action "${action.type}"`);
  const slice = workspace.update(sliceOf(state, id), action);
  return slice === sliceOf(state, id) ? state : { ...state, [id]: slice };
}

/** An import changed the county's data: each workspace starts again from what it keeps. */
function afterImport(state: AppState): AppState {
  const next: Record<string, unknown> = { ...state };
  for (const workspace of registeredWorkspaces()) {
    if (workspace.afterImport) next[workspace.id] = workspace.afterImport(sliceOf(state, workspace.id));
  }
  return next as unknown as AppState;
}

/** A minimal store: holds the state, applies actions, tells listeners. */
export class Store {
  private listeners = new Set<(state: AppState, previous: AppState) => void>();

  constructor(private state: AppState) {}

  get current(): AppState {
    return this.state;
  }

  /** Actions dispatched by a listener while the others are still being told of the last change. */
  private readonly queued: Action[] = [];
  private dispatching = false;

  /**
   * Apply an action and tell the listeners. An action dispatched by a listener (the resource layer
   * reporting a request) waits until every listener has been told of the current change, so each
   * listener sees the changes in order and never an older state after a newer one.
   */
  dispatch(action: Action): void {
    this.queued.push(action);
    if (this.dispatching) return;
    this.dispatching = true;
    try {
      for (let next = this.queued.shift(); next !== undefined; next = this.queued.shift()) {
        const previous = this.state;
        this.state = update(previous, next);
        if (this.state !== previous) for (const listener of this.listeners) listener(this.state, previous);
      }
    } finally {
      this.dispatching = false;
      this.queued.length = 0;
    }
  }

  subscribe(listener: (state: AppState, previous: AppState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
