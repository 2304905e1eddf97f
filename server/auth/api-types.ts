/**
 * The accounts API as the web app and the tests see it (the contract between server and client).
 *
 * Sessions: `POST /api/auth/login` sets two cookies, both `SameSite=Strict; Path=/`:
 * - `sw_session`: the session token, `HttpOnly` (scripts never see it);
 * - `sw_csrf`: the CSRF token, readable by the page's scripts.
 * Every state-changing request (POST, PUT, PATCH, DELETE) except login must send the CSRF token in
 * the `x-csrf-token` header (from the `sw_csrf` cookie or from `csrfToken` below); without it: 403
 * `csrf_failed`. Not logged in: 401 `unauthenticated`; logged in without the role: 403 `forbidden`.
 * Too many failed logins: 429 `rate_limited` with a `Retry-After` header (seconds).
 */
import type { Role } from '../http/route.js';

export const SESSION_COOKIE = 'sw_session';
export const CSRF_COOKIE = 'sw_csrf';
export const CSRF_HEADER = 'x-csrf-token';

/** The logged-in user as the client sees it. */
export interface SessionUser {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  /** Townships a planner may edit grids in; null: every township. */
  townships: string[] | null;
}

/** `POST /api/auth/login` body. */
export interface LoginRequest {
  username: string;
  password: string;
}

/** `POST /api/auth/login` (200) and `GET /api/auth/me` (200; 401 when not logged in). */
export interface SessionInfo {
  user: SessionUser;
  csrfToken: string;
  /** When the session ends if idle from now (ISO 8601). */
  expiresAt: string;
}

/** `POST /api/auth/password` body (any logged-in user; 204). */
export interface ChangePasswordRequest {
  currentPassword: string;
  newPassword: string;
}

/** An account as an admin sees it: `GET /api/auth/users` returns `{ users: UserAccount[] }`. */
export interface UserAccount extends SessionUser {
  disabled: boolean;
  createdAt: string;
  lastLoginAt: string | null;
}

/** `POST /api/auth/users` (admin; 201 → UserAccount). */
export interface CreateUserRequest {
  username: string;
  displayName?: string;
  role: Role;
  townships?: string[] | null;
  password: string;
}

/** `PATCH /api/auth/users/:userId` (admin; 200 → UserAccount). A new password logs the user out everywhere. */
export interface UpdateUserRequest {
  displayName?: string;
  role?: Role;
  townships?: string[] | null;
  disabled?: boolean;
  password?: string;
}

/** One entry of `GET /api/audit?limit=&before=&username=&action=` (admin) → `{ entries, nextBefore }`. */
export interface AuditEntry {
  id: number;
  at: string;
  username: string;
  role: string | null;
  /** e.g. `auth.login`, `POST /api/grids/plans/:planId/edits`. */
  action: string;
  /** What was changed, e.g. `plan 3`, `user 7`. */
  target: string | null;
  status: number;
  ip: string | null;
  before: unknown;
  after: unknown;
  details: unknown;
}

export interface AuditPage {
  entries: AuditEntry[];
  /** Pass as `before` for the next (older) page; null at the end. */
  nextBefore: number | null;
}
