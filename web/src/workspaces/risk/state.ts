import { resource, type Resource, type ResourceHandle, type ResourceTable } from '../../frame/resource.js';
import type {
  RiskCategory,
  RiskCellBreakdown,
  RiskDensity,
  RiskEmerging,
  RiskGovernance,
  RiskHexes,
  RiskHotspots,
  RiskLayer,
  RiskMeasure,
  RiskMeta,
  RiskRanking,
} from '../../../../contracts/risk.js';
import type { Remote } from '../policing/state.js';

export type { Resource };
export type {
  RiskCategory,
  RiskCellBreakdown,
  RiskDensity,
  RiskEmerging,
  RiskGovernance,
  RiskHexes,
  RiskHotspots,
  RiskLayer,
  RiskMeasure,
  RiskMeta,
  RiskRanking,
};

/** The five categories in the order the panel lists them. */
export const RISK_CATEGORIES: readonly RiskCategory[] = [
  'incident',
  'dispute',
  'petition',
  'fraud',
  'traffic_accident',
];
/** The map layers a leader can switch between. */
export const RISK_LAYERS: readonly RiskLayer[] = ['hexes', 'hotspots', 'density', 'emerging'];
/** Window lengths the time slider offers, in calendar months. */
export const WINDOW_LENGTHS = [1, 3, 12] as const;
export type WindowLength = (typeof WINDOW_LENGTHS)[number];
export type RankingLevel = 'township' | 'village';

/** What each fetched resource answers. */
export interface RiskData {
  meta: RiskMeta;
  hexes: RiskHexes;
  hotspots: RiskHotspots;
  emerging: RiskEmerging;
  density: RiskDensity;
  ranking: RiskRanking;
  cell: RiskCellBreakdown;
  governance: RiskGovernance;
}
/** Resources that depend on the leader's choices (all but meta, which comes first). */
export type RiskResource = Exclude<keyof RiskData, 'meta'>;
export const RISK_RESOURCES: readonly RiskResource[] = [
  'hexes',
  'hotspots',
  'emerging',
  'density',
  'ranking',
  'cell',
  'governance',
];

/** The server data of the workspace, through the resource layer (keyed by the URLs `riskResources` wants). */
export const riskData: { readonly [R in RiskResource]: ResourceHandle<RiskData[R]> } = {
  hexes: resource<RiskHexes>('risk/hexes'),
  hotspots: resource<RiskHotspots>('risk/hotspots'),
  emerging: resource<RiskEmerging>('risk/emerging'),
  density: resource<RiskDensity>('risk/density'),
  ranking: resource<RiskRanking>('risk/ranking'),
  cell: resource<RiskCellBreakdown>('risk/cell'),
  governance: resource<RiskGovernance>('risk/governance'),
};

/**
 * The hexagon legend: the server's class breaks and the choices they belong to. Breaks are fixed
 * over the whole time range, so the legend object is kept (the same object) while only the window
 * moves; it is replaced only when categories, measure, resolution or place change.
 */
export interface RiskLegend {
  scaleKey: string;
  measure: RiskMeasure;
  breaks: number[];
  classes: number;
}

/** The leaders' workspace: what they chose, and what the server answered for it. */
export interface RiskState {
  meta: Remote<RiskMeta>;
  layer: RiskLayer;
  /** Selected categories, always in RISK_CATEGORIES order (so equal choices make equal queries). */
  categories: RiskCategory[];
  measure: RiskMeasure;
  /** Kernel bandwidth of the density layer, metres; null for the server's default rule. */
  bandwidthMetres: number | null;
  windowLength: WindowLength;
  /** The window's last month ('YYYY-MM'); null before the meta is there. */
  endMonth: string | null;
  playing: boolean;
  /** Township the map and the village ranking are narrowed to (null: the whole county). */
  township: string | null;
  /** Zoomed in far enough for the finer hexagons. */
  zoomedIn: boolean;
  rankingLevel: RankingLevel;
  /** The hexagon whose card is open. */
  cell: string | null;
  legend: RiskLegend | null;
}

/** The workspace's state beside its resources' states (what the panel, the overlay and the map draw). */
export interface RiskView extends RiskState {
  fetched: { readonly [R in RiskResource]: Resource<RiskData[R]> };
}

/** The workspace's state with its resources' states read from the app's table. */
export function riskViewOf(state: RiskState, app: { resources: ResourceTable }): RiskView {
  return {
    ...state,
    fetched: {
      hexes: riskData.hexes.of(app),
      hotspots: riskData.hotspots.of(app),
      emerging: riskData.emerging.of(app),
      density: riskData.density.of(app),
      ranking: riskData.ranking.of(app),
      cell: riskData.cell.of(app),
      governance: riskData.governance.of(app),
    },
  };
}

/** What the workspace asks the server for, by resource name (the layer adds the county). */
export function riskResources(state: RiskState): Record<string, string | null> {
  const queries = riskQueries(state);
  return Object.fromEntries(RISK_RESOURCES.map((name) => [riskData[name].name, queries[name]]));
}

export type RiskAction =
  | { type: 'risk/meta'; meta: Remote<RiskMeta> }
  | { type: 'risk/setLayer'; layer: RiskLayer }
  | { type: 'risk/toggleCategory'; category: RiskCategory }
  | { type: 'risk/setMeasure'; measure: RiskMeasure }
  | { type: 'risk/setBandwidth'; metres: number | null }
  | { type: 'risk/setWindowLength'; months: WindowLength }
  | { type: 'risk/setEndMonth'; month: string }
  | { type: 'risk/play' }
  | { type: 'risk/pause' }
  /** One beat of the player: the window moves a month on; the player stops at the last month. */
  | { type: 'risk/step' }
  | { type: 'risk/setTownship'; township: string | null }
  | { type: 'risk/setZoomedIn'; zoomedIn: boolean }
  | { type: 'risk/setRankingLevel'; level: RankingLevel }
  | { type: 'risk/selectCell'; h3: string | null }
  /** The map shows a hexes answer (to `key`, the URL with the county): its legend, kept while only the window moves. */
  | { type: 'risk/hexesShown'; key: string; data: RiskHexes }
  /** The data changed on the server (an import): ask for everything again, keep the choices. */
  | { type: 'risk/reset' };

/** The workspace before anything is loaded: every category, counts, a three-month window. */
export function initialRiskState(): RiskState {
  return {
    meta: { kind: 'idle' },
    layer: 'hexes',
    categories: [...RISK_CATEGORIES],
    measure: 'count',
    bandwidthMetres: null,
    windowLength: 3,
    endMonth: null,
    playing: false,
    township: null,
    zoomedIn: false,
    rankingLevel: 'township',
    cell: null,
    legend: null,
  };
}

// ---- Months ---------------------------------------------------------------------------------

/** The month `by` calendar months after (or before, when negative) a 'YYYY-MM' month. */
export function shiftMonth(month: string, by: number): string {
  const [year, monthOfYear] = month.split('-').map(Number) as [number, number];
  const index = year * 12 + monthOfYear - 1 + by;
  const shiftedYear = Math.floor(index / 12);
  return `${String(shiftedYear).padStart(4, '0')}-${String(index - shiftedYear * 12 + 1).padStart(2, '0')}`;
}

/** Index in `months` of the earliest month a window of `length` months can end on (whole windows only). */
export function firstEndIndex(months: readonly string[], length: number): number {
  return Math.max(0, Math.min(length - 1, months.length - 1));
}

/** `month` moved into the months a window of `length` can end on; the latest month when null or unknown. */
export function clampEndMonth(months: readonly string[], length: number, month: string | null): string | null {
  if (months.length === 0) return null;
  const index = month === null ? -1 : months.indexOf(month);
  if (index < 0) return months[months.length - 1]!;
  return months[Math.max(index, firstEndIndex(months, length))]!;
}

/** First and last month of the window ending on `endMonth` (both included), clipped to the data. */
export function windowOf(
  months: readonly string[],
  endMonth: string,
  length: number,
): { from: string; to: string; months: number } {
  const earliest = months[0] ?? endMonth;
  const start = shiftMonth(endMonth, -(length - 1));
  const from = start < earliest ? earliest : start;
  const [fromYear, fromMonth] = from.split('-').map(Number) as [number, number];
  const [toYear, toMonth] = endMonth.split('-').map(Number) as [number, number];
  return { from, to: endMonth, months: (toYear - fromYear) * 12 + toMonth - fromMonth + 1 };
}

/** The window the state shows; null before the meta is there. */
export function currentWindow(state: RiskState): { from: string; to: string; months: number } | null {
  if (state.meta.kind !== 'ready' || state.endMonth === null) return null;
  return windowOf(state.meta.data.months, state.endMonth, state.windowLength);
}

/** The hexagon resolution for the view: the county one, or the finer one when zoomed in. */
export function resolutionOf(state: RiskState): number | null {
  if (state.meta.kind !== 'ready') return null;
  const [county, fine] = state.meta.data.resolutions;
  return (state.zoomedIn ? (fine ?? county) : county) ?? null;
}

// ---- Queries --------------------------------------------------------------------------------

const RANKING_LIMIT: Record<RankingLevel, number> = { township: 50, village: 15 };

function query(path: string, params: Record<string, string | number | null>): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) if (value !== null) search.set(name, String(value));
  return `${path}?${search.toString()}`;
}

/**
 * The URL each resource should answer for the current choices (null: not wanted now). The
 * controller fetches a resource only when this differs from what it asked for last, so moving the
 * window does not refetch the emerging labels or the governance figures.
 */
export function riskQueries(state: RiskState): Record<RiskResource, string | null> {
  const governance = '/api/risk/governance';
  const window = currentWindow(state);
  const resolution = resolutionOf(state);
  if (state.meta.kind !== 'ready' || !window || resolution === null) {
    return { hexes: null, hotspots: null, emerging: null, density: null, ranking: null, cell: null, governance };
  }
  const categories = state.categories.join(',');
  const { from, to } = window;
  const township = state.township;
  return {
    hexes: query('/api/risk/hexes', { categories, from, to, resolution, measure: state.measure, township }),
    hotspots:
      state.layer === 'hotspots' ? query('/api/risk/hotspots', { categories, from, to, resolution, township }) : null,
    emerging: state.layer === 'emerging' ? query('/api/risk/emerging', { categories, resolution, township }) : null,
    density:
      state.layer === 'density'
        ? query('/api/risk/density', {
            categories,
            from,
            to,
            bandwidthMetres: state.bandwidthMetres ?? state.meta.data.defaultBandwidthMetres,
            township,
          })
        : null,
    ranking: query('/api/risk/ranking', {
      level: state.rankingLevel,
      categories,
      from,
      to,
      limit: RANKING_LIMIT[state.rankingLevel],
      township: state.rankingLevel === 'village' ? township : null,
    }),
    cell: state.cell ? query(`/api/risk/cells/${encodeURIComponent(state.cell)}`, { categories, from, to }) : null,
    governance,
  };
}

/**
 * What a hexes URL's colour scale depends on: everything but the window (from, to) and the county
 * the resource layer adds (another county's breaks differ, and those replace the legend).
 */
export function scaleKeyOf(hexesUrl: string): string {
  const [path = '', search = ''] = hexesUrl.split('?');
  const params = new URLSearchParams(search);
  params.delete('from');
  params.delete('to');
  params.delete('county');
  return `${path}?${params.toString()}`;
}

/** Whether the legend on screen belongs to the current choices (else it is being replaced). */
export function legendIsCurrent(state: RiskState): boolean {
  const hexes = riskQueries(state).hexes;
  return state.legend !== null && hexes !== null && state.legend.scaleKey === scaleKeyOf(hexes);
}

/** The resource the chosen map layer draws. */
export function layerResource(layer: RiskLayer): RiskResource {
  return layer;
}

// ---- Transitions ----------------------------------------------------------------------------

const sameNumbers = (a: readonly number[], b: readonly number[]) =>
  a.length === b.length && a.every((value, i) => value === b[i]);

/** The legend for a hexes answer: the old object when its scale did not change. */
function legendFor(legend: RiskLegend | null, key: string, data: RiskHexes): RiskLegend {
  const scaleKey = scaleKeyOf(key);
  if (
    legend &&
    legend.scaleKey === scaleKey &&
    legend.measure === data.measure &&
    legend.classes === data.classes &&
    sameNumbers(legend.breaks, data.breaks)
  ) {
    return legend;
  }
  return { scaleKey, measure: data.measure, breaks: [...data.breaks], classes: data.classes };
}

/** Pure transitions of the leaders' workspace. */
export function updateRisk(state: RiskState, action: RiskAction): RiskState {
  const months = state.meta.kind === 'ready' ? state.meta.data.months : null;
  switch (action.type) {
    case 'risk/meta': {
      if (action.meta.kind !== 'ready') return { ...state, meta: action.meta };
      const meta = action.meta.data;
      const offered = RISK_CATEGORIES.filter((c) => meta.categories.includes(c));
      const kept = state.categories.filter((c) => offered.includes(c));
      return {
        ...state,
        meta: action.meta,
        categories: kept.length > 0 ? kept : offered,
        endMonth: clampEndMonth(meta.months, state.windowLength, state.endMonth),
        township: meta.townships.some((t) => t.code === state.township) ? state.township : null,
      };
    }
    case 'risk/setLayer':
      return state.layer === action.layer ? state : { ...state, layer: action.layer };
    case 'risk/toggleCategory': {
      const on = state.categories.includes(action.category);
      // At least one category stays on: a map of nothing answers no question.
      if (on && state.categories.length === 1) return state;
      const categories = RISK_CATEGORIES.filter((c) => (c === action.category ? !on : state.categories.includes(c)));
      return { ...state, categories };
    }
    case 'risk/setMeasure':
      return state.measure === action.measure ? state : { ...state, measure: action.measure };
    case 'risk/setBandwidth':
      return state.bandwidthMetres === action.metres ? state : { ...state, bandwidthMetres: action.metres };
    case 'risk/setWindowLength': {
      if (state.windowLength === action.months) return state;
      const endMonth = months ? clampEndMonth(months, action.months, state.endMonth) : state.endMonth;
      return { ...state, windowLength: action.months, endMonth };
    }
    case 'risk/setEndMonth': {
      if (!months) return state;
      const endMonth = clampEndMonth(months, state.windowLength, action.month);
      // Moving the slider by hand takes over from the player.
      return endMonth === state.endMonth && !state.playing ? state : { ...state, endMonth, playing: false };
    }
    case 'risk/play': {
      if (!months || months.length === 0 || state.playing) return state;
      // At the end already: play from the first whole window.
      const atEnd = state.endMonth === months[months.length - 1];
      const endMonth = atEnd ? months[firstEndIndex(months, state.windowLength)]! : state.endMonth;
      return { ...state, endMonth, playing: true };
    }
    case 'risk/pause':
      return state.playing ? { ...state, playing: false } : state;
    case 'risk/step': {
      if (!months || !state.playing || state.endMonth === null) return state;
      const next = months.indexOf(state.endMonth) + 1;
      if (next <= 0 || next >= months.length) return { ...state, playing: false };
      return { ...state, endMonth: months[next]!, playing: next < months.length - 1 };
    }
    case 'risk/setTownship':
      return state.township === action.township ? state : { ...state, township: action.township, cell: null };
    case 'risk/setZoomedIn':
      return state.zoomedIn === action.zoomedIn ? state : { ...state, zoomedIn: action.zoomedIn };
    case 'risk/setRankingLevel':
      return state.rankingLevel === action.level ? state : { ...state, rankingLevel: action.level };
    case 'risk/selectCell':
      return state.cell === action.h3 ? state : { ...state, cell: action.h3 };
    case 'risk/hexesShown': {
      const legend = legendFor(state.legend, action.key, action.data);
      return legend === state.legend ? state : { ...state, legend };
    }
    case 'risk/reset':
      return { ...state, meta: { kind: 'idle' }, playing: false, legend: null };
  }
}
