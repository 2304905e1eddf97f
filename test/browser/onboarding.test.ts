import fs from 'node:fs';
import { sql } from 'kysely';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCounty } from '../../server/county/create.js';
import { gbk, PRJ_4549_ESRI, writeDbf, writeShp } from '../../server/county/import/test-files.js';
import {
  browserAvailable,
  openApp,
  waitForApp,
  waitForMapIdle,
  type AppSession,
  type ShanwangWindow,
} from '../browser.js';

/** How long a poll waits for the page: on a busy shared machine an answer can take seconds (a wrong value still fails). */
const POLL = { timeout: 20_000 };
/** The county already there (a small stand-in for the demo, whose load would triple the test's time). */
const FIRST_COUNTY = {
  code: '330329',
  name: '泰顺县',
  outline: {
    type: 'Polygon',
    coordinates: [
      [
        [119.9, 27.5],
        [120.0, 27.5],
        [120.0, 27.6],
        [119.9, 27.6],
        [119.9, 27.5],
      ],
    ],
  },
};
/** The second county, away from the first: its outline and one township inside. */
const NEW_COUNTY = { code: '330328', name: '文成县' };
const OUTLINE: [number, number][] = [
  [120.5, 27.9],
  [120.6, 27.9],
  [120.6, 28.0],
  [120.5, 28.0],
  [120.5, 27.9],
];
/** The township's corners in WGS 84, clockwise (a Shapefile's outer ring). */
const TOWNSHIP: [number, number][] = [
  [120.52, 27.92],
  [120.52, 27.98],
  [120.58, 27.98],
  [120.58, 27.92],
  [120.52, 27.92],
];

describe.skipIf(!browserAvailable())('onboarding a second county in Chromium', () => {
  let app: AppSession;
  let page: Page;
  /** The township Shapefile as the natural resources bureau hands it over: EPSG:4549, GBK, no .cpg. */
  let shapefile: { name: string; mimeType: string; buffer: Buffer }[];

  beforeAll(async () => {
    app = await openApp();
    page = app.page;
    await createCounty(app.database.db, FIRST_COUNTY);
    // The page read the (empty) list of counties at login: start it again with the first county there.
    await page.reload();
    await waitForApp(page);
    // The township's corners in CGCS2000 3-degree Gauss–Krüger CM 120°E, by PostGIS.
    const projected = await Promise.all(
      TOWNSHIP.map(async ([lon, lat]) => {
        const row = (
          await sql<{ x: number; y: number }>`
            select ST_X(p) as x, ST_Y(p) as y
            from (select ST_Transform(ST_SetSRID(ST_MakePoint(${lon}, ${lat}), 4326), 4549) as p) t`.execute(
            app.database.db,
          )
        ).rows[0]!;
        return [row.x, row.y] as [number, number];
      }),
    );
    const { shp, shx } = writeShp([{ polygon: [projected] }]);
    // 编码 is recognised as the code; MC (the name) is not: the user maps it.
    const dbf = writeDbf([{ 编码: '330328100', MC: '罗阳镇' }], gbk);
    const file = (name: string, bytes: Uint8Array | string) => ({
      name,
      mimeType: 'application/octet-stream',
      buffer: Buffer.from(bytes),
    });
    shapefile = [file('乡镇.shp', shp), file('乡镇.shx', shx), file('乡镇.dbf', dbf), file('乡镇.prj', PRJ_4549_ESRI)];
  });
  afterAll(async () => {
    await app?.close();
  });

  it('creates the county from its code, name and outline, beside the first', async () => {
    await page.click('a.tab[data-workspace=onboarding]');
    await page.getByTestId('onboarding-counties').locator('tr[data-county="330329"]').waitFor();
    const form = page.getByTestId('onboarding-create');
    await form.locator('input[name=code]').fill(NEW_COUNTY.code);
    await form.locator('input[name=name]').fill(NEW_COUNTY.name);
    await form.locator('input[name=outline]').setInputFiles({
      name: 'outline.geojson',
      mimeType: 'application/geo+json',
      buffer: Buffer.from(JSON.stringify({ type: 'Polygon', coordinates: [OUTLINE] })),
    });
    await form.locator('button[type=submit]').click();
    await expect
      .poll(() => page.getByTestId('onboarding-create-status').innerText(), POLL)
      .toContain('已新建县 330328');
    const row = page.getByTestId('onboarding-counties').locator('tr[data-county="330328"]');
    await row.waitFor();
    expect(await row.getAttribute('class')).toBe('chosen');
    expect(await row.innerText()).toContain('文成县');
    // Its readiness: an outline from the file, no townships yet, and grids blocked by them.
    await expect.poll(() => page.getByTestId('readiness-outline').innerText(), POLL).toContain('1 条');
    expect(await page.getByTestId('readiness-townships').innerText()).toContain('缺');
    expect(await page.getByTestId('readiness-terrain').innerText()).toContain('缺');
    const grids = page.locator('.onboarding-capabilities li[data-capability=grids]');
    expect(await grids.innerText()).toContain('没有乡镇');
    const counties = await app.database.db.selectFrom('counties').select('code').orderBy('code').execute();
    expect(counties.map((c) => c.code)).toEqual(['330328', '330329']);
  });

  it('previews a GBK Shapefile in EPSG:4549: encoding, CRS, fields and its feature on the map; the encoding and a column can be set', async () => {
    await page.getByTestId('onboarding-layer').selectOption('townships');
    await page.getByTestId('onboarding-files').setInputFiles(shapefile);
    const encoding = page.getByTestId('onboarding-encoding');
    // No .cpg: GBK text is not UTF-8, so it is read as GB18030 (GBK's superset).
    await expect.poll(() => encoding.innerText(), POLL).toContain('gb18030');
    expect(await encoding.innerText()).toContain('自动识别');
    expect(await page.getByTestId('onboarding-crs').innerText()).toContain('EPSG:4549');
    expect(await page.getByTestId('onboarding-preview-summary').innerText()).toContain('共 1 个要素');
    const fields = page.getByTestId('onboarding-fields');
    expect(await fields.locator('tr[data-field=code] td').nth(1).innerText()).toBe('编码');
    expect(await fields.locator('tr[data-field=name] td').nth(1).innerText()).toBe('—');
    expect(await page.getByTestId('onboarding-unrecognised').locator('tr[data-column=MC]').count()).toBe(1);
    // The township is on the map, in WGS 84, where it was drawn.
    const drawn = await page.evaluate(() => {
      const map = (window as unknown as ShanwangWindow).shanwang.mapView.map as unknown as {
        getSource(id: string): { serialize(): { data: GeoJSON.FeatureCollection } } | undefined;
        getLayer(id: string): unknown;
      };
      const source = map.getSource('onboarding-preview');
      return { data: source?.serialize().data ?? null, layer: map.getLayer('onboarding-preview-fill') !== undefined };
    });
    expect(drawn.layer).toBe(true);
    const ring = (drawn.data!.features[0]!.geometry as GeoJSON.Polygon).coordinates[0]!;
    const lons = ring.map((p) => p[0]!);
    const lats = ring.map((p) => p[1]!);
    expect(Math.min(...lons)).toBeCloseTo(120.52, 5);
    expect(Math.max(...lons)).toBeCloseTo(120.58, 5);
    expect(Math.min(...lats)).toBeCloseTo(27.92, 5);
    expect(Math.max(...lats)).toBeCloseTo(27.98, 5);

    // Say GBK (a .cpg is written into the upload) and map MC to the name: read again with both.
    await page.getByTestId('onboarding-encoding-choice').selectOption('gbk');
    await expect.poll(() => encoding.innerText(), POLL).toContain('来自 .cpg');
    expect(await encoding.innerText()).toContain('gbk');
    await page.getByTestId('onboarding-unrecognised').locator('tr[data-column=MC] select').selectOption('name');
    await expect
      .poll(() => page.getByTestId('onboarding-fields').locator('tr[data-field=name] td').nth(1).innerText(), POLL)
      .toBe('MC');
  });

  it('imports it and the readiness changes: the township is there, grids need villages next', async () => {
    await page.getByTestId('onboarding-commit').click();
    await expect
      .poll(() => page.getByTestId('onboarding-commit-status').innerText(), { timeout: 30_000 })
      .toContain('已导入');
    await expect.poll(() => page.getByTestId('readiness-townships').innerText(), POLL).toContain('1 条');
    expect(await page.getByTestId('readiness-townships').innerText()).toContain('导入于');
    const grids = await page.locator('.onboarding-capabilities li[data-capability=grids]').innerText();
    expect(grids).not.toContain('没有乡镇');
    expect(grids).toContain('没有行政村');
    const townships = await app.database.db
      .selectFrom('townships')
      .select(['code', 'name'])
      .where('county_code', '=', NEW_COUNTY.code)
      .execute();
    expect(townships).toEqual([{ code: '330328100', name: '罗阳镇' }]);
    // The first county is as it was.
    const first = page.getByTestId('onboarding-counties').locator('tr[data-county="330329"]');
    expect(await first.innerText()).toContain('泰顺县');
    expect(await first.locator('td.number').first().innerText()).toBe('0');
    // The map redraws with the new data (and nothing is asked of the server after the test).
    await waitForMapIdle(page);
    fs.mkdirSync('test-results', { recursive: true });
    await page.screenshot({ path: 'test-results/onboarding.png', fullPage: true });
    // Another workspace opened: the preview leaves the map; back again, it is drawn again.
    const previewDrawn = () =>
      page.evaluate(() => {
        const map = (window as unknown as ShanwangWindow).shanwang.mapView.map as unknown as {
          getSource(id: string): unknown;
        };
        return map.getSource('onboarding-preview') !== undefined;
      });
    expect(await previewDrawn()).toBe(true);
    await page.click('a.tab[data-workspace=admin]');
    await expect.poll(previewDrawn, POLL).toBe(false);
    await page.click('a.tab[data-workspace=onboarding]');
    await expect.poll(previewDrawn, POLL).toBe(true);
  });
});
