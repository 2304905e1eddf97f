// PGlite runs PostgreSQL and PostGIS compiled to WebAssembly, where a C++ exception thrown by GEOS
// cannot be caught inside the module (exception catching is not compiled in). GEOS throws such
// exceptions for its errors (a TopologyException on invalid input) and also in normal work: a
// buffer or an overlay that meets a robustness problem throws, catches and retries with reduced
// precision or snapping. On PGlite none of these is caught: the exception leaves WebAssembly,
// PGlite's main loop swallows it and answers the statement with no rows and no error, and the
// session is left half-aborted (its transaction never rolled back, the C stack pointer never reset),
// so later statements fail with "ResourceOwnerEnlarge called after release started" or
// "ERRORDATA_STACK_SIZE exceeded", or read out of bounds.
//
// The guard wraps PGlite's main-loop step: on an exception that is not PostgreSQL's own error exit
// it restores the C stack pointer and the error-handler pointers as they were when the step began,
// then raises the failure as an ordinary PostgreSQL ERROR (XX000, with the GEOS message), which
// PostgreSQL's own recovery turns into an error answer and a rolled-back transaction, exactly as
// the server does when GEOS fails there.
import type { PGlite } from '@electric-sql/pglite';

/** PGlite's step and exit statuses (pglitec.c: POSTGRES_MAIN_LONGJMP). */
const POSTGRES_MAIN_LONGJMP = 100;
/** elog.h: ERROR. */
const ERROR_LEVEL = 21;
/** Emscripten's ExceptionInfo header sits this many bytes before a thrown C++ object. */
const EXCEPTION_HEADER_BYTES = 24;

/** The parts of PGlite's Emscripten module the guard needs, beyond its typed interface. */
interface GuardedModule {
  HEAPU32: Uint32Array;
  /** A WebAssembly.Global (the type is the DOM's: the server compiles without it). */
  ___stack_pointer: { value: number };
  _PG_exception_stack: number;
  _error_context_stack: number;
  _PostgresMainLoopOnce: () => void;
  _pgl_getPGliteExitStatus: () => number;
  _errstart: (level: number, domain: number) => number;
  _errmsg_internal: (format: number, varargs: number) => number;
  _errfinish: (filename: number, line: number, funcname: number) => void;
  stringToNewUTF8: (text: string) => number;
  UTF8ToString: (pointer: number, maxBytes?: number) => string;
  _free: (pointer: number) => void;
}

const REQUIRED: (keyof GuardedModule)[] = [
  'HEAPU32',
  '___stack_pointer',
  '_PG_exception_stack',
  '_error_context_stack',
  '_PostgresMainLoopOnce',
  '_pgl_getPGliteExitStatus',
  '_errstart',
  '_errmsg_internal',
  '_errfinish',
  'stringToNewUTF8',
  'UTF8ToString',
  '_free',
];

/** Whether a value thrown out of the module is PostgreSQL's own exit (an ERROR's longjmp, or the end). */
function isPostgresExit(thrown: unknown): boolean {
  return thrown === 'unwind' || (thrown as { name?: unknown } | null)?.name === 'ExitStatus';
}

/** A C++ exception's type and, for GEOS's (all std::runtime_error), its message. */
function describeCppException(mod: GuardedModule, pointer: number): string {
  const type = mod.HEAPU32[(pointer - EXCEPTION_HEADER_BYTES + 4) >>> 2] ?? 0;
  const mangled = type ? mod.UTF8ToString(mod.HEAPU32[(type + 4) >>> 2] ?? 0, 200) : '';
  // geos::util::GEOSException derives from std::runtime_error, whose message string follows the vtable.
  const message = mangled.startsWith('N4geos') ? mod.UTF8ToString(mod.HEAPU32[(pointer + 4) >>> 2] ?? 0, 2000) : '';
  const name = mangled.replace(/^N|E$/g, '').replace(/\d+/g, '::').replace(/^::/, '') || 'unknown type';
  return message || `C++ exception ${name}`;
}

/** What a thrown value was, in words for the error message. */
function describe(mod: GuardedModule, thrown: unknown): string {
  if (typeof thrown === 'number') return describeCppException(mod, thrown);
  if (thrown instanceof Error) return `${thrown.name}: ${thrown.message}`;
  return String(thrown);
}

/** The installed guard: `fatal` is set when a failure could not be turned into an error (the session is lost). */
export interface ExceptionGuard {
  fatal: Error | null;
}

/**
 * Make PGlite answer a statement that GEOS (or any code in the module) fails with an exception
 * with an error, as PostgreSQL does, instead of an empty result and a damaged session. Call once,
 * right after `PGlite.create`. Throws when this PGlite lacks what the guard needs (another version).
 */
export function guardForeignExceptions(pglite: PGlite): ExceptionGuard {
  const mod = pglite.Module as unknown as GuardedModule;
  const missing = REQUIRED.filter((name) => mod[name] === undefined);
  if (missing.length > 0) {
    throw new Error(`This PGlite build lacks ${missing.join(', ')}: the exception guard cannot be installed.`);
  }
  const guard: ExceptionGuard = { fatal: null };
  // The error keeps pointers to its file and function names until it is reported: never freed.
  const where = mod.stringToNewUTF8('pglite-exception-guard');
  const step = mod._PostgresMainLoopOnce;
  mod._PostgresMainLoopOnce = () => {
    // Between statements the stack pointer and the handler pointers are the top level's.
    const stackPointer = mod.___stack_pointer.value as number;
    const exceptionStack = mod.HEAPU32[mod._PG_exception_stack >>> 2]!;
    const errorContextStack = mod.HEAPU32[mod._error_context_stack >>> 2]!;
    try {
      step();
    } catch (thrown) {
      if (isPostgresExit(thrown)) throw thrown;
      // The C++ exception object stays allocated (a few hundred bytes): freeing it from here aborts.
      const what = describe(mod, thrown);
      mod.___stack_pointer.value = stackPointer;
      mod.HEAPU32[mod._PG_exception_stack >>> 2] = exceptionStack;
      mod.HEAPU32[mod._error_context_stack >>> 2] = errorContextStack;
      const message = `GEOS or another part of PostGIS failed inside the embedded database (PGlite): ${what}`;
      try {
        raisePostgresError(mod, message, where);
      } catch (exit) {
        if (isPostgresExit(exit) && mod._pgl_getPGliteExitStatus() === POSTGRES_MAIN_LONGJMP) throw exit;
        // PGlite's loop would swallow this too: the worker sees `fatal` and fails every later request.
        guard.fatal = new Error(`The embedded database could not recover from an internal failure: ${message}`, {
          cause: exit,
        });
        throw exit;
      }
    }
  };
  return guard;
}

/**
 * ereport(ERROR) from outside the module. PostgreSQL's longjmp to its top level comes back as
 * PGlite's error exit, thrown on for PGlite's loop to run the recovery (error answer, transaction
 * rolled back). Never returns.
 */
function raisePostgresError(mod: GuardedModule, message: string, where: number): never {
  // The message is a format string: a literal % must be doubled.
  const format = mod.stringToNewUTF8(message.replaceAll('%', '%%'));
  try {
    mod._errstart(ERROR_LEVEL, 0);
    mod._errmsg_internal(format, 0);
    mod._errfinish(where, 0, where);
  } finally {
    // errmsg_internal copied the text into the error's own memory.
    mod._free(format);
  }
  throw new Error('errfinish(ERROR) returned');
}
