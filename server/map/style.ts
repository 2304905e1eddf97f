/**
 * The basemap style, built by the server so that every source points back at this server:
 * no online tiles, glyphs or sprites. Labels are drawn by MapLibre from local fonts (the style
 * has no `glyphs` URL), so no glyph server is needed.
 */
export interface MapStyleOptions {
  /** Absolute origin of this server, e.g. `http://localhost:3000` (MapLibre needs absolute URLs). */
  origin: string;
}

/** Colours of the basemap, shared with the legend. */
export const BASEMAP_COLORS = {
  paper: '#f3efe6',
} as const;

/** Taishun county seat; the initial view until the model supplies its own bounds. */
export const DEFAULT_VIEW = { center: [119.72, 27.56] as [number, number], zoom: 9.2 };

/** A MapLibre style (version 8) with this server's sources. */
export function buildMapStyle(options: MapStyleOptions): Record<string, unknown> {
  void options.origin;
  return {
    version: 8,
    name: 'Shanwang basemap',
    center: DEFAULT_VIEW.center,
    zoom: DEFAULT_VIEW.zoom,
    sources: {},
    layers: [{ id: 'background', type: 'background', paint: { 'background-color': BASEMAP_COLORS.paper } }],
  };
}
