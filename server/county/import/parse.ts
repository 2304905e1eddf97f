import path from 'node:path';
import { type Crs, crsFromGeoJsonMember } from './crs.js';
import { CsvSyntaxError, parseCsv } from './csv.js';
import { coordinateRangeProblem } from './geometry.js';
import { ProblemList } from './report.js';

export type FileFormat = 'geojson' | 'csv';

/** One feature as the file has it: its position, its attributes and its (unchecked) geometry. */
export interface SourceFeature {
  index: number;
  properties: Record<string, unknown>;
  /** GeoJSON geometry as found; for CSV a Point from the coordinate columns, or null when those are bad. */
  geometry: unknown;
  /** CSV: the coordinates were already checked (and any problem reported) while reading. */
  csv?: true;
}

/** What a file holds, before any layer's rules are applied. */
export interface ParsedFile {
  format: FileFormat;
  features: SourceFeature[];
  /** The system the file names: undefined when it names none, null when it names one we cannot take. */
  declaredCrs: Crs | null | undefined;
  /** The name in the GeoJSON `crs` member, for messages. */
  declaredCrsName?: string;
  /** Problems found while reading (CSV coordinates). */
  problems: ProblemList;
}

/** Why a file cannot be read at all. */
export class FileReadError extends Error {
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'FileReadError';
  }
}

/** GeoJSON or CSV: the media type says, else the file name's extension, else the first character. */
export function detectFormat(text: string, hints: { fileName?: string; contentType?: string } = {}): FileFormat {
  const mediaType = hints.contentType?.split(';')[0]?.trim().toLowerCase();
  if (mediaType === 'text/csv') return 'csv';
  if (mediaType === 'application/json' || mediaType === 'application/geo+json') return 'geojson';
  const extension = hints.fileName ? path.extname(hints.fileName).toLowerCase() : '';
  if (extension === '.csv') return 'csv';
  if (extension === '.json' || extension === '.geojson') return 'geojson';
  return text.trimStart().startsWith('{') ? 'geojson' : 'csv';
}

/** The file's text: UTF-8 only (a byte-order mark is dropped). */
export function decodeText(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new FileReadError(
      'the file is not UTF-8 text: save it as UTF-8 (in Excel: "CSV UTF-8"; GBK files are not read)',
    );
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Read a GeoJSON FeatureCollection. */
export function parseGeoJson(text: string): ParsedFile {
  let document: unknown;
  try {
    document = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (err) {
    throw new FileReadError(`the file is not valid JSON (${(err as Error).message})`);
  }
  if (!isObject(document) || document.type !== 'FeatureCollection' || !Array.isArray(document.features)) {
    throw new FileReadError(
      'expected a GeoJSON FeatureCollection (an object with "type": "FeatureCollection" and "features")',
    );
  }
  const problems = new ProblemList();
  const features: SourceFeature[] = document.features.map((item: unknown, index: number) => {
    if (!isObject(item) || item.type !== 'Feature') {
      problems.error(index, 'not a GeoJSON Feature');
      return { index, properties: {}, geometry: undefined };
    }
    return { index, properties: isObject(item.properties) ? item.properties : {}, geometry: item.geometry ?? null };
  });
  const declaredCrs = crsFromGeoJsonMember(document.crs);
  const crsName = (document.crs as { properties?: { name?: unknown } } | undefined)?.properties?.name;
  return {
    format: 'geojson',
    features,
    declaredCrs,
    ...(typeof crsName === 'string' ? { declaredCrsName: crsName } : {}),
    problems,
  };
}

/** Normalise a property or column name for matching: case, spaces, `_` and `-` do not matter. */
export function normaliseKey(key: string): string {
  return key
    .trim()
    .toLowerCase()
    .replace(/[\s_-]+/g, '');
}

export const LONGITUDE_COLUMNS = ['lon', 'lng', 'long', 'longitude', '经度'];
export const LATITUDE_COLUMNS = ['lat', 'latitude', '纬度'];

const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** Read a coordinate cell; reports a problem and returns null when it is missing or not a number. */
function readCoordinate(
  text: string | undefined,
  index: number,
  field: 'lon' | 'lat',
  problems: ProblemList,
): number | null {
  const value = (text ?? '').trim();
  const expected = field === 'lon' ? 'a longitude in decimal degrees' : 'a latitude in decimal degrees';
  if (value === '') {
    problems.error(index, `missing; expected ${expected}`, { field });
    return null;
  }
  if (!DECIMAL.test(value)) {
    problems.error(index, `expected ${expected}, got ${JSON.stringify(value)}`, { field });
    return null;
  }
  return Number(value);
}

/**
 * Read a CSV of points: a header row, then one point per row with its longitude and latitude in
 * two columns (lon/lng/longitude/经度 and lat/latitude/纬度); the other columns are its attributes.
 */
export function parsePointCsv(text: string): ParsedFile {
  let records;
  try {
    records = parseCsv(text);
  } catch (err) {
    if (err instanceof CsvSyntaxError) throw new FileReadError(`the CSV cannot be read: ${err.message}`);
    throw err;
  }
  const header = records[0]?.fields.map((name) => name.trim());
  if (!header) throw new FileReadError('the CSV is empty: expected a header row and one row per point');
  const normalised = header.map(normaliseKey);
  const lonAt = normalised.findIndex((name) => LONGITUDE_COLUMNS.includes(name));
  const latAt = normalised.findIndex((name) => LATITUDE_COLUMNS.includes(name));
  if (lonAt < 0) throw new FileReadError(`the CSV has no longitude column (${LONGITUDE_COLUMNS.join(', ')})`, 'lon');
  if (latAt < 0) throw new FileReadError(`the CSV has no latitude column (${LATITUDE_COLUMNS.join(', ')})`, 'lat');

  const problems = new ProblemList();
  const features = records.slice(1).map((record, index): SourceFeature => {
    const properties: Record<string, unknown> = {};
    header.forEach((name, column) => {
      if (column !== lonAt && column !== latAt && name !== '') properties[name] = record.fields[column] ?? '';
    });
    const lon = readCoordinate(record.fields[lonAt], index, 'lon', problems);
    const lat = readCoordinate(record.fields[latAt], index, 'lat', problems);
    let geometry: unknown = null;
    if (lon !== null && lat !== null) {
      const range = coordinateRangeProblem(lon, lat);
      if (range) problems.error(index, range, { field: Math.abs(lon) > 180 ? 'lon' : 'lat' });
      else geometry = { type: 'Point', coordinates: [lon, lat] };
    }
    return { index, properties, geometry, csv: true };
  });
  return { format: 'csv', features, declaredCrs: undefined, problems };
}

/** Read a file of either format. Throws FileReadError when it cannot be read at all. */
export function parseFile(bytes: Uint8Array, hints: { fileName?: string; contentType?: string } = {}): ParsedFile {
  const text = decodeText(bytes);
  return detectFormat(text, hints) === 'csv' ? parsePointCsv(text) : parseGeoJson(text);
}
