/**
 * Shapes several contracts share: any JSON value (for documents whose content is itself free JSON,
 * such as an audit entry's before/after or a MapLibre expression) and the GeoJSON geometries the API
 * answers with. Contracts import only zod, so both the server and the web app may import them.
 */
import { z } from 'zod';

/** Any JSON value: what JSON.parse can return. */
export const jsonValueSchema = z.json();
export type JsonValue = z.infer<typeof jsonValueSchema>;

/** [lon, lat] in WGS 84. */
export const lonLatSchema = z.tuple([z.number(), z.number()]);

export const polygonSchema = z.object({
  type: z.literal('Polygon'),
  coordinates: z.array(z.array(z.array(z.number()))),
});

export const multiPolygonSchema = z.object({
  type: z.literal('MultiPolygon'),
  coordinates: z.array(z.array(z.array(z.array(z.number())))),
});

/** [west, south, east, north]. */
export const bboxSchema = z.tuple([z.number(), z.number(), z.number(), z.number()]);

/** A county code (6 digits) and a village code (12 digits), as the API takes them. */
export const countyCodeSchema = z.string().regex(/^\d{6}$/, '县代码是 6 位数字（a county code has 6 digits）');
export const villageCodeSchema = z.string().regex(/^\d{12}$/, '村代码是 12 位数字（a village code has 12 digits）');

/** The largest value of a PostgreSQL integer (ids are int4). */
export const INT32_MAX = 2_147_483_647;

const position = z.array(z.number());

/** A GeoJSON geometry (RFC 7946) of the kinds the layers hold. */
export const geometrySchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('Point'), coordinates: position }),
  z.object({ type: z.literal('MultiPoint'), coordinates: z.array(position) }),
  z.object({ type: z.literal('LineString'), coordinates: z.array(position) }),
  z.object({ type: z.literal('MultiLineString'), coordinates: z.array(z.array(position)) }),
  polygonSchema,
  multiPolygonSchema,
]);
