/**
 * Police jurisdictions (辖区): which station serves each township. A link comes from the station
 * file (a township code or name column, several separated by 、 or commas), from the demo model,
 * from a drive-time proposal a person confirms, or from a person directly. Only confirmed links
 * count: migration 0007 copies them into townships.police_station_code, "its own station" of
 * every village for no-trip, visits, holidays and validation.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB, JurisdictionSource } from '../db/schema.js';
import { AppError } from '../http/errors.js';
import { attachToRoad, buildRoadNetwork, costsFrom, type RoadNetwork } from '../routing/network.js';
import { loadRoadEdges } from '../routing/repository.js';
import type { County } from './import/checks.js';
import type { ProblemList } from './import/report.js';
import { STAGING } from './import/staging.js';

/** One township and the station that serves it, if any. */
export interface Jurisdiction {
  townshipCode: string;
  townshipName: string;
  stationCode: string | null;
  stationName: string | null;
  source: JurisdictionSource | null;
  confirmed: boolean;
  driveSeconds: number | null;
}

/** Every township of a county with its link (confirmed or proposed), in code order. */
export async function listJurisdictions(db: Kysely<DB>, countyCode: string): Promise<Jurisdiction[]> {
  const rows = await sql<Jurisdiction>`
    select t.code as "townshipCode", t.name as "townshipName", l.station_code as "stationCode", s.name as "stationName",
      l.source, coalesce(l.confirmed, false) as confirmed, l.drive_seconds as "driveSeconds"
    from townships t
    left join station_townships l on l.township_code = t.code
    left join police_stations s on s.code = l.station_code
    where t.county_code = ${countyCode} order by t.code`.execute(db);
  return rows.rows.map((r) => ({ ...r, driveSeconds: r.driveSeconds === null ? null : Math.round(r.driveSeconds) }));
}

// ---------------------------------------------------------------------------------------------
// From the station file

/** The words a station file's township cell is split at: 罗阳镇、百丈镇 / 330329101,330329102. */
const LIST_SEPARATORS = /[,，、;；/|\s]+/;

/** A township named in a cell: by code, by full name, or by a name without its 镇/乡/街道 when that is unique. */
export function matchTownship(
  word: string,
  townships: readonly { code: string; name: string }[],
): { code: string } | { problem: string } {
  const byCode = townships.find((t) => t.code === word);
  if (byCode) return { code: byCode.code };
  const byName = townships.filter((t) => t.name === word);
  if (byName.length === 1) return { code: byName[0]!.code };
  if (byName.length > 1) return { problem: `"${word}" names ${byName.length} townships: give the code` };
  const short = townships.filter((t) => word.length >= 2 && t.name.replace(/(镇|乡|街道)$/, '') === word);
  if (short.length === 1) return { code: short[0]!.code };
  return { problem: `unknown township "${word}"` };
}

/** The links a station file's township column makes, and what is wrong with them. */
async function stagedStationTownships(
  trx: Transaction<DB>,
  county: County,
): Promise<{
  links: { idx: number; station: string; township: string }[];
  problems: { idx: number; reason: string }[];
}> {
  const staged = await sql<{ idx: number; code: string | null; township_ref: string }>`
    select idx, code, township_ref from ${STAGING} where township_ref is not null order by idx`.execute(trx);
  const links: { idx: number; station: string; township: string }[] = [];
  const problems: { idx: number; reason: string }[] = [];
  if (staged.rows.length === 0) return { links, problems };
  const townships = (
    await sql<{
      code: string;
      name: string;
    }>`select code, name from townships where county_code = ${county.code}`.execute(trx)
  ).rows;
  const claimedBy = new Map<string, { idx: number; station: string }>();
  for (const row of staged.rows) {
    if (row.code === null) continue;
    for (const word of row.township_ref.split(LIST_SEPARATORS).filter((w) => w !== '')) {
      const match = matchTownship(word, townships);
      if ('problem' in match) {
        problems.push({ idx: row.idx, reason: `${match.problem} in county ${county.code}` });
        continue;
      }
      const earlier = claimedBy.get(match.code);
      if (earlier && earlier.station !== row.code) {
        problems.push({
          idx: row.idx,
          reason: `township ${match.code} is also given to station ${earlier.station} (#${earlier.idx}): a township has one station`,
        });
        continue;
      }
      if (earlier) continue;
      claimedBy.set(match.code, { idx: row.idx, station: row.code });
      links.push({ idx: row.idx, station: row.code, township: match.code });
    }
  }
  return { links, problems };
}

/** Import check of a station file: every township it names is one of the county's, and has one station. */
export async function checkStationTownships(
  trx: Transaction<DB>,
  county: County,
  problems: ProblemList,
): Promise<void> {
  for (const p of (await stagedStationTownships(trx, county)).problems) {
    problems.error(p.idx, p.reason, { field: 'townships' });
  }
}

/** After a station file is written: its townships become confirmed links (source `file`). */
export async function linkImportedStations(trx: Transaction<DB>, county: County, decidedBy: string): Promise<number> {
  const { links } = await stagedStationTownships(trx, county);
  if (links.length === 0) return 0;
  await sql`
    insert into station_townships (township_code, station_code, source, confirmed, decided_by)
    select r.township, r.station, 'file', true, ${decidedBy}
    from json_to_recordset(${JSON.stringify(links)}::json) as r(township text, station text)
    on conflict (township_code) do update set station_code = excluded.station_code, source = 'file',
      confirmed = true, drive_seconds = null, decided_by = excluded.decided_by, decided_at = now()`.execute(trx);
  return links.length;
}

// ---------------------------------------------------------------------------------------------
// Proposed by drive time

export interface ProposalStation {
  code: string;
  lon: number;
  lat: number;
}

export interface ProposalTownship {
  code: string;
  /** The township government's seat, when known: the place the station must reach. */
  seat: [number, number] | null;
  /** Its villages' centres (used when there is no seat). */
  villages: [number, number][];
}

/**
 * For each township, the station that reaches it soonest by road: the drive to its seat, or,
 * without one, the mean drive to its villages (unreachable villages left out; a township none of
 * whose places is reachable gets no station). Pure: the network and places in, proposals out.
 */
export function proposeByDriveTime(
  network: RoadNetwork,
  stations: readonly ProposalStation[],
  townships: readonly ProposalTownship[],
): Map<string, { station: string; driveSeconds: number }> {
  const targets: { township: number; point: ReturnType<typeof attachToRoad> }[] = [];
  townships.forEach((t, i) => {
    const places = t.seat ? [t.seat] : t.villages;
    for (const [lon, lat] of places) targets.push({ township: i, point: attachToRoad(network, lon, lat) });
  });
  const reachable = targets.filter((t) => t.point !== null);
  const best = new Map<string, { station: string; driveSeconds: number }>();
  for (const station of stations) {
    const from = attachToRoad(network, station.lon, station.lat);
    if (!from || reachable.length === 0) continue;
    const seconds = costsFrom(
      network,
      from,
      reachable.map((t) => t.point!),
    );
    const sum = new Float64Array(townships.length);
    const count = new Int32Array(townships.length);
    reachable.forEach((t, k) => {
      if (Number.isFinite(seconds[k]!)) {
        sum[t.township]! += seconds[k]!;
        count[t.township]!++;
      }
    });
    townships.forEach((t, i) => {
      if (count[i] === 0) return;
      const mean = sum[i]! / count[i]!;
      const current = best.get(t.code);
      if (
        !current ||
        mean < current.driveSeconds ||
        (mean === current.driveSeconds && station.code < current.station)
      ) {
        best.set(t.code, { station: station.code, driveSeconds: mean });
      }
    });
  }
  return best;
}

/**
 * Propose a station for every township of the county without a confirmed one, by drive time over
 * the county's roads, and store the proposals (unconfirmed: they change nothing until confirmed).
 * Returns the county's jurisdictions after it.
 */
export async function proposeJurisdictions(
  db: Kysely<DB>,
  countyCode: string,
  decidedBy: string,
): Promise<{ jurisdictions: Jurisdiction[]; proposed: number; problems: string[] }> {
  const stations = (
    await sql<ProposalStation>`
      select code, ST_X(geom) as lon, ST_Y(geom) as lat from police_stations where county_code = ${countyCode} order by code`.execute(
      db,
    )
  ).rows;
  const open = await sql<{ code: string; name: string; seat: string | null; villages: string | null }>`
    select t.code, t.name,
      case when t.seat is not null then ST_AsGeoJSON(t.seat) end as seat,
      coalesce((select json_agg(json_build_array(ST_X(v.centre), ST_Y(v.centre)) order by v.code)::text
        from villages v where v.township_code = t.code),
        json_build_array(json_build_array(ST_X(ST_PointOnSurface(t.geom)), ST_Y(ST_PointOnSurface(t.geom))))::text) as villages
    from townships t
    where t.county_code = ${countyCode}
      and not exists (select 1 from station_townships l where l.township_code = t.code and l.confirmed)
    order by t.code`.execute(db);
  const problems: string[] = [];
  if (stations.length === 0) problems.push('the county has no police stations: import them first');
  const edges = await loadRoadEdges(db, countyCode);
  if (edges.length === 0) problems.push('the county has no roads: import them first');
  if (problems.length > 0 || open.rows.length === 0) {
    return { jurisdictions: await listJurisdictions(db, countyCode), proposed: 0, problems };
  }
  const townships: ProposalTownship[] = open.rows.map((t) => ({
    code: t.code,
    seat: t.seat ? (JSON.parse(t.seat) as { coordinates: [number, number] }).coordinates : null,
    villages: JSON.parse(t.villages ?? '[]') as [number, number][],
  }));
  const best = proposeByDriveTime(buildRoadNetwork(edges), stations, townships);
  for (const t of open.rows) {
    if (!best.has(t.code)) problems.push(`township ${t.code} ${t.name}: no station reaches it by road`);
  }
  const rows = [...best].map(([township, p]) => ({ township, station: p.station, seconds: p.driveSeconds }));
  if (rows.length > 0) {
    await sql`
      insert into station_townships (township_code, station_code, source, confirmed, drive_seconds, decided_by)
      select r.township, r.station, 'drive_time', false, r.seconds, ${decidedBy}
      from json_to_recordset(${JSON.stringify(rows)}::json) as r(township text, station text, seconds real)
      on conflict (township_code) do update set station_code = excluded.station_code, source = 'drive_time',
        confirmed = false, drive_seconds = excluded.drive_seconds, decided_by = excluded.decided_by, decided_at = now()
      where not station_townships.confirmed`.execute(db);
  }
  return { jurisdictions: await listJurisdictions(db, countyCode), proposed: rows.length, problems };
}

/**
 * Confirm proposals (of the townships named, or all of them) and set links by hand (confirmed,
 * source `manual`). A township or station not of the county is a 400, and nothing is changed.
 */
export async function confirmJurisdictions(
  db: Kysely<DB>,
  countyCode: string,
  decidedBy: string,
  input: { townships?: readonly string[] | 'all'; links?: readonly { townshipCode: string; stationCode: string }[] },
): Promise<{ jurisdictions: Jurisdiction[]; confirmed: number; set: number }> {
  return db.transaction().execute(async (trx) => {
    const townships = new Set(
      (await trx.selectFrom('townships').select('code').where('county_code', '=', countyCode).execute()).map(
        (t) => t.code,
      ),
    );
    const stations = new Set(
      (await trx.selectFrom('police_stations').select('code').where('county_code', '=', countyCode).execute()).map(
        (s) => s.code,
      ),
    );
    const named = input.townships === 'all' || input.townships === undefined ? [] : input.townships;
    for (const code of [...named, ...(input.links ?? []).map((l) => l.townshipCode)]) {
      if (!townships.has(code))
        throw AppError.badRequest(`县 ${countyCode} 没有乡镇 ${code}（no township ${code} in county ${countyCode}）`);
    }
    for (const link of input.links ?? []) {
      if (!stations.has(link.stationCode)) {
        throw AppError.badRequest(
          `县 ${countyCode} 没有派出所 ${link.stationCode}（no station ${link.stationCode} in county ${countyCode}）`,
        );
      }
    }
    let confirmed = 0;
    if (input.townships !== undefined) {
      const result = await sql`
        update station_townships l set confirmed = true, decided_by = ${decidedBy}, decided_at = now()
        from townships t
        where t.code = l.township_code and t.county_code = ${countyCode} and not l.confirmed
          ${input.townships === 'all' ? sql`` : sql`and l.township_code in (select value from json_array_elements_text(${JSON.stringify(named)}::json))`}`.execute(
        trx,
      );
      confirmed = Number(result.numAffectedRows ?? 0);
    }
    const links = input.links ?? [];
    if (links.length > 0) {
      await sql`
        insert into station_townships (township_code, station_code, source, confirmed, decided_by)
        select r."townshipCode", r."stationCode", 'manual', true, ${decidedBy}
        from json_to_recordset(${JSON.stringify(links)}::json) as r("townshipCode" text, "stationCode" text)
        on conflict (township_code) do update set station_code = excluded.station_code, source = 'manual',
          confirmed = true, drive_seconds = null, decided_by = excluded.decided_by, decided_at = now()`.execute(trx);
    }
    return { jurisdictions: await listJurisdictions(trx, countyCode), confirmed, set: links.length };
  });
}
