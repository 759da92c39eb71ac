import { Queue, Worker } from 'bullmq';
import { Cluster, Redis } from 'ioredis';
import { startRedisCluster, testRedisUrl, waitFor } from '@inferq/testkit';
import type { LocalRedisCluster } from '@inferq/testkit';
import { createRedis, redisAnswers } from './redis';
import type { RedisClient } from './redis';

// The connection factory on both kinds of Redis: the shared standalone one, and a local 3-master cluster of its own.
let cluster: LocalRedisCluster;
const clients: RedisClient[] = [];
const open = (c: RedisClient) => (clients.push(c), c);

beforeAll(async () => {
  cluster = await startRedisCluster({ appendonly: false });
}, 60_000);

afterAll(async () => {
  clients.forEach((c) => c.disconnect());
  await cluster?.stop();
});

const clusterTarget = () => ({
  REDIS_URL: 'redis://127.0.0.1:1', // ignored when cluster nodes are set
  REDIS_CLUSTER_NODES: cluster.seeds.split(',').map((s) => ({ host: '127.0.0.1', port: Number(s.split(':')[1]) })),
});

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
  for (const tag of ['a', 'b', 'c']) await redis.set(`{${tag}}k`, tag);
  expect(await Promise.all(['a', 'b', 'c'].map((t) => redis.get(`{${t}}k`)))).toEqual(['a', 'b', 'c']);
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
  const prefix = '{iqt-factory}';
  const queue = new Queue('q', { connection: producer, prefix });
  const done = new Promise<unknown>((resolve) => {
    const worker = new Worker('q', async (job) => job.data, { connection: consumer, prefix });
    worker.on('completed', (_job, result) => void worker.close().then(() => resolve(result)));
  });
  await queue.add('j', { hello: 'cluster' });
  expect(await done).toEqual({ hello: 'cluster' });
  await queue.obliterate({ force: true });
  await queue.close();
}, 30_000);

it('waits on the blocking role for a master that is SIGKILLed and restarted; the request role gives up', async () => {
  const blocking = open(createRedis(clusterTarget(), 'blocking'));
  const request = open(createRedis(clusterTarget(), 'request'));
  await Promise.all([blocking, request].map((c) => new Promise((r) => c.once('ready', r))));
  const slot = Number(await blocking.call('CLUSTER', 'KEYSLOT', '{a}k'));
  const ranges = (await blocking.call('CLUSTER', 'SLOTS')) as Array<[number, number, [string, number]]>;
  const port = ranges.find(([from, to]) => slot >= from && slot <= to)?.[2][1];
  const victim = cluster.nodes.findIndex((n) => n.port === port);
  await cluster.killNode(victim);
  // ioredis' default gives up after 16 retries 100 ms apart: this stays pending past that.
  const write = blocking.set('{a}k', 'after the restart');
  const refused = request.get('{a}k').then(
    () => 'answered',
    (err: Error) => err.message,
  );
  await new Promise((r) => setTimeout(r, 3000));
  expect(await refused).toMatch(/Too many Cluster redirections|Connection is closed/);
  await cluster.restartNode(victim);
  expect(await write).toBe('OK');
  expect(await blocking.get('{a}k')).toBe('after the restart');
}, 60_000);

it('connects a Cluster client while the cluster reports cluster_state:fail, instead of hanging', async () => {
  const client = open(createRedis(clusterTarget(), 'blocking'));
  await new Promise((r) => client.once('ready', r));
  const survivor = new Redis(cluster.nodes[1].port, '127.0.0.1');
  try {
    await cluster.killNode(0);
    // The other masters declare it failed after the node timeout (5 s): the cluster is down.
    const down = async () =>
      /cluster_state:fail/.test(String(await survivor.call('CLUSTER', 'INFO'))) ? true : undefined;
    await waitFor(down, 20_000, 200);
    // BullMQ reconnects its blocking client this way; with ioredis' ready check this promise never settled.
    const ended = new Promise((r) => client.once('end', r));
    client.disconnect();
    await ended;
    const connected = client.connect();
    await cluster.restartNode(0);
    await expect(connected).resolves.toBeUndefined();
    expect(await client.set('{b}k', 'back')).toBe('OK');
  } finally {
    survivor.disconnect();
  }
}, 60_000);
