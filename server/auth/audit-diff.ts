/** A JSON value, as the audit log stores it. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** One difference between the states before and after a change; `path` is the list of keys from the root. */
export type AuditChange =
  | { op: 'changed'; path: string[]; before: JsonValue; after: JsonValue }
  | { op: 'added'; path: string[]; after: JsonValue }
  | { op: 'removed'; path: string[]; before: JsonValue };

/** What replaces the value of a personal field in the log. */
export const MASK = '***';

/**
 * Fields whose values never enter the audit log, compared without case, `_` or `-`, and matching as
 * a suffix: `phone` masks `workerPhone` and `worker_phone`. The log keeps that they changed.
 */
export const PERSONAL_FIELDS: ReadonlySet<string> = new Set([
  'idnumber',
  'idcard',
  'phone',
  'mobile',
  'password',
  'passwordhash',
  'token',
  'secret',
]);

export interface AuditDiffOptions {
  /** How many levels of objects to descend before reporting a differing value whole (default 6). */
  maxDepth?: number;
  personalFields?: ReadonlySet<string>;
}

const DEFAULT_MAX_DEPTH = 6;
/** Values deeper than this are cut (cycles, hostile nesting); the log is not the place for them. */
const MAX_VALUE_DEPTH = 32;
const TOO_DEEP = '[…]';

type JsonObject = { [key: string]: JsonValue };

function isObject(value: JsonValue): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Bring any value to plain JSON the way JSON.stringify would (toJSON, so Dates become ISO strings;
 * undefined and functions dropped; non-finite numbers null), plus bigints as strings and a depth cut.
 * Returns undefined for what JSON.stringify would omit.
 */
function toJson(value: unknown, depth: number): JsonValue | undefined {
  if (value !== null && typeof value === 'object' && typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    value = (value as { toJSON: () => unknown }).toJSON();
  }
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      return Number.isFinite(value) ? value : null;
    case 'bigint':
      return value.toString();
    case 'undefined':
    case 'function':
    case 'symbol':
      return undefined;
  }
  if (value === null) return null;
  if (depth >= MAX_VALUE_DEPTH) return TOO_DEEP;
  if (Array.isArray(value)) return value.map((item) => toJson(item, depth + 1) ?? null);
  const entries: [string, JsonValue][] = [];
  for (const [key, item] of Object.entries(value as object)) {
    const json = toJson(item, depth + 1);
    if (json !== undefined) entries.push([key, json]);
  }
  // fromEntries defines own properties, so a key named `__proto__` stays data, not a prototype.
  return Object.fromEntries(entries);
}

/** An own property only: `constructor` or `__proto__` must not come from the prototype. */
function own(object: JsonObject, key: string): JsonValue | undefined {
  return Object.hasOwn(object, key) ? object[key] : undefined;
}

function normaliseKey(key: string): string {
  return key.toLowerCase().replace(/[_-]/g, '');
}

function isPersonal(key: string, personalFields: ReadonlySet<string>): boolean {
  const normalised = normaliseKey(key);
  for (const field of personalFields) {
    if (normalised.endsWith(field)) return true;
  }
  return false;
}

function mask(value: JsonValue, personalFields: ReadonlySet<string>): JsonValue {
  if (Array.isArray(value)) return value.map((item) => mask(item, personalFields));
  if (!isObject(value)) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [
      key,
      isPersonal(key, personalFields) ? MASK : mask(item, personalFields),
    ]),
  );
}

function jsonEqual(a: JsonValue, b: JsonValue): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((item, i) => jsonEqual(item, b[i]!));
  }
  if (!isObject(a) || !isObject(b)) return false;
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((key) => Object.hasOwn(b, key) && jsonEqual(a[key]!, b[key]!));
}

/**
 * A value with its personal fields (PERSONAL_FIELDS, at any depth) replaced by MASK, as plain JSON:
 * for logging a whole row.
 */
export function maskPersonal(value: unknown, personalFields: ReadonlySet<string> = PERSONAL_FIELDS): JsonValue {
  return mask(toJson(value, 0) ?? null, personalFields);
}

/**
 * The minimal difference between two states of a thing, for the audit log: the keys that changed
 * (with before and after), were added or were removed, descending into objects up to `maxDepth`
 * levels. Arrays are compared by value and reported whole. Values of personal fields are masked,
 * at any depth. Keys come in sorted order; equal states give []. A root of `undefined` means "did
 * not exist": a creation is one `added` at the empty path, a deletion one `removed`.
 */
export function auditDiff(before: unknown, after: unknown, options: AuditDiffOptions = {}): AuditChange[] {
  const maxDepth = options.maxDepth ?? DEFAULT_MAX_DEPTH;
  const personalFields = options.personalFields ?? PERSONAL_FIELDS;
  const changes: AuditChange[] = [];
  const shown = (value: JsonValue, path: string[]) =>
    path.length > 0 && isPersonal(path[path.length - 1]!, personalFields) ? MASK : mask(value, personalFields);

  const visit = (a: JsonValue | undefined, b: JsonValue | undefined, path: string[]) => {
    if (a === undefined && b === undefined) return;
    if (a === undefined) {
      changes.push({ op: 'added', path, after: shown(b!, path) });
      return;
    }
    if (b === undefined) {
      changes.push({ op: 'removed', path, before: shown(a, path) });
      return;
    }
    if (jsonEqual(a, b)) return;
    const personal = path.length > 0 && isPersonal(path[path.length - 1]!, personalFields);
    if (isObject(a) && isObject(b) && path.length < maxDepth && !personal) {
      const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
      for (const key of keys) visit(own(a, key), own(b, key), [...path, key]);
      return;
    }
    changes.push({ op: 'changed', path, before: shown(a, path), after: shown(b, path) });
  };

  visit(toJson(before, 0), toJson(after, 0), []);
  return changes;
}
