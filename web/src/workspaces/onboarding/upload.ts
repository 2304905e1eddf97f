/**
 * The request body of an import from the files the user chose: a loose Shapefile set is zipped
 * here (the server reads one body), and a forced encoding is applied before sending (a Shapefile
 * gets a .cpg naming it, a CSV is decoded in it and sent as UTF-8), so the server reads the file
 * as the user says without a parameter of its own.
 */
import { unzipSync, zipSync } from 'fflate';
import type { EncodingChoice } from './state.js';

export interface ChosenFile {
  name: string;
  bytes: Uint8Array;
}

export interface UploadBody {
  bytes: Uint8Array;
  fileName: string;
  contentType: string;
}

const SHAPEFILE_PARTS = ['shp', 'shx', 'dbf', 'prj', 'cpg'];
const CONTENT_TYPES: Record<string, string> = {
  zip: 'application/zip',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  gpkg: 'application/geopackage+sqlite3',
  csv: 'text/csv',
  geojson: 'application/geo+json',
  json: 'application/geo+json',
  tif: 'image/tiff',
  tiff: 'image/tiff',
};

/** What the file chooser accepts. */
export const ACCEPTED_FILES = '.zip,.shp,.shx,.dbf,.prj,.cpg,.gpkg,.xlsx,.csv,.geojson,.json,.tif,.tiff,.hgt';

const extension = (name: string) => /\.([^.]+)$/.exec(name)?.[1]?.toLowerCase() ?? '';
const stem = (name: string) => name.replace(/\.[^./]+$/, '');
/** What a .cpg says for an encoding (the server's encodingFromCpg reads these). */
const CPG: Record<Exclude<EncodingChoice, ''>, string> = { 'utf-8': 'UTF-8', gbk: 'GBK' };

/** A zip's members with a .cpg naming `encoding` beside each .shp (replacing any there). */
function withCpg(
  members: Record<string, Uint8Array>,
  encoding: Exclude<EncodingChoice, ''>,
): Record<string, Uint8Array> {
  const out: Record<string, Uint8Array> = {};
  for (const [name, data] of Object.entries(members)) if (extension(name) !== 'cpg') out[name] = data;
  for (const name of Object.keys(members)) {
    if (extension(name) === 'shp') out[`${stem(name)}.cpg`] = new TextEncoder().encode(CPG[encoding]);
  }
  return out;
}

/**
 * The body to send for the chosen files: one file as it is (a zip or CSV changed only for a forced
 * encoding), or a loose Shapefile set (.shp with its .shx, .dbf, .prj, .cpg) zipped. Throws with a
 * sentence in both languages when the files are not one layer.
 */
export function uploadBody(files: readonly ChosenFile[], encoding: EncodingChoice): UploadBody {
  if (files.length === 0) throw new Error('请选择文件（choose a file）');
  const shp = files.filter((f) => extension(f.name) === 'shp');
  if (files.length > 1 || shp.length === 1) {
    if (shp.length !== 1) {
      throw new Error(
        '多个文件须为一套 Shapefile：一个 .shp 及其 .shx、.dbf、.prj、.cpg（several files must be one Shapefile set: one .shp with its .shx, .dbf, .prj, .cpg）',
      );
    }
    const base = stem(shp[0]!.name).toLowerCase();
    const members: Record<string, Uint8Array> = {};
    for (const file of files) {
      if (!SHAPEFILE_PARTS.includes(extension(file.name)) || stem(file.name).toLowerCase() !== base) {
        throw new Error(`${file.name} 不属于 ${shp[0]!.name}（${file.name} is not a part of ${shp[0]!.name}）`);
      }
      members[file.name] = file.bytes;
    }
    const parts = encoding ? withCpg(members, encoding) : members;
    return { bytes: zipSync(parts), fileName: `${stem(shp[0]!.name)}.zip`, contentType: CONTENT_TYPES.zip! };
  }
  const file = files[0]!;
  const ext = extension(file.name);
  const contentType = CONTENT_TYPES[ext] ?? 'application/octet-stream';
  if (encoding && ext === 'zip') {
    const members = unzipSync(file.bytes);
    if (Object.keys(members).some((name) => extension(name) === 'shp')) {
      return { bytes: zipSync(withCpg(members, encoding)), fileName: file.name, contentType };
    }
  }
  if (encoding && ext === 'csv') {
    const text = new TextDecoder(encoding === 'gbk' ? 'gb18030' : 'utf-8').decode(file.bytes);
    return { bytes: new TextEncoder().encode(text), fileName: file.name, contentType };
  }
  return { bytes: file.bytes, fileName: file.name, contentType };
}

/** Whether an encoding can be forced for these files (Shapefiles and CSV; the other formats are UTF-8 by definition). */
export function encodingApplies(names: readonly string[]): boolean {
  return names.some((name) => ['shp', 'dbf', 'zip', 'csv'].includes(extension(name)));
}
