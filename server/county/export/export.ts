/**
 * One export from table to file: a zipped Shapefile (attributes in GBK or UTF-8) or a GeoPackage,
 * its file name and media type, and what the audit log keeps of it.
 */
import { writeGeoPackage } from './geopackage-writer.js';
import { writeShapefileZip } from './shapefile-writer.js';
import type { ExportEncoding, ExportTable } from './table.js';

export const EXPORT_FORMATS = ['zip', 'gpkg'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const CONTENT_TYPES: Record<ExportFormat, string> = {
  zip: 'application/zip',
  gpkg: 'application/geopackage+sqlite3',
};

/** The layers' names in file names (Chinese, as offices file them). */
export const TABLE_TITLES: Record<string, string> = {
  townships: '乡镇',
  villages: '村社区',
  roads: '道路',
  stations: '派出所',
  bus_stops: '公交站',
  households: '住户',
  events: '事件',
  grids: '网格',
  no_trip: '免跑村',
};

/** The file's bytes. */
export async function writeExport(
  table: ExportTable,
  format: ExportFormat,
  encoding: ExportEncoding,
): Promise<Uint8Array> {
  return format === 'zip' ? writeShapefileZip(table, encoding) : writeGeoPackage(table);
}

/** e.g. 泰顺县-村社区-EPSG4549-GBK.zip: the county, the layer, the system and (Shapefiles) the encoding. */
export function exportFileName(
  countyName: string,
  table: ExportTable,
  format: ExportFormat,
  encoding: ExportEncoding,
  extra = '',
): string {
  const title = TABLE_TITLES[table.name] ?? table.name;
  const enc = format === 'zip' ? `-${encoding.toUpperCase()}` : '';
  return `${countyName}-${title}${extra}-EPSG${table.srid}${enc}.${format}`;
}
