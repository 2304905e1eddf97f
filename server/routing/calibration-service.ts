import { Worker } from 'node:worker_threads';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import { AppError } from '../http/errors.js';
import { loadPolicingPlaces } from '../policing/places.js';
import {
  DEFAULT_CONSTANTS,
  MIN_CALIBRATION_TRIPS,
  modelTripSeconds,
  type CalibratedConstants,
  type CalibrationMetrics,
  type CalibrationTrip,
} from './calibration.js';
import {
  activateCalibration,
  insertCalibration,
  insertObservedTrips,
  readCalibration,
} from './calibration-repository.js';
import { attachToRoad, buildRoadNetwork } from './network.js';
import { loadRoadEdges } from './repository.js';
import { readTripFile, type TripPlace, type TripProblem } from './trips-import.js';
import type { CalibrationJob, CalibrationWorkerMessage } from './calibration-worker.js';

/** Fit in a worker thread (see calibration-worker.ts), so the server keeps answering. */
function calibrateInWorker(
  job: CalibrationJob,
): Promise<{ constants: CalibratedConstants; metrics: CalibrationMetrics }> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./calibration-worker-entry.mjs', import.meta.url), { workerData: job });
    let settled = false;
    worker.on('message', (message: CalibrationWorkerMessage) => {
      settled = true;
      if (message.type === 'done') resolve(message.result);
      else reject(new Error(`Calibration failed: ${message.message}`));
      void worker.terminate();
    });
    worker.on('error', (err) => {
      if (!settled) reject(err);
      settled = true;
    });
    worker.on('exit', (code) => {
      if (!settled) reject(new Error(`Calibration stopped unexpectedly (exit code ${code}).`));
    });
  });
}

/** What a calibration run did: the file, the trips taken and left out, the constants and the errors. */
export interface CalibrationRunReport {
  calibrationId: number;
  countyCode: string;
  fileName: string;
  format: string;
  trips: number;
  /** Rows left out because they had a problem (only when asked to skip bad rows). */
  skippedRows: number[];
  problems: TripProblem[];
  defaultConstants: CalibratedConstants;
  constants: CalibratedConstants;
  metrics: CalibrationMetrics;
  applied: boolean;
}

/** The stations and village centres of a county, as places a trip may start or end at. */
export async function tripPlaces(db: Kysely<DB>, countyCode: string): Promise<TripPlace[]> {
  const places = await loadPolicingPlaces(db, countyCode);
  return [
    ...places.stations.map((s) => ({ kind: 'station' as const, code: s.code, name: s.name, lon: s.lon, lat: s.lat })),
    ...places.villages.map((v) => ({ kind: 'village' as const, code: v.code, name: v.name, lon: v.lon, lat: v.lat })),
  ];
}

/** The 422 of a trip file with problems: nothing was written. */
function rejected(fileName: string, problems: readonly TripProblem[], hint: string): AppError {
  const first = problems[0]!;
  return new AppError(
    422,
    'validation_failed',
    `行程文件 ${fileName} 有 ${problems.length} 个问题，未写入任何数据${hint}（the trip file has ${problems.length} problem(s); nothing was written）。第一个：第 ${first.row} 行 ${first.field ?? ''} “${first.value ?? ''}”：${first.reason}`,
    { problems },
  );
}

/**
 * Read a trip file, fit the county's constants and store the trips and the calibration (in one
 * transaction), active when `apply`. With problems, nothing is written unless `skipBadRows` (then
 * the bad rows are left out and listed); a problem of the whole file always refuses it.
 */
export async function calibrateFromFile(
  db: Kysely<DB>,
  input: {
    bytes: Uint8Array;
    fileName: string;
    countyCode: string;
    user: string;
    skipBadRows?: boolean;
    apply?: boolean;
    snapMetres?: number;
    /** Nelder–Mead evaluations per reweighting round (default 40): fewer is faster and rougher. */
    evaluationsPerRound?: number;
    progress?: (line: string) => void;
  },
): Promise<CalibrationRunReport> {
  const places = await tripPlaces(db, input.countyCode);
  const file = await readTripFile(input.bytes, input.fileName, places, { snapMetres: input.snapMetres });
  const problems = [...file.problems];
  const records = await loadRoadEdges(db, input.countyCode);
  if (records.length === 0)
    throw new AppError(409, 'conflict', `县 ${input.countyCode} 还没有道路（the county has no roads yet）`);
  const network = buildRoadNetwork(records);
  // Trips whose places no road joins cannot be fitted: a problem of their row.
  const attached = file.trips.map((trip) => ({
    trip,
    from: attachToRoad(network, trip.fromLon, trip.fromLat)!,
    to: attachToRoad(network, trip.toLon, trip.toLat)!,
  }));
  const defaultSeconds = modelTripSeconds(
    network,
    attached.map((a) => ({ from: a.from, to: a.to, observedSeconds: a.trip.observedSeconds })),
  );
  const usable = attached.filter((a, i) => {
    if (Number.isFinite(defaultSeconds[i]!)) return true;
    problems.push({
      file: input.fileName,
      row: a.trip.row,
      field: null,
      value: `${a.trip.fromLabel} → ${a.trip.toLabel}`,
      reason: '没有道路连通这两处（no road joins the two places）',
    });
    return false;
  });
  problems.sort((a, b) => a.row - b.row);
  if (problems.some((p) => p.row === 0)) throw rejected(input.fileName, problems, '');
  if (problems.length > 0 && !input.skipBadRows) {
    throw rejected(input.fileName, problems, '；可选择跳过有问题的行（or ask to skip bad rows）');
  }
  if (usable.length < MIN_CALIBRATION_TRIPS) {
    throw new AppError(
      422,
      'validation_failed',
      `只有 ${usable.length} 条可用行程，校准至少需要 ${MIN_CALIBRATION_TRIPS} 条（only ${usable.length} usable trips; calibration needs at least ${MIN_CALIBRATION_TRIPS}）`,
      { problems },
    );
  }
  const trips: CalibrationTrip[] = usable.map((a) => ({
    from: a.from,
    to: a.to,
    observedSeconds: a.trip.observedSeconds,
  }));
  input.progress?.(`fitting ${trips.length} trips on ${network.edgeCount} road edges`);
  const { constants, metrics } = await calibrateInWorker({
    records,
    trips,
    options: input.evaluationsPerRound === undefined ? {} : { evaluationsPerRound: input.evaluationsPerRound },
  });
  const skippedRows = [...new Set(problems.map((p) => p.row))].sort((a, b) => a - b);
  const calibrationId = await db.transaction().execute(async (trx) => {
    await insertObservedTrips(
      trx,
      input.countyCode,
      usable.map((a) => a.trip),
      { fileName: input.fileName, importedBy: input.user },
    );
    const id = await insertCalibration(trx, {
      countyCode: input.countyCode,
      constants,
      metrics,
      tripCount: trips.length,
      sourceFile: input.fileName,
      createdBy: input.user,
    });
    if (input.apply) await activateCalibration(trx, input.countyCode, id, input.user);
    return id;
  });
  return {
    calibrationId,
    countyCode: input.countyCode,
    fileName: input.fileName,
    format: file.format,
    trips: trips.length,
    skippedRows,
    problems,
    defaultConstants: { ...DEFAULT_CONSTANTS },
    constants,
    metrics,
    applied: input.apply === true,
  };
}

/**
 * Make a stored calibration the county's constants, or (`id` null) go back to the default ones,
 * in one transaction. The routing network (service.ts) re-costs the county on its next request;
 * the caller drops the caches built from it (onDataChanged).
 */
export async function applyCalibration(
  db: Kysely<DB>,
  countyCode: string,
  id: number | null,
  user: string,
): Promise<void> {
  if (id !== null) {
    const found = await readCalibration(db, id);
    if (!found || found.countyCode !== countyCode) {
      throw AppError.notFound(`县 ${countyCode} 没有编号 ${id} 的校准（no calibration ${id} in county ${countyCode}）`);
    }
  }
  await db.transaction().execute((trx) => activateCalibration(trx, countyCode, id, user));
}

export { DEFAULT_IN_USE, type ConstantsInUse } from './county-constants.js';
