import express, { type Router } from 'express';
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

/** Register routes on a new Express router, validating params, query and body with their schemas. */
export function buildRouter(routes: readonly AnyRoute[]): Router {
  const router = express.Router();
  for (const route of routes) {
    router[route.method](route.path, async (req, res) => {
      const problems: FieldProblem[] = [];
      const params = parsePart(route.params, req.params, 'params', problems);
      const query = parsePart(route.query, req.query, 'query', problems);
      const body = parsePart(route.body, req.body ?? {}, 'body', problems);
      if (problems.length > 0) {
        const first = problems[0]!;
        const field = first.path ? `${first.where}.${first.path}` : first.where;
        throw new AppError(400, 'validation_failed', `Invalid request: ${field}: ${first.message}`, {
          problems,
        });
      }
      const result = await route.handler({ params, query, body, req, res });
      if (res.headersSent) return;
      const status = route.response.status ?? 200;
      if (result === undefined) res.status(status).end();
      else res.status(status).json(result);
    });
  }
  return router;
}
