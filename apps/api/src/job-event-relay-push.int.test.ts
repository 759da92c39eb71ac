import { JobRequest, newJobId } from '@inferq/core';
import { createRedis, INLINE_TOKENS_MAX, JobEventLog, JobStore } from '@inferq/store';
import { dropPrefix, parseSse, startMonitorAt, testPrefix, testRedisUrl, waitFor } from '@inferq/testkit';
import type { RedisMonitor } from '@inferq/testkit';
import { relayJobEvents } from './job-event-relay';
import { JobWatcher } from './job-watcher';
import type { StreamWriter } from './stream-result';

// Token batches whose tokens-channel message carries them reach the client without an XRANGE; the
// XRANGEs Redis ran on a job's stream are counted with MONITOR (testkit's, over a socket of its own).
const prefix = testPrefix('relay-push');
const redis = createRedis(testRedisUrl(), 'blocking');
const subscriber = createRedis(testRedisUrl(), 'blocking');
const store = new JobStore(redis, { prefix, retentionMs: 60_000 });
const events = new JobEventLog(redis, { prefix });
const watcher = new JobWatcher(subscriber, store.channels(['default']));
const deps = { watcher, events, store };
const seen: string[][] = [];
let monitor: RedisMonitor;
let marks = 0;

beforeAll(async () => {
  await watcher.start();
  monitor = await startMonitorAt(testRedisUrl(), ({ args }) => {
    if (args.some((a) => a.includes(prefix))) seen.push(args);
  });
});
afterAll(async () => {
  monitor.close();
  watcher.close();
  subscriber.disconnect();
  redis.disconnect();
  await dropPrefix(prefix);
});

/** XRANGEs Redis ran on the job's stream so far: an ECHO after them has come through MONITOR. */
async function xranges(id: string): Promise<number> {
  const mark = `${prefix}:mark:${marks++}`;
  await redis.echo(mark);
  await waitFor(() => (seen.some((a) => a[1] === mark) ? true : undefined));
  return seen.filter((a) => a[0]?.toLowerCase() === 'xrange' && a[1] === store.keys.jobEvents(id)).length;
}

/** A client socket; while `full` it takes nothing, and `drain()` empties it. */
function client() {
  const ac = new AbortController();
  const chunks: string[] = [];
  let full = false;
  let drained: (() => void) | undefined;
  const out: StreamWriter = {
    signal: ac.signal,
    write: (chunk) => {
      chunks.push(chunk);
      return !full;
    },
    drained: () => new Promise((resolve) => (drained = resolve)),
    destroy: () => ac.abort(),
  };
  const text = () => chunks.join('');
  return {
    out,
    text,
    stall: () => {
      full = true;
    },
    drain: () => {
      full = false;
      drained?.();
    },
    has: (s: string) => waitFor(() => (text().includes(s) ? true : undefined)),
  };
}

async function runningJob(): Promise<string> {
  const id = newJobId('default');
  const request = JobRequest.parse({ model: 'sim/echo', input: { prompt: 'x' } });
  await store.create({ id, tenant: 't1', pool: 'default', createdAt: Date.now(), request });
  await store.start(id, 1);
  return id;
}

const succeed = (id: string) =>
  store.succeed(id, 't1', {
    output: { text: 'whatever', finish_reason: 'stop' },
    usage: { input_tokens: 1, output_tokens: 2 },
    ttftMs: 1,
  });

/** The relayed SSE, as [event, id, data], against the stream read whole (the terminal entry expanded). */
async function expectWholeStream(id: string, text: string, skip = 0): Promise<void> {
  const relayed = parseSse(text).filter((m) => m.id !== '0-1');
  const read = (await events.read(id, undefined, 1000)).slice(skip);
  expect(relayed.map((m) => [m.event, m.id])).toEqual(read.map((e) => [e.type, e.id]));
  expect(relayed.slice(0, -1).map((m) => m.data)).toEqual(read.slice(0, -1).map((e) => e.data));
}

describe('relayJobEvents with batches carried by their messages', () => {
  it('writes them without reading; reads on a gap, a bare id or a big batch, then takes them again', async () => {
    const id = await runningJob();
    const c = client();
    const relay = relayJobEvents(deps, id, undefined, c.out);
    await c.has('running');
    const before = await xranges(id);
    await events.appendTokens(id, 1, 'a ', 1);
    await c.has('a ');
    await events.appendTokens(id, 1, 'b ', null);
    await c.has('b ');
    expect(await xranges(id)).toBe(before);
    // A gap: an entry whose message never came; the next batch does not follow what the client has.
    await redis.xadd(store.keys.jobEvents(id), '*', 'type', 'token', 'data', '{"text":"unheard "}');
    await events.appendTokens(id, 1, 'c ', null);
    await c.has('c ');
    expect(await xranges(id)).toBe(before + 1);
    await events.appendTokens(id, 1, 'd ', null);
    await c.has('d ');
    expect(await xranges(id)).toBe(before + 1);
    // As a worker from before this message format writes a batch: the entry, then the bare id.
    await redis.xadd(store.keys.jobEvents(id), '*', 'type', 'token', 'data', '{"text":"old "}');
    await redis.publish(store.keys.tokensChannel('default'), id);
    await c.has('old ');
    expect(await xranges(id)).toBe(before + 2);
    await events.appendTokens(id, 1, 'f'.repeat(INLINE_TOKENS_MAX), null);
    await c.has('fff');
    expect(await xranges(id)).toBe(before + 3);
    await events.appendTokens(id, 1, 'g ', null);
    await c.has('g ');
    expect(await xranges(id)).toBe(before + 3);
    await succeed(id);
    await relay;
    await expectWholeStream(id, c.text());
  });

  it('resumes after Last-Event-ID by reading, then writes carried batches without reading', async () => {
    const id = await runningJob();
    await events.appendTokens(id, 1, 'a ', 1);
    await events.appendTokens(id, 1, 'b ', null);
    const [, a] = await events.read(id, undefined, 10);
    const c = client();
    const relay = relayJobEvents(deps, id, a?.id, c.out);
    await c.has('b ');
    const before = await xranges(id);
    for (const t of ['c ', 'd ', 'e ']) {
      await events.appendTokens(id, 1, t, null);
      await c.has(t);
    }
    expect(await xranges(id)).toBe(before);
    await succeed(id);
    await relay;
    await expectWholeStream(id, c.text(), 2);
  });

  it('reads instead once a stalled client has more batches waiting than a subscription keeps', async () => {
    const id = await runningJob();
    const c = client();
    const relay = relayJobEvents(deps, id, undefined, c.out);
    await c.has('running');
    c.stall();
    await events.appendTokens(id, 1, 't0 ', 1);
    await c.has('t0 ');
    // The relay waits for 'drain' while more batches come than the subscription holds (16).
    for (let i = 1; i <= 20; i++) await events.appendTokens(id, 1, `t${i} `, null);
    const before = await xranges(id);
    c.drain();
    await c.has('t20 ');
    expect(await xranges(id)).toBe(before + 1);
    await events.appendTokens(id, 1, 'last ', null);
    await c.has('last ');
    expect(await xranges(id)).toBe(before + 1);
    await succeed(id);
    await relay;
    await expectWholeStream(id, c.text());
  });
});
