import { Cluster } from 'ioredis';
import type { Redis } from 'ioredis';
import { JobRequest, newJobId, poolTag } from '@inferq/core';
import { describeOnTargets, dropPrefix, startMonitor, testPrefix, waitFor } from '@inferq/testkit';
import type { RedisTargetInfo } from '@inferq/testkit';
import { ChannelListener, messageIds } from './channels';
import { createRedis, publish } from './redis';
import type { RedisClient } from './redis';
import { JobStore, utcDay } from './job-store';

// What the jobs of one script call share (usage hashes, active counters, the events channel) is
// written once per call: the commands Redis ran for it are counted with MONITOR on the pool's node.
const prefix = testPrefix('store-aggregates');
const POOL = 'default';
const requestOf = (model: string) => JobRequest.parse({ model: `sim/${model}`, input: { prompt: 'summed' } });
const output = { text: 'ok', finish_reason: 'stop' as const };

/** The commands Redis runs on this test's keys, as MONITOR reports them: [source, name, ...args]. */
async function commandLog(client: RedisClient): Promise<{ done(): Promise<string[][]> }> {
  const node = await nodeOfPool(client);
  const seen: string[][] = [];
  const marker = `${prefix}:end:${Math.random()}`;
  let ended = (): void => undefined;
  const end = new Promise<void>((resolve) => (ended = resolve));
  const monitor = await startMonitor(
    node.options.host ?? '127.0.0.1',
    node.options.port ?? 6379,
    ({ source, args }) => {
      if (args[1] === marker) ended();
      else if (args.some((a) => a.includes(prefix))) seen.push([source === 'lua' ? 'lua' : 'client', ...args]);
    },
  );
  return {
    async done() {
      // The node answers the marker after every command before it: MONITOR has shown them all.
      await node.echo(marker);
      await end;
      monitor.close();
      return seen;
    },
  };
}

/** The connection to the node that holds the pool's slot (the client itself off a cluster). */
async function nodeOfPool(client: RedisClient): Promise<Redis> {
  const key = `${poolTag(prefix, POOL)}:probe`;
  await client.get(key);
  if (!(client instanceof Cluster)) return client;
  const slot = Number(await client.cluster('KEYSLOT', key));
  const nodeKey = (client as unknown as { slots: string[][] }).slots[slot]?.[0];
  const node = client.nodes('master').find((n) => `${n.options.host}:${n.options.port}` === nodeKey);
  if (!node) throw new Error(`no connection for slot ${slot}`);
  return node;
}

const count = (log: string[][], source: string, name: string) =>
  log.filter(([s, n]) => s === source && n?.toLowerCase() === name).length;
/** The KEYS counts of the script calls (an EVAL after NOSCRIPT repeats its EVALSHA's). */
const keysNamed = (log: string[][]) => [
  ...new Set(log.filter(([s, n]) => s === 'client' && /^eval(sha)?$/i.test(n ?? '')).map((l) => Number(l[3]))),
];

describeOnTargets('job scripts: what a call’s jobs share, written once', (on) => {
  let target: RedisTargetInfo;
  let redis: RedisClient;
  let subscriber: RedisClient;
  let store: JobStore;
  const messages: string[] = [];
  const cancels: string[] = [];

  /** A channel's messages up to a marker published now (a channel's messages arrive in order). */
  async function published(channel = store.keys.eventsChannel(POOL), heard = messages): Promise<string[]> {
    const marker = `end-${Math.random()}`;
    await publish(redis, channel, marker);
    await waitFor(() => (heard.includes(marker) ? true : undefined));
    return heard.splice(0).filter((m) => m !== marker);
  }

  async function created(tenant: string, model: string, n = 1): Promise<string[]> {
    const ids = Array.from({ length: n }, () => newJobId(POOL));
    for (const id of ids)
      await store.create({ id, tenant, pool: POOL, createdAt: Date.now(), request: requestOf(model) });
    return ids;
  }

  const usage = (tenant: string) => store.keys.usage(tenant, utcDay(Date.now()), POOL);
  const active = async (tenant: string) => Number(await redis.get(store.keys.tenantActive(tenant, POOL)));

  beforeAll(async () => {
    target = await on.ready();
    redis = createRedis(target.connection, 'blocking');
    subscriber = createRedis(target.connection, 'subscriber');
    store = new JobStore(redis, { prefix, retentionMs: 60_000 });
    const [events, cancel] = [store.keys.eventsChannel(POOL), store.keys.cancelChannel(POOL)];
    await new ChannelListener(subscriber, [events, cancel], (ch, m) =>
      (ch === cancel ? cancels : messages).push(m),
    ).start();
  });
  afterAll(async () => {
    await dropPrefix(prefix, target);
    subscriber.disconnect();
    redis.disconnect();
  });

  it('creates a transaction’s jobs in one call: one ZADD per tenant index, one INCRBY per counter', async () => {
    const jobs = [...['t1', 't1', 't1', 't2'].entries()].map(([i, tenant]) => ({
      ...{ id: newJobId(POOL), tenant, pool: POOL, createdAt: Date.now() + i, request: requestOf('m1') },
    }));
    const log = await commandLog(redis);
    await store.appendCreates(store.transaction(), jobs).exec();
    const seen = await log.done();
    expect(count(seen, 'client', 'evalsha') + count(seen, 'client', 'eval')).toBe(1);
    expect([count(seen, 'lua', 'zadd'), count(seen, 'lua', 'incrby'), count(seen, 'lua', 'incr')]).toEqual([2, 2, 0]);
    expect(count(seen, 'lua', 'hset')).toBe(8);
    // Each job's record and payload, each tenant's index and counter once.
    expect(keysNamed(seen)).toEqual([4 * 2 + 2 * 2]);
    expect([await active('t1'), await active('t2')]).toEqual([3, 1]);
    const listed = await store.list('t1', [POOL], { limit: 10 });
    expect(listed.data.map((r) => r.id)).toEqual(
      jobs
        .slice(0, 3)
        .map((j) => j.id)
        .reverse(),
    );
    expect((await store.get(jobs[3]?.id ?? ''))?.record).toMatchObject({ status: 'queued', model: 'sim/m1' });
  });

  it('starts: one message of the ids whose status changed', async () => {
    const [a, b, running] = await created('s1', 'm1', 3);
    await store.start(running, 1);
    await published();
    const log = await commandLog(redis);
    const results = await Promise.all([a, newJobId(POOL), b, running].map((id) => store.start(id, 2)));
    expect(results.map((r) => r.kind)).toEqual(['started', 'missing', 'started', 'started']);
    // The pool's outbox once, then each job's record, events and payload.
    expect(keysNamed(await log.done())).toEqual([1 + 4 * 3]);
    expect(await published()).toEqual([`${a} ${b}`]);
  });

  it('finishes: usage per hash and field, active per counter, one message; missing and terminal jobs count nowhere', async () => {
    const [a1, a2, b1, still] = [
      ...(await created('u1', 'm1', 2)),
      ...(await created('u1', 'm2')),
      ...(await created('u1', 'm1')),
    ];
    const [c1] = await created('u2', 'm1');
    const [ended] = await created('u1', 'm1');
    await Promise.all([a1, a2, b1, c1, still].map((id) => store.start(id, 1)));
    await store.cancel(ended, 'u1');
    // A counter already at zero stays there, as each DECR that reset a negative count left it.
    await redis.set(store.keys.tenantActive('u2', POOL), 0);
    await published();
    const log = await commandLog(redis);
    const error = { code: 'provider_rejected' as const, message: 'no', retryable: false };
    const results = await Promise.all([
      store.succeed(a1, 'u1', { output, usage: { input_tokens: 2, output_tokens: 3 }, ttftMs: null }),
      store.succeed(newJobId(POOL), 'u1', { output, usage: { input_tokens: 9, output_tokens: 9 }, ttftMs: null }),
      store.succeed(a2, 'u1', { output, usage: { input_tokens: 5, output_tokens: 7 }, ttftMs: null }),
      store.cancel(ended, 'u1'),
      store.succeed(b1, 'u1', { output, usage: { input_tokens: 1, output_tokens: 0 }, ttftMs: null }),
      store.fail(c1, 'u2', error, null, { input_tokens: 4, output_tokens: 0 }),
    ]);
    const seen = await log.done();
    expect(results.map((r) => r.kind)).toEqual(['written', 'missing', 'written', 'terminal', 'written', 'written']);
    expect(await redis.hgetall(usage('u1'))).toEqual({
      // `ended`'s cancel counted one job of m1 before this call.
      ...{ 'sim/m1|jobs': '3', 'sim/m1|input_tokens': '7', 'sim/m1|output_tokens': '10' },
      ...{ 'sim/m2|jobs': '1', 'sim/m2|input_tokens': '1' },
    });
    expect(await redis.hgetall(usage('u2'))).toEqual({ 'sim/m1|jobs': '1', 'sim/m1|input_tokens': '4' });
    expect([await active('u1'), await active('u2')]).toEqual([1, 0]);
    // One message, with the ids in the order the jobs joined the call (a fail joins before a succeed's output is encoded).
    const sent = await published();
    expect(sent).toHaveLength(1);
    expect(messageIds(sent[0] ?? '').sort()).toEqual([a1, a2, b1, c1].sort());
    // u1: m1's three fields and m2's two (no output tokens); u2: m1's two.
    expect(count(seen, 'lua', 'hincrby')).toBe(7);
    // The outbox once, each job's record, events and payload, each tenant's index, counter and usage once.
    expect(keysNamed(seen)).toEqual([1 + 6 * 3 + 2 * 3]);
    expect([count(seen, 'lua', 'decrby'), count(seen, 'lua', 'decr')]).toEqual([2, 0]);
    expect(count(seen, 'lua', 'publish') + count(seen, 'lua', 'spublish')).toBe(1);
    // The usage hashes' expiry: set by m2's first job in u1's, by u2's first; m1's hash in u1 had it.
    const usagePexpires = seen.filter(
      ([s, n, key]) => s === 'lua' && n?.toLowerCase() === 'pexpire' && key?.includes(':usage:'),
    );
    expect(usagePexpires.map(([, , key]) => key).sort()).toEqual([usage('u1'), usage('u2')].sort());
  });

  it('cancels: one message of the call’s canceled ids on the cancel channel, none for other finishes', async () => {
    const [a, b, queued, done] = await created('w1', 'm1', 4);
    await Promise.all([a, b, done].map((id) => store.start(id, 1)));
    const cancelChannel = store.keys.cancelChannel(POOL);
    await published(cancelChannel, cancels);
    const results = await Promise.all([
      store.cancel(a, 'w1'),
      store.succeed(done, 'w1', { output, usage: { input_tokens: 1, output_tokens: 1 }, ttftMs: null }),
      store.cancel(queued, 'w1'),
      store.cancel(newJobId(POOL), 'w1'),
      store.cancel(b, 'w1'),
    ]);
    expect(results.map((r) => r.kind)).toEqual(['written', 'written', 'written', 'missing', 'written']);
    const sent = await published(cancelChannel, cancels);
    expect(sent).toHaveLength(1);
    expect(messageIds(sent[0] ?? '').sort()).toEqual([a, queued, b].sort());
    // A cancel call that writes nothing publishes nothing.
    expect((await store.cancel(a, 'w1')).kind).toBe('terminal');
    expect(await published(cancelChannel, cancels)).toEqual([]);
  });

  it('finishes: a day’s usage hash keeps its expiry until a model’s first job there', async () => {
    const [a, b, c] = await created('v1', 'm1', 3);
    const [d] = await created('v1', 'm2');
    await Promise.all([a, b, c, d].map((id) => store.start(id, 1)));
    const done = (id: string) =>
      store.succeed(id, 'v1', { output, usage: { input_tokens: 1, output_tokens: 1 }, ttftMs: 1 });
    await done(a);
    expect(await redis.pttl(usage('v1'))).toBeGreaterThan(86_400_000);
    await redis.pexpire(usage('v1'), 3_600_000);
    await Promise.all([done(b), done(c)]);
    expect(await redis.pttl(usage('v1'))).toBeLessThanOrEqual(3_600_000);
    await done(d);
    expect(await redis.pttl(usage('v1'))).toBeGreaterThan(86_400_000);
  });
});
