import type { JobAccepted, JobList, JobRecord, JobRequestInput, PoolBacklogList } from '@inferq/core';

/**
 * The SPEC section 4 examples, typed by the core types and parsed by the core
 * schemas in the tests, so Swagger UI's "Try it out" starts from bodies that
 * really pass validation.
 */
export const JOB_ID = 'job_01JABCDEFGHJKMNPQRSTVWXYZ0';

/** Runs as is on `npm start` (sim backend, no webhook to resolve). */
export const tryItRequestExample: JobRequestInput = {
  model: 'sim/echo',
  input: { prompt: 'Hello from inferq' },
  params: { max_tokens: 64 },
  metadata: { order: 'A-17' },
};

/** The SPEC's example, every field. */
export const jobRequestExample: JobRequestInput = {
  model: 'openai/gpt-4o-mini',
  input: { messages: [{ role: 'user', content: 'Hello' }] },
  params: { temperature: 0.2, top_p: 1, max_tokens: 256, stop: ['\n\n'], seed: 7 },
  priority: 'normal',
  timeout_s: 600,
  max_attempts: 3,
  webhook: { url: 'https://client.example/hooks/inferq', events: ['succeeded', 'failed', 'canceled'] },
  metadata: { order: 'A-17' },
  cache: false,
};

export const jobAcceptedExample: JobAccepted = {
  id: JOB_ID,
  status: 'queued',
  model: 'sim/echo',
  created_at: '2025-01-01T12:00:00.000Z',
  links: { self: `/v1/jobs/${JOB_ID}`, events: `/v1/jobs/${JOB_ID}/events`, cancel: `/v1/jobs/${JOB_ID}/cancel` },
};

export const jobRecordExample: JobRecord = {
  id: JOB_ID,
  status: 'succeeded',
  model: 'sim/echo',
  created_at: '2025-01-01T12:00:00.000Z',
  started_at: '2025-01-01T12:00:00.003Z',
  completed_at: '2025-01-01T12:00:00.815Z',
  attempts: 1,
  output: { text: 'Hello', finish_reason: 'stop' },
  usage: { input_tokens: 12, output_tokens: 48 },
  error: null,
  timings: { queue_ms: 3, run_ms: 812, ttft_ms: 95 },
  metadata: { order: 'A-17' },
  webhook: {
    url: 'https://client.example/hooks/inferq',
    events: ['succeeded', 'failed', 'canceled'],
    deliveries: [{ attempt: 1, at: '2025-01-01T12:00:00.860Z', status_code: 200, ok: true, duration_ms: 41 }],
  },
};

export const canceledRecordExample: JobRecord = {
  ...jobRecordExample,
  status: 'canceled',
  completed_at: '2025-01-01T12:00:00.400Z',
  output: null,
  usage: null,
  timings: { queue_ms: 3, run_ms: null, ttft_ms: null },
  webhook: null,
};

export const jobListExample: JobList = { data: [jobRecordExample], next_cursor: null };

export const sseExample = [
  'id: 1735732800003-0',
  'event: status',
  'data: {"status":"running"}',
  '',
  'id: 1735732800098-0',
  'event: token',
  'data: {"text":"Hello"}',
  '',
  'id: 1735732800815-0',
  'event: done',
  `data: {"id":"${JOB_ID}","status":"succeeded","output":{"text":"Hello","finish_reason":"stop"},"...":"the whole job record"}`,
  '',
].join('\n');

/** A GPU pool with one tenant flooding it and another just arrived (GET /v1/admin/pools). */
export const poolBacklogExample: PoolBacklogList = {
  data: [
    {
      pool: 'gpu-a100',
      capacity: 16,
      in_flight: 16,
      queued: { high: 0, normal: 4210, low: 0 },
      oldest_queued_s: 312.5,
      tenants: [
        { tenant: 'globex', priority: 'normal', queued: 2, virtual_time: 18240, weight: 1, oldest_queued_s: 0.8 },
        { tenant: 'acme', priority: 'normal', queued: 4208, virtual_time: 18410.5, weight: 3, oldest_queued_s: 312.5 },
      ],
    },
  ],
};
