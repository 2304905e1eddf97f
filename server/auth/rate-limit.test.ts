import { describe, expect, it } from 'vitest';
import {
  createLoginThrottle,
  createPasswordChangeThrottle,
  LOGIN_LIMITS,
  loginKey,
  PASSWORD_CHANGE_LIMITS,
  SlidingWindowLimiter,
} from './rate-limit.js';

/** A clock the test moves by hand. */
function manualClock(start = 1_000_000) {
  const clock = { t: start, now: () => clock.t };
  return clock;
}

function limiter(limit: number, clock: { now: () => number }, maxKeys = 100) {
  return new SlidingWindowLimiter({ limit, windowMs: 60_000, maxKeys, now: clock.now });
}

/** The stored event times of a key (private state, read to prove memory stays bounded). */
function storedTimes(l: SlidingWindowLimiter, key: string): number[] | undefined {
  return (l as unknown as { events: Map<string, number[]> }).events.get(key);
}

describe('SlidingWindowLimiter', () => {
  it('allows `limit` events in the window and blocks the next', () => {
    const clock = manualClock();
    const l = limiter(5, clock);
    expect(l.check('k')).toEqual({ allowed: true, remaining: 5, retryAfterSeconds: 0 });
    const states = [0, 10, 20, 30, 40].map((seconds) => {
      clock.t = 1_000_000 + seconds * 1000;
      return l.hit('k');
    });
    expect(states.map((s) => s.remaining)).toEqual([4, 3, 2, 1, 0]);
    expect(states.map((s) => s.allowed)).toEqual([true, true, true, true, false]);
    // Blocked until the first event (t=0) leaves the window at t=60 s: 20 s from t=40 s.
    expect(l.check('k')).toEqual({ allowed: false, remaining: 0, retryAfterSeconds: 20 });
  });

  it('lets an event count until exactly windowMs later, not including that millisecond', () => {
    const clock = manualClock(0);
    const l = limiter(2, clock);
    l.hit('k');
    clock.t = 1;
    l.hit('k');
    clock.t = 59_999;
    expect(l.check('k')).toEqual({ allowed: false, remaining: 0, retryAfterSeconds: 1 });
    clock.t = 60_000;
    expect(l.check('k')).toEqual({ allowed: true, remaining: 1, retryAfterSeconds: 0 });
    clock.t = 60_001;
    expect(l.check('k')).toEqual({ allowed: true, remaining: 2, retryAfterSeconds: 0 });
  });

  it('rounds Retry-After up to whole seconds, never 0 while blocked', () => {
    const clock = manualClock(0);
    const l = limiter(1, clock);
    expect(l.hit('k')).toEqual({ allowed: false, remaining: 0, retryAfterSeconds: 60 });
    clock.t = 500;
    expect(l.retryAfterSeconds('k')).toBe(60); // 59.5 s
    clock.t = 600;
    expect(l.retryAfterSeconds('k')).toBe(60); // 59.4 s
    clock.t = 1000;
    expect(l.retryAfterSeconds('k')).toBe(59);
    clock.t = 59_001;
    expect(l.retryAfterSeconds('k')).toBe(1); // 0.999 s
    clock.t = 59_999;
    expect(l.retryAfterSeconds('k')).toBe(1);
    clock.t = 60_000;
    expect(l.retryAfterSeconds('k')).toBe(0);
    expect(l.retryAfterSeconds('never-seen')).toBe(0);
  });

  it('slides: events recorded while blocked push the end of the block out', () => {
    const clock = manualClock(0);
    const l = limiter(3, clock);
    for (const t of [0, 1000, 2000]) {
      clock.t = t;
      l.hit('k');
    }
    clock.t = 30_000;
    l.hit('k');
    // The newest three are at 1 s, 2 s and 30 s: blocked until 61 s.
    expect(l.check('k').retryAfterSeconds).toBe(31);
    clock.t = 60_999;
    expect(l.check('k').allowed).toBe(false);
    clock.t = 61_000;
    expect(l.check('k')).toEqual({ allowed: true, remaining: 1, retryAfterSeconds: 0 });
  });

  it('keeps only the newest `limit` times per key', () => {
    const clock = manualClock(0);
    const l = limiter(5, clock);
    for (let i = 0; i < 1000; i++) {
      clock.t = i;
      l.hit('k');
    }
    expect(storedTimes(l, 'k')).toEqual([995, 996, 997, 998, 999]);
    const one = limiter(1, clock);
    one.hit('k');
    clock.t += 10;
    one.hit('k');
    expect(storedTimes(one, 'k')).toEqual([clock.t]);
  });

  it('keeps keys apart and forgets one on reset', () => {
    const clock = manualClock();
    const l = limiter(1, clock);
    l.hit('a');
    expect(l.check('a').allowed).toBe(false);
    expect(l.check('b').allowed).toBe(true);
    l.reset('a');
    expect(l.check('a')).toEqual({ allowed: true, remaining: 1, retryAfterSeconds: 0 });
  });

  it('forgets keys whose events have all left the window', () => {
    const clock = manualClock(0);
    const l = limiter(5, clock);
    l.hit('a');
    clock.t = 30_000;
    l.hit('b');
    clock.t = 60_000; // a's only event leaves the window now
    l.hit('c');
    expect(l.size).toBe(2);
    expect(storedTimes(l, 'a')).toBeUndefined();
    clock.t = 200_000;
    l.hit('d');
    expect(l.size).toBe(1);
  });

  it('evicts the least recently hit key beyond maxKeys', () => {
    const clock = manualClock(0);
    const l = limiter(1, clock, 3);
    for (const key of ['a', 'b', 'c']) {
      clock.t += 1;
      l.hit(key);
    }
    clock.t += 1;
    l.hit('a'); // a is now the most recent
    clock.t += 1;
    l.hit('d'); // b, the stalest, goes
    expect(l.size).toBe(3);
    expect(l.check('b').allowed).toBe(true);
    expect(['a', 'c', 'd'].map((key) => l.check(key).allowed)).toEqual([false, false, false]);
    for (let i = 0; i < 10_000; i++) l.hit(`flood-${i}`);
    expect(l.size).toBe(3);
  });

  it('refuses nonsense options', () => {
    expect(() => new SlidingWindowLimiter({ limit: 0, windowMs: 1000, maxKeys: 10 })).toThrow(RangeError);
    expect(() => new SlidingWindowLimiter({ limit: 1.5, windowMs: 1000, maxKeys: 10 })).toThrow(RangeError);
    expect(() => new SlidingWindowLimiter({ limit: 1, windowMs: 0, maxKeys: 10 })).toThrow(RangeError);
    expect(() => new SlidingWindowLimiter({ limit: 1, windowMs: NaN, maxKeys: 10 })).toThrow(RangeError);
    expect(() => new SlidingWindowLimiter({ limit: 1, windowMs: 1000, maxKeys: 0 })).toThrow(RangeError);
  });
});

describe('the login throttle', () => {
  it('uses 5 failures per (IP, username) and 20 per IP, per minute', () => {
    expect(LOGIN_LIMITS).toMatchObject({ failuresPerUserAndIp: 5, failuresPerIp: 20, windowMs: 60_000 });
    expect(loginKey('10.0.0.1', '  ZhangSan ')).toBe('10.0.0.1|zhangsan');
  });

  it('blocks a username from one IP after 5 failures, not other usernames or IPs', () => {
    const clock = manualClock(0);
    const throttle = createLoginThrottle(clock.now);
    for (let i = 0; i < 4; i++) throttle.recordFailure('10.0.0.1', 'alice');
    expect(throttle.check('10.0.0.1', 'alice')).toEqual({ allowed: true, remaining: 1, retryAfterSeconds: 0 });
    throttle.recordFailure('10.0.0.1', 'Alice');
    expect(throttle.check('10.0.0.1', 'ALICE')).toEqual({ allowed: false, remaining: 0, retryAfterSeconds: 60 });
    expect(throttle.check('10.0.0.1', 'bob')).toEqual({ allowed: true, remaining: 5, retryAfterSeconds: 0 });
    expect(throttle.check('10.0.0.2', 'alice')).toEqual({ allowed: true, remaining: 5, retryAfterSeconds: 0 });
    clock.t = 60_000;
    expect(throttle.check('10.0.0.1', 'alice').allowed).toBe(true);
  });

  it('blocks an IP after 20 failures across usernames', () => {
    const clock = manualClock(0);
    const throttle = createLoginThrottle(clock.now);
    for (let i = 0; i < 20; i++) {
      clock.t = i * 1000;
      throttle.recordFailure('10.0.0.9', `user${i}`);
    }
    expect(throttle.check('10.0.0.9', 'someone-new')).toEqual({ allowed: false, remaining: 0, retryAfterSeconds: 41 });
    expect(throttle.check('10.0.0.8', 'user1').allowed).toBe(true);
    clock.t = 60_000; // the failure at 0 s has left the window
    expect(throttle.check('10.0.0.9', 'someone-new')).toEqual({ allowed: true, remaining: 1, retryAfterSeconds: 0 });
  });

  it('clears the pair on success but not the IP', () => {
    const clock = manualClock(0);
    const throttle = createLoginThrottle(clock.now);
    for (let i = 0; i < 5; i++) throttle.recordFailure('10.0.0.1', 'alice');
    for (let i = 0; i < 15; i++) throttle.recordFailure('10.0.0.1', `guess${i}`);
    expect(throttle.check('10.0.0.1', 'alice').allowed).toBe(false);
    throttle.recordSuccess('10.0.0.1', 'alice');
    // The pair is clear, but the IP still has 20 failures in the window.
    expect(throttle.check('10.0.0.1', 'alice')).toEqual({ allowed: false, remaining: 0, retryAfterSeconds: 60 });
    clock.t = 60_000;
    expect(throttle.check('10.0.0.1', 'alice')).toEqual({ allowed: true, remaining: 5, retryAfterSeconds: 0 });
  });

  it('reports the longer of the two waits', () => {
    const clock = manualClock(0);
    const throttle = createLoginThrottle(clock.now);
    for (let i = 0; i < 15; i++) throttle.recordFailure('10.0.0.1', `guess${i}`);
    clock.t = 30_000;
    for (let i = 0; i < 5; i++) throttle.recordFailure('10.0.0.1', 'alice');
    // IP: 20 failures, oldest at 0 s → 30 s left; pair: 5 failures at 30 s → 60 s left.
    expect(throttle.check('10.0.0.1', 'alice').retryAfterSeconds).toBe(60);
    expect(throttle.check('10.0.0.1', 'bob').retryAfterSeconds).toBe(30);
  });
});

describe('the password-change throttle', () => {
  it('blocks an account after 5 wrong current passwords in a minute, whoever else tries', () => {
    expect(PASSWORD_CHANGE_LIMITS).toMatchObject({ failuresPerUser: 5, windowMs: 60_000 });
    const clock = manualClock(0);
    const throttle = createPasswordChangeThrottle(clock.now);
    for (let i = 0; i < 5; i++) {
      expect(throttle.check(7).allowed).toBe(true);
      throttle.recordFailure(7);
    }
    expect(throttle.check(7)).toEqual({ allowed: false, remaining: 0, retryAfterSeconds: 60 });
    expect(throttle.check(8).allowed).toBe(true);
    clock.t = 59_000;
    expect(throttle.check(7).retryAfterSeconds).toBe(1);
    clock.t = 60_000;
    expect(throttle.check(7).allowed).toBe(true);
    throttle.recordFailure(7);
    throttle.recordSuccess(7);
    expect(throttle.check(7)).toEqual({ allowed: true, remaining: 5, retryAfterSeconds: 0 });
  });
});
