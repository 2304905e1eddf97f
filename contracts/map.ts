/** The basemap API (/api/map/…): the MapLibre style; its tiles are binary (vector tiles, Terrarium PNGs). */
import { z } from 'zod';
import { bboxSchema, jsonValueSchema, lonLatSchema } from './json.js';

const tileSourceShape = {
  tiles: z.array(z.string()),
  minzoom: z.number(),
  maxzoom: z.number(),
  bounds: bboxSchema.optional(),
};

/**
 * One style layer. `paint` and `layout` hold MapLibre properties whose values may be expressions
 * (nested JSON arrays), and `filter` is an expression: their values are JSON, as the style
 * specification defines them.
 */
export const mapStyleLayerSchema = z.object({
  id: z.string(),
  type: z.enum(['background', 'fill', 'line', 'symbol', 'circle', 'hillshade', 'raster', 'fill-extrusion', 'heatmap']),
  source: z.string().optional(),
  'source-layer': z.string().optional(),
  minzoom: z.number().optional(),
  maxzoom: z.number().optional(),
  filter: jsonValueSchema.optional(),
  layout: z.record(z.string(), jsonValueSchema).optional(),
  paint: z.record(z.string(), jsonValueSchema).optional(),
});
export type MapStyleLayer = z.infer<typeof mapStyleLayerSchema>;

/** `GET /api/map/style.json`: a MapLibre style (version 8) whose every source is this server. */
export const mapStyleSchema = z.object({
  version: z.literal(8),
  name: z.string(),
  metadata: z.object({
    'shanwang:bounds': bboxSchema.nullable().describe('Extent of the loaded counties; the web app fits the view to it'),
  }),
  center: lonLatSchema,
  zoom: z.number(),
  sources: z.object({
    basemap: z.object({ type: z.literal('vector'), ...tileSourceShape }),
    dem: z.object({
      type: z.literal('raster-dem'),
      encoding: z.literal('terrarium'),
      tileSize: z.number().int(),
      ...tileSourceShape,
    }),
  }),
  layers: z.array(mapStyleLayerSchema),
});
export type MapStyle = z.infer<typeof mapStyleSchema>;
