/**
 * The officers layer: the headquarters officer pool (机关警力) for holiday policing — name,
 * police number (警号), unit, kind or rank (a traffic officer may direct traffic), qualifications,
 * and the station the officer sets out from. A roster usually has no coordinates: the officer is
 * placed at that station. Names are personal data and go only where the holiday pool shows them.
 */
import { sql, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import { type County, reportRepeatedCodes } from './checks.js';
import type { ImportMode, ProblemList } from './report.js';
import { STAGING } from './staging.js';

/**
 * Each officer's home station: the one named (resolved before, by resolveReferences), or, when
 * none is named, the unit when the unit is a station of the county (罗阳派出所); each officer
 * without coordinates is placed at that station, and one with neither is an error. Officers
 * without a police number get `<county>-<unit>-<name>` as their id, stable on re-import; two
 * officers of the file with the same id are errors.
 */
export async function checkOfficers(trx: Transaction<DB>, county: County, problems: ProblemList): Promise<void> {
  await sql`
    update ${STAGING} s set station_code = p.code
    from (select code, name from police_stations where county_code = ${county.code}) p
    where s.station_ref is null and s.station_code is null and (s.department = p.code or s.department = p.name)`.execute(
    trx,
  );
  await sql`
    update ${STAGING} s set geom = p.geom from police_stations p
    where s.geom is null and p.code = s.station_code`.execute(trx);
  const nowhere = await sql<{ idx: number }>`
    select idx from ${STAGING} where geom is null and station_ref is null order by idx`.execute(trx);
  for (const { idx } of nowhere.rows) {
    problems.error(
      idx,
      'no home station and no coordinates: give the police station the officer sets out from (所属派出所), or lon/lat',
      { field: 'home_station' },
    );
  }
  await sql`
    update ${STAGING} set code = ${`${county.code}-`} || department || '-' || name
    where code is null and name is not null`.execute(trx);
  await reportRepeatedCodes(trx, problems, 'officer (same police number, or same unit and name)');
}

/** Write the officers: replace keeps those of the file (by id, so their unavailability stays) and deletes the rest. */
export async function writeOfficers(trx: Transaction<DB>, county: County, mode: ImportMode): Promise<void> {
  if (mode === 'replace') {
    await sql`
      delete from officers o where o.county_code = ${county.code}
        and not exists (select 1 from ${STAGING} s where s.code = o.id)`.execute(trx);
  }
  await sql`
    insert into officers (id, county_code, name, department, home_station_code, qualifications, geom)
    select code, ${county.code}, name, department, station_code, string_to_array(qualifications, ','), geom
    from ${STAGING} order by idx
    ${
      mode === 'replace'
        ? sql`on conflict (id) do update set name = excluded.name, department = excluded.department,
            home_station_code = excluded.home_station_code, qualifications = excluded.qualifications, geom = excluded.geom`
        : sql``
    }`.execute(trx);
}
