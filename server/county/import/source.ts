/**
 * Read any file a county's offices hand over into features: GeoJSON, CSV, XLSX, a GeoPackage, or a
 * Shapefile (zipped, or loose files beside each other on the command line). The format is told by
 * the bytes first (zip, SQLite, the .shp code), then by the name and media type.
 */
import path from 'node:path';
import { isSqlite, readGeoPackage } from './geopackage.js';
import { FileReadError, type ParsedFile, parseFile } from './parse.js';
import { matchPrj } from './prj.js';
import { readShapefile, type ShapefileParts } from './shapefile.js';
import { readXlsx } from './xlsx.js';
import { isZip, readZip } from './zip.js';

export interface SourceInput {
  bytes: Uint8Array;
  fileName?: string;
  contentType?: string;
  /** A loose Shapefile's other parts (.shx, .dbf, .prj, .cpg), read from beside the .shp. */
  siblings?: Omit<ShapefileParts, 'shp'>;
  /** The GeoPackage table or XLSX sheet to read, when it holds several. */
  table?: string;
  /** A CSV/XLSX may lack coordinates (households, placed by their village). */
  coordinatesOptional?: boolean;
}

const SHAPEFILE_PARTS = ['shp', 'shx', 'dbf', 'prj', 'cpg'] as const;

function isShp(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0 && bytes[1] === 0 && bytes[2] === 0x27 && bytes[3] === 0x0a;
}

function extension(name: string): string {
  return path.extname(name).slice(1).toLowerCase();
}

/** A zipped Shapefile's parts: the one .shp in it (any folder) and its siblings of the same name. */
function shapefileFromZip(bytes: Uint8Array, table?: string): ShapefileParts {
  const members = readZip(bytes, (name) => (SHAPEFILE_PARTS as readonly string[]).includes(extension(name)));
  const shps = [...members.keys()].filter((name) => extension(name) === 'shp');
  const stem = (name: string) => name.slice(0, -4);
  const chosen = table !== undefined ? shps.filter((name) => path.basename(stem(name)) === table) : shps;
  if (chosen.length !== 1) {
    throw new FileReadError(
      chosen.length === 0 && table === undefined
        ? '压缩包中没有 .shp 文件（the zip holds no .shp）'
        : `压缩包中有多个或没有指定的 Shapefile，请用 table 指定（the zip holds ${shps.length} Shapefiles: ${shps.map((n) => path.basename(stem(n))).join(', ') || 'none'}; say which with table (--table), or zip one per layer）`,
      'table',
    );
  }
  const base = stem(chosen[0]!).toLowerCase();
  const parts: ShapefileParts = {};
  for (const [name, data] of members) {
    if (name.slice(0, -4).toLowerCase() === base) parts[extension(name) as keyof ShapefileParts] = data;
  }
  return parts;
}

/** Shapefile parts → a parsed file, its system from the .prj. */
function parseShapefile(parts: ShapefileParts): ParsedFile {
  const contents = readShapefile(parts);
  const match = contents.prj !== undefined ? matchPrj(contents.prj) : null;
  const prjName = contents.prj ? (/^\w+\[\s*"([^"]*)"/.exec(contents.prj.trim())?.[1] ?? 'unnamed') : undefined;
  return {
    format: 'shapefile',
    features: contents.features,
    // No .prj: undefined (the user must say); a .prj we cannot match: null (named in the error).
    declaredCrs: contents.prj === undefined ? undefined : (match?.crs ?? null),
    ...(prjName !== undefined ? { declaredCrsName: `${prjName} (.prj)` } : {}),
    ...(match ? { declaredCrsHow: match.how } : {}),
    problems: contents.problems,
    encoding: contents.encoding,
    encodingSource: contents.encodingSource,
  };
}

/** Read a file of any supported format. Throws FileReadError (Chinese and English) when it cannot be read at all. */
export async function readSourceFile(input: SourceInput): Promise<ParsedFile> {
  const { bytes, fileName = '', table } = input;
  const ext = extension(fileName);
  if (isZip(bytes)) {
    if (ext === 'xlsx' || ext === 'xlsm') return readXlsx(bytes, table, input.coordinatesOptional);
    // A zip is a Shapefile unless it is a workbook.
    let isWorkbook = false;
    readZip(bytes, (name) => {
      if (name === '[Content_Types].xml' || name.startsWith('xl/')) isWorkbook = true;
      return false;
    });
    return isWorkbook
      ? readXlsx(bytes, table, input.coordinatesOptional)
      : parseShapefile(shapefileFromZip(bytes, table));
  }
  if (isSqlite(bytes)) {
    const gpkg = await readGeoPackage(bytes, table);
    return {
      format: 'geopackage',
      features: gpkg.features,
      declaredCrs: gpkg.crs,
      declaredCrsName: gpkg.crsName,
      ...(gpkg.crsHow ? { declaredCrsHow: gpkg.crsHow } : {}),
      problems: gpkg.problems,
      encoding: 'utf-8',
      encodingSource: 'detected',
      table: gpkg.table,
    };
  }
  if (isShp(bytes) || ext === 'shp') return parseShapefile({ ...input.siblings, shp: bytes });
  if (['dbf', 'shx', 'prj', 'cpg'].includes(ext)) {
    throw new FileReadError(
      `请给出 .shp 文件或整个压缩包（give the .shp, or the whole Shapefile zipped, not its .${ext}）`,
    );
  }
  if (ext === 'xls') {
    throw new FileReadError('不支持旧版 .xls，请另存为 .xlsx（the old .xls format is not read: save it as .xlsx）');
  }
  const parsed = parseFile(bytes, input);
  if (parsed.declaredCrs !== undefined && parsed.declaredCrsName) {
    return { ...parsed, declaredCrsHow: `the GeoJSON crs member "${parsed.declaredCrsName}"` };
  }
  return parsed;
}
