/**
 * Chromium for the browser tests and the web benchmark: how it is launched here, what the app
 * exposes on `window`, and logging in through the login screen. Free of vitest, so a benchmark
 * script may use it too.
 */
import { chromium, type Browser, type Page } from 'playwright-core';
import { testEnv } from './env.js';
import { TEST_PASSWORD } from './http.js';

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
