import { randomUUID } from 'node:crypto';
import type { Request, Response } from 'express';
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

/**
 * The context rides in the response's locals (a dictionary Express makes per
 * request) under a private symbol, typed, and gone with the response: a
 * WeakMap entry per request (an ephemeron the GC revisits) or a property
 * added to the response itself (its property store regrown) cost more.
 */
const CONTEXT = Symbol('inferq.requestContext');
type ContextSlot = { [CONTEXT]?: RequestContext };
const slot = (res: Response): ContextSlot => res.locals as ContextSlot;

/** A caller's id is kept when it looks like an id; anything else gets a fresh UUID. */
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** `X-Request-Id` in (or a new one) and out, and the request's context (its logger made on first use). */
export function startRequestContext(req: Request, res: Response, logger: Logger): void {
  const given = req.headers['x-request-id'];
  const requestId = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
  res.setHeader('X-Request-Id', requestId);
  slot(res)[CONTEXT] = new Context(requestId, logger);
}

export function requestContext(res: Response): RequestContext | undefined {
  return slot(res)[CONTEXT];
}

/** Records the tenant and job of a request for its log line (a no-op outside the middleware). */
export function noteRequest(res: Response, facts: { tenant?: string; jobId?: string; route?: string }): void {
  const ctx = requestContext(res);
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
