import fs from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { testEnv } from './env.js';

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
