import type { TemplateResult, nothing } from 'lit-html';
import type { DirectiveResult } from 'lit-html/directive.js';
import { addMessages, type Locale, type MessageKey } from '../i18n/index.js';
import type { ResourceLayer } from '../frame/resource.js';
import type { MapView } from '../map/map-view.js';
import type { Role, SessionUser } from '../session.js';
import type { Action, AppState, Permissions, Store } from '../state.js';

/** A workspace's UI text: the same keys in both languages (checked by the dictionaries' test). */
export type WorkspaceMessages<K extends string> = Readonly<Record<Locale, Readonly<Record<K, string>>>>;

/** An action of a workspace: its type is `<workspace id>/<name>`, and only that workspace's reducer sees it. */
export interface WorkspaceAction<Id extends string = string> {
  type: `${Id}/${string}`;
}

/** What a workspace's controller is started with, once the user is logged in and the map is made. */
export interface WorkspaceContext {
  store: Store;
  mapView: MapView;
  user: SessionUser;
  locale: Locale;
  /** Server data (web/src/frame/resource.ts): `write` sends a change and has what it touched fetched again. */
  resources: ResourceLayer<AppState, Action>;
}

/** What a workspace's panel is drawn from. */
export interface PanelContext<S, C> {
  locale: Locale;
  /** The workspace's own slice of the state. */
  state: S;
  /** The whole state, for what the frame holds (user, county, import). */
  app: AppState;
  /** The workspace's controller (null until it is started). */
  controller: C | null;
  dispatch: (action: Action) => void;
  may: Permissions;
}

/** Something drawn over the map for a workspace (a time bar, a legend), updated in place. */
export interface WorkspaceOverlay<S> {
  /** Classes of the overlay's box (besides `map-overlay`). */
  className: string;
  testId: string;
  /** Draw the overlay, or clear it (state null: another workspace is open); `app` holds the resources' states. */
  render(host: HTMLElement, locale: Locale, state: S | null, dispatch: (action: Action) => void, app: AppState): void;
}

/**
 * One workspace of the app: its tab, who sees it, its slice of the state and reducer, its
 * controller (server requests, map layers: each controller draws its layers while its workspace
 * is open and clears them when another is), its panel, what it draws over the map, its text.
 * It registers in `registry.ts`; the shell, router, store and dictionaries iterate the registry.
 * Methods (not function properties) keep a workspace assignable to `AnyWorkspace`.
 */
export interface Workspace<
  Id extends string = string,
  S = unknown,
  A extends WorkspaceAction<Id> = never,
  C = unknown,
  K extends string = string,
> {
  /** Its address (`#/<id>`), its key in the state and the prefix of its actions. */
  readonly id: Id;
  readonly titleKey: MessageKey;
  readonly descriptionKey: MessageKey;
  /** Tab order: smaller first. */
  readonly order: number;
  /** The roles that see it (the server's route roles). */
  readonly roles: readonly Role[];
  /** Roles that open on it rather than on the first of their tabs. */
  readonly homeFor?: readonly Role[];
  /** Its UI text in both languages (merged into the app's dictionaries when it registers). */
  readonly messages: WorkspaceMessages<K>;
  initialState(): S;
  /** The workspace's reducer: pure, returns the same object when nothing changed. */
  update(state: S, action: A): S;
  /** The slice after an import replaced county data (default: unchanged). */
  afterImport?(state: S): S;
  /**
   * The URL each of its resources wants now (null: none), by the resource's name; a pure function of
   * the state, asked while the workspace is open (web/src/frame/resource.ts).
   */
  resources?(state: S, app: AppState): Readonly<Record<string, string | null>>;
  /** Start its controller for a logged-in user who sees it. */
  start?(context: WorkspaceContext): C;
  /**
   * The panel's content below the title as a lit-html template, rendered on every change of the
   * state; lit updates only what differs, so nothing typed, focused or scrolled is lost.
   */
  view?(context: PanelContext<S, C>): TemplateResult | DirectiveResult | typeof nothing;
  /**
   * The screen covering the map area while it is open, as a lit-html template rendered on every
   * change of the state (as `view` is for the panel).
   */
  coverView?(context: PanelContext<S, C>): TemplateResult | DirectiveResult | typeof nothing;
  readonly overlay?: WorkspaceOverlay<S>;
}

/** Any registered workspace, whatever its state and actions. */
export type AnyWorkspace = Workspace<string, unknown, WorkspaceAction, unknown>;

/** State keys of the frame itself: no workspace may take one as its id. */
const FRAME_KEYS = [
  'locale',
  'user',
  'workspace',
  'service',
  'county',
  'import',
  'map',
  'resources',
  'countyCode',
  'dataChange',
];

const registered: AnyWorkspace[] = [];

/**
 * Add a workspace to the app: its tab, its reducer and its text (merged into the dictionaries).
 * Called once per workspace by `registry.ts` (and by tests with a workspace of their own).
 */
export function registerWorkspace(workspace: AnyWorkspace): void {
  if (!/^[a-z][a-z0-9-]*$/.test(workspace.id)) throw new Error(`Bad workspace id "${workspace.id}"`);
  if (FRAME_KEYS.includes(workspace.id)) throw new Error(`Workspace id "${workspace.id}" is a key of the frame`);
  if (registered.some((other) => other.id === workspace.id))
    throw new Error(`Workspace "${workspace.id}" is registered twice`);
  addMessages(workspace.messages);
  registered.push(workspace);
  registered.sort((a, b) => a.order - b.order);
}

/** The registered workspaces, in tab order. */
export function registeredWorkspaces(): readonly AnyWorkspace[] {
  return registered;
}

/** The registered workspace of an id, if any. */
export function workspaceById(id: string): AnyWorkspace | undefined {
  return registered.find((workspace) => workspace.id === id);
}

/** The keys of a workspace's text. */
export type MessageKeyOf<M> = M extends WorkspaceMessages<infer K> ? K : never;
