import fs from 'node:fs';
import path from 'node:path';
import express, { type Express, type RequestHandler } from 'express';
import type { AppContext } from './context.js';
import { errorMiddleware, notFoundHandler } from './http/errors.js';
import type { AnyRoute } from './http/route.js';
import { buildRouter, type RouteAuth } from './http/router.js';
import { securityHeaders } from './http/security-headers.js';
import { authRoutes } from './auth/routes.js';
import { writeAudit } from './auth/audit.js';
import { RefusalLog } from './auth/refusals.js';
import { importRoutes } from './county/import/routes.js';
import { countyRoutes } from './county/routes.js';
import { exportRoutes } from './county/export/routes.js';
import { mapRoutes } from './map/routes.js';
import { policingRoutes } from './policing/routes.js';
import { riskRoutes } from './risk/routes.js';
import { gridRoutes } from './grids/routes.js';
import { holidayRoutes } from './holidays/routes.js';
import { systemRoutes } from './system/routes.js';
import { calibrationRoutes } from './routing/calibration-routes.js';

/** Every API route of the application, in the order they are registered. */
export function allRoutes(ctx: AppContext): AnyRoute[] {
  const routes: AnyRoute[] = [];
  routes.push(
    ...systemRoutes(ctx, () => routes),
    ...authRoutes(ctx),
    ...mapRoutes(ctx),
    ...countyRoutes(ctx),
    ...importRoutes(ctx),
    // Before the grid and policing routes: export.zip/.gpkg would otherwise meet their export.:format.
    ...exportRoutes(ctx),
    ...policingRoutes(ctx),
    ...riskRoutes(ctx),
    ...holidayRoutes(ctx),
    ...gridRoutes(ctx),
    ...calibrationRoutes(ctx),
  );
  return routes;
}

function requestLog(ctx: AppContext): RequestHandler {
  return (req, res, next) => {
    const start = process.hrtime.bigint();
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      ctx.logger.info(
        { method: req.method, url: req.originalUrl, status: res.statusCode, ms: Math.round(ms * 10) / 10 },
        'request',
      );
    });
    next();
  };
}

/** The web app: built files if present, else a plain page saying how to build them. */
function webApp(webDir: string): RequestHandler[] {
  const indexFile = path.join(webDir, 'index.html');
  const serveStatic = express.static(webDir, { index: 'index.html', maxAge: '1h', fallthrough: true });
  const noBuild: RequestHandler = (req, res, next) => {
    if (req.method !== 'GET' || req.path !== '/' || fs.existsSync(indexFile)) {
      next();
      return;
    }
    res
      .status(503)
      .type('text/plain; charset=utf-8')
      .send('网页尚未构建：请运行 npm run build。\nThe web app is not built yet: run `npm run build`.\n');
  };
  return [noBuild, serveStatic];
}

/** The accounts layer as the router sees it: sessions from cookies, CSRF, the audit log (refusals bounded). */
export function routeAuth(
  ctx: Pick<AppContext, 'sessions' | 'database'> & Partial<Pick<AppContext, 'logger'>>,
): RouteAuth {
  const refusals = new RefusalLog({
    write: (actor, record) => writeAudit(ctx.database.db, actor, record),
    onError: (err) => ctx.logger?.error({ err }, 'could not write a summary of refusals to the audit log'),
  });
  return {
    userOf: (req) => ctx.sessions.userOf(req),
    csrfValid: (req, user) => ctx.sessions.csrfValid(req, user),
    audit: (user, entry) => writeAudit(ctx.database.db, user, entry),
    refused: (user, refusal) => refusals.record(user, refusal),
  };
}

/** Build the Express application around an open database. */
export function createApp(ctx: AppContext): Express {
  const app = express();
  app.disable('x-powered-by');
  // X-Forwarded-For and -Proto are believed only from a configured proxy (TRUST_PROXY).
  app.set('trust proxy', ctx.config.trustProxy);
  app.use(requestLog(ctx));
  app.use(securityHeaders());
  // Each route checks who may call it, then parses its own body (JSON, or a file) with its own size limit.
  app.use(buildRouter(allRoutes(ctx), routeAuth(ctx)));
  app.use('/api', notFoundHandler);
  app.use(...webApp(ctx.config.webDir));
  app.use(notFoundHandler);
  app.use(errorMiddleware(ctx.logger));
  return app;
}
