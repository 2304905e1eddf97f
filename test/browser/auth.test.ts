import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditPage, UserAccount } from '../../server/auth/api-types.js';
import type { Role } from '../../server/http/route.js';
import {
  browserAvailable,
  foreignRequests,
  logInThroughScreen,
  openAnonymousApp,
  waitForApp,
  type AppSession,
} from '../browser.js';
import { createTestUser, TEST_PASSWORD } from '../http.js';

/** The workspaces the header offers, in order. */
const tabs = (page: Page) =>
  page.$$eval('.topbar nav a[data-workspace]', (links) => links.map((a) => a.getAttribute('data-workspace')));

/** A new page (own cookies) logged in through the login screen as the test user of a role. */
async function loggedIn(app: AppSession, role: Role): Promise<Page> {
  const user = await createTestUser(app.database, role);
  const page = await app.newPage();
  page.on('dialog', (dialog) => void dialog.accept());
  await page.goto(`${app.server.baseUrl}/`);
  await logInThroughScreen(page, user.username, user.password);
  await waitForApp(page);
  return page;
}

const status = (page: Page, path: string) => page.evaluate(async (url) => (await fetch(url)).status, path);

// Each login draws the county's map on PGlite: minutes on a busy machine.
describe.skipIf(!browserAvailable())('accounts in Chromium: login, roles, admin screen', { timeout: 300_000 }, () => {
  let app: AppSession;

  beforeAll(async () => {
    app = await openAnonymousApp({ withCounty: true });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('shows the login screen on a fresh page, and asks for nothing of the app before a login', async () => {
    const { page, requested, server } = app;
    await expect.poll(() => page.getByTestId('login-form').isVisible()).toBe(true);
    expect(await page.locator('h1').innerText()).toBe('登录');
    expect(await page.locator('canvas.maplibregl-canvas').count()).toBe(0);
    const api = requested.filter((url) => url.startsWith(`${server.baseUrl}/api/`));
    expect(api).toEqual([`${server.baseUrl}/api/auth/me`]);
  });

  it('says so when the password is wrong, and when there were too many attempts', async () => {
    const { page } = app;
    const user = await createTestUser(app.database, 'planner');
    await logInThroughScreen(page, user.username, 'not-the-password');
    await expect.poll(() => page.getByTestId('login-message').innerText()).toBe('用户名或密码不正确。');
    expect(await page.getByTestId('login-form').isVisible()).toBe(true);
    // Five failures of one name from one address within a minute, then the server says wait.
    for (let i = 0; i < 5; i++) {
      const answer = await app.server.fetch('/api/auth/login', {
        as: 'anonymous',
        method: 'POST',
        json: { username: 'someone-else', password: 'wrong-password' },
      });
      expect(answer.status).toBe(401);
    }
    await logInThroughScreen(page, 'someone-else', 'wrong-password');
    await expect
      .poll(() => page.getByTestId('login-message').innerText())
      .toMatch(/^登录失败次数过多，请 \d+ 秒后再试。$/);
    expect(await page.getByTestId('login-submit').isDisabled()).toBe(true);
  });

  it('logs a planner in to grid planning, without policing, holidays or the admin screen', async () => {
    const { page } = app;
    await page.reload();
    await logInThroughScreen(page, 'test-planner', TEST_PASSWORD);
    await waitForApp(page);
    expect(await tabs(page)).toEqual(['grids', 'risk']);
    expect(await page.locator('[data-testid=panel] h1').innerText()).toBe('网格规划');
    expect(await page.getByTestId('user-role').innerText()).toBe('规划员');
    expect(await page.getByTestId('user-name').innerText()).toBe('test-planner');
    // Planners import the county's layers and change plans.
    expect(await page.getByTestId('grid-import-toggle').count()).toBe(1);
    await page.waitForSelector('[data-testid="grid-plan-new"]');
    // An address naming a workspace that is not theirs opens theirs.
    await page.goto(`${app.server.baseUrl}/#/admin`);
    await waitForApp(page);
    expect(await page.locator('[data-testid=panel] h1').innerText()).toBe('网格规划');
    expect(new URL(page.url()).hash).toBe('#/grids');
    expect(await page.getByTestId('admin-screen').count()).toBe(0);
  });

  it('shows a leader the grids, policing and holidays without anything that changes them', async () => {
    const page = await loggedIn(app, 'leader');
    expect(await tabs(page)).toEqual(['grids', 'policing', 'risk', 'holidays']);
    expect(await page.locator('[data-testid=panel] h1').innerText()).toBe('风险研判');
    expect(await page.getByTestId('user-role').innerText()).toBe('领导');

    await page.click('a[data-workspace="grids"]');
    await page.waitForSelector('[data-testid="grids-read-only"]');
    await page.waitForSelector('[data-testid="grid-township-row"]');
    await page.click('[data-testid="grid-township-row"] >> nth=0');
    await page.waitForSelector('[data-testid="grid-list"]', { timeout: 30_000 });
    for (const testId of [
      'grid-plan-new',
      'grid-plan-copy',
      'grid-plan-rename',
      'grid-undo',
      'grid-tools',
      'grid-repartition',
      'grid-import-toggle',
      'grid-export-households',
    ]) {
      expect(await page.getByTestId(testId).count(), testId).toBe(0);
    }

    await page.click('a[data-workspace="policing"]');
    await page.waitForSelector('[data-testid="policing-read-only"]');
    await page.waitForSelector('[data-testid="no-trip-row"]', { timeout: 60_000 });
    expect(await page.getByTestId('rules-save').count()).toBe(0);
    expect(await page.getByTestId('rules-try').count()).toBe(1);

    await page.click('a[data-workspace="holidays"]');
    await page.waitForSelector('[data-testid="holidays-read-only"]');
    expect(await page.getByTestId('holiday-new').count()).toBe(0);
    await page.waitForSelector('[data-testid="holidays-tab-demands"]', { timeout: 60_000 });
    expect(await page.getByTestId('holidays-tab-pool').count()).toBe(0);
    expect(await status(page, '/api/grids/plans')).toBe(200);
    await page.close();
  });

  it('shows a commander policing, holidays and risk, and no county import', async () => {
    const page = await loggedIn(app, 'commander');
    expect(await tabs(page)).toEqual(['policing', 'risk', 'holidays']);
    expect(await page.getByTestId('user-role').innerText()).toBe('指挥员');
    await page.waitForSelector('[data-testid="rules-save"]', { timeout: 60_000 });
    expect(await page.getByTestId('import-form').count()).toBe(0);
    expect(await page.getByTestId('grid-import-toggle').count()).toBe(0);
    // The server refuses a commander the grids, whatever the page shows.
    expect(await status(page, '/api/grids/plans')).toBe(403);
    await page.close();
  });

  it('logs out back to the login screen, after which the API answers 401', async () => {
    const { page } = app;
    await page.getByTestId('user-menu').locator('summary').click();
    await page.getByTestId('user-logout').click();
    await page.getByTestId('login-form').waitFor();
    expect(await page.getByTestId('login-message').innerText()).toBe('已退出登录。');
    expect(await status(page, '/api/grids/plans')).toBe(401);
    expect(await status(page, '/api/auth/me')).toBe(401);
  });

  it('lets an admin create a user on the admin screen, who can then log in; the audit log shows it', async () => {
    const admin = await loggedIn(app, 'admin');
    expect(await tabs(admin)).toEqual(['grids', 'policing', 'risk', 'holidays', 'onboarding', 'admin']);
    await admin.click('a[data-workspace="admin"]');
    await admin.waitForSelector('[data-testid="users-table"] tr[data-username="test-admin"]');
    const form = admin.getByTestId('create-user');
    await form.getByTestId('create-username').fill('zhang-wei');
    await form.getByTestId('create-displayName').fill('张伟');
    await form.getByTestId('create-role').selectOption('commander');
    await form.getByTestId('create-password').fill('Shan-wang-2026-zw');
    await form.getByTestId('create-submit').click();
    await expect.poll(() => admin.getByTestId('admin-notice').innerText()).toBe('已创建用户 zhang-wei。');
    const row = admin.locator('[data-testid="users-table"] tr[data-username="zhang-wei"]');
    await row.waitFor();
    expect(await row.innerText()).toContain('张伟');
    expect(await row.getByTestId('user-role-select').inputValue()).toBe('commander');

    const { body } = await app.server.api<{ users: UserAccount[] }>('/api/auth/users');
    const created = body.users.find((u) => u.username === 'zhang-wei')!;
    expect(created).toMatchObject({ displayName: '张伟', role: 'commander', disabled: false, lastLoginAt: null });

    // The audit log, newest first, shows who made whom.
    const entry = admin.locator('[data-testid="audit-table"] tbody tr', { hasText: 'POST /api/auth/users' }).first();
    await entry.waitFor();
    const text = await entry.innerText();
    expect(text).toContain('test-admin');
    expect(text).toContain(`user ${created.id}`);
    expect(text).toContain('username: zhang-wei');
    expect(text).toContain('201');
    const log = await app.server.api<AuditPage>('/api/audit?action=POST%20/api/auth/users');
    expect(log.body.entries[0]!.target).toBe(`user ${created.id}`);

    // The new user logs in through the login screen.
    const page = await app.newPage();
    await page.goto(`${app.server.baseUrl}/`);
    await logInThroughScreen(page, 'zhang-wei', 'Shan-wang-2026-zw');
    await waitForApp(page);
    expect(await page.getByTestId('user-name').innerText()).toBe('张伟');
    expect(await page.getByTestId('user-role').innerText()).toBe('指挥员');

    // The admin resets the password: the user's session ends, and the app goes back to the login screen.
    await row.getByTestId('user-reset').click();
    await admin.getByTestId('user-reset-password').fill('Another-pass-2026-zw');
    await admin.getByTestId('user-reset-submit').click();
    await expect.poll(() => admin.getByTestId('admin-notice').innerText()).toBe('已重置 zhang-wei 的密码。');
    await page.click('a[data-workspace="risk"]');
    await page.getByTestId('login-form').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('login-message').innerText()).toBe('登录已过期，请重新登录。');
    await page.close();
    await admin.close();
  });

  it('made no request that left this server', () => {
    expect(app.requested.length).toBeGreaterThan(10);
    expect(foreignRequests(app.requested, app.server.baseUrl)).toEqual([]);
  });
});
