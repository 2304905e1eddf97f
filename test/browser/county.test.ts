import fs from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCounty } from '../../server/county/create.js';
import {
  browserAvailable,
  foreignRequests,
  openApp,
  waitForMapIdle,
  type AppSession,
  type ShanwangWindow,
} from '../browser.js';

/** Distinct colours among a grid of pixels read back from the map canvas. */
async function canvasColours(page: Page): Promise<{ distinct: number; paperShare: number }> {
  return page.evaluate(() => {
    const gl = document.querySelector<HTMLCanvasElement>('canvas.maplibregl-canvas')!;
    const probe = document.createElement('canvas');
    probe.width = gl.width;
    probe.height = gl.height;
    const context = probe.getContext('2d')!;
    context.drawImage(gl, 0, 0);
    const colours = new Set<string>();
    let paper = 0;
    let samples = 0;
    for (let y = 10; y < gl.height; y += 23) {
      for (let x = 10; x < gl.width; x += 23) {
        const [r, g, b] = context.getImageData(x, y, 1, 1).data;
        colours.add(`${r},${g},${b}`);
        if (r === 0xf3 && g === 0xef && b === 0xe6) paper++;
        samples++;
      }
    }
    return { distinct: colours.size, paperShare: paper / samples };
  });
}

describe.skipIf(!browserAvailable())('the demo county on the map in Chromium', () => {
  let app: AppSession;
  let page: Page;

  beforeAll(async () => {
    app = await openApp({ withCounty: true });
    page = app.page;
  });
  afterAll(async () => {
    await app?.close();
  });

  it('draws the whole county: terrain, borders, rivers and roads, not a blank page', async () => {
    const { distinct, paperShare } = await canvasColours(page);
    fs.mkdirSync('test-results', { recursive: true });
    await page.screenshot({ path: 'test-results/county.png' });
    // Hillshade, borders, rivers and roads give hundreds of colours; an empty map gives one.
    expect(distinct).toBeGreaterThan(200);
    expect(paperShare).toBeLessThan(0.2);
  });

  it('fetched its tiles and elevation from this server only', () => {
    const { requested, server } = app;
    expect(requested.some((url) => url.startsWith(`${server.baseUrl}/api/map/tiles/`))).toBe(true);
    expect(requested.some((url) => url.startsWith(`${server.baseUrl}/api/map/dem/`))).toBe(true);
    expect(foreignRequests(requested, server.baseUrl)).toEqual([]);
  });

  it("uploads a broken layer from the planners' panel and shows every problem, importing nothing", async () => {
    const before = await app.database.db
      .selectFrom('villages')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    const broken = {
      type: 'FeatureCollection',
      features: [
        {
          type: 'Feature',
          properties: { code: '330329100901', name: '蝴蝶村' },
          geometry: {
            type: 'Polygon',
            coordinates: [
              [
                [119.7, 27.5],
                [119.72, 27.52],
                [119.72, 27.5],
                [119.7, 27.52],
                [119.7, 27.5],
              ],
            ],
          },
        },
        {
          type: 'Feature',
          // A village without a code gets one assigned; a malformed code is still refused.
          properties: { code: '33032910090', name: '错编码村' },
          geometry: {
            type: 'Polygon',
            coordinates: [
              [
                [119.7, 27.5],
                [119.71, 27.5],
                [119.71, 27.51],
                [119.7, 27.5],
              ],
            ],
          },
        },
      ],
    };
    // The import form is folded below the grid planning panel.
    await page.click('[data-testid=grid-import-toggle]');
    await page.selectOption('[data-testid=import-form] select[name=layer]', 'villages');
    await page.selectOption('[data-testid=import-form] select[name=crs]', 'wgs84');
    await page.setInputFiles('[data-testid=import-form] input[type=file]', {
      name: 'broken-villages.geojson',
      mimeType: 'application/geo+json',
      buffer: Buffer.from(JSON.stringify(broken)),
    });
    await page.click('[data-testid=import-form] button[type=submit]');
    await page.waitForSelector('[data-testid=import-problems]', { timeout: 60_000 });
    const status = await page.locator('[data-testid=import-status]').innerText();
    expect(status).toContain('文件未导入，数据库未改动');
    expect(await page.locator('[data-testid=import-problems] tbody tr').count()).toBeGreaterThanOrEqual(2);
    const after = await app.database.db
      .selectFrom('villages')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
  });

  it('shows strip-shaped settlements along the valley roads near the county seat', async () => {
    await page.evaluate(() =>
      (window as unknown as ShanwangWindow).shanwang.mapView.map.jumpTo({ center: [119.72, 27.56], zoom: 13 }),
    );
    await waitForMapIdle(page);
    await page.screenshot({ path: 'test-results/county-seat.png' });
    const { distinct } = await canvasColours(page);
    expect(distinct).toBeGreaterThan(100);
  });

  it('offers a county picker once a second county is loaded, and every request then names the chosen county', async () => {
    expect(await page.getByTestId('county-picker').count()).toBe(0);
    const demo = (await app.server.api<{ counties: { code: string }[] }>('/api/counties')).body.counties[0]!.code;
    await createCounty(app.database.db, { code: '330399', name: '试验县' });
    // The list of counties is read when the app starts.
    await page.goto(`${app.server.baseUrl}/#/policing`);
    await page.reload();
    const picker = page.getByTestId('county-picker');
    await picker.waitFor({ timeout: 30_000 });
    expect((await picker.locator('option').allInnerTexts()).map((text) => text.trim())).toEqual([
      expect.stringContaining(demo),
      '试验县 (330399)',
    ]);
    expect(await picker.inputValue()).toBe(demo);
    await page.waitForSelector('[data-testid="no-trip-row"]', { timeout: 60_000 });

    await picker.selectOption('330399');
    await expect
      .poll(() => app.requested.some((url) => url.endsWith('/api/policing/no-trip?county=330399')))
      .toBe(true);
    expect(app.requested.some((url) => url.endsWith('/api/policing/visits/summary?county=330399'))).toBe(true);
    // The choice is kept: after a reload the same county is shown and asked for.
    await page.reload();
    await picker.waitFor({ timeout: 30_000 });
    expect(await picker.inputValue()).toBe('330399');
    expect(await page.evaluate(() => localStorage.getItem('shanwang.county'))).toBe('330399');

    await picker.selectOption(demo);
    await page.waitForSelector('[data-testid="no-trip-row"]', { timeout: 60_000 });
    expect(app.requested.some((url) => url.endsWith(`/api/policing/no-trip?county=${demo}`))).toBe(true);
  });
});
