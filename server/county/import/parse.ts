import path from 'node:path';
import { type Crs, crsFromGeoJsonMember } from './crs.js';
import { CsvSyntaxError, parseCsv } from './csv.js';
import { detectEncoding, type TextEncoding } from './encoding.js';
import { coordinateRangeProblem } from './geometry.js';
import { ProblemList } from './report.js';

export type FileFormat = 'geojson' | 'csv' | 'shapefile' | 'geopackage' | 'xlsx';

/** One feature as the file has it: its position, its attributes and its (unchecked) geometry. */
export interface SourceFeature {
  index: number;
  properties: Record<string, unknown>;
  /** GeoJSON geometry as found; for CSV a Point from the coordinate columns, or null when those are bad. */
  geometry: unknown;
  /** CSV: the coordinates were already checked (and any problem reported) while reading. */
  csv?: true;
  /** A table row with no coordinates at all (when they are optional: households placed by village). */
  unplaced?: true;
}

/** What a file holds, before any layer's rules are applied. */
export interface ParsedFile {
  format: FileFormat;
  features: SourceFeature[];
  /** The system the file names: undefined when it names none, null when it names one we cannot take. */
  declaredCrs: Crs | null | undefined;
  /** The name in the GeoJSON `crs` member, for messages. */
  declaredCrsName?: string;
  /** How the declared system was found (".prj AUTHORITY", "GeoJSON crs member" …), for the preview. */
  declaredCrsHow?: string;
  /** Problems found while reading (CSV coordinates). */
  problems: ProblemList;
  /** The attribute text's encoding (GeoJSON: always UTF-8), and whether a .cpg named it. */
  encoding?: TextEncoding;
  encodingSource?: 'cpg' | 'detected';
  /** The GeoPackage table or XLSX sheet read. */
  table?: string;
  /** Table files: the columns holding the coordinates (lon/lat or x/y). */
  coordinateColumns?: [string, string];
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

/** The file's text: UTF-8 only (a byte-order mark is dropped). GeoJSON is UTF-8 by definition. */
export function decodeText(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new FileReadError(
      'the file is not UTF-8 text: save it as UTF-8 (in Excel: "CSV UTF-8"; GBK files are not read)',
    );
  }
}

/** A CSV's text: UTF-8 when it decodes strictly as UTF-8, else GB18030 (Excel's "CSV" on Chinese Windows). */
export function decodeCsv(bytes: Uint8Array): { text: string; encoding: TextEncoding } {
  const encoding = detectEncoding(bytes);
  return { text: new TextDecoder(encoding).decode(bytes), encoding };
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
/** Projected coordinates (Gauss–Krüger metres …). In Chinese surveying X is the northing: see pointsFromTable. */
export const X_COLUMNS = ['x', 'x坐标', '横坐标', 'easting', '东坐标', 'pointx', 'coordx'];
export const Y_COLUMNS = ['y', 'y坐标', '纵坐标', 'northing', '北坐标', 'pointy', 'coordy'];

const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** A table cell: text (CSV, XLSX text), a number (XLSX), or nothing. */
export type Cell = string | number | boolean | null | undefined;

/** Read a coordinate cell; reports a problem and returns null when it is missing or not a number. */
function readCoordinate(
  cell: Cell,
  index: number,
  field: 'lon' | 'lat' | 'x' | 'y',
  problems: ProblemList,
): number | null {
  if (typeof cell === 'number') return cell;
  const value = String(cell ?? '').trim();
  const expected =
    field === 'lon'
      ? 'a longitude in decimal degrees'
      : field === 'lat'
        ? 'a latitude in decimal degrees'
        : `an ${field} coordinate (a number)`;
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

/** Where a header row's coordinate columns are: lon/lat (degrees) or x/y (any system), or null. */
export function coordinateColumns(header: readonly string[]): { kind: 'lonlat' | 'xy'; at: [number, number] } | null {
  const normalised = header.map(normaliseKey);
  const find = (names: string[]) => normalised.findIndex((name) => names.includes(name));
  const lon = find(LONGITUDE_COLUMNS);
  const lat = find(LATITUDE_COLUMNS);
  if (lon >= 0 && lat >= 0) return { kind: 'lonlat', at: [lon, lat] };
  const x = find(X_COLUMNS);
  const y = find(Y_COLUMNS);
  if (x >= 0 && y >= 0) return { kind: 'xy', at: [x, y] };
  return null;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

/**
 * Points from a table (CSV or a sheet): a header, then one point per row with its coordinates in
 * two columns — lon/lng/longitude/经度 and lat/latitude/纬度 (degrees, range-checked here), or x/y
 * (any system: checked once the system is known); the other columns are its attributes. In
 * Chinese surveying X is the northing and Y the easting: when the x column holds 7-digit values
 * and the y column 6- or 8-digit ones, they are swapped (with a warning).
 * `cellProblem` reports a cell that cannot be read (an XLSX formula without a value).
 * With `coordinatesOptional` (households, placed by their village when they have no position), a
 * table may have no coordinate columns and a row may leave both cells empty: such rows are `unplaced`.
 */
export function pointsFromTable(
  format: FileFormat,
  header: readonly string[],
  rows: readonly (readonly Cell[])[],
  problems: ProblemList,
  where = 'the CSV',
  coordinatesOptional = false,
): { features: SourceFeature[]; coordinateColumns: [string, string] | undefined } {
  const columns = coordinateColumns(header);
  if (!columns && coordinatesOptional) {
    const features = rows.map((row, index): SourceFeature => {
      const properties: Record<string, unknown> = {};
      header.forEach((name, column) => {
        if (name !== '') properties[name] = row[column] ?? '';
      });
      return { index, properties, geometry: null, csv: true, unplaced: true };
    });
    return { features, coordinateColumns: undefined };
  }
  if (!columns) {
    const normalised = header.map(normaliseKey);
    if (!normalised.some((n) => LONGITUDE_COLUMNS.includes(n)) && !normalised.some((n) => X_COLUMNS.includes(n))) {
      throw new FileReadError(`${where} has no longitude column (${LONGITUDE_COLUMNS.join(', ')})`, 'lon');
    }
    throw new FileReadError(`${where} has no latitude column (${LATITUDE_COLUMNS.join(', ')})`, 'lat');
  }
  const [first, second] = columns.at;
  const projected = columns.kind === 'xy';
  let [xAt, yAt] = [first, second];
  if (projected) {
    const numbers = (at: number) =>
      rows
        .slice(0, 1000)
        .map((row) => Number(row[at]))
        .filter(Number.isFinite);
    const xs = median(numbers(first));
    const ys = median(numbers(second));
    if (xs >= 1e6 && xs < 1e7 && ((ys >= 1e5 && ys < 1e6) || (ys >= 1e7 && ys < 1e8))) {
      [xAt, yAt] = [second, first];
      problems.warning(
        -1,
        `"${header[first]}" 列是北坐标、"${header[second]}" 列是东坐标（测绘习惯），已对调（"${header[first]}" holds northings and "${header[second]}" eastings, as Chinese surveying writes X and Y: read as easting ${header[second]}, northing ${header[first]}）`,
        { field: header[first] },
      );
    }
  }
  const fields: ['lon', 'lat'] | ['x', 'y'] = projected ? ['x', 'y'] : ['lon', 'lat'];
  const features = rows.map((row, index): SourceFeature => {
    const properties: Record<string, unknown> = {};
    header.forEach((name, column) => {
      if (column !== xAt && column !== yAt && name !== '') properties[name] = row[column] ?? '';
    });
    const blank = (cell: Cell) => cell === null || cell === undefined || String(cell).trim() === '';
    if (coordinatesOptional && blank(row[xAt]) && blank(row[yAt])) {
      return { index, properties, geometry: null, csv: true, unplaced: true };
    }
    const x = readCoordinate(row[xAt], index, fields[0], problems);
    const y = readCoordinate(row[yAt], index, fields[1], problems);
    let geometry: unknown = null;
    if (x !== null && y !== null) {
      const range = projected ? null : coordinateRangeProblem(x, y);
      if (range) problems.error(index, range, { field: Math.abs(x) > 180 ? 'lon' : 'lat' });
      else geometry = { type: 'Point', coordinates: [x, y] };
    }
    return { index, properties, geometry, csv: true };
  });
  return { features, coordinateColumns: [header[xAt]!, header[yAt]!] };
}

/**
 * Read a CSV of points: a header row, then one point per row with its longitude and latitude in
 * two columns (lon/lng/longitude/经度 and lat/latitude/纬度) or x/y; the other columns are its attributes.
 */
export function parsePointCsv(text: string, coordinatesOptional = false): ParsedFile {
  let records;
  try {
    records = parseCsv(text);
  } catch (err) {
    if (err instanceof CsvSyntaxError) throw new FileReadError(`the CSV cannot be read: ${err.message}`);
    throw err;
  }
  const header = records[0]?.fields.map((name) => name.trim());
  if (!header) throw new FileReadError('the CSV is empty: expected a header row and one row per point');
  const problems = new ProblemList();
  const { features, coordinateColumns } = pointsFromTable(
    'csv',
    header,
    records.slice(1).map((record) => record.fields),
    problems,
    'the CSV',
    coordinatesOptional,
  );
  return {
    format: 'csv',
    features,
    declaredCrs: undefined,
    problems,
    ...(coordinateColumns ? { coordinateColumns } : {}),
  };
}

/**
 * Read a GeoJSON or CSV file (a CSV in UTF-8 or GB18030). Throws FileReadError when it cannot be
 * read at all. Shapefiles, GeoPackages and XLSX: readSourceFile (source.ts).
 */
export function parseFile(
  bytes: Uint8Array,
  hints: { fileName?: string; contentType?: string; coordinatesOptional?: boolean } = {},
): ParsedFile {
  const { text, encoding } = decodeCsv(bytes);
  if (detectFormat(text, hints) === 'csv') {
    return { ...parsePointCsv(text, hints.coordinatesOptional), encoding, encodingSource: 'detected' };
  }
  if (encoding !== 'utf-8') decodeText(bytes);
  return { ...parseGeoJson(text), encoding: 'utf-8', encodingSource: 'detected' };
}
