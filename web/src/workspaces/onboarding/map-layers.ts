import type { LayerSpecification } from 'maplibre-gl';
import type { OnboardingState } from './state.js';

/** Source id of the preview's features on the map. */
export const PREVIEW_SOURCE = 'onboarding-preview';
const COLOUR = '#c2185b';

/** The preview's styles: polygons filled and outlined, lines, points (a DEM: its footprint). */
export const PREVIEW_LAYERS: LayerSpecification[] = [
  {
    id: 'onboarding-preview-fill',
    type: 'fill',
    source: '',
    filter: ['in', ['geometry-type'], ['literal', ['Polygon', 'MultiPolygon']]],
    paint: { 'fill-color': COLOUR, 'fill-opacity': 0.18 },
  },
  {
    id: 'onboarding-preview-line',
    type: 'line',
    source: '',
    filter: ['in', ['geometry-type'], ['literal', ['Polygon', 'MultiPolygon', 'LineString', 'MultiLineString']]],
    paint: { 'line-color': COLOUR, 'line-width': 2 },
  },
  {
    id: 'onboarding-preview-point',
    type: 'circle',
    source: '',
    filter: ['in', ['geometry-type'], ['literal', ['Point', 'MultiPoint']]],
    paint: { 'circle-color': COLOUR, 'circle-radius': 5, 'circle-stroke-color': '#ffffff', 'circle-stroke-width': 1 },
  },
];

/** The previewed features in WGS 84 (a DEM: the box it covers); null when there is nothing to draw. */
export function previewFeatures(state: OnboardingState): GeoJSON.FeatureCollection | null {
  if (state.preview.kind !== 'ready') return null;
  const preview = state.preview.data;
  if (preview.layer === 'terrain') {
    const bounds = preview.source?.bounds;
    if (!bounds) return null;
    const [w, s, e, n] = bounds;
    return {
      type: 'FeatureCollection',
      features: [
        {
          type: 'Feature',
          properties: {},
          geometry: {
            type: 'Polygon',
            coordinates: [
              [
                [w, s],
                [e, s],
                [e, n],
                [w, n],
                [w, s],
              ],
            ],
          },
        },
      ],
    };
  }
  const features = preview.sample.features
    .filter((f) => f.geometry !== null)
    .map((f): GeoJSON.Feature => ({
      type: 'Feature',
      id: f.id,
      properties: { index: f.id },
      geometry: f.geometry as GeoJSON.Geometry,
    }));
  return features.length > 0 ? { type: 'FeatureCollection', features } : null;
}
