import { jobPool } from './ids';

/**
 * Every Redis key inferq writes, under one prefix (QUEUE_PREFIX), with the
 * hash tag that puts it in its Redis Cluster slot. NEVER rename a key or a
 * queue name without a migration (see store's migrateKeys): deployed data and
 * running workers depend on them.
 */
export const WEBHOOK_QUEUE = 'webhooks';

/** BullMQ queue name of a pool (BullMQ itself adds the prefix). */
export function poolQueueName(pool: string): string {
  return `pool-${pool}`;
}

/** The pool a BullMQ queue name belongs to (the inverse of poolQueueName). */
export function poolOfQueue(queueName: string): string {
  return queueName.startsWith('pool-') ? queueName.slice(5) : queueName;
}

/**
 * BullMQ's `prefix` option for a queue, `{P:<queue>}`: BullMQ's scripts touch
 * many keys of one queue and build job keys from the prefix inside Lua, so on
 * a Redis Cluster the whole queue must hash to one slot (BullMQ's own rule: a
 * hash tag in the prefix). The ONLY place a BullMQ prefix is built.
 */
export function queuePrefix(prefix: string, queueName: string): string {
  return `{${prefix}:${queueName}}`;
}

/**
 * The hash tag of a pool, `{P:pool-<pool>}`, which is also its BullMQ queue's
 * prefix: its scheduler's keys, its BullMQ queue and its jobs' records share
 * one slot, so one script can move a job through the pool's order of service
 * atomically, while different pools spread over the cluster (SPEC section 12).
 */
export function poolTag(prefix: string, pool: string): string {
  return queuePrefix(prefix, poolQueueName(pool));
}

/**
 * The fair scheduler's keys of one pool (SPEC section 9), all under the pool's
 * hash tag. The scripts build the per-level and per-tenant keys from `base`,
 * the way BullMQ's scripts build theirs from the queue prefix:
 * - `ready:<level>` zset, tenant -> virtual time (tokens served / weight) of
 *   the tenants with a backlog at that level (0 high, 1 normal, 2 low);
 * - `q:<level>:<tenant>` zset of the tenant's waiting jobs, all scores 0, so
 *   members (`<job id>|<estimate>|<weight>|<attempts>|<deadline ms>|<model>`)
 *   sort by job id, which sorts by creation time: FIFO;
 * - `saved` hash, `<level>|<tenant>` -> virtual time of a tenant whose
 *   backlog emptied;
 * - `inflight` hash, job id -> `<level>|<tenant>|<estimate>|<weight>|<promoted ms>|<attempts>|<model>`
 *   of the jobs handed to BullMQ and not yet finished, and `retrying`, the
 *   same entries of jobs waiting out a retry delay (they hold no slot);
 * - `pending` hash, `<level>|<tenant>` -> the estimates (tokens / weight)
 *   charged for its jobs in flight and not yet corrected to real usage;
 * - `workers` hash, worker id -> `<slots>|<expires ms>`;
 * - `deadlines` zset, `<level>|<tenant>|<job id>` -> deadline (ms);
 * - `state` hash, the pool's counters, read once per script call: `cap`
 *   (the workers' live sum of slots), `picked` (jobs ever handed to BullMQ:
 *   the api samples it for the ETA), `live` (bit n set: level n may have
 *   tenants ready) and `clock<level>` (the virtual time at which the level's
 *   latest job started).
 */
export function schedulerKeys(prefix: string, pool: string) {
  const base = `${poolTag(prefix, pool)}:sched:`;
  return {
    base,
    ready: (level: number) => `${base}ready:${level}`,
    backlog: (level: number, tenant: string) => `${base}q:${level}:${tenant}`,
    saved: `${base}saved`,
    inflight: `${base}inflight`,
    retrying: `${base}retrying`,
    pending: `${base}pending`,
    workers: `${base}workers`,
    deadlines: `${base}deadlines`,
    state: `${base}state`,
  };
}
export type SchedulerKeys = ReturnType<typeof schedulerKeys>;

/**
 * Where a job's own keys live: under its pool's tag, which the job id names
 * (SPEC section 12), so its record, events and payload share the slot of the
 * pool's queue and scheduler, and one script moves a job through all of them.
 */
function jobBase(prefix: string, id: string): string {
  const pool = jobPool(id);
  return pool === undefined ? `${prefix}:job:${id}` : `${poolTag(prefix, pool)}:job:${id}`;
}

/**
 * Every key by what it belongs to. Keys written by a job's transitions live
 * in the job's pool slot, the tenant's counters of that pool included, so a
 * transition stays one atomic script; keys written by the tenant's own
 * actions (limits, idempotency, rate limit, webhook secret, files, batches)
 * are single-key or tagged by tenant, so they spread by tenant. Reads of a
 * tenant's standing (admission, usage, listing) sum or merge over its pools.
 */
export function redisKeys(prefix: string) {
  return {
    job: (id: string) => jobBase(prefix, id),
    jobEvents: (id: string) => `${jobBase(prefix, id)}:events`,
    /** Hash of the job's input (`in`) and, once finished, output (`out`); expires PAYLOAD_RETENTION after the end. */
    jobPayload: (id: string) => `${jobBase(prefix, id)}:payload`,
    /** The tenant's jobs in one pool: a zset, all scores 0, ordered by id (so by creation time). */
    tenantJobs: (tenant: string, pool: string) => `${poolTag(prefix, pool)}:tenant:${tenant}:jobs`,
    /** Count of the tenant's jobs in one pool not yet terminal (queued or running). */
    tenantActive: (tenant: string, pool: string) => `${poolTag(prefix, pool)}:tenant:${tenant}:active`,
    /**
     * Pub/sub, one channel per pool in the pool's slot (sharded on a Cluster, published by the
     * transition scripts): the id of every job of the pool whose status changed (long-polls and
     * SSE relays listen). A message carries the ids of one script call's jobs, separated by single
     * spaces (a job id never has one; see JOB_ID_PATTERN): `<id>` or `<id> <id> ...`. Readers split
     * it (store's `messageIds`).
     */
    eventsChannel: (pool: string) => `${poolTag(prefix, pool)}:events`,
    /**
     * The ids of the pool's jobs one finish call canceled while any may be running (their workers abort
     * the calls): one message per call, space-separated as on eventsChannel (store's `messageIds`).
     */
    cancelChannel: (pool: string) => `${poolTag(prefix, pool)}:cancel`,
    /**
     * A job of the pool whose event stream got streamed tokens (status changes go on eventsChannel):
     * `<id> <prevEntryId> <entryId> <data>` carrying a small batch's entry, else `<id>` alone (store's
     * `pushedTokens`). The id comes first either way, up to the first space, for readers of ids alone.
     */
    tokensChannel: (pool: string) => `${poolTag(prefix, pool)}:tokens`,
    idempotency: (tenant: string, key: string) => `${prefix}:idem:${tenant}:${key}`,
    /** Hash of key digest -> JSON {id, tenant}; shares a tag with apiKeyIds (created and revoked together). */
    apiKeys: () => `{${prefix}:apikeys}`,
    /** Hash of `<model>|jobs`, `<model>|input_tokens`, `<model>|output_tokens` of one pool for one UTC day (YYYY-MM-DD). */
    usage: (tenant: string, day: string, pool: string) => `${poolTag(prefix, pool)}:usage:${tenant}:${day}`,
    /** Stream of one pool's webhook events (job, event, at) for the dispatcher; written by the transition scripts. */
    webhookOutbox: (pool: string) => `${poolTag(prefix, pool)}:webhook-outbox`,
    webhookSecret: (tenant: string) => `${prefix}:whsec:${tenant}`,
    /** Worker heartbeats: the zset and each worker's record share a tag (one MULTI writes both). */
    /** Set of every pool a process served or queued into: the dispatcher reads each one's webhook outbox. */
    pools: () => `${prefix}:pools`,
    workers: () => `{${prefix}:workers}`,
    worker: (id: string) => `{${prefix}:workers}:${id}`,
    /** Hash of key id -> JSON {tenant, hash, created_at}: lists and revokes API keys (apiKeys() maps hash -> id). */
    apiKeyIds: () => `{${prefix}:apikeys}:ids`,
    /** Hash of the tenant's limit overrides: rate_limit_rpm, max_queued, daily_token_budget. */
    tenantLimits: (tenant: string) => `${prefix}:tenant:${tenant}:limits`,
    /** rate-limiter-flexible's keyPrefix; it appends `:<tenant>`. */
    rateLimit: () => `${prefix}:ratelimit`,
    /** A succeeded job's output, keyed by the SHA-256 of tenant, model, input and params. */
    responseCache: (hash: string) => `${prefix}:cache:${hash}`,
    /** Pub/sub: revoked key hashes and changed tenant limits, so every api process drops its cached copy at once. */
    securityChannel: () => `{${prefix}:apikeys}:security`,
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
