import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import { AppError } from '../http/errors.js';
import { DEFAULT_NO_TRIP_SETTINGS, type NoTripSettings } from './no-trip.js';

/** The no-trip rules of a county (the defaults until a commander changes them). */
export async function readNoTripSettings(db: Kysely<DB>, countyCode: string): Promise<NoTripSettings> {
  const row = await db
    .selectFrom('policing_settings')
    .select(['max_drive_minutes', 'max_bus_walk_metres'])
    .where('county_code', '=', countyCode)
    .executeTakeFirst();
  return row
    ? { maxDriveMinutes: row.max_drive_minutes, maxBusWalkMetres: row.max_bus_walk_metres }
    : { ...DEFAULT_NO_TRIP_SETTINGS };
}

/** Change the no-trip rules of a county. */
export async function writeNoTripSettings(
  db: Kysely<DB>,
  countyCode: string,
  settings: NoTripSettings,
  by: string,
): Promise<void> {
  const county = await db.selectFrom('counties').select('code').where('code', '=', countyCode).executeTakeFirst();
  if (!county) throw new AppError(404, 'not_found', `没有县 ${countyCode}（No county ${countyCode}）`);
  await db
    .insertInto('policing_settings')
    .values({
      county_code: countyCode,
      max_drive_minutes: settings.maxDriveMinutes,
      max_bus_walk_metres: settings.maxBusWalkMetres,
      updated_by: by,
    })
    .onConflict((oc) =>
      oc.column('county_code').doUpdateSet({
        max_drive_minutes: settings.maxDriveMinutes,
        max_bus_walk_metres: settings.maxBusWalkMetres,
        updated_by: by,
        updated_at: sql`now()`,
      }),
    )
    .execute();
}

export interface Designation {
  villageCode: string;
  reason: string;
  designatedBy: string;
  designatedAt: string;
}

/** Every hand designation, by village code. */
export async function readDesignations(db: Kysely<DB>): Promise<Map<string, Designation>> {
  const rows = await sql<Designation>`
    select village_code as "villageCode", reason, designated_by as "designatedBy",
           to_char(designated_at at time zone 'Asia/Shanghai', 'YYYY-MM-DD"T"HH24:MI:SS"+08:00"') as "designatedAt"
    from no_trip_designations order by village_code`.execute(db);
  return new Map(rows.rows.map((row) => [row.villageCode, row]));
}

/** Designate a village no-trip by hand (or change the reason). */
export async function designateVillage(db: Kysely<DB>, villageCode: string, reason: string, by: string): Promise<void> {
  await requireVillage(db, villageCode);
  await db
    .insertInto('no_trip_designations')
    .values({ village_code: villageCode, reason, designated_by: by })
    .onConflict((oc) => oc.column('village_code').doUpdateSet({ reason, designated_by: by, designated_at: sql`now()` }))
    .execute();
}

/** Take a hand designation back; false when there was none. */
export async function removeDesignation(db: Kysely<DB>, villageCode: string): Promise<boolean> {
  await requireVillage(db, villageCode);
  const result = await db.deleteFrom('no_trip_designations').where('village_code', '=', villageCode).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

async function requireVillage(db: Kysely<DB>, villageCode: string): Promise<void> {
  const village = await db.selectFrom('villages').select('code').where('code', '=', villageCode).executeTakeFirst();
  if (!village) throw new AppError(404, 'not_found', `没有村 ${villageCode}（No village ${villageCode}）`);
}
