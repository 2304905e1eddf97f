import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, openTestDatabase } from '../../test/backends.js';
import { loginOverHttp, startTestServer, TEST_PASSWORD, type TestServer } from '../../test/http.js';
import type { CommandIO } from '../cli/command.js';
import type { Database } from '../db/database.js';
import type { AuditPage, SessionInfo, UserAccount } from './api-types.js';
import { PASSWORD_ENV, userCommand } from './cli.js';
import { ensureDemoAccounts } from './demo.js';
import { findUserByUsername } from './store.js';
import { hashSessionToken } from './tokens.js';

const quietIO = (): CommandIO & { lines: string[] } => {
  const lines: string[] = [];
  return { json: false, lines, say: (l) => lines.push(l), progress: () => {}, result: () => {} };
};

describe.each(BACKENDS)('accounts, sessions and the audit log on %s', (kind) => {
  let database: Database;
  let server: TestServer;
  const login = (username: string, password: string) =>
    fetch(`${server.baseUrl}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password }),
    });
  const settings = async () =>
    (
      await sql<{ v: string }>`select coalesce(string_agg(t::text, ';' order by county_code), '') as v
      from policing_settings t`.execute(database.db)
    ).rows[0]!.v;
  const audit = async (query = '') => (await server.api<AuditPage>(`/api/audit?${query}`)).body.entries;

  beforeAll(async () => {
    database = await openTestDatabase(kind, { withCounty: true });
    server = await startTestServer(database);
  });
  afterAll(async () => {
    await server?.close();
    await database?.close();
  });

  it('logs in with HttpOnly, SameSite=Strict cookies and stores only the token hash', async () => {
    await server.login('leader');
    const response = await login('test-leader', TEST_PASSWORD);
    expect(response.status).toBe(200);
    const info = (await response.json()) as SessionInfo;
    expect(info.user).toMatchObject({ username: 'test-leader', role: 'leader', townships: null });
    const cookies = response.headers.getSetCookie();
    const session = cookies.find((c) => c.startsWith('sw_session='))!;
    const csrf = cookies.find((c) => c.startsWith('sw_csrf='))!;
    expect(session).toMatch(/HttpOnly/i);
    expect(session).toMatch(/SameSite=Strict/i);
    expect(csrf).not.toMatch(/HttpOnly/i);
    expect(decodeURIComponent(csrf.split(';')[0]!.split('=')[1]!)).toBe(info.csrfToken);
    const token = session.split(';')[0]!.split('=')[1]!;
    const stored = await sql<{
      n: number;
    }>`select count(*)::int as n from sessions where token_hash = ${token}`.execute(database.db);
    expect(stored.rows[0]!.n).toBe(0);
    const me = await fetch(`${server.baseUrl}/api/auth/me`, { headers: { cookie: session.split(';')[0]! } });
    expect(((await me.json()) as SessionInfo).user.username).toBe('test-leader');
  });

  it('refuses a wrong password with one message for unknown users and wrong passwords, and logs it', async () => {
    const wrong = await login('test-leader', 'not-the-password');
    const unknown = await login('nobody-here', 'not-the-password');
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(((await wrong.json()) as { error: { message: string } }).error.message).toBe(
      ((await unknown.json()) as { error: { message: string } }).error.message,
    );
    const failed = await audit('action=auth.login_failed');
    expect(failed.map((e) => e.username)).toEqual(expect.arrayContaining(['test-leader', 'nobody-here']));
  });

  it('throttles guessing: the sixth try in a minute gets 429 with Retry-After, even with the right password', async () => {
    await server.login('commander', { username: 'guessed' });
    for (let i = 0; i < 5; i++) expect((await login('guessed', `wrong-${i}`)).status).toBe(401);
    const blocked = await login('guessed', TEST_PASSWORD);
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await blocked.json()) as { error: { code: string } }).error.code).toBe('rate_limited');
    const [refusal] = await audit('action=POST /api/auth/login');
    expect(refusal).toMatchObject({ username: '(anonymous)', status: 429, target: 'username guessed' });
    expect(refusal!.details).toMatchObject({ code: 'rate_limited' });
  });

  it('logs refusals (role, CSRF, stale edit) with who, route, status and code; anonymous 401s get no row each', async () => {
    const leader = await server.login('leader');
    expect((await leader.fetch('/api/grids/plans/1/households.csv')).status).toBe(403);
    const commander = await server.login('commander');
    const bare = await fetch(`${server.baseUrl}/api/policing/settings`, {
      method: 'PUT',
      headers: { cookie: commander.cookie, 'content-type': 'application/json' },
      body: JSON.stringify({ maxDriveMinutes: 40 }),
    });
    expect(bare.status).toBe(403);
    const plan = (await sql<{ id: number }>`select id from grid_plans where status = 'active'`.execute(database.db))
      .rows[0]!;
    const stale = await server.api(`/api/grids/plans/${plan.id}/edits`, {
      method: 'POST',
      json: { baseRevision: 0, action: 'undo' },
    });
    expect(stale.status).toBe(409);
    const [role] = await audit('username=test-leader&action=households.csv');
    expect(role).toMatchObject({
      role: 'leader',
      action: 'GET /api/grids/plans/:id/households.csv',
      target: '{"id":"1"}',
      status: 403,
    });
    expect(role!.details).toMatchObject({ code: 'forbidden' });
    const [csrf] = await audit('username=test-commander&action=PUT /api/policing/settings');
    expect(csrf).toMatchObject({ status: 403, ip: expect.any(String) });
    expect(csrf!.details).toMatchObject({ code: 'csrf_failed' });
    const [conflict] = await audit('username=test-admin&action=/edits');
    expect(conflict).toMatchObject({ status: 409, target: `grid plan ${plan.id}` });
    expect(conflict!.details).toMatchObject({ code: 'conflict', request: { baseRevision: 0, action: 'undo' } });
    const rows = async () =>
      (
        await sql<{ n: number }>`select count(*)::int as n from audit_log where status = 401
          and action <> 'auth.login_failed'`.execute(database.db)
      ).rows[0]!.n;
    const before = await rows();
    for (let i = 0; i < 30; i++) expect((await fetch(`${server.baseUrl}/api/grids/plans`)).status).toBe(401);
    expect(await rows()).toBe(before);
  });

  it('refuses a change without the CSRF header, or with another session’s, and changes nothing', async () => {
    const commander = await server.login('commander');
    const before = await settings();
    const body = JSON.stringify({ maxDriveMinutes: 45, maxBusWalkMetres: 800 });
    const headers = { cookie: commander.cookie, 'content-type': 'application/json' };
    const bare = await fetch(`${server.baseUrl}/api/policing/settings`, { method: 'PUT', headers, body });
    expect(bare.status).toBe(403);
    expect(((await bare.json()) as { error: { code: string } }).error.code).toBe('csrf_failed');
    const admin = await server.login('admin');
    const foreign = await fetch(`${server.baseUrl}/api/policing/settings`, {
      method: 'PUT',
      headers: { ...headers, 'x-csrf-token': admin.csrfToken },
      body,
    });
    expect(foreign.status).toBe(403);
    expect(await settings()).toBe(before);
    const good = await commander.fetch('/api/policing/settings', { method: 'PUT', json: JSON.parse(body) as object });
    expect(good.status).toBe(200);
    expect(await settings()).not.toBe(before);
    const [entry] = await audit('action=PUT /api/policing/settings');
    expect(entry).toMatchObject({ username: 'test-commander', role: 'commander', status: 200 });
    expect(entry!.after).toEqual({ maxDriveMinutes: 45, maxBusWalkMetres: 800 });
  });

  it('ends a session at logout and after 8 idle hours', async () => {
    await server.login('planner');
    const session = await loginOverHttp(server.baseUrl, 'test-planner', TEST_PASSWORD);
    expect((await session.fetch('/api/auth/me')).status).toBe(200);
    expect((await session.fetch('/api/auth/logout', { method: 'POST' })).status).toBe(204);
    expect((await session.fetch('/api/auth/me')).status).toBe(401);
    expect((await session.fetch('/api/grids/plans')).status).toBe(401);
    const idle = await loginOverHttp(server.baseUrl, 'test-planner', TEST_PASSWORD);
    const token = /sw_session=([^;]+)/.exec(idle.cookie)![1]!;
    await sql`update sessions set last_seen = now() - interval '9 hours'
      where token_hash = ${hashSessionToken(token)}`.execute(database.db);
    const expired = await idle.fetch('/api/auth/me');
    expect(expired.status).toBe(401);
    // A session nobody uses again is swept at the next login, whoever logs in.
    const forgotten = await loginOverHttp(server.baseUrl, 'test-planner', TEST_PASSWORD);
    const forgottenHash = hashSessionToken(/sw_session=([^;]+)/.exec(forgotten.cookie)![1]!);
    await sql`update sessions set created_at = now() - interval '8 days', last_seen = now()
      where token_hash = ${forgottenHash}`.execute(database.db);
    await loginOverHttp(server.baseUrl, 'test-planner', TEST_PASSWORD);
    const left = await sql<{ n: number }>`select count(*)::int as n from sessions
      where token_hash = ${forgottenHash}`.execute(database.db);
    expect(left.rows[0]!.n).toBe(0);
  });

  it('lets an admin create, change and disable accounts, each in the log with before and after', async () => {
    const weak = await server.api('/api/auth/users', {
      method: 'POST',
      json: { username: 'weak', role: 'leader', password: 'short' },
    });
    expect(weak.status).toBe(400);
    const created = await server.api<UserAccount>('/api/auth/users', {
      method: 'POST',
      json: { username: 'wang.wei', displayName: '王伟', role: 'planner', townships: [], password: 'Mountain-road-42' },
    });
    expect(created.status).toBe(400); // an empty township list is refused
    const planner = await server.api<UserAccount>('/api/auth/users', {
      method: 'POST',
      json: { username: 'wang.wei', displayName: '王伟', role: 'planner', password: 'Mountain-road-42' },
    });
    expect(planner.status).toBe(201);
    expect(
      (
        await server.api('/api/auth/users', {
          method: 'POST',
          json: { username: 'wang.wei', role: 'leader', password: 'Mountain-road-42' },
        })
      ).status,
    ).toBe(409);
    const session = await loginOverHttp(server.baseUrl, 'wang.wei', 'Mountain-road-42');
    expect((await session.fetch('/api/grids/plans')).status).toBe(200);
    const disabled = await server.api<UserAccount>(`/api/auth/users/${planner.body.id}`, {
      method: 'PATCH',
      json: { disabled: true },
    });
    expect(disabled.body.disabled).toBe(true);
    expect((await session.fetch('/api/grids/plans')).status).toBe(401);
    expect((await login('wang.wei', 'Mountain-road-42')).status).toBe(401);
    const [change] = await audit('action=PATCH /api/auth/users');
    expect(change).toMatchObject({ username: 'test-admin', target: `user ${planner.body.id}` });
    expect(change!.before).toMatchObject({ username: 'wang.wei', disabled: false });
    expect(change!.after).toMatchObject({ username: 'wang.wei', disabled: true });
    const [creation] = await audit('action=POST /api/auth/users');
    expect(JSON.stringify(creation)).not.toContain('Mountain-road-42');
    expect((await server.api('/api/audit', { as: 'planner' })).status).toBe(403);
  });

  it('keeps a planner of some townships to their grids, in one transaction', async () => {
    const pair = (
      await sql<{ township: string; unit: number; to: number; other: string }>`
        select ua.township_code as township, ua.id as unit, pb.grid_id as to,
          (select min(code) from townships where code <> ua.township_code) as other
        from grid_plans p
        join grid_unit_links l on true
        join grid_units ua on ua.township_code = l.township_code and ua.unit_index = l.a
        join grid_units ub on ub.township_code = l.township_code and ub.unit_index = l.b
        join grid_plan_units pa on pa.plan_id = p.id and pa.unit_id = ua.id
        join grid_plan_units pb on pb.plan_id = p.id and pb.unit_id = ub.id
        where p.status = 'active' and pa.grid_id <> pb.grid_id
        order by ua.id limit 1`.execute(database.db)
    ).rows[0]!;
    const plan = (
      await sql<{ id: number; revision: number }>`select id, revision from grid_plans where status = 'active'`.execute(
        database.db,
      )
    ).rows[0]!;
    const move = { baseRevision: plan.revision, action: 'move', unitIds: [pair.unit], toGrid: pair.to };
    const outsider = await server.login('planner', { username: 'far-planner', townships: [pair.other] });
    const refused = await outsider.fetch(`/api/grids/plans/${plan.id}/edits`, { method: 'POST', json: move });
    expect(refused.status).toBe(403);
    const after = await sql<{ revision: number }>`select revision from grid_plans where id = ${plan.id}`.execute(
      database.db,
    );
    expect(after.rows[0]!.revision).toBe(plan.revision);
    expect((await outsider.fetch('/api/grids/plans', { method: 'POST', json: { name: 'x' } })).status).toBe(403);
    const local = await server.login('planner', { username: 'local-planner', townships: [pair.township] });
    const accepted = await local.fetch(`/api/grids/plans/${plan.id}/edits`, { method: 'POST', json: move });
    expect(accepted.status).toBe(200);
    const revision = await sql<{ author: string }>`
      select author from grid_plan_revisions where plan_id = ${plan.id} order by revision desc limit 1`.execute(
      database.db,
    );
    expect(revision.rows[0]!.author).toBe('local-planner');
    const [entry] = await audit('username=local-planner');
    expect(entry).toMatchObject({ action: 'POST /api/grids/plans/:id/edits', target: `grid plan ${plan.id}` });
    expect(entry!.after).toMatchObject({ revision: plan.revision + 1 });
    // The grids before and after: the target grid gained the unit.
    type Trail = { grids: Record<string, { name: string; unitCount?: number; households?: number }> };
    const gained = (entry!.after as Trail).grids[pair.to]!;
    const had = (entry!.before as Trail).grids[pair.to]!;
    expect(gained.name).toBe(had.name);
    expect(gained.unitCount).toBe(had.unitCount! + 1);
    const [refusal] = await audit('username=far-planner&action=/edits');
    expect(refusal).toMatchObject({ status: 403, target: `grid plan ${plan.id}` });
    expect(refusal!.details).toMatchObject({ code: 'forbidden', request: move });
  });

  it('logs what a grid edit changed from and to, and the id of a created plan or holiday', async () => {
    const plan = (
      await sql<{ id: number; revision: number }>`select id, revision from grid_plans where status = 'active'`.execute(
        database.db,
      )
    ).rows[0]!;
    const grid = (
      await sql<{ id: number; name: string; worker: string | null }>`select grid_id as id, name, worker_name as worker
        from grid_plan_grids where plan_id = ${plan.id} order by grid_id limit 1`.execute(database.db)
    ).rows[0]!;
    const edited = await server.api(`/api/grids/plans/${plan.id}/edits`, {
      method: 'POST',
      json: {
        baseRevision: plan.revision,
        action: 'attributes',
        grid: grid.id,
        attributes: { name: '审计测试网格', workerName: '赵六', workerPhone: '13900000000' },
      },
    });
    expect(edited.status).toBe(200);
    const [entry] = await audit('username=test-admin&action=/edits');
    expect(entry).toMatchObject({ status: 200, target: `grid plan ${plan.id}` });
    expect(entry!.before).toMatchObject({ grids: { [grid.id]: { name: grid.name, workerName: grid.worker } } });
    expect(entry!.after).toMatchObject({ grids: { [grid.id]: { name: '审计测试网格', workerName: '赵六' } } });
    expect(JSON.stringify(entry)).not.toContain('13900000000');
    const copy = await server.api<{ id: number }>('/api/grids/plans', {
      method: 'POST',
      json: { name: '审计副本', copyOf: plan.id },
    });
    expect(copy.status).toBe(201);
    const [created] = await audit('username=test-admin&action=POST /api/grids/plans');
    expect(created).toMatchObject({ action: 'POST /api/grids/plans', target: `grid plan ${copy.body.id}` });
    const commander = await server.login('commander');
    const holiday = await commander.fetch('/api/holidays', {
      method: 'POST',
      json: { name: '审计节日', firstDay: '2026-10-01', days: 2 },
    });
    expect(holiday.status).toBe(201);
    const { id } = (await holiday.json()) as { id: number };
    const [made] = await audit('username=test-commander&action=POST /api/holidays');
    expect(made).toMatchObject({ status: 201, target: `holiday ${id}` });
  });

  it('changes a password only with the current one, ending other sessions', async () => {
    await server.login('leader', { username: 'li.na' });
    const other = await loginOverHttp(server.baseUrl, 'li.na', TEST_PASSWORD);
    const session = await loginOverHttp(server.baseUrl, 'li.na', TEST_PASSWORD);
    const wrong = await session.fetch('/api/auth/password', {
      method: 'POST',
      json: { currentPassword: 'nope', newPassword: 'Another-long-one-7' },
    });
    expect(wrong.status).toBe(400);
    const changed = await session.fetch('/api/auth/password', {
      method: 'POST',
      json: { currentPassword: TEST_PASSWORD, newPassword: 'Another-long-one-7' },
    });
    expect(changed.status).toBe(204);
    expect((await other.fetch('/api/auth/me')).status).toBe(401);
    expect((await login('li.na', 'Another-long-one-7')).status).toBe(200);
  });

  it('throttles guessing the current password: the sixth try in a minute gets 429 with Retry-After', async () => {
    await server.login('leader', { username: 'zhao.min' });
    const session = await loginOverHttp(server.baseUrl, 'zhao.min', TEST_PASSWORD);
    const change = (currentPassword: string) =>
      session.fetch('/api/auth/password', {
        method: 'POST',
        json: { currentPassword, newPassword: 'Guessed-never-42' },
      });
    for (let i = 0; i < 5; i++) expect((await change(`wrong-${i}`)).status).toBe(400);
    const blocked = await change(TEST_PASSWORD);
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await blocked.json()) as { error: { code: string } }).error.code).toBe('rate_limited');
    expect((await login('zhao.min', TEST_PASSWORD)).status).toBe(200);
    const [refusal] = await audit('username=zhao.min&action=POST /api/auth/password');
    expect(refusal).toMatchObject({ status: 429 });
    expect(refusal!.details).toMatchObject({ code: 'rate_limited' });
  });

  it('refuses an oversized login body with 413', async () => {
    const response = await fetch(`${server.baseUrl}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'x', password: 'y'.repeat(20_000) }),
    });
    expect(response.status).toBe(413);
  });

  it('adds an account from the command line, the password from the environment and never from a flag', async () => {
    const io = quietIO();
    const saved = process.env[PASSWORD_ENV];
    process.env[PASSWORD_ENV] = 'Cli-made-admin-9';
    try {
      await userCommand.run({ args: ['add', '--username', 'Chen', '--role', 'admin'], io, database });
      await expect(
        userCommand.run({ args: ['add', '--username', 'x', '--role', 'admin', '--password', 'p'], io, database }),
      ).rejects.toThrow(/never give a password as a flag/i);
    } finally {
      if (saved === undefined) delete process.env[PASSWORD_ENV];
      else process.env[PASSWORD_ENV] = saved;
    }
    expect((await findUserByUsername(database.db, 'chen'))?.role).toBe('admin');
    expect((await login('chen', 'Cli-made-admin-9')).status).toBe(200);
  });
});

describe.each(BACKENDS)('the demo accounts on %s', (kind) => {
  it('are made once, on a database without accounts, with passwords that log in', async () => {
    const database = await openTestDatabase(kind);
    const server = await startTestServer(database);
    try {
      const accounts = await ensureDemoAccounts(database.db);
      expect(accounts.map((a) => a.role)).toEqual(['admin', 'planner', 'commander', 'leader']);
      expect(await ensureDemoAccounts(database.db)).toEqual([]);
      for (const account of accounts) {
        const session = await loginOverHttp(server.baseUrl, account.username, account.password);
        expect(session.info.user.role).toBe(account.role);
      }
    } finally {
      await server.close();
      await database.close();
    }
  });
});
