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

/** Seconds from milliseconds, to 0.1 s, as progress lines and benches print them. */
export function roundSeconds(milliseconds: number): number {
  return Math.round(milliseconds / 100) / 10;
}

/**
 * Generate counties 0 … scale − 1 in turn (the demo county, then its `--scale` copies), each in
 * a worker, and hand each model on with the seconds its generation took.
 */
export async function forEachGeneratedCounty(
  options: { seed: string; scale: number },
  onProgress: (line: string) => void,
  onCounty: (model: GeneratedCounty['model'], variant: number, generateSeconds: number) => Promise<void>,
): Promise<void> {
  for (let variant = 0; variant < options.scale; variant++) {
    const start = performance.now();
    const { model } = await generateInWorker({ seed: options.seed, variant }, (step) =>
      onProgress(`county ${variant + 1}/${options.scale}: ${step}`),
    );
    await onCounty(model, variant, roundSeconds(performance.now() - start));
  }
}
