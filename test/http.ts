import type { Server } from 'node:http';
import type { Express } from 'express';
import path from 'node:path';
import { createApp } from '../server/app.js';
import { CSRF_HEADER, type SessionInfo } from '../server/auth/api-types.js';
import { createUser, findUserByUsername } from '../server/auth/store.js';
import { openAppContext } from '../server/context.js';
import type { Database } from '../server/db/database.js';
import type { Role } from '../server/http/route.js';
import { createLogger } from '../server/logger.js';

/** The password of every test user (they are made by `createTestUser`, never in a real database). */
export const TEST_PASSWORD = 'Shanwang-test-2026!';

/** Create (once) the test user of a role, `test-<role>` unless named, with TEST_PASSWORD. */
export async function createTestUser(
  database: Database,
  role: Role,
  options: { username?: string; townships?: string[] | null } = {},
): Promise<{ username: string; password: string }> {
  const username = options.username ?? `test-${role}`;
  if (!(await findUserByUsername(database.db, username))) {
    await createUser(database.db, {
      username,
      displayName: username,
      role,
      townships: options.townships ?? null,
      password: TEST_PASSWORD,
    });
  }
  return { username, password: TEST_PASSWORD };
}

/** A request of a test: fetch's options, plus `json` (sent as the body) and who sends it. */
export interface TestRequestInit extends RequestInit {
  json?: unknown;
  /** Who sends it: a role (its test user, logged in on first use; default admin) or nobody. */
  as?: Role | 'anonymous';
}

/** A JSON answer (a text answer for other content types, GeoJSON included). */
export interface ApiAnswer<T> {
  status: number;
  type: string;
  body: T;
}

/** A logged-in user of a test server: fetch with its cookie and, on state-changing requests, its CSRF header. */
export interface TestSession {
  username: string;
  cookie: string;
  csrfToken: string;
  info: SessionInfo;
  fetch(pathOrUrl: string, init?: RequestInit & { json?: unknown }): Promise<Response>;
}

export interface TestServer {
  baseUrl: string;
  database: Database;
  /** Fetch as the admin test user (or `as` another role, or anonymous); relative paths are under baseUrl. */
  fetch(pathOrUrl: string, init?: TestRequestInit): Promise<Response>;
  /** Fetch and read the answer: JSON parsed, anything else (GeoJSON, CSV) as text. */
  api<T>(pathOrUrl: string, init?: TestRequestInit): Promise<ApiAnswer<T>>;
  /** Log in as a user (created when missing): the test user of the role unless `username` is given. */
  login(role: Role, options?: { username?: string; townships?: string[] | null }): Promise<TestSession>;
  close(): Promise<void>;
}

function requestInit(init: RequestInit & { json?: unknown }, headers: Record<string, string>): RequestInit {
  const { json, ...rest } = init;
  const merged = new Headers(rest.headers);
  for (const [key, value] of Object.entries(headers)) if (!merged.has(key)) merged.set(key, value);
  if (json !== undefined) {
    if (!merged.has('content-type')) merged.set('content-type', 'application/json');
    return { ...rest, headers: merged, body: JSON.stringify(json) };
  }
  return { ...rest, headers: merged };
}

/** The cookies a response sets, as one Cookie header (name=value; …). */
function cookieHeader(response: Response): string {
  return response.headers
    .getSetCookie()
    .map((line) => line.split(';')[0]!)
    .join('; ');
}

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Log in over HTTP with a username and password; throws when the server refuses. */
export async function loginOverHttp(baseUrl: string, username: string, password: string): Promise<TestSession> {
  const response = await fetch(`${baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (response.status !== 200)
    throw new Error(`login as ${username}: HTTP ${response.status} ${await response.text()}`);
  const info = (await response.json()) as SessionInfo;
  const cookie = cookieHeader(response);
  const url = (pathOrUrl: string) => (pathOrUrl.startsWith('http') ? pathOrUrl : `${baseUrl}${pathOrUrl}`);
  return {
    username,
    cookie,
    csrfToken: info.csrfToken,
    info,
    fetch: (pathOrUrl, init = {}) => {
      const method = (init.method ?? 'GET').toUpperCase();
      const headers: Record<string, string> = { cookie };
      if (STATE_CHANGING.has(method)) headers[CSRF_HEADER] = info.csrfToken;
      return fetch(url(pathOrUrl), requestInit(init, headers));
    },
  };
}

/** Read an answer: JSON parsed, anything else (GeoJSON, CSV, HTML) as text. */
export async function readAnswer<T>(response: Response): Promise<ApiAnswer<T>> {
  const type = response.headers.get('content-type') ?? '';
  const body = (
    type.includes('json') && !type.includes('geo+json') ? await response.json() : await response.text()
  ) as T;
  return { status: response.status, type, body };
}

/** Serve an app on an ephemeral port of 127.0.0.1. */
export async function listenOnLoopback(app: Express): Promise<{ server: Server; baseUrl: string }> {
  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
    s.once('error', reject);
  });
  // Longer than the client's keep-alive: a slow request on PGlite must not race a closing socket (ECONNRESET).
  server.keepAliveTimeout = 60_000;
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  return { server, baseUrl: `http://127.0.0.1:${address.port}` };
}

/** The real application on an ephemeral loopback port, over the given database. */
export async function startTestServer(database: Database): Promise<TestServer> {
  const ctx = await openAppContext(database, {
    logger: createLogger(process.env.TEST_LOG_LEVEL ?? 'silent'),
    webDir: path.resolve('dist/web'),
  });
  const { server, baseUrl } = await listenOnLoopback(createApp(ctx));
  const sessions = new Map<string, Promise<TestSession>>();
  const login: TestServer['login'] = (role, options = {}) => {
    const key = `${role}|${options.username ?? ''}|${JSON.stringify(options.townships ?? null)}`;
    let session = sessions.get(key);
    if (!session) {
      session = createTestUser(database, role, options).then((user) =>
        loginOverHttp(baseUrl, user.username, user.password),
      );
      session.catch(() => sessions.delete(key));
      sessions.set(key, session);
    }
    return session;
  };
  const testFetch: TestServer['fetch'] = async (pathOrUrl, init = {}) => {
    const { as = 'admin', ...rest } = init;
    if (as === 'anonymous') {
      const url = pathOrUrl.startsWith('http') ? pathOrUrl : `${baseUrl}${pathOrUrl}`;
      return fetch(url, requestInit(rest, {}));
    }
    return (await login(as)).fetch(pathOrUrl, rest);
  };
  return {
    baseUrl,
    database,
    fetch: testFetch,
    api: async (pathOrUrl, init) => readAnswer(await testFetch(pathOrUrl, init)),
    login,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
