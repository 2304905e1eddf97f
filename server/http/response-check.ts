import { isDeepStrictEqual } from 'node:util';
import type { z } from 'zod';

/**
 * Whether the router checks each JSON answer against its route's response schema: always in the
 * tests (NODE_ENV=test), and wherever SHANWANG_CHECK_RESPONSES=1. Off in production, where a
 * check would cost time on every answer and the tests have already held the contract.
 */
export function responseChecksOn(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.NODE_ENV === 'test' || env.SHANWANG_CHECK_RESPONSES === '1';
}

/**
 * Routes whose answers are known to differ from their schemas, in families other changes are
 * giving their contracts now (issue 18, item 4): not checked until they are fixed, then removed
 * from here. Nothing else may be added. Empty now: the no-trip list's schema declares each
 * village's `kind`.
 */
export const KNOWN_DRIFT: ReadonlySet<string> = new Set<string>();

const describe = (value: unknown) => (Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value);

/**
 * Where two JSON values first differ (`$.a.b[2]`, with what), or null when they are equal. Used
 * after a schema accepted an answer, to find the keys it would have dropped: keys the contract
 * does not declare.
 */
export function firstDifference(declared: unknown, sent: unknown, path = '$'): string | null {
  if (isDeepStrictEqual(declared, sent)) return null;
  if (Array.isArray(declared) && Array.isArray(sent) && declared.length === sent.length) {
    for (let i = 0; i < sent.length; i++) {
      const found = firstDifference(declared[i], sent[i], `${path}[${i}]`);
      if (found) return found;
    }
  }
  if (
    declared !== null &&
    sent !== null &&
    typeof declared === 'object' &&
    typeof sent === 'object' &&
    !Array.isArray(declared) &&
    !Array.isArray(sent)
  ) {
    const kept = declared as Record<string, unknown>;
    const given = sent as Record<string, unknown>;
    for (const key of Object.keys(given)) {
      if (!(key in kept)) return `${path}.${key}: not in the contract`;
      const found = firstDifference(kept[key], given[key], `${path}.${key}`);
      if (found) return found;
    }
    for (const key of Object.keys(kept)) {
      if (!(key in given)) return `${path}.${key}: added by the contract (a default?)`;
    }
  }
  return `${path}: the contract makes ${describe(declared)} ${JSON.stringify(declared)?.slice(0, 80)} of ${describe(sent)} ${JSON.stringify(sent)?.slice(0, 80)}`;
}

/**
 * What is wrong with an answer as the client receives it (the JSON text, parsed) against its
 * response schema: the schema's issues, or a key the schema does not declare; null when it fits.
 * The answer must be exactly what the schema describes, so a field added, renamed or retyped on
 * one side only is caught by the tests of the route.
 */
export function responseProblem(schema: z.ZodType, sent: unknown): string | null {
  const result = schema.safeParse(sent);
  if (!result.success) {
    return result.error.issues
      .slice(0, 5)
      .map(
        (issue) =>
          `$${issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('')}: ${issue.message}`,
      )
      .join('; ');
  }
  return firstDifference(result.data, sent);
}
