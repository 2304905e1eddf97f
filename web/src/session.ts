import type { ChangePasswordRequest, LoginRequest, SessionInfo, SessionUser } from '../../contracts/auth.js';
import { apiFetch, errorOf, requestJson, setCsrfToken } from './api.js';

export type { SessionInfo, SessionUser };
export type Role = SessionUser['role'];

/** Every role, in the order the UI lists them. */
export const ROLES: readonly Role[] = ['admin', 'planner', 'commander', 'leader'];

/** What asking the server who is logged in can give. */
export type SessionCheck =
  { kind: 'loggedIn'; session: SessionInfo } | { kind: 'anonymous' } | { kind: 'unreachable'; message: string };

/** `GET /api/auth/me`: the session, none (401), or no answer from the server. */
export async function checkSession(): Promise<SessionCheck> {
  try {
    const response = await apiFetch('/api/auth/me', { quiet401: true });
    if (response.status === 401) return { kind: 'anonymous' };
    const body = (await response.json().catch(() => null)) as unknown;
    if (!response.ok) return { kind: 'unreachable', message: errorOf(response.status, body).message };
    const session = body as SessionInfo;
    setCsrfToken(session.csrfToken);
    return { kind: 'loggedIn', session };
  } catch (err) {
    return { kind: 'unreachable', message: (err as Error).message };
  }
}

/** What a login attempt gives. */
export type LoginOutcome =
  | { kind: 'loggedIn'; session: SessionInfo }
  | { kind: 'wrongPassword' }
  | { kind: 'rateLimited'; retryAfterSeconds: number }
  | { kind: 'failed'; message: string }
  | { kind: 'unreachable'; message: string };

/** Seconds from a `Retry-After` header (seconds, or an HTTP date); 60 when missing or unreadable. */
export function retryAfterSeconds(header: string | null, nowMs = Date.now()): number {
  if (header === null || header.trim() === '') return 60;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(1, Math.ceil(seconds));
  const at = Date.parse(header);
  return Number.isFinite(at) ? Math.max(1, Math.ceil((at - nowMs) / 1000)) : 60;
}

/** `POST /api/auth/login`. */
export async function logIn(request: LoginRequest): Promise<LoginOutcome> {
  let response: Response;
  try {
    response = await apiFetch('/api/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(request),
      quiet401: true,
    });
  } catch (err) {
    return { kind: 'unreachable', message: (err as Error).message };
  }
  const body = (await response.json().catch(() => null)) as unknown;
  if (response.ok) {
    const session = body as SessionInfo;
    setCsrfToken(session.csrfToken);
    return { kind: 'loggedIn', session };
  }
  if (response.status === 401) return { kind: 'wrongPassword' };
  if (response.status === 429) {
    return { kind: 'rateLimited', retryAfterSeconds: retryAfterSeconds(response.headers.get('retry-after')) };
  }
  // A proxy in front of a stopped server answers 502/503/504 without our error body.
  if (response.status >= 502 && response.status <= 504) {
    return { kind: 'unreachable', message: `HTTP ${response.status}` };
  }
  return { kind: 'failed', message: errorOf(response.status, body).message };
}

/** `POST /api/auth/logout` (the session ends on the server; an error still logs out here). */
export async function logOut(): Promise<void> {
  try {
    await apiFetch('/api/auth/logout', { method: 'POST', quiet401: true });
  } finally {
    setCsrfToken(null);
  }
}

/** `POST /api/auth/password`; throws an ApiError with the server's message when refused. */
export async function changePassword(request: ChangePasswordRequest): Promise<void> {
  await requestJson<null>('/api/auth/password', { method: 'POST', json: request, quiet401: true });
}
