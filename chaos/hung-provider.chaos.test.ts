import { startFakeOpenAI } from '@inferq/testkit';
import type { FakeProvider } from '@inferq/testkit';
import { auditJobs } from './support/audit';
import { promptFor } from './support/client';
import { ChaosCluster } from './support/cluster';
import { reportFigures } from './support/figures';
import { submitLoad } from './support/load';

// Scenario 6: provider calls that never answer. A worker with 4 slots gets 8
// of them, then 8 jobs that only finish if timeout_s frees the slots.
const SLOTS = 4;
const TIMEOUT_S = 2;
const c = new ChaosCluster('hung-provider');
let fake: FakeProvider;

beforeAll(async () => {
  fake = await startFakeOpenAI({ default: { kind: 'hang' } });
});
afterAll(async () => {
  await c.close();
  await fake.close();
});

it('timeout_s ends hung calls, aborts them upstream, fails them as configured and frees the slots', async () => {
  const api = await c.startApi();
  await c.startWorker({
    WORKER_CONCURRENCY: String(SLOTS),
    OPENAI_BASE_URL: fake.url,
    OPENAI_API_KEY: 'sk-fake',
    SIM_TTFT_MS: '10',
    SIM_TOKEN_MS: '0',
  });

  const hung = await submitLoad(
    () => api.url,
    c.apiKey,
    SLOTS * 2,
    4,
    (i) => ({
      model: 'openai/gpt-4o-mini',
      input: { prompt: promptFor('hang', i) },
      timeout_s: TIMEOUT_S,
      max_attempts: 3, // timeout is not retryable: one attempt each all the same
    }),
  );
  const after = await submitLoad(
    () => api.url,
    c.apiKey,
    SLOTS * 2,
    4,
    (i) => ({
      model: 'sim/echo',
      input: { prompt: promptFor('after-hang', i) },
    }),
  );

  const hungIds = [...hung.acknowledged.keys()];
  const afterIds = [...after.acknowledged.keys()];
  const audit = await auditJobs(c, [...hungIds, ...afterIds], 60_000);
  const records = (ids: string[]) => ids.map((id) => audit.jobs.get(id)?.record);
  // How long past its timeout each hung job held its slot.
  const overrunS = records(hungIds).map(
    (r) => (Date.parse(r?.completed_at ?? '') - Date.parse(r?.started_at ?? '')) / 1000 - TIMEOUT_S,
  );
  reportFigures('hung-provider', {
    submitted: hung.submitted + after.submitted,
    acknowledged: hungIds.length + afterIds.length,
    terminal: audit.terminal,
    lost: audit.lost.length,
    duplicated: audit.duplicated.length,
    maxRecoveryS: Math.max(...overrunS),
    extra: {
      timed_out: records(hungIds).filter((r) => r?.error?.code === 'timeout').length,
      aborted_upstream: fake.requests.filter((r) => r.aborted).length,
      provider_requests: fake.requests.length,
      succeeded_after: records(afterIds).filter((r) => r?.status === 'succeeded').length,
    },
  });

  expect(audit.lost).toEqual([]);
  expect(audit.duplicated).toEqual([]);
  for (const r of records(hungIds)) {
    expect(r).toMatchObject({ status: 'failed', attempts: 1, error: { code: 'timeout', retryable: false } });
  }
  expect(Math.min(...overrunS)).toBeGreaterThanOrEqual(-0.05);
  expect(Math.max(...overrunS)).toBeLessThan(5); // generous: shared 2-core machines
  expect(fake.requests).toHaveLength(hungIds.length);
  expect(fake.requests.every((r) => r.aborted)).toBe(true);
  for (const r of records(afterIds)) expect(r?.status).toBe('succeeded');
}, 120_000);
