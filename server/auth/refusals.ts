import type { RequestUser } from '../http/route.js';
import type { RouteRefusal } from '../http/router.js';
import type { AuditActor, AuditRecord } from './audit.js';

/**
 * How many refusals get a row of their own. Within a window each logged-in user's refusals get
 * up to `rowsPerUser` rows, and anonymous ones (no session) `anonymousRows` rows together; 401s
 * without a session never get one (every logged-out page load asks `GET /api/auth/me`). The rest
 * are counted, and each window ends with one summary row per actor and status.
 */
export const REFUSAL_LIMITS = {
  windowMs: 60 * 1000,
  rowsPerUser: 20,
  anonymousRows: 5,
  /** Addresses a summary counts one by one; the requests of any others are counted together. */
  maxAddresses: 20,
  /** Actors (accounts, plus one for everyone anonymous) counted at once; beyond it a window ends early. */
  maxActors: 10_000,
} as const;

/** Who refusals without a session are logged as. */
export const ANONYMOUS: AuditActor = { id: null, username: '(anonymous)', role: null };

/** The action of a summary row. */
export const REFUSAL_SUMMARY_ACTION = 'refusals.summary';

interface Tally {
  count: number;
  from: number;
  to: number;
  /** `route code` → count. */
  routes: Map<string, number>;
  addresses: Map<string, number>;
  otherAddresses: number;
}

interface ActorWindow {
  actor: AuditActor;
  start: number;
  rows: number;
  /** Refusals counted instead of written, per status. */
  tallies: Map<number, Tally>;
}

export interface RefusalLogOptions {
  /** Writes one audit row (the audit log's `writeAudit`, bound to a database). */
  write(actor: AuditActor, record: AuditRecord): Promise<void>;
  /** Told when a summary written in the background fails (a refusal itself is never turned into an error). */
  onError?(err: unknown): void;
  limits?: Partial<typeof REFUSAL_LIMITS>;
  /** Milliseconds since the epoch; injectable for tests. */
  now?: () => number;
}

/**
 * The audit log's record of refused requests (401, 403, 409, 429), bounded: a flood of refusals,
 * anonymous or not, writes at most a few rows per actor and minute (REFUSAL_LIMITS) and keeps
 * bounded memory; what is not written row by row is summarised, with counts per route and code and
 * per address. One process: counts not yet summarised are lost when it stops.
 */
export class RefusalLog {
  private readonly limits: typeof REFUSAL_LIMITS;
  private readonly now: () => number;
  private readonly windows = new Map<string, ActorWindow>();
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly options: RefusalLogOptions) {
    this.limits = { ...REFUSAL_LIMITS, ...options.limits };
    this.now = options.now ?? Date.now;
  }

  /** Log one refusal: a row of its own while the actor's window has room, else a count for the summary. */
  async record(user: RequestUser | null, refusal: RouteRefusal): Promise<void> {
    const now = this.now();
    await this.flush(now);
    const actor: AuditActor = user ? { id: user.id, username: user.username, role: user.role } : ANONYMOUS;
    const key = user ? `user ${user.id}` : 'anonymous';
    let window = this.windows.get(key);
    if (!window) {
      if (this.windows.size >= this.limits.maxActors) await this.flush(Infinity);
      window = { actor, start: now, rows: 0, tallies: new Map() };
      this.windows.set(key, window);
    }
    const budget = user ? this.limits.rowsPerUser : refusal.status === 401 ? 0 : this.limits.anonymousRows;
    if (window.rows < budget) {
      window.rows++;
      await this.options.write(actor, {
        action: refusal.action,
        target: refusal.target,
        status: refusal.status,
        ip: refusal.ip,
        details: {
          code: refusal.code,
          message: refusal.message,
          ...(refusal.request === undefined ? {} : { request: refusal.request }),
          ...(refusal.query === undefined ? {} : { query: refusal.query }),
        },
      });
      return;
    }
    this.count(window, refusal, now);
    this.schedule();
  }

  private count(window: ActorWindow, refusal: RouteRefusal, now: number): void {
    let tally = window.tallies.get(refusal.status);
    if (!tally) {
      tally = { count: 0, from: now, to: now, routes: new Map(), addresses: new Map(), otherAddresses: 0 };
      window.tallies.set(refusal.status, tally);
    }
    tally.count++;
    tally.to = now;
    const route = `${refusal.action} ${refusal.code}`;
    tally.routes.set(route, (tally.routes.get(route) ?? 0) + 1);
    const ip = refusal.ip ?? 'unknown';
    if (tally.addresses.has(ip) || tally.addresses.size < this.limits.maxAddresses) {
      tally.addresses.set(ip, (tally.addresses.get(ip) ?? 0) + 1);
    } else tally.otherAddresses++;
  }

  /** Write the summaries of every window that ended by `now` (all of them: `flush(Infinity)`). */
  async flush(now: number = this.now()): Promise<void> {
    const ended: ActorWindow[] = [];
    for (const [key, window] of this.windows) {
      if (window.start + this.limits.windowMs > now) continue;
      this.windows.delete(key);
      ended.push(window);
    }
    for (const window of ended) {
      for (const [status, tally] of window.tallies) {
        await this.options.write(window.actor, {
          action: REFUSAL_SUMMARY_ACTION,
          target: null,
          status,
          ip: tally.addresses.size === 1 && tally.otherAddresses === 0 ? [...tally.addresses.keys()][0]! : null,
          details: {
            count: tally.count,
            from: new Date(tally.from).toISOString(),
            to: new Date(tally.to).toISOString(),
            routes: Object.fromEntries(tally.routes),
            addresses: Object.fromEntries(tally.addresses),
            ...(tally.otherAddresses > 0 ? { otherAddresses: tally.otherAddresses } : {}),
          },
        });
      }
    }
  }

  /** Summaries are due when their window ends, refused again or not: a timer that does not keep the process alive. */
  private schedule(): void {
    if (this.timer) return;
    let due = Infinity;
    for (const window of this.windows.values()) {
      if (window.tallies.size > 0) due = Math.min(due, window.start + this.limits.windowMs);
    }
    if (due === Infinity) return;
    this.timer = setTimeout(
      () => {
        this.timer = null;
        this.flush()
          .catch((err: unknown) => this.options.onError?.(err))
          .finally(() => this.schedule());
      },
      Math.max(0, due - this.now()),
    );
    this.timer.unref();
  }
}
