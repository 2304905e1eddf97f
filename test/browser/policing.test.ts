import fs from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NoTripReport } from '../../server/policing/service.js';
import { browserAvailable, foreignRequests, openApp, waitForMapIdle, type AppSession } from '../browser.js';

/** Features of a MapLibre layer drawn on screen now, with their properties. */
async function rendered(page: Page, layer: string): Promise<Record<string, unknown>[]> {
  return page.evaluate((id) => {
    const map = (
      window as unknown as {
        shanwang: {
          mapView: {
            map: {
              getLayer(id: string): unknown;
              queryRenderedFeatures(o: object): { properties: Record<string, unknown> }[];
            };
          };
        };
      }
    ).shanwang.mapView.map;
    if (!map.getLayer(id)) return [];
    return map.queryRenderedFeatures({ layers: [id] }).map((f) => f.properties);
  }, layer);
}

describe.skipIf(!browserAvailable())('the commanders’ workspace in Chromium', () => {
  let app: AppSession;
  let page: Page;
  let report: NoTripReport;

  beforeAll(async () => {
    app = await openApp({ withCounty: true });
    page = app.page;
    report = (await app.server.api<NoTripReport>('/api/policing/no-trip')).body;
    await page.click('a[data-workspace="policing"]');
    await page.waitForSelector('[data-testid="no-trip-row"]', { timeout: 60_000 });
    await waitForMapIdle(page);
  });
  afterAll(async () => {
    await app?.close();
  });

  it('lists every no-trip village with its reasons, farthest first', async () => {
    const rows = await page.$$eval('[data-testid="no-trip-row"]', (trs) =>
      trs.map((tr) => ({ code: tr.getAttribute('data-code'), text: tr.textContent ?? '' })),
    );
    const expected = report.villages.filter((v) => v.noTrip);
    expect(rows).toHaveLength(expected.length);
    expect(new Set(rows.map((r) => r.code))).toEqual(new Set(expected.map((v) => v.code)));
    const farthest = [...expected].sort((a, b) => (b.driveMinutes ?? Infinity) - (a.driveMinutes ?? Infinity))[0]!;
    expect(rows[0]!.code).toBe(farthest.code);
    expect(rows[0]!.text).toContain('车程超限');
    const totals = await page.textContent('[data-testid="no-trip-totals"]');
    expect(totals).toContain(`免跑村 ${report.county.noTripVillages} 个`);
    expect(await page.textContent('[data-testid="visit-totals"]')).toContain('办理业务 420 件');
  });

  it('shows each drive as its range under the speed model’s error, and the 临界 villages', async () => {
    const rows = await page.$$eval('[data-testid="no-trip-row"]', (trs) =>
      trs.map((tr) => ({
        code: tr.getAttribute('data-code'),
        drive: tr.children[2]?.textContent ?? '',
        borderline: tr.querySelector('[data-testid="borderline-badge"]') !== null,
      })),
    );
    const byCode = new Map(report.villages.map((v) => [v.code, v]));
    let ranged = 0;
    for (const row of rows) {
      const village = byCode.get(row.code!)!;
      expect(row.borderline).toBe(village.borderline);
      if (village.driveMinutes !== null && village.driveRangeMinutes) {
        ranged++;
        const { low, high } = village.driveRangeMinutes;
        expect(row.drive).toBe(`${low.toFixed(0)}–${high.toFixed(0)} 分钟`);
        expect(low).toBeLessThanOrEqual(village.driveMinutes);
        expect(high).toBeGreaterThanOrEqual(village.driveMinutes);
      }
    }
    expect(ranged).toBeGreaterThan(0);
    const line = await page.textContent('[data-testid="borderline-totals"]');
    expect(line).toContain(`临界村 ${report.county.borderlineVillages} 个`);
    expect(line).toContain(report.constants.calibrationId === null ? '车程参数：默认' : '车程参数：校准');
  });

  it('draws the no-trip villages on the map, coloured by reason', async () => {
    await page.waitForFunction(() => document.querySelector('canvas.maplibregl-canvas') !== null);
    const features = await rendered(page, 'policing-villages-circle');
    const noTrip = new Set(features.filter((f) => f.noTrip === true).map((f) => f.code));
    // The whole county is in view: every no-trip village is drawn.
    expect(noTrip.size).toBe(report.county.noTripVillages);
    expect(new Set(features.filter((f) => f.noTrip === true).map((f) => f.colour)).size).toBeGreaterThanOrEqual(2);
  });

  it('shows a village’s drive, bus walk and groups when clicked in the list', async () => {
    const first = report.villages
      .filter((v) => v.noTrip)
      .sort((a, b) => (b.driveMinutes ?? 1e9) - (a.driveMinutes ?? 1e9))[0]!;
    await page.click(`[data-testid="no-trip-row"][data-code="${first.code}"]`);
    await page.waitForSelector('[data-testid="village-card"]');
    const card = await page.textContent('[data-testid="village-card"]');
    expect(card).toContain(first.name);
    expect(card).toContain(`${first.driveMinutes!.toFixed(0)} 分钟`);
    expect(card).toContain(String(first.groups.aged70Plus));
  });

  // Regression (issue 22): 罗阳派出所 drew no band on the embedded database while the panel said 30 / 60 / 90.
  it('draws the biggest station’s 30, 60 and 90-minute bands with their legend on the map', async () => {
    const biggest = [...report.stations].sort((a, b) => b.noTripVillages - a.noTripVillages)[0]!;
    await page.selectOption('[data-testid="station-select"]', biggest.code);
    await page.waitForFunction(
      () => document.querySelector('[data-testid="isochrone-status"]')?.textContent?.includes('30 / 60 / 90'),
      undefined,
      { timeout: 60_000 },
    );
    await waitForMapIdle(page);
    const bands = await rendered(page, 'policing-isochrones-fill');
    expect(new Set(bands.map((b) => b.minutes))).toEqual(new Set([30, 60, 90]));
    const legend = page.getByTestId('isochrone-legend');
    expect(await legend.isVisible()).toBe(true);
    expect(await legend.textContent()).toContain(`${biggest.name} 车程圈`);
    expect(await legend.locator('li').evaluateAll((items) => items.map((li) => li.textContent))).toEqual([
      '30 分钟车程内',
      '60 分钟车程内',
      '90 分钟车程内',
    ]);
    // Each swatch shows its own fill over the larger bands', as they lie on the map.
    const layers = await legend
      .locator('.swatch')
      .evaluateAll((swatches) =>
        swatches.map((s) => getComputedStyle(s).backgroundImage.split('linear-gradient').length - 1),
      );
    expect(layers).toEqual([3, 2, 1]);
  });

  it('draws a station’s drive bands and plans its visit route with a printable itinerary', async () => {
    const station = [...report.stations].sort((a, b) => b.noTripVillages - a.noTripVillages)[1]!;
    await page.selectOption('[data-testid="station-select"]', station.code);
    await page.waitForFunction(
      () => document.querySelector('[data-testid="isochrone-status"]')?.textContent?.includes('30 / 60 / 90'),
      undefined,
      { timeout: 30_000 },
    );
    await waitForMapIdle(page);
    const bands = await rendered(page, 'policing-isochrones-fill');
    expect(new Set(bands.map((b) => b.minutes))).toEqual(new Set([30, 60, 90]));
    expect(await page.$$('[data-testid="no-trip-row"]')).toHaveLength(station.noTripVillages);

    await page.click('[data-testid="plan-form"] button[type="submit"]');
    await page.waitForSelector('[data-testid="itinerary"]', { timeout: 30_000 });
    const itinerary = await page.textContent('[data-testid="itinerary"]');
    expect(itinerary).toContain(station.name);
    expect(itinerary).toContain('第 1 天');
    await waitForMapIdle(page);
    expect((await rendered(page, 'policing-route-line')).length).toBeGreaterThan(0);
    fs.mkdirSync('test-results', { recursive: true });
    await page.screenshot({ path: 'test-results/policing.png' });
  });

  it('asked nothing of any other server', () => {
    expect(foreignRequests(app.requested, app.server.baseUrl)).toEqual([]);
  });
});

describe.skipIf(!browserAvailable())('a commander trying other no-trip rules in Chromium', () => {
  let app: AppSession;
  let page: Page;
  let saved: NoTripReport;

  beforeAll(async () => {
    app = await openApp({ withCounty: true, role: 'commander' });
    page = app.page;
    saved = (await app.server.api<NoTripReport>('/api/policing/no-trip')).body;
    await page.click('a[data-workspace="policing"]');
    await page.waitForSelector('[data-testid="no-trip-row"]', { timeout: 60_000 });
  });
  afterAll(async () => {
    await app?.close();
  });

  const driveBox = () => page.locator('input[name="maxDriveMinutes"]');
  const listedCodes = (testId: string) =>
    page
      .locator(`[data-testid="${testId}"] li`)
      .evaluateAll((items) => items.map((li) => li.getAttribute('data-code')));
  /** What a limit changes against the saved rules, from the API: villages it adds and removes. */
  const changesAt = async (minutes: number) => {
    const tried = (await app.server.api<NoTripReport>(`/api/policing/no-trip?maxDriveMinutes=${minutes}`)).body;
    const noTrip = (r: NoTripReport) => new Set(r.villages.filter((v) => v.noTrip).map((v) => v.code));
    const [before, after] = [noTrip(saved), noTrip(tried)];
    return {
      tried,
      added: [...after].filter((code) => !before.has(code)),
      removed: [...before].filter((code) => !after.has(code)),
    };
  };
  const tryMinutes = async (minutes: number) => {
    await driveBox().fill(String(minutes));
    await page.getByTestId('rules-try').click();
    await page.waitForFunction(
      (m) =>
        (document.querySelector('input[name="maxDriveMinutes"]') as HTMLInputElement | null)?.value === String(m) &&
        document.querySelector('[data-testid="what-if-delta"]') !== null,
      minutes,
      { timeout: 30_000 },
    );
  };

  it('accepts any whole number of minutes, the saved 60 too', async () => {
    expect(saved.settings.maxDriveMinutes).toBe(60);
    for (const minutes of ['45', '30', '90', '60', '1', '600']) {
      await driveBox().fill(minutes);
      expect(await driveBox().evaluate((input: HTMLInputElement) => input.checkValidity()), minutes).toBe(true);
    }
  });

  it('tries 45 minutes and sees the villages it adds against the saved rule', async () => {
    const { tried, added, removed } = await changesAt(45);
    expect(added.length).toBeGreaterThan(0);
    await tryMinutes(45);
    expect(await page.getByTestId('what-if-delta').textContent()).toContain(
      `全县：+${added.length} 个村 · −${removed.length} 个村`,
    );
    expect(await page.getByTestId('what-if-delta').textContent()).toContain('车程超过 60 分钟');
    expect(new Set(await listedCodes('what-if-added'))).toEqual(new Set(added));
    expect(await page.getByTestId('what-if-removed').count()).toBe(removed.length > 0 ? 1 : 0);
    // The list and the totals are the what-if's.
    expect(await page.locator('[data-testid="no-trip-row"]').count()).toBe(tried.county.noTripVillages);
    expect(await page.getByTestId('no-trip-totals').textContent()).toContain(
      `免跑村 ${tried.county.noTripVillages} 个`,
    );
  });

  it('tries 90 minutes and sees the villages it removes', async () => {
    const { added, removed } = await changesAt(90);
    expect(removed.length).toBeGreaterThan(0);
    await tryMinutes(90);
    expect(await page.getByTestId('what-if-delta').textContent()).toContain(
      `全县：+${added.length} 个村 · −${removed.length} 个村`,
    );
    expect(new Set(await listedCodes('what-if-removed'))).toEqual(new Set(removed));
    fs.mkdirSync('test-results', { recursive: true });
    await page.screenshot({ path: 'test-results/policing-what-if.png' });
  });

  it('goes back to the saved rule with one button', async () => {
    await page.getByTestId('rules-back').click();
    await page.waitForFunction(() => document.querySelector('[data-testid="what-if"]') === null);
    expect(await driveBox().inputValue()).toBe('60');
    expect(await page.locator('[data-testid="no-trip-row"]').count()).toBe(saved.county.noTripVillages);
    expect(await page.getByTestId('no-trip-totals').textContent()).toContain(
      `免跑村 ${saved.county.noTripVillages} 个`,
    );
  });
});
