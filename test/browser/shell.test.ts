import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, foreignRequests, openApp, type AppSession } from '../browser.js';

describe.skipIf(!browserAvailable())('the map shell in Chromium', () => {
  let app: AppSession;

  beforeAll(async () => {
    app = await openApp();
  });
  afterAll(async () => {
    await app?.close();
  });

  it('draws the basemap on the map canvas', async () => {
    expect(await app.page.locator('canvas.maplibregl-canvas').count()).toBe(1);
    // Read the WebGL canvas back through a 2D canvas: the centre shows the basemap paper colour.
    const pixel = await app.page.evaluate(() => {
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
    await app.page.screenshot({ path: 'test-results/shell.png' });
  });

  it('makes no request that leaves this server', () => {
    expect(app.requested.length).toBeGreaterThan(3);
    expect(foreignRequests(app.requested, app.server.baseUrl)).toEqual([]);
    expect(app.requested).toContain(`${app.server.baseUrl}/api/map/style.json`);
  });

  it('shows the service status from /api/health in Chinese', async () => {
    await expect.poll(() => app.page.locator('[data-testid=statusbar]').innerText()).toContain('服务正常');
    const status = await app.page.locator('[data-testid=statusbar]').innerText();
    expect(status).toContain('内置数据库');
    expect(status).toMatch(/空间扩展 PostGIS 3\.\d+\.\d+/);
  });

  it('switches workspaces from the tabs and the address', async () => {
    expect(await app.page.locator('[data-testid=panel] h1').innerText()).toBe('网格规划');
    await app.page.getByRole('link', { name: '风险研判' }).click();
    await expect.poll(() => app.page.locator('[data-testid=panel] h1').innerText()).toBe('风险研判');
    expect(new URL(app.page.url()).hash).toBe('#/risk');
    await app.page.goto(`${app.server.baseUrl}/#/policing`);
    await expect.poll(() => app.page.locator('[data-testid=panel] h1').innerText()).toBe('警务指挥');
  });

  it('switches the interface to English and remembers it', async () => {
    await app.page.getByRole('button', { name: 'English' }).click();
    await expect.poll(() => app.page.locator('[data-testid=panel] h1').innerText()).toBe('Policing');
    expect(await app.page.evaluate(() => document.documentElement.lang)).toBe('en');
    // English is set in a Latin face: a CJK font draws ’ full width ("county’ s").
    const apostropheToLetter = await app.page.evaluate(() => {
      const width = (text: string) => {
        const span = document.createElement('span');
        span.textContent = text;
        document.body.append(span);
        const w = span.getBoundingClientRect().width;
        span.remove();
        return w;
      };
      return width('’’’’’’’’’’') / width('nnnnnnnnnn');
    });
    expect(apostropheToLetter).toBeLessThan(0.6);
    await app.page.reload();
    await expect.poll(() => app.page.locator('[data-testid=panel] h1').innerText()).toBe('Policing');
    await app.page.getByRole('button', { name: '中文' }).click();
    await expect.poll(() => app.page.locator('[data-testid=panel] h1').innerText()).toBe('警务指挥');
  });
});
