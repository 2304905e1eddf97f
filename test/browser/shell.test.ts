import fs from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../server/db/database.js';
import { openTestDatabase } from '../backends.js';
import { browserAvailable, launchBrowser } from '../browser.js';
import { startTestServer, type TestServer } from '../http.js';

interface ShanwangWindow {
  shanwang: { store: { current: { map: { kind: string }; service: { kind: string } } } };
}

describe.skipIf(!browserAvailable())('the map shell in Chromium', () => {
  let database: Database;
  let server: TestServer;
  let browser: Browser;
  let page: Page;
  const requested: string[] = [];

  beforeAll(async () => {
    database = await openTestDatabase('pglite');
    server = await startTestServer(database);
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' });
    page.on('request', (request) => requested.push(request.url()));
    await page.goto(`${server.baseUrl}/`);
    await page.waitForFunction(
      () => (window as unknown as ShanwangWindow).shanwang?.store.current.map.kind === 'ready',
      undefined,
      { timeout: 60_000 },
    );
    await page.waitForLoadState('networkidle');
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await database?.close();
  });

  it('draws the basemap on the map canvas', async () => {
    expect(await page.locator('canvas.maplibregl-canvas').count()).toBe(1);
    // Read the WebGL canvas back through a 2D canvas: the centre shows the basemap paper colour.
    const pixel = await page.evaluate(() => {
      const gl = document.querySelector<HTMLCanvasElement>('canvas.maplibregl-canvas')!;
      const probe = document.createElement('canvas');
      probe.width = gl.width;
      probe.height = gl.height;
      const context = probe.getContext('2d')!;
      context.drawImage(gl, 0, 0);
      return Array.from(context.getImageData(gl.width >> 1, gl.height >> 1, 1, 1).data);
    });
    expect(pixel).toEqual([0xf3, 0xef, 0xe6, 255]);
    fs.mkdirSync('test-results', { recursive: true });
    await page.screenshot({ path: 'test-results/shell.png' });
  });

  it('makes no request that leaves this server', () => {
    expect(requested.length).toBeGreaterThan(3);
    const foreign = requested.filter((url) => !url.startsWith(`${server.baseUrl}/`) && !/^(data|blob):/.test(url));
    expect(foreign).toEqual([]);
    expect(requested).toContain(`${server.baseUrl}/api/map/style.json`);
  });

  it('shows the service status from /api/health in Chinese', async () => {
    await expect.poll(() => page.locator('[data-testid=statusbar]').innerText()).toContain('服务正常');
    const status = await page.locator('[data-testid=statusbar]').innerText();
    expect(status).toContain('内置数据库');
    expect(status).toMatch(/空间扩展 PostGIS 3\.\d+\.\d+/);
  });

  it('switches workspaces from the tabs and the address', async () => {
    expect(await page.locator('[data-testid=panel] h1').innerText()).toBe('网格规划');
    await page.getByRole('link', { name: '风险研判' }).click();
    await expect.poll(() => page.locator('[data-testid=panel] h1').innerText()).toBe('风险研判');
    expect(new URL(page.url()).hash).toBe('#/risk');
    await page.goto(`${server.baseUrl}/#/policing`);
    await expect.poll(() => page.locator('[data-testid=panel] h1').innerText()).toBe('警务指挥');
  });

  it('switches the interface to English and remembers it', async () => {
    await page.getByRole('button', { name: 'English' }).click();
    await expect.poll(() => page.locator('[data-testid=panel] h1').innerText()).toBe('Policing');
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
    await page.reload();
    await expect.poll(() => page.locator('[data-testid=panel] h1').innerText()).toBe('Policing');
    await page.getByRole('button', { name: '中文' }).click();
    await expect.poll(() => page.locator('[data-testid=panel] h1').innerText()).toBe('警务指挥');
  });
});
