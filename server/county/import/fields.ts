/**
 * Reading attribute values: each field has a canonical English name, the aliases a county's own
 * files use (Chinese headers among them), what it expects, and a parser that returns undefined
 * for a value of the wrong kind.
 */
import type { EventCategory, RoadClass, VillageKind } from '../../db/schema.js';
import { stripInvisible } from '../../lib/invisible-text.js';
import { normaliseKey } from './parse.js';

export interface FieldSpec<T> {
  name: string;
  aliases: readonly string[];
  /** What the field expects, for messages: "a 12-digit village code". */
  expected: string;
  parse(raw: unknown): T | undefined;
}

/** Missing: absent, null, or an empty (blank) string. */
export function isMissing(raw: unknown): boolean {
  return raw === undefined || raw === null || (typeof raw === 'string' && raw.trim() === '');
}

function asText(raw: unknown): string | undefined {
  // PostgreSQL text cannot hold NUL: such a value is refused with the feature, not by the database.
  // Zero-width and direction characters (stray in files copied from the web) are dropped.
  if (typeof raw === 'string') return raw.includes('\u0000') ? undefined : stripInvisible(raw).trim();
  if (typeof raw === 'number' && Number.isFinite(raw)) return String(raw);
  return undefined;
}

/** Free text (a name, a household code); numbers are taken as their digits. */
export function text(name: string, aliases: readonly string[], expected: string): FieldSpec<string> {
  return { name, aliases, expected, parse: asText };
}

/** A code of exactly `digits` digits (an administrative code). */
export function digits(name: string, aliases: readonly string[], count: number, what: string): FieldSpec<string> {
  const pattern = new RegExp(`^[0-9]{${count}}$`);
  return {
    name,
    aliases,
    expected: `a ${count}-digit ${what}`,
    parse: (raw) => {
      const value = typeof raw === 'number' && Number.isInteger(raw) ? String(raw) : asText(raw);
      return value !== undefined && pattern.test(value) ? value : undefined;
    },
  };
}

/** A whole number within [min, max]. */
export function integer(name: string, aliases: readonly string[], min: number, max: number): FieldSpec<number> {
  return {
    name,
    aliases,
    expected: max === Number.MAX_SAFE_INTEGER ? `a whole number ≥ ${min}` : `a whole number from ${min} to ${max}`,
    parse: (raw) => {
      const value =
        typeof raw === 'number' ? raw : typeof raw === 'string' && /^\s*[+-]?\d+\s*$/.test(raw) ? Number(raw) : NaN;
      return Number.isInteger(value) && value >= min && value <= max ? value : undefined;
    },
  };
}

/** A number within (0, max]. */
export function positiveNumber(name: string, aliases: readonly string[], max: number): FieldSpec<number> {
  return {
    name,
    aliases,
    expected: `a number above 0 and at most ${max}`,
    parse: (raw) => {
      const value = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
      return value > 0 && value <= max ? value : undefined;
    },
  };
}

/** One of a set of values, each with the words that mean it (compared without case and spaces). */
export function choice<T extends string>(
  name: string,
  aliases: readonly string[],
  words: Record<T, readonly string[]>,
): FieldSpec<T> {
  const lookup = new Map<string, T>();
  for (const [value, synonyms] of Object.entries(words) as [T, readonly string[]][]) {
    for (const word of [value, ...synonyms]) lookup.set(normaliseKey(word), value);
  }
  return {
    name,
    aliases,
    expected: `one of ${Object.keys(words).join(', ')}`,
    parse: (raw) => {
      const value = asText(raw);
      return value === undefined ? undefined : lookup.get(normaliseKey(value));
    },
  };
}

// 2024-05-01, 2024-05-01T14:30, 2024-05-01 14:30:00.5+08:00, 2024/5/1 14:30Z …
const DATE_TIME =
  /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(\.\d+)?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/** China Standard Time (Asia/Shanghai has had no daylight saving since 1991). */
const SHANGHAI_OFFSET = '+08:00';

/**
 * An ISO 8601 date-time; one without a time zone is taken as Asia/Shanghai (UTC+8), one without a
 * time as midnight. Impossible dates (30 February) are refused.
 */
export function parseDateTime(raw: unknown): Date | undefined {
  if (typeof raw !== 'string') return undefined;
  const match = DATE_TIME.exec(raw.trim());
  if (!match) return undefined;
  const [, y, mo, d, h = '0', mi = '0', s = '0', fraction = '', zone] = match;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return undefined;
  if (day > new Date(Date.UTC(year, month, 0)).getUTCDate()) return undefined;
  let offset = zone ?? SHANGHAI_OFFSET;
  if (offset.toUpperCase() === 'Z') offset = '+00:00';
  else if (/^[+-]\d{2}$/.test(offset)) offset += ':00';
  else if (/^[+-]\d{4}$/.test(offset)) offset = `${offset.slice(0, 3)}:${offset.slice(3)}`;
  const pad = (n: number) => String(n).padStart(2, '0');
  const iso = `${year}-${pad(month)}-${pad(day)}T${pad(hour)}:${pad(minute)}:${pad(second)}${fraction}${offset}`;
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

export function dateTime(name: string, aliases: readonly string[]): FieldSpec<Date> {
  return {
    name,
    aliases,
    expected: 'an ISO 8601 date-time such as 2024-05-01T14:30:00+08:00 (no time zone: Asia/Shanghai)',
    parse: parseDateTime,
  };
}

/** Words for the schema's enumerations. */
export const ROAD_CLASS_WORDS: Record<RoadClass, readonly string[]> = {
  county: ['县道', '县', 'X'],
  township: ['乡道', '乡', '镇道', 'Y'],
  village: ['村道', '村', 'C'],
};

export const VILLAGE_KIND_WORDS: Record<VillageKind, readonly string[]> = {
  village: ['村', '行政村'],
  community: ['社区', '居委会'],
};

export const EVENT_CATEGORY_WORDS: Record<EventCategory, readonly string[]> = {
  incident: ['警情', '治安'],
  dispute: ['矛盾纠纷', '纠纷'],
  petition: ['信访'],
  fraud: ['诈骗', '网络诈骗', '电信诈骗'],
  traffic_accident: ['交通事故', 'traffic accident'],
};

/** Find a field's raw value among a feature's properties by its name or any alias. */
export function lookupField(
  properties: Record<string, unknown>,
  keys: Map<string, string>,
  spec: FieldSpec<unknown>,
): { key: string; raw: unknown } | undefined {
  for (const alias of [spec.name, ...spec.aliases]) {
    const key = keys.get(normaliseKey(alias));
    if (key !== undefined && !isMissing(properties[key])) return { key, raw: properties[key] };
  }
  return undefined;
}

/** Normalised property name → the name as written, first one wins. */
export function propertyKeys(properties: Record<string, unknown>): Map<string, string> {
  const keys = new Map<string, string>();
  for (const key of Object.keys(properties)) {
    const normalised = normaliseKey(key);
    if (!keys.has(normalised)) keys.set(normalised, key);
  }
  return keys;
}
