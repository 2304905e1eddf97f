import fs from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Database } from '../server/db/database.js';
import type { Role } from '../server/http/route.js';
import { openTestDatabase } from './backends.js';
import { testEnv } from './env.js';
import { launchBrowser, logInThroughScreen, waitForApp } from './chromium.js';
import { createTestUser, startTestServer, type TestServer } from './http.js';

export {
  CHROMIUM_ARGS,
  foreignRequests,
  launchBrowser,
  logInThroughScreen,
  waitForApp,
  waitForMapIdle,
  type ShanwangWindow,
} from './chromium.js';

/** Whether browser tests can run here; with REQUIRE_BROWSER=1 a missing browser is an error. */
export function browserAvailable(): boolean {
  const found = fs.existsSync(testEnv.chromiumPath);
  if (!found && testEnv.requireBrowser) {
    throw new Error(`REQUIRE_BROWSER=1 but Chromium is not at ${testEnv.chromiumPath} (apt-get install chromium).`);
  }
  return found;
}

/** The app in Chromium over a fresh test database, with every request it made recorded. */
export interface AppSession {
  database: Database;
  server: TestServer;
  browser: Browser;
  page: Page;
  requested: string[];
  /** Another page with its own cookies (not logged in), recording its requests into `requested` too. */
  newPage(): Promise<Page>;
  close(): Promise<void>;
}

export interface OpenAppOptions {
  /** Load the demo county into the database (default: an empty county). */
  withCounty?: boolean;
  /** Whose test user logs in through the login screen (default 'admin'). */
  role?: Role;
}

/** A fresh database, the real server over it, and Chromium with one page, not yet logged in. */
async function openSession(options: { withCounty?: boolean }): Promise<AppSession> {
  const database = await openTestDatabase('pglite', options);
  const server = await startTestServer(database);
  const browser = await launchBrowser();
  const requested: string[] = [];
  const contexts: BrowserContext[] = [];
  const newPage = async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' });
    contexts.push(context);
    const page = await context.newPage();
    page.on('request', (request) => requested.push(request.url()));
    return page;
  };
  const page = await newPage();
  return {
    database,
    server,
    browser,
    page,
    requested,
    newPage,
    close: async () => {
      await browser.close();
      await server.close();
      await database.close();
    },
  };
}

/**
 * Open the app on a fresh database (empty or with the demo county), log in through the login
 * screen as the test user of `role` (admin unless given), and wait for its map.
 */
export async function openApp(options: OpenAppOptions = {}): Promise<AppSession> {
  const session = await openSession(options);
  const user = await createTestUser(session.database, options.role ?? 'admin');
  await session.page.goto(`${session.server.baseUrl}/`);
  await logInThroughScreen(session.page, user.username, user.password);
  await waitForApp(session.page);
  return session;
}

/** Open the app on a fresh database without logging in: the page shows the login screen. */
export async function openAnonymousApp(options: { withCounty?: boolean } = {}): Promise<AppSession> {
  const session = await openSession(options);
  await session.page.goto(`${session.server.baseUrl}/`);
  await session.page.getByTestId('login-form').waitFor({ timeout: 30_000 });
  return session;
}
