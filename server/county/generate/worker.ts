// Runs the county generator off the main thread, so the server keeps answering while it works.
import { parentPort, workerData } from 'node:worker_threads';
import { readTaishunSources } from '../sources.js';
import { generateCounty, variantSources } from './index.js';

export interface GenerateJob {
  seed: string;
  /** 0 for Taishun itself, k ≥ 1 for the k-th shifted copy (`--scale`). */
  variant: number;
}

export type WorkerMessage =
  | { type: 'progress'; step: string }
  | { type: 'done'; result: ReturnType<typeof generateCounty> }
  | { type: 'failed'; message: string };

const job = workerData as GenerateJob;
try {
  const sources = variantSources(readTaishunSources(), job.variant);
  const result = generateCounty(sources, {
    seed: job.variant === 0 ? job.seed : `${job.seed}/${job.variant}`,
    onProgress: (step) => parentPort!.postMessage({ type: 'progress', step } satisfies WorkerMessage),
  });
  parentPort!.postMessage({ type: 'done', result } satisfies WorkerMessage);
} catch (err) {
  parentPort!.postMessage({ type: 'failed', message: (err as Error).stack ?? String(err) } satisfies WorkerMessage);
}
