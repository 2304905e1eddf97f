import { z } from 'zod';
import type { Response } from 'express';
import type { AppContext } from '../context.js';
import { AppError } from '../http/errors.js';
import { idText, wholeNumberText } from '../http/params.js';
import { defineRoute, type AnyRoute, type Role } from '../http/route.js';
import {
  auditPageSchema,
  changePasswordRequestSchema,
  createUserRequestSchema,
  loginRequestSchema,
  SESSION_COOKIE,
  sessionInfoSchema,
  updateUserRequestSchema,
  userAccountSchema,
  userListSchema,
} from '../../contracts/auth.js';
import { readAudit, writeAudit } from './audit.js';
import { hashPassword, needsRehash, verifyPassword, verifyPasswordOfNobody } from './password.js';
import {
  createLoginThrottle,
  createPasswordChangeThrottle,
  type LimitState,
  type LoginThrottle,
  type PasswordChangeThrottle,
} from './rate-limit.js';
import { ROLES } from './roles.js';
import { readCookie } from './session.js';
import {
  createSession,
  createUser,
  findUser,
  findUserByUsername,
  listUsers,
  requireAcceptablePassword,
  setPasswordHash,
  updateUser,
  userAccount,
} from './store.js';
import { hashSessionToken, isWellFormedSessionToken } from './tokens.js';

const EVERYONE: Role[] = [...ROLES];
const ADMINS: Role[] = ['admin'];

/** 429 with Retry-After for a throttled login or password change. */
function tooManyAttempts(res: Response, limit: LimitState): AppError {
  res.setHeader('Retry-After', String(limit.retryAfterSeconds));
  return new AppError(
    429,
    'rate_limited',
    `尝试过多，请 ${limit.retryAfterSeconds} 秒后再试（too many attempts: try again in ${limit.retryAfterSeconds} s）。`,
    { retryAfterSeconds: limit.retryAfterSeconds },
  );
}

/** Login, logout, the current session, and the admins' accounts and audit log. */
export function authRoutes(
  ctx: Pick<AppContext, 'database' | 'sessions'>,
  throttles: { login?: LoginThrottle; passwordChange?: PasswordChangeThrottle } = {},
): AnyRoute[] {
  const throttle = throttles.login ?? createLoginThrottle();
  const passwordThrottle = throttles.passwordChange ?? createPasswordChangeThrottle();
  const { db } = ctx.database;
  const { sessions } = ctx;
  const nobody = (username: string) => ({ id: null, username: username.slice(0, 40) || '(empty)', role: null });
  return [
    defineRoute({
      method: 'post',
      path: '/api/auth/login',
      summary: 'Log in with a username and password (sets the session and CSRF cookies)',
      tags: ['auth'],
      access: 'public',
      bodyLimitBytes: 16 * 1024,
      body: loginRequestSchema,
      response: { description: 'The new session.', schema: sessionInfoSchema },
      handler: async ({ body, req, res, audit }) => {
        const ip = req.ip ?? 'unknown';
        const username = body.username.trim().toLowerCase();
        // For the log of a refusal (429): which account was being tried.
        audit({ target: `username ${username.slice(0, 40)}` });
        const limit = throttle.check(ip, username);
        if (!limit.allowed) throw tooManyAttempts(res, limit);
        const user = await findUserByUsername(db, username);
        const ok = user
          ? await verifyPassword(body.password, user.password_hash)
          : await verifyPasswordOfNobody(body.password);
        if (!user || !ok || user.disabled) {
          throttle.recordFailure(ip, username);
          await writeAudit(db, nobody(username), { action: 'auth.login_failed', status: 401, ip });
          throw new AppError(401, 'unauthenticated', '用户名或密码不正确（wrong username or password）。');
        }
        throttle.recordSuccess(ip, username);
        if (needsRehash(user.password_hash)) await setPasswordHash(db, user.id, await hashPassword(body.password));
        const { token, session } = await createSession(db, user, { ip, userAgent: req.get('user-agent') ?? null });
        await sessions.setCookies(req, res, token, session.tokenHash);
        await writeAudit(
          db,
          { id: user.id, username: user.username, role: user.role },
          {
            action: 'auth.login',
            status: 200,
            ip,
          },
        );
        return sessions.info(session);
      },
    }),
    defineRoute({
      method: 'post',
      path: '/api/auth/logout',
      summary: 'Log out: end this session and clear its cookies',
      tags: ['auth'],
      access: 'public',
      response: { status: 204, description: 'Logged out (also when there was no session).', contentType: 'none' },
      handler: async ({ req, res }) => {
        const token = readCookie(req, SESSION_COOKIE);
        const user = await sessions.userOf(req);
        if (user) {
          // Logging someone out is a change too: a page of another site must not do it.
          if (!(await sessions.csrfValid(req, user))) {
            throw new AppError(403, 'csrf_failed', '请求缺少有效的 CSRF 令牌（missing or wrong CSRF token）。');
          }
          await sessions.end(user.sessionTokenHash);
          await writeAudit(db, user, { action: 'auth.logout', status: 204, ip: req.ip ?? null });
        } else if (isWellFormedSessionToken(token)) {
          await sessions.end(hashSessionToken(token));
        }
        sessions.clearCookies(res);
        res.status(204).end();
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/auth/me',
      summary: 'The logged-in user and the CSRF token of this session',
      tags: ['auth'],
      access: EVERYONE,
      response: { description: 'The session.', schema: sessionInfoSchema },
      handler: async ({ req }) => {
        const session = await sessions.sessionOf(req);
        if (!session) throw new AppError(401, 'unauthenticated', '请先登录（log in first）。');
        return sessions.info(session);
      },
    }),
    defineRoute({
      method: 'post',
      path: '/api/auth/password',
      summary: 'Change my password (ends my other sessions)',
      tags: ['auth'],
      access: EVERYONE,
      bodyLimitBytes: 16 * 1024,
      body: changePasswordRequestSchema,
      response: { status: 204, description: 'Changed.', contentType: 'none' },
      handler: async ({ body, user, req, res, audit }) => {
        audit({ target: `user ${user!.id}` });
        const limit = passwordThrottle.check(user!.id);
        if (!limit.allowed) throw tooManyAttempts(res, limit);
        const row = await findUser(db, user!.id);
        if (!row || !(await verifyPassword(body.currentPassword, row.password_hash))) {
          passwordThrottle.recordFailure(user!.id);
          await writeAudit(db, user!, {
            action: 'auth.password_change_failed',
            target: `user ${user!.id}`,
            status: 400,
            ip: req.ip ?? null,
          });
          throw AppError.badRequest('当前密码不正确（the current password is wrong）。');
        }
        passwordThrottle.recordSuccess(user!.id);
        requireAcceptablePassword(body.newPassword, row.username);
        await updateUser(db, row.id, { password: body.newPassword });
        sessions.forgetUser(row.id);
        // The change ended every session of the user; this one goes on with a new token.
        const { token, session } = await createSession(db, row, {
          ip: req.ip ?? null,
          userAgent: req.get('user-agent') ?? null,
        });
        await sessions.setCookies(req, res, token, session.tokenHash);
        audit({ target: `user ${row.id}`, after: { password: 'changed' } });
        res.status(204).end();
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/auth/users',
      summary: 'Every account',
      tags: ['auth'],
      access: ADMINS,
      response: { description: 'The accounts.', schema: userListSchema },
      handler: async () => ({ users: (await listUsers(db)).map(userAccount) }),
    }),
    defineRoute({
      method: 'post',
      path: '/api/auth/users',
      summary: 'Create an account',
      tags: ['auth'],
      access: ADMINS,
      bodyLimitBytes: 64 * 1024,
      body: createUserRequestSchema,
      response: { status: 201, description: 'The new account.', schema: userAccountSchema },
      handler: async ({ body, audit }) => {
        const created = userAccount(await createUser(db, body));
        audit({ target: `user ${created.id}`, after: created });
        return created;
      },
    }),
    defineRoute({
      method: 'patch',
      path: '/api/auth/users/:userId',
      summary: 'Change an account: name, role, townships, disabled, or a new password',
      tags: ['auth'],
      access: ADMINS,
      bodyLimitBytes: 64 * 1024,
      params: z.object({ userId: idText() }),
      body: updateUserRequestSchema,
      response: { description: 'The account.', schema: userAccountSchema },
      handler: async ({ params, body, audit }) => {
        const before = await findUser(db, params.userId);
        if (!before) throw AppError.notFound(`No user ${params.userId}.`);
        const after = userAccount(await updateUser(db, params.userId, body));
        sessions.forgetUser(params.userId);
        audit({
          target: `user ${params.userId}`,
          before: userAccount(before),
          after: body.password !== undefined ? { ...after, password: 'changed' } : after,
        });
        return after;
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/audit',
      summary: 'The audit log, newest first: who changed what, when, before and after',
      tags: ['auth'],
      access: ADMINS,
      query: z.object({
        limit: wholeNumberText(1, 500).default(100),
        before: idText().optional(),
        username: z.string().max(100).optional(),
        action: z.string().max(200).optional(),
      }),
      response: {
        description: 'A page of entries.',
        schema: auditPageSchema,
      },
      handler: ({ query }) => readAudit(db, query),
    }),
  ];
}
