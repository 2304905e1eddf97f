import type { Request, Response } from 'express';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import type { RequestUser } from '../http/route.js';
import { CSRF_COOKIE, CSRF_HEADER, SESSION_COOKIE, type SessionInfo } from './api-types.js';
import { csrfSecret, deleteSession, findSession, sessionUser, type ActiveSession } from './store.js';
import { csrfTokenFor, csrfTokenMatches, hashSessionToken, isWellFormedSessionToken } from './tokens.js';

/**
 * How long a looked-up session is trusted without asking the database again. Keeps reading the map
 * (dozens of tiles a second) from being a query per tile, and lets requests through while the
 * embedded database is busy with a long write. Logout and account changes in this process clear
 * it at once; a change made by another process (the CLI) takes effect within this time.
 */
export const SESSION_CACHE_MS = 30 * 1000;
/**
 * A session in use is looked up again in the background once its cached answer is this old, so an
 * active user never waits for the database behind someone's long edit; the cached answer still
 * ends at SESSION_CACHE_MS.
 */
export const SESSION_REFRESH_AHEAD_MS = 20 * 1000;

/** The value of one cookie of a request (no cookie-parser: we read two cookies). */
export function readCookie(req: Request, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) {
      const value = part.slice(eq + 1).trim();
      try {
        return decodeURIComponent(value);
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

/** Sessions of the running server: cookies in, the user out; CSRF tokens; a short cache. */
export class Sessions {
  private secret: Promise<Buffer> | null = null;
  private readonly cache = new Map<string, { session: ActiveSession; checkedAt: number; refreshing: boolean }>();
  /** Bumped by every logout and account change: a lookup begun before one does not fill the cache. */
  private generation = 0;

  constructor(private readonly db: Kysely<DB>) {}

  private csrfKey(): Promise<Buffer> {
    this.secret ??= csrfSecret(this.db).catch((err: unknown) => {
      this.secret = null;
      throw err;
    });
    return this.secret;
  }

  /** The live session of a request's cookie, or null. */
  async sessionOf(req: Request): Promise<ActiveSession | null> {
    const token = readCookie(req, SESSION_COOKIE);
    if (!isWellFormedSessionToken(token)) return null;
    const tokenHash = hashSessionToken(token);
    const now = Date.now();
    const cached = this.cache.get(tokenHash);
    if (cached && now - cached.checkedAt < SESSION_CACHE_MS) {
      if (now - cached.checkedAt >= SESSION_REFRESH_AHEAD_MS && !cached.refreshing) {
        cached.refreshing = true;
        this.lookUp(tokenHash, now).catch(() => {
          cached.refreshing = false;
        });
      }
      return cached.session;
    }
    return this.lookUp(tokenHash, now);
  }

  /** Asks the database about a session and caches the answer (unless a logout or account change came meanwhile). */
  private async lookUp(tokenHash: string, now: number): Promise<ActiveSession | null> {
    const generation = this.generation;
    const session = await findSession(this.db, tokenHash, new Date(now));
    if (generation !== this.generation) return session;
    if (session) {
      if (this.cache.size > 10_000) this.cache.clear();
      this.cache.set(tokenHash, { session, checkedAt: now, refreshing: false });
    } else this.cache.delete(tokenHash);
    return session;
  }

  /** The logged-in user of a request, or null. */
  async userOf(req: Request): Promise<RequestUser | null> {
    const session = await this.sessionOf(req);
    return session ? { ...sessionUser(session.user), sessionTokenHash: session.tokenHash } : null;
  }

  /** Whether a state-changing request carries its session's CSRF token in the header. */
  async csrfValid(req: Request, user: RequestUser): Promise<boolean> {
    return csrfTokenMatches(await this.csrfKey(), user.sessionTokenHash, req.get(CSRF_HEADER));
  }

  /** What login and `me` answer for a session. */
  async info(session: ActiveSession): Promise<SessionInfo> {
    return {
      user: sessionUser(session.user),
      csrfToken: csrfTokenFor(await this.csrfKey(), session.tokenHash),
      expiresAt: session.expiresAt.toISOString(),
    };
  }

  /** Set the session and CSRF cookies of a new session. */
  async setCookies(req: Request, res: Response, token: string, tokenHash: string): Promise<void> {
    const base = { sameSite: 'strict' as const, path: '/', secure: req.secure };
    res.cookie(SESSION_COOKIE, token, { ...base, httpOnly: true });
    res.cookie(CSRF_COOKIE, csrfTokenFor(await this.csrfKey(), tokenHash), { ...base, httpOnly: false });
  }

  clearCookies(res: Response): void {
    res.clearCookie(SESSION_COOKIE, { path: '/' });
    res.clearCookie(CSRF_COOKIE, { path: '/' });
  }

  /** End one session (logout). */
  async end(tokenHash: string): Promise<void> {
    // Deleted first: a lookup begun from here on finds nothing, one begun before is discarded.
    await deleteSession(this.db, tokenHash);
    this.generation++;
    this.cache.delete(tokenHash);
  }

  /** Forget cached sessions of a user whose account changed (the database decides again). */
  forgetUser(userId: number): void {
    this.generation++;
    for (const [hash, entry] of this.cache) if (entry.session.user.id === userId) this.cache.delete(hash);
  }
}
