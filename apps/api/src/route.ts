import type { Readable } from 'node:stream';
import { z } from 'zod';
import type { ErrorStyle } from '@inferq/core';
import type { AuthMode } from './auth';
import type { RouteDoc } from './openapi/route-doc';
import type { StreamResult } from './stream-result';
import { parsePart } from './validation';

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
  /** The route's precheck, started as soon as the tenant was known (resolved when it has none). */
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

/** What an adapter hands over: raw, unvalidated parts of the request. */
export interface RawRequest {
  tenant: string;
  params: unknown;
  query: unknown;
  body: unknown;
  headers: HandlerContext['headers'];
  signal: AbortSignal;
  precheck?: Promise<void>;
  stream?: Readable;
}

export interface Route {
  method: Method;
  path: string;
  auth: AuthMode;
  /** Whether the route reads a JSON body (the adapter parses one only then). */
  acceptsBody: boolean;
  /** The schemas the route validates with, for the OpenAPI document. */
  schemas: RouteSchemas;
  doc?: RouteDoc;
  /** See RouteSpec.errorStyle. */
  errorStyle?: ErrorStyle;
  /** See RouteSpec.precheck. */
  precheck?: (tenant: string) => Promise<void>;
  invoke(raw: RawRequest): Promise<RouteResult>;
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
   * A check of the tenant alone (no body needed) that the adapter starts
   * beside the rate limit and the body's reading, so its round trip overlaps
   * theirs; the handler awaits `ctx.precheck` where the answer matters.
   */
  precheck?: (tenant: string) => Promise<void>;
  handler: (ctx: HandlerContext<z.output<P>, z.output<Q>, BodyOf<B>>) => Promise<RouteResult>;
}

/** The one builder: validates params, query and body, then calls the handler. */
export function defineRoute<
  P extends z.ZodType = typeof NoParams,
  Q extends z.ZodType = typeof NoParams,
  B extends z.ZodType | undefined = undefined,
>(spec: RouteSpec<P, Q, B>): Route {
  const paramsSchema = spec.params ?? NoParams;
  const querySchema = spec.query ?? NoParams;
  return {
    method: spec.method,
    path: spec.path,
    auth: spec.auth,
    acceptsBody: spec.body !== undefined,
    schemas: { params: paramsSchema, query: querySchema, body: spec.body },
    doc: spec.doc,
    errorStyle: spec.errorStyle,
    precheck: spec.precheck,
    async invoke(raw) {
      const params = parsePart(paramsSchema, raw.params, 'params') as z.output<P>;
      const query = parsePart(querySchema, raw.query ?? {}, 'query') as z.output<Q>;
      const body = (spec.body ? parsePart(spec.body, raw.body, 'body') : undefined) as BodyOf<B>;
      const precheck = raw.precheck ?? Promise.resolve();
      return spec.handler({
        tenant: raw.tenant,
        params,
        query,
        body,
        headers: raw.headers,
        signal: raw.signal,
        precheck,
        stream: spec.body ? undefined : raw.stream,
      });
    },
  };
}
