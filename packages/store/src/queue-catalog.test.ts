import { QUEUES } from '@inferq/core';
import { poolJobOptions } from './pool-queues';

// The pool queue's options are written in pool-queues.ts; the catalog in core says what they are.
it('gives pool jobs the options and backoff of the queue catalog', () => {
  expect(poolJobOptions('job_1', 3)).toEqual({
    ...QUEUES.pool.jobOptions,
    jobId: 'job_1',
    attempts: 3,
    backoff: { type: QUEUES.pool.backoff.type },
  });
});
