import { existsSync } from 'node:fs';
import { Cluster, Redis } from 'ioredis';
import { startRedisCluster } from './redis-cluster';
import type { LocalRedisCluster } from './redis-cluster';

// A real 3-master cluster of its own on free ports (the shared Redis is not touched).
let cluster: LocalRedisCluster;
let client: Cluster;

beforeAll(async () => {
  cluster = await startRedisCluster();
  client = new Cluster(
    cluster.seeds.split(',').map((s) => ({ host: '127.0.0.1', port: Number(s.split(':')[1]) })),
    { redisOptions: { maxRetriesPerRequest: 3 } },
  );
}, 60_000);

afterAll(async () => {
  client?.disconnect();
  await cluster?.stop();
});

/** The port of the master that owns the key's slot. */
async function ownerOf(key: string): Promise<number> {
  const slot = Number(await client.cluster('KEYSLOT', key));
  const ranges = await client.cluster('SLOTS');
  const master = ranges.find(([from, to]) => slot >= from && slot <= to)?.[2];
  if (!master) throw new Error(`slot ${slot} has no owner`);
  return master[1];
}

it('is three masters that split the slots, and refuses a command over two slots', async () => {
  expect(cluster.nodes).toHaveLength(3);
  const info = String(await client.cluster('INFO'));
  expect(info).toMatch(/cluster_state:ok/);
  expect(info).toMatch(/cluster_size:3/);
  // {a}, {b} and {c} hash to slots 15495, 3300 and 7365: one on each master.
  const owners = new Set([await ownerOf('{a}'), await ownerOf('{b}'), await ownerOf('{c}')]);
  expect(owners).toEqual(new Set(cluster.nodes.map((n) => n.port)));
  await expect(client.mset('{a}x', '1', '{b}y', '2')).rejects.toThrow(/CROSSSLOT/);
  await client.mset('{a}x', '1', '{a}y', '2');
  expect(await client.mget('{a}x', '{a}y')).toEqual(['1', '2']);
});

it('restarts a master from its AOF with its keys', async () => {
  const port = await ownerOf('{b}kept');
  const index = cluster.nodes.findIndex((n) => n.port === port);
  await client.set('{b}kept', 'still here');
  await cluster.restartNode(index);
  const direct = new Redis(port, '127.0.0.1');
  try {
    expect(await direct.get('{b}kept')).toBe('still here');
    expect(String(await direct.cluster('INFO'))).toMatch(/cluster_state:ok/);
  } finally {
    direct.disconnect();
  }
}, 60_000);

it('stops every node and removes its data', async () => {
  const other = await startRedisCluster({ appendonly: false });
  await other.stop();
  expect(existsSync(other.dir)).toBe(false);
  const probe = new Redis(other.nodes[0]?.port ?? 0, '127.0.0.1', { lazyConnect: true, retryStrategy: () => null });
  probe.on('error', () => undefined);
  await expect(probe.connect()).rejects.toThrow();
}, 60_000);
