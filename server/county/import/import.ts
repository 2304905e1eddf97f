/**
 * Import one layer of a county's own data (GeoJSON, or CSV for points) in one transaction: every
 * feature is checked and the file is written whole, or — on any error — nothing is written and
 * the report says what to fix.
 */
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { AppError } from '../../http/errors.js';
import { checkAndAssignCodes } from '../codes.js';
import { checkStationTownships, linkImportedStations } from '../jurisdictions.js';
import {
  checkExistingCodes,
  checkInsideCounty,
  checkReplacementLosses,
  checkValidity,
  type County,
  locateVillages,
  resolveReferences,
} from './checks.js';
import { CRS_CHOICES, type Crs, epsgCode, sameTreatment } from './crs.js';
import { applyFieldMapping } from './field-mapping.js';
import { LAYER_GEOMETRY, type NormalisedFeature, normaliseFeatures, POSITION_OPTIONAL } from './layers.js';
import { assignBusStopIds, locateBusStops } from './bus-stops.js';
import { checkOfficers } from './officers.js';
import { checkWarZones } from './war-zones.js';
import { FileReadError, type ParsedFile, type SourceFeature } from './parse.js';
import type { ShapefileParts } from './shapefile.js';
import { readSourceFile } from './source.js';
import { countyExtent, describeEpsg, transformFeatures, wrongSystemProblem } from './transform.js';
import {
  buildReport,
  FILE_INDEX,
  type ImportLayer,
  type ImportMode,
  type ImportProblem,
  type ImportReport,
  ProblemList,
} from './report.js';
import { placeHouseholds } from './placing.js';
import { createStaging, fillStaging } from './staging.js';
import { writeLayer } from './write.js';

export type ImportStage = 'read' | 'stage' | 'check' | 'write';

/** How far an import has got; `done` of `total` features (or steps). */
export interface ImportProgress {
  stage: ImportStage;
  done: number;
  total: number;
}

export interface ImportRequest {
  layer: ImportLayer;
  /** The file's bytes: GeoJSON, CSV, XLSX, GeoPackage or a zipped Shapefile (or a .shp with `siblings`). */
  bytes: Uint8Array;
  /** A loose Shapefile's .shx, .dbf, .prj and .cpg (the CLI reads them from beside the .shp). */
  siblings?: Omit<ShapefileParts, 'shp'>;
  /** The GeoPackage table, zipped Shapefile or XLSX sheet to read, when the file holds several. */
  table?: string;
  /** Column → field name (`{ 名称: 'name' }`), for columns the layer does not recognise by itself. */
  fields?: Record<string, string>;
  /** The file's name, recorded and used to tell CSV from GeoJSON. */
  fileName: string;
  /** The media type it came with, if any (HTTP). */
  contentType?: string;
  /** The coordinate system, when the user said; otherwise the file must say. */
  crs?: Crs;
  /** The county to import into; the only county in the database when not given. */
  countyCode?: string;
  mode?: ImportMode;
  /** Who imported it, for the `imports` table: 'cli', 'api' or an account. */
  importedBy: string;
  onProgress?: (progress: ImportProgress) => void;
}

export interface ImportOutcome {
  report: ImportReport;
  county: County;
  /** The row of the `imports` table recording an accepted import. */
  importId: number | null;
}

/** The county to import into: the named one, or the only one there is. */
export async function resolveCounty(db: Kysely<DB>, code?: string): Promise<County> {
  if (code) {
    const county = await db
      .selectFrom('counties')
      .select(['code', 'name', 'outline_from_townships as outlineFromTownships'])
      .where('code', '=', code)
      .executeTakeFirst();
    if (!county) throw AppError.badRequest(`There is no county ${code} in the database.`, { county: code });
    return county;
  }
  const counties = await db
    .selectFrom('counties')
    .select(['code', 'name', 'outline_from_townships as outlineFromTownships'])
    .orderBy('code')
    .execute();
  if (counties.length === 0) {
    throw AppError.badRequest(
      'There is no county in the database yet: create it first (county create --code CODE --name NAME, or POST /api/counties).',
    );
  }
  if (counties.length > 1) {
    throw AppError.badRequest(
      `The database holds ${counties.length} counties (${counties.map((c) => c.code).join(', ')}): say which one with county (--county on the command line).`,
      { counties: counties.map((c) => c.code) },
    );
  }
  return counties[0]!;
}

/** Raised inside the transaction so that Kysely rolls it back; carries the report out. */
class ImportRejected extends Error {
  constructor(readonly report: ImportReport) {
    super('import rejected');
  }
}

/** The coordinate system to read the file in, or the problem that stops the import. */
export function decideCrs(parsed: ParsedFile, given: Crs | undefined, problems: ProblemList): Crs | null {
  const declared = parsed.declaredCrs;
  if (declared === null && given) return given;
  if (declared === null) {
    problems.error(
      FILE_INDEX,
      `无法识别文件的坐标系，请用 crs 指定（the file's coordinate system "${parsed.declaredCrsName ?? 'unnamed'}" cannot be matched to an EPSG code: give crs as ${CRS_CHOICES}）`,
      { field: 'crs' },
    );
    return null;
  }
  if (given && declared && !sameTreatment(given, declared)) {
    problems.error(
      FILE_INDEX,
      `the file says its coordinates are ${declared} ("${parsed.declaredCrsName}") but ${given} was given: give crs=${declared}, or remove the file's "crs" member if the coordinates really are ${given}`,
      { field: 'crs' },
    );
    return null;
  }
  const crs = given ?? declared;
  if (!crs) {
    problems.error(
      FILE_INDEX,
      `the file does not say which coordinate system it is in: give crs (--crs on the command line) as ${CRS_CHOICES} (Chinese web maps: AMap and Tencent use gcj02, Baidu bd09)`,
      { field: 'crs' },
    );
    return null;
  }
  return crs;
}

/** A file read and brought to WGS84, ready for a layer's rules; or why not (in `problems`). */
export interface PreparedFile {
  parsed: ParsedFile | null;
  crs: Crs | null;
  /** The features with WGS84 coordinates (EPSG systems transformed), and the converter still to apply (GCJ-02, BD-09). */
  features: SourceFeature[];
  convertAs: Crs;
}

/**
 * Read a file and bring it to WGS84 without writing anything: its format and encoding, its system
 * (given, or from the file), EPSG systems transformed by PostGIS, the explicit field mapping
 * applied, and a file read in a system that puts it far from the county refused with the likely
 * one named. Problems go to `problems`; `crs` is null when the file cannot go further.
 */
export async function prepareFile(
  db: Kysely<DB>,
  county: County,
  request: Pick<
    ImportRequest,
    'layer' | 'bytes' | 'fileName' | 'contentType' | 'crs' | 'siblings' | 'table' | 'fields'
  >,
  problems: ProblemList,
): Promise<PreparedFile> {
  const failed = (parsed: ParsedFile | null): PreparedFile => ({ parsed, crs: null, features: [], convertAs: 'wgs84' });
  let parsed: ParsedFile;
  try {
    parsed = await readSourceFile({
      bytes: request.bytes,
      fileName: request.fileName,
      ...(request.contentType !== undefined ? { contentType: request.contentType } : {}),
      ...(request.siblings ? { siblings: request.siblings } : {}),
      ...(request.table !== undefined ? { table: request.table } : {}),
      ...(POSITION_OPTIONAL.has(request.layer) ? { coordinatesOptional: true } : {}),
    });
  } catch (err) {
    if (!(err instanceof FileReadError)) throw err;
    problems.error(FILE_INDEX, err.message, err.field ? { field: err.field } : {});
    return failed(null);
  }
  problems.addAll(parsed.problems);
  const family = LAYER_GEOMETRY[request.layer];
  if ((parsed.format === 'csv' || parsed.format === 'xlsx') && family !== 'point' && request.layer !== 'war_zones') {
    problems.error(
      FILE_INDEX,
      `a ${parsed.format.toUpperCase()} file holds points only; give the ${request.layer} as a Shapefile, GeoPackage or GeoJSON`,
    );
    return failed(parsed);
  }
  if (parsed.features.length === 0) {
    problems.error(FILE_INDEX, 'the file has no features');
    return failed(parsed);
  }
  // A file without any coordinates (households placed by village, a roster, a list of war zones) needs no system.
  const positionless =
    POSITION_OPTIONAL.has(request.layer) && parsed.features.every((f) => f.unplaced || (f.geometry === null && !f.csv));
  const crs = decideCrs(parsed, request.crs ?? (positionless ? 'wgs84' : undefined), problems);
  if (!crs) return failed(parsed);
  const mapped = request.fields ? applyFieldMapping(parsed.features, request.fields) : parsed.features;
  const code = epsgCode(crs);
  let features = mapped;
  let converted: SourceFeature[] | null = null;
  if (code !== null) {
    const name = await describeEpsg(db, code);
    if (name === null) {
      problems.error(
        FILE_INDEX,
        `数据库不认识 ${crs}（${crs} is not a coordinate system PostGIS knows: check the code）`,
        {
          field: 'crs',
        },
      );
      return failed(parsed);
    }
    try {
      converted = await transformFeatures(db, mapped, code);
      features = converted;
    } catch (err) {
      converted = null;
      problems.error(
        FILE_INDEX,
        `坐标无法从 ${crs} 转换（the coordinates cannot be transformed from ${crs} ${name}: ${(err as Error).message}）`,
        {
          field: 'crs',
        },
      );
    }
  }
  const extent = await countyExtent(db, county.code);
  if (extent) {
    const wrong = wrongSystemProblem(mapped, code === null ? null : converted, crs, extent);
    if (wrong) {
      problems.error(FILE_INDEX, wrong, { field: 'crs' });
      return { parsed, crs: null, features: [], convertAs: 'wgs84' };
    }
  }
  if (code !== null && converted === null) return failed(parsed);
  return { parsed, crs, features, convertAs: code === null ? crs : 'wgs84' };
}

/** Give each feature's problems the feature's code, when it has one. */
function withCodes(problems: readonly ImportProblem[], features: readonly NormalisedFeature[]): ImportProblem[] {
  return problems.map((problem) => {
    const code = problem.index >= 0 ? features[problem.index]?.code : null;
    if (problem.code !== undefined || !code) return problem;
    const { index, field, reason, severity } = problem;
    return { index, code, ...(field !== undefined ? { field } : {}), reason, severity };
  });
}

/**
 * Import a layer into a county: read and check the file, stage it, check it against the
 * database, and write it — all in one transaction, so a rejected file leaves every table as it
 * was. Accepted imports are recorded in `imports`. Throws (AppError) only when there is no county
 * to import into; everything wrong with the file is in the report.
 */
export async function importLayer(db: Kysely<DB>, request: ImportRequest): Promise<ImportOutcome> {
  const { layer, onProgress } = request;
  const mode = request.mode ?? 'append';
  const county = await resolveCounty(db, request.countyCode);
  const problems = new ProblemList();
  const family = LAYER_GEOMETRY[layer];

  onProgress?.({ stage: 'read', done: 0, total: 1 });
  const prepared = await prepareFile(db, county, request, problems);
  const { parsed, crs } = prepared;
  const encoding = parsed?.encoding ?? null;
  const features = parsed?.features.length ?? 0;
  if (!crs) {
    const reportCrs = parsed && parsed.features.length > 0 ? null : (request.crs ?? parsed?.declaredCrs ?? null);
    return {
      report: buildReport({ layer, crs: reportCrs, encoding, features, problems: problems.items, repaired: 0 }),
      county,
      importId: null,
    };
  }
  const normalised = normaliseFeatures(layer, prepared.features, prepared.convertAs, problems);
  onProgress?.({ stage: 'read', done: 1, total: 1 });

  let repaired = 0;
  let estimated = 0;
  const report = () =>
    buildReport({
      layer,
      crs,
      encoding,
      features,
      problems: withCodes(problems.items, normalised),
      repaired,
      ...(estimated > 0 ? { estimated } : {}),
    });
  try {
    return await db.transaction().execute(async (trx) => {
      await createStaging(trx);
      onProgress?.({ stage: 'stage', done: 0, total: features });
      await fillStaging(
        trx,
        normalised.map((f) => f.row),
        (done) => onProgress?.({ stage: 'stage', done, total: features }),
      );
      const steps: (() => Promise<unknown>)[] = [
        async () => (repaired = await checkValidity(trx, family, problems)),
        () => checkInsideCounty(trx, county, problems, layer),
      ];
      if (layer === 'villages') steps.push(() => resolveReferences(trx, 'township', county, problems));
      if (layer === 'stations') steps.push(() => checkStationTownships(trx, county, problems));
      if (layer === 'bus_stops') {
        steps.push(() => resolveReferences(trx, 'village', county, problems));
        steps.push(() => locateBusStops(trx, county, problems));
        steps.push(() => assignBusStopIds(trx, county, problems));
      }
      if (layer === 'officers') {
        steps.push(() => resolveReferences(trx, 'station', county, problems));
        steps.push(() => checkOfficers(trx, county, problems));
      }
      if (layer === 'war_zones') steps.push(() => checkWarZones(trx, county, problems));
      // Codes are checked against their parent, or assigned, once the parent is known.
      steps.push(() => checkAndAssignCodes(trx, layer, county, problems));
      steps.push(() => checkExistingCodes(trx, layer, mode, county, problems));
      if (layer === 'households' || layer === 'events') {
        steps.push(() => resolveReferences(trx, 'village', county, problems));
        steps.push(() => locateVillages(trx, county, problems));
      }
      if (layer === 'events') steps.push(() => resolveReferences(trx, 'station', county, problems));
      if (mode === 'replace') steps.push(() => checkReplacementLosses(trx, layer, county, problems));
      for (const [i, step] of steps.entries()) {
        onProgress?.({ stage: 'check', done: i, total: steps.length });
        await step();
      }
      onProgress?.({ stage: 'check', done: steps.length, total: steps.length });
      if (problems.errorCount > 0) throw new ImportRejected(report());

      if (layer === 'households') estimated = await placeHouseholds(trx);
      onProgress?.({ stage: 'write', done: 0, total: features });
      const written = await writeLayer(trx, layer, county, mode, normalised, problems);
      if (!written) throw new ImportRejected(report());
      if (layer === 'stations') await linkImportedStations(trx, county, request.importedBy);
      const accepted = report();
      const recorded = await trx
        .insertInto('imports')
        .values({
          county_code: county.code,
          layer,
          file_name: request.fileName,
          crs,
          counts: sql`${JSON.stringify(accepted.counts)}::jsonb`,
          imported_by: request.importedBy,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      onProgress?.({ stage: 'write', done: features, total: features });
      return { report: accepted, county, importId: recorded.id };
    });
  } catch (err) {
    if (err instanceof ImportRejected) return { report: err.report, county, importId: null };
    throw err;
  }
}
