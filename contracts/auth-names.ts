/**
 * The names of the session cookies and the CSRF header (see contracts/auth.ts), apart from the
 * schemas so that a page importing them does not bundle zod.
 */
export const SESSION_COOKIE = 'sw_session';
export const CSRF_COOKIE = 'sw_csrf';
export const CSRF_HEADER = 'x-csrf-token';
