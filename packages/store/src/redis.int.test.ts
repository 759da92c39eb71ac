import { Queue, Worker } from 'bullmq';
import { Cluster, Redis } from 'ioredis';
import { dropPrefix, redisTargets, testPrefix, testRedisUrl } from '@inferq/testkit';
import type { RedisTargetInfo } from '@inferq/testkit';
import { createRedis, redisAnswers } from './redis';
import type { RedisClient } from './redis';

// The connection factory on both kinds of Redis: the shared standalone one, and the test run's
// local 3-master cluster (jest's global setup starts it; keys here are under a prefix of this file).
let cluster: RedisTargetInfo;
const prefix = testPrefix('store-redis');
const clients: RedisClient[] = [];
const open = (c: RedisClient) => (clients.push(c), c);

beforeAll(async () => {
  const target = redisTargets().find((t) => t.name === 'cluster');
  if (!target || target.skip) throw new Error(`no test cluster: ${target?.skip ?? 'none'}`);
  cluster = await target.ready();
}, 60_000);

afterAll(async () => {
  clients.forEach((c) => c.disconnect());
  await dropPrefix(prefix, cluster);
});

// REDIS_URL is ignored when cluster nodes are set: a dead one proves it.
const clusterTarget = () => ({ ...cluster.connection, REDIS_URL: 'redis://127.0.0.1:1' });

it('connects to standalone Redis by REDIS_URL when no cluster nodes are set', async () => {
  const redis = open(createRedis({ REDIS_URL: testRedisUrl() }, 'request'));
  expect(redis).toBeInstanceOf(Redis);
  await new Promise((r) => redis.once('ready', r));
  expect(await redisAnswers(redis)).toBe(true);
});

it('makes a Cluster client from REDIS_CLUSTER_NODES that reaches keys on every master', async () => {
  const redis = open(createRedis(clusterTarget(), 'blocking'));
  expect(redis).toBeInstanceOf(Cluster);
  // {a}, {b} and {c} hash to slots on the three different masters.
  for (const tag of ['a', 'b', 'c']) await redis.set(`${prefix}:{${tag}}`, tag);
  expect(await Promise.all(['a', 'b', 'c'].map((t) => redis.get(`${prefix}:{${t}}`)))).toEqual(['a', 'b', 'c']);
  expect(await redisAnswers(redis)).toBe(true);
});

it('fails fast on the request role while the cluster is unreachable, instead of queueing', async () => {
  const dead = { REDIS_URL: 'redis://127.0.0.1:1', REDIS_CLUSTER_NODES: [{ host: '127.0.0.1', port: 1 }] };
  const redis = open(createRedis(dead, 'request'));
  expect(await redisAnswers(redis)).toBe(false);
  await expect(redis.get('{a}k')).rejects.toThrow();
});

it('hands BullMQ a cluster connection it runs a queue on (with the queue in one slot)', async () => {
  const producer = open(createRedis(clusterTarget(), 'request'));
  const consumer = open(createRedis(clusterTarget(), 'blocking'));
  await new Promise((r) => producer.once('ready', r));
  // BullMQ's scripts touch several keys of a queue: on a cluster its prefix must be one hash tag.
  const queuePrefix = `{${prefix}:factory}`;
  const queue = new Queue('q', { connection: producer, prefix: queuePrefix });
  const done = new Promise<unknown>((resolve) => {
    const worker = new Worker('q', async (job) => job.data, { connection: consumer, prefix: queuePrefix });
    worker.on('completed', (_job, result) => void worker.close().then(() => resolve(result)));
  });
  await queue.add('j', { hello: 'cluster' });
  expect(await done).toEqual({ hello: 'cluster' });
  await queue.obliterate({ force: true });
  await queue.close();
}, 30_000);
