import type { Request, RequestHandler, Response } from 'express';
import { turnBatchedLogger, WEBHOOK_QUEUE } from '@inferq/core';
import type { Logger } from '@inferq/core';
import { openQueue } from '@inferq/store';
import {
  createApiMetrics,
  createMetricsRegistry,
  metricsEndpoint,
  registerPoolGauges,
  registerQueueDepth,
} from '@inferq/telemetry';
import type { ApiMetrics, DepthSource } from '@inferq/telemetry';
import type { ApiDeps } from '../deps';
import { requestContext, startRequestContext } from './request-context';

/** Probes and scrapes would drown the access log at info. */
const QUIET_PATHS = new Set(['/healthz', '/readyz', '/metrics']);

/**
 * What runs before the route table: request ids and child loggers, the
 * access log, request metrics, and GET /metrics itself (Prometheus text, not
 * JSON, so it is not a route of the JSON route table).
 */
export function operationsMiddleware(deps: ApiDeps): RequestHandler[] {
  const registry = createMetricsRegistry();
  const metrics = createApiMetrics(registry);
  const pools = deps.catalog.pools();
  const webhooks = openQueue(WEBHOOK_QUEUE, deps.redis, deps.config.QUEUE_PREFIX);
  registerQueueDepth(registry, (): DepthSource[] => [...pools.map((p) => deps.queues.get(p)), webhooks]);
  // A pool whose read fails (Redis down) is left out of that scrape.
  const poolStats = (p: string) => deps.scheduler.stats(p).catch(() => undefined);
  registerPoolGauges(registry, async () => (await Promise.all(pools.map(poolStats))).filter((s) => s !== undefined));
  deps.batch.registerMetrics(registry);
  const endpoint = metricsEndpoint(registry, deps.config.METRICS_TOKEN);

  // The access line holds only what finished() puts there, none of it secret: redaction (a walk
  // over every redact path per line) is left to the loggers that log objects from elsewhere.
  // One write per event-loop turn rather than one per request (a write(2) each under load).
  const access = turnBatchedLogger(deps.logger);
  // One listener for every response (Express links res.req): a closure per request was garbage per request.
  const onFinish = function (this: Response): void {
    finished(this.req, this, metrics, access);
  };
  const serveMetrics: RequestHandler = (req, res, next) => {
    endpoint(req.headers.authorization).then(
      (a) =>
        res
          .status(a.status)
          .set({ 'Content-Type': a.type, ...a.headers })
          .send(a.body),
      next,
    );
  };
  // One middleware, not three in a chain: each link cost every request a call through next().
  const operations: RequestHandler = (req, res, next) => {
    startRequestContext(req, res, deps.logger);
    res.on('finish', onFinish);
    if (req.method === 'GET' && req.path === '/metrics') serveMetrics(req, res, next);
    else next();
  };
  return [operations];
}

/** The route template (`/v1/jobs/{id}`) that matched, never the raw path: ids must not become label values. */
export function routeTemplate(req: Request, res: Response): string {
  const route = requestContext(res)?.route;
  if (route) return route;
  return req.path === '/metrics' ? '/metrics' : 'unmatched';
}

function finished(req: Request, res: Response, metrics: ApiMetrics, access: Logger): void {
  const ctx = requestContext(res);
  const route = routeTemplate(req, res);
  const seconds = ctx ? Number(process.hrtime.bigint() - ctx.startedAt) / 1e9 : 0;
  metrics.requestDone({ method: req.method, route, status: res.statusCode }, seconds);
  if (req.method === 'POST' && route === '/v1/jobs' && res.statusCode === 202) {
    // A 202 means the body validated, so `model` is a model this deployment serves.
    const model: unknown = (req.body as { model?: unknown } | undefined)?.model;
    if (typeof model === 'string') metrics.jobSubmitted(model);
  }
  if (!ctx) return;
  const line = {
    requestId: ctx.requestId,
    method: req.method,
    route,
    status: res.statusCode,
    ms: Math.round(seconds * 1000),
    tenant: ctx.tenant,
    jobId: ctx.jobId,
  };
  if (QUIET_PATHS.has(req.path)) access.debug(line, 'request');
  else access.info(line, 'request');
}
