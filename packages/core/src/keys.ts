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
    /** Pub/sub: the id of every job whose status changed (long-polls and SSE relays listen). */
    eventsChannel: () => `${prefix}:events`,
    cancelChannel: () => `${prefix}:cancel`,
    /** Pub/sub channel: the id of a job whose event stream got streamed tokens (status changes go on `${prefix}:events`). */
    tokensChannel: () => `${prefix}:tokens`,
    idempotency: (tenant: string, key: string) => `${prefix}:idem:${tenant}:${key}`,
    apiKeys: () => `${prefix}:apikeys`,
    /** Hash of `<model>|jobs`, `<model>|input_tokens`, `<model>|output_tokens` for one UTC day (YYYY-MM-DD). */
    usage: (tenant: string, day: string) => `${prefix}:usage:${tenant}:${day}`,
    /** Stream of webhook events (job, event, at) for the dispatcher; written by the transition scripts. */
    webhookOutbox: () => `${prefix}:webhook-outbox`,
    webhookSecret: (tenant: string) => `${prefix}:whsec:${tenant}`,
    workers: () => `${prefix}:workers`,
    worker: (id: string) => `${prefix}:worker:${id}`,
    /** Hash of key id -> JSON {tenant, hash, created_at}: lists and revokes API keys (apiKeys() maps hash -> id). */
    apiKeyIds: () => `${prefix}:apikey-ids`,
    /** Hash of the tenant's limit overrides: rate_limit_rpm, max_queued, daily_token_budget. */
    tenantLimits: (tenant: string) => `${prefix}:tenant:${tenant}:limits`,
    /** rate-limiter-flexible's keyPrefix; it appends `:<tenant>`. */
    rateLimit: () => `${prefix}:ratelimit`,
    /** A succeeded job's output, keyed by the SHA-256 of tenant, model, input and params. */
    responseCache: (hash: string) => `${prefix}:cache:${hash}`,
    /** Pub/sub: revoked key hashes and changed tenant limits, so every api process drops its cached copy at once. */
    securityChannel: () => `${prefix}:security`,
    ...batchKeys(prefix),
  };
}
export type RedisKeys = ReturnType<typeof redisKeys>;

/**
 * Files and batches (SPEC section 11). A tenant's files and batches share the
 * hash tag `{<tenant>}`, so each script over them (a result that updates the
 * batch and appends to its output file) stays in one Redis Cluster slot.
 */
function batchKeys(prefix: string) {
  const t = (tenant: string) => `${prefix}:fb:{${tenant}}`;
  return {
    /** Hash: id, bytes, lines, created_at, filename, purpose. */
    fileMeta: (tenant: string, id: string) => `${t(tenant)}:file:${id}`,
    /** List of the file's content in order: upload chunks, or one output line each. */
    fileChunks: (tenant: string, id: string) => `${t(tenant)}:file:${id}:chunks`,
    /** Zset of the tenant's file ids (scores 0, ordered by id, which sorts by creation time). */
    tenantFiles: (tenant: string) => `${t(tenant)}:files`,
    /** Hash of a batch's state, counts and runner lease. */
    batch: (tenant: string, id: string) => `${t(tenant)}:batch:${id}`,
    /** List of the batch's validated requests (JSON), by request index. */
    batchRequests: (tenant: string, id: string) => `${t(tenant)}:batch:${id}:requests`,
    /** Hash of request index -> result kind, written once per request (exact counts). */
    batchLines: (tenant: string, id: string) => `${t(tenant)}:batch:${id}:lines`,
    /** Set of request indexes whose job was created and whose result is not yet recorded. */
    batchPending: (tenant: string, id: string) => `${t(tenant)}:batch:${id}:pending`,
    /** Zset of the tenant's batch ids, as tenantFiles. */
    tenantBatches: (tenant: string) => `${t(tenant)}:batches`,
    /** Count of the tenant's batch jobs created and not yet recorded: admission leaves them out of the queue cap. */
    batchOutstanding: (tenant: string) => `${t(tenant)}:batch-outstanding`,
    /** Zset of `<tenant>/<batch id>` of every batch not yet ended, for the runners of every api process. */
    activeBatches: () => `${prefix}:batches:active`,
  };
}
