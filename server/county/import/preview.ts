/**
 * What an import would read, before anything is written: the format, encoding and coordinate system
 * (and how each was found), which column feeds which field, and the first features in WGS84 for
 * the map. Reads the database (the county, PostGIS's transforms) but writes nothing.
 */
import type { Kysely } from 'kysely';
import type { Feature } from 'geojson';
import type { DB } from '../../db/schema.js';
import type { Crs } from './crs.js';
import type { TextEncoding } from './encoding.js';
import { describeFieldMapping, type FieldMapping } from './field-mapping.js';
import { type ImportRequest, prepareFile, resolveCounty } from './import.js';
import { checkGeometry } from './geometry.js';
import { LAYER_GEOMETRY } from './layers.js';
import type { FileFormat } from './parse.js';
import { type ImportLayer, type ImportProblem, ProblemList } from './report.js';
import { toWgs84 } from './crs.js';

/** How many features the preview shows. */
export const PREVIEW_FEATURES = 20;

export interface ImportPreview {
  layer: ImportLayer;
  format: FileFormat | null;
  encoding: TextEncoding | null;
  encodingSource: 'cpg' | 'detected' | null;
  crs: Crs | null;
  /** "given" (crs parameter) or how the file named it. */
  crsSource: string | null;
  table: string | null;
  coordinateColumns: [string, string] | null;
  fieldMapping: FieldMapping;
  featureCount: number;
  /** The first features, in WGS84, with the file's own properties. */
  sample: { type: 'FeatureCollection'; features: Feature[] };
  /** Problems found while reading (the layer's field checks and the database's are the import's). */
  problems: ImportProblem[];
}

export type PreviewRequest = Pick<
  ImportRequest,
  'layer' | 'bytes' | 'fileName' | 'contentType' | 'crs' | 'siblings' | 'table' | 'fields' | 'countyCode'
>;

/** Read a file as an import would, and describe it; nothing is written. */
export async function previewFile(db: Kysely<DB>, request: PreviewRequest): Promise<ImportPreview> {
  const county = await resolveCounty(db, request.countyCode);
  const problems = new ProblemList();
  const prepared = await prepareFile(db, county, request, problems);
  const { parsed, crs } = prepared;
  const convert = toWgs84(prepared.convertAs);
  const family = LAYER_GEOMETRY[request.layer];
  const sample: Feature[] = [];
  for (const feature of prepared.features.slice(0, PREVIEW_FEATURES)) {
    const checked = feature.geometry === undefined ? null : checkGeometry(feature.geometry, family, convert).geometry;
    sample.push({ type: 'Feature', id: feature.index, properties: feature.properties, geometry: checked as never });
  }
  const declared = parsed?.declaredCrs;
  const crsSource = request.crs ? 'given' : declared ? (parsed?.declaredCrsHow ?? 'the file') : null;
  return {
    layer: request.layer,
    format: parsed?.format ?? null,
    encoding: parsed?.encoding ?? null,
    encodingSource: parsed?.encodingSource ?? null,
    crs,
    crsSource: crs ? crsSource : null,
    table: parsed?.table ?? null,
    coordinateColumns: parsed?.coordinateColumns ?? null,
    fieldMapping: describeFieldMapping(request.layer, parsed?.features ?? [], request.fields),
    featureCount: parsed?.features.length ?? 0,
    sample: { type: 'FeatureCollection', features: sample },
    problems: problems.items,
  };
}
