import fs from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RiskCellBreakdown, RiskEmerging, RiskHexes, RiskMeta, RiskRanking } from '../../server/risk/api-types.js';
import { browserAvailable, foreignRequests, openApp, waitForMapIdle, type AppSession } from '../browser.js';

/** What the tests read of the app's state and map (see web/src/main.ts). */
interface RiskWindow {
  shanwang: {
    store: {
      current: {
        risk: {
          layer: string;
          endMonth: string | null;
          playing: boolean;
          cell: string | null;
        };
        /** The resource layer's states, by name (`risk/<resource>`); keys carry the county. */
        resources: Record<string, { key: string | null; status: string; dataKey: string | null }>;
      };
    };
    mapView: {
      map: {
        getLayer(id: string): unknown;
        getSource(id: string): unknown;
        queryRenderedFeatures(o: object): { properties: Record<string, unknown>; geometry: GeoJSON.Geometry }[];
        project(lngLat: [number, number]): { x: number; y: number };
        getCenter(): { lng: number; lat: number };
        getZoom(): number;
        jumpTo(options: { center: [number, number]; zoom: number }): void;
      };
    };
  };
}

/** Features of a MapLibre layer drawn on screen now, with their properties. */
async function rendered(page: Page, layer: string): Promise<Record<string, unknown>[]> {
  return page.evaluate((id) => {
    const map = (window as unknown as RiskWindow).shanwang.mapView.map;
    if (!map.getLayer(id)) return [];
    return map.queryRenderedFeatures({ layers: [id] }).map((f) => f.properties);
  }, layer);
}

/** The h3 → count pairs a hexagon layer draws (one entry per hexagon, tiles may repeat a feature). */
async function drawnCells(page: Page, layer: string): Promise<string> {
  const features = await rendered(page, layer);
  return [...new Set(features.map((f) => `${String(f.h3)}:${String(f.count)}`))].sort().join(' ');
}

/** Wait until a resource has answered the question the state asks now, and the map has drawn it. */
async function settled(page: Page, resource: string): Promise<void> {
  await page.waitForFunction(
    (name) => {
      const f = (window as unknown as RiskWindow).shanwang.store.current.resources[`risk/${name}`];
      return f?.status === 'ready' && f.dataKey === f.key;
    },
    resource,
    { timeout: 60_000 },
  );
  await waitForMapIdle(page);
}

/** The URL the app asked last for a resource. */
const keyOf = (page: Page, resource: string) =>
  page.evaluate(
    (name) => (window as unknown as RiskWindow).shanwang.store.current.resources[`risk/${name}`]!.key!,
    resource,
  );

/** Move the time slider as a hand would: set its value and let it fire 'input' and 'change'. */
async function slideTo(page: Page, index: number): Promise<void> {
  await page.$eval(
    '[data-testid="risk-slider"]',
    (input, value) => {
      const slider = input as HTMLInputElement;
      slider.value = String(value);
      slider.dispatchEvent(new Event('input', { bubbles: true }));
      slider.dispatchEvent(new Event('change', { bubbles: true }));
    },
    index,
  );
}

const digits = (text: string | null) => Number((text ?? '').replace(/[^\d]/g, ''));

describe.skipIf(!browserAvailable())('the leaders’ workspace in Chromium', () => {
  let app: AppSession;
  let page: Page;
  let meta: RiskMeta;
  const api = async <T>(path: string): Promise<T> => (await app.server.api<T>(path)).body;

  beforeAll(async () => {
    app = await openApp({ withCounty: true });
    page = app.page;
    meta = await api<RiskMeta>('/api/risk/meta');
    await page.click('a[data-workspace="risk"]');
    await page.waitForSelector('[data-testid="risk-slider"]', { timeout: 60_000 });
    await settled(page, 'hexes');
  });
  afterAll(async () => {
    await app?.close();
  });

  it('draws the latest three months as hexagons, with the total and a legend of the fixed breaks', async () => {
    expect(meta.months.length).toBeGreaterThanOrEqual(24);
    const last = meta.months.at(-1)!;
    expect(await page.evaluate(() => (window as unknown as RiskWindow).shanwang.store.current.risk.endMonth)).toBe(
      last,
    );
    const hexes = await api<RiskHexes>(await keyOf(page, 'hexes'));
    expect(hexes.total).toBeGreaterThan(0);
    expect(digits(await page.textContent('[data-testid="risk-total"]'))).toBe(hexes.total);
    const features = await rendered(page, 'risk-hexes-fill');
    expect(features.length).toBeGreaterThan(0);
    // Every drawn hexagon is one the server sent, in its class.
    const served = new Map(hexes.features.map((f) => [f.properties.h3, f.properties.class]));
    for (const f of features) expect(served.get(String(f.h3))).toBe(f.class);
    const legend = await page.textContent('[data-testid="risk-legend"]');
    expect(legend).toContain('每个六边形每月件数');
    expect(legend).toContain(`${hexes.breaks.at(-1)} 及以上`);
    expect(legend).toContain('色阶按全部月份固定');
    expect(await page.textContent('[data-testid="risk-window"]')).toContain(`${last.slice(0, 4)}年${last.slice(5)}月`);
  });

  it('moves the window with the slider: a new total and new hexagons under the very same legend', async () => {
    const total = await page.textContent('[data-testid="risk-total"]');
    const legend = await page.innerHTML('[data-testid="risk-legend"]');
    const cells = await drawnCells(page, 'risk-hexes-fill');
    const before = await keyOf(page, 'hexes');

    // A year and a half earlier (index 5 of the months: well inside the data).
    await slideTo(page, 5);
    await page.waitForFunction(
      (key) => (window as unknown as RiskWindow).shanwang.store.current.resources['risk/hexes']!.key !== key,
      before,
    );
    await settled(page, 'hexes');
    const movedKey = await keyOf(page, 'hexes');
    expect(movedKey).toContain(`to=${meta.months[5]}`);
    expect(movedKey).toContain(`from=${meta.months[3]}`);
    const moved = await api<RiskHexes>(movedKey);
    expect(digits(await page.textContent('[data-testid="risk-total"]'))).toBe(moved.total);
    expect(await page.textContent('[data-testid="risk-total"]')).not.toBe(total);
    expect(await drawnCells(page, 'risk-hexes-fill')).not.toBe(cells);
    expect(await page.innerHTML('[data-testid="risk-legend"]')).toBe(legend);

    // The keyboard moves it a month at a time; the legend still does not change.
    await page.focus('[data-testid="risk-slider"]');
    await page.keyboard.press('ArrowRight');
    await page.waitForFunction(
      (month) => (window as unknown as RiskWindow).shanwang.store.current.risk.endMonth === month,
      meta.months[6],
    );
    await settled(page, 'hexes');
    expect(await page.innerHTML('[data-testid="risk-legend"]')).toBe(legend);

    // A twelve-month window: the same fixed scale, per month.
    const monthKey = await keyOf(page, 'hexes');
    await page.click('[data-testid="risk-window-12"]');
    await page.waitForFunction(
      (key) => (window as unknown as RiskWindow).shanwang.store.current.resources['risk/hexes']!.key !== key,
      monthKey,
    );
    await settled(page, 'hexes');
    const year = await api<RiskHexes>(await keyOf(page, 'hexes'));
    expect(year.months).toBe(12);
    expect(digits(await page.textContent('[data-testid="risk-total"]'))).toBe(year.total);
    expect(await page.innerHTML('[data-testid="risk-legend"]')).toBe(legend);
  });

  it('plays month by month and stops at the last month', async () => {
    await page.click('[data-testid="risk-window-1"]');
    await slideTo(page, meta.months.length - 3);
    await settled(page, 'hexes');
    await page.click('[data-testid="risk-play"]');
    expect(await page.textContent('[data-testid="risk-play"]')).toContain('暂停');
    await page.waitForFunction(
      (last) => {
        const risk = (window as unknown as RiskWindow).shanwang.store.current.risk;
        return risk.endMonth === last && !risk.playing;
      },
      meta.months.at(-1)!,
      { timeout: 30_000 },
    );
    await settled(page, 'hexes');
    expect(await page.textContent('[data-testid="risk-play"]')).toContain('播放');
    await page.click('[data-testid="risk-window-3"]');
    await settled(page, 'hexes');
  });

  it('ranks the townships with the change on last year, the trend and a sparkline', async () => {
    await settled(page, 'ranking');
    const ranking = await api<RiskRanking>(await keyOf(page, 'ranking'));
    const rows = await page.$$eval('[data-testid="risk-ranking-row"]', (trs) =>
      trs.map((tr) => ({
        code: tr.getAttribute('data-code'),
        text: tr.textContent ?? '',
        path: tr.querySelector('svg path')?.getAttribute('d') ?? '',
      })),
    );
    expect(rows.map((r) => r.code)).toEqual(ranking.rows.map((r) => r.code));
    expect(rows).toHaveLength(meta.townships.length);
    expect(rows[0]!.text).toContain(ranking.rows[0]!.name);
    expect(rows[0]!.text).toContain(ranking.rows[0]!.count.toLocaleString('zh-CN'));
    for (const row of rows) expect(row.path.split('L')).toHaveLength(meta.months.length);
    const marked = await page.$$('[data-testid="risk-ranking-row"] [data-testid="risk-significant"]');
    expect(marked).toHaveLength(ranking.rows.filter((r) => r.changeP < 0.05).length);

    // A township clicked: its villages, and the map narrowed to it.
    const first = ranking.rows[0]!;
    await page.click(`[data-testid="risk-ranking-row"][data-code="${first.code}"]`);
    await page.waitForFunction(() =>
      (window as unknown as RiskWindow).shanwang.store.current.resources['risk/ranking']!.key?.includes(
        'level=village',
      ),
    );
    await settled(page, 'ranking');
    await settled(page, 'hexes');
    expect(await keyOf(page, 'hexes')).toContain(`township=${first.code}`);
    const villages = await api<RiskRanking>(await keyOf(page, 'ranking'));
    const villageRows = await page.$$eval('[data-testid="risk-ranking-row"]', (trs) =>
      trs.map((tr) => tr.getAttribute('data-code')),
    );
    expect(villageRows.length).toBeGreaterThan(0);
    expect(villageRows).toEqual(villages.rows.filter((r) => r.series.some((n) => n > 0)).map((r) => r.code));
    expect(villages.rows.filter((r) => villageRows.includes(r.code)).every((r) => r.township === first.name)).toBe(
      true,
    );
    // Back to the whole county.
    await page.selectOption('[data-testid="risk-township"]', '');
    await page.click('[data-testid="risk-ranking-township"]');
    await page.waitForFunction(
      () =>
        !(window as unknown as RiskWindow).shanwang.store.current.resources['risk/hexes']!.key?.includes('township='),
    );
    await settled(page, 'ranking');
    await settled(page, 'hexes');
  });

  it('shows the governance figures: mediation 99 %, petition backlog 86 %, fraud rising', async () => {
    await settled(page, 'governance');
    expect(await page.textContent('[data-testid="risk-mediation"]')).toContain('受理 315 件，化解 312 件');
    expect(await page.textContent('[data-testid="risk-mediation"]')).toContain('99%');
    expect(await page.textContent('[data-testid="risk-petitions"]')).toContain('积案 43 件，化解 37 件');
    expect(await page.textContent('[data-testid="risk-petitions"]')).toContain('86%');
    expect(await page.textContent('[data-testid="risk-backpack"]')).toContain('办理业务 420 件');
    expect(await page.textContent('[data-testid="risk-twelve-row"][data-category="fraud"]')).toContain('+');
  });

  it('switches to the significant hotspots and draws hot cells', async () => {
    await page.click('[data-testid="risk-layer-hotspots"]');
    await settled(page, 'hotspots');
    const hot = (await rendered(page, 'risk-hotspots-fill')).filter((f) => Number(f.class) > 0);
    expect(hot.length).toBeGreaterThan(0);
    expect(await rendered(page, 'risk-hexes-fill')).toEqual([]);
    const legend = await page.textContent('[data-testid="risk-legend"]');
    expect(legend).toContain('热点 99%');
    expect(legend).toContain('冷点 90%');
    await page.$eval('[data-testid="panel"]', (panel) => (panel.scrollTop = 10_000));
    await page.screenshot({ path: 'test-results/risk-panel.png' });
    await page.$eval('[data-testid="panel"]', (panel) => (panel.scrollTop = 0));
  });

  it('shows the emerging hotspots and the kernel density', async () => {
    await page.click('[data-testid="risk-layer-emerging"]');
    await settled(page, 'emerging');
    const emerging = await api<RiskEmerging>(await keyOf(page, 'emerging'));
    const drawn = await rendered(page, 'risk-emerging-fill');
    expect(drawn.length).toBeGreaterThan(0);
    expect(new Set(drawn.map((f) => f.label)).size).toBeGreaterThanOrEqual(1);
    expect(await page.textContent('[data-testid="risk-legend"]')).toContain(`持续热点${emerging.counts.persistent}`);

    await page.click('[data-testid="risk-layer-density"]');
    await settled(page, 'density');
    const layers = await page.evaluate(() => {
      const map = (window as unknown as RiskWindow).shanwang.mapView.map;
      return {
        raster: Boolean(map.getLayer('risk-density-raster')),
        emerging: Boolean(map.getLayer('risk-emerging-fill')),
      };
    });
    expect(layers).toEqual({ raster: true, emerging: false });
    expect(await page.textContent('[data-testid="risk-legend"]')).toContain('每平方公里每月件数');
  });

  it('opens a hexagon’s card with its breakdown when clicked on the map', async () => {
    await page.click('[data-testid="risk-layer-hexes"]');
    await settled(page, 'hexes');
    // The busiest hexagon drawn; click the middle of its outline.
    const point = await page.evaluate(() => {
      const map = (window as unknown as RiskWindow).shanwang.mapView.map;
      const features = map.queryRenderedFeatures({ layers: ['risk-hexes-fill'] });
      const busiest = features.sort((a, b) => Number(b.properties.count) - Number(a.properties.count))[0]!;
      const ring = (busiest.geometry as GeoJSON.Polygon).coordinates[0]!.slice(0, -1);
      const lon = ring.reduce((s, c) => s + c[0]!, 0) / ring.length;
      const lat = ring.reduce((s, c) => s + c[1]!, 0) / ring.length;
      return { h3: String(busiest.properties.h3), ...map.project([lon, lat]) };
    });
    const map = (await (await page.$('[data-testid="map"]'))!.boundingBox())!;
    await page.mouse.click(map.x + point.x, map.y + point.y);
    await page.waitForSelector('[data-testid="risk-cell-total"]', { timeout: 30_000 });
    await settled(page, 'cell');
    expect(await page.evaluate(() => (window as unknown as RiskWindow).shanwang.store.current.risk.cell)).toBe(
      point.h3,
    );
    const cell = await api<RiskCellBreakdown>(await keyOf(page, 'cell'));
    const card = await page.textContent('[data-testid="risk-cell-card"]');
    expect(card).toContain(`共 ${cell.total.toLocaleString('zh-CN')} 件`);
    expect(card).toContain('网络诈骗');
    if (cell.villages[0]) expect(card).toContain(cell.villages[0].name);
    expect(await page.$('[data-testid="risk-cell-card"] svg path')).not.toBeNull();
    expect((await rendered(page, 'risk-selected-line')).length).toBeGreaterThan(0);
    fs.mkdirSync('test-results', { recursive: true });
    await page.screenshot({ path: 'test-results/risk.png' });
  });

  it('changes the scale only with resolution or measure: finer hexagons zoomed in, rates per household', async () => {
    const legend = await page.innerHTML('[data-testid="risk-legend"]');
    const county = await page.evaluate(() => {
      const map = (window as unknown as RiskWindow).shanwang.mapView.map;
      const { lng, lat } = map.getCenter();
      return { center: [lng, lat] as [number, number], zoom: map.getZoom() };
    });
    const [coarse, fine] = meta.resolutions;
    expect(await keyOf(page, 'hexes')).toContain(`resolution=${coarse}`);
    await page.evaluate(
      (center) => (window as unknown as RiskWindow).shanwang.mapView.map.jumpTo({ center, zoom: 12.5 }),
      county.center,
    );
    await page.waitForFunction(
      (r) =>
        (window as unknown as RiskWindow).shanwang.store.current.resources['risk/hexes']!.key?.includes(
          `resolution=${r}`,
        ),
      fine,
    );
    await settled(page, 'hexes');
    const finer = await api<RiskHexes>(await keyOf(page, 'hexes'));
    expect(finer.resolution).toBe(fine);
    expect((await rendered(page, 'risk-hexes-fill')).length).toBeGreaterThan(0);
    expect(await page.textContent('[data-testid="risk-legend"]')).toContain(`${finer.breaks.at(-1)} 及以上`);
    await page.evaluate((view) => (window as unknown as RiskWindow).shanwang.mapView.map.jumpTo(view), county);
    await page.waitForFunction(
      (r) =>
        (window as unknown as RiskWindow).shanwang.store.current.resources['risk/hexes']!.key?.includes(
          `resolution=${r}`,
        ),
      coarse,
    );
    await settled(page, 'hexes');
    expect(await page.innerHTML('[data-testid="risk-legend"]')).toBe(legend);

    // Per 1,000 households: its own scale; back to counts, the counts' scale again.
    await page.click('[data-testid="risk-measure-per1000"]');
    await page.waitForFunction(() =>
      (window as unknown as RiskWindow).shanwang.store.current.resources['risk/hexes']!.key?.includes(
        'measure=per1000',
      ),
    );
    await settled(page, 'hexes');
    const rates = await api<RiskHexes>(await keyOf(page, 'hexes'));
    const rateLegend = await page.textContent('[data-testid="risk-legend"]');
    expect(rateLegend).toContain('每个六边形每月每千户件数');
    expect(rateLegend).toContain(`${rates.breaks.at(-1)} 及以上`);
    await page.click('[data-testid="risk-measure-count"]');
    await page.waitForFunction(() =>
      (window as unknown as RiskWindow).shanwang.store.current.resources['risk/hexes']!.key?.includes('measure=count'),
    );
    await settled(page, 'hexes');
    expect(await page.innerHTML('[data-testid="risk-legend"]')).toBe(legend);
  });

  it('asked nothing of any other server', () => {
    expect(foreignRequests(app.requested, app.server.baseUrl)).toEqual([]);
  });
});
