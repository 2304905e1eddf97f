import fs from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  GridInfo,
  PlanDetail,
  PlanListItem,
  RevisionInfo,
  UnitFeatureProperties,
} from '../../server/grids/api-types.js';
import { browserAvailable, foreignRequests, openApp, waitForMapIdle, type AppSession } from '../browser.js';

/** What the tests read of the app's state and map (see web/src/main.ts). */
interface GridWindow {
  shanwang: {
    store: {
      current: {
        grids: {
          planId: number | null;
          townshipCode: string | null;
          busy: unknown;
          unitIndex: { neighbours: Record<number, number[]>; centroids: Record<number, [number, number]> } | null;
          fetched: Record<
            string,
            {
              status: string;
              key: string | null;
              data: { features: { properties: UnitFeatureProperties }[] } | null;
            }
          >;
        };
      };
    };
    mapView: {
      map: {
        fitBounds(bounds: [number, number, number, number], options: object): void;
        getLayer(id: string): unknown;
        getCanvas(): HTMLCanvasElement;
        project(lngLat: [number, number]): { x: number; y: number };
        queryRenderedFeatures(a: unknown, b?: object): { properties: Record<string, unknown> }[];
        querySourceFeatures(source: string): { properties: Record<string, unknown> }[];
      };
    };
  };
}

/** Features of a MapLibre layer drawn on screen now, with their properties. */
async function rendered(page: Page, layer: string): Promise<Record<string, unknown>[]> {
  return page.evaluate((id) => {
    const map = (window as unknown as GridWindow).shanwang.mapView.map;
    if (!map.getLayer(id)) return [];
    return map.queryRenderedFeatures({ layers: [id] }).map((f) => f.properties);
  }, layer);
}

/** Households on each grid's label on the map, by grid id. */
async function labelHouseholds(page: Page): Promise<Map<number, number>> {
  const labels = new Map<number, number>();
  for (const f of await rendered(page, 'grids-labels')) labels.set(Number(f.gridId), Number(f.households));
  return labels;
}

/** The households shown in the panel's row of a grid. */
const rowHouseholds = (page: Page, gridId: number) =>
  page.textContent(`[data-testid="grid-row"][data-grid-id="${gridId}"] [data-testid="grid-households"]`);

const zh = (n: number) => n.toLocaleString('zh-CN');

/** Wait until the panel shows `households` for each grid, and the labels on the map too. */
async function countsShown(page: Page, expected: Map<number, number>): Promise<void> {
  await page.waitForFunction(
    (pairs) =>
      pairs.every(
        ([id, n]) =>
          document.querySelector(`[data-testid="grid-row"][data-grid-id="${id}"] [data-testid="grid-households"]`)
            ?.textContent === n,
      ),
    [...expected].map(([id, n]) => [id, zh(n)] as const),
    { timeout: 30_000 },
  );
  await waitForMapIdle(page);
  const labels = await labelHouseholds(page);
  for (const [id, n] of expected) expect(labels.get(id), `label of grid ${id}`).toBe(n);
}

/** An edit answered (nothing on its way) and its notice shown. */
async function edited(page: Page): Promise<void> {
  await page.waitForFunction(
    () => (window as unknown as GridWindow).shanwang.store.current.grids.busy === null,
    undefined,
    {
      timeout: 60_000,
    },
  );
  await page.waitForSelector('[data-testid="grids-notice"]');
}

describe.skipIf(!browserAvailable())('the grid planning workspace in Chromium', () => {
  let app: AppSession;
  let page: Page;
  let plan: PlanDetail;
  let townshipCode: string;
  /** The unit moved, the grid it was in, the neighbouring grid it went to. */
  let move: { unitId: number; households: number; from: GridInfo; to: GridInfo; x: number; y: number };
  const api = async <T>(path: string, init?: RequestInit): Promise<T> =>
    (await (await app.server.fetch(path, init)).json()) as T;

  beforeAll(async () => {
    fs.mkdirSync('test-results', { recursive: true });
    app = await openApp({ withCounty: true });
    page = app.page;
    page.on('dialog', (dialog) => void dialog.accept());
    await page.click('a[data-workspace="grids"]');
    await page.waitForSelector('[data-testid="grid-plan-select"]', { timeout: 60_000 });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('shows the county’s active plan with its figures and townships', async () => {
    const plans = await api<PlanListItem[]>('/api/grids/plans');
    const active = plans.find((p) => p.status === 'active');
    expect(active, 'the demo county has an active plan').toBeDefined();
    plan = await api<PlanDetail>(`/api/grids/plans/${active!.id}`);
    await page.waitForSelector('[data-testid="grid-figures"]', { timeout: 60_000 });
    expect(await page.inputValue('[data-testid="grid-plan-select"]')).toBe(String(plan.id));
    expect(await page.textContent('[data-testid="grid-revision"]')).toBe(`第 ${plan.revision} 版`);
    expect(await page.textContent('[data-testid="grid-stat-grids"] strong')).toBe(zh(plan.summary.grids));
    expect(await page.textContent('[data-testid="grid-stat-households"] strong')).toBe(zh(plan.summary.households));
    expect(await page.$$('[data-testid="grid-township-row"]')).toHaveLength(plan.townships.length);
  });

  it('opens a township: its units filled by grid, one label per grid, its grids listed', async () => {
    // A typical township: the one with the most grids short of the county seat's 150-odd.
    const township = [...plan.townships].filter((t) => t.grids <= 40).sort((a, b) => b.grids - a.grids)[0]!;
    expect(township.grids).toBeGreaterThanOrEqual(4);
    townshipCode = township.code;
    await page.click(`[data-testid="grid-township-row"][data-code="${townshipCode}"]`);
    await page.waitForFunction(
      () => {
        const g = (window as unknown as GridWindow).shanwang.store.current.grids;
        return g.unitIndex !== null && g.fetched.units!.status === 'ready' && g.fetched.shapes!.status === 'ready';
      },
      undefined,
      { timeout: 60_000 },
    );
    await page.waitForTimeout(800); // the township is flown to
    await waitForMapIdle(page);
    const grids = plan.grids.filter((g) => g.townshipCode === townshipCode);
    const byId = (id: number) => grids.find((g) => g.id === id)!;
    expect(await page.$$('[data-testid="grid-row"]')).toHaveLength(grids.length);
    // One label per grid; where they crowd, MapLibre places those that fit (more as one zooms in).
    const sourced = await page.evaluate(() =>
      (window as unknown as GridWindow).shanwang.mapView.map
        .querySourceFeatures('grids-labels')
        .map((f) => Number(f.properties.gridId)),
    );
    expect(new Set(sourced)).toEqual(new Set(grids.map((g) => g.id)));
    const labels = await labelHouseholds(page);
    expect(labels.size).toBeGreaterThan(grids.length / 3);
    for (const [id, households] of labels) expect(households, `grid ${id}`).toBe(byId(id).households);
    const units = await rendered(page, 'grids-units-fill');
    expect(units.length).toBeGreaterThan(0);
    // Every unit drawn is in this township's grids (or in none).
    const ids = new Set(grids.map((g) => g.id));
    for (const u of units) expect(Number(u.gridId) === -1 || ids.has(Number(u.gridId))).toBe(true);
    await page.screenshot({ path: 'test-results/grids-township.png' });
  });

  it('moves a clicked unit to a neighbouring grid: both grids’ counts change in the panel and on the map; undo restores them', async () => {
    // Units on a grid's edge (their grid keeps others), with the neighbouring grid across the edge.
    const candidates = await page.evaluate(() => {
      const g = (window as unknown as GridWindow).shanwang.store.current.grids;
      const features = g.fetched.units!.data!.features;
      const gridOf = new Map(features.map((f) => [f.properties.unitId, f.properties.gridId]));
      const size = new Map<number, number>();
      for (const { properties: p } of features)
        if (p.gridId !== null) size.set(p.gridId, (size.get(p.gridId) ?? 0) + 1);
      const found: {
        unitId: number;
        households: number;
        from: number;
        to: number;
        box: [number, number, number, number];
      }[] = [];
      for (const { properties: p } of features) {
        if (p.gridId === null || (size.get(p.gridId) ?? 0) < 3 || p.households === 0) continue;
        const to = g
          .unitIndex!.neighbours[p.unitId]!.map((n) => gridOf.get(n))
          .find((n) => n != null && n !== p.gridId);
        if (to == null) continue;
        // The box of both grids' units: the view the move is made in.
        const box: [number, number, number, number] = [180, 90, -180, -90];
        for (const f of features) {
          if (f.properties.gridId !== p.gridId && f.properties.gridId !== to) continue;
          const [x, y] = g.unitIndex!.centroids[f.properties.unitId]!;
          box[0] = Math.min(box[0], x);
          box[1] = Math.min(box[1], y);
          box[2] = Math.max(box[2], x);
          box[3] = Math.max(box[3], y);
        }
        found.push({ unitId: p.unitId, households: p.households, from: p.gridId, to, box });
        if (found.length === 10) break;
      }
      return found;
    });
    expect(candidates.length, 'units on the edge of a grid').toBeGreaterThan(0);
    let target: { x: number; y: number } | null = null;
    let chosen = candidates[0]!;
    for (const candidate of candidates) {
      // Both grids fill the view; the unit is clicked at its centroid (when that is inside it).
      await page.evaluate(
        (box) => (window as unknown as GridWindow).shanwang.mapView.map.fitBounds(box, { padding: 90, duration: 0 }),
        candidate.box,
      );
      await waitForMapIdle(page);
      target = await page.evaluate((unitId) => {
        const { store, mapView } = (window as unknown as GridWindow).shanwang;
        const canvas = mapView.map.getCanvas();
        const rect = canvas.getBoundingClientRect();
        const point = mapView.map.project(store.current.grids.unitIndex!.centroids[unitId]!);
        const x = rect.left + point.x;
        const y = rect.top + point.y;
        if (document.elementFromPoint(x, y) !== canvas) return null;
        const [hit] = mapView.map.queryRenderedFeatures([point.x, point.y], { layers: ['grids-units-fill'] });
        return Number(hit?.properties.unitId) === unitId ? { x, y } : null;
      }, candidate.unitId);
      chosen = candidate;
      if (target) break;
    }
    expect(target, 'a unit clickable at its centroid').not.toBeNull();
    const byId = new Map(plan.grids.map((g) => [g.id, g]));
    move = { ...chosen, ...target!, from: byId.get(chosen.from)!, to: byId.get(chosen.to)! };

    await page.mouse.click(move.x, move.y);
    await page.waitForSelector('[data-testid="grid-unit-selection"]');
    expect(await page.textContent('[data-testid="grid-selection-figures"]')).toContain(
      `已选 1 个单元，共 ${zh(move.households)} 户，现属：${move.from.name}`,
    );
    // The chosen unit is outlined on the map.
    await waitForMapIdle(page);
    const outlined = await rendered(page, 'grids-units-selected');
    expect(new Set(outlined.map((u) => Number(u.unitId)))).toEqual(new Set([move.unitId]));
    // The neighbouring grid is offered first.
    const neighbours = await page.$$eval('[data-testid="grid-move-target"] optgroup:first-child option', (options) =>
      options.map((o) => (o as HTMLOptionElement).value),
    );
    expect(neighbours).toContain(String(move.to.id));
    await page.selectOption('[data-testid="grid-move-target"]', String(move.to.id));
    await page.click('[data-testid="grid-move-submit"]');
    await edited(page);
    const moved = new Map([
      [move.from.id, move.from.households - move.households],
      [move.to.id, move.to.households + move.households],
    ]);
    await countsShown(page, moved);
    // The server holds the same figures, one revision on.
    const after = await api<PlanDetail>(`/api/grids/plans/${plan.id}`);
    expect(after.revision).toBe(plan.revision + 1);
    for (const [id, n] of moved) expect(after.grids.find((g) => g.id === id)!.households).toBe(n);
    expect(await page.textContent('[data-testid="grid-revision"]')).toBe(`第 ${after.revision} 版`);
    // The unit is drawn in its new grid, without the units being fetched again.
    const drawn = (await rendered(page, 'grids-units-fill')).find((u) => Number(u.unitId) === move.unitId);
    expect(Number(drawn?.gridId)).toBe(move.to.id);
    await page.screenshot({ path: 'test-results/grids-moved.png' });

    // Undo (its button says what it undoes) puts both back.
    expect(await page.getAttribute('[data-testid="grid-undo"]', 'title')).toContain(after.undo!.summary);
    await page.click('[data-testid="grid-undo"]');
    await edited(page);
    const restored = new Map([
      [move.from.id, move.from.households],
      [move.to.id, move.to.households],
    ]);
    await countsShown(page, restored);
    // Ctrl+Shift+Z redoes, Ctrl+Z undoes again (the focus is not in a text box).
    await page.mouse.click(move.x, move.y);
    await page.keyboard.press('Control+Shift+Z');
    await edited(page);
    await countsShown(page, moved);
    await page.keyboard.press('Control+Z');
    await edited(page);
    await countsShown(page, restored);
    const final = await api<PlanDetail>(`/api/grids/plans/${plan.id}`);
    expect(final.revision).toBe(plan.revision + 4);
    for (const [id, n] of restored) expect(final.grids.find((g) => g.id === id)!.households).toBe(n);
    plan = final;
  });

  it('refuses an edit based on an old revision: shows why, shows the current plan, keeps the selection', async () => {
    // Someone else renames a grid meanwhile.
    const response = await app.server.fetch(`/api/grids/plans/${plan.id}/edits`, {
      method: 'POST',
      json: {
        baseRevision: plan.revision,
        action: 'attributes',
        grid: move.from.id,
        attributes: { workerName: '张三' },
      },
    });
    expect(response.status).toBe(200);
    await page.mouse.click(move.x, move.y);
    await page.waitForSelector('[data-testid="grid-unit-selection"]');
    await page.selectOption('[data-testid="grid-move-target"]', String(move.to.id));
    await page.click('[data-testid="grid-move-submit"]');
    await page.waitForSelector('[data-testid="grids-notice"][data-kind="stale"]', { timeout: 30_000 });
    expect(await page.textContent('[data-testid="grid-revision"]')).toBe(`第 ${plan.revision + 1} 版`);
    expect(await page.textContent(`[data-testid="grid-row"][data-grid-id="${move.from.id}"]`)).toContain('张三');
    // Nothing moved; the unit is still chosen.
    expect(await rowHouseholds(page, move.from.id)).toBe(zh(move.from.households));
    expect(await page.textContent('[data-testid="grid-selection-figures"]')).toContain('已选 1 个单元');
    await page.keyboard.press('Escape');
    await page.waitForSelector('[data-testid="grid-selection-none"]');
  });

  // The whole township drawn in software WebGL: slow beside the rest of the suite.
  it('chooses with the lasso the units whose centroid lies inside the ring drawn; the map does not pan', async () => {
    await page.click('[data-testid="grid-tool-lasso"]');
    // The whole township in view: units a few pixels across, several inside the ring.
    await page.evaluate(() => {
      const { store, mapView } = (window as unknown as GridWindow).shanwang;
      const centroids = Object.values(store.current.grids.unitIndex!.centroids);
      const xs = centroids.map(([x]) => x);
      const ys = centroids.map(([, y]) => y);
      mapView.map.fitBounds([Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)], {
        padding: 40,
        duration: 0,
      });
    });
    await waitForMapIdle(page);
    // The ring goes round the unit nearest the township's middle.
    const { cx, cy } = await page.evaluate(() => {
      const { store, mapView } = (window as unknown as GridWindow).shanwang;
      const centroids = Object.values(store.current.grids.unitIndex!.centroids);
      const mx = centroids.reduce((n, [x]) => n + x, 0) / centroids.length;
      const my = centroids.reduce((n, [, y]) => n + y, 0) / centroids.length;
      const middle = centroids.reduce((best, c) =>
        Math.hypot(c[0] - mx, c[1] - my) < Math.hypot(best[0] - mx, best[1] - my) ? c : best,
      );
      const r = mapView.map.getCanvas().getBoundingClientRect();
      const p = mapView.map.project(middle);
      return { cx: r.left + p.x, cy: r.top + p.y };
    });
    const box = { left: cx - 80, top: cy - 60, right: cx + 80, bottom: cy + 60 };
    const center = () =>
      page.evaluate(() => {
        const map = (window as unknown as GridWindow).shanwang.mapView.map as unknown as {
          getCenter(): { lng: number; lat: number };
        };
        return map.getCenter();
      });
    const before = await center();
    await page.mouse.move(box.left, box.top);
    await page.mouse.down();
    await page.mouse.move(box.right, box.top, { steps: 12 });
    await page.mouse.move(box.right, box.bottom, { steps: 12 });
    await page.mouse.move(box.left, box.bottom, { steps: 12 });
    await page.mouse.move(box.left, box.top + 2, { steps: 12 });
    await page.mouse.up();
    await page.waitForSelector('[data-testid="grid-unit-selection"]');
    await page.screenshot({ path: 'test-results/grids-lasso.png' });
    expect(await center()).toEqual(before);
    const { selected, inside, outside } = await page.evaluate((b) => {
      const { store, mapView } = (window as unknown as GridWindow).shanwang;
      const g = store.current.grids as unknown as {
        selection: { kind: string; unitIds?: number[] };
        unitIndex: { centroids: Record<number, [number, number]> };
      };
      const r = mapView.map.getCanvas().getBoundingClientRect();
      const inside: number[] = [];
      const outside: number[] = [];
      // Clear of the ring's edges by 4 px either way (the ring is sampled every few pixels).
      for (const [id, centroid] of Object.entries(g.unitIndex.centroids)) {
        const p = mapView.map.project(centroid);
        const x = r.left + p.x;
        const y = r.top + p.y;
        if (x > b.left + 4 && x < b.right - 4 && y > b.top + 4 && y < b.bottom - 4) inside.push(Number(id));
        else if (x < b.left - 4 || x > b.right + 4 || y < b.top - 4 || y > b.bottom + 4) outside.push(Number(id));
      }
      return { selected: g.selection.unitIds ?? [], inside, outside };
    }, box);
    expect(inside.length).toBeGreaterThan(0);
    for (const id of inside) expect(selected).toContain(id);
    for (const id of outside) expect(selected).not.toContain(id);
    await page.keyboard.press('Escape');
    await page.click('[data-testid="grid-tool-units"]');
  }, 180_000);

  it('opens a grid’s card from the list and saves its worker, lists and score', async () => {
    await page.click(`[data-testid="grid-row"][data-grid-id="${move.to.id}"]`);
    await page.waitForSelector(`[data-testid="grid-card"][data-grid-id="${move.to.id}"]`);
    expect(await page.textContent('[data-testid="grid-card-households"]')).toBe(zh(move.to.households));
    const field = (name: string) => `[data-testid="grid-attributes"] [name="${name}"]`;
    await page.fill(field('workerName'), '李四');
    await page.fill(field('workerPhone'), '138 0000 0000');
    await page.fill(field('dutyList'), '每月走访全部住户\n排查矛盾纠纷');
    await page.fill(field('score'), '88');
    await page.click('[data-testid="grid-attributes-save"]');
    await edited(page);
    await page.waitForFunction(
      (id) => document.querySelector(`[data-testid="grid-row"][data-grid-id="${id}"]`)?.textContent?.includes('李四'),
      move.to.id,
    );
    const saved = (await api<PlanDetail>(`/api/grids/plans/${plan.id}`)).grids.find((g) => g.id === move.to.id)!;
    expect(saved).toMatchObject({
      workerName: '李四',
      workerPhone: '138 0000 0000',
      dutyList: '每月走访全部住户\n排查矛盾纠纷',
      score: 88,
    });
    // The chosen grid's outline is drawn thicker on the map.
    await waitForMapIdle(page);
    const outlined = (await rendered(page, 'grids-shapes-line')).filter((f) => f.selected === true);
    expect(new Set(outlined.map((f) => Number(f.gridId)))).toEqual(new Set([move.to.id]));
    await page.screenshot({ path: 'test-results/grids-card.png' });
    await page.keyboard.press('Escape');
  });

  it('lists the plan’s history, copies the plan, and compares the copy with it', async () => {
    await page.click('[data-testid="grids-tab-history"]');
    await page.waitForSelector('[data-testid="grid-revision-row"]', { timeout: 30_000 });
    const current = await api<PlanDetail>(`/api/grids/plans/${plan.id}`);
    const shown = await page.$$eval('[data-testid="grid-revision-row"]', (rows) =>
      rows.map((r) => Number(r.getAttribute('data-revision'))),
    );
    const revisions = await api<RevisionInfo[]>(`/api/grids/plans/${plan.id}/revisions`);
    expect(shown).toEqual(revisions.map((r) => r.revision));
    expect(shown[0]).toBe(current.revision);
    expect(revisions.filter((r) => r.action === 'undo')).toHaveLength(2);

    await page.click('[data-testid="grid-plan-copy"]');
    await page.waitForSelector('[data-testid="grids-notice"][data-kind="saved"]', { timeout: 60_000 });
    const copy = (await api<PlanListItem[]>('/api/grids/plans')).find((p) => p.name === `${plan.name}（副本）`)!;
    expect(copy.status).toBe('draft');
    expect(await page.inputValue('[data-testid="grid-plan-select"]')).toBe(String(copy.id));
    await page.click('[data-testid="grids-tab-compare"]');
    await page.waitForSelector('[data-testid="grid-compare-total"]', { timeout: 30_000 });
    expect(await page.textContent('[data-testid="grid-compare-total"]')).toContain('0 户（0 个单元）换了网格');
    await page.screenshot({ path: 'test-results/grids-compare.png' });
    // Back to the active plan and its grids.
    await page.selectOption('[data-testid="grid-plan-select"]', String(plan.id));
    await page.click('[data-testid="grids-tab-grids"]');
    await page.waitForSelector('[data-testid="grid-row"]', { timeout: 30_000 });
  });

  it('prints a township’s map and grid table on one landscape page, the county seat’s 150-odd grids too', async () => {
    // The print dialog is the browser's; here only the page is made.
    await page.evaluate(() => (window.print = () => undefined));
    const largest = [...plan.townships].sort((a, b) => b.grids - a.grids)[0]!;
    for (const code of [townshipCode, largest.code]) {
      if (code !== townshipCode) {
        await page.click(`[data-testid="grid-township-row"][data-code="${code}"]`);
        await page.waitForSelector(`[data-testid="grid-township-row"][data-code="${code}"].selected`);
      }
      await page.click('[data-testid="grid-print"]');
      await page.waitForSelector('[data-testid="grid-print-sheet"]', { state: 'attached', timeout: 60_000 });
      await page.emulateMedia({ media: 'print' });
      expect(await page.isVisible('[data-testid="grid-print-sheet"]')).toBe(true);
      expect(await page.isVisible('[data-testid="map"]')).toBe(false);
      const sheet = await page.textContent('[data-testid="grid-print-sheet"]');
      const grids = plan.grids.filter((x) => x.townshipCode === code);
      for (const g of grids) expect(sheet).toContain(g.name);
      expect(await page.$$('[data-testid="grid-print-sheet"] tbody tr')).toHaveLength(grids.length);
      expect(await page.getAttribute('[data-testid="grid-print-sheet"] img', 'src')).toMatch(/^data:image\/png/);
      await page.screenshot({ path: `test-results/grids-print-${code}.png` });
      const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true });
      fs.writeFileSync(`test-results/grids-township-${code}.pdf`, pdf);
      expect(pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g), code).toHaveLength(1);
      await page.emulateMedia({ media: 'screen' });
    }
  });

  it('asks nothing of any other computer', () => {
    expect(foreignRequests(app.requested, app.server.baseUrl)).toEqual([]);
  });
});
