import type { z } from 'zod';
import type { ErrorStyle } from '@inferq/core';
import type { AuthMode } from './auth';
import type { RouteDoc } from './openapi/route-doc';
import { NoParams } from './pipeline/context';
import type { HandlerContext, RouteResult, RouteSchemas } from './pipeline/context';
import { stepsOf } from './pipeline/steps';
import type { Step, ValidatedHandler } from './pipeline/steps';

/**
 * The framework-free core of the API: a route declares its method, path
 * (OpenAPI style, `/v1/jobs/{id}`), auth and zod schemas; its handler gets
 * validated input and answers `{ status, body, headers? }`. Server adapters
 * (src/http) only translate.
 */
export type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

// The handler's vocabulary lives beside the pipeline that builds it; re-exported here, where routes are declared.
export { NoParams } from './pipeline/context';
export type { HandlerContext, HandlerResult, NoInput, RouteResult, RouteSchemas } from './pipeline/context';

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
