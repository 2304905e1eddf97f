import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import { AppError } from '../http/errors.js';

/** The county asked for, or the first one loaded; 409 while none is loaded. */
export async function resolveCounty(db: Kysely<DB>, code: string | undefined): Promise<string> {
  if (code) return code;
  const first = await sql<{ code: string }>`select code from counties order by code limit 1`.execute(db);
  if (!first.rows[0]) throw new AppError(409, 'conflict', '县数据尚未载入（No county is loaded yet）');
  return first.rows[0].code;
}
