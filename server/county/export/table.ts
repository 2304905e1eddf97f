/**
 * What an export writes, whatever the format: a named table of features in one coordinate system,
 * with typed attribute fields. Built from the database by layers.ts, written by shapefile-writer.ts
 * and geopackage-writer.ts.
 */
import type { Geometry } from 'geojson';
import { AppError } from '../../http/errors.js';

/** dBASE field types: C text, N number (decimals fixed), F float, D date (YYYY-MM-DD), L logical. */
export type FieldType = 'C' | 'N' | 'F' | 'D' | 'L';

export interface ExportField {
  /** The column's name as offices read it (Chinese: 代码, 名称, 户数…); Shapefiles may shorten it. */
  name: string;
  type: FieldType;
  /** Digits after the point for N and F (default 0 for N, 6 for F). */
  decimals?: number;
}

export type ExportValue = string | number | boolean | null;

export interface ExportFeature {
  geometry: Geometry | null;
  /** One value per field, in the order of the fields. */
  values: ExportValue[];
}

/** Point, line or polygon: one kind per table, as a Shapefile holds one shape type. */
export type GeometryKind = 'point' | 'line' | 'polygon';

export interface ExportTable {
  /** The layer's name: the file and table name (ASCII, e.g. villages). */
  name: string;
  kind: GeometryKind;
  fields: ExportField[];
  features: ExportFeature[];
  /** EPSG code of the coordinates. */
  srid: number;
  /** The system's OGC WKT (PostGIS spatial_ref_sys.srtext): the GeoPackage's definition; the .prj gets its ESRI form. */
  wkt: string;
  /** Its name, for gpkg_spatial_ref_sys. */
  srsName: string;
}

/** The export's encodings of Shapefile attributes. */
export const ENCODINGS = ['gbk', 'utf-8'] as const;
export type ExportEncoding = (typeof ENCODINGS)[number];

/** A value that cannot be written: the feature (1-based, as a desktop GIS counts) and field named. */
export function valueError(
  table: ExportTable,
  feature: number,
  field: string,
  why: { zh: string; en: string },
): AppError {
  return AppError.badRequest(
    `${table.name} 第 ${feature + 1} 个要素的字段 ${field} 无法导出：${why.zh}（feature ${feature + 1} of ${table.name}, field ${field}: ${why.en}）`,
    { layer: table.name, feature: feature + 1, field },
  );
}

/** The export would pass a Shapefile part's 2 GB limit. */
export function tooLargeError(layer: string, part: string, bytes: number): AppError {
  const gb = (bytes / 2 ** 30).toFixed(2);
  return AppError.badRequest(
    `${layer} 的 ${part} 文件将达 ${gb} GB，超过 Shapefile 的 2 GB 上限：请改用 GeoPackage 或按乡镇分批导出（the ${part} of ${layer} would be ${gb} GB, over the Shapefile limit of 2 GB: export as GeoPackage or township by township）`,
    { layer, part, bytes },
  );
}
