import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deepFreeze } from '../../../test/deep-freeze.js';
import {
  initialResourceState,
  resource,
  ResourceLayer,
  underPrefixes,
  updateResourceState,
  withCounty,
  type Requester,
  type ResourceAction,
  type ResourceState,
  type ResourceStore,
} from './resource.js';

const report = resource<{ n: number }>('test/report');

describe('resource state (pure)', () => {
  const start: ResourceState = deepFreeze(initialResourceState());
  const step = (state: ResourceState, ...actions: ResourceAction[]) =>
    actions.reduce((s, a) => deepFreeze(updateResourceState(s, a)), state);

  it('keeps the previous answer while the next loads, and drops an answer to a key no longer asked for', () => {
    const ready = step(
      start,
      { type: 'resource/requested', name: report.name, key: '/api/a' },
      { type: 'resource/loaded', name: report.name, key: '/api/a', data: { n: 1 } },
    );
    expect(report.of(ready)).toEqual({
      key: '/api/a',
      status: 'ready',
      data: { n: 1 },
      dataKey: '/api/a',
      message: null,
    });
    const next = step(ready, { type: 'resource/requested', name: report.name, key: '/api/b' });
    expect(report.of(next)).toEqual({
      key: '/api/b',
      status: 'loading',
      data: { n: 1 },
      dataKey: '/api/a',
      message: null,
    });
    // The answer to /api/a arriving late changes nothing.
    expect(step(next, { type: 'resource/loaded', name: report.name, key: '/api/a', data: { n: 9 } })).toBe(next);
    const failed = step(next, { type: 'resource/failed', name: report.name, key: '/api/b', message: 'HTTP 500' });
    expect(report.of(failed)).toMatchObject({
      status: 'error',
      data: { n: 1 },
      dataKey: '/api/a',
      message: 'HTTP 500',
    });
    // Not asked for any more: back to idle; asked for the same again: the same state.
    expect(report.of(step(ready, { type: 'resource/requested', name: report.name, key: null })).status).toBe('idle');
    expect(step(next, { type: 'resource/requested', name: report.name, key: '/api/b' })).toBe(next);
    expect(report.of(start).status).toBe('idle');
  });

  it('marks only the resources under a changed prefix (or all, for another county) to be asked again, data kept', () => {
    const other = resource<string>('test/other');
    const both = step(
      start,
      { type: 'resource/requested', name: report.name, key: '/api/policing/no-trip?x=1' },
      { type: 'resource/loaded', name: report.name, key: '/api/policing/no-trip?x=1', data: { n: 1 } },
      { type: 'resource/requested', name: other.name, key: '/api/risk/meta' },
      { type: 'resource/loaded', name: other.name, key: '/api/risk/meta', data: 'm' },
    );
    const changed = step(both, { type: 'dataChanged', prefixes: ['/api/policing/'] });
    expect(report.of(changed)).toMatchObject({ key: null, status: 'ready', data: { n: 1 } });
    expect(other.of(changed)).toBe(other.of(both));
    expect(changed.dataChange).toEqual({ version: 1, prefixes: ['/api/policing/'] });
    const county = step(both, { type: 'chooseCounty', countyCode: '520102' });
    expect(county.countyCode).toBe('520102');
    expect([report.of(county).key, other.of(county).key]).toEqual([null, null]);
    expect(step(county, { type: 'chooseCounty', countyCode: '520102' })).toBe(county);
  });

  it('adds the chosen county to a URL unless it names one, and matches prefixes on the path', () => {
    expect(withCounty('/api/risk/meta', null)).toBe('/api/risk/meta');
    expect(withCounty('/api/risk/meta', '520102')).toBe('/api/risk/meta?county=520102');
    expect(withCounty('/api/risk/hexes?res=7&months=3', '520102')).toBe('/api/risk/hexes?res=7&months=3&county=520102');
    expect(withCounty('/api/x?county=520103', '520102')).toBe('/api/x?county=520103');
    expect(withCounty('/api/counties', '520102')).toBe('/api/counties');
    expect(withCounty('/api/auth/users', '520102')).toBe('/api/auth/users');
    expect(underPrefixes('/api/policing/no-trip?county=520102', ['/api/policing/'])).toBe(true);
    expect(underPrefixes('/api/risk/meta?from=/api/policing/', ['/api/policing/'])).toBe(false);
  });
});

// ---- The layer against a real HTTP server ---------------------------------------------------------

/** A server whose GET answers wait until the test releases them; it records the requests. */
class HeldServer {
  readonly requests: string[] = [];
  readonly writes: string[] = [];
  private readonly held = new Map<string, http.ServerResponse[]>();
  private readonly early = new Map<string, number>();
  private readonly server = http.createServer((req, res) => {
    const url = req.url!;
    if (req.method !== 'GET') {
      this.writes.push(`${req.method} ${url}`);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
      return;
    }
    this.requests.push(url);
    this.held.set(url, [...(this.held.get(url) ?? []), res]);
    // Released before it arrived: answered at once.
    const early = this.early.get(url);
    if (early !== undefined) {
      this.early.delete(url);
      this.release(url, early);
    }
  });
  base = '';

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.base = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Answer every held request of a URL: its path and query as JSON, or an error status. */
  release(url: string, status = 200): void {
    if (!this.held.has(url)) this.early.set(url, status);
    for (const res of this.held.get(url) ?? []) {
      res
        .writeHead(status, { 'content-type': 'application/json' })
        .end(status === 200 ? JSON.stringify({ url }) : JSON.stringify({ error: { message: `refused ${url}` } }));
    }
    this.held.delete(url);
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** A tiny app: which URL it wants is part of its state, beside the resource layer's. */
interface TestState extends ResourceState {
  want: string | null;
}
type TestAction = { type: 'want'; url: string | null };

class TestStore implements ResourceStore<TestState, TestAction> {
  private listeners = new Set<(state: TestState, previous: TestState) => void>();
  constructor(public current: TestState) {}
  dispatch(action: TestAction | ResourceAction): void {
    const previous = this.current;
    this.current =
      action.type === 'want'
        ? { ...previous, want: action.url }
        : updateResourceState(previous, action as ResourceAction);
    if (this.current !== previous) for (const listener of this.listeners) listener(this.current, previous);
  }
  subscribe(listener: (state: TestState, previous: TestState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

describe('resource layer', () => {
  const server = new HeldServer();
  beforeAll(() => server.start());
  afterAll(() => server.close());

  /** Requests the layer cancelled (their fetch ended in an AbortError). */
  const aborted: string[] = [];
  const request: Requester = async (url, init) => {
    const response = await fetch(server.base + url, {
      method: init.method ?? 'GET',
      ...(init.signal ? { signal: init.signal } : {}),
      ...(init.json === undefined ? {} : { body: JSON.stringify(init.json) }),
    }).catch((err: Error) => {
      if (err.name === 'AbortError') aborted.push(url);
      throw err;
    });
    const body = (await response.json()) as { error?: { message: string } };
    if (!response.ok) throw new Error(body.error?.message ?? `HTTP ${response.status}`);
    return body;
  };
  const until = async (check: () => boolean) => {
    for (let i = 0; i < 2000 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(check()).toBe(true);
  };
  const setUp = (countyCode: string | null = null) => {
    const store = new TestStore({ ...initialResourceState(countyCode), want: null });
    const layer = new ResourceLayer<TestState, TestAction>(store, {
      wants: (state) => ({ [report.name]: state.want }),
      request,
      cacheSize: 2,
    });
    return { store, layer, state: () => report.of(store.current) };
  };

  it('cancels a superseded request, keeps the answer shown while the next loads, and takes the county', async () => {
    const { store, layer, state } = setUp('520102');
    store.dispatch({ type: 'want', url: '/api/t/one' });
    expect(state()).toMatchObject({ key: '/api/t/one?county=520102', status: 'loading', data: null });
    await until(() => server.requests.includes('/api/t/one?county=520102'));
    store.dispatch({ type: 'want', url: '/api/t/two' });
    await until(() => aborted.includes('/api/t/one?county=520102'));
    await until(() => server.requests.includes('/api/t/two?county=520102'));
    server.release('/api/t/two?county=520102');
    await until(() => state().status === 'ready');
    expect(state().data).toEqual({ url: '/api/t/two?county=520102' });

    store.dispatch({ type: 'want', url: '/api/t/three' });
    expect(state()).toMatchObject({ status: 'loading', data: { url: '/api/t/two?county=520102' } });
    await until(() => server.requests.includes('/api/t/three?county=520102'));
    server.release('/api/t/three?county=520102', 500);
    await until(() => state().status === 'error');
    expect(state()).toMatchObject({
      message: 'refused /api/t/three?county=520102',
      dataKey: '/api/t/two?county=520102',
    });
    layer.stop();
  });

  it('answers from its cache when a choice comes back, and asks again after a write changed the data', async () => {
    const { store, layer, state } = setUp();
    const asked = (url: string) => server.requests.filter((u) => u === url).length;
    store.dispatch({ type: 'want', url: '/api/c/a' });
    await until(() => asked('/api/c/a') === 1);
    server.release('/api/c/a');
    await until(() => state().status === 'ready');
    store.dispatch({ type: 'want', url: '/api/c/b' });
    await until(() => asked('/api/c/b') === 1);
    server.release('/api/c/b');
    await until(() => state().dataKey === '/api/c/b');
    // Back to a: from the cache, at once, without a request.
    store.dispatch({ type: 'want', url: '/api/c/a' });
    expect(state()).toMatchObject({ status: 'ready', data: { url: '/api/c/a' } });
    expect(asked('/api/c/a')).toBe(1);

    // A write under another prefix changes nothing here; one under /api/c/ has a asked again.
    expect(await layer.write('/api/other/x', { method: 'PUT', json: {} }, ['/api/other/'])).toEqual({ ok: true });
    expect(state().status).toBe('ready');
    await layer.write('/api/c/a', { method: 'PUT', json: { n: 2 } }, ['/api/c/']);
    expect(server.writes).toEqual(['PUT /api/other/x', 'PUT /api/c/a']);
    expect(state()).toMatchObject({ status: 'loading', data: { url: '/api/c/a' } });
    await until(() => asked('/api/c/a') === 2);
    server.release('/api/c/a');
    await until(() => state().status === 'ready');
    // b's cached answer went with the change: asked for again too.
    store.dispatch({ type: 'want', url: '/api/c/b' });
    await until(() => asked('/api/c/b') === 2);
    server.release('/api/c/b');
    await until(() => state().status === 'ready');

    // Not wanted any more: the last answer stays, and nothing is asked.
    store.dispatch({ type: 'want', url: null });
    expect(state()).toMatchObject({ status: 'ready', dataKey: '/api/c/b' });
    layer.stop();
  });

  it('asks for everything again with another county', async () => {
    const { store, layer, state } = setUp('520102');
    store.dispatch({ type: 'want', url: '/api/k/a' });
    await until(() => server.requests.includes('/api/k/a?county=520102'));
    server.release('/api/k/a?county=520102');
    await until(() => state().status === 'ready');
    store.dispatch({ type: 'chooseCounty', countyCode: '520103' });
    expect(state()).toMatchObject({ key: '/api/k/a?county=520103', status: 'loading' });
    await until(() => server.requests.includes('/api/k/a?county=520103'));
    server.release('/api/k/a?county=520103');
    await until(() => state().dataKey === '/api/k/a?county=520103');
    layer.stop();
  });
});
