import { html, nothing, render, type TemplateResult } from 'lit-html';
import { live } from 'lit-html/directives/live.js';
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
  type Resource,
  type RiskCategory,
  type RiskCellBreakdown,
  type RiskGovernance,
  type RiskRanking,
  type RiskResource,
  type RiskView,
} from './state.js';
import type { Action } from '../../state.js';
import { cssProperties, segmentedView } from '../grids/view-parts.js';

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

type View = TemplateResult | typeof nothing;

function errorLine(t: T, resource: RiskResource, fetched: Resource<unknown>): View {
  return fetched.status === 'error'
    ? html`<p class="error" data-testid=${`risk-error-${resource}`}>
        ${t(ERROR_KEY[resource], { message: fetched.message ?? '' })}
      </p>`
    : nothing;
}

/** A coloured dot (the CSSOM sets its colour: a `style` attribute is refused by the CSP). */
const dot = (colour: string) => html`<span class="dot" ${cssProperties({ background: colour })}></span>`;

// ---- The side panel --------------------------------------------------------------------------

/** The leaders' panel: map and filter choices, the selected hexagon, the ranking and governance. */
export function riskView(locale: Locale, state: RiskView, dispatch: Dispatch): TemplateResult {
  const t = translator(locale);
  return html`<section class="risk" data-testid="risk-panel">${riskContent(locale, t, state, dispatch)}</section>`;
}

function riskContent(locale: Locale, t: T, state: RiskView, dispatch: Dispatch): View | View[] {
  if (state.meta.kind === 'error') {
    return html`<p class="error">${t('risk.error.meta', { message: state.meta.message })}</p>`;
  }
  if (state.meta.kind !== 'ready') {
    return html`<p class="muted" data-testid="risk-loading">${t('risk.loading')}</p>`;
  }
  const meta = state.meta.data;
  if (meta.events === 0 || meta.months.length === 0) {
    return html`<p class="notice" data-testid="risk-no-data">${t('risk.noData')}</p>`;
  }
  const shown = layerResource(state.layer);
  return html`${choices(t, state, dispatch)}
  ${[...new Set<RiskResource>(['hexes', shown])].map((resource) => errorLine(t, resource, state.fetched[resource]))}
  ${state.cell ? cellCard(locale, t, state, dispatch) : nothing} ${rankingBlock(locale, t, state, dispatch)}
  ${governanceBlock(locale, t, state.fetched.governance)}`;
}

function choices(t: T, state: RiskView, dispatch: Dispatch): TemplateResult {
  const meta = state.meta.kind === 'ready' ? state.meta.data : null;
  const categories = RISK_CATEGORIES.filter((c) => meta?.categories.includes(c)).map((category) => {
    const checked = state.categories.includes(category);
    return html`<label class=${checked ? 'chip on' : 'chip'}
      ><input
        type="checkbox"
        name="category"
        value=${category}
        .checked=${live(checked)}
        ?disabled=${
          // The last category cannot be switched off.
          checked && state.categories.length === 1
        }
        data-testid=${`risk-category-${category}`}
        @change=${() => dispatch({ type: 'risk/toggleCategory', category })}
      />${dot(CATEGORY_COLOURS[category])}${t(`risk.category.${category}`)}</label
    >`;
  });
  return html`<div class="choices">
    <div class="field">
      <span class="label">${t('risk.layer')}</span>${segmentedView(
        'risk-layer',
        RISK_LAYERS.map((layer) => ({ value: layer, label: t(`risk.layer.${layer}`) })),
        state.layer,
        (layer) => dispatch({ type: 'risk/setLayer', layer }),
      )}
    </div>
    <div class="field">
      <span class="label">${t('risk.categories')}</span>
      <div class="categories">${categories}</div>
    </div>
    <div class="field row">
      <span class="label">${t('risk.measure')}</span>${segmentedView(
        'risk-measure',
        [
          { value: 'count', label: t('risk.measure.count') },
          { value: 'per1000', label: t('risk.measure.per1000') },
        ] as const,
        state.measure,
        (measure) => dispatch({ type: 'risk/setMeasure', measure }),
        // Only the hexagon counts have a per-household measure.
        state.layer !== 'hexes',
      )}<span class="label">${t('risk.township')}</span
      ><select
        name="township"
        data-testid="risk-township"
        @change=${(event: Event) =>
          dispatch({ type: 'risk/setTownship', township: (event.target as HTMLSelectElement).value || null })}
      >
        <option value="" .selected=${live(state.township === null)}>${t('risk.township.all')}</option>
        ${(meta?.townships ?? []).map(
          (tw) => html`<option value=${tw.code} .selected=${live(tw.code === state.township)}>${tw.name}</option>`,
        )}
      </select>
    </div>
    ${state.layer === 'density' ? bandwidthField(t, state, dispatch) : nothing}
  </div>`;
}

/** Kernel bandwidths offered for the density layer, metres (the default rule's value is added). */
const BANDWIDTHS = [500, 1000, 2000, 3000];

function bandwidthField(t: T, state: RiskView, dispatch: Dispatch): TemplateResult {
  const fallback = state.meta.kind === 'ready' ? state.meta.data.defaultBandwidthMetres : null;
  const current = state.bandwidthMetres ?? fallback;
  const values = [...new Set([...BANDWIDTHS, ...(fallback ? [fallback] : [])])].sort((a, b) => a - b);
  const changed = (event: Event) => {
    const metres = Number((event.target as HTMLSelectElement).value);
    dispatch({ type: 'risk/setBandwidth', metres: metres === fallback ? null : metres });
  };
  return html`<div class="field row">
    <span class="label">${t('risk.bandwidth')}</span
    ><select name="bandwidth" data-testid="risk-bandwidth" @change=${changed}>
      ${values.map(
        (metres) =>
          html`<option value=${String(metres)} .selected=${live(metres === current)}>
            ${metres === fallback ? t('risk.bandwidth.default', { metres }) : t('risk.bandwidth.option', { metres })}
          </option>`,
      )}
    </select>
  </div>`;
}

function cellCard(locale: Locale, t: T, state: RiskView, dispatch: Dispatch): TemplateResult {
  const fetched = state.fetched.cell;
  // The last answer may be another hexagon's, kept while this one loads: not shown as this one's.
  const cell: RiskCellBreakdown | null = fetched.data?.h3 === state.cell ? fetched.data : null;
  const window = currentWindow(state);
  const names = cell?.villages
    .slice(0, 3)
    .map((v) => v.name)
    .join('、');
  const heading = html`<div class="row">
      <h2>${names ? `${t('risk.cell')} · ${names}` : t('risk.cell')}</h2>
      <button type="button" class="link" @click=${() => dispatch({ type: 'risk/selectCell', h3: null })}>
        ${t('risk.cell.close')}
      </button>
    </div>
    ${errorLine(t, 'cell', fetched)}`;
  if (!cell || !window) {
    return html`<div class="card cell-card" data-testid="risk-cell-card">
      ${heading} ${fetched.status !== 'error' ? html`<p class="muted">${t('risk.cell.loading')}</p>` : nothing}
    </div>`;
  }
  const max = Math.max(1, ...state.categories.map((c) => cell.byCategory[c] ?? 0));
  const months = cell.byMonth.map((m) => m.month);
  return html`<div
    class=${fetched.status === 'loading' ? 'card cell-card stale' : 'card cell-card'}
    data-testid="risk-cell-card"
  >
    ${heading}
    <p data-testid="risk-cell-total">
      <strong
        >${t('risk.cell.total', {
          from: monthText(t, window.from),
          to: monthText(t, window.to),
          count: numberText(locale, cell.total),
        })}</strong
      >
    </p>
    <div class="bars">
      ${state.categories.map(
        (category) =>
          html`<div class="bar-row">
            <span>${t(`risk.category.${category}`)}</span
            ><span class="bar"
              ><span
                ${cssProperties({
                  width: `${(100 * (cell.byCategory[category] ?? 0)) / max}%`,
                  background: CATEGORY_COLOURS[category],
                })}
              ></span></span
            ><span class="number">${numberText(locale, cell.byCategory[category] ?? 0)}</span>
          </div>`,
      )}
    </div>
    <h3>${t('risk.cell.byMonth')}</h3>
    <div class="cell-series">
      ${sparkline(
        cell.byMonth.map((m) => m.count),
        {
          box: { width: 300, height: 46, padding: 3 },
          window: [months.indexOf(window.from), months.indexOf(window.to)],
          title: cell.byMonth.map((m) => `${m.month}: ${m.count}`).join('\n'),
        },
      )}
      <div class="axis">
        <span>${months[0] ? monthText(t, months[0]) : ''}</span
        ><span>${months.at(-1) ? monthText(t, months.at(-1)!) : ''}</span>
      </div>
    </div>
    ${
      cell.villages.length > 0
        ? html`<h3>${t('risk.cell.villages')}</h3>
            <ul class="villages">
              ${cell.villages
                .slice(0, 6)
                .map(
                  (v) =>
                    html`<li><span>${v.name}</span><span class="number">${numberText(locale, v.count)}</span></li>`,
                )}
            </ul>`
        : nothing
    }
    <p class="muted small">${t('risk.cell.aggregates')}</p>
  </div>`;
}

function trendMark(t: T, direction: 'up' | 'down' | 'none'): TemplateResult {
  const symbol = direction === 'up' ? '↑' : direction === 'down' ? '↓' : '→';
  return html`<span
    class=${`trend ${direction}`}
    title=${t(`risk.trend.${direction}`)}
    aria-label=${t(`risk.trend.${direction}`)}
    >${symbol}</span
  >`;
}

function rankingBlock(locale: Locale, t: T, state: RiskView, dispatch: Dispatch): TemplateResult {
  const fetched = state.fetched.ranking;
  const ranking: RiskRanking | null = fetched.data;
  const window = currentWindow(state);
  const months = state.meta.kind === 'ready' ? state.meta.data.months : [];
  const band: [number, number] | null = window ? [months.indexOf(window.from), months.indexOf(window.to)] : null;
  const level = segmentedView(
    'risk-ranking',
    [
      { value: 'township', label: t('risk.ranking.township') },
      { value: 'village', label: t('risk.ranking.village') },
    ] as const,
    state.rankingLevel,
    (value) => dispatch({ type: 'risk/setRankingLevel', level: value }),
  );
  const heading = html`<div class="row">
      <h2>${t('risk.ranking')}</h2>
      ${level}
    </div>
    ${window ? html`<p class="muted small">${windowText(t, window)}</p>` : nothing} ${errorLine(t, 'ranking', fetched)}`;
  if (!ranking) {
    return html`<div class="ranking">
      ${heading} ${fetched.status !== 'error' ? html`<p class="muted">${t('risk.updating')}</p>` : nothing}
    </div>`;
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
      const open =
        ranking.level === 'township'
          ? () => {
              dispatch({ type: 'risk/setTownship', township: row.code });
              dispatch({ type: 'risk/setRankingLevel', level: 'village' });
            }
          : nothing;
      return html`<tr
        data-testid="risk-ranking-row"
        data-code=${row.code}
        class=${row.code === state.township ? 'selected' : ''}
        @click=${open}
      >
        <td class="rank">${i + 1}</td>
        <td class="name">
          ${row.name}${row.township ? html`<small>${row.township}</small>` : nothing}${
            row.emerging && row.emerging !== 'none'
              ? html`<span class=${`emerging-badge ${row.emerging}`} data-testid="village-emerging"
                  >${t(`risk.emerging.${row.emerging}`)}</span
                >`
              : nothing
          }
        </td>
        <td class="number">${numberText(locale, row.count)}</td>
        <td
          class=${`number change ${significant ? direction : ''}`}
          title=${t('risk.change.title', { count: row.count, lastYear: row.lastYear })}
        >
          ${change}${significant ? html`<sup data-testid="risk-significant">*</sup>` : nothing}
        </td>
        <td class="center">${trendMark(t, row.trend.direction)}</td>
        <td class="spark">
          ${sparkline(row.series, { window: band, title: `${row.name} ${t('risk.ranking.series')}` })}
        </td>
      </tr>`;
    });
  return html`<div class=${fetched.status === 'loading' ? 'ranking stale' : 'ranking'}>
    ${heading}
    <table data-testid="risk-ranking">
      <thead>
        <tr>
          <th>#</th>
          <th>${t('risk.ranking.name')}</th>
          <th class="number">${t('risk.ranking.count')}</th>
          <th class="number">${t('risk.ranking.change')}</th>
          <th>${t('risk.ranking.trend')}</th>
          <th>${t('risk.ranking.series')}</th>
        </tr>
      </thead>
      <tbody class=${ranking.level === 'township' ? 'clickable' : ''}>
        ${rows}
      </tbody>
    </table>
    <p class="muted small">${t('risk.ranking.note')}</p>
  </div>`;
}

function rate(part: number, whole: number): number {
  return whole > 0 ? Math.round((100 * part) / whole) : 0;
}

function governanceBlock(locale: Locale, t: T, fetched: Resource<RiskGovernance>): TemplateResult {
  const g = fetched.data;
  const heading = html`<h2>${t('risk.governance')}</h2>
    ${errorLine(t, 'governance', fetched)}`;
  if (!g) {
    return html`<div class="governance" data-testid="risk-governance">
      ${heading} ${fetched.status !== 'error' ? html`<p class="muted">${t('risk.governance.loading')}</p>` : nothing}
    </div>`;
  }
  const figure = (title: string, percent: number | null, text: string, source: 'report' | 'data', testId: string) =>
    html`<div class="figure" data-testid=${testId}>
      <div class="row">
        <strong>${title}</strong>${percent === null ? nothing : html`<span class="percent">${percent}%</span>`}
      </div>
      ${
        percent === null
          ? nothing
          : html`<div class="meter"><span ${cssProperties({ width: `${percent}%` })}></span></div>`
      }
      <p>${text}</p>
      <p class="muted small">${t(`risk.governance.source.${source}`)}</p>
    </div>`;
  const rows = RISK_CATEGORIES.filter((c) => g.lastTwelveMonths[c]).map((category) => {
    const { count, previous } = g.lastTwelveMonths[category];
    const percent = previous > 0 ? (100 * (count - previous)) / previous : null;
    const direction = percent === null || Math.abs(percent) < 5 ? 'none' : percent > 0 ? 'up' : 'down';
    return html`<tr data-testid="risk-twelve-row" data-category=${category}>
      <td>${dot(CATEGORY_COLOURS[category])}${t(`risk.category.${category}`)}</td>
      <td class="number">${numberText(locale, count)}</td>
      <td class="number muted">${t('risk.governance.previous', { count: numberText(locale, previous) })}</td>
      <td class=${`number change ${direction}`}>${changeText(percent) ?? '—'} ${trendMark(t, direction)}</td>
    </tr>`;
  });
  return html`<div class="governance" data-testid="risk-governance">
    ${heading}
    ${figure(
      t('risk.governance.mediation'),
      rate(g.mediation.resolved, g.mediation.accepted),
      t('risk.governance.mediation.text', {
        rooms: g.mediation.rooms,
        accepted: g.mediation.accepted,
        resolved: g.mediation.resolved,
      }),
      g.mediation.source,
      'risk-mediation',
    )}
    ${figure(
      t('risk.governance.petitions'),
      rate(g.petitions.resolved, g.petitions.backlog),
      t('risk.governance.petitions.text', {
        year: g.petitions.year,
        backlog: g.petitions.backlog,
        resolved: g.petitions.resolved,
      }),
      g.petitions.source,
      'risk-petitions',
    )}
    ${figure(
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
    )}
    <h3>${t('risk.governance.twelve')}</h3>
    <table class="twelve">
      <tbody>
        ${rows}
      </tbody>
    </table>
  </div>`;
}

// ---- Over the map: the time bar and the legend ------------------------------------------------

/**
 * Draw the time bar and the legend over the map (or clear them, with a null state). lit updates
 * them in place, so the slider keeps the pointer and the keyboard while it moves, and the legend's
 * text stays byte-identical while only the window changes.
 */
export function renderRiskOverlay(host: HTMLElement, locale: Locale, state: RiskView | null, dispatch: Dispatch): void {
  if (!state || state.meta.kind !== 'ready' || state.meta.data.months.length === 0 || state.endMonth === null) {
    render(nothing, host);
    return;
  }
  const t = translator(locale);
  const months = state.meta.data.months;
  const min = firstEndIndex(months, state.windowLength);
  const max = months.length - 1;
  const moved = (event: Event) => {
    const month = months[Number((event.target as HTMLInputElement).value)];
    if (month && month !== state.endMonth) dispatch({ type: 'risk/setEndMonth', month });
  };
  // A mark at every January (and the ends), where the slider thumb would be for that month.
  const marks = months
    .map((month, i) => ({ month, i }))
    .filter(({ month, i }) => i >= min && (i === min || i === max || month.endsWith('-01')));
  const hexes = state.fetched.hexes;
  const shown = state.fetched[layerResource(state.layer)];
  const loading = hexes.status === 'loading' || shown.status === 'loading';
  const failed = [hexes, shown].find((f) => f.status === 'error');
  render(
    html`<div class="risk-legend map-legend" data-testid="risk-legend">${legendContent(locale, t, state)}</div>
      <div class="risk-timebar" data-testid="risk-timebar">
        <div class="row">
          <div class="lengths">
            ${segmentedView(
              'risk-window',
              WINDOW_LENGTHS.map((length) => ({ value: length, label: t(`risk.window.${length}`) })),
              state.windowLength,
              (length) => dispatch({ type: 'risk/setWindowLength', months: length }),
            )}
          </div>
          <button
            type="button"
            class="play"
            data-testid="risk-play"
            aria-pressed=${state.playing ? 'true' : 'false'}
            ?disabled=${months.length < 2}
            @click=${() => dispatch({ type: state.playing ? 'risk/pause' : 'risk/play' })}
          >
            ${state.playing ? `❚❚ ${t('risk.pause')}` : `▶ ${t('risk.play')}`}
          </button>
          <span class="range" data-testid="risk-window">${windowText(t, currentWindow(state)!)}</span
          ><span class="total" data-testid="risk-total" data-state=${hexes.status}
            >${hexes.data ? t('risk.total', { count: numberText(locale, hexes.data.total) }) : ''}</span
          ><span class=${failed ? 'status error' : 'status'} data-testid="risk-status"
            >${failed ? (failed.message ?? '') : loading ? t('risk.updating') : ''}</span
          >
        </div>
        <div class="track">
          <input
            type="range"
            step="1"
            data-testid="risk-slider"
            min=${min}
            max=${max}
            .value=${live(String(months.indexOf(state.endMonth)))}
            aria-label=${t('risk.slider')}
            aria-valuetext=${monthText(t, state.endMonth)}
            @input=${moved}
            @change=${moved}
          />
          <div class="ticks">
            ${marks.map(
              ({ month, i }) =>
                html`<span ${cssProperties({ left: `${max > min ? (100 * (i - min)) / (max - min) : 0}%` })}
                  >${month.endsWith('-01') && i !== min && i !== max ? month.slice(0, 4) : monthText(t, month)}</span
                >`,
            )}
          </div>
        </div>
      </div>`,
    host,
  );
}

/** A legend row: a swatch, its text and, for labels, how many hexagons carry it. */
const swatch = (colour: string, text: string, count?: number) =>
  html`<li>
    <span class="swatch" ${cssProperties({ background: colour })}></span><span>${text}</span>${
      count === undefined ? nothing : html`<span class="count">${count}</span>`
    }
  </li>`;

/**
 * The legend: for the hexagons only the fixed breaks and the measure (never the window), so its
 * text stays byte-identical while the slider moves.
 */
function legendContent(locale: Locale, t: T, state: RiskView): TemplateResult {
  const fmt = (value: number) => numberText(locale, value, 3);
  if (state.layer === 'hexes') {
    const legend = state.legend;
    const current = legendIsCurrent(state);
    if (!legend) return html`<p class="muted">${t('risk.updating')}</p>`;
    const breaks = legend.breaks;
    return html`<h3>${t(legend.measure === 'per1000' ? 'risk.legend.hexes.per1000' : 'risk.legend.hexes.count')}</h3>
      <ul class=${current ? '' : 'stale'}>
        ${swatch(HEX_COLOURS[0], t('risk.legend.below', { value: fmt(breaks[0] ?? 0) }))}
        ${breaks.map((low, k) =>
          swatch(
            HEX_COLOURS[Math.min(k + 1, HEX_COLOURS.length - 1)]!,
            k === breaks.length - 1
              ? t('risk.legend.above', { value: fmt(low) })
              : t('risk.legend.between', { low: fmt(low), high: fmt(breaks[k + 1]!) }),
          ),
        )}
      </ul>
      <p class="muted small">${t(current ? 'risk.legend.fixed' : 'risk.legend.stale')}</p>`;
  }
  if (state.layer === 'hotspots') {
    const data = state.fetched.hotspots.data;
    const summary = data ? t('risk.hotspots.summary', { cells: data.studyCells, hot: data.hot, cold: data.cold }) : '';
    return html`<h3>${t('risk.legend.hotspots')}</h3>
      <ul>
        ${(['3', '2', '1', '-1', '-2', '-3'] as const).map((k) => swatch(HOTSPOT_COLOURS[k], t(`risk.hotspot.${k}`)))}
      </ul>
      <p class="muted small" data-testid="risk-hotspot-summary">${summary}</p>`;
  }
  if (state.layer === 'emerging') {
    const counts = state.fetched.emerging.data?.counts;
    return html`<h3>${t('risk.legend.emerging')}</h3>
      <ul>
        ${EMERGING_LABELS.map((label) => swatch(EMERGING_COLOURS[label], t(`risk.emerging.${label}`), counts?.[label]))}
      </ul>`;
  }
  const density = state.fetched.density.data;
  const breaks = density?.breaks ?? [];
  return html`<h3>${t('risk.legend.density')}</h3>
    <ul>
      ${breaks.map((low, k) =>
        swatch(
          DENSITY_COLOURS[Math.min(k, DENSITY_COLOURS.length - 1)]!,
          k === breaks.length - 1
            ? t('risk.legend.above', { value: fmt(low) })
            : t('risk.legend.between', { low: fmt(low), high: fmt(breaks[k + 1]!) }),
        ),
      )}
    </ul>
    <p class="muted small">${density ? t('risk.density.bandwidth', { metres: density.bandwidthMetres }) : ''}</p>
    <p class="muted small">${t('risk.legend.fixed')}</p>`;
}
