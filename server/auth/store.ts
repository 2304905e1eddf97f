import { sql, type Kysely, type Selectable } from 'kysely';
import type { DB, UsersTable } from '../db/schema.js';
import { AppError } from '../http/errors.js';
import type { Role } from '../http/route.js';
import type { SessionUser, UserAccount } from './api-types.js';
import { hashPassword, passwordProblems } from './password.js';
import { isRole } from './roles.js';
import {
  hashSessionToken,
  newCsrfSecret,
  newSessionToken,
  SESSION_ABSOLUTE_LIFETIME_MS,
  SESSION_IDLE_TIMEOUT_MS,
  sessionExpiry,
  shouldTouchSession,
} from './tokens.js';

type Db = Kysely<DB>;
export type UserRow = Selectable<UsersTable>;

/** Usernames: lowercase letters, digits and `_ . -`, 2–40 characters, starting with a letter or digit. */
export const USERNAME_PATTERN = /^[a-z0-9][a-z0-9_.-]{1,39}$/;

/** The user as sessions and the client see it. */
export function sessionUser(row: UserRow): SessionUser {
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name || row.username,
    role: row.role,
    townships: row.townships,
  };
}

/** The user as an admin sees it. */
export function userAccount(row: UserRow): UserAccount {
  return {
    ...sessionUser(row),
    disabled: row.disabled,
    createdAt: row.created_at.toISOString(),
    lastLoginAt: row.last_login_at?.toISOString() ?? null,
  };
}

/** Throw a 400 naming every problem of a new password. */
export function requireAcceptablePassword(password: string, username: string): void {
  const problems = passwordProblems(password, username);
  if (problems.length > 0) {
    throw AppError.badRequest(`密码不符合要求（the password is not acceptable）：${problems.join(' ')}`, { problems });
  }
}

/** Township codes must exist; an empty list is refused (null means every township). */
async function checkTownships(db: Db, role: Role, townships: string[] | null | undefined): Promise<string[] | null> {
  if (townships === null || townships === undefined) return null;
  if (role !== 'planner') throw AppError.badRequest('Only planners are limited to townships.');
  const unique = [...new Set(townships)].sort();
  if (unique.length === 0) throw AppError.badRequest('Give at least one township, or none to allow every township.');
  const known = await db.selectFrom('townships').select('code').where('code', 'in', unique).execute();
  const missing = unique.filter((code) => !known.some((k) => k.code === code));
  if (missing.length > 0) throw AppError.badRequest(`Unknown townships: ${missing.join(', ')}.`, { missing });
  return unique;
}

export interface NewUser {
  username: string;
  displayName?: string;
  role: Role;
  townships?: string[] | null;
  password: string;
}

export async function findUserByUsername(db: Db, username: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
}

export async function findUser(db: Db, id: number): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listUsers(db: Db): Promise<UserRow[]> {
  return db.selectFrom('users').selectAll().orderBy('username').execute();
}

/** Create an account (400 for a bad username, role, township or password; 409 if the name is taken). */
export async function createUser(db: Db, user: NewUser): Promise<UserRow> {
  const username = user.username.trim().toLowerCase();
  if (!USERNAME_PATTERN.test(username)) {
    throw AppError.badRequest(
      '用户名为 2–40 个小写字母、数字或 _ . -（usernames are 2–40 lowercase letters, digits or _ . -）。',
    );
  }
  if (!isRole(user.role)) throw AppError.badRequest(`Unknown role: ${String(user.role)}.`);
  requireAcceptablePassword(user.password, username);
  const townships = await checkTownships(db, user.role, user.townships);
  if (await findUserByUsername(db, username)) {
    throw AppError.conflict(`用户名 ${username} 已存在（the username is taken）。`);
  }
  return db
    .insertInto('users')
    .values({
      username,
      display_name: user.displayName?.trim() ?? '',
      role: user.role,
      townships,
      password_hash: await hashPassword(user.password),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export interface UserChanges {
  displayName?: string;
  role?: Role;
  townships?: string[] | null;
  disabled?: boolean;
  password?: string;
}

/**
 * Change an account. A new password, a new role or disabling ends the user's sessions (they log in
 * again with what they may now do). The last enabled admin cannot lose the role or be disabled.
 */
export async function updateUser(db: Db, id: number, changes: UserChanges): Promise<UserRow> {
  const current = await findUser(db, id);
  if (!current) throw AppError.notFound(`No user ${id}.`);
  const role = changes.role ?? current.role;
  const losesAdmin = current.role === 'admin' && (role !== 'admin' || changes.disabled === true);
  if (losesAdmin && !current.disabled) {
    const admins = await db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('role', '=', 'admin')
      .where('disabled', '=', false)
      .executeTakeFirstOrThrow();
    if (Number(admins.n) <= 1) throw AppError.conflict('至少保留一个可用的管理员（keep at least one enabled admin）。');
  }
  const townships =
    changes.townships !== undefined
      ? await checkTownships(db, role, changes.townships)
      : role === 'planner'
        ? current.townships
        : null;
  if (changes.password !== undefined) requireAcceptablePassword(changes.password, current.username);
  const updated = await db
    .updateTable('users')
    .set({
      display_name: changes.displayName?.trim() ?? current.display_name,
      role,
      townships,
      disabled: changes.disabled ?? current.disabled,
      ...(changes.password !== undefined ? { password_hash: await hashPassword(changes.password) } : {}),
      updated_at: sql<Date>`now()`,
    })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
  if (changes.password !== undefined || role !== current.role || changes.disabled === true) {
    await db.deleteFrom('sessions').where('user_id', '=', id).execute();
  }
  return updated;
}

/** Store the new hash of a password (after a login that found the old one weaker). */
export async function setPasswordHash(db: Db, id: number, passwordHash: string): Promise<void> {
  await db.updateTable('users').set({ password_hash: passwordHash }).where('id', '=', id).execute();
}

export interface ActiveSession {
  tokenHash: string;
  user: UserRow;
  expiresAt: Date;
}

/** Start a session for a user: the token for the cookie (only its hash is stored) and the session. */
export async function createSession(
  db: Db,
  user: UserRow,
  client: { ip: string | null; userAgent: string | null },
): Promise<{ token: string; session: ActiveSession }> {
  const token = newSessionToken();
  const tokenHash = hashSessionToken(token);
  const now = new Date();
  // Every login sweeps the sessions that have ended (idle or too old) but were never used again.
  await db
    .deleteFrom('sessions')
    .where((eb) =>
      eb.or([
        eb('last_seen', '<', new Date(now.getTime() - SESSION_IDLE_TIMEOUT_MS)),
        eb('created_at', '<', new Date(now.getTime() - SESSION_ABSOLUTE_LIFETIME_MS)),
      ]),
    )
    .execute();
  await db
    .insertInto('sessions')
    .values({
      token_hash: tokenHash,
      user_id: user.id,
      created_at: now,
      last_seen: now,
      ip: client.ip,
      user_agent: client.userAgent?.slice(0, 300) ?? null,
    })
    .execute();
  await db.updateTable('users').set({ last_login_at: now }).where('id', '=', user.id).execute();
  const expiry = sessionExpiry(now, now, now);
  if (expiry.expired) throw new Error('a new session cannot have expired');
  return { token, session: { tokenHash, user, expiresAt: expiry.expiresAt } };
}

/**
 * The session of a token, if it is live and its user enabled; an expired session is deleted.
 * Refreshes `last_seen` at most once a minute.
 */
export async function findSession(db: Db, tokenHash: string, now = new Date()): Promise<ActiveSession | null> {
  const row = await db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .selectAll('users')
    .select(['sessions.created_at as session_created_at', 'sessions.last_seen as session_last_seen'])
    .where('sessions.token_hash', '=', tokenHash)
    .executeTakeFirst();
  if (!row) return null;
  const { session_created_at: createdAt, session_last_seen: lastSeen, ...user } = row;
  const expiry = sessionExpiry(now, lastSeen, createdAt);
  if (expiry.expired || user.disabled) {
    await db.deleteFrom('sessions').where('token_hash', '=', tokenHash).execute();
    return null;
  }
  let expiresAt = expiry.expiresAt;
  if (shouldTouchSession(now, lastSeen)) {
    await db.updateTable('sessions').set({ last_seen: now }).where('token_hash', '=', tokenHash).execute();
    const touched = sessionExpiry(now, now, createdAt);
    if (!touched.expired) expiresAt = touched.expiresAt;
  }
  return { tokenHash, user, expiresAt };
}

export async function deleteSession(db: Db, tokenHash: string): Promise<void> {
  await db.deleteFrom('sessions').where('token_hash', '=', tokenHash).execute();
}

/** The server's CSRF key, created on first use and kept in the database so tokens survive restarts. */
export async function csrfSecret(db: Db): Promise<Buffer> {
  const name = 'csrf';
  await db
    .insertInto('app_secrets')
    .values({ name, value: newCsrfSecret() })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
  const row = await db.selectFrom('app_secrets').select('value').where('name', '=', name).executeTakeFirstOrThrow();
  return Buffer.from(row.value);
}

/** How many accounts exist (the demo creates its accounts only into an empty table). */
export async function countUsers(db: Db): Promise<number> {
  const row = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
