import { DEM_MAX_ZOOM, VECTOR_MAX_ZOOM } from './map-data.js';

/**
 * The basemap style, built by the server so that every source points back at this server:
 * no online tiles, glyphs or sprites. Labels are drawn by MapLibre from the computer's own
 * fonts (the style has no `glyphs` URL), so no glyph server is needed.
 */
export interface MapStyleOptions {
  /**
   * Prefix of the tile URLs: '' for paths relative to the page's origin (the web app resolves
   * them), or the configured public URL. Never the request's Host header, which a client sets.
   */
  baseUrl: string;
  /** Whether the style draws household points (only for users who may see households). */
  households: boolean;
  /** Extent of the loaded counties [west, south, east, north], or null when none is loaded. */
  extent: [number, number, number, number] | null;
}

/** Colours of the basemap, shared with the legend. */
export const BASEMAP_COLORS = {
  paper: '#f3efe6',
  outside: '#e4e0d6',
  county: '#6b3d2e',
  township: '#8a6d5a',
  village: '#b9a58f',
  river: '#7fb2d9',
  countyRoad: '#d9822b',
  townshipRoad: '#e8b84a',
  villageRoad: '#ffffff',
  roadCasing: '#9a8f80',
  household: '#8c4a2f',
  station: '#1f4e9a',
  busStop: '#2e7d5b',
} as const;

/** Taishun county seat; the initial view until a county is loaded. */
export const DEFAULT_VIEW = { center: [119.72, 27.56] as [number, number], zoom: 9.2 };

/** Local fonts for labels, first the ones found on Chinese Windows and Linux desktops. */
export const LABEL_FONTS = ['Microsoft YaHei', 'Noto Sans CJK SC', 'WenQuanYi Micro Hei', 'sans-serif'];

/** A MapLibre style (version 8) with this server's sources. */
export function buildMapStyle(options: MapStyleOptions): Record<string, unknown> {
  const { baseUrl, extent } = options;
  const c = BASEMAP_COLORS;
  const center = extent ? [(extent[0] + extent[2]) / 2, (extent[1] + extent[3]) / 2] : DEFAULT_VIEW.center;
  const bounds = extent ?? undefined;
  return {
    version: 8,
    name: 'Shanwang basemap',
    // The web app fits the view to these bounds when the style loads.
    metadata: { 'shanwang:bounds': extent },
    center,
    zoom: DEFAULT_VIEW.zoom,
    sources: {
      basemap: {
        type: 'vector',
        tiles: [`${baseUrl}/api/map/tiles/{z}/{x}/{y}.pbf`],
        minzoom: 0,
        maxzoom: VECTOR_MAX_ZOOM,
        ...(bounds ? { bounds } : {}),
      },
      dem: {
        type: 'raster-dem',
        tiles: [`${baseUrl}/api/map/dem/{z}/{x}/{y}.png`],
        encoding: 'terrarium',
        tileSize: 256,
        minzoom: 5,
        maxzoom: DEM_MAX_ZOOM,
        ...(bounds ? { bounds } : {}),
      },
    },
    layers: [
      { id: 'background', type: 'background', paint: { 'background-color': c.paper } },
      {
        id: 'hillshade',
        type: 'hillshade',
        source: 'dem',
        paint: {
          'hillshade-exaggeration': 0.55,
          'hillshade-shadow-color': '#5b4a3a',
          'hillshade-highlight-color': '#fffaf0',
          'hillshade-accent-color': '#6d5c48',
        },
      },
      {
        id: 'county-mask',
        type: 'fill',
        source: 'basemap',
        'source-layer': 'county_mask',
        paint: { 'fill-color': c.outside, 'fill-opacity': 1 },
      },
      {
        id: 'village-borders',
        type: 'line',
        source: 'basemap',
        'source-layer': 'villages',
        minzoom: 10.5,
        paint: { 'line-color': c.village, 'line-width': 0.8, 'line-dasharray': [3, 2] },
      },
      {
        id: 'township-borders',
        type: 'line',
        source: 'basemap',
        'source-layer': 'townships',
        paint: {
          'line-color': c.township,
          'line-width': ['interpolate', ['linear'], ['zoom'], 8, 0.8, 13, 2],
          'line-dasharray': [4, 2, 1, 2],
        },
      },
      {
        id: 'county-border',
        type: 'line',
        source: 'basemap',
        'source-layer': 'county',
        paint: { 'line-color': c.county, 'line-width': ['interpolate', ['linear'], ['zoom'], 8, 2, 13, 4] },
      },
      {
        id: 'rivers',
        type: 'line',
        source: 'basemap',
        'source-layer': 'rivers',
        filter: ['>=', ['get', 'strahler'], 2],
        paint: {
          'line-color': c.river,
          'line-width': ['interpolate', ['linear'], ['get', 'strahler'], 2, 0.6, 5, 2.5],
        },
      },
      {
        id: 'roads-casing',
        type: 'line',
        source: 'basemap',
        'source-layer': 'roads',
        minzoom: 10,
        layout: { 'line-join': 'round', 'line-cap': 'round' },
        paint: {
          'line-color': c.roadCasing,
          'line-width': ['match', ['get', 'road_class'], 'county', 4, 'township', 3, 2.2],
        },
      },
      {
        id: 'roads',
        type: 'line',
        source: 'basemap',
        'source-layer': 'roads',
        layout: { 'line-join': 'round', 'line-cap': 'round' },
        paint: {
          'line-color': [
            'match',
            ['get', 'road_class'],
            'county',
            c.countyRoad,
            'township',
            c.townshipRoad,
            c.villageRoad,
          ],
          'line-width': [
            'interpolate',
            ['linear'],
            ['zoom'],
            8,
            ['match', ['get', 'road_class'], 'county', 1.6, 'township', 1, 0.4],
            13,
            ['match', ['get', 'road_class'], 'county', 3, 'township', 2, 1.2],
          ],
        },
      },
      {
        id: 'households',
        type: 'circle',
        source: 'basemap',
        'source-layer': 'households',
        minzoom: 11,
        paint: {
          'circle-color': c.household,
          'circle-radius': ['interpolate', ['linear'], ['zoom'], 11, 0.6, 13, 1.2, 16, 3],
          'circle-opacity': 0.6,
        },
      },
      {
        id: 'bus-stops',
        type: 'circle',
        source: 'basemap',
        'source-layer': 'bus_stops',
        minzoom: 11,
        paint: {
          'circle-color': c.busStop,
          'circle-radius': 3,
          'circle-stroke-color': '#ffffff',
          'circle-stroke-width': 1,
        },
      },
      {
        id: 'stations',
        type: 'circle',
        source: 'basemap',
        'source-layer': 'stations',
        paint: {
          'circle-color': c.station,
          'circle-radius': 5,
          'circle-stroke-color': '#ffffff',
          'circle-stroke-width': 1.5,
        },
      },
      {
        id: 'village-labels',
        type: 'symbol',
        source: 'basemap',
        'source-layer': 'village_labels',
        minzoom: 11.5,
        layout: { 'text-field': ['get', 'label'], 'text-font': LABEL_FONTS, 'text-size': 11, 'text-offset': [0, 0.8] },
        paint: { 'text-color': '#4a3b2e', 'text-halo-color': '#ffffff', 'text-halo-width': 1.2 },
      },
      {
        id: 'township-labels',
        type: 'symbol',
        source: 'basemap',
        'source-layer': 'township_labels',
        layout: { 'text-field': ['get', 'name'], 'text-font': LABEL_FONTS, 'text-size': 14 },
        paint: { 'text-color': '#2b2118', 'text-halo-color': '#ffffff', 'text-halo-width': 1.6 },
      },
    ].filter((layer) => options.households || layer.id !== 'households'),
  };
}
