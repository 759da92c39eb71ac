import { JobRequest, newJobId } from '@inferq/core';
import { createRedis, JobEventLog, JobStore } from '@inferq/store';
import { dropPrefix, parseSse, testPrefix, testRedisUrl, waitFor } from '@inferq/testkit';
import { relayJobEvents } from './job-event-relay';
import { JobWatcher } from './job-watcher';
import type { StreamWriter } from './stream-result';

const prefix = testPrefix('relay');
const redis = createRedis(testRedisUrl(), 'blocking');
const subscriber = createRedis(testRedisUrl(), 'blocking');
const store = new JobStore(redis, { prefix, retentionMs: 60_000 });
const events = new JobEventLog(redis, { prefix });
const watcher = new JobWatcher(subscriber, store.channels(['default']));
const deps = { watcher, events, store };

beforeAll(() => watcher.start());
afterAll(async () => {
  watcher.close();
  subscriber.disconnect();
  redis.disconnect();
  await dropPrefix(prefix);
});

/** The writer side of a socket: `full` plays a client that stopped reading. */
function writer(opts: { full?: boolean } = {}) {
  const ac = new AbortController();
  const chunks: string[] = [];
  const out: StreamWriter = {
    signal: ac.signal,
    write: (chunk) => {
      chunks.push(chunk);
      return !opts.full;
    },
    drained: () => new Promise((resolve) => ac.signal.addEventListener('abort', () => resolve(), { once: true })),
    destroy: () => ac.abort(),
  };
  return { out, chunks, leave: () => ac.abort(), text: () => chunks.join('') };
}

async function runningJob(): Promise<string> {
  const id = newJobId('default');
  const request = JobRequest.parse({ model: 'sim/echo', input: { prompt: 'x' } });
  await store.create({ id, tenant: 't1', pool: 'default', createdAt: Date.now(), request });
  await store.start(id, 1);
  return id;
}

describe('relayJobEvents', () => {
  it('follows a job live, one subscription, until done', async () => {
    const id = await runningJob();
    const w = writer();
    const relay = relayJobEvents(deps, id, undefined, w.out);
    await waitFor(() => (w.chunks.length >= 2 ? true : undefined));
    expect(watcher.watchedJobs).toBe(1);
    await events.appendTokens(id, 1, 'one ', 1);
    await waitFor(() => (w.text().includes('one ') ? true : undefined));
    await events.appendTokens(id, 1, 'two', null);
    await store.succeed(id, 't1', {
      output: { text: 'one two', finish_reason: 'stop' },
      usage: { input_tokens: 1, output_tokens: 2 },
      ttftMs: 1,
    });
    await relay;
    const msgs = parseSse(w.text());
    expect(msgs.map((m) => m.event)).toEqual(['status', 'status', 'token', 'token', 'status', 'done']);
    expect(msgs.every((m) => /^\d+-\d+$/.test(m.id ?? ''))).toBe(true);
    expect(JSON.parse(msgs[5].data)).toMatchObject({ id, status: 'succeeded', output: { text: 'one two' } });
    expect(watcher.watchedJobs).toBe(0);
  });

  it('stops reading while the client is not taking data, and costs nothing once it leaves', async () => {
    const id = await runningJob();
    for (let i = 0; i < 200; i++) await events.appendTokens(id, 1, `t${i} `, null);
    const w = writer({ full: true });
    const relay = relayJobEvents(deps, id, undefined, w.out);
    await waitFor(() => (w.chunks.length > 0 ? true : undefined));
    await events.appendTokens(id, 1, 'more', null);
    await new Promise((r) => setTimeout(r, 300));
    // One frame written, then it waits for 'drain' instead of reading the other 201 entries.
    expect(w.chunks).toHaveLength(1);
    w.leave();
    await relay;
    expect(watcher.watchedJobs).toBe(0);
  });

  it('resumes strictly after a given event id', async () => {
    const id = await runningJob();
    await events.appendTokens(id, 1, 'a', null);
    await events.appendTokens(id, 1, 'b', null);
    await store.fail(id, 't1', { code: 'provider_rejected', message: 'no', retryable: false });
    const all = await events.read(id, undefined, 100); // running, a, b, failed, done
    const w = writer();
    await relayJobEvents(deps, id, all[1].id, w.out);
    const msgs = parseSse(w.text());
    expect(msgs.map((m) => m.id)).toEqual(all.slice(2).map((e) => e.id));
    expect(msgs.map((m) => m.data)).toEqual([
      '{"text":"b"}',
      '{"status":"failed"}',
      expect.stringContaining('"provider_rejected"'),
    ]);
  });

  it('sends a comment heartbeat when nothing happens', async () => {
    const id = await runningJob();
    const w = writer();
    const relay = relayJobEvents({ ...deps, heartbeatMs: 200 }, id, undefined, w.out);
    await waitFor(() => (w.chunks.includes(': keep-alive\n\n') ? true : undefined), 3000);
    w.leave();
    await relay;
  });

  it('finishes from the record when a slow reader outlives the stream (EVENTS_RETENTION)', async () => {
    const id = await runningJob();
    await events.appendTokens(id, 1, 'partial ', null);
    const seen = (await events.read(id, undefined, 100))[1].id; // the reader got as far as the first token
    await store.succeed(id, 't1', {
      output: { text: 'partial answer', finish_reason: 'stop' },
      usage: { input_tokens: 1, output_tokens: 2 },
      ttftMs: 1,
    });
    const doneId = (await store.get(id))!.doneId!;
    await redis.unlink(store.keys.jobEvents(id)); // as EVENTS_RETENTION does
    const w = writer();
    await relayJobEvents({ ...deps, heartbeatMs: 100 }, id, seen, w.out);
    const msgs = parseSse(w.text());
    // No token again (the reader saw part of the text): the final status, then `done` with the whole record.
    expect(msgs.map((m) => m.event)).toEqual(['status', 'done']);
    expect(msgs[1].id).toBe(doneId);
    expect(JSON.parse(msgs[1].data)).toMatchObject({ id, output: { text: 'partial answer' } });
  });
});
