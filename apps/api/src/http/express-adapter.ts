import { randomUUID } from 'node:crypto';
import express from 'express';
import type { ErrorRequestHandler, Express, Request, RequestHandler, Response } from 'express';
import cors from 'cors';
import { AppError, NotFoundError, renderError, UnsupportedMediaTypeError } from '@inferq/core';
import type { ErrorStyle, Logger } from '@inferq/core';
import type { AuthDeps } from '../auth';
import { runPipeline } from '../pipeline/run-pipeline';
import type { PipelineRequest } from '../pipeline/run-pipeline';
import type { Route } from '../route';
import { isStreamResult } from '../stream-result';
import { toAppError } from './error-mapping';
import { jobIdOf, noteRequest, requestContext } from './request-context';
import { RouteMatcher } from './route-matcher';
import { readBodyWithin } from './body-limit';
import { isPlainJson, readPlainJson } from './json-body';
import { securityHeaders } from './security-headers';
import { sendStream } from './stream-response';

export interface ExpressAdapterOptions {
  routes: Route[];
  auth: AuthDeps;
  maxBodyBytes: number;
  logger: Logger;
  /** Runs on every tenant-authenticated request before its body is read: counts it, returns headers (RateLimit-*) or throws 429. */
  limitRequest?: (tenant: string) => Promise<Record<string, string>>;
  /** Browser origins CORS allows; empty or unset leaves CORS off (no Access-Control-* headers at all). */
  corsOrigins?: string[];
  /** Mounted before the routes: request ids, access log, metrics and GET /metrics (http/operations.ts). */
  before?: RequestHandler[];
}

const JSON_TYPES = ['application/json', 'application/*+json'];
/** Response headers a browser client may read when CORS is on. */
const EXPOSED_HEADERS = [
  'RateLimit-Limit',
  'RateLimit-Remaining',
  'RateLimit-Reset',
  'RateLimit-Policy',
  'Retry-After',
  'Idempotent-Replayed',
  'x-inferq-job-id',
];
/** The error shape of the route a request matched, for the error middleware. */
const errorStyles = new WeakMap<Response, ErrorStyle>();

/**
 * Mounts the route table on a lean Express app: helmet's headers set at once
 * from a precomputed map, the `before` middlewares as one layer, and one
 * dispatch layer that finds the route in the table itself (Express's router
 * would test every route's pattern in turn); every error goes through one
 * middleware.
 */
export function createExpressApp(opts: ExpressAdapterOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  const headers = [...securityHeaders()];
  const before = compose(opts.before ?? []);
  const json = express.json({ limit: opts.maxBodyBytes, type: JSON_TYPES });
  const matcher = new RouteMatcher(opts.routes);
  const dispatch: RequestHandler = (req, res, next) => {
    const found = matcher.match(req.method === 'HEAD' ? 'GET' : req.method, req.path);
    if (!found) return next(new NotFoundError(`no route ${req.method} ${req.path}`));
    req.params = found.params;
    if (found.route.errorStyle) errorStyles.set(res, found.route.errorStyle);
    noteRequest(res, { route: found.route.path });
    run(found.route, req, res, json, opts).catch(next);
  };
  if (opts.corsOrigins?.length) {
    app.use((req, res, next) => {
      setAll(res, headers);
      before(req, res, next);
    });
    app.use(cors({ origin: opts.corsOrigins, exposedHeaders: EXPOSED_HEADERS, maxAge: 600 }));
    app.use(dispatch);
  } else {
    // One router layer for all of it: each layer costs Express's router a match, a prefix trim and a next().
    app.use((req, res, next) => {
      setAll(res, headers);
      before(req, res, (err?: unknown) => (err === undefined ? dispatch(req, res, next) : next(err)));
    });
  }
  app.use(errorMiddleware(opts.logger));
  return app;
}

/**
 * Sets fixed headers by index: res.setHeaders(map) walks a Map iterator and
 * destructures an entry array per header, 13 of them per request.
 */
function setAll(res: Response, headers: ReadonlyArray<readonly [string, string]>): void {
  for (let i = 0; i < headers.length; i++) res.setHeader(headers[i][0], headers[i][1]);
}

/** Several middlewares as one, run in order; an error skips the rest. */
function compose(handlers: RequestHandler[]): RequestHandler {
  // One handler (the operations middleware) needs no chain, and no closure per request.
  if (handlers.length === 1) return handlers[0];
  return (req, res, done) => {
    let i = 0;
    const next = (err?: unknown): void => {
      if (err !== undefined || i === handlers.length) return done(err);
      handlers[i++](req, res, next);
    };
    next();
  };
}

/** Translates: the Express request into the pipeline's, its result into the Express response. */
async function run(
  route: Route,
  req: Request,
  res: Response,
  json: RequestHandler,
  opts: ExpressAdapterOptions,
): Promise<void> {
  const request = new ExpressPipelineRequest(req, res, json, opts.maxBodyBytes);
  const result = await runPipeline(route.steps, request, { auth: opts.auth, limitRequest: opts.limitRequest });
  if (isStreamResult(result)) return sendStream(res, result, request.signal);
  noteRequest(res, { jobId: jobIdOf(req, result.body) });
  sendJson(res, result.status, result.body, result.headers);
}

/**
 * The pipeline's view of one Express request: its methods live on the
 * prototype, so a request costs one object instead of a closure per method.
 */
class ExpressPipelineRequest implements PipelineRequest {
  readonly params: Record<string, string>;
  readonly headers: PipelineRequest['headers'];
  private controller: AbortController | undefined;

  constructor(
    readonly stream: Request,
    private readonly res: Response,
    private readonly json: RequestHandler,
    private readonly maxBodyBytes: number,
  ) {
    this.params = stream.params as Record<string, string>;
    this.headers = stream.headers;
  }

  /** Express's req.query parses the URL and its query string: left to routes that have a query. */
  get query(): unknown {
    return this.stream.query;
  }

  readBody(): Promise<unknown> {
    return readJsonBody(this.stream, this.res, this.json, this.maxBodyBytes);
  }

  setHeaders(headers: Record<string, string>): void {
    for (const name in headers) this.res.setHeader(name, headers[name]);
  }

  noteTenant(tenant: string): void {
    noteRequest(this.res, { tenant, jobId: jobIdOf(this.stream, undefined) });
  }

  /**
   * Aborted when the client goes away before the answer is sent. Made, and
   * the response watched, on first read: most submits never read it. A
   * client that already left gets it aborted at once.
   */
  get signal(): AbortSignal {
    if (this.controller) return this.controller.signal;
    const controller = (this.controller = new AbortController());
    const res = this.res;
    if (res.closed) {
      if (!res.writableFinished) controller.abort();
    } else {
      res.once('close', () => {
        if (!res.writableFinished) controller.abort();
      });
    }
    return controller.signal;
  }
}

/**
 * res.json without the detours of res.send (type sniffing, ETag and
 * freshness checks this API never uses): the same bytes and headers, a
 * measurable part of a submit's CPU under load.
 */
function sendJson(res: Response, status: number, body: unknown, headers?: Record<string, string>): void {
  if (headers) res.setHeaders(new Map(Object.entries(headers)));
  if (body === undefined) {
    res.writeHead(status).end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
}

/** Plain JSON (nearly every request) through the lean reader; anything else through body-parser. */
function readJsonBody(req: Request, res: Response, json: RequestHandler, limit: number): Promise<unknown> {
  return isPlainJson(req) ? readPlainJson(req, limit) : readOtherJsonBody(req, res, json, limit);
}

async function readOtherJsonBody(req: Request, res: Response, json: RequestHandler, limit: number): Promise<unknown> {
  // req.is: null without a body, false for a body of another type.
  if (req.is(JSON_TYPES) === false) {
    throw new UnsupportedMediaTypeError('request bodies must be application/json');
  }
  await readBodyWithin(req, limit, (done) => json(req, res, (err?: unknown) => done(err ?? undefined)));
  return req.body;
}

/** The one error middleware: AppErrors answer their code; anything else is a 500 with a logged id. */
function errorMiddleware(logger: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const mapped = toAppError(err);
    const errorId = randomUUID();
    const response = renderError(errorStyles.get(res) ?? 'inferq', mapped, errorId);
    const log = requestContext(res)?.log ?? logger;
    if (!(mapped instanceof AppError)) {
      log.error({ err, errorId, method: req.method, path: req.path }, 'unhandled error');
    } else if (response.status >= 500) {
      log.warn({ err, method: req.method, path: req.path }, mapped.message);
    }
    if (res.headersSent) {
      res.end();
      return;
    }
    res.status(response.status).set(response.headers).json(response.body);
  };
}
