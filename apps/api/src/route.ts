import type { Readable } from 'node:stream';
import { z } from 'zod';
import type { ErrorStyle } from '@inferq/core';
import type { AuthMode } from './auth';
import type { RouteDoc } from './openapi/route-doc';
import type { StreamResult } from './stream-result';
import { stepsOf } from './pipeline/steps';
import type { Step, ValidatedHandler } from './pipeline/steps';

/**
 * The framework-free core of the API: a route declares its method, path
 * (OpenAPI style, `/v1/jobs/{id}`), auth and zod schemas; its handler gets
 * validated input and answers `{ status, body, headers? }`. Server adapters
 * (src/http) only translate.
 */
export type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

export const NoParams = z.object({});
export type NoInput = z.output<typeof NoParams>;

export interface HandlerContext<P = NoInput, Q = NoInput, B = undefined> {
  /** The authenticated tenant; `admin` on admin routes, '' on open ones. */
  tenant: string;
  params: P;
  query: Q;
  body: B;
  headers: Readonly<Record<string, string | string[] | undefined>>;
  /** Aborted when the client goes away (long-polls stop waiting). */
  signal: AbortSignal;
  /** The route's admission check, started as soon as the tenant was known (resolved when it has none). */
  precheck: Promise<void>;
  /** The unread request body, for routes that read it themselves (multipart uploads); undefined on JSON routes. */
  stream: Readable | undefined;
}

export interface HandlerResult {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** A JSON answer, or a stream (SSE) the adapter relays as the handler writes it. */
export type RouteResult = HandlerResult | StreamResult;

export interface Route {
  method: Method;
  path: string;
  auth: AuthMode;
  /** Whether the route reads a JSON body. */
  acceptsBody: boolean;
  /** The schemas the route validates with, for the OpenAPI document. */
  schemas: RouteSchemas;
  doc?: RouteDoc;
  /** See RouteSpec.errorStyle. */
  errorStyle?: ErrorStyle;
  /** What a request goes through, in order (see pipeline/steps.ts), derived from the declaration. */
  steps: readonly Step[];
}

export interface RouteSchemas {
  params: z.ZodType;
  query: z.ZodType;
  body?: z.ZodType;
}

type BodyOf<B> = B extends z.ZodType ? z.output<B> : undefined;

export interface RouteSpec<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType | undefined> {
  method: Method;
  path: string;
  auth: AuthMode;
  params?: P;
  query?: Q;
  body?: B;
  /** Summary, responses and examples for /openapi.json (optional). */
  doc?: RouteDoc;
  /**
   * The shape of every error the route answers, those raised before its
   * handler (auth, rate limit, body parsing) included: inferq's by default,
   * OpenAI's on the OpenAI-compatible routes (SPEC section 10).
   */
  errorStyle?: ErrorStyle;
  /**
   * A check of the tenant alone (no body needed): the route's admission step,
   * started beside the rate limit and the body's reading so its round trip
   * overlaps theirs; the handler awaits `ctx.precheck` where the answer matters.
   */
  precheck?: (tenant: string) => Promise<void>;
  handler: (ctx: HandlerContext<z.output<P>, z.output<Q>, BodyOf<B>>) => Promise<RouteResult>;
}

/**
 * The one builder: the route's steps (auth, rate limit, admission, body,
 * validation, handler) come from its fields, and the framework-free pipeline
 * (pipeline/run-pipeline.ts) runs them.
 */
export function defineRoute<
  P extends z.ZodType = typeof NoParams,
  Q extends z.ZodType = typeof NoParams,
  B extends z.ZodType | undefined = undefined,
>(spec: RouteSpec<P, Q, B>): Route {
  const schemas: RouteSchemas = { params: spec.params ?? NoParams, query: spec.query ?? NoParams, body: spec.body };
  // The validate step parsed params, query and body with these very schemas, so the handler gets their outputs.
  const handler = spec.handler as ValidatedHandler;
  return {
    method: spec.method,
    path: spec.path,
    auth: spec.auth,
    acceptsBody: spec.body !== undefined,
    schemas,
    doc: spec.doc,
    errorStyle: spec.errorStyle,
    steps: stepsOf({ auth: spec.auth, schemas, precheck: spec.precheck, handler }),
  };
}
