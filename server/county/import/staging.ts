/**
 * The staging table: every feature of the file, one row each, in a temporary table that lives only
 * as long as the import's transaction. The checks and the final writes are set-based SQL over it,
 * so a file of 100 000 households costs a few dozen statements, not one per feature.
 */
import { sql, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { StagedRow } from './layers.js';

export const STAGING = sql.table('import_staging');

// The attribute columns, shared by every layer (a layer fills the ones it has).
const COLUMNS = [
  ['code', 'text'],
  ['source_id', 'text'],
  ['name', 'text'],
  ['kind', 'text'],
  ['centre_lon', 'double precision'],
  ['centre_lat', 'double precision'],
  ['township_ref', 'text'],
  ['village_ref', 'text'],
  ['station_ref', 'text'],
  ['address', 'text'],
  ['persons', 'integer'],
  ['aged_70_plus', 'integer'],
  ['disabled', 'integer'],
  ['left_behind', 'integer'],
  ['low_income', 'integer'],
  ['needs_assistance', 'integer'],
  ['officers', 'integer'],
  ['war_zone', 'text'],
  ['department', 'text'],
  ['qualifications', 'text'],
  ['lines', 'text'],
  ['road_class', 'text'],
  ['speed_kmh', 'double precision'],
  ['category', 'text'],
  ['subcategory', 'text'],
  ['occurred_at', 'timestamptz'],
] as const;

const columnNames = COLUMNS.map(([name]) => name).join(', ');
const columnDefinitions = COLUMNS.map(([name, type]) => `${name} ${type}`).join(', ');

/** Create the staging table for this transaction (dropped at commit or rollback). */
export async function createStaging(trx: Transaction<DB>): Promise<void> {
  await sql`
    create temporary table ${STAGING} (
      idx integer primary key,
      ${sql.raw(columnDefinitions)},
      -- codes the references resolve to (township, village, police station)
      township_code text,
      village_code text,
      station_code text,
      -- households placed by their village (place-households.ts), not given coordinates
      estimated boolean not null default false,
      geom geometry
    ) on commit drop`.execute(trx);
}

// A batch is sent as one JSON document; both limits keep a statement's parameter modest.
const BATCH_ROWS = 5000;
const BATCH_CHARS = 8_000_000;

/** Insert the rows in batches, each one JSON parameter unpacked by json_to_recordset. */
export async function fillStaging(
  trx: Transaction<DB>,
  rows: readonly StagedRow[],
  onBatch: (done: number) => void,
): Promise<void> {
  let batch: string[] = [];
  let chars = 0;
  let done = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    await sql`
      insert into ${STAGING} (idx, ${sql.raw(columnNames)}, geom)
      select r.idx, ${sql.raw(COLUMNS.map(([name]) => `r.${name}`).join(', '))},
        case
          when r.geometry is not null then ST_SetSRID(ST_GeomFromGeoJSON(r.geometry::text), 4326)
          when r.lon is not null then ST_SetSRID(ST_MakePoint(r.lon, r.lat), 4326)
        end
      from json_to_recordset(${`[${batch.join(',')}]`}::json)
        as r(idx integer, ${sql.raw(columnDefinitions)}, lon double precision, lat double precision, geometry json)`.execute(
      trx,
    );
    done += batch.length;
    batch = [];
    chars = 0;
    onBatch(done);
  };
  for (const row of rows) {
    const json = JSON.stringify(row);
    batch.push(json);
    chars += json.length;
    if (batch.length >= BATCH_ROWS || chars >= BATCH_CHARS) await flush();
  }
  await flush();
  // Temporary tables are never analysed automatically; the checks join it with large tables.
  await sql`analyze ${STAGING}`.execute(trx);
}
