/**
 * Administrative codes of imported townships and villages (GB/T 2260 / GB/T 10114): an official
 * code must lie inside its parent (a township's first 6 digits are its county's, a village's first
 * 9 its township's); a feature without one gets a stable code of its own, found again from the
 * file's identifier (FID, OBJECTID, 标识码…) or, failing that, its name, so that importing the same
 * file again updates the rows it made instead of adding more.
 *
 * Assigned codes use numbers GB/T 10114 leaves unused: townships 900–999 after the county's code,
 * villages 800–999 after their township's.
 */
import { sql, type Transaction } from 'kysely';
import type { DB, TownshipKind } from '../db/schema.js';
import type { County } from './import/checks.js';
import type { ImportLayer, ProblemList } from './import/report.js';
import { STAGING } from './import/staging.js';

/** The first assigned number of each level, and the last. */
export const ASSIGNED_TOWNSHIP_NUMBERS = { first: 900, last: 999 } as const;
export const ASSIGNED_VILLAGE_NUMBERS = { first: 800, last: 999 } as const;

/** Whether a township code is one we assigned (not an official one). */
export function isAssignedTownshipCode(code: string): boolean {
  return Number(code.slice(6, 9)) >= ASSIGNED_TOWNSHIP_NUMBERS.first;
}

/**
 * A township's kind: from an official code's 7th digit (0 街道 and 1 镇 are towns, 2–3 乡,
 * 4 and above special units such as a reserve or a development zone), else from its name.
 */
export function townshipKindOf(code: string | null, name: string | null): TownshipKind {
  if (code !== null && !isAssignedTownshipCode(code)) {
    const digit = Number(code.charAt(6));
    return digit <= 1 ? 'town' : digit <= 3 ? 'township' : 'reserve';
  }
  if (name === null) return 'town';
  if (/(镇|街道|街道办事处)$/.test(name)) return 'town';
  if (/乡$/.test(name)) return 'township';
  return 'reserve';
}

/** The next free numbers of a range after `prefix`, `count` of them, or null when too few are left. */
export function nextFreeCodes(
  prefix: string,
  range: { first: number; last: number },
  used: ReadonlySet<string>,
  count: number,
): string[] | null {
  const codes: string[] = [];
  for (let n = range.first; n <= range.last && codes.length < count; n++) {
    const code = `${prefix}${String(n).padStart(3, '0')}`;
    if (!used.has(code)) codes.push(code);
  }
  return codes.length === count ? codes : null;
}

/** The same identifier given to several features of the file. */
async function checkDuplicateSourceIds(trx: Transaction<DB>, problems: ProblemList): Promise<void> {
  const rows = await sql<{ idx: number; first: number }>`
    select idx, first from (
      select idx, min(idx) over (partition by source_id) as first from ${STAGING} where source_id is not null) d
    where idx <> first order by idx`.execute(trx);
  for (const row of rows.rows) {
    problems.error(row.idx, `duplicate identifier (also at #${row.first})`, { field: 'source_id' });
  }
}

/** Write assigned codes into the staging table. */
async function setStagedCodes(trx: Transaction<DB>, codes: { idx: number; code: string }[]): Promise<void> {
  if (codes.length === 0) return;
  await sql`
    update ${STAGING} s set code = r.code
    from json_to_recordset(${JSON.stringify(codes)}::json) as r(idx integer, code text)
    where s.idx = r.idx`.execute(trx);
}

async function townshipCodes(trx: Transaction<DB>, county: County, problems: ProblemList): Promise<void> {
  const outside = await sql<{ idx: number; code: string }>`
    select idx, code from ${STAGING} where code is not null and left(code, 6) <> ${county.code} order by idx`.execute(
    trx,
  );
  for (const row of outside.rows) {
    problems.error(
      row.idx,
      `township code ${row.code} is not in county ${county.code} ${county.name}: its first 6 digits must be ${county.code}`,
      { field: 'code', code: row.code },
    );
  }
  // Found again: by the file's identifier, else by a name unique in the county.
  await sql`
    update ${STAGING} s set code = t.code from townships t
    where s.code is null and s.source_id is not null and t.county_code = ${county.code} and t.source_id = s.source_id`.execute(
    trx,
  );
  await sql`
    update ${STAGING} s set code = t.code
    from (select min(code) as code, name from townships where county_code = ${county.code}
          group by name having count(*) = 1) t
    where s.code is null and s.name = t.name
      and not exists (select 1 from ${STAGING} o where o.code = t.code)
      and not exists (select 1 from townships k where k.code = t.code and k.source_id is not null
                      and s.source_id is not null and k.source_id <> s.source_id)`.execute(trx);
  const pending = await sql<{
    idx: number;
  }>`select idx from ${STAGING} where code is null and name is not null order by idx`.execute(trx);
  if (pending.rows.length === 0) return;
  const used = await sql<{ code: string }>`
    select code from townships where county_code = ${county.code}
    union select code from ${STAGING} where code is not null`.execute(trx);
  const codes = nextFreeCodes(
    county.code,
    ASSIGNED_TOWNSHIP_NUMBERS,
    new Set(used.rows.map((r) => r.code)),
    pending.rows.length,
  );
  if (!codes) {
    problems.error(
      -1,
      `too many townships without a code: at most ${ASSIGNED_TOWNSHIP_NUMBERS.last - ASSIGNED_TOWNSHIP_NUMBERS.first + 1} codes can be assigned per county`,
      { field: 'code' },
    );
    return;
  }
  await setStagedCodes(
    trx,
    pending.rows.map((row, i) => ({ idx: row.idx, code: codes[i]! })),
  );
}

async function villageCodes(trx: Transaction<DB>, county: County, problems: ProblemList): Promise<void> {
  // A village with neither a code nor a township column lies in the township that covers it.
  await sql`
    update ${STAGING} s set township_code = (
      select t.code from townships t
      where t.county_code = ${county.code} and ST_Covers(t.geom, ST_PointOnSurface(s.geom))
      order by t.code limit 1)
    where s.township_ref is null and s.township_code is null and s.geom is not null`.execute(trx);
  const homeless = await sql<{ idx: number }>`
    select idx from ${STAGING} where township_ref is null and township_code is null and geom is not null order by idx`.execute(
    trx,
  );
  for (const { idx } of homeless.rows) {
    problems.error(
      idx,
      `no township code or name given, and the village lies in none of county ${county.code}'s townships`,
      {
        field: 'township_code',
      },
    );
  }
  const outside = await sql<{ idx: number; code: string; township_code: string }>`
    select idx, code, township_code from ${STAGING}
    where code is not null and township_code is not null and left(code, 9) <> township_code
      and right(township_code, 3)::int < ${ASSIGNED_TOWNSHIP_NUMBERS.first}
    order by idx`.execute(trx);
  for (const row of outside.rows) {
    problems.error(
      row.idx,
      `village code ${row.code} is not in township ${row.township_code}: its first 9 digits must be ${row.township_code}`,
      { field: 'code', code: row.code },
    );
  }
  const countyVillages = sql`
    select v.code, v.name, v.township_code, v.source_id from villages v
    join townships t on t.code = v.township_code where t.county_code = ${county.code}`;
  await sql`
    update ${STAGING} s set code = v.code from (${countyVillages}) v
    where s.code is null and s.source_id is not null and v.source_id = s.source_id`.execute(trx);
  await sql`
    update ${STAGING} s set code = v.code
    from (select min(code) as code, name, township_code from (${countyVillages}) c
          group by name, township_code having count(*) = 1) v
    where s.code is null and s.name = v.name and s.township_code = v.township_code
      and not exists (select 1 from ${STAGING} o where o.code = v.code)`.execute(trx);
  const pending = await sql<{ idx: number; township_code: string }>`
    select idx, township_code from ${STAGING} where code is null and township_code is not null order by idx`.execute(
    trx,
  );
  if (pending.rows.length === 0) return;
  const used = await sql<{ code: string }>`
    select v.code from villages v join townships t on t.code = v.township_code where t.county_code = ${county.code}
    union select code from ${STAGING} where code is not null`.execute(trx);
  const taken = new Set(used.rows.map((r) => r.code));
  const byTownship = new Map<string, number[]>();
  for (const row of pending.rows)
    byTownship.set(row.township_code, [...(byTownship.get(row.township_code) ?? []), row.idx]);
  const assigned: { idx: number; code: string }[] = [];
  for (const [township, rows] of byTownship) {
    const codes = nextFreeCodes(township, ASSIGNED_VILLAGE_NUMBERS, taken, rows.length);
    if (!codes) {
      problems.error(
        rows[0]!,
        `too many villages without a code in township ${township}: at most ${ASSIGNED_VILLAGE_NUMBERS.last - ASSIGNED_VILLAGE_NUMBERS.first + 1} codes can be assigned`,
        { field: 'code' },
      );
      continue;
    }
    rows.forEach((idx, i) => assigned.push({ idx, code: codes[i]! }));
  }
  await setStagedCodes(trx, assigned);
}

/**
 * Check official codes against their parent and give every feature without one its stable code
 * (townships and villages; other layers are untouched). Run after the references are resolved
 * and before the codes are checked against the database.
 */
export async function checkAndAssignCodes(
  trx: Transaction<DB>,
  layer: ImportLayer,
  county: County,
  problems: ProblemList,
): Promise<void> {
  if (layer !== 'townships' && layer !== 'villages') return;
  await checkDuplicateSourceIds(trx, problems);
  if (layer === 'townships') await townshipCodes(trx, county, problems);
  else await villageCodes(trx, county, problems);
}
