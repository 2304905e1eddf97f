import fs from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { Database } from '../server/db/database.js';
import type { Role } from '../server/http/route.js';
import { openTestDatabase } from './backends.js';
import { testEnv } from './env.js';
import { createTestUser, startTestServer, TEST_PASSWORD, type TestServer } from './http.js';

/** Flags for Debian's Chromium, headless with software WebGL and no background traffic. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
];

/** Whether browser tests can run here; with REQUIRE_BROWSER=1 a missing browser is an error. */
export function browserAvailable(): boolean {
  const found = fs.existsSync(testEnv.chromiumPath);
  if (!found && testEnv.requireBrowser) {
    throw new Error(`REQUIRE_BROWSER=1 but Chromium is not at ${testEnv.chromiumPath} (apt-get install chromium).`);
  }
  return found;
}

/** Launch Debian's Chromium through playwright-core. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: testEnv.chromiumPath, args: CHROMIUM_ARGS, headless: true });
}

/** What the app exposes on `window` for tests (see web/src/main.ts). */
export interface ShanwangWindow {
  shanwang: {
    store: { current: { map: { kind: string }; service: { kind: string } } };
    mapView: { map: { jumpTo(options: { center: [number, number]; zoom: number }): void; loaded(): boolean } };
  };
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

/** Fill in and send the login form (the page must show it); does not wait for the app. */
export async function logInThroughScreen(page: Page, username: string, password = TEST_PASSWORD): Promise<void> {
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
}

/** Wait for the app after a login: its map ready and drawn. */
export async function waitForApp(page: Page): Promise<void> {
  await page.waitForFunction(
    () => (window as unknown as ShanwangWindow).shanwang?.store.current.map.kind === 'ready',
    undefined,
    { timeout: 90_000 },
  );
  await waitForMapIdle(page);
}

/** Wait until the network is quiet and MapLibre has drawn every tile it wants. */
export async function waitForMapIdle(page: Page): Promise<void> {
  await page.waitForLoadState('networkidle');
  await page.waitForFunction(() => (window as unknown as ShanwangWindow).shanwang.mapView.map.loaded(), undefined, {
    timeout: 60_000,
  });
}

/** Requests that left the app's own server (data: and blob: URLs are local). */
export function foreignRequests(requested: readonly string[], baseUrl: string): string[] {
  return requested.filter((url) => !url.startsWith(`${baseUrl}/`) && !/^(data|blob):/.test(url));
}
