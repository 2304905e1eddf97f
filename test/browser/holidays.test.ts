import fs from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  HolidayDetail,
  HolidayOfficer,
  HolidaySummary,
  PlanComparison,
  PlanDetail,
  ZoneAreas,
} from '../../server/holidays/api-types.js';
import { COVERAGE_COLOURS } from '../../web/src/workspaces/holidays/map-layers.js';
import { browserAvailable, foreignRequests, openApp, waitForMapIdle, type AppSession } from '../browser.js';

/** What the tests read of the app's state and map (see web/src/main.ts). */
interface HolidayWindow {
  shanwang: {
    store: {
      current: {
        holidays: {
          holidayId: number | null;
          planId: number | null;
          solve: { status: string };
          fetched: Record<string, { key: string | null; status: string; dataKey: string | null }>;
        };
      };
    };
    mapView: {
      map: {
        getLayer(id: string): unknown;
        queryRenderedFeatures(o: object): { properties: Record<string, unknown> }[];
      };
    };
  };
}

/** Features of a MapLibre layer drawn on screen now, with their properties. */
async function rendered(page: Page, layer: string): Promise<Record<string, unknown>[]> {
  return page.evaluate((id) => {
    const map = (window as unknown as HolidayWindow).shanwang.mapView.map;
    if (!map.getLayer(id)) return [];
    return map.queryRenderedFeatures({ layers: [id] }).map((f) => f.properties);
  }, layer);
}

/** One entry per zone id (a zone's area may be drawn in several tiles and pieces): its colour. */
async function drawnZones(page: Page): Promise<Map<number, string>> {
  const zones = new Map<number, string>();
  for (const f of await rendered(page, 'holidays-zones-fill')) zones.set(Number(f.zoneId), String(f.colour));
  return zones;
}

const holidaysState = (page: Page) =>
  page.evaluate(() => {
    const h = (window as unknown as HolidayWindow).shanwang.store.current.holidays;
    return { holidayId: h.holidayId, planId: h.planId, solve: h.solve.status, plan: h.fetched.plan!.status };
  });

/** Wait until the plan with an id other than `not` is on screen (a solve answered, its map drawn). */
async function planShown(page: Page, not: number | null): Promise<number> {
  await page.waitForFunction(
    (previous) => {
      const h = (window as unknown as HolidayWindow).shanwang.store.current.holidays;
      return (
        h.solve.status === 'idle' && h.planId !== null && h.planId !== previous && h.fetched.plan!.status === 'ready'
      );
    },
    not,
    { timeout: 120_000 },
  );
  await page.waitForSelector('[data-testid="plan-headline"]');
  await waitForMapIdle(page);
  return (await holidaysState(page)).planId!;
}

/** The coverage colour of a share met, by the rule the commanders were given: ≥ 95 % green, ≥ 80 % amber. */
function expectedColour(totals: { demanded: number; met: number }): string {
  if (totals.demanded === 0) return COVERAGE_COLOURS.none;
  const share = totals.met / totals.demanded;
  return share >= 0.95 ? COVERAGE_COLOURS.good : share >= 0.8 ? COVERAGE_COLOURS.warn : COVERAGE_COLOURS.bad;
}

describe.skipIf(!browserAvailable())('the holiday workspace in Chromium', () => {
  let app: AppSession;
  let page: Page;
  let holiday: HolidaySummary;
  let detail: HolidayDetail;
  const api = async <T>(path: string): Promise<T> => (await app.server.api<T>(path)).body;
  const dialogs: string[] = [];

  beforeAll(async () => {
    fs.mkdirSync('test-results', { recursive: true });
    app = await openApp({ withCounty: true });
    page = app.page;
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.accept();
    });
    const holidays = await api<HolidaySummary[]>('/api/holidays');
    holiday = holidays.find((h) => h.name.includes('春节'))!;
    detail = await api<HolidayDetail>(`/api/holidays/${holiday.id}`);
    await page.click('a[data-workspace="holidays"]');
    await page.waitForSelector('[data-testid="holiday-select"]', { timeout: 60_000 });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('opens the demo holiday: its figures, every station with its request beside the evidence, four zones on the map', async () => {
    expect(holiday).toMatchObject({ days: 7, shiftsPerDay: 3, status: 'draft' });
    await page.selectOption('[data-testid="holiday-select"]', String(holiday.id));
    await page.waitForSelector('[data-testid="station-row"]', { timeout: 60_000 });
    await waitForMapIdle(page);
    expect((await holidaysState(page)).holidayId).toBe(holiday.id);

    const asked = detail.demands.reduce((sum, d) => sum + d.officers, 0);
    const figures = await page.textContent('[data-testid="holiday-summary"]');
    expect(figures).toContain('2027-02-06 至 2027-02-12');
    expect(await page.textContent('[data-testid="holiday-requested"] strong')).toBe(asked.toLocaleString('zh-CN'));
    expect(await page.textContent('[data-testid="holiday-pool"] strong')).toBe(
      detail.pool.officers.toLocaleString('zh-CN'),
    );

    // Each station's row: asked and expected officer-shifts, marked when far from the evidence.
    const rows = await page.$$eval('[data-testid="station-row"]', (trs) =>
      trs.map((tr) => ({ code: tr.getAttribute('data-code')!, mark: tr.getAttribute('data-mark')! })),
    );
    expect(rows).toHaveLength(detail.stations.length);
    expect(detail.stations.length).toBe(13);
    // Marked against what stations typically ask per unit of evidence (the median ratio).
    const totals = detail.stations.map((s) => ({
      code: s.code,
      requested: detail.demands.filter((d) => d.stationCode === s.code).reduce((n, d) => n + d.officers, 0),
      expected:
        Math.round(
          detail.evidence.filter((e) => e.stationCode === s.code).reduce((n, e) => n + e.expectedOfficers, 0) * 10,
        ) / 10,
    }));
    const ratios = totals
      .filter((t) => t.expected > 0)
      .map((t) => t.requested / t.expected)
      .sort((a, b) => a - b);
    const middle = ratios.length >> 1;
    const typical = ratios.length % 2 ? ratios[middle]! : (ratios[middle - 1]! + ratios[middle]!) / 2;
    const expectedMarks = new Map(
      totals.map(({ code, requested, expected }) => {
        const scaled = expected * typical;
        const mark =
          requested > 1.5 * scaled && requested - scaled >= 1
            ? 'over'
            : requested < 0.5 * scaled && scaled - requested >= 1
              ? 'under'
              : 'none';
        return [code, mark];
      }),
    );
    for (const row of rows) expect(row.mark, row.code).toBe(expectedMarks.get(row.code));
    const marked = rows.filter((r) => r.mark !== 'none').length;
    expect(await page.$$('[data-testid="station-row"] [data-testid="evidence-mark"]')).toHaveLength(marked);

    const zones = await drawnZones(page);
    expect([...zones.keys()].sort()).toEqual(detail.zones.map((z) => z.id).sort());
    expect(zones.size).toBe(4);
    // Without a plan each zone has its own colour.
    expect(new Set(zones.values()).size).toBe(4);
    const stations = new Set((await rendered(page, 'holidays-stations-circle')).map((f) => f.code));
    expect(stations.size).toBe(13);
  });

  it('opens a station’s editor per day, shift and duty with the evidence beside it, and saves a change', async () => {
    const station = detail.stations[0]!;
    await page.click(`[data-testid="station-row"][data-code="${station.code}"] td:first-child`);
    await page.waitForSelector('[data-testid="demand-editor"]');
    // Asked and own-on-duty for 7 days × 3 shifts × 3 duties.
    expect(await page.$$('[data-testid="demand-editor"] input.cell-input')).toHaveLength(7 * 3 * 3 * 2);
    const key = `${station.code}|0|0|incident`;
    const before = detail.demands.find((d) => `${d.stationCode}|${d.day}|${d.shift}|${d.duty}` === key)!;
    // Day 1, the first shift: the first cell asked is the incident duty's (DUTIES' order).
    const input = '[data-testid="demand-editor"] tbody tr:first-child input.cell-input.officers';
    expect(await page.inputValue(input)).toBe(String(before.officers));
    await page.fill(input, String(before.officers + 3));
    // Typing keeps the cursor in the cell while the panel follows the draft.
    expect(await page.$eval(input, (cell) => document.activeElement === cell)).toBe(true);
    expect(await page.textContent('[data-testid="demand-save"]')).toContain('1');
    await page.screenshot({ path: 'test-results/holidays-demands.png' });
    await page.click('[data-testid="demand-save"]');
    await page.waitForSelector('[data-testid="holidays-notice"].ok');
    const saved = await api<HolidayDetail>(`/api/holidays/${holiday.id}`);
    const after = saved.demands.find((d) => `${d.stationCode}|${d.day}|${d.shift}|${d.duty}` === key)!;
    expect(after.officers).toBe(before.officers + 3);
    // Every other cell of every station is as it was.
    const others = (list: HolidayDetail['demands']) =>
      list
        .filter((d) => `${d.stationCode}|${d.day}|${d.shift}|${d.duty}` !== key)
        .map((d) => `${d.stationCode}|${d.day}|${d.shift}|${d.duty}|${d.officers}|${d.ownOnDuty}`)
        .sort();
    expect(others(saved.demands)).toEqual(others(detail.demands));
    detail = saved;
    await page.click(`[data-testid="station-row"][data-code="${station.code}"] td:first-child`);
  });

  it('lists the officer pool with home units and qualifications, and saves an officer’s unavailable shift', async () => {
    await page.click('[data-testid="holidays-tab-pool"]');
    await page.waitForSelector('[data-testid="officer-row"]', { timeout: 30_000 });
    expect(await page.$$('[data-testid="officer-row"]')).toHaveLength(detail.pool.officers);
    const summary = await page.textContent('[data-testid="pool-summary"]');
    expect(summary).toContain(`有交通资质 ${detail.pool.trafficQualified} 人`);
    const officers = await api<HolidayOfficer[]>(`/api/holidays/${holiday.id}/officers`);
    const officer = officers.find((o) => o.unavailable.length === 0 && o.qualifications.includes('traffic'))!;
    // Found by name, in a list that narrows as one types.
    await page.fill('[data-testid="officer-query"]', officer.name);
    const shown = await page.$$eval('[data-testid="officer-row"]', (trs) =>
      trs.map((tr) => tr.getAttribute('data-id')),
    );
    expect(shown).toContain(officer.id);
    expect(shown.length).toBe(officers.filter((o) => o.name.includes(officer.name)).length);
    await page.click(`[data-testid="officer-row"][data-id="${officer.id}"]`);
    await page.waitForSelector('[data-testid="availability"]');
    expect(await page.$$('[data-testid="availability"] button.slot.on')).toHaveLength(7 * 3);
    // Day 2, the night shift (16–24): off.
    await page.click('[data-testid="availability"] tbody tr:nth-child(3) td:nth-child(3) button');
    await page.waitForSelector('[data-testid="holidays-notice"].ok');
    const saved = (await api<HolidayOfficer[]>(`/api/holidays/${holiday.id}/officers`)).find(
      (o) => o.id === officer.id,
    )!;
    expect(saved.unavailable).toEqual([[1, 2]]);
    expect(await page.$$('[data-testid="availability"] button.slot.off')).toHaveLength(1);
    await page.screenshot({ path: 'test-results/holidays-pool.png' });
    await page.fill('[data-testid="officer-query"]', '');
  });

  it('solves the holiday and colours every war zone by its coverage; coverage, roster and explanations are shown', async () => {
    await page.click('[data-testid="holidays-tab-plan"]');
    await page.waitForSelector('[data-testid="solve-form"]');
    // The panel says it is solving at once (read in the same task as the click: on a fast machine the
    // solve may answer before a second round trip to the page), and stays usable meanwhile.
    const atClick = await page.evaluate(() => {
      document.querySelector<HTMLButtonElement>('[data-testid="solve-button"]')!.click();
      const h = (window as unknown as HolidayWindow).shanwang.store.current.holidays;
      const button = document.querySelector<HTMLButtonElement>('[data-testid="solve-button"]')!;
      return { solve: h.solve.status, disabled: button.disabled };
    });
    expect(atClick).toEqual({ solve: 'running', disabled: true });
    const planId = await planShown(page, null);
    const plan = await api<PlanDetail>(`/api/holidays/${holiday.id}/plans/${planId}`);
    expect(plan.coverage.total.demanded).toBe(detail.demands.reduce((sum, d) => sum + d.officers, 0));

    const zones = await drawnZones(page);
    expect(zones.size).toBe(4);
    for (const zone of detail.zones) {
      const totals = plan.coverage.byZone.find((z) => z.zoneId === String(zone.id))!;
      expect(zones.get(zone.id), zone.name).toBe(expectedColour(totals));
    }

    const zoneRows = await page.$$eval('[data-testid="coverage-zone"]', (trs) =>
      trs.map((tr) => ({ zone: tr.getAttribute('data-zone'), text: tr.textContent ?? '' })),
    );
    expect(zoneRows).toHaveLength(4);
    for (const row of zoneRows) {
      const totals = plan.coverage.byZone.find((z) => z.zoneId === row.zone)!;
      expect(row.text).toContain(`${Math.floor((100 * totals.met) / totals.demanded)}%`);
    }
    expect(await page.$$('[data-testid="coverage-duty"]')).toHaveLength(3);
    expect(await page.$$('[data-testid="coverage-day"]')).toHaveLength(7);
    // The station chosen before narrowed the lists to its war zone; the zone's chip widens them again.
    const asked = plan.coverage.byStation.filter((s) => s.demanded > 0);
    const zoneId = String(detail.stations[0]!.warZoneId);
    expect(await page.$$('[data-testid="coverage-station"]')).toHaveLength(
      asked.filter((s) => s.zoneId === zoneId).length,
    );
    await page.click('[data-testid="zone-chip"] >> nth=0');
    await page.waitForFunction(() => !document.querySelector('[data-testid="zone-chip"]'));
    expect(await page.$$('[data-testid="coverage-station"]')).toHaveLength(asked.length);

    const headline = await page.textContent('[data-testid="plan-headline"]');
    expect(headline).toContain(plan.status === 'optimal' ? '最优解' : '可行解');
    expect(headline).toContain('比例分配');
    expect(await page.textContent('[data-testid="plan-baseline"]')).toContain(
      plan.baseline.unmet.toLocaleString('zh-CN'),
    );

    // The roster opens on the first day, a column per shift; then the whole holiday.
    const rosterOfficers = () =>
      page.$$eval('[data-testid="roster-row"]', (trs) => trs.map((tr) => tr.getAttribute('data-officer')!));
    const firstDay = new Set(plan.assignments.filter((a) => a.day === 0).map((a) => a.officerId));
    const listed = await rosterOfficers();
    expect(listed).toHaveLength(Math.min(80, firstDay.size));
    for (const id of listed) expect(firstDay.has(id), id).toBe(true);
    const officer = plan.assignments.find((a) => a.day === 0 && a.officerId === listed[0])!;
    const row = await page.textContent(`[data-testid="roster-row"][data-officer="${officer.officerId}"]`);
    expect(row).toContain(officer.officerName);
    expect(row).toContain(officer.stationName.replace(/派出所$/, ''));
    await page.selectOption('[data-testid="roster-day"]', '');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="roster-row"]').length > 0);
    const all = new Set(plan.assignments.map((a) => a.officerId));
    expect(await rosterOfficers()).toHaveLength(Math.min(80, all.size));
    await page.selectOption('[data-testid="roster-day"]', '0');

    const sentences = await page.$$eval('[data-testid="explanation"]', (lis) =>
      lis.map((li) => ({ kind: li.getAttribute('data-kind'), text: li.textContent })),
    );
    if (plan.unmet > 0) {
      const short = sentences.filter((s) => s.kind === 'short');
      expect(short.length).toBeGreaterThan(0);
      for (const s of short) expect(plan.explanations.map((e) => e.textZh)).toContain(s.text);
      expect(sentences.some((s) => s.kind === 'extra_officer')).toBe(true);
    } else {
      expect(sentences[0]!.kind).toBe('all_met');
    }
    // The commander's view: the holiday, its figures and the plan read out beside the map.
    await page.$eval('[data-testid="holiday-select"]', (element) => element.scrollIntoView());
    await page.screenshot({ path: 'test-results/holidays.png' });
    await page.$eval('[data-testid="coverage-zones"]', (element) => element.scrollIntoView());
    await page.screenshot({ path: 'test-results/holidays-coverage.png' });
  });

  it('prints one war zone’s plan on one landscape page', async () => {
    const zone = detail.zones[0]!;
    await page.click(`[data-testid="coverage-zone"][data-zone="${zone.id}"] td:first-child`);
    await page.waitForSelector('[data-testid="zone-print-sheet"]', { state: 'attached' });
    expect(await page.isVisible('[data-testid="zone-print-sheet"]')).toBe(false);
    await page.emulateMedia({ media: 'print' });
    expect(await page.isVisible('[data-testid="zone-print-sheet"]')).toBe(true);
    expect(await page.isVisible('[data-testid="map"]')).toBe(false);
    const sheet = await page.textContent('[data-testid="zone-print-sheet"]');
    expect(sheet).toContain(zone.name);
    for (const code of zone.stationCodes) expect(sheet).toContain(detail.stations.find((s) => s.code === code)!.name);
    await page.screenshot({ path: 'test-results/holidays-print.png' });
    const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true });
    fs.writeFileSync('test-results/holidays-zone.pdf', pdf);
    expect(pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g)).toHaveLength(1);
    await page.emulateMedia({ media: 'screen' });
    await page.click(`[data-testid="coverage-zone"][data-zone="${zone.id}"] td:first-child`);
  });

  it('re-solves with fewer officers and compares the two plans zone by zone', async () => {
    const first = (await holidaysState(page)).planId!;
    const fewer = Math.round(detail.pool.officers / 2);
    await page.fill('[data-testid="solve-pool"]', String(fewer));
    await page.click('[data-testid="solve-button"]');
    const second = await planShown(page, first);
    const plan = await api<PlanDetail>(`/api/holidays/${holiday.id}/plans/${second}`);
    expect(plan.poolSize).toBe(fewer);
    await page.click('[data-testid="holidays-tab-compare"]');
    await page.waitForSelector('[data-testid="compare-zone"]', { timeout: 30_000 });
    const comparison = await api<PlanComparison>(`/api/holidays/${holiday.id}/plans/compare?a=${first}&b=${second}`);
    expect(await page.$$('[data-testid="compare-zone"]')).toHaveLength(comparison.byZone.length);
    const total = await page.textContent('[data-testid="compare-total"]');
    expect(total).toContain(`A ${comparison.total.metBefore.toLocaleString('zh-CN')}`);
    expect(total).toContain(`B ${comparison.total.metAfter.toLocaleString('zh-CN')}`);
    // Half the pool cannot cover more.
    expect(comparison.total.metAfter).toBeLessThanOrEqual(comparison.total.metBefore);
    await page.screenshot({ path: 'test-results/holidays-compare.png' });
  });

  it('publishes a plan and offers its roster for download', async () => {
    await page.click('[data-testid="holidays-tab-plan"]');
    await page.click('[data-testid="plan-publish"]');
    await page.waitForSelector('[data-testid="holidays-notice"].ok');
    expect(dialogs.at(-1)).toContain('确定发布');
    const published = (await api<HolidaySummary[]>('/api/holidays')).find((h) => h.id === holiday.id)!;
    expect(published.status).toBe('published');
    expect(published.publishedPlanId).toBe((await holidaysState(page)).planId);
    const href = await page.getAttribute('[data-testid="roster-csv"]', 'href');
    const csv = await app.server.fetch(href!);
    expect(csv.status).toBe(200);
    expect(await csv.text()).toContain('派往派出所');
  });

  it('moves a station to another war zone, and the zones on the map follow', async () => {
    await page.click('[data-testid="holidays-tab-demands"]');
    // A station of a zone that keeps another one, so four zones stay.
    const from = detail.zones.find((z) => z.stationCodes.length >= 2)!;
    const station = detail.stations.find((s) => s.code === from.stationCodes[0])!;
    const target = detail.zones.find((z) => z.id !== from.id)!;
    await page.selectOption(`[data-testid="station-row"][data-code="${station.code}"] select`, String(target.id));
    await page.waitForSelector('[data-testid="holidays-notice"].ok');
    await page.waitForFunction(
      ([code, zone]) =>
        document
          .querySelector(`[data-testid="station-row"][data-code="${code}"]`)
          ?.closest('tbody')
          ?.querySelector('.zone-row')
          ?.getAttribute('data-zone') === zone,
      [station.code, String(target.id)],
      { timeout: 30_000 },
    );
    const areas = await api<ZoneAreas>(`/api/holidays/${holiday.id}/zones.geojson`);
    expect(areas.features.find((f) => f.properties.zoneId === target.id)!.properties.stationCodes).toContain(
      station.code,
    );
    await waitForMapIdle(page);
    expect((await drawnZones(page)).size).toBe(4);
  });

  it('creates a holiday from its name, dates and shifts, and opens it', async () => {
    await page.click('[data-testid="holiday-new"]');
    await page.waitForSelector('[data-testid="holiday-create"]');
    await page.fill('[data-testid="holiday-create"] input[name="name"]', '2027年国庆');
    await page.fill('[data-testid="holiday-create"] input[name="firstDay"]', '2027-10-01');
    await page.fill('[data-testid="holiday-create"] input[name="days"]', '5');
    await page.selectOption('[data-testid="holiday-create"] select[name="shiftsPerDay"]', '2');
    await page.click('[data-testid="holiday-create"] button[type="submit"]');
    await page.waitForSelector('[data-testid="holidays-notice"].ok');
    const created = (await api<HolidaySummary[]>('/api/holidays')).find((h) => h.name === '2027年国庆')!;
    expect(created).toMatchObject({ firstDay: '2027-10-01', days: 5, shiftsPerDay: 2, status: 'draft' });
    await page.waitForFunction(
      (id) => (window as unknown as HolidayWindow).shanwang.store.current.holidays.holidayId === id,
      created.id,
    );
    expect(await page.inputValue('[data-testid="holiday-select"]')).toBe(String(created.id));
    await page.waitForSelector('[data-testid="station-row"]');
    expect(await page.textContent('[data-testid="holiday-summary"]')).toContain('2027-10-01 至 2027-10-05');
    expect(await page.textContent('[data-testid="holiday-requested"] strong')).toBe('0');
  });

  it('reads in English too, the explanations included', async () => {
    await page.click('[data-testid="holidays-tab-plan"]');
    await page.selectOption('[data-testid="holiday-select"]', String(holiday.id));
    await page.waitForSelector('[data-testid="plan-headline"]', { timeout: 30_000 });
    await page.getByRole('button', { name: 'English' }).click();
    await expect.poll(() => page.locator('[data-testid=panel] h1').innerText()).toBe('Holiday policing');
    expect(await page.textContent('[data-testid="holidays-tab-compare"]')).toBe('Compare');
    const planId = (await holidaysState(page)).planId!;
    const plan = await api<PlanDetail>(`/api/holidays/${holiday.id}/plans/${planId}`);
    const sentences = await page.$$eval('[data-testid="explanation"]', (lis) => lis.map((li) => li.textContent));
    expect(sentences.length).toBeGreaterThan(0);
    for (const sentence of sentences) expect(plan.explanations.map((e) => e.textEn)).toContain(sentence);
    await page.screenshot({ path: 'test-results/holidays-en.png' });
    await page.getByRole('button', { name: '中文' }).click();
    await expect.poll(() => page.locator('[data-testid=panel] h1').innerText()).toBe('假日警务');
  });

  it('asked nothing of any other server', () => {
    expect(foreignRequests(app.requested, app.server.baseUrl)).toEqual([]);
  });
});
