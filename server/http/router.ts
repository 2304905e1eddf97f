import express, { type RequestHandler, type Router } from 'express';
import type { z } from 'zod';
import { AppError } from './errors.js';
import type { AnyRoute } from './route.js';

/** A zod issue in the form clients receive: where and what. */
export interface FieldProblem {
  where: 'params' | 'query' | 'body';
  path: string;
  message: string;
}

function parsePart(
  schema: z.ZodType | undefined,
  value: unknown,
  where: FieldProblem['where'],
  problems: FieldProblem[],
): unknown {
  if (!schema) return undefined;
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  for (const issue of result.error.issues) {
    problems.push({ where, path: issue.path.map(String).join('.'), message: issue.message });
  }
  return undefined;
}

export const DEFAULT_BODY_LIMIT_BYTES = 2 * 1024 * 1024;

function hasBody(req: Parameters<RequestHandler>[0]): boolean {
  return Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
}

/** Refuse a body whose media type the route does not take, before reading it. */
function requireContentType(types: string[]): RequestHandler {
  return (req, _res, next) => {
    if (hasBody(req) && !req.is(types)) {
      next(new AppError(415, 'unsupported_media_type', `Send the request body as ${types.join(' or ')}.`));
      return;
    }
    next();
  };
}

/** The body parsers a route needs: JSON for `body`, raw bytes for `upload`, none otherwise. */
function bodyParsers(route: AnyRoute): RequestHandler[] {
  if (route.upload) {
    return [
      requireContentType(route.upload.contentTypes),
      express.raw({ type: () => true, limit: route.upload.limitBytes }),
    ];
  }
  if (route.body) {
    return [
      requireContentType(['application/json']),
      express.json({ limit: route.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES }),
    ];
  }
  return [];
}

/** Register routes on a new Express router, validating params, query and body with their schemas. */
export function buildRouter(routes: readonly AnyRoute[]): Router {
  const router = express.Router();
  for (const route of routes) {
    router[route.method](route.path, ...bodyParsers(route), async (req, res) => {
      const problems: FieldProblem[] = [];
      const params = parsePart(route.params, req.params, 'params', problems);
      const query = parsePart(route.query, req.query, 'query', problems);
      const body = parsePart(route.body, route.upload ? undefined : (req.body ?? {}), 'body', problems);
      if (problems.length > 0) {
        const first = problems[0]!;
        const field = first.path ? `${first.where}.${first.path}` : first.where;
        throw new AppError(400, 'validation_failed', `Invalid request: ${field}: ${first.message}`, {
          problems,
        });
      }
      const upload = route.upload && Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const result = await route.handler({ params, query, body, upload, req, res });
      if (res.headersSent) return;
      const status = route.response.status ?? 200;
      if (result === undefined) res.status(status).end();
      else res.status(status).json(result);
    });
  }
  return router;
}
