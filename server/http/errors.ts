import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from '../logger.js';

/** Every error code a client can see. Stable: clients and tests switch on them. */
export type ErrorCode =
  | 'bad_request'
  | 'malformed_json'
  | 'validation_failed'
  | 'unauthenticated'
  | 'forbidden'
  | 'csrf_failed'
  | 'not_found'
  | 'conflict'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'rate_limited'
  | 'internal'
  | 'response_invalid'
  | 'unavailable';

/** The one error type of the application; the error middleware turns it into JSON. */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'AppError';
  }

  /** 404 for a missing thing, with a plain sentence naming it. */
  static notFound(message: string, details?: unknown): AppError {
    return new AppError(404, 'not_found', message, details);
  }

  /** 400 for input that is well-formed but not acceptable. */
  static badRequest(message: string, details?: unknown): AppError {
    return new AppError(400, 'bad_request', message, details);
  }

  /** 409 for an edit based on stale state. */
  static conflict(message: string, details?: unknown): AppError {
    return new AppError(409, 'conflict', message, details);
  }
}

/** The JSON body of every error response. */
export interface ErrorBody {
  error: { code: ErrorCode; message: string; details?: unknown };
}

/** Shape of the errors thrown by Express's body parsers (http-errors). */
interface HttpParserError {
  status?: number;
  statusCode?: number;
  type?: string;
  expose?: boolean;
  message?: string;
}

/**
 * SQLSTATE class 22, data exceptions: a value the database cannot take (out of range, NUL in text,
 * malformed input). Routes validate first; this is the net for what a schema let through.
 */
function isDataException(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^22[0-9A-Z]{3}$/.test(code);
}

/** Map an arbitrary thrown value to an AppError; unknown errors become a 500. */
export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  if (isDataException(err)) {
    return new AppError(
      400,
      'bad_request',
      '请求中的某个值超出范围或不是有效文本（a value in the request is out of range or not valid text）。',
    );
  }
  const parserError = err as HttpParserError | null;
  if (parserError && typeof parserError === 'object' && typeof parserError.type === 'string') {
    switch (parserError.type) {
      case 'entity.parse.failed':
        return new AppError(400, 'malformed_json', 'The request body is not valid JSON.');
      case 'entity.too.large':
        return new AppError(413, 'payload_too_large', 'The request body is too large.');
      case 'encoding.unsupported':
      case 'charset.unsupported':
        return new AppError(415, 'unsupported_media_type', 'The request body encoding is not supported.');
      default: {
        const status = parserError.status ?? parserError.statusCode ?? 400;
        if (status >= 400 && status < 500) {
          return new AppError(status, 'bad_request', 'The request body could not be read.');
        }
      }
    }
  }
  return new AppError(500, 'internal', 'An internal error occurred. It has been logged.');
}

/** Turn every error into `{"error":{code,message,details}}`; log 5xx with their stack. */
export function errorMiddleware(logger: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const appError = toAppError(err);
    if (appError.status >= 500) {
      logger.error({ err, method: req.method, url: req.originalUrl }, 'request failed');
    } else if (isDataException(err)) {
      // A value a route's schema should have refused: worth a schema fix.
      logger.warn({ err, method: req.method, url: req.originalUrl }, 'the database refused a value');
    } else {
      logger.debug({ code: appError.code, method: req.method, url: req.originalUrl }, appError.message);
    }
    if (res.headersSent) {
      res.end();
      return;
    }
    const body: ErrorBody = { error: { code: appError.code, message: appError.message } };
    if (appError.details !== undefined) body.error.details = appError.details;
    res.status(appError.status).json(body);
  };
}

/** 404 for any route nobody answered. */
export const notFoundHandler: RequestHandler = (req, _res, next) => {
  const path = req.originalUrl.split('?')[0] ?? req.path;
  next(AppError.notFound(`No route for ${req.method} ${path}.`, { method: req.method, path }));
};
