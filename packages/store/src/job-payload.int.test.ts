import { JobRequest, newJobId } from '@inferq/core';
import { describeOnTargets, dropPrefix, testPrefix, waitFor } from '@inferq/testkit';
import type { RedisTargetInfo } from '@inferq/testkit';
import { enqueueNewJob } from './enqueue';
import { eventsOfEntry } from './job-events';
import type { RawEntry } from './job-events';
import { JobStore } from './job-store';
import { COMPRESS_ABOVE_BYTES } from './payload-codec';
import { PoolQueues } from './pool-queues';
import { PoolScheduler } from './scheduler/pool-scheduler';
import { createRedis } from './redis';
import type { RedisClient } from './redis';

// Where a job's input and output live, in what form, and for how long.
const prefix = testPrefix('payload');
let target: RedisTargetInfo;
let redis: RedisClient;
let store: JobStore;
let queues: PoolQueues;

/** Text that compresses as prose does, not as a repeated letter. */
function prose(chars: number): string {
  const words = ['queue', 'worker', 'token', 'model', 'stream', 'record', 'redis', 'prompt', 'context', 'retrieval'];
  let s = '';
  for (let i = 0; s.length < chars; i++) s += `${words[(i * 7 + (i >> 3)) % words.length]}${i % 11 === 0 ? '. ' : ' '}`;
  return s.slice(0, chars);
}

async function submit(prompt: string, tenant = 't1'): Promise<string> {
  const id = newJobId('default');
  const request = JobRequest.parse({ model: 'sim/echo', input: { prompt }, metadata: { order: 'A-17' } });
  await enqueueNewJob(store, queues, { id, tenant, pool: 'default', createdAt: Date.now(), request });
  return id;
}

async function runToSuccess(id: string, text: string): Promise<void> {
  expect((await store.start(id, 1)).kind).toBe('started');
  const usage = { input_tokens: 5, output_tokens: 7 };
  expect((await store.succeed(id, 't1', { output: { text, finish_reason: 'stop' }, usage, ttftMs: 3 })).kind).toBe(
    'written',
  );
}

// On standalone Redis and on the run's 3-master cluster (jest's global setup starts it).
describeOnTargets('job payloads', (on) => {
  beforeAll(async () => {
    target = await on.ready();
    redis = createRedis(target.connection, 'blocking');
    store = new JobStore(redis, { prefix, retentionMs: 60_000, payloadRetentionMs: 300, eventsRetentionMs: 300 });
    queues = new PoolQueues(redis, prefix);
  });
  afterAll(async () => {
    await queues.close();
    await dropPrefix(prefix, target);
    redis?.disconnect();
  });

  describe('job payloads', () => {
    it('stores the input once: in the payload hash, not in the record nor in BullMQ', async () => {
      const prompt = prose(2000);
      const id = await submit(prompt);
      expect(await redis.hexists(store.keys.job(id), 'req')).toBe(0);
      // A worker's slot: the scheduler hands the job to BullMQ.
      await queues.addPromoted(
        'default',
        (await new PoolScheduler(redis, prefix).capacity('default', 'w', 1, 60_000)).promoted,
      );
      const bull = await redis.hgetall(queues.get('default').toKey(id));
      expect(JSON.parse(bull.data)).toEqual({
        id,
        tenant: 't1',
        model: 'sim/echo',
        level: 1,
        estimate: expect.any(Number),
        weight: 1,
      });
      expect(JSON.stringify(bull)).not.toContain(prompt.slice(0, 100));
      expect((await store.input(id))?.input).toEqual({ prompt });
    });

    it('compresses inputs and outputs above the threshold and reads them back on a fresh connection', async () => {
      const text = prose(200_000);
      const id = await submit(text);
      await runToSuccess(id, text);
      const stored = await redis.hgetallBuffer(store.keys.jobPayload(id));
      for (const field of ['in', 'out']) {
        expect(stored[field][0]).toBe(0x01); // the compressed form's tag
        expect(stored[field].length).toBeLessThan(text.length / 3);
      }
      // As a restarted process reads it: a new connection and a new store.
      const other = createRedis(target.connection, 'blocking');
      try {
        const fresh = new JobStore(other, { prefix, retentionMs: 60_000 });
        expect((await fresh.get(id))?.record.output?.text).toBe(text);
        expect((await fresh.input(id))?.input).toEqual({ prompt: text });
      } finally {
        other.disconnect();
      }
    });

    it('keeps small payloads as plain JSON', async () => {
      const id = await submit('short prompt');
      await runToSuccess(id, 'short answer');
      const stored = await redis.hgetall(store.keys.jobPayload(id));
      expect(stored.out).toBe('{"text":"short answer","finish_reason":"stop"}');
      expect(Buffer.byteLength(stored.in)).toBeLessThanOrEqual(COMPRESS_ABOVE_BYTES);
    });

    it('drops input and output after PAYLOAD_RETENTION and keeps the record, saying expired', async () => {
      const id = await submit(prose(5000));
      await runToSuccess(id, 'the answer');
      expect((await store.get(id))?.record).toMatchObject({ output: { text: 'the answer' } });
      expect((await store.get(id))?.record.expired).toBeUndefined();
      const rec = await waitFor(async () => {
        const r = (await store.get(id))?.record;
        return r?.expired ? r : undefined;
      }, 10_000);
      expect(rec).toMatchObject({
        id,
        status: 'succeeded',
        output: null,
        expired: true,
        usage: { input_tokens: 5, output_tokens: 7 },
        metadata: { order: 'A-17' },
        timings: { ttft_ms: 3 },
      });
      expect(await store.input(id)).toBeUndefined();
      expect(await redis.pttl(store.keys.job(id))).toBeGreaterThan(30_000);
    });

    it('drops the event stream after EVENTS_RETENTION and records the id of `done`', async () => {
      const id = await submit('x');
      await runToSuccess(id, 'y');
      const entries = await redis.xrange(store.keys.jobEvents(id), '-', '+');
      // The terminal entry stands for the final status and `done`, one sequence number above it.
      const done = (entries as RawEntry[]).flatMap(eventsOfEntry).find((e) => e.type === 'done');
      expect(done).toBeDefined();
      expect((await store.get(id))?.doneId).toBe(done?.id);
      await waitFor(async () => ((await redis.exists(store.keys.jobEvents(id))) === 0 ? true : undefined), 10_000);
    });

    it('marks a failed or canceled job expired too once its input is dropped', async () => {
      const id = await submit('to cancel');
      expect((await store.cancel(id, 't1')).kind).toBe('written');
      expect((await store.get(id))?.record.expired).toBeUndefined();
      const rec = await waitFor(async () => {
        const r = (await store.get(id))?.record;
        return r?.expired ? r : undefined;
      }, 10_000);
      expect(rec).toMatchObject({ status: 'canceled', output: null });
    });

    it('reads records written before the payload hash existed (request and output in the record)', async () => {
      const id = newJobId('default');
      const req = { input: { prompt: 'old' }, timeout_s: 600, max_attempts: 3, cache: false };
      await redis.hset(store.keys.job(id), {
        tenant: 't1',
        status: 'queued',
        model: 'sim/echo',
        pool: 'default',
        priority: 'normal',
        created_at: String(Date.now()),
        attempts: '0',
        req: JSON.stringify(req),
      });
      const started = await store.start(id, 1);
      expect(started).toMatchObject({ kind: 'started', request: req });
      await redis.hset(store.keys.job(id), 'output', JSON.stringify({ text: 'legacy', finish_reason: 'stop' }));
      const rec = (await store.get(id))!.record;
      expect(rec.output?.text).toBe('legacy');
      expect(rec.expired).toBeUndefined();
    });

    it('takes the payload back with the record when an enqueue is discarded', async () => {
      const id = await submit('discard me');
      await store.discard([{ id, tenant: 't1' }]);
      expect(await redis.exists(store.keys.jobPayload(id), store.keys.job(id))).toBe(0);
    });
  });
});
