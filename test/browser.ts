import fs from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { Database } from '../server/db/database.js';
import { openTestDatabase } from './backends.js';
import { testEnv } from './env.js';
import { startTestServer, type TestServer } from './http.js';

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
  close(): Promise<void>;
}

/** Open the app on a fresh database (empty or with the demo county) and wait for its map. */
export async function openApp(options: { withCounty?: boolean } = {}): Promise<AppSession> {
  const database = await openTestDatabase('pglite', options);
  const server = await startTestServer(database);
  const browser = await launchBrowser();
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' });
  const requested: string[] = [];
  page.on('request', (request) => requested.push(request.url()));
  await page.goto(`${server.baseUrl}/`);
  await page.waitForFunction(
    () => (window as unknown as ShanwangWindow).shanwang?.store.current.map.kind === 'ready',
    undefined,
    { timeout: 90_000 },
  );
  await waitForMapIdle(page);
  return {
    database,
    server,
    browser,
    page,
    requested,
    close: async () => {
      await browser.close();
      await server.close();
      await database.close();
    },
  };
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
