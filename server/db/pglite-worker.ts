// The embedded database in its own thread: PGlite runs PostgreSQL compiled to WebAssembly, and every
// query it runs would otherwise stop the server's event loop for its whole length. The main thread
// (pglite-thread.ts) sends one request at a time and gets each answer back as a message.
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite, types as pgliteTypes } from '@electric-sql/pglite';
import { postgis } from '@electric-sql/pglite-postgis';
import { guardForeignExceptions, type ExceptionGuard } from './pglite-exception-guard.js';

/** How the thread opens its database: a data folder, a dump's bytes, or neither (in memory). */
export interface PGliteThreadOptions {
  dataDir?: string;
  loadDataDir?: Uint8Array<ArrayBuffer>;
}

/** One request to the thread; `id` pairs it with its reply. */
export type PGliteRequest =
  | { id: number; op: 'query'; sql: string; params: unknown[] }
  | { id: number; op: 'exec'; sql: string }
  | { id: number; op: 'dump' }
  | { id: number; op: 'close' };

/** A query's answer as it crosses threads (PGlite's Results, less its field descriptions). */
export interface ThreadResult {
  rows: unknown[];
  affectedRows?: number;
}

/** An error with its own fields (SQLSTATE `code`, `detail`, …), to be rebuilt on the other side. */
export interface ThreadError {
  message: string;
  fields: Record<string, string | number>;
}

export type PGliteReply =
  | { type: 'ready' }
  | { type: 'failed'; error: ThreadError }
  | { type: 'reply'; id: number; result: ThreadResult | ThreadResult[] | Uint8Array | null }
  | { type: 'error'; id: number; error: ThreadError };

// Both backends return the same JavaScript values: bigint and numeric as numbers.
const toNumber = (value: string) => Number(value);

function threadError(err: unknown): ThreadError {
  const fields: Record<string, string | number> = {};
  if (err && typeof err === 'object') {
    for (const [key, value] of Object.entries(err)) {
      if (typeof value === 'string' || typeof value === 'number') fields[key] = value;
    }
  }
  return { message: err instanceof Error ? err.message : String(err), fields };
}

const plain = ({ rows, affectedRows }: { rows: unknown[]; affectedRows?: number }): ThreadResult =>
  affectedRows === undefined ? { rows } : { rows, affectedRows };

async function main(): Promise<void> {
  const port = parentPort!;
  const options = workerData as PGliteThreadOptions;
  let pglite: PGlite;
  let guard: ExceptionGuard;
  try {
    pglite = await PGlite.create({
      ...(options.dataDir ? { dataDir: options.dataDir } : {}),
      ...(options.loadDataDir ? { loadDataDir: new Blob([options.loadDataDir]) } : {}),
      extensions: { postgis },
      parsers: { [pgliteTypes.INT8]: toNumber, [pgliteTypes.NUMERIC]: toNumber },
    });
    // GEOS's exceptions would otherwise end a statement with no rows and no error (see the guard).
    guard = guardForeignExceptions(pglite);
  } catch (err) {
    port.postMessage({ type: 'failed', error: threadError(err) } satisfies PGliteReply);
    return;
  }
  port.on('message', (request: PGliteRequest) => {
    // A failure the guard could not turn into an error leaves the session in an unknown state:
    // that request and every later one (but closing) fail with it rather than read or write there.
    const lost = () => (request.op === 'close' ? null : guard.fatal);
    if (lost()) {
      port.postMessage({ type: 'error', id: request.id, error: threadError(lost()) } satisfies PGliteReply);
      return;
    }
    void answer(pglite, request).then(
      (result) =>
        port.postMessage(
          lost()
            ? ({ type: 'error', id: request.id, error: threadError(lost()) } satisfies PGliteReply)
            : ({ type: 'reply', id: request.id, result } satisfies PGliteReply),
        ),
      (err: unknown) =>
        port.postMessage({
          type: 'error',
          id: request.id,
          error: threadError(lost() ?? err),
        } satisfies PGliteReply),
    );
  });
  port.postMessage({ type: 'ready' } satisfies PGliteReply);
}

async function answer(
  pglite: PGlite,
  request: PGliteRequest,
): Promise<ThreadResult | ThreadResult[] | Uint8Array | null> {
  switch (request.op) {
    case 'query':
      return plain(await pglite.query(request.sql, request.params));
    case 'exec':
      return (await pglite.exec(request.sql)).map(plain);
    case 'dump':
      return new Uint8Array(await (await pglite.dumpDataDir('gzip')).arrayBuffer());
    case 'close':
      await pglite.close();
      return null;
  }
}

await main();
