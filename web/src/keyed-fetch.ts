import { requestJson } from './api.js';

/**
 * A resource and the request it answers. `key` is the URL asked for last; `data` is the answer to
 * `dataKey` and stays on screen while the next one loads, so the map does not blink while the slider
 * moves. An answer whose key is no longer `key` is stale and dropped.
 */
export interface Fetched<T> {
  key: string | null;
  status: 'idle' | 'loading' | 'ready' | 'error';
  data: T | null;
  dataKey: string | null;
  message: string | null;
}

/** A resource nothing has been asked of. */
export function idleFetched<T>(): Fetched<T> {
  return { key: null, status: 'idle', data: null, dataKey: null, message: null };
}

/** A resource once `key` is asked for (null: nothing is wanted); the same object when nothing changes. */
export function requestedFetched<T>(current: Fetched<T>, key: string | null): Fetched<T> {
  if (key === null) return current.key === null ? current : idleFetched();
  return { ...current, key, status: 'loading', message: null };
}

/** What a keyed fetcher tells its workspace's reducer (as that workspace's actions). */
export interface KeyedFetchEvents<R extends string> {
  requested(resource: R, key: string | null): void;
  loaded(resource: R, key: string, data: unknown): void;
  failed(resource: R, key: string, message: string): void;
}

/**
 * The resources of a workspace, each fetched from the URL its state asks for (its key), when that
 * key changes; a request the state has moved past is cancelled. The answers go to the reducer,
 * which drops one whose key is no longer the one asked for.
 */
export class KeyedFetcher<R extends string> {
  private readonly inFlight = new Map<R, AbortController>();

  constructor(
    private readonly resources: readonly R[],
    private readonly events: KeyedFetchEvents<R>,
  ) {}

  /**
   * Ask for every resource whose wanted key differs from the one asked for last. `wanted` and
   * `fetched` must read the store afresh: each event re-enters the store with a newer state.
   */
  sync(wanted: (resource: R) => string | null, fetched: (resource: R) => Fetched<unknown>): void {
    for (const resource of this.resources) {
      const key = wanted(resource);
      const current = fetched(resource);
      if (key === current.key) continue;
      // A tab or layer left keeps its last answer: back on it with the same choices, nothing is fetched.
      if (key === null && current.status === 'ready') continue;
      this.inFlight.get(resource)?.abort();
      this.inFlight.delete(resource);
      if (key === null) this.events.requested(resource, null);
      else void this.load(resource, key);
    }
  }

  private async load(resource: R, key: string): Promise<void> {
    const abort = new AbortController();
    this.inFlight.set(resource, abort);
    this.events.requested(resource, key);
    try {
      const data = await requestJson<unknown>(key, { signal: abort.signal });
      this.events.loaded(resource, key, data);
    } catch (err) {
      if (abort.signal.aborted) return;
      this.events.failed(resource, key, (err as Error).message);
    } finally {
      if (this.inFlight.get(resource) === abort) this.inFlight.delete(resource);
    }
  }
}
