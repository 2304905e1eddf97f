import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** A session ends after this long without a request… */
export const SESSION_IDLE_TIMEOUT_MS = 8 * 60 * 60 * 1000;
/** …and in any case this long after login. */
export const SESSION_ABSOLUTE_LIFETIME_MS = 7 * 24 * 60 * 60 * 1000;
/** `lastSeen` is written at most this often, so that reading the map is not a database write per tile. */
export const SESSION_TOUCH_INTERVAL_MS = 60 * 1000;

const SESSION_TOKEN_BYTES = 32;
/** 32 bytes in base64url without padding are 43 characters. */
const SESSION_TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;
const SESSION_TOKEN_HASH_PATTERN = /^[0-9a-f]{64}$/;
/** Domain separation: this key signs CSRF tokens and nothing else, even if it is reused by mistake. */
const CSRF_LABEL = 'shanwang csrf v1\0';
const MIN_CSRF_SECRET_BYTES = 32;

/** A new session token for the cookie: 32 random bytes, base64url. Only its hash is stored. */
export function newSessionToken(): string {
  return randomBytes(SESSION_TOKEN_BYTES).toString('base64url');
}

/** Whether a cookie value can be a session token at all (checked before any database lookup). */
export function isWellFormedSessionToken(token: unknown): token is string {
  return typeof token === 'string' && SESSION_TOKEN_PATTERN.test(token);
}

/**
 * The SHA-256 of a session token, lowercase hex: what the database stores and looks up, so that a
 * leaked sessions table does not give working cookies. A plain hash suffices: the token has 256
 * random bits, nothing to brute-force.
 */
export function hashSessionToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** A new secret for CSRF tokens (32 random bytes); kept by the server, never sent. */
export function newCsrfSecret(): Buffer {
  return randomBytes(MIN_CSRF_SECRET_BYTES);
}

function requireSecret(secret: Buffer): void {
  if (secret.length < MIN_CSRF_SECRET_BYTES) {
    throw new RangeError(`The CSRF secret must have at least ${MIN_CSRF_SECRET_BYTES} bytes.`);
  }
}

function csrfMac(secret: Buffer, sessionTokenHash: string): Buffer {
  return createHmac('sha256', secret).update(CSRF_LABEL).update(sessionTokenHash, 'utf8').digest();
}

/**
 * The CSRF token of a session: HMAC-SHA256(secret, label ‖ sessionTokenHash), base64url. Derived,
 * not stored: the same for the whole session, different for every session, and unforgeable
 * without the secret. The client sends it back in a header on every state-changing request.
 */
export function csrfTokenFor(secret: Buffer, sessionTokenHash: string): string {
  requireSecret(secret);
  if (!SESSION_TOKEN_HASH_PATTERN.test(sessionTokenHash)) {
    throw new RangeError('A CSRF token is derived from a session token hash (64 hex digits).');
  }
  return csrfMac(secret, sessionTokenHash).toString('base64url');
}

/** Whether `presented` is the CSRF token of this session, compared in constant time. Never throws on input. */
export function csrfTokenMatches(secret: Buffer, sessionTokenHash: string, presented: unknown): boolean {
  requireSecret(secret);
  if (typeof presented !== 'string' || !SESSION_TOKEN_HASH_PATTERN.test(sessionTokenHash)) return false;
  const expected = csrfMac(secret, sessionTokenHash);
  // Decoding is lenient (it skips unknown characters), so insist on the canonical spelling too.
  const given = Buffer.from(presented, 'base64url');
  if (given.length !== expected.length || given.toString('base64url') !== presented) return false;
  return timingSafeEqual(given, expected);
}

/** Whether a session may still be used at `now`; if so, until when (the earlier of its two limits). */
export type SessionExpiry = { expired: false; expiresAt: Date } | { expired: true; reason: 'idle' | 'absolute' };

/**
 * Apply the idle timeout (from the last request) and the absolute lifetime (from login). A session
 * is expired at the very millisecond a limit is reached. When both are reached, 'absolute' is reported.
 */
export function sessionExpiry(now: Date, lastSeen: Date, createdAt: Date): SessionExpiry {
  const idleEnd = lastSeen.getTime() + SESSION_IDLE_TIMEOUT_MS;
  const absoluteEnd = createdAt.getTime() + SESSION_ABSOLUTE_LIFETIME_MS;
  const t = now.getTime();
  if (Number.isNaN(t) || Number.isNaN(idleEnd) || Number.isNaN(absoluteEnd))
    return { expired: true, reason: 'absolute' };
  if (t >= absoluteEnd) return { expired: true, reason: 'absolute' };
  if (t >= idleEnd) return { expired: true, reason: 'idle' };
  return { expired: false, expiresAt: new Date(Math.min(idleEnd, absoluteEnd)) };
}

/**
 * Whether a request at `now` should write the session's new `lastSeen` (at most once a minute). The
 * idle timeout may therefore end a session up to one interval early, which is harmless.
 */
export function shouldTouchSession(now: Date, lastSeen: Date): boolean {
  return now.getTime() - lastSeen.getTime() >= SESSION_TOUCH_INTERVAL_MS;
}
