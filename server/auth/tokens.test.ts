import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  csrfTokenFor,
  csrfTokenMatches,
  hashSessionToken,
  isWellFormedSessionToken,
  newCsrfSecret,
  newSessionToken,
  SESSION_ABSOLUTE_LIFETIME_MS,
  SESSION_IDLE_TIMEOUT_MS,
  sessionExpiry,
  shouldTouchSession,
} from './tokens.js';

const SECRET = Buffer.alloc(32, 0x5a);
const HOUR = 60 * 60 * 1000;

describe('session tokens', () => {
  it('are 32 random bytes in base64url (43 characters), each different', () => {
    const tokens = new Set(Array.from({ length: 100 }, () => newSessionToken()));
    expect(tokens.size).toBe(100);
    for (const token of tokens) {
      expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(Buffer.from(token, 'base64url')).toHaveLength(32);
      expect(isWellFormedSessionToken(token)).toBe(true);
    }
  });

  it('are recognised only in their exact form', () => {
    const token = newSessionToken();
    for (const bad of [
      undefined,
      null,
      42,
      '',
      token.slice(1),
      `${token}A`,
      `${token.slice(1)}=`,
      `${token.slice(1)}+`,
    ]) {
      expect(isWellFormedSessionToken(bad)).toBe(false);
    }
  });

  it('are stored as their SHA-256 in lowercase hex', () => {
    expect(hashSessionToken('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    const token = newSessionToken();
    expect(hashSessionToken(token)).toBe(createHash('sha256').update(token).digest('hex'));
    expect(hashSessionToken(token)).not.toBe(hashSessionToken(newSessionToken()));
  });
});

describe('CSRF tokens', () => {
  const sessionHash = hashSessionToken('session-one');
  const otherHash = hashSessionToken('session-two');

  it('are HMAC-SHA256 of the label and the session hash, base64url', () => {
    const expected = createHmac('sha256', SECRET).update(`shanwang csrf v1\0${sessionHash}`).digest('base64url');
    expect(csrfTokenFor(SECRET, sessionHash)).toBe(expected);
    expect(csrfTokenFor(SECRET, sessionHash)).toHaveLength(43);
  });

  it('match their own session and secret only', () => {
    const token = csrfTokenFor(SECRET, sessionHash);
    expect(csrfTokenMatches(SECRET, sessionHash, token)).toBe(true);
    expect(csrfTokenMatches(SECRET, otherHash, token)).toBe(false);
    expect(csrfTokenMatches(Buffer.alloc(32, 0x5b), sessionHash, token)).toBe(false);
    expect(csrfTokenFor(SECRET, otherHash)).not.toBe(token);
  });

  it('refuse tampered, truncated, padded and non-string tokens without throwing', () => {
    const token = csrfTokenFor(SECRET, sessionHash);
    const flipped = Buffer.from(token, 'base64url');
    flipped[31] = flipped[31]! ^ 0x80;
    const lastChar = token.at(-1)!;
    const tampered: unknown[] = [
      flipped.toString('base64url'),
      token.slice(0, -1),
      `${token}A`,
      `${token}=`,
      ` ${token}`,
      token.slice(0, -1) + (lastChar === 'A' ? 'B' : 'A'),
      token.toUpperCase(),
      '',
      undefined,
      null,
      ['token'],
      { token },
    ];
    for (const presented of tampered) {
      expect(csrfTokenMatches(SECRET, sessionHash, presented), String(presented)).toBe(false);
    }
  });

  it('refuse a session hash that is not 64 hex digits', () => {
    const token = csrfTokenFor(SECRET, sessionHash);
    expect(csrfTokenMatches(SECRET, sessionHash.toUpperCase(), token)).toBe(false);
    expect(csrfTokenMatches(SECRET, '', token)).toBe(false);
    expect(() => csrfTokenFor(SECRET, 'not-a-hash')).toThrow(RangeError);
  });

  it('require a secret of at least 32 bytes', () => {
    expect(() => csrfTokenFor(Buffer.alloc(31), sessionHash)).toThrow(RangeError);
    expect(() => csrfTokenMatches(Buffer.alloc(0), sessionHash, 'x')).toThrow(RangeError);
    expect(newCsrfSecret()).toHaveLength(32);
    expect(newCsrfSecret().equals(newCsrfSecret())).toBe(false);
  });
});

describe('sessionExpiry', () => {
  const login = new Date('2025-01-06T00:00:00.000Z');
  const at = (ms: number) => new Date(login.getTime() + ms);

  it('exports an 8-hour idle timeout and a 7-day lifetime', () => {
    expect(SESSION_IDLE_TIMEOUT_MS).toBe(28_800_000);
    expect(SESSION_ABSOLUTE_LIFETIME_MS).toBe(604_800_000);
  });

  it('is valid until the idle limit, expired at its exact millisecond', () => {
    expect(sessionExpiry(login, login, login)).toEqual({ expired: false, expiresAt: at(8 * HOUR) });
    expect(sessionExpiry(at(8 * HOUR - 1), login, login)).toEqual({ expired: false, expiresAt: at(8 * HOUR) });
    expect(sessionExpiry(at(8 * HOUR), login, login)).toEqual({ expired: true, reason: 'idle' });
  });

  it('moves the idle limit with each request', () => {
    const lastSeen = at(5 * HOUR);
    expect(sessionExpiry(at(12 * HOUR), lastSeen, login)).toEqual({ expired: false, expiresAt: at(13 * HOUR) });
    expect(sessionExpiry(at(13 * HOUR), lastSeen, login)).toEqual({ expired: true, reason: 'idle' });
  });

  it('ends at 7 days however active the session is', () => {
    const week = 7 * 24 * HOUR;
    const lastSeen = at(week - HOUR);
    expect(sessionExpiry(at(week - HOUR), lastSeen, login)).toEqual({ expired: false, expiresAt: at(week) });
    expect(sessionExpiry(at(week - 1), at(week - 2), login)).toEqual({ expired: false, expiresAt: at(week) });
    expect(sessionExpiry(at(week), at(week - 1), login)).toEqual({ expired: true, reason: 'absolute' });
    // Both limits passed: the absolute one is reported.
    expect(sessionExpiry(at(week + 9 * HOUR), at(week), login)).toEqual({ expired: true, reason: 'absolute' });
  });

  it('treats invalid dates as expired', () => {
    const invalid = new Date('not a date');
    expect(sessionExpiry(invalid, login, login).expired).toBe(true);
    expect(sessionExpiry(login, invalid, login).expired).toBe(true);
    expect(sessionExpiry(login, login, invalid).expired).toBe(true);
  });
});

describe('shouldTouchSession', () => {
  it('writes lastSeen at most once a minute', () => {
    const lastSeen = new Date('2025-01-06T08:00:00.000Z');
    expect(shouldTouchSession(new Date('2025-01-06T08:00:59.999Z'), lastSeen)).toBe(false);
    expect(shouldTouchSession(new Date('2025-01-06T08:01:00.000Z'), lastSeen)).toBe(true);
  });
});
