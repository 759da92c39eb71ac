/**
 * Every Redis key inferq writes, under one prefix (QUEUE_PREFIX). A `{tag}`
 * prefix puts them all in one Redis Cluster slot. NEVER rename a key or a
 * queue name: deployed data and running workers depend on them.
 */
export const WEBHOOK_QUEUE = 'webhooks';

/** BullMQ queue name of a pool (BullMQ itself adds the prefix). */
export function poolQueueName(pool: string): string {
  return `pool-${pool}`;
}

export function redisKeys(prefix: string) {
  return {
    job: (id: string) => `${prefix}:job:${id}`,
    jobEvents: (id: string) => `${prefix}:job:${id}:events`,
    tenantJobs: (tenant: string) => `${prefix}:tenant:${tenant}:jobs`,
    /** Count of the tenant's jobs not yet terminal (queued or running). */
    tenantActive: (tenant: string) => `${prefix}:tenant:${tenant}:active`,
    cancelChannel: () => `${prefix}:cancel`,
    idempotency: (tenant: string, key: string) => `${prefix}:idem:${tenant}:${key}`,
    apiKeys: () => `${prefix}:apikeys`,
    /** Hash of `<model>|jobs`, `<model>|input_tokens`, `<model>|output_tokens` for one UTC day (YYYY-MM-DD). */
    usage: (tenant: string, day: string) => `${prefix}:usage:${tenant}:${day}`,
    /** Stream of webhook events (job, event, at) for the dispatcher; written by the transition scripts. */
    webhookOutbox: () => `${prefix}:webhook-outbox`,
    webhookSecret: (tenant: string) => `${prefix}:whsec:${tenant}`,
    workers: () => `${prefix}:workers`,
    worker: (id: string) => `${prefix}:worker:${id}`,
  };
}
export type RedisKeys = ReturnType<typeof redisKeys>;
