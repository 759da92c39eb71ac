import { Queue, Worker } from 'bullmq';
import { JobRequest, newJobId, poolQueueName, poolTag } from '@inferq/core';
import { waitFor } from '@inferq/testkit';
import { PoolQueues, PoolScheduler } from '@inferq/store';
import { MAX_STALLED_COUNT } from './env';
import { startWorker } from './index';
import type { RunningWorker } from './index';
import { workerHarness } from './test/worker-harness';

// Failures the queue decides, planted in Redis as they would arrive: the job record must end with them.
const h = workerHarness('queuefail');
const connection = h.redis.duplicate();
const workers: RunningWorker[] = [];
let raw: Queue;

beforeAll(() => {
  h.modelsFile([{ id: 'sim/stall', backend: 'sim', model: 'echo', pool: 'stall' }]);
  raw = new Queue(poolQueueName('default'), { connection, prefix: poolTag(h.prefix, 'default') });
});
afterAll(async () => {
  for (const w of workers) await w.close();
  await raw.close();
  await connection.quit();
  await h.close();
});

describe('a payload that does not parse when dequeued', () => {
  beforeAll(async () => {
    workers.push(await startWorker(h.config()));
  });

  it.each([
    ['a field of the wrong type', 'acme', { tenant: 42, model: 'sim/echo' }],
    ['no fields at all', 'globex', {}],
  ])(
    'fails the record (invalid_payload) of a job whose payload has %s, releasing its tenant slot',
    async (_case, tenant, data) => {
      const id = newJobId('default');
      const request = JobRequest.parse({ model: 'sim/echo', input: { prompt: 'never run' } });
      await h.store.create({ id, tenant, pool: 'default', createdAt: Date.now(), request });
      expect(await h.store.activeCount(tenant, ['default'])).toBe(1);

      // The BullMQ job id is the record id, as enqueueNewJob makes it; only the data is bad.
      await raw.add('infer', data, { jobId: id, attempts: 3 });
      const rec = await h.terminal(id, 20_000);
      expect(rec).toMatchObject({ status: 'failed', error: { code: 'invalid_payload', retryable: false } });
      expect(await h.store.activeCount(tenant, ['default'])).toBe(0);
      // Unrecoverable: BullMQ does not try it again. It moves the job a moment after the record ends,
      // so the job is read once BullMQ says it failed.
      const job = await waitFor(async () => ((await raw.getJobState(id)) === 'failed' ? raw.getJob(id) : undefined));
      expect(job?.attemptsMade).toBe(1);
    },
    30_000,
  );
});

it('fails the record (stalled) of a job BullMQ fails for stalling past its limit', async () => {
  const id = await h.submit({ model: 'sim/stall', input: { prompt: 'held by a dead worker' } }, 'initech');
  // The dead worker's slot: the pool's scheduler hands the job to BullMQ.
  const queues = new PoolQueues(connection, h.prefix);
  await queues.addPromoted(
    'stall',
    (await new PoolScheduler(connection, h.prefix).capacity('stall', 'dead', 1, 60_000)).promoted,
  );
  await queues.close();
  // The job has already stalled as often as allowed; one more makes BullMQ fail it without our processor.
  await h.redis.hset(`${poolTag(h.prefix, 'stall')}:${poolQueueName('stall')}:${id}`, 'stc', String(MAX_STALLED_COUNT));
  // A worker that takes the job and dies: its lock (500 ms) is never extended.
  const dead = new Worker(poolQueueName('stall'), null, {
    connection,
    prefix: poolTag(h.prefix, 'stall'),
    lockDuration: 500,
  });
  expect((await dead.getNextJob('dead-worker-token'))?.id).toBe(id);

  workers.push(await startWorker(h.config({ WORKER_POOLS: 'stall', WORKER_STALLED_MS: '1000' })));
  const rec = await h.terminal(id, 30_000);
  expect(rec).toMatchObject({ status: 'failed', error: { code: 'stalled', retryable: false } });
  expect(rec.error?.message).toContain(`stopped ${MAX_STALLED_COUNT + 1} times`);
  expect(await h.store.activeCount('initech', ['default'])).toBe(0);
  await dead.close();
}, 45_000);
