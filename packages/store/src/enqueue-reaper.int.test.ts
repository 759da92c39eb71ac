import { JobRequest, newJobId } from '@inferq/core';
import { dropPrefix, testPrefix, testRedisUrl } from '@inferq/testkit';
import { enqueueNewJob } from './enqueue';
import { EnqueueReaper, ENQUEUE_GRACE_MS } from './enqueue-reaper';
import { JobStore } from './job-store';
import { PoolQueues } from './pool-queues';
import { createRedis } from './redis';

// An api SIGKILLed between writing a record and adding its BullMQ job (found by
// `npm run chaos`, scenario api-kill) left the record queued forever.
const prefix = testPrefix('reaper');
const redis = createRedis(testRedisUrl(), 'blocking');
const store = new JobStore(redis, { prefix, retentionMs: 60_000 });
const queues = new PoolQueues(redis, prefix);
const reaper = new EnqueueReaper(redis, prefix);
const request = JobRequest.parse({ model: 'sim/echo', input: { prompt: 'hi' } });

afterAll(async () => {
  await queues.close();
  await dropPrefix(prefix);
  redis.disconnect();
});

/** A record written by an api that died before its queue add. */
async function abandoned(tenant: string, createdAt = Date.now()): Promise<string> {
  const id = newJobId();
  await store.create({ id, tenant, pool: 'default', createdAt, request });
  return id;
}

it('removes an abandoned record once it is older than the grace, releasing its active slot', async () => {
  const id = await abandoned('t-reap');
  expect(await store.activeCount('t-reap')).toBe(1);
  expect(await reaper.sweep()).toBe(0); // still within the grace: the enqueue may be in flight
  expect(await reaper.sweep(Date.now() + ENQUEUE_GRACE_MS + 1)).toBe(1);
  expect(await store.get(id)).toBeUndefined();
  expect(await store.activeCount('t-reap')).toBe(0);
  expect((await store.list('t-reap', { limit: 10 })).data).toEqual([]);
  // The api that was only slow learns it must not answer 202.
  expect(await store.confirmEnqueued(id)).toBe(false);
});

it('keeps jobs that were enqueued, even when the api died before confirming', async () => {
  const done = newJobId();
  await enqueueNewJob(store, queues, { id: done, tenant: 't-keep', pool: 'default', createdAt: Date.now(), request });
  const unconfirmed = await abandoned('t-keep');
  await queues.add('default', { id: unconfirmed, tenant: 't-keep', model: 'sim/echo' }, 'normal', 3);
  expect(await reaper.sweep(Date.now() + ENQUEUE_GRACE_MS + 1)).toBe(0);
  expect((await store.get(done))?.record.status).toBe('queued');
  expect((await store.get(unconfirmed))?.record.status).toBe('queued');
  expect(await redis.zcard(store.keys.pendingEnqueue())).toBe(0);
});

it('keeps a record a worker already took or finished', async () => {
  const id = await abandoned('t-run');
  await store.start(id, 1);
  expect(await reaper.sweep(Date.now() + ENQUEUE_GRACE_MS + 1)).toBe(0);
  expect((await store.get(id))?.record.status).toBe('running');
});
