import { JobRequest, newJobId } from '@inferq/core';
import { createRedis, JobStore, PoolQueues, PoolScheduler } from '@inferq/store';
import type { RedisClient } from '@inferq/store';
import { dropPrefix, testPrefix, testRedisUrl, waitFor } from '@inferq/testkit';
import { createEnqueueConnection } from './enqueue-connection';
import type { EnqueueConnection } from './enqueue-connection';
import { loadApiConfig } from './env';

const prefix = testPrefix('enqueue-connection');
const request = JobRequest.parse({ model: 'sim/echo', input: { prompt: 'own connection' } });
let shared: RedisClient;
let store: JobStore;
let queues: PoolQueues;
let conn: EnqueueConnection;

beforeAll(async () => {
  const config = loadApiConfig({ REDIS_URL: testRedisUrl(), QUEUE_PREFIX: prefix, LOG_LEVEL: 'silent' });
  shared = createRedis(testRedisUrl(), 'blocking');
  store = new JobStore(shared, { prefix, retentionMs: 60_000 });
  queues = new PoolQueues(shared, prefix);
  conn = createEnqueueConnection(config, { prefix, retentionMs: 60_000 }, { store, queues }, () => undefined);
  // A request connection has no offline queue: commands before it is ready fail.
  await waitFor(() => (conn.redis.status === 'ready' ? true : undefined));
});
afterAll(async () => {
  await queues.close();
  shared.disconnect();
  conn.redis.disconnect();
  await dropPrefix(prefix);
});

/** The Lua commands defined on a connection: ioredis copies each onto every MULTI built on it. */
const scripts = (redis: RedisClient) => Object.keys(redis.scriptsSet);

it('lands the record and the backlog entry, and hands a job picked at once to BullMQ on the shared queues', async () => {
  await new PoolScheduler(shared, prefix).capacity('default', 'w1', 1, 60_000);
  const id = newJobId('default');
  await conn.enqueuer.enqueue({ id, tenant: 't', pool: 'default', createdAt: Date.now(), request });
  expect((await store.get(id))?.record.status).toBe('queued');
  const job = await waitFor(async () => (await queues.get('default').getJob(id)) ?? undefined);
  expect(job.data).toMatchObject({ id, tenant: 't', model: 'sim/echo', level: 1, weight: 1 });
});

it("carries only the record's and the scheduler's scripts, none of BullMQ's the shared connection has", () => {
  const own = scripts(conn.redis);
  expect(own).toEqual(expect.arrayContaining(['iqCreate', 'iqSchedSubmit']));
  expect(own.every((name) => name.startsWith('iq'))).toBe(true);
  // The hand-over above defined BullMQ's scripts on the shared connection.
  expect(scripts(shared).filter((name) => !name.startsWith('iq')).length).toBeGreaterThan(10);
});
