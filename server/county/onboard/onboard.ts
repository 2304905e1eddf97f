/**
 * Onboard a county from a folder of its offices' files (issue 15.11): create the county, then
 * import each file the manifest names, in dependency order, through the same import functions as
 * `npm run cli -- import` and POST /api/imports. The first refused file stops it, with its report.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { createCounty } from '../create.js';
import { readShapefileSiblings } from '../import/cli.js';
import { parseCrs } from '../import/crs.js';
import { formatDemReport, importDem } from '../import/dem.js';
import { importLayer, type ImportProgress } from '../import/import.js';
import { formatReport, IMPORT_LAYERS, type ImportLayer } from '../import/report.js';
import { MANIFEST_FILE, type OnboardFile, type OnboardManifest } from './files.js';

/** Layers in the order they can be imported: each after the layers it refers to. */
export const ONBOARD_ORDER = [
  'townships',
  'villages',
  'roads',
  'terrain',
  'stations',
  'war_zones',
  'households',
  'bus_stops',
  'officers',
  'events',
] as const;

/** Where onboarding stands: file `step` of `steps`, and the import's own stage. */
export interface OnboardProgress {
  step: number;
  steps: number;
  file: string;
  layer: string;
  stage: ImportProgress['stage'];
  done: number;
  total: number;
}

/** One file's outcome. */
export interface OnboardedFile {
  file: string;
  layer: string;
  imported: number;
  seconds: number;
}

/** Read and check a folder's onboard.json. */
export function readManifest(dir: string): OnboardManifest {
  const file = path.join(dir, MANIFEST_FILE);
  let manifest: OnboardManifest;
  try {
    manifest = JSON.parse(fs.readFileSync(file, 'utf8')) as OnboardManifest;
  } catch (err) {
    throw new Error(`Cannot read ${file}: ${(err as Error).message}`, { cause: err });
  }
  for (const entry of manifest.files ?? []) {
    if (!(ONBOARD_ORDER as readonly string[]).includes(entry.layer)) {
      throw new Error(`${file}: ${entry.file} has layer "${entry.layer}"; expected one of ${ONBOARD_ORDER.join(', ')}`);
    }
  }
  return manifest;
}

/** The files in import order (a layer's files in the manifest's order). */
export function inImportOrder(files: readonly OnboardFile[]): OnboardFile[] {
  const rank = (f: OnboardFile) => (ONBOARD_ORDER as readonly string[]).indexOf(f.layer);
  return files
    .map((f, i) => ({ f, i }))
    .sort((a, b) => rank(a.f) - rank(b.f) || a.i - b.i)
    .map(({ f }) => f);
}

/**
 * Create the manifest's county and import its files. Throws, naming the file and its first
 * problems, when the county cannot be created or a file is refused (earlier files stay imported).
 */
export async function onboardFolder(
  db: Kysely<DB>,
  dir: string,
  options: { importedBy?: string; onProgress?: (progress: OnboardProgress) => void } = {},
): Promise<{ countyCode: string; files: OnboardedFile[] }> {
  const manifest = readManifest(dir);
  const importedBy = options.importedBy ?? 'onboard';
  await createCounty(db, {
    code: manifest.county.code,
    name: manifest.county.name,
    crsEpsg: manifest.county.crsEpsg,
  });
  const countyCode = manifest.county.code;
  const ordered = inImportOrder(manifest.files);
  const outcomes: OnboardedFile[] = [];
  for (const [step, entry] of ordered.entries()) {
    const started = performance.now();
    const filePath = path.join(dir, entry.file);
    const bytes = fs.readFileSync(filePath);
    const crs = entry.crs === undefined ? undefined : (parseCrs(entry.crs) ?? undefined);
    if (entry.crs !== undefined && !crs) throw new Error(`${entry.file}: unknown crs "${entry.crs}"`);
    const onProgress = (p: ImportProgress) =>
      options.onProgress?.({ step, steps: ordered.length, file: entry.file, layer: entry.layer, ...p });
    let imported: number;
    if (entry.layer === 'terrain') {
      const { report } = await importDem(db, {
        bytes,
        fileName: entry.file,
        ...(crs ? { crs } : {}),
        countyCode,
        importedBy,
        onProgress,
      });
      if (!report.accepted) throw new Error(`${entry.file}: ${formatDemReport(report, countyCode)}`);
      imported = report.grid ? report.grid.width * report.grid.height : 0;
    } else {
      const layer = entry.layer as ImportLayer;
      if (!IMPORT_LAYERS.includes(layer)) throw new Error(`${entry.file}: unknown layer ${entry.layer}`);
      const isShp = path.extname(entry.file).toLowerCase() === '.shp';
      const { report } = await importLayer(db, {
        layer,
        bytes,
        fileName: entry.file,
        crs,
        ...(isShp ? { siblings: readShapefileSiblings(filePath) } : {}),
        countyCode,
        mode: 'append',
        importedBy,
        onProgress,
      });
      if (!report.accepted) {
        const shown = { ...report, problems: report.problems.slice(0, 10) };
        throw new Error(`${entry.file}: ${formatReport(shown, entry.file, countyCode)}`);
      }
      imported = report.counts.imported;
    }
    outcomes.push({
      file: entry.file,
      layer: entry.layer,
      imported,
      seconds: Math.round((performance.now() - started) / 100) / 10,
    });
  }
  return { countyCode, files: outcomes };
}
