/**
 * The bus stops layer: each stop with its name, the lines that call there and the village it
 * serves (given, or the one containing it). No-trip reads the stops (a village more than a walk
 * from every stop has no bus); the lines are kept with their stops in file order.
 */
import { sql, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import { type County, fillContainingVillages, reportRepeatedCodes } from './checks.js';
import type { ImportMode, ProblemList } from './report.js';
import { STAGING } from './staging.js';

/** The words a cell of line names is split at: 1路、2路 / K101,K102. */
const LINE_SEPARATORS = '[,，、;；/|[:space:]]+';

/**
 * Stops without a village get the village whose polygon covers them; one outside every village
 * is kept without one (a stop on the road between villages), with a warning.
 */
export async function locateBusStops(trx: Transaction<DB>, county: County, problems: ProblemList): Promise<void> {
  await fillContainingVillages(trx, county);
  const outside = await sql<{ idx: number }>`
    select idx from ${STAGING} where village_ref is null and village_code is null and geom is not null
    order by idx`.execute(trx);
  for (const { idx } of outside.rows) {
    problems.warning(idx, `outside every village of county ${county.code}: kept without a village`, {
      field: 'village_code',
    });
  }
}

/**
 * Each stop's id: `<county>-BS-<code>` from the file's code, or, without one, from its name and
 * position (to the micro-degree), so that importing the same file again finds the same stops.
 * Two stops of the file with the same id are errors.
 */
export async function assignBusStopIds(trx: Transaction<DB>, county: County, problems: ProblemList): Promise<void> {
  await sql`
    update ${STAGING} set code = ${`${county.code}-BS-`} || coalesce(code,
      substr(md5(name || ' ' || round(ST_X(geom)::numeric, 6)::text || ' ' || round(ST_Y(geom)::numeric, 6)::text), 1, 12))
    where geom is not null and name is not null`.execute(trx);
  await reportRepeatedCodes(trx, problems, 'stop (same code, or same name and position)');
}

/**
 * Write the stops and their lines. Replace deletes the county's stops and lines first; append
 * adds stops, and a line already there gets the new stops after its own.
 */
export async function writeBusStops(trx: Transaction<DB>, county: County, mode: ImportMode): Promise<void> {
  if (mode === 'replace') {
    await sql`delete from bus_lines where county_code = ${county.code}`.execute(trx);
    await sql`delete from bus_stops where county_code = ${county.code}`.execute(trx);
  }
  await sql`
    insert into bus_stops (id, county_code, name, village_code, geom)
    select code, ${county.code}, name, village_code, geom from ${STAGING} order by idx`.execute(trx);
  const calls = sql`
    select distinct on (s.idx, btrim(l.name)) s.idx, s.code as stop,
      ${`${county.code}-BL-`} || btrim(l.name) as line, btrim(l.name) as name
    from ${STAGING} s cross join lateral regexp_split_to_table(s.lines, ${LINE_SEPARATORS}) as l(name)
    where s.lines is not null and btrim(l.name) <> ''`;
  await sql`
    insert into bus_lines (id, county_code, name, geom)
    select distinct line, ${county.code}, name, ST_GeomFromText('MULTILINESTRING EMPTY', 4326) from (${calls}) c
    on conflict (id) do nothing`.execute(trx);
  await sql`
    insert into bus_line_stops (line_id, stop_id, seq)
    select c.line, c.stop,
      coalesce((select max(seq) from bus_line_stops b where b.line_id = c.line), -1)
        + row_number() over (partition by c.line order by c.idx)
    from (${calls}) c`.execute(trx);
  // A line's shape: through its stops in order (a line with one stop is that point).
  await sql`
    update bus_lines l set geom = (
      select ST_Multi(case when count(*) > 1 then ST_MakeLine(array_agg(st.geom order by b.seq))
                           else ST_MakeLine((array_agg(st.geom))[1], (array_agg(st.geom))[1]) end)
      from bus_line_stops b join bus_stops st on st.id = b.stop_id where b.line_id = l.id)
    where l.county_code = ${county.code}
      and l.id in (select ${`${county.code}-BL-`} || btrim(x.name) from ${STAGING} s
                   cross join lateral regexp_split_to_table(s.lines, ${LINE_SEPARATORS}) as x(name))`.execute(trx);
}
