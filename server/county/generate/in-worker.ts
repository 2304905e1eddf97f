import { Worker } from 'node:worker_threads';
import type { GeneratedCounty } from './index.js';
import type { GenerateJob, WorkerMessage } from './worker.js';

/** Generate a county in a worker thread; progress steps are reported as they happen. */
export function generateInWorker(
  job: GenerateJob,
  onProgress: (step: string) => void = () => {},
): Promise<GeneratedCounty> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./worker-entry.mjs', import.meta.url), { workerData: job });
    let settled = false;
    worker.on('message', (message: WorkerMessage) => {
      if (message.type === 'progress') onProgress(message.step);
      else if (message.type === 'done') {
        settled = true;
        resolve(message.result);
        void worker.terminate();
      } else {
        settled = true;
        reject(new Error(`County generation failed: ${message.message}`));
        void worker.terminate();
      }
    });
    worker.on('error', (err) => {
      if (!settled) reject(err);
      settled = true;
    });
    worker.on('exit', (code) => {
      if (!settled) reject(new Error(`County generation stopped unexpectedly (exit code ${code}).`));
    });
  });
}
