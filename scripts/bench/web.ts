/**
 * `npm run bench -- web`: what the browser gets and how smoothly it draws. Builds the web app into
 * a temporary folder and sums its JavaScript (raw and gzipped, the map libraries apart), then
 * serves it over the demo county, logs in with Chromium (software WebGL, as in the browser tests),
 * opens the risk map and plays the months through, recording every animation frame's interval.
 * Figures: `bundleJsKiB`, `bundleJsGzipKiB`, the chunks, and `riskPlayFrameP95Ms` /
 * `riskPlayFrameP50Ms` / `riskPlayFrames` while the time bar plays.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { createApp } from '../../server/app.js';
import { createUser } from '../../server/auth/store.js';
import { openAppContext } from '../../server/context.js';
import { DEMO_SEED } from '../../server/county/demo.js';
import { forEachGeneratedCounty } from '../../server/county/generate/in-worker.js';
import { loadCountyModel } from '../../server/county/load.js';
import { createLogger } from '../../server/logger.js';
import { launchBrowser, logInThroughScreen, waitForApp, waitForMapIdle } from '../../test/chromium.js';
import { listenOnLoopback } from '../../test/http.js';
import { ms, numberOption, openBenchDatabase, percentile, type Benchmark } from './harness.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** What the browser downloads: each JavaScript chunk's size, raw and gzipped (level 9, as a server would). */
function bundleSizes(outDir: string): {
  chunks: Record<string, { kib: number; gzipKib: number }>;
  kib: number;
  gzipKib: number;
} {
  const chunks: Record<string, { kib: number; gzipKib: number }> = {};
  let raw = 0;
  let gzip = 0;
  const assets = path.join(outDir, 'assets');
  for (const name of fs.readdirSync(assets).filter((n) => n.endsWith('.js') || n.endsWith('.mjs'))) {
    const bytes = fs.readFileSync(path.join(assets, name));
    const zipped = zlib.gzipSync(bytes, { level: 9 }).length;
    raw += bytes.length;
    gzip += zipped;
    const key = name.replace(/-[\w-]{8}\.m?js$/, '');
    chunks[key] = { kib: Math.round(bytes.length / 1024), gzipKib: Math.round(zipped / 1024) };
  }
  return { chunks, kib: Math.round(raw / 1024), gzipKib: Math.round(gzip / 1024) };
}

export const webBenchmark: Benchmark = {
  summary: 'web bundle size and frame times while the risk map plays (Chromium, software WebGL) [--seconds N]',
  async run(args, log) {
    const seconds = numberOption(args, '--seconds', 12);
    const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'shanwang-web-bench-'));
    const database = await openBenchDatabase(log);
    try {
      log('building the web app (vite build)…');
      const { build } = await import('vite');
      await build({
        root: path.join(ROOT, 'web'),
        configFile: path.join(ROOT, 'vite.config.ts'),
        logLevel: 'warn',
        build: { outDir, emptyOutDir: true },
      });
      const bundle = bundleSizes(outDir);
      log(`bundle: ${bundle.kib} KiB of JavaScript, ${bundle.gzipKib} KiB gzipped`);

      if (!(await database.db.selectFrom('counties').select('code').executeTakeFirst())) {
        await forEachGeneratedCounty({ seed: DEMO_SEED, scale: 1 }, log, (model) =>
          loadCountyModel(database.db, model),
        );
      }
      const password = 'Bench-web-2026!';
      const username = `bench-web-${Date.now().toString(36)}`;
      await createUser(database.db, { username, displayName: username, role: 'admin', townships: null, password });
      const ctx = await openAppContext(database, { logger: createLogger('silent'), webDir: outDir });
      const { server, baseUrl } = await listenOnLoopback(createApp(ctx));
      const browser = await launchBrowser();
      try {
        const page = await (
          await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' })
        ).newPage();
        await page.goto(`${baseUrl}/`);
        await logInThroughScreen(page, username, password);
        await waitForApp(page);
        await page.goto(`${baseUrl}/#/risk`);
        await page.getByTestId('risk-play').waitFor({ timeout: 60_000 });
        await waitForMapIdle(page);
        log(`playing the risk map for ${seconds} s…`);
        // Every animation frame's interval while the months play (the time bar restarts when it ends).
        // Every animation frame's interval while the months play (restarted when they end). A string,
        // not a function: tsx would wrap a function's inner names in a helper the page does not have.
        const frames = (await page.evaluate(`(async () => {
          const intervals = [];
          const play = () => document.querySelector('[data-testid="risk-play"]');
          const playing = () => /暂停|Pause/.test(play().textContent || '');
          const startedAt = performance.now();
          let last = startedAt;
          play().click();
          await new Promise((resolve) => {
            const tick = (now) => {
              intervals.push(now - last);
              last = now;
              if (!playing()) play().click();
              if (now - startedAt < ${seconds * 1000}) requestAnimationFrame(tick);
              else resolve();
            };
            requestAnimationFrame(tick);
          });
          if (playing()) play().click();
          return intervals.slice(1);
        })()`)) as number[];
        log(`${frames.length} frames`);
        return {
          bundleJsKiB: bundle.kib,
          bundleJsGzipKiB: bundle.gzipKib,
          chunks: bundle.chunks,
          riskPlayFrames: frames.length,
          riskPlayFrameP50Ms: ms(percentile(frames, 50)),
          riskPlayFrameP95Ms: ms(percentile(frames, 95)),
          riskPlayFrameMaxMs: ms(Math.max(...frames)),
          loadAverage: os.loadavg()[0],
        };
      } finally {
        await browser.close();
        await new Promise((resolve) => server.close(resolve));
      }
    } finally {
      await database.close();
      fs.rmSync(outDir, { recursive: true, force: true });
    }
  },
};
