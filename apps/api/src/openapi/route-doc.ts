import type { z } from 'zod';
import type { ErrorCode } from '@inferq/core';

/**
 * What a route may say about itself for the OpenAPI document, beyond what its
 * zod schemas already say. Everything is optional: a route without a doc still
 * appears with its parameters, body schema and the errors its auth and schemas
 * imply.
 */
export interface ResponseDoc {
  description: string;
  /** The body's schema; omitted for bodies that are not JSON (SSE, HTML, Prometheus text). */
  schema?: z.ZodType;
  /** Defaults to application/json. */
  contentType?: string;
  example?: unknown;
  /** Response headers: name -> description. */
  headers?: Record<string, string>;
  /** The same answer in other media types (a streamed form): content type -> example. */
  alternatives?: Record<string, { example?: unknown }>;
}

export interface RouteDoc {
  summary?: string;
  description?: string;
  /** Groups in Swagger UI; defaults to the path's first segment after /v1. */
  tags?: string[];
  /** Successful answers by status code. */
  responses?: Record<number, ResponseDoc>;
  /** API error codes this route answers beyond those its auth and schemas imply. */
  errors?: ErrorCode[];
  /** Example request bodies by name, the first one pre-filled in Swagger UI; the tests parse each with the body schema. */
  requestExamples?: Record<string, unknown>;
  /** Request headers the route reads: name -> description. */
  requestHeaders?: Record<string, string>;
  /** A body that is not JSON (a multipart upload): its media type and JSON Schema of its parts. */
  rawRequestBody?: { contentType: string; schema: Record<string, unknown> };
}
