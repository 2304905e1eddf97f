import { z } from 'zod';

/** Ids and revisions are 32-bit integers in the database: a larger number is a 400, not a 500. */
export const INT32_MAX = 2 ** 31 - 1;

/**
 * A database id written in a path or query: decimal digits only (not `0x1`, `1e3`, ` 7` or `+7`,
 * which a plain number coercion takes), from 1 to 2³¹ − 1.
 */
export function idText(what = 'id') {
  return z
    .string()
    .regex(/^[1-9][0-9]{0,9}$/, `${what} 应为正整数（${what} must be a positive whole number in decimal digits）`)
    .transform(Number)
    .pipe(z.number().max(INT32_MAX, `${what} 太大（${what} is too large）`));
}

/** A whole number written in a query (a page size, a limit): decimal digits only, within [min, max]. */
export function wholeNumberText(min: number, max: number) {
  return z
    .string()
    .regex(/^[0-9]{1,10}$/, `应为 ${min}–${max} 的整数（a whole number from ${min} to ${max}, in decimal digits）`)
    .transform(Number)
    .pipe(z.number().min(min).max(max));
}

/** The dates the app plans and records: none before 2000 or after 2100 (a typo, not a plan). */
export const FIRST_DATE = '2000-01-01';
export const LAST_DATE = '2100-12-31';

/** A calendar date YYYY-MM-DD between FIRST_DATE and LAST_DATE. */
export function boundedDate() {
  return z.iso
    .date('日期格式为 YYYY-MM-DD（dates are YYYY-MM-DD）')
    .refine(
      (d) => d >= FIRST_DATE && d <= LAST_DATE,
      `日期应在 ${FIRST_DATE} 至 ${LAST_DATE} 之间（dates from ${FIRST_DATE} to ${LAST_DATE}）`,
    );
}
