import { startFakeOpenAI } from '@inferq/testkit';
import type { FakeProvider, RecordedRequest } from '@inferq/testkit';
import { auditJobs, wrongOutputs } from './support/audit';
import { promptFor, sleep } from './support/client';
import { ChaosCluster } from './support/cluster';
import { reportFigures } from './support/figures';
import { submitLoad } from './support/load';

// Scenario 5: the provider answers 429 with Retry-After, then 5xx, for a while.
const JOBS = 60;
const MAX_ATTEMPTS = 8;
const RETRY_AFTER_S = 2;
const c = new ChaosCluster('provider-storm');
let fake: FakeProvider;

beforeAll(async () => {
  fake = await startFakeOpenAI({ default: { kind: 'status', status: 429, retryAfter: String(RETRY_AFTER_S) } });
});
afterAll(async () => {
  await c.close();
  await fake.close();
});

/** The prompt a request carried: which job it belongs to. */
function jobOf(r: RecordedRequest): string {
  const messages = Array.isArray(r.body.messages) ? (r.body.messages as Array<{ content?: unknown }>) : [];
  const content = messages[messages.length - 1]?.content;
  return typeof content === 'string' ? content : '';
}

it('jobs back off through a 429 and 5xx storm, never sooner than Retry-After, within max_attempts, and succeed', async () => {
  // A job waiting out a retry delay keeps its slot in the fair scheduler: slots for all 60, so every job meets the storm.
  const worker = {
    WORKER_CONCURRENCY: '30',
    WORKER_RETRY_BASE_MS: '200',
    OPENAI_BASE_URL: fake.url,
    OPENAI_API_KEY: 'sk-fake',
  };
  const api = await c.startApi();
  await Promise.all([c.startWorker(worker), c.startWorker(worker)]);

  const load = await submitLoad(
    () => api.url,
    c.apiKey,
    JOBS,
    8,
    (i) => ({
      model: 'openai/gpt-4o-mini',
      input: { prompt: promptFor('ps', i) },
      max_attempts: MAX_ATTEMPTS,
    }),
  );
  await sleep(3000);
  const end429 = Date.now();
  fake.setDefault({ kind: 'status', status: 503 });
  await sleep(2000);
  const stormEnd = Date.now();
  fake.setDefault({ kind: 'echo' });

  const ids = [...load.acknowledged.keys()];
  const audit = await auditJobs(c, ids, 60_000);
  const wrong = wrongOutputs(audit, load.acknowledged);

  // Per job, the gap after each request answered 429 (well inside the 429 window) to its next request.
  const byJob = new Map<string, number[]>();
  for (const r of fake.requests) byJob.set(jobOf(r), [...(byJob.get(jobOf(r)) ?? []), r.time]);
  const gapsAfter429: number[] = [];
  for (const times of byJob.values()) {
    times.sort((a, b) => a - b);
    for (let i = 0; i + 1 < times.length; i++) if (times[i] < end429 - 100) gapsAfter429.push(times[i + 1] - times[i]);
  }
  const maxRequests = Math.max(...[...byJob.values()].map((t) => t.length));
  const completed = [...audit.jobs.values()].map((a) => Date.parse(a.record?.completed_at ?? ''));
  reportFigures('provider-storm', {
    submitted: load.submitted,
    acknowledged: ids.length,
    terminal: audit.terminal,
    lost: audit.lost.length,
    duplicated: audit.duplicated.length,
    maxRecoveryS: (Math.max(...completed) - stormEnd) / 1000,
    extra: {
      provider_requests: fake.requests.length,
      storm_requests: fake.requests.filter((r) => r.time < stormEnd).length,
      max_attempts_used: Math.max(...[...audit.jobs.values()].map((a) => a.record?.attempts ?? 0)),
      max_requests_per_job: maxRequests,
      min_gap_after_429_ms: Math.min(...gapsAfter429),
      wrong_output: wrong.length,
    },
  });

  expect(ids.length).toBe(JOBS);
  expect(audit.lost).toEqual([]);
  expect(audit.duplicated).toEqual([]);
  expect(wrong).toEqual([]);
  for (const a of audit.jobs.values()) {
    expect(a).toMatchObject({ terminalTransitions: 1, doneEntries: 1 });
    expect(a.record?.attempts).toBeGreaterThanOrEqual(2); // every job met the storm
    expect(a.record?.attempts).toBeLessThanOrEqual(MAX_ATTEMPTS);
  }
  expect(maxRequests).toBeLessThanOrEqual(MAX_ATTEMPTS);
  expect(gapsAfter429.length).toBeGreaterThan(0);
  // Arrival to arrival: the worker waited at least Retry-After after the 429 it read (later than this arrival).
  expect(Math.min(...gapsAfter429)).toBeGreaterThanOrEqual(RETRY_AFTER_S * 1000);
}, 180_000);
