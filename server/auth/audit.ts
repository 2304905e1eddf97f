import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import type { AuditEntry, AuditPage } from './api-types.js';
import { maskPersonal, type JsonValue } from './audit-diff.js';

type Db = Kysely<DB>;

/** Who did it, as the log records it (null: nobody logged in, e.g. a failed login). */
export interface AuditActor {
  id: number | null;
  username: string;
  role: string | null;
}

/** One change to record. `before` / `after` are masked (personal fields) and size-capped when written. */
export interface AuditRecord {
  action: string;
  target?: string | null;
  status: number;
  ip?: string | null;
  before?: unknown;
  after?: unknown;
  details?: unknown;
}

/** Largest JSON kept per field; a bigger value is replaced by its size (imports carry whole files). */
export const AUDIT_VALUE_MAX_CHARS = 64 * 1024;

/** A value as the log keeps it: personal fields masked, too-large values summarised. */
export function auditValue(value: unknown): JsonValue | null {
  if (value === undefined || value === null) return null;
  const masked = maskPersonal(value);
  const text = JSON.stringify(masked);
  if (text.length <= AUDIT_VALUE_MAX_CHARS) return masked;
  return { truncated: true, chars: text.length };
}

/** Append one entry to the audit log. */
export async function writeAudit(db: Db, actor: AuditActor, record: AuditRecord): Promise<void> {
  const json = (value: unknown) => {
    const kept = auditValue(value);
    return kept === null ? null : JSON.stringify(kept);
  };
  await db
    .insertInto('audit_log')
    .values({
      user_id: actor.id,
      username: actor.username,
      role: actor.role,
      action: record.action,
      target: record.target ?? null,
      status: record.status,
      ip: record.ip ?? null,
      before: json(record.before),
      after: json(record.after),
      details: json(record.details),
    })
    .execute();
}

export interface AuditQuery {
  limit: number;
  /** Entries older than this id (paging backwards from the newest). */
  before?: number | undefined;
  username?: string | undefined;
  /** Matches anywhere in the action, without case. */
  action?: string | undefined;
}

/** The newest entries first, a page at a time. */
export async function readAudit(db: Db, query: AuditQuery): Promise<AuditPage> {
  let select = db.selectFrom('audit_log').selectAll();
  if (query.before !== undefined) select = select.where('id', '<', query.before);
  if (query.username) select = select.where('username', '=', query.username);
  if (query.action) select = select.where('action', 'ilike', `%${query.action.replace(/[\\%_]/g, '\\$&')}%`);
  const rows = await select
    .orderBy('id', 'desc')
    .limit(query.limit + 1)
    .execute();
  const page = rows.slice(0, query.limit);
  const entries: AuditEntry[] = page.map((row) => ({
    id: row.id,
    at: row.at.toISOString(),
    username: row.username,
    role: row.role,
    action: row.action,
    target: row.target,
    status: row.status,
    ip: row.ip,
    before: row.before ?? null,
    after: row.after ?? null,
    details: row.details ?? null,
  }));
  return { entries, nextBefore: rows.length > query.limit ? page[page.length - 1]!.id : null };
}
