/**
 * The file downloads (/api/exports/…, a grid plan's and the no-trip list's exports, the tables for
 * Excel): which formats, encodings and layers a client may ask for, and the media type of each
 * file. A download that fails answers the JSON error body of every route (contracts/errors.ts).
 * Imports only zod (the web app may import it).
 */
import { z } from 'zod';

/** GIS files: a zipped Shapefile or a GeoPackage. */
export const EXPORT_FORMATS = ['zip', 'gpkg'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
export const exportFormatSchema = z.enum(EXPORT_FORMATS).describe('zip: a zipped Shapefile; gpkg: a GeoPackage');

/** The media type of each GIS file. */
export const EXPORT_CONTENT_TYPES = {
  zip: 'application/zip',
  gpkg: 'application/geopackage+sqlite3',
} as const satisfies Record<ExportFormat, string>;

/** A zipped Shapefile's attributes: GBK (what ArcGIS in China expects) or UTF-8. */
export const EXPORT_ENCODINGS = ['gbk', 'utf-8'] as const;
export type ExportEncoding = (typeof EXPORT_ENCODINGS)[number];
export const exportEncodingSchema = z
  .enum(EXPORT_ENCODINGS)
  .default('gbk')
  .describe('Shapefile attributes in GBK (default, what ArcGIS in China expects) or UTF-8');

/** The county layers that export; households and events have routes of their own (fewer roles). */
export const EXPORT_LAYERS = [
  'townships',
  'villages',
  'roads',
  'stations',
  'bus_stops',
  'households',
  'events',
] as const;
export type ExportLayer = (typeof EXPORT_LAYERS)[number];

/** The layers of `GET /api/exports/{layer}.{format}`, which every role may export. */
export const COUNTY_EXPORT_LAYERS = [
  'townships',
  'villages',
  'roads',
  'stations',
  'bus_stops',
] as const satisfies readonly ExportLayer[];
export type CountyExportLayer = (typeof COUNTY_EXPORT_LAYERS)[number];

/** Tables for Excel: CSV (UTF-8 with a BOM) or an XLSX workbook. */
export const TABLE_FORMATS = ['csv', 'xlsx'] as const;
export type TableFormat = (typeof TABLE_FORMATS)[number];

/** The media type of each table file. */
export const TABLE_CONTENT_TYPES = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
} as const satisfies Record<TableFormat, string>;
