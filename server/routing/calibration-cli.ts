import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { CliCommand } from '../cli/command.js';
import { resolveCounty } from '../county/resolve.js';
import { AppError } from '../http/errors.js';
import type { CalibrationRunReport } from './calibration-service.js';
import { calibrateFromFile } from './calibration-service.js';
import type { TripProblem } from './trips-import.js';

const USAGE = 'calibrate <trips.csv|xlsx|gpx> [--county CODE] [--apply] [--skip-bad-rows] [--snap-metres M] [--json]';

const percent = (share: number) => `${(share * 100).toFixed(1)} %`;

/** The calibration report for people: constants before and after, errors before and after. */
export function formatCalibration(report: CalibrationRunReport): string {
  const m = report.metrics;
  const names = Object.keys(report.constants) as (keyof CalibrationRunReport['constants'])[];
  return [
    `calibration ${report.calibrationId} of county ${report.countyCode} from ${report.fileName} (${report.format}): ${report.trips} trips` +
      (report.skippedRows.length ? `, rows left out: ${report.skippedRows.join(', ')}` : ''),
    ...names.map(
      (name) =>
        `  ${name.padEnd(20)} ${String(report.defaultConstants[name]).padStart(8)} → ${report.constants[name].toFixed(3)}`,
    ),
    `  error (|model / observed − 1|)   median      p90`,
    `  default constants            ${percent(m.before.medianApe).padStart(8)} ${percent(m.before.p90Ape).padStart(8)}`,
    `  fitted, in sample            ${percent(m.inSample.medianApe).padStart(8)} ${percent(m.inSample.p90Ape).padStart(8)}`,
    `  fitted, held out (${m.folds}-fold)    ${percent(m.heldOut.medianApe).padStart(8)} ${percent(m.heldOut.p90Ape).padStart(8)}`,
    `  drive range: ${m.ratioP10.toFixed(2)}–${m.ratioP90.toFixed(2)} × the model's time; outliers given no weight: ${m.outliers}`,
    `  ${m.evaluations} evaluations in ${m.fitSeconds.toFixed(1)} s (${m.evaluationsPerSecond.toFixed(1)}/s)`,
    report.applied
      ? '  applied: no-trip lists now use these constants'
      : `  not applied: npm run cli -- calibrate … --apply, or POST /api/routing/calibrations/${report.calibrationId}/apply`,
  ].join(os.EOL);
}

function formatProblems(problems: readonly TripProblem[]): string {
  return problems
    .slice(0, 50)
    .map(
      (p) =>
        `  ${p.file} row ${p.row}${p.field ? ` ${p.field}` : ''}${p.value !== null ? ` "${p.value}"` : ''}: ${p.reason}`,
    )
    .concat(problems.length > 50 ? [`  … and ${problems.length - 50} more`] : [])
    .join(os.EOL);
}

/** `npm run cli -- calibrate <file>`: fit the speed model to observed trips; exit 1 when the file is refused. */
export const calibrateCommand: CliCommand = {
  name: 'calibrate',
  summary:
    'Fit the speed model to observed trips (CSV/XLSX of trips, GPX or CSV tracks) and store it, --apply to use it',
  usage: USAGE,
  needsDatabase: true,
  async run({ args, io, database }) {
    let parsed;
    try {
      parsed = parseArgs({
        args,
        allowPositionals: true,
        options: {
          county: { type: 'string' },
          apply: { type: 'boolean' },
          'skip-bad-rows': { type: 'boolean' },
          'snap-metres': { type: 'string' },
          json: { type: 'boolean' },
        },
      });
    } catch (err) {
      throw new Error(`${(err as Error).message}. Usage: ${USAGE}`, { cause: err });
    }
    const { values, positionals } = parsed;
    if (positionals.length !== 1) throw new Error(`Give one trip file. Usage: ${USAGE}`);
    if (values.county !== undefined && !/^\d{6}$/.test(values.county))
      throw new Error('--county must be a 6-digit county code.');
    const snapMetres = values['snap-metres'] === undefined ? undefined : Number(values['snap-metres']);
    if (snapMetres !== undefined && !(snapMetres >= 10 && snapMetres <= 2000)) {
      throw new Error('--snap-metres must be a number from 10 to 2000.');
    }
    const file = positionals[0]!;
    let bytes: Buffer;
    try {
      bytes = fs.readFileSync(file);
    } catch (err) {
      throw new Error(`Cannot read ${file}: ${(err as Error).message}`, { cause: err });
    }
    const db = database!.db;
    try {
      const report = await calibrateFromFile(db, {
        bytes,
        fileName: path.basename(file),
        countyCode: await resolveCounty(db, values.county),
        user: 'cli',
        apply: values.apply === true,
        skipBadRows: values['skip-bad-rows'] === true,
        ...(snapMetres === undefined ? {} : { snapMetres }),
        progress: (line) => io.progress(line),
      });
      io.say(formatCalibration(report));
      io.result(report);
      return 0;
    } catch (err) {
      if (!(err instanceof AppError) || err.status !== 422) throw err;
      const problems = (err.details as { problems?: TripProblem[] } | undefined)?.problems ?? [];
      io.say(err.message);
      if (problems.length) io.say(formatProblems(problems));
      io.result({ accepted: false, message: err.message, problems });
      return 1;
    }
  },
};
