import { QUEUES } from '@inferq/core';
import { poolJobOptions, poolWorkerOptions } from './pool-queues';

// The pool queue's options are written in pool-queues.ts; the catalog in core says what they are.
it('gives pool jobs the id, attempts and backoff of the queue catalog, and nothing else', () => {
  expect(poolJobOptions('job_1', 3)).toEqual({
    jobId: 'job_1',
    attempts: 3,
    backoff: { type: QUEUES.pool.backoff.type },
  });
});

// BullMQ applies a Worker's keep rules to every job that carries none: the same rules, not on each job.
it("gives the pool's workers the catalog's keep rules for finished jobs", () => {
  const { removeOnComplete, removeOnFail } = QUEUES.pool.jobOptions;
  expect(removeOnComplete).toBe(false);
  expect(poolWorkerOptions()).toEqual({ removeOnComplete: { count: -1 }, removeOnFail });
});
