import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import type { Role } from '../http/route.js';
import { writeAudit } from './audit.js';
import { countUsers, createUser } from './store.js';

/** The demo's accounts: one per role. */
export const DEMO_ACCOUNTS: readonly { username: string; displayName: string; role: Role }[] = [
  { username: 'admin', displayName: '系统管理员', role: 'admin' },
  { username: 'planner', displayName: '网格规划员', role: 'planner' },
  { username: 'commander', displayName: '公安指挥员', role: 'commander' },
  { username: 'leader', displayName: '县领导', role: 'leader' },
];

/** A random password that passes the rules: `Sw-` and 3 groups of 5 base32 characters (75 bits). */
export function demoPassword(): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyz23456789';
  const bytes = randomBytes(15);
  const chars = Array.from(bytes, (b) => alphabet[b % alphabet.length]!);
  return `Sw-${chars.slice(0, 5).join('')}-${chars.slice(5, 10).join('')}-${chars.slice(10).join('')}`;
}

/**
 * Create the demo accounts with random passwords when the database has no account at all, and
 * return them (to be printed once: only their hashes are kept). Returns [] when accounts exist.
 */
export async function ensureDemoAccounts(
  db: Kysely<DB>,
): Promise<{ username: string; role: Role; password: string }[]> {
  if ((await countUsers(db)) > 0) return [];
  const created = [];
  for (const account of DEMO_ACCOUNTS) {
    const password = demoPassword();
    const row = await createUser(db, { ...account, password });
    await writeAudit(
      db,
      { id: null, username: 'system', role: null },
      {
        action: 'demo.accounts',
        target: `user ${row.id}`,
        status: 201,
        after: { username: row.username, role: row.role },
      },
    );
    created.push({ username: account.username, role: account.role, password });
  }
  return created;
}

/** The lines that show the demo accounts at the first start. */
export function demoAccountsBanner(accounts: readonly { username: string; role: Role; password: string }[]): string {
  const rows = accounts.map((a) => `  ${a.username.padEnd(10)} ${a.password}   (${a.role})`);
  return [
    '',
    '演示账号（只显示这一次，请记下）/ Demo accounts (shown this once: write them down):',
    ...rows,
    '忘记密码 / forgot one: npm run cli -- user password --username admin',
    '',
  ].join('\n');
}
