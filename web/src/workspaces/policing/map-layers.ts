import type { LayerSpecification } from 'maplibre-gl';
import { currentData } from '../../frame/resource.js';
import type { IsochroneCollection, PolicingView } from './state.js';

/** The bands of the chosen station, once they are there (none without a station, none of another station's). */
export function drawnBands(state: PolicingView): IsochroneCollection | null {
  return state.station === null ? null : currentData(state.isochrones);
}

/** Source ids of the commanders' layers on the map. */
export const POLICING_SOURCES = {
  villages: 'policing-villages',
  isochrones: 'policing-isochrones',
  route: 'policing-route',
} as const;

/** Colours of the no-trip reasons (the first reason of a village colours it). */
export const REASON_COLOURS = { drive: '#c0392b', no_bus: '#e67e22', designated: '#7d3c98', none: '#7f8c8d' } as const;
/** Colours of the 30 / 60 / 90-minute bands, nearest darkest. */
export const BAND_COLOURS = ['#1b6ca8', '#4a98c9', '#a6cee3'] as const;
/** Each band is filled this see-through, the largest first: a nearer band shows its own and the outer ones' fills. */
export const BAND_FILL_OPACITY = 0.28;
const DAY_COLOURS = ['#0b5345', '#1f618d', '#6c3483', '#b9770e', '#943126', '#196f3d'] as const;

type Collection = GeoJSON.FeatureCollection;

/** Layer styles (their source is set by the map view). */
export const POLICING_LAYERS: Record<keyof typeof POLICING_SOURCES, LayerSpecification[]> = {
  isochrones: [
    {
      id: 'policing-isochrones-fill',
      type: 'fill',
      source: '',
      paint: {
        'fill-color': ['match', ['get', 'band'], 0, BAND_COLOURS[0], 1, BAND_COLOURS[1], BAND_COLOURS[2]],
        'fill-opacity': BAND_FILL_OPACITY,
      },
    },
    {
      id: 'policing-isochrones-line',
      type: 'line',
      source: '',
      paint: { 'line-color': '#1b4f72', 'line-width': 1, 'line-opacity': 0.6 },
    },
  ],
  route: [
    {
      id: 'policing-route-line',
      type: 'line',
      source: '',
      layout: { 'line-join': 'round', 'line-cap': 'round' },
      paint: { 'line-color': ['get', 'colour'], 'line-width': 4, 'line-opacity': 0.85 },
    },
  ],
  villages: [
    {
      id: 'policing-villages-circle',
      type: 'circle',
      source: '',
      paint: {
        'circle-color': ['get', 'colour'],
        'circle-radius': ['case', ['get', 'selected'], 9, ['get', 'noTrip'], 6, 3],
        'circle-stroke-color': ['case', ['get', 'selected'], '#111111', '#ffffff'],
        'circle-stroke-width': ['case', ['get', 'selected'], 3, 1],
        'circle-opacity': ['case', ['get', 'noTrip'], 0.95, 0.6],
      },
    },
  ],
};

/** Every village as a point, coloured by its first no-trip reason; null before the report is there. */
export function villageFeatures(state: PolicingView): Collection | null {
  if (!state.report.data) return null;
  return {
    type: 'FeatureCollection',
    features: state.report.data.villages
      .filter((v) => state.station === null || v.stationCode === state.station)
      .map((v) => ({
        type: 'Feature',
        geometry: { type: 'Point', coordinates: [v.lon, v.lat] },
        properties: {
          code: v.code,
          name: v.name,
          noTrip: v.noTrip,
          selected: v.code === state.village,
          colour: REASON_COLOURS[v.reasons[0] ?? 'none'],
        },
      })),
  };
}

/** The station's bands, the largest first so the nearer ones draw on top. */
export function isochroneFeatures(state: PolicingView): Collection | null {
  const bands = drawnBands(state);
  if (!bands) return null;
  const features = bands.features;
  return {
    type: 'FeatureCollection',
    features: features.map((f, band) => ({ ...f, properties: { ...f.properties, band } }) as GeoJSON.Feature).reverse(),
  };
}

/** The planned days' routes, a colour each. */
export function routeFeatures(state: PolicingView): Collection | null {
  if (state.plan.kind !== 'ready') return null;
  return {
    type: 'FeatureCollection',
    features: state.plan.data.days.map((day, i) => ({
      type: 'Feature',
      geometry: day.route,
      properties: { day: day.day, colour: DAY_COLOURS[i % DAY_COLOURS.length]! },
    })),
  };
}
