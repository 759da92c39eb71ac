import type { Readable } from 'node:stream';
import { assertNever } from '@inferq/core';
import { authorize } from '../auth';
import type { AuthDeps } from '../auth';
import type { HandlerContext, RouteResult } from './context';
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
  /** Aborted when the client goes away. */
  signal: AbortSignal;
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
  p.catch(() => undefined);
  return p;
}

async function runStep(step: Step, s: State, req: PipelineRequest, deps: PipelineDeps): Promise<void> {
  switch (step.kind) {
    case 'auth':
      s.tenant = await authorize(step.mode, headerOf(req.headers, 'authorization'), deps.auth);
      req.noteTenant?.(s.tenant);
      return;
    case 'rate-limit':
      if (deps.limitRequest) s.limited = started(deps.limitRequest(s.tenant));
      return;
    case 'admission':
      s.admitted = started(step.check(s.tenant));
      return;
    case 'read-body':
      s.body = started(req.readBody());
      return;
    case 'validate': {
      if (s.limited) req.setHeaders(await s.limited);
      const body = await s.body;
      s.input = {
        params: parsePart(step.schemas.params, req.params, 'params'),
        query: parsePart(step.schemas.query, req.query ?? {}, 'query'),
        body: step.schemas.body ? parsePart(step.schemas.body, body, 'body') : undefined,
      };
      return;
    }
    case 'handle': {
      const input = s.input ?? { params: {}, query: {}, body: undefined };
      s.result = await step.handler({
        ...input,
        tenant: s.tenant,
        headers: req.headers,
        signal: req.signal,
        precheck: s.admitted ?? Promise.resolve(),
        stream: step.ownsBody ? req.stream : undefined,
      });
      return;
    }
    default:
      return assertNever(step);
  }
}

/** Runs a route's steps in order and gives the handler's answer; a step that throws ends the request with its error. */
export async function runPipeline(
  steps: readonly Step[],
  req: PipelineRequest,
  deps: PipelineDeps,
): Promise<RouteResult> {
  const state: State = { tenant: '' };
  for (const step of steps) await runStep(step, state, req, deps);
  if (!state.result) throw new Error('a route without a handle step');
  return state.result;
}
