import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { CliCommand } from '../../cli/command.js';
import { CRS_CHOICES, type Crs, CRS_NAMES, parseCrs } from './crs.js';
import { parseFieldMapping } from './field-mapping.js';
import { formatDemReport, importDem, isTerrainLayer, TERRAIN_LAYER_NAMES } from './dem.js';
import { importLayer, type ImportProgress } from './import.js';
import type { ShapefileParts } from './shapefile.js';
import { formatReport, IMPORT_LAYERS, IMPORT_MODES, type ImportLayer, type ImportMode } from './report.js';

const USAGE = `import <file> --layer <${[...IMPORT_LAYERS, ...TERRAIN_LAYER_NAMES].join('|')}> [--crs ${CRS_NAMES.join('|')}|EPSG:<code>] [--county CODE] [--mode ${IMPORT_MODES.join('|')}] [--table NAME] [--fields 列名:field,…] [--json]`;

function oneOf<T extends string>(option: string, value: string | undefined, allowed: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) {
    throw new Error(`--${option} must be one of ${allowed.join(', ')} (got "${value}"). Usage: ${USAGE}`);
  }
  return value as T;
}

/** The options of `import`, checked. */
export function parseImportArgs(args: string[]): {
  file: string;
  /** A vector layer, or `terrain` (a DEM: GeoTIFF or SRTM .hgt). */
  layer: ImportLayer | 'terrain';
  crs?: Crs;
  county?: string;
  mode: ImportMode;
  table?: string;
  fields?: Record<string, string>;
} {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        layer: { type: 'string' },
        crs: { type: 'string' },
        county: { type: 'string' },
        mode: { type: 'string' },
        table: { type: 'string' },
        fields: { type: 'string' },
        // The CLI takes --json itself; accepted here too so that the command can be run directly.
        json: { type: 'boolean' },
      },
    });
  } catch (err) {
    throw new Error(`${(err as Error).message}. Usage: ${USAGE}`, { cause: err });
  }
  const { values, positionals } = parsed;
  if (positionals.length !== 1) throw new Error(`Give one file to import. Usage: ${USAGE}`);
  const named = oneOf('layer', values.layer, [...IMPORT_LAYERS, ...TERRAIN_LAYER_NAMES]);
  if (!named) throw new Error(`Say which layer the file holds with --layer. Usage: ${USAGE}`);
  const layer = isTerrainLayer(named) ? 'terrain' : named;
  if (layer === 'terrain' && (values.mode !== undefined || values.table !== undefined || values.fields !== undefined)) {
    throw new Error('--mode, --table and --fields are for vector layers: a DEM replaces the terrain whole.');
  }
  const county = values.county;
  if (county !== undefined && !/^[0-9]{6}$/.test(county)) throw new Error(`--county must be a 6-digit county code.`);
  let crs: Crs | undefined;
  if (values.crs !== undefined) {
    crs = parseCrs(values.crs) ?? undefined;
    if (!crs) throw new Error(`--crs must be ${CRS_CHOICES} (got "${values.crs}"). Usage: ${USAGE}`);
  }
  return {
    file: positionals[0]!,
    layer,
    crs,
    county,
    mode: oneOf('mode', values.mode, IMPORT_MODES) ?? 'append',
    ...(values.table !== undefined ? { table: values.table } : {}),
    ...(values.fields !== undefined && layer !== 'terrain' ? { fields: parseFieldMapping(values.fields, layer) } : {}),
  };
}

/** A loose .shp's other parts, read from the files beside it with the same name (any case of extension). */
export function readShapefileSiblings(shpPath: string): Omit<ShapefileParts, 'shp'> {
  const dir = path.dirname(shpPath);
  const stem = path.basename(shpPath, path.extname(shpPath)).toLowerCase();
  const parts: Omit<ShapefileParts, 'shp'> = {};
  for (const name of fs.readdirSync(dir)) {
    const ext = path.extname(name).slice(1).toLowerCase();
    if (path.basename(name, path.extname(name)).toLowerCase() !== stem) continue;
    if (ext === 'shx' || ext === 'dbf' || ext === 'prj' || ext === 'cpg')
      parts[ext] = fs.readFileSync(path.join(dir, name));
  }
  return parts;
}

function progressLine({ stage, done, total }: ImportProgress): string {
  const words = { read: 'reading', stage: 'staging', check: 'checking', write: 'writing' } as const;
  return `import: ${words[stage]} ${done}/${total}`;
}

/** `npm run cli -- import <file> --layer …`: exit 0 when accepted, 1 when rejected. */
export const importCommand: CliCommand = {
  name: 'import',
  summary:
    'Import a layer of the county from a Shapefile, GeoPackage, GeoJSON, CSV or XLSX, or its DEM from a GeoTIFF or SRTM .hgt (all of it, or nothing)',
  usage: USAGE,
  needsDatabase: true,
  async run({ args, io, database }) {
    const options = parseImportArgs(args);
    let bytes: Buffer;
    try {
      bytes = fs.readFileSync(options.file);
    } catch (err) {
      throw new Error(`Cannot read ${options.file}: ${(err as Error).message}`, { cause: err });
    }
    const fileName = path.basename(options.file);
    const layer = options.layer;
    if (layer === 'terrain') {
      const { report, county } = await importDem(database!.db, {
        bytes,
        fileName,
        ...(options.crs ? { crs: options.crs } : {}),
        ...(options.county !== undefined ? { countyCode: options.county } : {}),
        importedBy: 'cli',
        onProgress: (progress) => io.progress(progressLine(progress)),
      });
      io.say(formatDemReport(report, county.code));
      io.result(report);
      return report.accepted ? 0 : 1;
    }
    const isShp = path.extname(options.file).toLowerCase() === '.shp';
    const { report, county } = await importLayer(database!.db, {
      layer,
      bytes,
      fileName,
      crs: options.crs,
      ...(isShp ? { siblings: readShapefileSiblings(options.file) } : {}),
      ...(options.table !== undefined ? { table: options.table } : {}),
      ...(options.fields ? { fields: options.fields } : {}),
      countyCode: options.county,
      mode: options.mode,
      importedBy: 'cli',
      onProgress: (progress) => io.progress(progressLine(progress)),
    });
    io.say(formatReport(report, fileName, county.code));
    io.result(report);
    return report.accepted ? 0 : 1;
  },
};
