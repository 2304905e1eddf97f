/**
 * The war zones layer (战区): groups of police stations for holiday policing. A file lists each
 * zone with its stations — a row per zone with its stations in one cell (罗阳所、百丈所), or a row
 * per station — by code or name; or gives a zone's polygon, and the stations inside it belong to
 * it. Replace makes the county's zones equal to the file's (zones kept by name keep their id, and
 * so their holiday limits); append adds zones and moves the stations it names.
 */
import { sql, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { County } from './checks.js';
import { FILE_INDEX, type ImportMode, type ProblemList } from './report.js';
import { STAGING } from './staging.js';

/** The words a cell of stations is split at. */
const LIST_SEPARATORS = /[,，、;；/|\s]+/;

/** A station named in a cell: by code, by full name, or by a name without its 派出所/所 when that is unique. */
export function matchStation(
  word: string,
  stations: readonly { code: string; name: string }[],
): { code: string } | { problem: string } {
  const byCode = stations.find((s) => s.code === word);
  if (byCode) return { code: byCode.code };
  const byName = stations.filter((s) => s.name === word);
  if (byName.length === 1) return { code: byName[0]!.code };
  if (byName.length > 1) return { problem: `"${word}" names ${byName.length} police stations: give the code` };
  const bare = (name: string) => name.replace(/(公安)?(派出所|警务站|所)$/, '');
  const short = stations.filter((s) => bare(word).length >= 2 && bare(s.name) === bare(word));
  if (short.length === 1) return { code: short[0]!.code };
  if (short.length > 1) return { problem: `"${word}" names ${short.length} police stations: give the code` };
  return { problem: `unknown police station "${word}"` };
}

/** Which zone each station of the file goes to, the zones in file order, and what is wrong. */
interface StagedZones {
  zones: string[];
  links: { idx: number; station: string; zone: string }[];
  problems: { idx: number; reason: string; severity: 'error' | 'warning' }[];
}

async function stagedWarZones(trx: Transaction<DB>, county: County): Promise<StagedZones> {
  const staged = await sql<{ idx: number; zone: string | null; stations: string | null; has_polygon: boolean }>`
    select idx, war_zone as zone, station_ref as stations, geom is not null as has_polygon
    from ${STAGING} order by idx`.execute(trx);
  const stations = (
    await sql<{ code: string; name: string }>`
      select code, name from police_stations where county_code = ${county.code} order by code`.execute(trx)
  ).rows;
  const inside = await sql<{ idx: number; code: string }>`
    select s.idx, p.code from ${STAGING} s
    join police_stations p on p.county_code = ${county.code} and ST_Covers(s.geom, p.geom)
    where s.station_ref is null and s.geom is not null order by s.idx, p.code`.execute(trx);
  const insideOf = new Map<number, string[]>();
  for (const row of inside.rows) insideOf.set(row.idx, [...(insideOf.get(row.idx) ?? []), row.code]);

  const result: StagedZones = { zones: [], links: [], problems: [] };
  const zoneOf = new Map<string, { idx: number; zone: string }>();
  for (const row of staged.rows) {
    if (row.zone === null) continue;
    if (!result.zones.includes(row.zone)) result.zones.push(row.zone);
    let codes: string[];
    if (row.stations !== null) {
      codes = [];
      for (const word of row.stations.split(LIST_SEPARATORS).filter((w) => w !== '')) {
        const match = matchStation(word, stations);
        if ('problem' in match) {
          result.problems.push({
            idx: row.idx,
            reason: `${match.problem} in county ${county.code}`,
            severity: 'error',
          });
        } else codes.push(match.code);
      }
    } else if (row.has_polygon) {
      codes = insideOf.get(row.idx) ?? [];
      if (codes.length === 0) {
        result.problems.push({
          idx: row.idx,
          reason: `no police station of county ${county.code} lies inside the polygon`,
          severity: 'warning',
        });
      }
    } else {
      result.problems.push({
        idx: row.idx,
        reason: 'no stations and no polygon: give the codes or names of its police stations, or its area',
        severity: 'error',
      });
      continue;
    }
    for (const code of codes) {
      const earlier = zoneOf.get(code);
      if (earlier && earlier.zone !== row.zone) {
        result.problems.push({
          idx: row.idx,
          reason: `station ${code} is also in war zone ${earlier.zone} (#${earlier.idx}): a station is in one war zone`,
          severity: 'error',
        });
        continue;
      }
      if (earlier) continue;
      zoneOf.set(code, { idx: row.idx, zone: row.zone });
      result.links.push({ idx: row.idx, station: code, zone: row.zone });
    }
  }
  return result;
}

/** Import check of a war zone file: every station it names is the county's, and in one zone. */
export async function checkWarZones(trx: Transaction<DB>, county: County, problems: ProblemList): Promise<void> {
  const staged = await stagedWarZones(trx, county);
  for (const p of staged.problems) {
    if (p.severity === 'error') problems.error(p.idx, p.reason, { field: 'stations' });
    else problems.warning(p.idx, p.reason, { field: 'stations' });
  }
  if (staged.zones.length > 0 && staged.links.length === 0) {
    problems.error(FILE_INDEX, 'no war zone of the file has a police station', { field: 'stations' });
  }
}

/** Write the zones and put their stations in them. */
export async function writeWarZones(trx: Transaction<DB>, county: County, mode: ImportMode): Promise<void> {
  const { zones, links } = await stagedWarZones(trx, county);
  const names = JSON.stringify(zones);
  // War zone ids are plain integers: take the next ones under a lock against a parallel import.
  await sql`lock table war_zones in share row exclusive mode`.execute(trx);
  if (mode === 'replace') {
    await sql`update police_stations set war_zone_id = null where county_code = ${county.code}`.execute(trx);
    await sql`
      delete from war_zones where county_code = ${county.code}
        and name not in (select value from json_array_elements_text(${names}::json))`.execute(trx);
  }
  await sql`
    insert into war_zones (id, county_code, name)
    select (select coalesce(max(id), 0) from war_zones) + row_number() over (order by z.ordinality), ${county.code}, z.value
    from json_array_elements_text(${names}::json) with ordinality as z
    where not exists (select 1 from war_zones w where w.county_code = ${county.code} and w.name = z.value)`.execute(
    trx,
  );
  await sql`
    update police_stations p set war_zone_id = w.id
    from json_to_recordset(${JSON.stringify(links)}::json) as r(station text, zone text)
    join war_zones w on w.county_code = ${county.code} and w.name = r.zone
    where p.code = r.station and p.county_code = ${county.code}`.execute(trx);
}
