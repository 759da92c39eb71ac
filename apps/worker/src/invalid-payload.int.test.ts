import { Queue } from 'bullmq';
import { JobRequest, newJobId, poolQueueName } from '@inferq/core';
import { startWorker } from './index';
import type { RunningWorker } from './index';
import { workerHarness } from './test/worker-harness';

// A queue entry that does not parse when dequeued (a bug, or a tampered queue) next to a real queued record.
const h = workerHarness('badpayload');
let worker: RunningWorker;
const connection = h.redis.duplicate();
let raw: Queue;

beforeAll(async () => {
  raw = new Queue(poolQueueName('default'), { connection, prefix: h.prefix });
  worker = await startWorker(h.config());
});
afterAll(async () => {
  await worker.close();
  await raw.close();
  await connection.quit();
  await h.close();
});

it.each([
  ['a field of the wrong type', 'acme', { tenant: 42, model: 'sim/echo' }],
  ['no fields at all', 'globex', {}],
])(
  'fails the record (invalid_payload) of a job whose payload has %s, releasing its tenant slot',
  async (_case, tenant, data) => {
    const id = newJobId();
    const request = JobRequest.parse({ model: 'sim/echo', input: { prompt: 'never run' } });
    await h.store.create({ id, tenant, pool: 'default', createdAt: Date.now(), request });
    expect(await h.store.activeCount(tenant)).toBe(1);

    // The BullMQ job id is the record id, as enqueueNewJob makes it; only the data is bad.
    await raw.add('infer', data, { jobId: id, attempts: 3 });
    const rec = await h.terminal(id, 20_000);
    expect(rec).toMatchObject({ status: 'failed', error: { code: 'invalid_payload', retryable: false } });
    expect(await h.store.activeCount(tenant)).toBe(0);
    // Unrecoverable: BullMQ does not try it again.
    const job = await raw.getJob(id);
    expect(await job?.getState()).toBe('failed');
    expect(job?.attemptsMade).toBe(1);
  },
  30_000,
);
