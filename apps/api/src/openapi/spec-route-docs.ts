import {
  ApiKeyCreated,
  ApiKeyList,
  HealthStatus,
  JobAccepted,
  JobList,
  JobRecord,
  ModelList,
  PoolBacklogList,
  ReadyStatus,
  UsageReport,
  WebhookSecret,
} from '@inferq/core';
import {
  canceledRecordExample,
  jobAcceptedExample,
  jobListExample,
  jobRecordExample,
  jobRequestExample,
  poolBacklogExample,
  sseExample,
  tryItRequestExample,
} from './examples';
import type { RouteDoc } from './route-doc';

/**
 * Docs of the SPEC section 4 routes, keyed by `METHOD path`. A route that
 * declares its own `doc` wins; a route listed nowhere still appears with its
 * schemas. Keyed (rather than written into routes.ts) so routes added later
 * pick their docs up without touching the table.
 */
export const SPEC_ROUTE_DOCS: Readonly<Record<string, RouteDoc>> = {
  'POST /v1/jobs': {
    summary: 'Submit an inference job',
    description:
      'Validates the request, resolves the model to its pool and enqueues the job. A 202 means the job is in ' +
      'Redis and will reach a terminal status. Only `model` and `input` are required. The same ' +
      '`Idempotency-Key` and body within 24 h returns the same job (200, `Idempotent-Replayed: true`).',
    requestExamples: { try_it: tryItRequestExample, spec: jobRequestExample },
    requestHeaders: { 'Idempotency-Key': 'Makes retries safe: scoped to the tenant, kept 24 h.' },
    responses: {
      202: { description: 'Accepted: the job is queued.', schema: JobAccepted, example: jobAcceptedExample },
      200: {
        description: 'Replayed: an earlier submission with the same Idempotency-Key and body.',
        schema: JobAccepted,
        headers: { 'Idempotent-Replayed': '`true`' },
      },
    },
    errors: ['idempotency_mismatch', 'queue_full', 'budget_exceeded'],
  },
  'GET /v1/jobs': {
    summary: 'List your jobs, newest first',
    responses: { 200: { description: 'One page of job records.', schema: JobList, example: jobListExample } },
  },
  'GET /v1/jobs/{id}': {
    summary: 'Read a job (optionally long-poll)',
    description:
      'With `?wait=N` (0 < N <= 60) the answer comes as soon as the job is terminal, or after N s with the ' +
      "current record. While queued the record has `queue: { position, ahead, eta_s }` (its place in the pool's " +
      "fair order, an estimate, and the seconds until it should start). Another tenant's job is 404.",
    responses: { 200: { description: 'The job record.', schema: JobRecord, example: jobRecordExample } },
  },
  'GET /v1/jobs/{id}/events': {
    summary: 'Stream a job: status, tokens and the final record (SSE)',
    description:
      'Server-Sent Events `status` (`{"status"}`), `token` (`{"text"}`, one or more tokens) and `done` (the ' +
      'whole job record, schema JobRecord), each with an `id:`. The server closes the stream after `done`. ' +
      'Reconnect with `Last-Event-ID` to resume after that event; connecting after the end replays the events.',
    requestHeaders: { 'Last-Event-ID': 'Resume after this event id.' },
    responses: {
      200: { description: 'An event stream.', contentType: 'text/event-stream', example: sseExample },
      204: { description: 'Resumed after `done`: nothing more will come.' },
    },
  },
  'POST /v1/jobs/{id}/cancel': {
    summary: 'Cancel a job',
    description: "A running job's backend call is aborted. 409 `conflict` once the job is terminal.",
    responses: { 200: { description: 'The canceled record.', schema: JobRecord, example: canceledRecordExample } },
    errors: ['conflict'],
  },
  'GET /v1/webhooks/secret': {
    summary: "Your tenant's webhook signing secret",
    description:
      'Deliveries are signed with the Standard Webhooks scheme (`webhook-id`, `webhook-timestamp`, `webhook-signature`).',
    responses: {
      200: {
        description: 'The secret.',
        schema: WebhookSecret,
        example: { secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' },
      },
    },
  },
  'GET /v1/models': {
    summary: 'Models this deployment serves',
    responses: {
      200: {
        description: "Models with their pool and backend, in OpenAI's list shape.",
        schema: ModelList,
        example: {
          object: 'list',
          data: [
            { id: 'sim/echo', object: 'model', created: 1735732800, owned_by: 'sim', backend: 'sim', pool: 'default' },
          ],
        },
      },
    },
  },
  'GET /v1/usage': {
    summary: 'Token usage per day and model',
    responses: {
      200: {
        description: 'One row per day and model, this tenant only.',
        schema: UsageReport,
        example: { data: [{ date: '2025-01-01', model: 'sim/echo', jobs: 3, input_tokens: 36, output_tokens: 144 }] },
      },
    },
  },
  'POST /v1/admin/keys': {
    summary: 'Create an API key (admin)',
    requestExamples: { acme: { tenant: 'acme' } },
    responses: {
      201: {
        description: 'The key, shown this once (stored hashed).',
        schema: ApiKeyCreated,
        example: {
          id: 'key_01JABC',
          tenant: 'acme',
          key: 'iq_live_0123456789abcdef',
          created_at: '2025-01-01T12:00:00.000Z',
        },
      },
    },
  },
  'GET /v1/admin/keys': {
    summary: 'List API keys without the keys (admin)',
    responses: { 200: { description: 'The keys.', schema: ApiKeyList } },
  },
  'DELETE /v1/admin/keys/{id}': {
    summary: 'Revoke an API key (admin)',
    responses: { 204: { description: 'Revoked.' } },
  },
  'GET /v1/admin/pools': {
    summary: "Each pool's fair-scheduler backlog per tenant (admin)",
    description:
      "For every pool of the catalog: the live workers' slots (`capacity`), jobs handed to BullMQ and not " +
      "finished (`in_flight`), and the jobs still waiting in the tenants' backlogs (SPEC section 9), by " +
      'priority and per tenant in order of service (least `virtual_time`, tokens charged / weight, first). ' +
      'Bull Board shows only jobs already handed to BullMQ. Ages are in seconds; `oldest_queued_s` is null ' +
      'when nothing is queued.',
    responses: {
      200: { description: 'One entry per pool.', schema: PoolBacklogList, example: poolBacklogExample },
    },
  },
  'GET /healthz': {
    summary: 'Liveness',
    responses: { 200: { description: 'The process lives.', schema: HealthStatus, example: { status: 'ok' } } },
  },
  'GET /readyz': {
    summary: 'Readiness: Redis answers',
    responses: { 200: { description: 'Ready.', schema: ReadyStatus, example: { status: 'ready' } } },
    errors: ['unavailable'],
  },
  'GET /metrics': {
    summary: 'Prometheus metrics',
    description: 'Open unless METRICS_TOKEN is set; then `Authorization: Bearer <METRICS_TOKEN>`.',
    responses: { 200: { description: 'Prometheus text format.', contentType: 'text/plain' } },
  },
  'GET /openapi.json': {
    summary: 'This document',
    responses: { 200: { description: 'OpenAPI 3.1, generated from the route table and its zod schemas.' } },
  },
  'GET /docs': {
    summary: 'Swagger UI over /openapi.json',
    responses: { 200: { description: 'The interactive documentation.', contentType: 'text/html' } },
  },
};
