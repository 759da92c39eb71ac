import { Worker } from 'bullmq';
import { JOB_ID_PATTERN, JobRequest, newJobId, redisKeys } from '@inferq/core';
import type { Priority } from '@inferq/core';
import { describeOnTargets, dropPrefix, testPrefix } from '@inferq/testkit';
import type { RedisTargetInfo } from '@inferq/testkit';
import { enqueueNewJob } from './enqueue';
import { PoolScheduler } from './scheduler/pool-scheduler';
import { ChannelListener, messageIds, pushedTokens } from './channels';
import { INLINE_TOKENS_MAX, JobEventLog } from './job-events';
import { JobStore } from './job-store';
import { PoolQueues } from './pool-queues';
import { createRedis } from './redis';
import type { RedisClient } from './redis';

const prefix = testPrefix('job-events');
let target: RedisTargetInfo;
let redis: RedisClient;
let store: JobStore;
let events: JobEventLog;
let queues: PoolQueues;

async function newJob(priority: Priority = 'normal', pool = 'default'): Promise<string> {
  const id = newJobId(pool);
  const request = JobRequest.parse({ model: 'sim/echo', input: { prompt: 'hi' }, priority });
  await enqueueNewJob(store, queues, { id, tenant: 't1', pool, createdAt: Date.now(), request });
  return id;
}

// On standalone Redis and on the run's 3-master cluster (jest's global setup starts it).
describeOnTargets('job events and queue positions', (on) => {
  beforeAll(async () => {
    target = await on.ready();
    redis = createRedis(target.connection, 'blocking');
    store = new JobStore(redis, { prefix, retentionMs: 60_000 });
    events = new JobEventLog(redis, { prefix });
    queues = new PoolQueues(redis, prefix);
  });
  afterAll(async () => {
    await queues.close();
    await dropPrefix(prefix, target);
    redis?.disconnect();
  });

  describe('JobEventLog', () => {
    it('opens a stream with the first transition and appends tokens only while this attempt runs', async () => {
      const id = await newJob();
      expect(await events.exists(id)).toBe(false); // queued: no stream yet
      expect(await events.appendTokens(id, 1, 'early', null)).toBe(false);
      await store.start(id, 1);
      expect(await events.appendTokens(id, 1, 'Hello ', 42)).toBe(true);
      expect(await events.appendTokens(id, 2, 'other attempt', null)).toBe(false);
      expect(await events.appendTokens(id, 1, 'world', null)).toBe(true);
      expect((await store.get(id))?.record.timings.ttft_ms).toBe(42);
      await store.cancel(id, 't1');
      expect(await events.appendTokens(id, 1, 'late', null)).toBe(false);

      const all = await events.read(id, undefined, 100);
      expect(all.map((e) => `${e.type}:${e.data}`)).toEqual([
        'status:{"status":"running"}',
        'token:{"text":"Hello "}',
        'token:{"text":"world"}',
        'status:{"status":"canceled"}',
        'done:',
      ]);
      // Reads resume strictly after an event id, the final status's too (its entry also holds `done`).
      const rest = await events.read(id, all[1].id, 100);
      expect(rest.map((e) => e.id)).toEqual(all.slice(2).map((e) => e.id));
      expect(await events.read(id, all[3].id, 100)).toEqual([all[4]]);
      expect(await events.read(id, all[4].id, 100)).toEqual([]);
      // One entry for the final status and the end; the record keeps the end's id.
      expect(await redis.xlen(store.keys.jobEvents(id))).toBe(4);
      expect((await store.get(id))?.doneId).toBe(all[4].id);
    });

    it('reads the last tokens, the final status and done from one entry, resuming after any of them', async () => {
      const id = await newJob();
      await store.start(id, 1);
      await events.appendTokens(id, 1, 'Hello ', 1);
      await store.succeed(id, 't1', {
        output: { text: 'Hello world', finish_reason: 'stop' },
        usage: { input_tokens: 1, output_tokens: 2 },
        ttftMs: 1,
        tailTokens: 'world',
      });
      const all = await events.read(id, undefined, 100);
      expect(all.map((e) => `${e.type}:${e.data}`)).toEqual([
        'status:{"status":"running"}',
        'token:{"text":"Hello "}',
        'token:{"text":"world"}',
        'status:{"status":"succeeded"}',
        'done:',
      ]);
      expect(await redis.xlen(store.keys.jobEvents(id))).toBe(3);
      expect((await store.get(id))?.doneId).toBe(all[4].id);
      for (let i = 1; i < 5; i++) expect(await events.read(id, all[i].id, 100)).toEqual(all.slice(i + 1));
    });

    it("reads an older worker's ending, a status entry then an empty done, as the same events", async () => {
      const id = await newJob();
      await store.start(id, 1);
      const key = store.keys.jobEvents(id);
      const status = await redis.xadd(key, '*', 'type', 'status', 'data', '{"status":"succeeded"}');
      const done = await redis.xadd(key, '*', 'type', 'done', 'data', '');
      const all = await events.read(id, undefined, 100);
      expect(all.slice(1)).toEqual([
        { id: status, type: 'status', data: '{"status":"succeeded"}' },
        { id: done, type: 'done', data: '' },
      ]);
      expect(await events.read(id, status ?? '', 100)).toEqual([all[2]]);
      expect(await events.read(id, done ?? '', 100)).toEqual([]);
    });

    it('reads at least a batch while more is there, whichever entry a read starts after', async () => {
      const id = await newJob();
      await store.start(id, 1);
      for (let i = 0; i < 5; i++) await events.appendTokens(id, 1, String(i), null);
      const all = await events.read(id, undefined, 100);
      expect(await events.read(id, undefined, 3)).toEqual(all.slice(0, 3));
      expect(await events.read(id, all[2].id, 3)).toEqual(all.slice(3, 6));
    });

    it('publishes each batch on the tokens channel: with its entry and the one before when small, the id alone when big', async () => {
      const id = await newJob();
      await store.start(id, 1);
      // Heard as the api hears it: sharded pub/sub on the cluster, plain on standalone.
      const sub = createRedis(target.connection, 'subscriber');
      const got: string[] = [];
      await new ChannelListener(sub, [redisKeys(prefix).tokensChannel('default')], (_c, m) => got.push(m)).start();
      const big = 'y'.repeat(INLINE_TOKENS_MAX);
      await events.appendTokens(id, 1, 'x and y', null);
      await events.appendTokens(id, 1, big, null);
      await events.appendTokens(id, 1, 'z', null);
      await new Promise((r) => setTimeout(r, 200));
      sub.disconnect();
      const [running, x, , z] = await events.read(id, undefined, 10);
      expect(got).toEqual([
        `${id} ${running?.id} ${x?.id} {"text":"x and y"}`,
        id,
        `${id} ${(await events.read(id, x?.id, 1))[0]?.id} ${z?.id} {"text":"z"}`,
      ]);
      expect(pushedTokens(got[0] ?? '')).toEqual({ job: id, prev: running?.id, event: x });
      // An api from before reads a message as job ids: this job's first, then no other job's.
      expect(messageIds(got[0] ?? '').filter((s) => JOB_ID_PATTERN.test(s))).toEqual([id]);
    });

    it('serves identical concurrent reads with one XRANGE', async () => {
      const id = await newJob();
      await store.start(id, 1);
      const reads = Array.from({ length: 50 }, () => events.read(id, undefined, 10));
      expect(new Set(reads).size).toBe(1);
      expect((await reads[0]).length).toBe(1);
    });
  });

  describe('PoolQueues.position', () => {
    it('ranks waiting jobs in the order workers take them: as handed over, then older prioritized adds', async () => {
      const pool = 'rank';
      // Slots for all, so the scheduler hands each to BullMQ as it arrives, in arrival order.
      await new PoolScheduler(redis, prefix).capacity(pool, 'w', 4, 60_000);
      const low = await newJob('low', pool);
      const normal = await newJob('normal', pool);
      const high = await newJob('high', pool);
      // As an api from before standard adds hands a job over, mid rolling upgrade: BullMQ serves it after the list.
      const old = newJobId(pool);
      await queues.get(pool).add('infer', { id: old, tenant: 't1', model: 'sim/echo' }, { jobId: old, priority: 1 });
      expect(await queues.position(pool, low)).toEqual({ position: 1, ahead: 0 });
      expect(await queues.position(pool, normal)).toEqual({ position: 2, ahead: 1 });
      expect(await queues.position(pool, high)).toEqual({ position: 3, ahead: 2 });
      expect(await queues.position(pool, old)).toEqual({ position: 4, ahead: 3 });
      await queues.removeWaiting(pool, normal);
      expect(await queues.position(pool, high)).toEqual({ position: 2, ahead: 1 });
      expect(await queues.position(pool, normal)).toBeUndefined();
      const worker = new Worker(queues.get(pool).name, null, {
        connection: redis,
        prefix: queues.get(pool).opts.prefix,
      });
      try {
        const taken: Array<string | undefined> = [];
        for (let i = 0; i < 3; i++) taken.push((await worker.getNextJob('t', { block: false }))?.id);
        expect(taken).toEqual([low, high, old]);
        expect(await queues.position(pool, old)).toBeUndefined();
      } finally {
        await worker.close(true);
      }
    });

    it('gives no position to a job waiting out a delay', async () => {
      const id = newJobId('default');
      await queues
        .get('delayed')
        .add('infer', { id, tenant: 't1', model: 'sim/echo' }, { jobId: id, priority: 2, delay: 60_000 });
      expect(await queues.position('delayed', id)).toBeUndefined();
    });
  });
});
