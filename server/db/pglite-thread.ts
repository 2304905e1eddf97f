import { Worker } from 'node:worker_threads';
import type { PGliteReply, PGliteRequest, PGliteThreadOptions, ThreadError, ThreadResult } from './pglite-worker.js';

/** A request without its id (the thread's client numbers them). */
type PGliteRequestBody<R = PGliteRequest> = R extends unknown ? Omit<R, 'id'> : never;

/** What the Kysely driver needs of an embedded database: PGlite's `query` and `exec`. */
export interface PGliteSession {
  query<R>(sql: string, params: unknown[]): Promise<{ rows: R[]; affectedRows?: number }>;
  exec(sql: string): Promise<{ rows: unknown[]; affectedRows?: number }[]>;
}

/** An error as the database thread reported it: its message and fields (`code` is the SQLSTATE). */
function rebuiltError(error: ThreadError): Error {
  const rebuilt = new Error(error.message);
  for (const [key, value] of Object.entries(error.fields)) {
    if (key !== 'message' && key !== 'stack') Object.assign(rebuilt, { [key]: value });
  }
  return rebuilt;
}

/**
 * PGlite in a worker thread (pglite-worker.ts): the server's event loop keeps answering while the
 * embedded PostgreSQL works. Requests go one by one as messages. The thread keeps the process
 * alive only while a request is waiting for its answer, so a script that forgets to close still ends.
 * If the thread dies, every waiting request fails and so does every later one.
 */
export class PGliteThread implements PGliteSession {
  private readonly pending = new Map<number, { resolve: (value: unknown) => void; reject: (err: Error) => void }>();
  private nextId = 1;
  private failure: Error | null = null;

  private constructor(private readonly worker: Worker) {
    worker.on('message', (reply: PGliteReply) => {
      if (reply.type !== 'reply' && reply.type !== 'error') return;
      const waiting = this.pending.get(reply.id);
      if (!waiting) return;
      this.pending.delete(reply.id);
      this.refWhileBusy();
      if (reply.type === 'reply') waiting.resolve(reply.result);
      else waiting.reject(rebuiltError(reply.error));
    });
    const fail = (err: Error) => {
      this.failure ??= err;
      for (const waiting of this.pending.values()) waiting.reject(this.failure);
      this.pending.clear();
      this.refWhileBusy();
    };
    worker.on('error', (err) => fail(new Error(`The embedded database stopped: ${err.message}`, { cause: err })));
    worker.on('exit', (code) => fail(new Error(`The embedded database is closed (its thread ended, code ${code}).`)));
  }

  /** Starts the thread and opens the database in it (PostGIS loaded). */
  static async open(options: PGliteThreadOptions): Promise<PGliteThread> {
    const worker = new Worker(new URL('./pglite-worker-entry.mjs', import.meta.url), {
      workerData: options,
      ...(options.loadDataDir ? { transferList: [options.loadDataDir.buffer as ArrayBuffer] } : {}),
    });
    await new Promise<void>((resolve, reject) => {
      const onMessage = (reply: PGliteReply) => {
        if (reply.type === 'ready') done(null);
        else if (reply.type === 'failed') done(rebuiltError(reply.error));
      };
      const onError = (err: Error) => done(err);
      const onExit = (code: number) =>
        done(new Error(`The embedded database's thread ended while opening (code ${code}).`));
      const done = (err: Error | null) => {
        worker.off('message', onMessage).off('error', onError).off('exit', onExit);
        if (err) {
          void worker.terminate();
          reject(err);
        } else resolve();
      };
      worker.on('message', onMessage).on('error', onError).on('exit', onExit);
    });
    const thread = new PGliteThread(worker);
    thread.refWhileBusy();
    return thread;
  }

  query<R>(sql: string, params: unknown[]): Promise<{ rows: R[]; affectedRows?: number }> {
    return this.request({ op: 'query', sql, params }) as Promise<ThreadResult & { rows: R[] }>;
  }

  exec(sql: string): Promise<{ rows: unknown[]; affectedRows?: number }[]> {
    return this.request({ op: 'exec', sql }) as Promise<ThreadResult[]>;
  }

  /** The whole data folder as a gzipped tarball (PGlite's `dumpDataDir`), for `loadDataDir`. */
  async dump(): Promise<Blob> {
    return new Blob([(await this.request({ op: 'dump' })) as Uint8Array<ArrayBuffer>]);
  }

  /** Closes the database (a clean shutdown of the data folder) and ends the thread. */
  async close(): Promise<void> {
    if (this.failure) return;
    try {
      await this.request({ op: 'close' });
    } finally {
      await this.worker.terminate();
    }
  }

  private request(body: PGliteRequestBody): Promise<unknown> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.refWhileBusy();
      this.worker.postMessage({ ...body, id } as PGliteRequest);
    });
  }

  private refWhileBusy(): void {
    if (this.pending.size > 0) this.worker.ref();
    else this.worker.unref();
  }
}
