import express, {
  type ErrorRequestHandler,
  type Request,
  type RequestHandler,
  type Response,
  type Router,
} from 'express';
import type { z } from 'zod';
import { findInvisibleCharacter } from '../lib/invisible-text.js';
import { AppError, toAppError } from './errors.js';
import { KNOWN_DRIFT, responseChecksOn, responseProblem } from './response-check.js';
import type { AnyRoute, AuditNote, RequestUser } from './route.js';

/** One change as the router hands it to the audit log. */
export interface RouteAuditEntry {
  action: string;
  target: string | null;
  status: number;
  ip: string | null;
  before?: unknown;
  after?: unknown;
  details?: unknown;
}

/** A refused request as the router hands it to the audit log. */
export interface RouteRefusal {
  action: string;
  target: string | null;
  status: number;
  code: string;
  message: string;
  ip: string | null;
  /** The request body of a logged-in user (uploads: their size), when it was read. */
  request?: unknown;
  query?: unknown;
}

/** What the router needs from the accounts layer: who is asking, CSRF, and where changes and refusals are logged. */
export interface RouteAuth {
  userOf(req: Request): Promise<RequestUser | null>;
  csrfValid(req: Request, user: RequestUser): Promise<boolean>;
  audit(user: RequestUser, entry: RouteAuditEntry): Promise<void>;
  /** Log a refusal (REFUSED statuses); the accounts layer bounds how many rows a flood of them writes. */
  refused(user: RequestUser | null, refusal: RouteRefusal): Promise<void>;
}

/** Answers the audit log keeps even though nothing changed: who was turned away, and why. */
export const REFUSED: ReadonlySet<number> = new Set([401, 403, 409, 429]);

const STATE_CHANGING = new Set(['post', 'put', 'patch', 'delete']);

/**
 * Who may go on: public routes always; others need a session (401) with a role the route admits
 * (403), and, when they change something, the session's CSRF token in the header (403). Runs
 * before the body is read, so nobody unknown makes the server parse a large upload.
 */
function authorize(route: AnyRoute, auth: RouteAuth | undefined): RequestHandler {
  return (req, res, next) => {
    // For the refusal log at the end of the router: which route this request is, and its parameters.
    res.locals.routeMatch = { route, params: req.params } satisfies RouteMatch;
    if (route.access === 'public') {
      next();
      return;
    }
    const decide = async () => {
      const user = auth ? await auth.userOf(req) : null;
      if (!user) throw new AppError(401, 'unauthenticated', '请先登录（log in first）。');
      // Known before the checks below, so that a refusal is logged with who was refused.
      res.locals.user = user;
      if (!route.access.includes(user.role)) {
        throw new AppError(403, 'forbidden', `您的角色无权执行此操作（the role ${user.role} may not do this）。`);
      }
      const refusal = route.refuse?.(user);
      if (refusal) throw new AppError(403, 'forbidden', refusal);
      if (STATE_CHANGING.has(route.method) && !(await auth!.csrfValid(req, user))) {
        throw new AppError(
          403,
          'csrf_failed',
          '请求缺少有效的 CSRF 令牌，请刷新页面后重试（missing or wrong CSRF token: reload the page）。',
        );
      }
    };
    decide().then(() => next(), next);
  };
}

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

/** Whether a validated value holds a NUL character anywhere (PostgreSQL text cannot store one). */
function holdsNul(value: unknown, depth = 0): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (depth > 64 || value === null || typeof value !== 'object') return false;
  return Object.entries(value).some(([key, item]) => key.includes('\u0000') || holdsNul(item, depth + 1));
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

/** The body as the audit log keeps it when the handler says nothing else (uploads: their size only). */
function defaultAfter(route: AnyRoute, body: unknown, upload: Buffer): unknown {
  if (route.upload) return { bytes: upload.length };
  return body;
}

/** The route a request matched, as `authorize` saw it (an error handler at the router's end has other params). */
interface RouteMatch {
  route: AnyRoute;
  params: Request['params'];
}

/** The audit note a handler has given so far (kept on the response, so that a refusal it throws can use it). */
function noteOf(res: Parameters<RequestHandler>[1]): AuditNote {
  return (res.locals.auditNote as AuditNote | undefined) ?? {};
}

/**
 * Log a refusal (REFUSED) of the route before the error middleware answers it: who (the session's
 * user, looked up on public routes too, e.g. a logout without its CSRF token; else anonymous),
 * the route, status and code, the target, and what a logged-in user asked for. A failure to log
 * never changes the answer.
 */
function refusalLog(auth: RouteAuth): ErrorRequestHandler {
  return (err, req, res, next) => {
    const error = toAppError(err);
    const match = res.locals.routeMatch as RouteMatch | undefined;
    if (!match || !REFUSED.has(error.status)) {
      next(err);
      return;
    }
    const { route, params } = match;
    const log = async () => {
      let user = (res.locals.user as RequestUser | undefined) ?? null;
      if (!user && route.access === 'public' && error.status !== 401) user = await auth.userOf(req);
      const note = noteOf(res);
      const read = req.body !== undefined && user !== null && route.access !== 'public';
      await auth.refused(user, {
        action: `${route.method.toUpperCase()} ${route.path}`,
        target: note.target ?? (Object.keys(params).length > 0 ? JSON.stringify(params) : null),
        status: error.status,
        code: error.code,
        message: error.message,
        ip: req.ip ?? null,
        ...(read ? { request: Buffer.isBuffer(req.body) ? { bytes: req.body.length } : req.body } : {}),
        ...(user && Object.keys(req.query).length > 0 ? { query: req.query } : {}),
      });
    };
    log().then(
      () => next(err),
      () => next(err),
    );
  };
}

/**
 * Check every 2xx JSON answer of a route against its response schema before it is sent, however
 * the handler sends it (returned, or written with `res.send`, e.g. a cached JSON text): an answer
 * that drifted from its contract is a 500 `response_invalid` naming the first difference, logged
 * with its stack, instead of reaching the client.
 */
function checkAnswers(route: AnyRoute, schema: z.ZodType, res: Response): void {
  const send = res.send.bind(res);
  const checkedSend = (body?: unknown) => {
    const status = res.statusCode;
    if (status >= 200 && status < 300 && status !== 204 && (typeof body === 'string' || Buffer.isBuffer(body))) {
      let sent: unknown;
      try {
        sent = JSON.parse(String(body));
      } catch {
        sent = undefined;
      }
      const problem = sent === undefined ? 'the answer is not JSON' : responseProblem(schema, sent);
      if (problem) {
        throw new AppError(
          500,
          'response_invalid',
          `The answer of ${route.method.toUpperCase()} ${route.path} does not match its response schema: ${problem}`,
        );
      }
    }
    return send(body);
  };
  res.send = checkedSend as Response['send'];
}

/** How the router runs: whether it checks answers against their schemas (default: `responseChecksOn()`). */
export interface RouterOptions {
  checkResponses?: boolean;
}

/**
 * Register routes on a new Express router: who may call each (see `authorize`), then params, query
 * and body validated with their schemas; every successful change is written to the audit log
 * before it is answered, and every refusal (see `refusalLog`). Without `auth` only public routes
 * can be called. In the tests every JSON answer is also checked against its response schema
 * (see `checkAnswers`).
 */
export function buildRouter(routes: readonly AnyRoute[], auth?: RouteAuth, options: RouterOptions = {}): Router {
  const router = express.Router();
  const checkResponses = options.checkResponses ?? responseChecksOn();
  for (const route of routes) {
    router[route.method](route.path, authorize(route, auth), ...bodyParsers(route), async (req, res) => {
      const problems: FieldProblem[] = [];
      const params = parsePart(route.params, req.params, 'params', problems);
      const query = parsePart(route.query, req.query, 'query', problems);
      const body = parsePart(route.body, route.upload ? undefined : (req.body ?? {}), 'body', problems);
      for (const [where, value] of [
        ['params', params],
        ['query', query],
        ['body', body],
      ] as const) {
        if (holdsNul(value)) problems.push({ where, path: '', message: '不能包含 NUL 字符（no NUL characters）' });
        const invisible = findInvisibleCharacter(value);
        if (invisible) {
          problems.push({
            where,
            path: invisible.path,
            message: `不能包含看不见的字符或改变文字方向的字符 ${invisible.character}，请删除后重试（no invisible or text-direction characters such as ${invisible.character}）`,
          });
        }
      }
      if (problems.length > 0) {
        const first = problems[0]!;
        const field = first.path ? `${first.where}.${first.path}` : first.where;
        throw new AppError(400, 'validation_failed', `Invalid request: ${field}: ${first.message}`, {
          problems,
        });
      }
      if (
        checkResponses &&
        'schema' in route.response &&
        !KNOWN_DRIFT.has(`${route.method.toUpperCase()} ${route.path}`)
      ) {
        checkAnswers(route, route.response.schema, res);
      }
      const upload = route.upload && Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const user = (res.locals.user as RequestUser | undefined) ?? null;
      const result = await route.handler({
        params,
        query,
        body,
        upload,
        user,
        audit: (n) => {
          res.locals.auditNote = { ...noteOf(res), ...n };
        },
        req,
        res,
      });
      const note = noteOf(res);
      const status = route.response.status ?? 200;
      if (auth && user && STATE_CHANGING.has(route.method)) {
        await auth.audit(user, {
          action: `${route.method.toUpperCase()} ${route.path}`,
          target: note.target ?? (Object.keys(req.params).length > 0 ? JSON.stringify(req.params) : null),
          status: res.headersSent ? res.statusCode : status,
          ip: req.ip ?? null,
          before: note.before,
          after: note.after !== undefined ? note.after : defaultAfter(route, body, upload),
          details: note.details ?? (Object.keys(req.query).length > 0 ? { query } : undefined),
        });
      }
      if (res.headersSent) return;
      if (result === undefined) res.status(status).end();
      else res.status(status).json(result);
    });
  }
  if (auth) router.use(refusalLog(auth));
  return router;
}
