import { randomUUID } from 'node:crypto';
import express from 'express';
import type { ErrorRequestHandler, Express, Request, RequestHandler, Response } from 'express';
import helmet from 'helmet';
import { AppError, NotFoundError, toErrorResponse, UnsupportedMediaTypeError } from '@inferq/core';
import type { Logger } from '@inferq/core';
import { authorize } from '../auth';
import type { AuthDeps } from '../auth';
import type { Route } from '../route';
import { toAppError } from './error-mapping';

export interface ExpressAdapterOptions {
  routes: Route[];
  auth: AuthDeps;
  maxBodyBytes: number;
  logger: Logger;
}

const JSON_TYPES = ['application/json', 'application/*+json'];

/** `/v1/jobs/{id}` (OpenAPI style) to Express's `/v1/jobs/:id`. */
const toExpressPath = (path: string): string => path.replace(/\{(\w+)\}/g, ':$1');

/** Mounts the route table on a lean Express app; every error goes through one middleware. */
export function createExpressApp(opts: ExpressAdapterOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(helmet());
  const json = express.json({ limit: opts.maxBodyBytes, type: JSON_TYPES });

  for (const route of opts.routes) {
    const method = route.method.toLowerCase() as 'get' | 'post' | 'delete';
    const handler: RequestHandler = (req, res, next) => {
      run(route, req, res, json, opts.auth).catch(next);
    };
    app[method](toExpressPath(route.path), handler);
  }
  app.use((req, _res, next) => next(new NotFoundError(`no route ${req.method} ${req.path}`)));
  app.use(errorMiddleware(opts.logger));
  return app;
}

async function run(route: Route, req: Request, res: Response, json: RequestHandler, auth: AuthDeps): Promise<void> {
  // Auth first: an unauthenticated caller gets 401 before any body is read.
  const tenant = await authorize(route.auth, req.headers.authorization, auth);
  if (route.acceptsBody) await readJsonBody(req, res, json);
  const aborted = new AbortController();
  res.on('close', () => {
    if (!res.writableFinished) aborted.abort();
  });
  const result = await route.invoke({
    tenant,
    params: req.params,
    query: req.query,
    body: req.body,
    headers: req.headers,
    signal: aborted.signal,
  });
  res.status(result.status);
  if (result.headers) res.set(result.headers);
  res.json(result.body);
}

function readJsonBody(req: Request, res: Response, json: RequestHandler): Promise<void> {
  // req.is: null without a body, false for a body of another type.
  if (req.is(JSON_TYPES) === false) {
    throw new UnsupportedMediaTypeError('request bodies must be application/json');
  }
  return new Promise((resolve, reject) => {
    json(req, res, (err?: unknown) => (err ? reject(err) : resolve()));
  });
}

/** The one error middleware: AppErrors answer their code; anything else is a 500 with a logged id. */
function errorMiddleware(logger: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const mapped = toAppError(err);
    const errorId = randomUUID();
    const response = toErrorResponse(mapped, errorId);
    if (!(mapped instanceof AppError)) {
      logger.error({ err, errorId, method: req.method, path: req.path }, 'unhandled error');
    } else if (response.status >= 500) {
      logger.warn({ err, method: req.method, path: req.path }, mapped.message);
    }
    if (res.headersSent) {
      res.end();
      return;
    }
    res.status(response.status).set(response.headers).json(response.body);
  };
}
