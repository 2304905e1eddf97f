import { requestJson } from '../api.js';

/**
 * Server data, one way for every workspace. A workspace uses it in four steps:
 *
 * 1. Name each resource once, with the type it answers:
 *    `export const report = resource<NoTripReport>('policing/report');`
 * 2. Say which URL each one wants, as a pure function of the state (in its `Workspace`):
 *    `resources: (slice, app) => ({ [report.name]: countyReady(app) ? '/api/policing/no-trip' : null })`.
 *    Only the open workspace's wants are fetched; null means "not wanted now" (the last answer stays).
 * 3. Read it anywhere the state is at hand: `report.of(app)` → `{ status, data, message, ... }`. While a
 *    new URL loads, `data` is still the previous answer (`status` 'loading'), so nothing blinks.
 * 4. Write through `context.resources.write(url, { method, json }, ['/api/policing/'])`: once the server
 *    has taken it, every resource under those URL prefixes is fetched again. An accepted import does the
 *    same for everything (`dataChanged` with '/api/').
 *
 * The layer adds the chosen county (`county=<code>`) to every request, so the key of a resource is its
 * URL with the county; it cancels a request whose key the state has moved past (AbortController), keeps
 * the last answers in a small cache (back to an earlier choice: no request), and tells the store what
 * happened through actions, so the reducers stay pure and the resources' states are plain state.
 */

/** A resource's state: `key` is the URL asked for last; `data` answers `dataKey` and stays while the next loads. */
export interface Resource<T> {
  key: string | null;
  status: 'idle' | 'loading' | 'ready' | 'error';
  data: T | null;
  dataKey: string | null;
  message: string | null;
}

/** Every resource's state, by name (`<workspace id>/<what>`, or `frame/<what>`). */
export type ResourceTable = Readonly<Record<string, Resource<unknown>>>;

/** What changed on the server last: the resources whose URL starts with one of the prefixes are stale. */
export interface DataChange {
  version: number;
  prefixes: readonly string[];
}

/** What the frame's state holds for the resource layer. */
export interface ResourceState {
  resources: ResourceTable;
  /** The county chosen in the top bar (null: the server's first county). */
  countyCode: string | null;
  dataChange: DataChange;
}

/** The actions of the resource layer (handled by the frame's reducer, `updateResourceState`). */
export type ResourceAction =
  /** A request went out (key null: the resource is not wanted any more). */
  | { type: 'resource/requested'; name: string; key: string | null }
  | { type: 'resource/loaded'; name: string; key: string; data: unknown }
  | { type: 'resource/failed'; name: string; key: string; message: string }
  /** Data changed on the server (a write, an import): what is under these URL prefixes is fetched again. */
  | { type: 'dataChanged'; prefixes: readonly string[] }
  /** Another county chosen: every resource is asked for again with it. */
  | { type: 'chooseCounty'; countyCode: string | null };

const IDLE: Resource<never> = Object.freeze({ key: null, status: 'idle', data: null, dataKey: null, message: null });

/** A resource nothing has been asked of. */
export function idleResource<T>(): Resource<T> {
  return IDLE;
}

/** The resource layer's part of a new state. */
export function initialResourceState(countyCode: string | null = null): ResourceState {
  return { resources: {}, countyCode, dataChange: { version: 0, prefixes: [] } };
}

/** The data when it answers the key asked for now; null while another key's answer is shown meanwhile (or none). */
export function currentData<T>(fetched: Resource<T>): T | null {
  return fetched.data !== null && fetched.dataKey === fetched.key ? fetched.data : null;
}

/** A typed name for a resource: `of(state)` reads its state (idle when never asked for). */
export interface ResourceHandle<T> {
  readonly name: string;
  of(state: { resources: ResourceTable }): Resource<T>;
}

/** Name a resource and the type its URL answers. */
export function resource<T>(name: string): ResourceHandle<T> {
  return { name, of: (state) => (state.resources[name] as Resource<T> | undefined) ?? IDLE };
}

/** The path of a URL or key, without its query. */
function pathOf(url: string): string {
  const at = url.indexOf('?');
  return at < 0 ? url : url.slice(0, at);
}

/** Whether a URL is under one of the prefixes (matched against its path). */
export function underPrefixes(url: string, prefixes: readonly string[]): boolean {
  const path = pathOf(url);
  return prefixes.some((prefix) => path.startsWith(pathOf(prefix)));
}

/** Routes that are not about one county (accounts, the audit log, the list of counties, health): no county added. */
const COUNTY_FREE = ['/api/auth/', '/api/audit', '/api/counties', '/api/health'];

/**
 * A URL with the chosen county in its query (unless the URL names one itself, or its route is not
 * about a county); unchanged without a county.
 */
export function withCounty(url: string, countyCode: string | null): string {
  if (countyCode === null || underPrefixes(url, COUNTY_FREE)) return url;
  const at = url.indexOf('?');
  const query = new URLSearchParams(at < 0 ? '' : url.slice(at + 1));
  if (query.has('county')) return url;
  query.append('county', countyCode);
  return `${pathOf(url)}?${query.toString()}`;
}

/** The table with one resource replaced (the same table when it is the same object). */
function put(table: ResourceTable, name: string, next: Resource<unknown>): ResourceTable {
  return table[name] === next ? table : { ...table, [name]: next };
}

/** Pure transitions of the resource layer's state; the same object when an action changes nothing. */
export function updateResourceState<S extends ResourceState>(state: S, action: ResourceAction): S {
  const table = state.resources;
  switch (action.type) {
    case 'resource/requested': {
      const current = table[action.name] ?? IDLE;
      if (action.key === null)
        return current.key === null ? state : { ...state, resources: put(table, action.name, IDLE) };
      if (current.key === action.key && current.status === 'loading') return state;
      const next: Resource<unknown> = { ...current, key: action.key, status: 'loading', message: null };
      return { ...state, resources: put(table, action.name, next) };
    }
    case 'resource/loaded': {
      // An answer to a key no longer asked for is stale: dropped.
      if (table[action.name]?.key !== action.key) return state;
      const next: Resource<unknown> = {
        key: action.key,
        status: 'ready',
        data: action.data,
        dataKey: action.key,
        message: null,
      };
      return { ...state, resources: put(table, action.name, next) };
    }
    case 'resource/failed': {
      const current = table[action.name];
      if (current?.key !== action.key) return state;
      // The previous answer stays beside the error (the map keeps showing it).
      return { ...state, resources: put(table, action.name, { ...current, status: 'error', message: action.message }) };
    }
    case 'dataChanged':
      return {
        ...state,
        resources: forgetKeys(table, (key) => underPrefixes(key, action.prefixes)),
        dataChange: { version: state.dataChange.version + 1, prefixes: action.prefixes },
      };
    case 'chooseCounty':
      if (state.countyCode === action.countyCode) return state;
      // Every answer belongs to the county it was asked for: all are asked again (the data stays shown meanwhile).
      return { ...state, countyCode: action.countyCode, resources: forgetKeys(table, () => true) };
  }
}

/** Resources whose key matches, marked as asked for nothing: the layer asks for them again, their data stays. */
function forgetKeys(table: ResourceTable, matches: (key: string) => boolean): ResourceTable {
  let next: Record<string, Resource<unknown>> | null = null;
  for (const [name, current] of Object.entries(table)) {
    if (current.key === null || !matches(current.key)) continue;
    next ??= { ...table };
    // An error has nothing worth keeping: idle, so a view shows loading rather than the old error.
    next[name] = current.status === 'error' ? { ...current, key: null, status: 'idle' } : { ...current, key: null };
  }
  return next ?? table;
}

/** How the layer talks to the server (requestJson in the app). */
export type Requester = (
  url: string,
  init: { method?: string; json?: unknown; signal?: AbortSignal },
) => Promise<unknown>;

/** The store as the layer needs it (the app's Store fits). */
export interface ResourceStore<S extends ResourceState, A> {
  readonly current: S;
  dispatch(action: A | ResourceAction): void;
  subscribe(listener: (state: S, previous: S) => void): () => void;
}

export interface ResourceLayerOptions<S extends ResourceState> {
  /** The URL each resource wants now (null: none); a pure function of the state. */
  wants(state: S): Readonly<Record<string, string | null>>;
  /** How requests are sent (default: requestJson, with the session and CSRF header). */
  request?: Requester;
  /** How many answers the cache keeps (least recently used go first). */
  cacheSize?: number;
}

/**
 * Fetches what the state wants and reports it to the store: one per app, started in main.ts and
 * handed to each workspace's controller (for `write`).
 */
export class ResourceLayer<S extends ResourceState, A = never> {
  private readonly inFlight = new Map<string, { key: string; abort: AbortController }>();
  /** Answers by key, least recently used first (a Map keeps insertion order). */
  private readonly cache = new Map<string, unknown>();
  private readonly request: Requester;
  private readonly cacheSize: number;
  private seenChange: number;
  private syncing = false;
  private syncAgain = false;
  private readonly unsubscribe: () => void;

  constructor(
    private readonly store: ResourceStore<S, A>,
    private readonly options: ResourceLayerOptions<S>,
  ) {
    this.request = options.request ?? ((url, init) => requestJson<unknown>(url, init));
    this.cacheSize = options.cacheSize ?? 32;
    this.seenChange = store.current.dataChange.version;
    this.unsubscribe = store.subscribe(() => this.sync());
    this.sync();
  }

  /** Stop following the store and cancel what is on its way. */
  stop(): void {
    this.unsubscribe();
    for (const { abort } of this.inFlight.values()) abort.abort();
    this.inFlight.clear();
  }

  /**
   * Send a change (PUT, POST, DELETE) with the chosen county; once the server has taken it, the
   * resources under `changes` (URL prefixes) are fetched again. Resolves to the server's answer;
   * an error answer rejects (an ApiError with the server's message).
   */
  async write<T>(url: string, init: { method: string; json?: unknown }, changes: readonly string[] = []): Promise<T> {
    const data = (await this.request(withCounty(url, this.store.current.countyCode), init)) as T;
    if (changes.length > 0) this.store.dispatch({ type: 'dataChanged', prefixes: changes });
    return data;
  }

  /** Ask for each wanted resource whose key differs from the one asked for last (re-entered by its own dispatches). */
  private sync(): void {
    if (this.syncing) {
      this.syncAgain = true;
      return;
    }
    this.syncing = true;
    try {
      do {
        this.syncAgain = false;
        this.syncOnce();
      } while (this.syncAgain);
    } finally {
      this.syncing = false;
    }
  }

  private syncOnce(): void {
    const state = this.store.current;
    if (state.dataChange.version !== this.seenChange) {
      this.seenChange = state.dataChange.version;
      for (const key of [...this.cache.keys()])
        if (underPrefixes(key, state.dataChange.prefixes)) this.cache.delete(key);
    }
    for (const [name, url] of Object.entries(this.options.wants(state))) {
      const key = url === null ? null : withCounty(url, state.countyCode);
      const current = this.store.current.resources[name] ?? IDLE;
      if (key === current.key) continue;
      // A resource no longer wanted keeps its last answer: wanted again with the same choices, nothing is fetched.
      if (key === null && current.status === 'ready') continue;
      this.cancel(name);
      if (key === null) this.store.dispatch({ type: 'resource/requested', name, key: null });
      else if (this.cache.has(key)) {
        const data = this.cached(key);
        this.store.dispatch({ type: 'resource/requested', name, key });
        this.store.dispatch({ type: 'resource/loaded', name, key, data });
      } else void this.load(name, key);
    }
  }

  private cancel(name: string): void {
    this.inFlight.get(name)?.abort.abort();
    this.inFlight.delete(name);
  }

  private cached(key: string): unknown {
    const data = this.cache.get(key);
    this.cache.delete(key);
    this.cache.set(key, data);
    return data;
  }

  private remember(key: string, data: unknown): void {
    this.cache.delete(key);
    this.cache.set(key, data);
    while (this.cache.size > this.cacheSize) this.cache.delete(this.cache.keys().next().value!);
  }

  private async load(name: string, key: string): Promise<void> {
    const abort = new AbortController();
    this.inFlight.set(name, { key, abort });
    const version = this.store.current.dataChange.version;
    this.store.dispatch({ type: 'resource/requested', name, key });
    try {
      const data = await this.request(key, { signal: abort.signal });
      if (abort.signal.aborted) return;
      // An answer from before a data change is not kept for later (it is still shown once: it was asked for).
      if (this.store.current.dataChange.version === version) this.remember(key, data);
      this.store.dispatch({ type: 'resource/loaded', name, key, data });
    } catch (err) {
      if (abort.signal.aborted) return;
      this.store.dispatch({ type: 'resource/failed', name, key, message: (err as Error).message });
    } finally {
      if (this.inFlight.get(name)?.abort === abort) this.inFlight.delete(name);
    }
  }
}

/** Whether the county's data is there to be asked about ('idle': nothing is being generated here). */
export function countyReady(state: { county: { state: string } | null }): boolean {
  return state.county?.state === 'ready' || state.county?.state === 'idle';
}
