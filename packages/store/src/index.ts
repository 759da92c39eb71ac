export { createRedis, redisAnswers, durabilityWarnings } from './redis';
export type { RedisRole } from './redis';
export { JobStore, utcDay } from './job-store';
export type { JobStoreOptions, StartResult, FinishResult } from './job-store';
export type { StoredJob, StoredRequest, NewJob } from './record-codec';
export { PoolQueues, poolJobOptions } from './pool-queues';
export { enqueueNewJob } from './enqueue';
