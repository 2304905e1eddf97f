import type { Locale } from './i18n/index.js';

export const WORKSPACES = ['grids', 'policing', 'risk'] as const;
export type WorkspaceId = (typeof WORKSPACES)[number];

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

export type MapStatus = { kind: 'loading' } | { kind: 'ready' } | { kind: 'error'; message: string };

/** The whole UI state; the map and the DOM are drawn from it. */
export interface AppState {
  locale: Locale;
  workspace: WorkspaceId;
  service: ServiceStatus;
  map: MapStatus;
}

export type Action =
  | { type: 'setLocale'; locale: Locale }
  | { type: 'openWorkspace'; workspace: WorkspaceId }
  | { type: 'serviceChecked'; status: ServiceStatus }
  | { type: 'mapStatus'; status: MapStatus };

/** Parse `#/risk` style hashes; anything else opens grid planning. */
export function workspaceFromHash(hash: string): WorkspaceId {
  const id = hash.replace(/^#\/?/, '');
  return (WORKSPACES as readonly string[]).includes(id) ? (id as WorkspaceId) : 'grids';
}

export function initialState(locale: Locale, hash: string): AppState {
  return { locale, workspace: workspaceFromHash(hash), service: { kind: 'connecting' }, map: { kind: 'loading' } };
}

/** The one state transition function: pure, testable without a browser. */
export function update(state: AppState, action: Action): AppState {
  switch (action.type) {
    case 'setLocale':
      return state.locale === action.locale ? state : { ...state, locale: action.locale };
    case 'openWorkspace':
      return state.workspace === action.workspace ? state : { ...state, workspace: action.workspace };
    case 'serviceChecked':
      return { ...state, service: action.status };
    case 'mapStatus':
      return { ...state, map: action.status };
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
