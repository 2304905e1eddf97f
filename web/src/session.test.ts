import { describe, expect, it } from 'vitest';
import { cookieValue, errorOf } from './api.js';
import { retryAfterSeconds } from './session.js';

describe('the session helpers', () => {
  it('read one cookie out of document.cookie', () => {
    expect(cookieValue('a=1; sw_csrf=abc%3D; b=2', 'sw_csrf')).toBe('abc=');
    expect(cookieValue('sw_csrfx=1; xsw_csrf=2', 'sw_csrf')).toBeNull();
    expect(cookieValue('', 'sw_csrf')).toBeNull();
  });

  it('read Retry-After as seconds or as a date, 60 when missing', () => {
    expect(retryAfterSeconds('42')).toBe(42);
    expect(retryAfterSeconds('0.2')).toBe(1);
    expect(retryAfterSeconds(null)).toBe(60);
    expect(retryAfterSeconds('soon')).toBe(60);
    const now = Date.parse('2026-03-01T08:00:00Z');
    expect(retryAfterSeconds('Sun, 01 Mar 2026 08:01:30 GMT', now)).toBe(90);
  });

  it("turn an error answer into the server's code and message", () => {
    const error = errorOf(403, { error: { code: 'forbidden', message: '无权操作（forbidden）' } });
    expect([error.status, error.code, error.message]).toEqual([403, 'forbidden', '无权操作（forbidden）']);
    expect(errorOf(502, null).message).toBe('HTTP 502');
  });
});
