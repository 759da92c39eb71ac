import type { Readable } from 'node:stream';
import { assertNever } from '@inferq/core';
import { authorize } from '../auth';
import type { AuthDeps, AuthMode } from '../auth';
import { NoParams } from './context';
import type { HandlerContext, RouteResult, RouteSchemas } from './context';
import { parsePart } from '../validation';
import type { Step } from './steps';

/** What the pipeline needs of the server around it: no framework, only these. */
export interface PipelineRequest {
  /** Path parameters, as the route matcher found them. */
  params: Record<string, string>;
  query: unknown;
  headers: HandlerContext['headers'];
  /** Reads and parses the JSON body (the adapter's reader knows the size limit and media types). */
  readBody(): Promise<unknown>;
  /** The body, unread, for routes that read it themselves (multipart uploads): never read on JSON routes. */
  stream?: Readable;
  /** Response headers decided on the way (RateLimit-*), sent with the answer, an error answer included. */
  setHeaders(headers: Record<string, string>): void;
  /** Told the principal once known, for the access log. */
  noteTenant?(tenant: string): void;
  /** Aborted when the client goes away; read only by handlers that need it, so an adapter may make it on first read. */
  readonly signal: AbortSignal;
}

export interface PipelineDeps {
  auth: AuthDeps;
  /** Counts a tenant's request: returns its RateLimit-* headers, or throws 429. */
  limitRequest?: (tenant: string) => Promise<Record<string, string>>;
}

/** What the steps have found so far; round trips under way are kept as promises until a step joins them. */
interface State {
  tenant: string;
  limited?: Promise<Record<string, string>>;
  admitted?: Promise<void>;
  body?: Promise<unknown>;
  input?: { params: unknown; query: unknown; body: unknown };
  result?: RouteResult;
}

function headerOf(headers: PipelineRequest['headers'], name: string): string | undefined {
  const v = headers[name];
  return typeof v === 'string' ? v : undefined;
}

/** A promise left running for a later step: marked handled now, so failing before its join is no unhandled rejection. */
function started<T>(p: Promise<T>): Promise<T> {
  p.catch(ignore);
  return p;
}

// Shared: a fresh arrow per started round trip was three closures of garbage per request.
const ignore = (): undefined => undefined;

/**
 * One step. Steps that only start a round trip run synchronously; the others
 * return their promise. The pipeline awaits only those: an async function per
 * step cost a promise and a microtask turn each, six per request.
 */
function runStep(step: Step, s: State, req: PipelineRequest, deps: PipelineDeps): Promise<void> | undefined {
  switch (step.kind) {
    case 'auth':
      return authStep(step.mode, s, req, deps);
    case 'rate-limit':
      if (deps.limitRequest) s.limited = started(deps.limitRequest(s.tenant));
      return undefined;
    case 'admission':
      s.admitted = started(step.check(s.tenant));
      return undefined;
    case 'read-body':
      s.body = started(req.readBody());
      return undefined;
    case 'validate':
      return validateStep(step.schemas, s, req);
    case 'handle':
      return handleStep(step, s, req);
    default:
      return assertNever(step);
  }
}

async function authStep(mode: AuthMode, s: State, req: PipelineRequest, deps: PipelineDeps): Promise<void> {
  s.tenant = await authorize(mode, headerOf(req.headers, 'authorization'), deps.auth);
  req.noteTenant?.(s.tenant);
}

/**
 * A route without params or query (NoParams) gets `{}` whatever was sent, as
 * NoParams.parse would answer; the part is read only otherwise (req.query is
 * Express's lazy getter: URL and query string parsing).
 */
function parseOrEmpty(schema: RouteSchemas['params'], req: PipelineRequest, source: 'params' | 'query'): unknown {
  return schema === NoParams ? {} : parsePart(schema, req[source] ?? {}, source);
}

async function validateStep(schemas: RouteSchemas, s: State, req: PipelineRequest): Promise<void> {
  if (s.limited) req.setHeaders(await s.limited);
  const body = await s.body;
  s.input = {
    params: parseOrEmpty(schemas.params, req, 'params'),
    query: parseOrEmpty(schemas.query, req, 'query'),
    body: schemas.body ? parsePart(schemas.body, body, 'body') : undefined,
  };
}

async function handleStep(step: Extract<Step, { kind: 'handle' }>, s: State, req: PipelineRequest): Promise<void> {
  const input = s.input ?? NO_INPUT;
  const stream = step.ownsBody ? req.stream : undefined;
  const ctx = new Context(s.tenant, input, req, s.admitted ?? Promise.resolve(), stream);
  s.result = await step.handler(ctx);
}

const NO_INPUT = Object.freeze({ params: Object.freeze({}), query: Object.freeze({}), body: undefined });

/**
 * What a handler gets. A class, not a literal: a literal spreading the input
 * and defining the `signal` getter was rebuilt property by property per request.
 */
class Context implements HandlerContext<unknown, unknown, unknown> {
  readonly params: unknown;
  readonly query: unknown;
  readonly body: unknown;
  readonly headers: PipelineRequest['headers'];

  constructor(
    readonly tenant: string,
    input: { params: unknown; query: unknown; body: unknown },
    private readonly req: PipelineRequest,
    readonly precheck: Promise<void>,
    readonly stream: Readable | undefined,
  ) {
    this.params = input.params;
    this.query = input.query;
    this.body = input.body;
    this.headers = req.headers;
  }

  /** A getter: the request's AbortSignal is made only for handlers that read it (see PipelineRequest). */
  get signal(): AbortSignal {
    return this.req.signal;
  }
}

/** Runs a route's steps in order and gives the handler's answer; a step that throws ends the request with its error. */
export async function runPipeline(
  steps: readonly Step[],
  req: PipelineRequest,
  deps: PipelineDeps,
): Promise<RouteResult> {
  const state: State = { tenant: '' };
  for (const step of steps) {
    const pending = runStep(step, state, req, deps);
    if (pending) await pending;
  }
  if (!state.result) throw new Error('a route without a handle step');
  return state.result;
}
