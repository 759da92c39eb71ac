import type { Socket } from 'node:net';
import type { Redis } from 'ioredis';
import { Cluster } from 'ioredis';
import { describeOnTargets, dropPrefix, testPrefix } from '@inferq/testkit';
import type { RedisTargetInfo } from '@inferq/testkit';
import { createRedis } from './redis';
import type { RedisClient } from './redis';

// createRedis corks each connection's socket until the code that issued a command yields, so what it
// issued together costs one socket write (a syscall, and a read in Redis) instead of one per command,
// and no command waits for the rest of the event-loop turn.
type Writes = { _write: (...a: unknown[]) => void; _writev: (...a: unknown[]) => void };

/** Counts the socket's real writes (after corking) while `work` runs. */
async function countWrites<T>(socket: Socket, work: () => Promise<T>): Promise<{ writes: number; result: T }> {
  const s = socket as unknown as Writes;
  const one = jest.spyOn(s, '_write');
  const many = jest.spyOn(s, '_writev');
  try {
    const result = await work();
    return { writes: one.mock.calls.length + many.mock.calls.length, result };
  } finally {
    one.mockRestore();
    many.mockRestore();
  }
}

/** The connection that serves `key`: the client itself, or the cluster's master for its slot. */
async function connectionFor(client: RedisClient, key: string): Promise<Redis> {
  // The request role has no offline queue: a command before 'ready' fails.
  if (client.status !== 'ready') await new Promise((r) => client.once('ready', r));
  // Connects the node that serves the key (cluster node connections open on first use).
  await client.get(key);
  if (!(client instanceof Cluster)) return client;
  // ioredis's own map of slots to node keys: the connection it sends this key's commands on.
  const slot = Number(await client.cluster('KEYSLOT', key));
  const nodeKey = (client as unknown as { slots: string[][] }).slots[slot]?.[0];
  const node = client.nodes('master').find((n) => `${n.options.host}:${n.options.port}` === nodeKey);
  if (!node) throw new Error(`no connection for slot ${slot} (${nodeKey})`);
  return node;
}

describeOnTargets('Redis writes coalesced per microtask', (t) => {
  const prefix = testPrefix('store-redis-writes');
  const key = `${prefix}:{tag}:k`;
  let target: RedisTargetInfo;
  const clients: RedisClient[] = [];
  const open = (role: 'request' | 'blocking') => {
    const c = createRedis(target.connection, role);
    clients.push(c);
    return c;
  };

  beforeAll(async () => {
    target = await t.ready();
  }, 60_000);
  afterAll(async () => {
    clients.forEach((c) => c.disconnect());
    await dropPrefix(prefix, target);
  });

  it('sends the commands issued together in one write, each answered in order', async () => {
    const redis = open('request');
    const conn = await connectionFor(redis, key);
    const { writes, result } = await countWrites(conn.stream, () =>
      Promise.all(Array.from({ length: 30 }, (_, i) => redis.incrby(key, i))),
    );
    expect(writes).toBe(1);
    // Running sums of 0..i: every command ran, in the order issued.
    expect(result).toEqual(Array.from({ length: 30 }, (_, i) => (i * (i + 1)) / 2));
  });

  it('still sends a lone command of each later turn (nothing waits for a fuller batch)', async () => {
    const redis = open('blocking');
    const conn = await connectionFor(redis, key);
    const { writes, result } = await countWrites(conn.stream, async () => {
      const seen: string[] = [];
      for (let i = 0; i < 5; i++) {
        await redis.set(key, String(i));
        seen.push((await redis.get(key)) ?? '');
      }
      return seen;
    });
    expect(result).toEqual(['0', '1', '2', '3', '4']);
    expect(writes).toBe(10);
  });

  it('sends a command once the code that issued it yields, before the rest of the turn', async () => {
    const redis = open('request');
    const conn = await connectionFor(redis, key);
    const s = conn.stream as unknown as Writes;
    const one = jest.spyOn(s, '_write');
    const many = jest.spyOn(s, '_writev');
    try {
      const reply = redis.set(key, 'soon');
      // After this turn's promise callbacks, before its later phases (I/O callbacks, setImmediate).
      await new Promise((resolve) => process.nextTick(resolve));
      expect(one.mock.calls.length + many.mock.calls.length).toBe(1);
      expect(await reply).toBe('OK');
    } finally {
      one.mockRestore();
      many.mockRestore();
    }
  });

  it('corks the duplicates BullMQ makes of a connection as well', async () => {
    const copy = open('blocking').duplicate();
    clients.push(copy);
    const conn = await connectionFor(copy, key);
    const { writes } = await countWrites(conn.stream, () =>
      Promise.all([copy.set(key, 'a'), copy.get(key), copy.del(key)]),
    );
    expect(writes).toBe(1);
  });
});
