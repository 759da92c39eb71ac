import { Cluster } from 'ioredis';
import { redisTargets } from './redis-targets';
import { dropPrefix, testPrefix } from './test-redis';

// The run's shared cluster (started by jest's global setup), as the target suites see it.
const cluster = redisTargets().find((t) => t.name === 'cluster');
const maybe = cluster?.skip ? it.skip : it;

it('yields standalone, then the cluster', () => {
  expect(redisTargets().map((t) => t.name)).toEqual(['standalone', 'cluster']);
});

maybe(
  'is a 3-master cluster whose keys dropPrefix removes from every master',
  async () => {
    const info = await cluster!.ready();
    expect(info.nodes).toHaveLength(3);
    expect(info.env.REDIS_CLUSTER_NODES).toBe(info.nodes.join(','));
    const client = new Cluster(info.nodes.map((n) => ({ host: '127.0.0.1', port: Number(n.split(':')[1]) })));
    try {
      expect(String(await client.cluster('INFO'))).toMatch(/cluster_state:ok/);
      const prefix = testPrefix('targets');
      // {a}, {b} and {c} live on three different masters; plus a pool-style tag.
      const keys = [`${prefix}:{a}`, `${prefix}:{b}`, `${prefix}:{c}`, `{${prefix}:pool-x}:q`];
      for (const k of keys) await client.set(k, '1');
      await dropPrefix(prefix, info);
      expect(await Promise.all(keys.map((k) => client.exists(k)))).toEqual([0, 0, 0, 0]);
    } finally {
      client.disconnect();
    }
  },
  60_000,
);
