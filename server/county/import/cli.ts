import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { CliCommand } from '../../cli/command.js';
import { type Crs, CRS_NAMES } from './crs.js';
import { importLayer, type ImportProgress } from './import.js';
import { formatReport, IMPORT_LAYERS, IMPORT_MODES, type ImportLayer, type ImportMode } from './report.js';

const USAGE = `import <file> --layer <${IMPORT_LAYERS.join('|')}> [--crs ${CRS_NAMES.join('|')}] [--county CODE] [--mode ${IMPORT_MODES.join('|')}] [--json]`;

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
  layer: ImportLayer;
  crs?: Crs;
  county?: string;
  mode: ImportMode;
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
        // The CLI takes --json itself; accepted here too so that the command can be run directly.
        json: { type: 'boolean' },
      },
    });
  } catch (err) {
    throw new Error(`${(err as Error).message}. Usage: ${USAGE}`, { cause: err });
  }
  const { values, positionals } = parsed;
  if (positionals.length !== 1) throw new Error(`Give one file to import. Usage: ${USAGE}`);
  const layer = oneOf('layer', values.layer, IMPORT_LAYERS);
  if (!layer) throw new Error(`Say which layer the file holds with --layer. Usage: ${USAGE}`);
  const county = values.county;
  if (county !== undefined && !/^[0-9]{6}$/.test(county)) throw new Error(`--county must be a 6-digit county code.`);
  return {
    file: positionals[0]!,
    layer,
    crs: oneOf('crs', values.crs, CRS_NAMES),
    county,
    mode: oneOf('mode', values.mode, IMPORT_MODES) ?? 'append',
  };
}

function progressLine({ stage, done, total }: ImportProgress): string {
  const words = { read: 'reading', stage: 'staging', check: 'checking', write: 'writing' } as const;
  return `import: ${words[stage]} ${done}/${total}`;
}

/** `npm run cli -- import <file> --layer …`: exit 0 when accepted, 1 when rejected. */
export const importCommand: CliCommand = {
  name: 'import',
  summary: 'Import a layer of the county from GeoJSON or CSV (all of it, or nothing)',
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
    const { report, county } = await importLayer(database!.db, {
      layer: options.layer,
      bytes,
      fileName,
      crs: options.crs,
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
