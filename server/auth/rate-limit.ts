/** How many events a key may have within a sliding window, and how many keys are remembered. */
export interface SlidingWindowOptions {
  limit: number;
  windowMs: number;
  /** Most keys kept; beyond it the key least recently hit is forgotten. */
  maxKeys: number;
  /** Milliseconds since the epoch; injectable for tests. */
  now?: () => number;
}

/** What a limiter says about a key now. */
export interface LimitState {
  allowed: boolean;
  /** Events still allowed in the window before the key is blocked. */
  remaining: number;
  /** Whole seconds until the key is allowed again; 0 when it is allowed. */
  retryAfterSeconds: number;
}

/**
 * An exact sliding-window limiter in memory: a key is blocked while it has `limit` events in the
 * last `windowMs` (an event at t counts until t + windowMs, exclusive). It keeps only the newest
 * `limit` event times per key, forgets keys whose events are all older than the window, and keeps
 * at most `maxKeys` keys, so memory stays bounded under a flood of distinct keys. One process
 * only: a restart forgets everything, which is acceptable for login throttling.
 */
export class SlidingWindowLimiter {
  readonly limit: number;
  readonly windowMs: number;
  readonly maxKeys: number;
  private readonly now: () => number;
  /** Event times per key, oldest first; the Map's order is the order of each key's latest event. */
  private readonly events = new Map<string, number[]>();

  constructor(options: SlidingWindowOptions) {
    const { limit, windowMs, maxKeys } = options;
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError('limit must be a positive integer');
    if (!(windowMs > 0)) throw new RangeError('windowMs must be positive');
    if (!Number.isInteger(maxKeys) || maxKeys < 1) throw new RangeError('maxKeys must be a positive integer');
    this.limit = limit;
    this.windowMs = windowMs;
    this.maxKeys = maxKeys;
    this.now = options.now ?? Date.now;
  }

  /** Keys currently remembered (for tests and metrics). */
  get size(): number {
    return this.events.size;
  }

  /** Event times of a key still inside the window at `now`. */
  private live(key: string, now: number): number[] {
    const times = this.events.get(key);
    if (!times) return [];
    const cutoff = now - this.windowMs;
    let first = 0;
    while (first < times.length && times[first]! <= cutoff) first++;
    return first === 0 ? times : times.slice(first);
  }

  /** Whether the key may act now, without recording anything. */
  check(key: string): LimitState {
    const now = this.now();
    const times = this.live(key, now);
    if (times.length < this.limit) {
      return { allowed: true, remaining: this.limit - times.length, retryAfterSeconds: 0 };
    }
    // Blocked until the oldest of the newest `limit` events leaves the window.
    const oldest = times[times.length - this.limit]!;
    const waitMs = oldest + this.windowMs - now;
    return { allowed: false, remaining: 0, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) };
  }

  /** Seconds until the key may act again (0 if it may now): the value for a `Retry-After` header. */
  retryAfterSeconds(key: string): number {
    return this.check(key).retryAfterSeconds;
  }

  /** Record one event (for logins: one failed attempt) and return the state after it. */
  hit(key: string): LimitState {
    const now = this.now();
    // Older events than the newest `limit` can never decide anything: drop them.
    const keep = this.limit - 1;
    const times = keep === 0 ? [] : this.live(key, now).slice(-keep);
    times.push(now);
    // Re-insert so that the Map stays ordered by latest event: the first key is the stalest.
    this.events.delete(key);
    this.events.set(key, times);
    this.sweep(now);
    return this.check(key);
  }

  /** Forget a key (for logins: after a successful one). */
  reset(key: string): void {
    this.events.delete(key);
  }

  /** Drop keys with no event in the window, then the stalest keys beyond the cap. Amortised O(1). */
  private sweep(now: number): void {
    const cutoff = now - this.windowMs;
    for (const [key, times] of this.events) {
      if (times[times.length - 1]! > cutoff) break;
      this.events.delete(key);
    }
    while (this.events.size > this.maxKeys) {
      const stalest = this.events.keys().next().value as string;
      this.events.delete(stalest);
    }
  }
}

/** Login throttling: failures per (IP, username) and per IP, each per minute. */
export const LOGIN_LIMITS = {
  failuresPerUserAndIp: 5,
  failuresPerIp: 20,
  windowMs: 60 * 1000,
  maxKeys: 10_000,
} as const;

/** What the login route needs from its throttle. */
export interface LoginThrottle {
  /** Whether this IP may try this username now; checked before the password is. */
  check(ip: string, username: string): LimitState;
  /** Count a failed attempt against both the (IP, username) pair and the IP. */
  recordFailure(ip: string, username: string): void;
  /** Clear the pair's failures (not the IP's: one good account must not unlock guessing others). */
  recordSuccess(ip: string, username: string): void;
}

/** `ip|username`, the username without case or surrounding space so that variants share a counter. */
export function loginKey(ip: string, username: string): string {
  return `${ip}|${username.trim().toLowerCase()}`;
}

/** The login throttle of LOGIN_LIMITS, with an injectable clock for tests. */
export function createLoginThrottle(now: () => number = Date.now): LoginThrottle {
  const { failuresPerUserAndIp, failuresPerIp, windowMs, maxKeys } = LOGIN_LIMITS;
  const perUser = new SlidingWindowLimiter({ limit: failuresPerUserAndIp, windowMs, maxKeys, now });
  const perIp = new SlidingWindowLimiter({ limit: failuresPerIp, windowMs, maxKeys, now });
  return {
    check(ip, username) {
      const user = perUser.check(loginKey(ip, username));
      const address = perIp.check(ip);
      return {
        allowed: user.allowed && address.allowed,
        remaining: Math.min(user.remaining, address.remaining),
        retryAfterSeconds: Math.max(user.retryAfterSeconds, address.retryAfterSeconds),
      };
    },
    recordFailure(ip, username) {
      perUser.hit(loginKey(ip, username));
      perIp.hit(ip);
    },
    recordSuccess(ip, username) {
      perUser.reset(loginKey(ip, username));
    },
  };
}

/** Password-change throttling: wrong current passwords per account, per minute (like a login's). */
export const PASSWORD_CHANGE_LIMITS = {
  failuresPerUser: 5,
  windowMs: 60 * 1000,
  maxKeys: 10_000,
} as const;

/** What the password-change route needs from its throttle: counted per account, whatever the address. */
export interface PasswordChangeThrottle {
  /** Whether this account may try a current password now; checked before the password is. */
  check(userId: number): LimitState;
  recordFailure(userId: number): void;
  recordSuccess(userId: number): void;
}

/**
 * The throttle of PASSWORD_CHANGE_LIMITS, with an injectable clock for tests. Keyed by account
 * only: whoever holds a session of it (a borrowed or stolen one) gets five guesses a minute, from
 * any number of addresses.
 */
export function createPasswordChangeThrottle(now: () => number = Date.now): PasswordChangeThrottle {
  const { failuresPerUser, windowMs, maxKeys } = PASSWORD_CHANGE_LIMITS;
  const perUser = new SlidingWindowLimiter({ limit: failuresPerUser, windowMs, maxKeys, now });
  return {
    check: (userId) => perUser.check(String(userId)),
    recordFailure: (userId) => void perUser.hit(String(userId)),
    recordSuccess: (userId) => perUser.reset(String(userId)),
  };
}
