import { createHash, timingSafeEqual } from 'node:crypto';
import type { Registry } from 'prom-client';
import { errorBody } from '@inferq/core';

export interface MetricsAnswer {
  status: number;
  type: string;
  body: string;
  headers?: Record<string, string>;
}

/** Answers GET /metrics given the request's Authorization header. */
export type MetricsEndpoint = (authorization: string | undefined) => Promise<MetricsAnswer>;

const sha256 = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest();

/**
 * The registry as Prometheus text. With `token` (METRICS_TOKEN) set, only
 * `Authorization: Bearer <token>` gets it, compared in constant time.
 */
export function metricsEndpoint(registry: Registry, token: string | undefined): MetricsEndpoint {
  const expected = token ? sha256(token) : undefined;
  return async (authorization) => {
    if (expected) {
      const given = /^Bearer +(\S+) *$/i.exec(authorization ?? '')?.[1];
      if (!given || !timingSafeEqual(sha256(given), expected)) {
        return {
          status: 401,
          type: 'application/json',
          headers: { 'WWW-Authenticate': 'Bearer realm="metrics"' },
          body: JSON.stringify(errorBody('unauthorized', 'missing or invalid metrics token (METRICS_TOKEN)')),
        };
      }
    }
    return { status: 200, type: registry.contentType, body: await registry.metrics() };
  };
}

/** What /metrics answers before the process can collect (e.g. still waiting for Redis at start). */
export function unavailableAnswer(reason: string): MetricsAnswer {
  return { status: 503, type: 'application/json', body: JSON.stringify(errorBody('unavailable', reason)) };
}
