import { describe, expect, it } from 'vitest';
import { Random } from '../../../../server/county/generate/random.js';
import {
  clampEndMonth,
  currentWindow,
  firstEndIndex,
  initialRiskState,
  legendIsCurrent,
  riskData,
  riskQueries,
  riskResources,
  scaleKeyOf,
  shiftMonth,
  updateRisk,
  WINDOW_LENGTHS,
  windowOf,
  type RiskAction,
  type RiskHexes,
  type RiskMeta,
  type RiskState,
} from './state.js';
import { deepFreeze } from '../../../../test/deep-freeze.js';
import { initialResourceState, updateResourceState, withCounty, type ResourceState } from '../../frame/resource.js';

/** 2023-01 … 2024-12: 24 months. */
const MONTHS = Array.from(
  { length: 24 },
  (_, i) => `${2023 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`,
);
const META: RiskMeta = deepFreeze({
  countyCode: '330329',
  categories: ['incident', 'dispute', 'petition', 'fraud', 'traffic_accident'],
  months: MONTHS,
  resolutions: [7, 8],
  defaultBandwidthMetres: 1500,
  townships: [
    { code: '330329100', name: '罗阳镇' },
    { code: '330329101', name: '司前畲族镇' },
  ],
  events: 1234,
});

function hexes(breaks: number[], total: number, measure: 'count' | 'per1000' = 'count'): RiskHexes {
  return deepFreeze({
    type: 'FeatureCollection',
    features: [],
    total,
    months: 3,
    measure,
    resolution: 7,
    breaks,
    classes: breaks.length + 1,
  });
}

/** Apply actions one after another, freezing every state on the way (catches mutation). */
function run(state: RiskState, ...actions: RiskAction[]): RiskState {
  return actions.reduce((s, a) => deepFreeze(updateRisk(s, a)), deepFreeze(state));
}

const ready = run(initialRiskState(), { type: 'risk/meta', meta: { kind: 'ready', data: META } });

/** Show the answer to the hexes the state wants now (its key with the county, as the resource layer asks). */
function loadHexes(state: RiskState, data: RiskHexes): RiskState {
  const key = withCounty(riskQueries(state).hexes!, '330329');
  return run(state, { type: 'risk/hexesShown', key, data });
}

describe('months and windows', () => {
  it('shifts months across year ends', () => {
    expect(shiftMonth('2024-01', -1)).toBe('2023-12');
    expect(shiftMonth('2023-11', 14)).toBe('2025-01');
    expect(shiftMonth('2024-03', 0)).toBe('2024-03');
    expect(shiftMonth('2024-12', -24)).toBe('2022-12');
  });

  it('gives a window’s first month and length, clipped to the data', () => {
    expect(windowOf(MONTHS, '2024-03', 3)).toEqual({ from: '2024-01', to: '2024-03', months: 3 });
    expect(windowOf(MONTHS, '2024-03', 12)).toEqual({ from: '2023-04', to: '2024-03', months: 12 });
    expect(windowOf(MONTHS, '2024-03', 1)).toEqual({ from: '2024-03', to: '2024-03', months: 1 });
    expect(windowOf(MONTHS, '2023-02', 3)).toEqual({ from: '2023-01', to: '2023-02', months: 2 });
  });

  it('lets a window end only where it is whole', () => {
    expect(firstEndIndex(MONTHS, 1)).toBe(0);
    expect(firstEndIndex(MONTHS, 3)).toBe(2);
    expect(firstEndIndex(MONTHS, 12)).toBe(11);
    expect(firstEndIndex(MONTHS.slice(0, 5), 12)).toBe(4);
    expect(firstEndIndex([], 3)).toBe(0);
    expect(clampEndMonth(MONTHS, 12, '2023-03')).toBe('2023-12');
    expect(clampEndMonth(MONTHS, 3, '2023-03')).toBe('2023-03');
    expect(clampEndMonth(MONTHS, 3, null)).toBe('2024-12');
    expect(clampEndMonth(MONTHS, 3, '2030-01')).toBe('2024-12');
    expect(clampEndMonth([], 3, '2024-01')).toBeNull();
  });

  it('keeps every window whole and inside the data under random slider moves (seeded)', () => {
    const random = new Random('risk-slider');
    let state = ready;
    for (let i = 0; i < 500; i++) {
      const pick = random.int(0, 4);
      const action: RiskAction =
        pick === 0
          ? { type: 'risk/setWindowLength', months: WINDOW_LENGTHS[random.int(0, 2)]! }
          : pick === 1
            ? { type: 'risk/play' }
            : pick === 2
              ? { type: 'risk/step' }
              : { type: 'risk/setEndMonth', month: MONTHS[random.int(0, MONTHS.length - 1)]! };
      state = run(state, action);
      const window = currentWindow(state)!;
      expect(window.months).toBe(state.windowLength);
      expect(MONTHS).toContain(window.from);
      expect(MONTHS).toContain(window.to);
      expect(window.to).toBe(state.endMonth);
    }
  });
});

describe('the leaders’ workspace state', () => {
  it('starts on the latest three months of every category once the meta is there', () => {
    expect(initialRiskState().endMonth).toBeNull();
    expect(riskQueries(initialRiskState()).hexes).toBeNull();
    expect(ready.endMonth).toBe('2024-12');
    expect(currentWindow(ready)).toEqual({ from: '2024-10', to: '2024-12', months: 3 });
    expect(ready.categories).toEqual(['incident', 'dispute', 'petition', 'fraud', 'traffic_accident']);
  });

  it('clamps the window end when the window grows', () => {
    const early = run(ready, { type: 'risk/setEndMonth', month: '2023-03' });
    expect(early.endMonth).toBe('2023-03');
    const year = run(early, { type: 'risk/setWindowLength', months: 12 });
    expect(year.endMonth).toBe('2023-12');
    expect(currentWindow(year)).toEqual({ from: '2023-01', to: '2023-12', months: 12 });
    // Shrinking keeps the end where it is.
    expect(run(year, { type: 'risk/setWindowLength', months: 1 }).endMonth).toBe('2023-12');
  });

  it('plays a month a beat and stops at the last month; play at the end starts over', () => {
    let state = run(ready, { type: 'risk/setEndMonth', month: '2024-10' }, { type: 'risk/play' });
    expect(state.playing).toBe(true);
    state = run(state, { type: 'risk/step' });
    expect([state.endMonth, state.playing]).toEqual(['2024-11', true]);
    state = run(state, { type: 'risk/step' });
    expect([state.endMonth, state.playing]).toEqual(['2024-12', false]);
    expect(run(state, { type: 'risk/step' })).toBe(state);
    state = run(state, { type: 'risk/play' });
    // The first whole three-month window ends on the third month.
    expect([state.endMonth, state.playing]).toEqual(['2023-03', true]);
    // The slider taken by hand stops the player.
    state = run(state, { type: 'risk/setEndMonth', month: '2024-01' });
    expect([state.endMonth, state.playing]).toEqual(['2024-01', false]);
  });

  it('keeps categories in one order and never drops the last one', () => {
    let state = run(ready, { type: 'risk/toggleCategory', category: 'dispute' });
    expect(state.categories).toEqual(['incident', 'petition', 'fraud', 'traffic_accident']);
    state = run(state, { type: 'risk/toggleCategory', category: 'dispute' });
    expect(state.categories).toEqual(['incident', 'dispute', 'petition', 'fraud', 'traffic_accident']);
    for (const c of ['incident', 'dispute', 'petition', 'traffic_accident'] as const) {
      state = run(state, { type: 'risk/toggleCategory', category: c });
    }
    expect(state.categories).toEqual(['fraud']);
    expect(run(state, { type: 'risk/toggleCategory', category: 'fraud' })).toBe(state);
  });

  it('asks again only for what a change touches', () => {
    const before = riskQueries(ready);
    expect(before.hexes).toBe(
      '/api/risk/hexes?categories=incident%2Cdispute%2Cpetition%2Cfraud%2Ctraffic_accident&from=2024-10&to=2024-12&resolution=7&measure=count',
    );
    expect([before.hotspots, before.density, before.emerging, before.cell]).toEqual([null, null, null, null]);
    const emerging = run(ready, { type: 'risk/setLayer', layer: 'emerging' });
    const moved = run(emerging, { type: 'risk/setEndMonth', month: '2024-05' });
    const a = riskQueries(emerging);
    const b = riskQueries(moved);
    expect(b.hexes).not.toBe(a.hexes);
    expect(b.ranking).not.toBe(a.ranking);
    // Emerging labels span every month; governance figures are fixed: the window leaves them be.
    expect(b.emerging).toBe(a.emerging);
    expect(b.governance).toBe(a.governance);
    expect(a.emerging).toBe(
      '/api/risk/emerging?categories=incident%2Cdispute%2Cpetition%2Cfraud%2Ctraffic_accident&resolution=7',
    );
    // Toggling a category off and on again asks exactly the same question.
    const back = run(
      moved,
      { type: 'risk/toggleCategory', category: 'petition' },
      { type: 'risk/toggleCategory', category: 'petition' },
    );
    expect(riskQueries(back)).toEqual(b);
    // Zooming in takes the finer hexagons; a township narrows the village ranking.
    const zoomed = run(
      ready,
      { type: 'risk/setZoomedIn', zoomedIn: true },
      { type: 'risk/setTownship', township: '330329101' },
    );
    expect(riskQueries(zoomed).hexes).toContain('resolution=8');
    expect(riskQueries(zoomed).hexes).toContain('township=330329101');
    expect(riskQueries(zoomed).ranking).not.toContain('township=');
    const villages = run(zoomed, { type: 'risk/setRankingLevel', level: 'village' });
    expect(riskQueries(villages).ranking).toBe(
      '/api/risk/ranking?level=village&categories=incident%2Cdispute%2Cpetition%2Cfraud%2Ctraffic_accident&from=2024-10&to=2024-12&limit=15&township=330329101',
    );
    const cell = run(ready, { type: 'risk/selectCell', h3: '8730e1a2cffffff' });
    expect(riskQueries(cell).cell).toBe(
      '/api/risk/cells/8730e1a2cffffff?categories=incident%2Cdispute%2Cpetition%2Cfraud%2Ctraffic_accident&from=2024-10&to=2024-12',
    );
  });

  it('wants its resources by name, and the resource layer drops answers to questions no longer asked', () => {
    const wants = riskResources(ready);
    expect(wants[riskData.hexes.name]).toBe(riskQueries(ready).hexes);
    expect(wants[riskData.governance.name]).toBe('/api/risk/governance');
    expect(wants[riskData.hotspots.name]).toBeNull();
    const name = riskData.hexes.name;
    const keyA = withCounty(riskQueries(ready).hexes!, '330329');
    const keyB = withCounty(riskQueries(run(ready, { type: 'risk/setEndMonth', month: '2024-06' })).hexes!, '330329');
    const step = (state: ResourceState, ...actions: Parameters<typeof updateResourceState>[1][]) =>
      actions.reduce((s, a) => deepFreeze(updateResourceState(s, a)), deepFreeze(state));
    const asked = step(
      initialResourceState('330329'),
      { type: 'resource/requested', name, key: keyA },
      { type: 'resource/requested', name, key: keyB },
    );
    expect(step(asked, { type: 'resource/loaded', name, key: keyA, data: hexes([1, 2], 10) })).toBe(asked);
    const answered = step(asked, { type: 'resource/loaded', name, key: keyB, data: hexes([1, 2], 20) });
    expect(riskData.hexes.of(answered)).toMatchObject({ key: keyB, status: 'ready', dataKey: keyB });
    // The next request keeps the last answer on screen until its own arrives.
    const next = step(answered, { type: 'resource/requested', name, key: keyA });
    expect(riskData.hexes.of(next)).toMatchObject({ key: keyA, status: 'loading', dataKey: keyB });
    expect(riskData.hexes.of(next).data?.total).toBe(20);
  });

  it('keeps the very same legend while only the window moves', () => {
    const first = loadHexes(ready, hexes([1, 2, 4, 8], 300));
    const legend = first.legend!;
    expect(legend).toEqual({
      scaleKey: scaleKeyOf(riskQueries(ready).hexes!),
      measure: 'count',
      breaks: [1, 2, 4, 8],
      classes: 5,
    });
    expect(legend.scaleKey).not.toContain('2024');
    expect(legendIsCurrent(first)).toBe(true);
    let state = first;
    for (const month of ['2024-09', '2024-05', '2023-12']) {
      state = run(state, { type: 'risk/setEndMonth', month });
      expect(state.legend).toBe(legend);
      expect(legendIsCurrent(state)).toBe(true);
      state = loadHexes(state, hexes([1, 2, 4, 8], 100));
      expect(state.legend).toBe(legend);
    }
    state = loadHexes(run(state, { type: 'risk/setWindowLength', months: 12 }), hexes([1, 2, 4, 8], 1200));
    expect(state.legend).toBe(legend);
  });

  it('replaces the legend when categories, measure or resolution change', () => {
    const first = loadHexes(ready, hexes([1, 2, 4, 8], 300));
    const per1000 = run(first, { type: 'risk/setMeasure', measure: 'per1000' });
    // Until the new scale arrives the old legend stays, marked as not current.
    expect(per1000.legend).toBe(first.legend);
    expect(legendIsCurrent(per1000)).toBe(false);
    const loaded = loadHexes(per1000, hexes([0.05, 0.1, 0.2], 300, 'per1000'));
    expect(loaded.legend).toMatchObject({ measure: 'per1000', breaks: [0.05, 0.1, 0.2], classes: 4 });
    expect(legendIsCurrent(loaded)).toBe(true);
    const fewer = loadHexes(run(first, { type: 'risk/toggleCategory', category: 'fraud' }), hexes([1, 2, 4, 8], 250));
    expect(fewer.legend).not.toBe(first.legend);
    expect(fewer.legend?.scaleKey).not.toBe(first.legend?.scaleKey);
    const finer = loadHexes(run(first, { type: 'risk/setZoomedIn', zoomedIn: true }), hexes([1, 2, 3], 300));
    expect(finer.legend?.breaks).toEqual([1, 2, 3]);
  });

  it('starts over after an import but keeps the leader’s choices', () => {
    const chosen = loadHexes(run(ready, { type: 'risk/setLayer', layer: 'hotspots' }), hexes([1, 2], 5));
    const reset = run(chosen, { type: 'risk/reset' });
    expect(reset.meta).toEqual({ kind: 'idle' });
    expect(reset.legend).toBeNull();
    expect(reset.layer).toBe('hotspots');
    expect(reset.endMonth).toBe('2024-12');
  });
});

describe('the density bandwidth', () => {
  it('uses the default rule until a leader picks another bandwidth, and only the density asks again', () => {
    const density = run(ready, { type: 'risk/setLayer', layer: 'density' });
    expect(riskQueries(density).density).toContain(`bandwidthMetres=${META.defaultBandwidthMetres}`);
    const wider = run(density, { type: 'risk/setBandwidth', metres: 3000 });
    expect(riskQueries(wider).density).toContain('bandwidthMetres=3000');
    expect(riskQueries(wider).hexes).toBe(riskQueries(density).hexes);
    expect(run(wider, { type: 'risk/setBandwidth', metres: null }).bandwidthMetres).toBeNull();
  });
});
