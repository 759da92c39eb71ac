import { randomUUID } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import type { Logger } from '@inferq/core';

/** What the access log learns about a request while it runs. */
export interface RequestContext {
  requestId: string;
  /** pino child logger carrying `requestId`, made on first use: most requests only log their access line. */
  readonly log: Logger;
  startedAt: bigint;
  tenant?: string;
  jobId?: string;
  /** The route template that matched (`/v1/jobs/{id}`), never the raw path. */
  route?: string;
}

class Context implements RequestContext {
  private child: Logger | undefined;
  tenant?: string;
  jobId?: string;
  route?: string;
  readonly startedAt = process.hrtime.bigint();

  constructor(
    readonly requestId: string,
    private readonly logger: Logger,
  ) {}

  get log(): Logger {
    return (this.child ??= this.logger.child({ requestId: this.requestId }));
  }
}

// Keyed by the response, not res.locals (untyped), and gone with it.
const contexts = new WeakMap<Response, RequestContext>();

/** A caller's id is kept when it looks like an id; anything else gets a fresh UUID. */
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** `X-Request-Id` in (or a new one) and out, and a logger per request. */
export function requestContextMiddleware(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const given = req.headers['x-request-id'];
    const requestId = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    res.setHeader('X-Request-Id', requestId);
    contexts.set(res, new Context(requestId, logger));
    next();
  };
}

export function requestContext(res: Response): RequestContext | undefined {
  return contexts.get(res);
}

/** Records the tenant and job of a request for its log line (a no-op outside the middleware). */
export function noteRequest(res: Response, facts: { tenant?: string; jobId?: string; route?: string }): void {
  const ctx = contexts.get(res);
  if (!ctx) return;
  if (facts.tenant) ctx.tenant = facts.tenant;
  if (facts.jobId) ctx.jobId = facts.jobId;
  if (facts.route) ctx.route = facts.route;
}

/** The job a request is about: the `{id}` of job routes, or the id a submit answered with. */
export function jobIdOf(req: Request, body: unknown): string | undefined {
  const param: unknown = (req.params as Record<string, unknown> | undefined)?.id;
  if (typeof param === 'string' && param.startsWith('job_')) return param;
  const id = typeof body === 'object' && body !== null ? (body as { id?: unknown }).id : undefined;
  return typeof id === 'string' && id.startsWith('job_') ? id : undefined;
}
