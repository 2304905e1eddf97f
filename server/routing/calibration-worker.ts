// Runs a calibration's fit off the main thread: a fit takes minutes on a county, and the server
// must keep answering meanwhile.
import { parentPort, workerData } from 'node:worker_threads';
import { calibrate, type CalibrationTrip, type FitOptions } from './calibration.js';
import { prepareRoadNetwork, type RoadEdgeRecord } from './network.js';

/** What the worker is given: the county's edges (the network is rebuilt from them, same order) and the trips on it. */
export interface CalibrationJob {
  records: RoadEdgeRecord[];
  trips: CalibrationTrip[];
  options: FitOptions;
}

export type CalibrationWorkerMessage =
  | { type: 'done'; result: Pick<ReturnType<typeof calibrate>, 'constants' | 'metrics'> }
  | { type: 'failed'; message: string };

const job = workerData as CalibrationJob;
try {
  const { constants, metrics } = calibrate(prepareRoadNetwork(job.records), job.trips, job.options);
  parentPort!.postMessage({ type: 'done', result: { constants, metrics } } satisfies CalibrationWorkerMessage);
} catch (err) {
  parentPort!.postMessage({
    type: 'failed',
    message: (err as Error).stack ?? String(err),
  } satisfies CalibrationWorkerMessage);
}
