import { CSRF_COOKIE, CSRF_HEADER } from '../../contracts/auth-names.js';

/**
 * Every request of the app goes through here: same-origin, with the session cookie, and on a
 * state-changing request the CSRF header the server asks for (server/auth/api-types.ts).
 */

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** The token from the last login or `me` answer, for when the cookie cannot be read. */
let knownCsrfToken: string | null = null;
/** Called when the server says the session is gone (401); set once the app has booted. */
let unauthenticatedHandler: (() => void) | null = null;

/** Keep the CSRF token of a login or `me` answer (null: logged out). */
export function setCsrfToken(token: string | null): void {
  knownCsrfToken = token;
}

/** Who is told when an API call answers 401 (null: nobody, e.g. on the login screen). */
export function onUnauthenticated(handler: (() => void) | null): void {
  unauthenticatedHandler = handler;
}

/** A cookie's value from a `document.cookie` string; null when absent. */
export function cookieValue(cookies: string, name: string): string | null {
  for (const part of cookies.split(';')) {
    const at = part.indexOf('=');
    if (at < 0) continue;
    if (part.slice(0, at).trim() === name) return decodeURIComponent(part.slice(at + 1).trim());
  }
  return null;
}

/** The CSRF token to send: the `sw_csrf` cookie (it follows the server), else the one last seen. */
export function csrfToken(): string | null {
  return cookieValue(typeof document === 'undefined' ? '' : document.cookie, CSRF_COOKIE) ?? knownCsrfToken;
}

/** An error answer of our API: the server's code and message (in the server's words). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string | null,
    message: string,
    readonly details: unknown = null,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** The `{ error: { code, message, details } }` body of an error answer, as far as it is there. */
export function errorOf(status: number, body: unknown): ApiError {
  const error = (body as { error?: { code?: string; message?: string; details?: unknown } } | null)?.error;
  return new ApiError(status, error?.code ?? null, error?.message ?? `HTTP ${status}`, error?.details ?? null);
}

/**
 * `fetch` for our API: adds the CSRF header to state-changing requests and reports a 401 (the
 * session has ended) to the app, unless `quiet401` (the login screen's own calls).
 */
export async function apiFetch(url: string, init: RequestInit & { quiet401?: boolean } = {}): Promise<Response> {
  const { quiet401 = false, ...rest } = init;
  const method = (rest.method ?? 'GET').toUpperCase();
  const headers = new Headers(rest.headers);
  if (STATE_CHANGING.has(method)) {
    const token = csrfToken();
    if (token && !headers.has(CSRF_HEADER)) headers.set(CSRF_HEADER, token);
  }
  const response = await fetch(url, { ...rest, method, headers, credentials: 'same-origin' });
  if (response.status === 401 && !quiet401) unauthenticatedHandler?.();
  return response;
}

/** Fetch JSON from our API; an error answer becomes an ApiError carrying the server's message. */
export async function requestJson<T>(
  url: string,
  init: { method?: string; json?: unknown; signal?: AbortSignal; quiet401?: boolean } = {},
): Promise<T> {
  const response = await apiFetch(url, {
    method: init.method ?? 'GET',
    ...(init.signal ? { signal: init.signal } : {}),
    ...(init.quiet401 ? { quiet401: true } : {}),
    ...(init.json === undefined
      ? {}
      : { body: JSON.stringify(init.json), headers: { 'content-type': 'application/json' } }),
  });
  // 204 and other empty answers have no body; a proxy's error page is not JSON.
  const text = await response.text();
  const body = ((): unknown => {
    try {
      return text ? (JSON.parse(text) as unknown) : null;
    } catch {
      return null;
    }
  })();
  if (!response.ok) throw errorOf(response.status, body);
  return body as T;
}
