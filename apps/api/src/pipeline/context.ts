import type { Readable } from 'node:stream';
import { z } from 'zod';
import type { StreamResult } from '../stream-result';

/** What a handler gets and answers, and what a route validates with: the pipeline's vocabulary, free of any framework. */
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

export interface RouteSchemas {
  params: z.ZodType;
  query: z.ZodType;
  body?: z.ZodType;
}
