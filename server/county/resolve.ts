import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import { AppError } from '../http/errors.js';

/** The county asked for (404 when it is not loaded), or the first one loaded; 409 while none is loaded. */
export async function resolveCounty(db: Kysely<DB>, code: string | undefined): Promise<string> {
  if (code) {
    const found = await sql<{ code: string }>`select code from counties where code = ${code}`.execute(db);
    if (!found.rows[0]) throw AppError.notFound(`没有代码为 ${code} 的县（no county ${code} is loaded）`);
    return code;
  }
  const first = await sql<{ code: string }>`select code from counties order by code limit 1`.execute(db);
  if (!first.rows[0]) throw new AppError(409, 'conflict', '县数据尚未载入（No county is loaded yet）');
  return first.rows[0].code;
}
