import { Redis } from 'ioredis';
import { startRedisCluster, waitFor } from '@inferq/testkit';
import type { LocalRedisCluster } from '@inferq/testkit';
import { createRedis } from './redis';
import type { RedisClient } from './redis';

// The connection factory while a master is SIGKILLed and restarted: on a 3-master cluster of this
// file's own (never the test run's shared cluster, which other files use meanwhile).
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
  REDIS_CLUSTER_NODES: cluster.nodes.map((n) => ({ host: '127.0.0.1', port: n.port })),
});

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
