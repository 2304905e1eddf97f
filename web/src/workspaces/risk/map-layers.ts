import type { ExpressionSpecification, LayerSpecification } from 'maplibre-gl';
import type { RiskView } from './state.js';

/** Source ids of the leaders' layers on the map. */
export const RISK_SOURCES = {
  hexes: 'risk-hexes',
  hotspots: 'risk-hotspots',
  emerging: 'risk-emerging',
  density: 'risk-density',
  selected: 'risk-selected',
} as const;

/**
 * Colours of the hexagon classes 0…6 (class k: at least the k-th break per month; class 0: some
 * events, fewer than the first break). Classes 1…6 are the density image's ramp, so the two maps
 * read alike; the ramp is indexed by class, never stretched to the data on screen.
 */
export const HEX_COLOURS = ['#f1e6c8', '#ffffb2', '#fed976', '#feb24c', '#fd8d3c', '#f03b20', '#bd0026'] as const;
/** The density image's colours of classes 1…6 (as the server paints them; class 0 is transparent). */
export const DENSITY_COLOURS = HEX_COLOURS.slice(1);
/** Gi* classes: hot 1…3 and cold −1…−3 at 90 / 95 / 99 % confidence. */
export const HOTSPOT_COLOURS: Record<'3' | '2' | '1' | '-1' | '-2' | '-3', string> = {
  '3': '#b2182b',
  '2': '#ef8a62',
  '1': '#fddbc7',
  '-1': '#d1e5f0',
  '-2': '#67a9cf',
  '-3': '#2166ac',
};
/** The emerging-hotspot labels, strongest first. */
export const EMERGING_LABELS = ['intensifying', 'persistent', 'new', 'sporadic', 'diminishing'] as const;
export const EMERGING_COLOURS: Record<(typeof EMERGING_LABELS)[number], string> = {
  intensifying: '#99000d',
  persistent: '#e34a33',
  new: '#dd3497',
  sporadic: '#b39ddb',
  diminishing: '#fdbb84',
};
/** The density image's opacity over the basemap (its colours carry their own alpha too). */
export const DENSITY_OPACITY = 0.85;

const hexColour: ExpressionSpecification = [
  'match',
  ['get', 'class'],
  ...HEX_COLOURS.flatMap((colour, k) => [k, colour]),
  HEX_COLOURS[HEX_COLOURS.length - 1]!,
] as unknown as ExpressionSpecification;
const hotspotColour: ExpressionSpecification = [
  'match',
  ['get', 'class'],
  ...Object.entries(HOTSPOT_COLOURS).flatMap(([k, colour]) => [Number(k), colour]),
  'rgba(0,0,0,0)',
] as unknown as ExpressionSpecification;
const emergingColour: ExpressionSpecification = [
  'match',
  ['get', 'label'],
  ...EMERGING_LABELS.flatMap((label) => [label, EMERGING_COLOURS[label]]),
  'rgba(0,0,0,0)',
] as unknown as ExpressionSpecification;

const outline = (id: string): LayerSpecification => ({
  id,
  type: 'line',
  source: '',
  paint: { 'line-color': 'rgba(90, 60, 30, 0.35)', 'line-width': 0.6 },
});

/** Layer styles (their source is set by the map view). Fill layers are the ones a click reads. */
export const RISK_LAYERS: Record<Exclude<keyof typeof RISK_SOURCES, 'density'>, LayerSpecification[]> = {
  hexes: [
    { id: 'risk-hexes-fill', type: 'fill', source: '', paint: { 'fill-color': hexColour, 'fill-opacity': 0.78 } },
    outline('risk-hexes-line'),
  ],
  hotspots: [
    {
      id: 'risk-hotspots-fill',
      type: 'fill',
      source: '',
      paint: { 'fill-color': hotspotColour, 'fill-opacity': 0.82 },
    },
    outline('risk-hotspots-line'),
  ],
  emerging: [
    {
      id: 'risk-emerging-fill',
      type: 'fill',
      source: '',
      paint: { 'fill-color': emergingColour, 'fill-opacity': 0.82 },
    },
    outline('risk-emerging-line'),
  ],
  selected: [
    {
      id: 'risk-selected-line',
      type: 'line',
      source: '',
      layout: { 'line-join': 'round' },
      paint: { 'line-color': '#10201b', 'line-width': 3 },
    },
  ],
};

/** The layers a click on the map selects a hexagon from. */
export const RISK_CLICKABLE = ['risk-hexes-fill', 'risk-hotspots-fill', 'risk-emerging-fill'];

type Collection = GeoJSON.FeatureCollection;

/** The collection a map layer draws now; null when the layer is not chosen or not there yet. */
export function layerFeatures(state: RiskView, layer: 'hexes' | 'hotspots' | 'emerging'): Collection | null {
  if (state.layer !== layer) return null;
  return (state.fetched[layer].data as Collection | null) ?? null;
}

/** The outline of the selected hexagon, taken from whichever collection holds it. */
export function selectedFeatures(state: RiskView): Collection | null {
  if (!state.cell) return null;
  for (const layer of [state.layer, 'hexes'] as const) {
    if (layer === 'density') continue;
    const data = state.fetched[layer].data as Collection | null;
    const feature = data?.features.find((f) => f.properties?.h3 === state.cell);
    if (feature) return { type: 'FeatureCollection', features: [{ ...feature, properties: { h3: state.cell } }] };
  }
  return null;
}
