import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import type { CalibratedConstants, CalibrationMetrics } from './calibration.js';
import type { ImportedTrip } from './trips-import.js';

/** A stored calibration of one county. */
export interface StoredCalibration {
  id: number;
  countyCode: string;
  constants: CalibratedConstants;
  metrics: CalibrationMetrics;
  tripCount: number;
  sourceFile: string;
  createdBy: string;
  createdAt: string;
  active: boolean;
  appliedBy: string | null;
  appliedAt: string | null;
}

interface CalibrationRow {
  id: string | number;
  county_code: string;
  constants: CalibratedConstants | string;
  metrics: CalibrationMetrics | string;
  trip_count: number;
  source_file: string;
  created_by: string;
  created_at: Date | string;
  active: boolean;
  applied_by: string | null;
  applied_at: Date | string | null;
}

const iso = (value: Date | string | null) => (value === null ? null : new Date(value).toISOString());
const json = <T>(value: T | string): T => (typeof value === 'string' ? (JSON.parse(value) as T) : value);

function fromRow(row: CalibrationRow): StoredCalibration {
  return {
    id: Number(row.id),
    countyCode: row.county_code,
    constants: json(row.constants),
    metrics: json(row.metrics),
    tripCount: row.trip_count,
    sourceFile: row.source_file,
    createdBy: row.created_by,
    createdAt: iso(row.created_at)!,
    active: row.active,
    appliedBy: row.applied_by,
    appliedAt: iso(row.applied_at),
  };
}

/** Store imported trips of a county (one insert per 500 rows). */
export async function insertObservedTrips(
  db: Kysely<DB>,
  countyCode: string,
  trips: readonly ImportedTrip[],
  source: { fileName: string; importedBy: string },
): Promise<void> {
  for (let i = 0; i < trips.length; i += 500) {
    await sql`insert into observed_trips (county_code, from_label, to_label, from_lon, from_lat, to_lon, to_lat,
                observed_seconds, source_file, source_row, imported_by)
              values ${sql.join(
                trips.slice(i, i + 500).map(
                  (t) =>
                    sql`(${countyCode}, ${t.fromLabel}, ${t.toLabel}, ${t.fromLon}, ${t.fromLat}, ${t.toLon}, ${t.toLat},
                           ${t.observedSeconds}, ${source.fileName}, ${t.row}, ${source.importedBy})`,
                ),
              )}`.execute(db);
  }
}

/** How many observed trips a county has stored. */
export async function countObservedTrips(db: Kysely<DB>, countyCode: string): Promise<number> {
  const result = await sql<{ n: string | number }>`
    select count(*) as n from observed_trips where county_code = ${countyCode}`.execute(db);
  return Number(result.rows[0]!.n);
}

/** Store a calibration (not active); its id. */
export async function insertCalibration(
  db: Kysely<DB>,
  calibration: Pick<
    StoredCalibration,
    'countyCode' | 'constants' | 'metrics' | 'tripCount' | 'sourceFile' | 'createdBy'
  >,
): Promise<number> {
  const result = await sql<{ id: string | number }>`
    insert into speed_calibrations (county_code, constants, metrics, trip_count, source_file, created_by)
    values (${calibration.countyCode}, ${JSON.stringify(calibration.constants)}::jsonb,
            ${JSON.stringify(calibration.metrics)}::jsonb, ${calibration.tripCount}, ${calibration.sourceFile},
            ${calibration.createdBy})
    returning id`.execute(db);
  return Number(result.rows[0]!.id);
}

/** Every calibration of a county, newest first. */
export async function listCalibrations(db: Kysely<DB>, countyCode: string): Promise<StoredCalibration[]> {
  const result = await sql<CalibrationRow>`
    select * from speed_calibrations where county_code = ${countyCode} order by id desc`.execute(db);
  return result.rows.map(fromRow);
}

/** One calibration, or null. */
export async function readCalibration(db: Kysely<DB>, id: number): Promise<StoredCalibration | null> {
  const result = await sql<CalibrationRow>`select * from speed_calibrations where id = ${id}`.execute(db);
  return result.rows[0] ? fromRow(result.rows[0]) : null;
}

/** The active calibration of every county that has one, by county code. */
export async function activeCalibrations(db: Kysely<DB>): Promise<Map<string, StoredCalibration>> {
  const result = await sql<CalibrationRow>`select * from speed_calibrations where active`.execute(db);
  return new Map(result.rows.map((row) => [row.county_code, fromRow(row)]));
}

/**
 * Make `id` the county's active calibration, or none (`null`: the default constants). Run it in a
 * transaction: the county has one active calibration or none at every moment.
 */
export async function activateCalibration(
  db: Kysely<DB>,
  countyCode: string,
  id: number | null,
  appliedBy: string,
): Promise<void> {
  await sql`update speed_calibrations set active = false where county_code = ${countyCode} and active`.execute(db);
  if (id !== null) {
    await sql`update speed_calibrations set active = true, applied_by = ${appliedBy}, applied_at = now()
              where id = ${id} and county_code = ${countyCode}`.execute(db);
  }
}
