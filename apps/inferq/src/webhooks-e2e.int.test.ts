import type { JobRecord } from '@inferq/core';
import { dropPrefix, startWebhookReceiver, testPrefix, testRedisUrl, waitFor } from '@inferq/testkit';
import type { WebhookReceiver } from '@inferq/testkit';
import { verifyWebhook } from '@inferq/webhooks';
import { startAll } from './index';
import type { AllInOne } from './index';

// What the README promises a user of `npm start`: a local receiver, allowed
// through WEBHOOK_ALLOW_HOSTS, gets signed deliveries; every attempt is on the job.
const prefix = testPrefix('all-webhooks');
const KEY = 'all-in-one-webhook-key-0001';
const auth = { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' };
let all: AllInOne;
let receiver: WebhookReceiver;

beforeAll(async () => {
  receiver = await startWebhookReceiver();
  all = await startAll({
    REDIS_URL: testRedisUrl(),
    QUEUE_PREFIX: prefix,
    HOST: '127.0.0.1',
    PORT: '0',
    METRICS_PORT: '0',
    DASHBOARD_PORT: '0',
    API_KEYS: `acme:${KEY}`,
    LOG_LEVEL: 'silent',
    SIM_TTFT_MS: '0',
    SIM_TOKEN_MS: '0',
    WEBHOOK_ALLOW_HOSTS: '127.0.0.1',
    WEBHOOK_RETRY_SCHEDULE: '200ms',
  });
});
afterAll(async () => {
  await all.close();
  await receiver.close();
  await dropPrefix(prefix);
});

it('delivers a signed job.succeeded to a local receiver and shows every attempt on the job', async () => {
  receiver.script({ status: 503 }); // the first attempt fails, the retry succeeds
  const submit = await fetch(`${all.apiUrl}/v1/jobs`, {
    method: 'POST',
    headers: auth,
    body: JSON.stringify({
      model: 'sim/echo',
      input: { prompt: 'hook me' },
      webhook: { url: `${receiver.url}/inferq` },
    }),
  });
  expect(submit.status).toBe(202);
  const { id } = (await submit.json()) as { id: string };
  const [, delivered] = await receiver.waitFor(2);
  const { secret } = (await (await fetch(`${all.apiUrl}/v1/webhooks/secret`, { headers: auth })).json()) as {
    secret: string;
  };
  expect(verifyWebhook(secret, delivered.body, delivered.headers)).toMatchObject({
    type: 'job.succeeded',
    data: { id, output: { text: 'hook me' } },
  });

  const rec = await waitFor(async () => {
    const r = (await (await fetch(`${all.apiUrl}/v1/jobs/${id}`, { headers: auth })).json()) as JobRecord;
    return r.webhook && r.webhook.deliveries.length >= 2 ? r : undefined;
  });
  expect(rec.webhook!.deliveries.map((d) => [d.attempt, d.status_code, d.ok])).toEqual([
    [1, 503, false],
    [2, 200, true],
  ]);
  expect((await fetch(`http://127.0.0.1:${all.dispatcherMetricsPort}/readyz`)).status).toBe(200);
});
