import { Redis } from 'ioredis';
import { JobRequest, newJobId, redisKeys } from '@inferq/core';
import type { Delivery } from '@inferq/core';
import { JobStore } from '../job-store';
import { dropPrefix, testPrefix, testRedisUrl } from '@inferq/testkit';
import { MAX_DELIVERIES_KEPT, WebhookDeliveries } from './deliveries';

const prefix = testPrefix('deliveries');
const redis = new Redis(testRedisUrl());
const store = new JobStore(redis, { prefix, retentionMs: 60_000 });
const deliveries = new WebhookDeliveries(redis, prefix);
const request = JobRequest.parse({
  model: 'sim/echo',
  input: { prompt: 'x' },
  webhook: { url: 'https://example.com/h' },
});

async function newJob(): Promise<string> {
  const id = newJobId('default');
  await store.create({ id, tenant: 't', pool: 'default', createdAt: Date.now(), request });
  return id;
}
const attempt = (n: number, ok = false): Delivery => ({
  attempt: n,
  at: new Date().toISOString(),
  status_code: ok ? 200 : 500,
  ok,
  duration_ms: 12.5,
  event: 'succeeded',
  ...(ok ? {} : { error: 'HTTP 500' }),
});

afterAll(async () => {
  await dropPrefix(prefix);
  redis.disconnect();
});

describe('WebhookDeliveries', () => {
  it('appends attempts to the record in order', async () => {
    const id = await newJob();
    expect(await deliveries.append(id, attempt(1))).toBe(true);
    expect(await deliveries.append(id, attempt(2, true))).toBe(true);
    const rec = (await store.get(id))!.record;
    expect(rec.webhook).toMatchObject({ url: 'https://example.com/h', events: ['succeeded', 'failed', 'canceled'] });
    expect(rec.webhook!.deliveries).toEqual(
      [attempt(1), attempt(2, true)].map((d, i) => ({ ...d, at: rec.webhook!.deliveries[i].at })),
    );
  });

  it('does not resurrect a record that expired', async () => {
    const id = newJobId('default');
    expect(await deliveries.append(id, attempt(1))).toBe(false);
    expect(await redis.exists(redisKeys(prefix).job(id))).toBe(0);
  });

  it('keeps the newest attempts only', async () => {
    const id = await newJob();
    for (let i = 1; i <= MAX_DELIVERIES_KEPT + 3; i++) await deliveries.append(id, attempt(i));
    const list = (await store.get(id))!.record.webhook!.deliveries;
    expect(list).toHaveLength(MAX_DELIVERIES_KEPT);
    expect(list[0].attempt).toBe(4);
  });
});
