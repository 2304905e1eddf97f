import { translate, type Locale, type MessageKey } from '../../i18n/index.js';
import { DENSITY_COLOURS, EMERGING_COLOURS, EMERGING_LABELS, HEX_COLOURS, HOTSPOT_COLOURS } from './map-layers.js';
import { sparkline } from './sparkline.js';
import {
  currentWindow,
  firstEndIndex,
  layerResource,
  legendIsCurrent,
  RISK_CATEGORIES,
  RISK_LAYERS,
  WINDOW_LENGTHS,
  type Fetched,
  type RiskCategory,
  type RiskCellBreakdown,
  type RiskGovernance,
  type RiskRanking,
  type RiskResource,
  type RiskState,
} from './state.js';
import type { Action } from '../../state.js';
import { el } from '../../ui/dom.js';
import { segmented } from '../../ui/segmented.js';

type T = (key: MessageKey, values?: Record<string, string | number>) => string;
type Dispatch = (action: Action) => void;

/** Colours of the category marks (checkboxes, cell card bars). */
const CATEGORY_COLOURS: Record<RiskCategory, string> = {
  incident: '#1f5f8b',
  dispute: '#8e6c1f',
  petition: '#6b3f8c',
  fraud: '#b3261e',
  traffic_accident: '#2f7d4f',
};

const translator =
  (locale: Locale): T =>
  (key, values) =>
    translate(locale, key, values);

const numberText = (locale: Locale, value: number, fractionDigits = 0) =>
  new Intl.NumberFormat(locale, { maximumFractionDigits: fractionDigits }).format(value);

/** A 'YYYY-MM' month as the reader says it (2024年03月, 2024-03). */
function monthText(t: T, month: string): string {
  const [year = '', monthOfYear = ''] = month.split('-');
  return t('risk.month', { year, month: monthOfYear });
}

function windowText(t: T, window: { from: string; to: string }): string {
  return window.from === window.to
    ? monthText(t, window.to)
    : t('risk.window.range', { from: monthText(t, window.from), to: monthText(t, window.to) });
}

/** A ± percentage with a real minus sign; null when there is nothing to compare with. */
export function changeText(changePercent: number | null): string | null {
  if (changePercent === null) return null;
  const rounded = Math.round(changePercent);
  return rounded > 0 ? `+${rounded}%` : rounded < 0 ? `−${-rounded}%` : '0%';
}

const ERROR_KEY: Record<RiskResource, MessageKey> = {
  hexes: 'risk.error.hexes',
  hotspots: 'risk.error.hotspots',
  emerging: 'risk.error.emerging',
  density: 'risk.error.density',
  ranking: 'risk.error.ranking',
  cell: 'risk.error.cell',
  governance: 'risk.error.governance',
};

function errorLine(t: T, resource: RiskResource, fetched: Fetched<unknown>): HTMLElement | null {
  return fetched.status === 'error'
    ? el(
        'p',
        { class: 'error', 'data-testid': `risk-error-${resource}` },
        t(ERROR_KEY[resource], { message: fetched.message ?? '' }),
      )
    : null;
}

// ---- The side panel --------------------------------------------------------------------------

/** The leaders' panel: map and filter choices, the selected hexagon, the ranking and governance. */
export function riskPanel(locale: Locale, state: RiskState, dispatch: Dispatch): HTMLElement {
  const t = translator(locale);
  const root = el('section', { class: 'risk', 'data-testid': 'risk-panel' });
  if (state.meta.kind === 'error') {
    root.append(el('p', { class: 'error' }, t('risk.error.meta', { message: state.meta.message })));
    return root;
  }
  if (state.meta.kind !== 'ready') {
    root.append(el('p', { class: 'muted', 'data-testid': 'risk-loading' }, t('risk.loading')));
    return root;
  }
  const meta = state.meta.data;
  if (meta.events === 0 || meta.months.length === 0) {
    root.append(el('p', { class: 'notice', 'data-testid': 'risk-no-data' }, t('risk.noData')));
    return root;
  }
  root.append(choices(t, state, dispatch));
  const shown = layerResource(state.layer);
  for (const resource of new Set<RiskResource>(['hexes', shown])) {
    const line = errorLine(t, resource, state.fetched[resource]);
    if (line) root.append(line);
  }
  if (state.cell) root.append(cellCard(locale, t, state, dispatch));
  root.append(rankingBlock(locale, t, state, dispatch));
  root.append(governanceBlock(locale, t, state.fetched.governance));
  return root;
}

function choices(t: T, state: RiskState, dispatch: Dispatch): HTMLElement {
  const meta = state.meta.kind === 'ready' ? state.meta.data : null;
  const categories = el(
    'div',
    { class: 'categories' },
    ...RISK_CATEGORIES.filter((c) => meta?.categories.includes(c)).map((category) => {
      const checked = state.categories.includes(category);
      const box = el('input', {
        type: 'checkbox',
        name: 'category',
        value: category,
        checked,
        // The last category cannot be switched off.
        disabled: checked && state.categories.length === 1,
        'data-testid': `risk-category-${category}`,
      });
      box.addEventListener('change', () => dispatch({ type: 'risk/toggleCategory', category }));
      return el(
        'label',
        { class: checked ? 'chip on' : 'chip' },
        box,
        el('span', { class: 'dot', style: `background:${CATEGORY_COLOURS[category]}` }),
        t(`risk.category.${category}`),
      );
    }),
  );
  const township = el(
    'select',
    { name: 'township', 'data-testid': 'risk-township' },
    el('option', { value: '' }, t('risk.township.all')),
    ...(meta?.townships ?? []).map((tw) =>
      el('option', { value: tw.code, selected: tw.code === state.township }, tw.name),
    ),
  );
  township.addEventListener('change', () => dispatch({ type: 'risk/setTownship', township: township.value || null }));
  return el(
    'div',
    { class: 'choices' },
    el(
      'div',
      { class: 'field' },
      el('span', { class: 'label' }, t('risk.layer')),
      segmented(
        'risk-layer',
        RISK_LAYERS.map((layer) => ({ value: layer, label: t(`risk.layer.${layer}`) })),
        state.layer,
        (layer) => dispatch({ type: 'risk/setLayer', layer }),
      ),
    ),
    el('div', { class: 'field' }, el('span', { class: 'label' }, t('risk.categories')), categories),
    el(
      'div',
      { class: 'field row' },
      el('span', { class: 'label' }, t('risk.measure')),
      segmented(
        'risk-measure',
        [
          { value: 'count', label: t('risk.measure.count') },
          { value: 'per1000', label: t('risk.measure.per1000') },
        ] as const,
        state.measure,
        (measure) => dispatch({ type: 'risk/setMeasure', measure }),
        // Only the hexagon counts have a per-household measure.
        state.layer !== 'hexes',
      ),
      el('span', { class: 'label' }, t('risk.township')),
      township,
    ),
    state.layer === 'density' ? bandwidthField(t, state, dispatch) : null,
  );
}

/** Kernel bandwidths offered for the density layer, metres (the default rule's value is added). */
const BANDWIDTHS = [500, 1000, 2000, 3000];

function bandwidthField(t: T, state: RiskState, dispatch: Dispatch): HTMLElement {
  const fallback = state.meta.kind === 'ready' ? state.meta.data.defaultBandwidthMetres : null;
  const current = state.bandwidthMetres ?? fallback;
  const values = [...new Set([...BANDWIDTHS, ...(fallback ? [fallback] : [])])].sort((a, b) => a - b);
  const select = el(
    'select',
    { name: 'bandwidth', 'data-testid': 'risk-bandwidth' },
    ...values.map((metres) =>
      el(
        'option',
        { value: String(metres), selected: metres === current },
        metres === fallback ? t('risk.bandwidth.default', { metres }) : t('risk.bandwidth.option', { metres }),
      ),
    ),
  );
  select.addEventListener('change', () => {
    const metres = Number(select.value);
    dispatch({ type: 'risk/setBandwidth', metres: metres === fallback ? null : metres });
  });
  return el('div', { class: 'field row' }, el('span', { class: 'label' }, t('risk.bandwidth')), select);
}

function cellCard(locale: Locale, t: T, state: RiskState, dispatch: Dispatch): HTMLElement {
  const close = el('button', { type: 'button', class: 'link' }, t('risk.cell.close'));
  close.addEventListener('click', () => dispatch({ type: 'risk/selectCell', h3: null }));
  const fetched = state.fetched.cell;
  // The last answer may be another hexagon's, kept while this one loads: not shown as this one's.
  const cell: RiskCellBreakdown | null = fetched.data?.h3 === state.cell ? fetched.data : null;
  const window = currentWindow(state);
  const card = el('div', { class: 'card cell-card', 'data-testid': 'risk-cell-card' });
  const names = cell?.villages
    .slice(0, 3)
    .map((v) => v.name)
    .join('、');
  card.append(
    el('div', { class: 'row' }, el('h2', {}, names ? `${t('risk.cell')} · ${names}` : t('risk.cell')), close),
  );
  const error = errorLine(t, 'cell', fetched);
  if (error) card.append(error);
  if (!cell || !window) {
    if (fetched.status !== 'error') card.append(el('p', { class: 'muted' }, t('risk.cell.loading')));
    return card;
  }
  card.classList.toggle('stale', fetched.status === 'loading');
  card.append(
    el(
      'p',
      { 'data-testid': 'risk-cell-total' },
      el(
        'strong',
        {},
        t('risk.cell.total', {
          from: monthText(t, window.from),
          to: monthText(t, window.to),
          count: numberText(locale, cell.total),
        }),
      ),
    ),
  );
  const max = Math.max(1, ...state.categories.map((c) => cell.byCategory[c] ?? 0));
  card.append(
    el(
      'div',
      { class: 'bars' },
      ...state.categories.map((category) =>
        el(
          'div',
          { class: 'bar-row' },
          el('span', {}, t(`risk.category.${category}`)),
          el(
            'span',
            { class: 'bar' },
            el('span', {
              style: `width:${(100 * (cell.byCategory[category] ?? 0)) / max}%;background:${CATEGORY_COLOURS[category]}`,
            }),
          ),
          el('span', { class: 'number' }, numberText(locale, cell.byCategory[category] ?? 0)),
        ),
      ),
    ),
  );
  const months = cell.byMonth.map((m) => m.month);
  card.append(
    el('h3', {}, t('risk.cell.byMonth')),
    el(
      'div',
      { class: 'cell-series' },
      sparkline(
        cell.byMonth.map((m) => m.count),
        {
          box: { width: 300, height: 46, padding: 3 },
          window: [months.indexOf(window.from), months.indexOf(window.to)],
          title: cell.byMonth.map((m) => `${m.month}: ${m.count}`).join('\n'),
        },
      ),
      el(
        'div',
        { class: 'axis' },
        el('span', {}, months[0] ? monthText(t, months[0]) : ''),
        el('span', {}, months.at(-1) ? monthText(t, months.at(-1)!) : ''),
      ),
    ),
  );
  if (cell.villages.length > 0) {
    card.append(
      el('h3', {}, t('risk.cell.villages')),
      el(
        'ul',
        { class: 'villages' },
        ...cell.villages
          .slice(0, 6)
          .map((v) =>
            el('li', {}, el('span', {}, v.name), el('span', { class: 'number' }, numberText(locale, v.count))),
          ),
      ),
    );
  }
  card.append(el('p', { class: 'muted small' }, t('risk.cell.aggregates')));
  return card;
}

function trendMark(t: T, direction: 'up' | 'down' | 'none'): HTMLElement {
  const symbol = direction === 'up' ? '↑' : direction === 'down' ? '↓' : '→';
  return el(
    'span',
    { class: `trend ${direction}`, title: t(`risk.trend.${direction}`), 'aria-label': t(`risk.trend.${direction}`) },
    symbol,
  );
}

function rankingBlock(locale: Locale, t: T, state: RiskState, dispatch: Dispatch): HTMLElement {
  const fetched = state.fetched.ranking;
  const ranking: RiskRanking | null = fetched.data;
  const window = currentWindow(state);
  const months = state.meta.kind === 'ready' ? state.meta.data.months : [];
  const band: [number, number] | null = window ? [months.indexOf(window.from), months.indexOf(window.to)] : null;
  const level = segmented(
    'risk-ranking',
    [
      { value: 'township', label: t('risk.ranking.township') },
      { value: 'village', label: t('risk.ranking.village') },
    ] as const,
    state.rankingLevel,
    (value) => dispatch({ type: 'risk/setRankingLevel', level: value }),
  );
  const block = el(
    'div',
    { class: 'ranking' },
    el('div', { class: 'row' }, el('h2', {}, t('risk.ranking')), level),
    window ? el('p', { class: 'muted small' }, windowText(t, window)) : null,
  );
  const error = errorLine(t, 'ranking', fetched);
  if (error) block.append(error);
  if (!ranking) {
    if (fetched.status !== 'error') block.append(el('p', { class: 'muted' }, t('risk.updating')));
    return block;
  }
  // A place with no event in any month is no entry of a ranking (nor, narrowed to a township,
  // are the other townships' villages the server pads the list with).
  const rows = ranking.rows
    .filter((row) => row.series.some((count) => count > 0))
    .map((row, i) => {
      const change = changeText(row.changePercent) ?? (row.count > 0 ? t('risk.ranking.new') : '—');
      const significant = row.changeP < 0.05;
      const direction =
        row.changePercent === null ? 'none' : row.changePercent > 0 ? 'up' : row.changePercent < 0 ? 'down' : 'none';
      const tr = el(
        'tr',
        {
          'data-testid': 'risk-ranking-row',
          'data-code': row.code,
          class: row.code === state.township ? 'selected' : '',
        },
        el('td', { class: 'rank' }, String(i + 1)),
        el(
          'td',
          { class: 'name' },
          row.name,
          row.township ? el('small', {}, row.township) : null,
          row.emerging && row.emerging !== 'none'
            ? el(
                'span',
                { class: `emerging-badge ${row.emerging}`, 'data-testid': 'village-emerging' },
                t(`risk.emerging.${row.emerging}`),
              )
            : null,
        ),
        el('td', { class: 'number' }, numberText(locale, row.count)),
        el(
          'td',
          {
            class: `number change ${significant ? direction : ''}`,
            title: t('risk.change.title', { count: row.count, lastYear: row.lastYear }),
          },
          change,
          significant ? el('sup', { 'data-testid': 'risk-significant' }, '*') : null,
        ),
        el('td', { class: 'center' }, trendMark(t, row.trend.direction)),
        el(
          'td',
          { class: 'spark' },
          sparkline(row.series, { window: band, title: `${row.name} ${t('risk.ranking.series')}` }),
        ),
      );
      if (ranking.level === 'township') {
        tr.addEventListener('click', () => {
          dispatch({ type: 'risk/setTownship', township: row.code });
          dispatch({ type: 'risk/setRankingLevel', level: 'village' });
        });
      }
      return tr;
    });
  block.classList.toggle('stale', fetched.status === 'loading');
  block.append(
    el(
      'table',
      { 'data-testid': 'risk-ranking' },
      el(
        'thead',
        {},
        el(
          'tr',
          {},
          el('th', {}, '#'),
          el('th', {}, t('risk.ranking.name')),
          el('th', { class: 'number' }, t('risk.ranking.count')),
          el('th', { class: 'number' }, t('risk.ranking.change')),
          el('th', {}, t('risk.ranking.trend')),
          el('th', {}, t('risk.ranking.series')),
        ),
      ),
      el('tbody', { class: ranking.level === 'township' ? 'clickable' : '' }, ...rows),
    ),
    el('p', { class: 'muted small' }, t('risk.ranking.note')),
  );
  return block;
}

function rate(part: number, whole: number): number {
  return whole > 0 ? Math.round((100 * part) / whole) : 0;
}

function governanceBlock(locale: Locale, t: T, fetched: Fetched<RiskGovernance>): HTMLElement {
  const block = el(
    'div',
    { class: 'governance', 'data-testid': 'risk-governance' },
    el('h2', {}, t('risk.governance')),
  );
  const error = errorLine(t, 'governance', fetched);
  if (error) block.append(error);
  const g = fetched.data;
  if (!g) {
    if (fetched.status !== 'error') block.append(el('p', { class: 'muted' }, t('risk.governance.loading')));
    return block;
  }
  const figure = (title: string, percent: number | null, text: string, source: 'report' | 'data', testId: string) =>
    el(
      'div',
      { class: 'figure', 'data-testid': testId },
      el(
        'div',
        { class: 'row' },
        el('strong', {}, title),
        percent === null ? null : el('span', { class: 'percent' }, `${percent}%`),
      ),
      percent === null ? null : el('div', { class: 'meter' }, el('span', { style: `width:${percent}%` })),
      el('p', {}, text),
      el('p', { class: 'muted small' }, t(`risk.governance.source.${source}`)),
    );
  block.append(
    figure(
      t('risk.governance.mediation'),
      rate(g.mediation.resolved, g.mediation.accepted),
      t('risk.governance.mediation.text', {
        rooms: g.mediation.rooms,
        accepted: g.mediation.accepted,
        resolved: g.mediation.resolved,
      }),
      g.mediation.source,
      'risk-mediation',
    ),
    figure(
      t('risk.governance.petitions'),
      rate(g.petitions.resolved, g.petitions.backlog),
      t('risk.governance.petitions.text', {
        year: g.petitions.year,
        backlog: g.petitions.backlog,
        resolved: g.petitions.resolved,
      }),
      g.petitions.source,
      'risk-petitions',
    ),
    figure(
      t('risk.governance.backpack'),
      null,
      t('risk.governance.backpack.text', {
        visits: numberText(locale, g.backpack.visits),
        business: numberText(locale, g.backpack.businessHandled),
        help: numberText(locale, g.backpack.helpRequests),
        unregistered: numberText(locale, g.backpack.unregisteredResolved),
      }),
      g.backpack.source,
      'risk-backpack',
    ),
  );
  const rows = RISK_CATEGORIES.filter((c) => g.lastTwelveMonths[c]).map((category) => {
    const { count, previous } = g.lastTwelveMonths[category];
    const percent = previous > 0 ? (100 * (count - previous)) / previous : null;
    const direction = percent === null || Math.abs(percent) < 5 ? 'none' : percent > 0 ? 'up' : 'down';
    return el(
      'tr',
      { 'data-testid': 'risk-twelve-row', 'data-category': category },
      el(
        'td',
        {},
        el('span', { class: 'dot', style: `background:${CATEGORY_COLOURS[category]}` }),
        t(`risk.category.${category}`),
      ),
      el('td', { class: 'number' }, numberText(locale, count)),
      el('td', { class: 'number muted' }, t('risk.governance.previous', { count: numberText(locale, previous) })),
      el('td', { class: `number change ${direction}` }, changeText(percent) ?? '—', ' ', trendMark(t, direction)),
    );
  });
  block.append(el('h3', {}, t('risk.governance.twelve')), el('table', { class: 'twelve' }, el('tbody', {}, ...rows)));
  return block;
}

// ---- Over the map: the time bar and the legend ------------------------------------------------

interface Overlay {
  timebar: HTMLElement;
  lengths: HTMLElement;
  play: HTMLButtonElement;
  slider: HTMLInputElement;
  ticks: HTMLElement;
  range: HTMLElement;
  total: HTMLElement;
  status: HTMLElement;
  legend: HTMLElement;
  signatures: { lengths: string; ticks: string; legend: string };
  /** What the listeners act on: the latest render's state and dispatch. */
  latest: { state: RiskState; dispatch: Dispatch };
}

const overlays = new WeakMap<HTMLElement, Overlay>();

function buildOverlay(host: HTMLElement, state: RiskState, dispatch: Dispatch): Overlay {
  const play = el('button', { type: 'button', class: 'play', 'data-testid': 'risk-play' });
  const slider = el('input', { type: 'range', step: '1', 'data-testid': 'risk-slider' });
  const overlay: Overlay = {
    timebar: el('div', { class: 'risk-timebar', 'data-testid': 'risk-timebar' }),
    lengths: el('div', { class: 'lengths' }),
    play,
    slider,
    ticks: el('div', { class: 'ticks' }),
    range: el('span', { class: 'range', 'data-testid': 'risk-window' }),
    total: el('span', { class: 'total', 'data-testid': 'risk-total' }),
    status: el('span', { class: 'status', 'data-testid': 'risk-status' }),
    legend: el('div', { class: 'risk-legend map-legend', 'data-testid': 'risk-legend' }),
    signatures: { lengths: '', ticks: '', legend: '' },
    latest: { state, dispatch },
  };
  play.addEventListener('click', () => {
    const { state: current, dispatch: send } = overlay.latest;
    send({ type: current.playing ? 'risk/pause' : 'risk/play' });
  });
  // Kept across renders, so a drag or held arrow key carries on while the map follows.
  const moved = () => {
    const { state: current, dispatch: send } = overlay.latest;
    const months = current.meta.kind === 'ready' ? current.meta.data.months : [];
    const month = months[Number(slider.value)];
    if (month && month !== current.endMonth) send({ type: 'risk/setEndMonth', month });
  };
  slider.addEventListener('input', moved);
  slider.addEventListener('change', moved);
  overlay.timebar.append(
    el('div', { class: 'row' }, overlay.lengths, play, overlay.range, overlay.total, overlay.status),
    el('div', { class: 'track' }, slider, overlay.ticks),
  );
  host.replaceChildren(overlay.legend, overlay.timebar);
  return overlay;
}

/**
 * Draw the time bar and the legend over the map (or clear them, with a null state). Updated in
 * place, never rebuilt, so the slider keeps the pointer and the keyboard while it moves; the
 * legend is rebuilt only when what it says changes, never with the window alone.
 */
export function renderRiskOverlay(
  host: HTMLElement,
  locale: Locale,
  state: RiskState | null,
  dispatch: Dispatch,
): void {
  if (!state || state.meta.kind !== 'ready' || state.meta.data.months.length === 0 || state.endMonth === null) {
    if (host.childElementCount > 0) host.replaceChildren();
    overlays.delete(host);
    return;
  }
  const t = translator(locale);
  const overlay = overlays.get(host) ?? buildOverlay(host, state, dispatch);
  overlays.set(host, overlay);
  overlay.latest = { state, dispatch };
  const months = state.meta.data.months;

  const lengthsSignature = `${locale}|${state.windowLength}`;
  if (overlay.signatures.lengths !== lengthsSignature) {
    overlay.signatures.lengths = lengthsSignature;
    overlay.lengths.replaceChildren(
      segmented(
        'risk-window',
        WINDOW_LENGTHS.map((months) => ({ value: months, label: t(`risk.window.${months}`) })),
        state.windowLength,
        (months) => overlay.latest.dispatch({ type: 'risk/setWindowLength', months }),
      ),
    );
  }
  const playText = state.playing ? `❚❚ ${t('risk.pause')}` : `▶ ${t('risk.play')}`;
  if (overlay.play.textContent !== playText) overlay.play.textContent = playText;
  overlay.play.setAttribute('aria-pressed', state.playing ? 'true' : 'false');
  overlay.play.disabled = months.length < 2;

  const min = firstEndIndex(months, state.windowLength);
  const max = months.length - 1;
  overlay.slider.min = String(min);
  overlay.slider.max = String(max);
  const index = String(months.indexOf(state.endMonth));
  if (overlay.slider.value !== index) overlay.slider.value = index;
  overlay.slider.setAttribute('aria-label', t('risk.slider'));
  overlay.slider.setAttribute('aria-valuetext', monthText(t, state.endMonth));

  const ticksSignature = `${locale}|${min}|${months.join()}`;
  if (overlay.signatures.ticks !== ticksSignature) {
    overlay.signatures.ticks = ticksSignature;
    // A mark at every January (and the ends), where the slider thumb would be for that month.
    const marks = months
      .map((month, i) => ({ month, i }))
      .filter(({ month, i }) => i >= min && (i === min || i === max || month.endsWith('-01')));
    overlay.ticks.replaceChildren(
      ...marks.map(({ month, i }) =>
        el(
          'span',
          { style: `left:${max > min ? (100 * (i - min)) / (max - min) : 0}%` },
          month.endsWith('-01') && i !== min && i !== max ? month.slice(0, 4) : monthText(t, month),
        ),
      ),
    );
  }

  const window = currentWindow(state)!;
  overlay.range.textContent = windowText(t, window);
  const hexes = state.fetched.hexes;
  overlay.total.textContent = hexes.data ? t('risk.total', { count: numberText(locale, hexes.data.total) }) : '';
  overlay.total.setAttribute('data-state', hexes.status);
  const shown = state.fetched[layerResource(state.layer)];
  const loading = hexes.status === 'loading' || shown.status === 'loading';
  const failed = [hexes, shown].find((f) => f.status === 'error');
  overlay.status.textContent = failed ? (failed.message ?? '') : loading ? t('risk.updating') : '';
  overlay.status.className = failed ? 'status error' : 'status';

  const legend = legendContent(locale, t, state);
  if (overlay.signatures.legend !== legend.signature) {
    overlay.signatures.legend = legend.signature;
    overlay.legend.replaceChildren(...legend.children);
  }
}

/** A legend row: a swatch, its text and, for labels, how many hexagons carry it. */
const swatch = (colour: string, text: string, count?: number) =>
  el(
    'li',
    {},
    el('span', { class: 'swatch', style: `background:${colour}` }),
    el('span', {}, text),
    count === undefined ? null : el('span', { class: 'count' }, String(count)),
  );

/**
 * The legend's content and a signature of what it says: for the hexagons only the fixed breaks
 * and the measure (never the window), so its text stays byte-identical while the slider moves.
 */
function legendContent(locale: Locale, t: T, state: RiskState): { signature: string; children: HTMLElement[] } {
  const fmt = (value: number) => numberText(locale, value, 3);
  if (state.layer === 'hexes') {
    const legend = state.legend;
    const current = legendIsCurrent(state);
    const signature = `hexes|${locale}|${current}|${legend ? `${legend.measure}|${legend.breaks.join(',')}` : ''}`;
    if (!legend) return { signature, children: [el('p', { class: 'muted' }, t('risk.updating'))] };
    const breaks = legend.breaks;
    const rows = [
      swatch(HEX_COLOURS[0], t('risk.legend.below', { value: fmt(breaks[0] ?? 0) })),
      ...breaks.map((low, k) =>
        swatch(
          HEX_COLOURS[Math.min(k + 1, HEX_COLOURS.length - 1)]!,
          k === breaks.length - 1
            ? t('risk.legend.above', { value: fmt(low) })
            : t('risk.legend.between', { low: fmt(low), high: fmt(breaks[k + 1]!) }),
        ),
      ),
    ];
    return {
      signature,
      children: [
        el('h3', {}, t(legend.measure === 'per1000' ? 'risk.legend.hexes.per1000' : 'risk.legend.hexes.count')),
        el('ul', { class: current ? '' : 'stale' }, ...rows),
        el('p', { class: 'muted small' }, t(current ? 'risk.legend.fixed' : 'risk.legend.stale')),
      ],
    };
  }
  if (state.layer === 'hotspots') {
    const data = state.fetched.hotspots.data;
    const summary = data ? t('risk.hotspots.summary', { cells: data.studyCells, hot: data.hot, cold: data.cold }) : '';
    return {
      signature: `hotspots|${locale}|${summary}`,
      children: [
        el('h3', {}, t('risk.legend.hotspots')),
        el(
          'ul',
          {},
          ...(['3', '2', '1', '-1', '-2', '-3'] as const).map((k) =>
            swatch(HOTSPOT_COLOURS[k], t(`risk.hotspot.${k}`)),
          ),
        ),
        el('p', { class: 'muted small', 'data-testid': 'risk-hotspot-summary' }, summary),
      ],
    };
  }
  if (state.layer === 'emerging') {
    const counts = state.fetched.emerging.data?.counts;
    return {
      signature: `emerging|${locale}|${counts ? EMERGING_LABELS.map((l) => counts[l]).join(',') : ''}`,
      children: [
        el('h3', {}, t('risk.legend.emerging')),
        el(
          'ul',
          {},
          ...EMERGING_LABELS.map((label) =>
            swatch(EMERGING_COLOURS[label], t(`risk.emerging.${label}`), counts?.[label]),
          ),
        ),
      ],
    };
  }
  const density = state.fetched.density.data;
  const breaks = density?.breaks ?? [];
  return {
    signature: `density|${locale}|${breaks.join(',')}|${density?.bandwidthMetres ?? ''}`,
    children: [
      el('h3', {}, t('risk.legend.density')),
      el(
        'ul',
        {},
        ...breaks.map((low, k) =>
          swatch(
            DENSITY_COLOURS[Math.min(k, DENSITY_COLOURS.length - 1)]!,
            k === breaks.length - 1
              ? t('risk.legend.above', { value: fmt(low) })
              : t('risk.legend.between', { low: fmt(low), high: fmt(breaks[k + 1]!) }),
          ),
        ),
      ),
      el(
        'p',
        { class: 'muted small' },
        density ? t('risk.density.bandwidth', { metres: density.bandwidthMetres }) : '',
      ),
      el('p', { class: 'muted small' }, t('risk.legend.fixed')),
    ],
  };
}
