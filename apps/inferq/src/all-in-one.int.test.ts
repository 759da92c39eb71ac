import { dropPrefix, testPrefix, testRedisUrl } from '@inferq/testkit';
import { startAll } from './index';
import type { AllInOne } from './index';

const prefix = testPrefix('all');
const KEY = 'all-in-one-test-key-0001';
let all: AllInOne;

beforeAll(async () => {
  all = await startAll({
    REDIS_URL: testRedisUrl(),
    QUEUE_PREFIX: prefix,
    HOST: '127.0.0.1',
    PORT: '0',
    METRICS_PORT: '0',
    DASHBOARD_PORT: '0',
    API_KEYS: `acme:${KEY}`,
    LOG_LEVEL: 'silent',
    SIM_TTFT_MS: '50',
    SIM_TOKEN_MS: '5',
  });
});
afterAll(async () => {
  await all.close();
  await dropPrefix(prefix);
});

const auth = { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' };

it('submits over HTTP, runs on the worker and answers the long-poll with the result', async () => {
  const submit = await fetch(`${all.apiUrl}/v1/jobs`, {
    method: 'POST',
    headers: auth,
    body: JSON.stringify({ model: 'sim/echo', input: { prompt: 'Hello from inferq' }, metadata: { order: 'A-17' } }),
  });
  expect(submit.status).toBe(202);
  const accepted = (await submit.json()) as { id: string; status: string; links: { self: string } };
  expect(accepted.status).toBe('queued');

  const res = await fetch(`${all.apiUrl}${accepted.links.self}?wait=10`, { headers: auth });
  const rec = (await res.json()) as Record<string, unknown>;
  expect(rec).toMatchObject({
    id: accepted.id,
    status: 'succeeded',
    output: { text: 'Hello from inferq', finish_reason: 'stop' },
    usage: { input_tokens: 3, output_tokens: 3 },
    metadata: { order: 'A-17' },
    attempts: 1,
  });
});

it('answers /metrics on the api and the worker, and serves the dashboard behind the admin token', async () => {
  for (const url of [
    `${all.apiUrl}/metrics`,
    `http://127.0.0.1:${all.metricsPort}/metrics`,
    `${all.dashboardUrl}/metrics`,
  ]) {
    const res = await fetch(url);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('inferq_queue_jobs');
  }
  expect((await fetch(`${all.dashboardUrl}/admin/queues`)).status).toBe(401);
});
