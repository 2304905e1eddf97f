/**
 * The accounts API (/api/auth/…, /api/audit): sessions, accounts and the audit log.
 *
 * Sessions: `POST /api/auth/login` sets two cookies, both `SameSite=Strict; Path=/`:
 * - `sw_session`: the session token, `HttpOnly` (scripts never see it);
 * - `sw_csrf`: the CSRF token, readable by the page's scripts.
 * Every state-changing request (POST, PUT, PATCH, DELETE) except login must send the CSRF token in
 * the `x-csrf-token` header (from the `sw_csrf` cookie or from `csrfToken` below); without it: 403
 * `csrf_failed`. Not logged in: 401 `unauthenticated`; logged in without the role: 403 `forbidden`.
 * Too many failed logins: 429 `rate_limited` with a `Retry-After` header (seconds).
 */
import { z } from 'zod';
import { jsonValueSchema } from './json.js';

export { CSRF_COOKIE, CSRF_HEADER, SESSION_COOKIE } from './auth-names.js';

export const roleSchema = z.enum(['admin', 'planner', 'commander', 'leader']);
export type Role = z.infer<typeof roleSchema>;

const password = z.string().min(1).max(1024);
const townships = z.array(z.string().regex(/^\d{9}$/, '乡镇代码为 9 位数字（a township code has 9 digits）')).max(100);

/** The logged-in user as the client sees it. */
export const sessionUserSchema = z.object({
  id: z.number().int(),
  username: z.string(),
  displayName: z.string(),
  role: roleSchema,
  townships: z.array(z.string()).nullable().describe('Townships a planner may edit grids in; null: every township'),
});
export type SessionUser = z.infer<typeof sessionUserSchema>;

/** `POST /api/auth/login` body. */
export const loginRequestSchema = z.object({ username: z.string().min(1).max(100), password }).strict();
export type LoginRequest = z.infer<typeof loginRequestSchema>;

/** `POST /api/auth/login` (200) and `GET /api/auth/me` (200; 401 when not logged in). */
export const sessionInfoSchema = z.object({
  user: sessionUserSchema,
  csrfToken: z.string(),
  expiresAt: z.string().describe('When the session ends if idle from now (ISO 8601)'),
});
export type SessionInfo = z.infer<typeof sessionInfoSchema>;

/** `POST /api/auth/password` body (any logged-in user; 204). */
export const changePasswordRequestSchema = z.object({ currentPassword: password, newPassword: password }).strict();
export type ChangePasswordRequest = z.infer<typeof changePasswordRequestSchema>;

/** An account as an admin sees it. */
export const userAccountSchema = sessionUserSchema.extend({
  disabled: z.boolean(),
  createdAt: z.string(),
  lastLoginAt: z.string().nullable(),
});
export type UserAccount = z.infer<typeof userAccountSchema>;

/** `GET /api/auth/users` (admin). */
export const userListSchema = z.object({ users: z.array(userAccountSchema) });
export type UserList = z.infer<typeof userListSchema>;

/** `POST /api/auth/users` (admin; 201 → UserAccount). */
export const createUserRequestSchema = z
  .object({
    username: z.string().min(1).max(100),
    displayName: z.string().max(100).optional(),
    role: roleSchema,
    townships: townships.nullable().optional(),
    password,
  })
  .strict();
export type CreateUserRequest = z.infer<typeof createUserRequestSchema>;

/** `PATCH /api/auth/users/:userId` (admin; 200 → UserAccount). A new password logs the user out everywhere. */
export const updateUserRequestSchema = z
  .object({
    displayName: z.string().max(100).optional(),
    role: roleSchema.optional(),
    townships: townships.nullable().optional(),
    disabled: z.boolean().optional(),
    password: password.optional(),
  })
  .strict();
export type UpdateUserRequest = z.infer<typeof updateUserRequestSchema>;

/** One entry of `GET /api/audit?limit=&before=&username=&action=` (admin). */
export const auditEntrySchema = z.object({
  id: z.number().int(),
  at: z.string(),
  username: z.string(),
  role: z.string().nullable(),
  action: z.string().describe('e.g. `auth.login`, `POST /api/grids/plans/:planId/edits`'),
  target: z.string().nullable().describe('What was changed, e.g. `plan 3`, `user 7`'),
  status: z.number().int(),
  ip: z.string().nullable(),
  // Snapshots of whatever the change touched: any JSON, as the route logged it (null: none).
  before: jsonValueSchema.describe('The changed thing before the change, as logged'),
  after: jsonValueSchema.describe('The changed thing after the change (or the request), as logged'),
  details: jsonValueSchema.describe('Anything else the route logged'),
});
/**
 * The snapshots are checked as JSON by the schema but typed `unknown`: the server reads them from a
 * jsonb column its driver types loosely, and a client must inspect them before use anyway.
 */
export type AuditEntry = Omit<z.infer<typeof auditEntrySchema>, 'before' | 'after' | 'details'> & {
  before: unknown;
  after: unknown;
  details: unknown;
};

export const auditPageSchema = z.object({
  entries: z.array(auditEntrySchema),
  nextBefore: z.number().int().nullable().describe('Pass as `before` for the next (older) page; null at the end'),
});
export type AuditPage = Omit<z.infer<typeof auditPageSchema>, 'entries'> & { entries: AuditEntry[] };
