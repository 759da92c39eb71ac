import { randomBytes } from 'node:crypto';
import type { RedisClient } from '../redis';
import { jobPool, redisKeys, WebhookEventName } from '@inferq/core';

/**
 * The webhook outbox, one stream per pool (`{prefix:pool-x}:webhook-outbox`,
 * in the pool's slot): the job store's transition scripts append
 * `job, event, at` to it atomically with the status change. The dispatcher
 * reads each pool's stream through this consumer group. NEVER rename.
 */
export const OUTBOX_GROUP = 'dispatchers';

/** Same cap as the transition scripts use (entries, approximate). */
const OUTBOX_MAXLEN = '1000000';

export interface OutboxEntry {
  job: string;
  event: WebhookEventName;
  /** When the event happened (ms). */
  at: number;
  /** Set on entries the api wrote for a redelivery: makes the delivery job new. */
  redeliver?: string;
}

/** An entry's fields (XREADGROUP gives a flat name/value list); undefined when malformed. */
export function parseOutboxEntry(fields: readonly string[]): OutboxEntry | undefined {
  const f: Record<string, string> = {};
  for (let i = 0; i + 1 < fields.length; i += 2) f[fields[i]] = fields[i + 1]!;
  const event = WebhookEventName.safeParse(f.event);
  const at = Number(f.at);
  if (!f.job || !event.success || !Number.isFinite(at)) return undefined;
  const entry: OutboxEntry = { job: f.job, event: event.data, at };
  if (f.redeliver) entry.redeliver = f.redeliver;
  return entry;
}

/**
 * The `webhook-id` of an event: the same for every attempt and for a
 * redelivery of it, so receivers can deduplicate.
 */
export function webhookMessageId(job: string, event: WebhookEventName): string {
  return `${job}.${event}`;
}

/**
 * The BullMQ job id of a delivery: deterministic, so an outbox entry read
 * twice (a dispatcher died before XACK) adds nothing the second time.
 * BullMQ ids may not contain ':'.
 */
export function deliveryJobId(entry: OutboxEntry): string {
  const base = webhookMessageId(entry.job, entry.event);
  return entry.redeliver ? `${base}.r${entry.redeliver}` : base;
}

/**
 * Asks the dispatcher to send a job's event again (POST
 * /v1/jobs/{id}/webhook/redeliver); `at` is when the event happened.
 */
export async function requestRedelivery(
  redis: RedisClient,
  prefix: string,
  e: { job: string; event: WebhookEventName; at: number },
): Promise<string> {
  const nonce = `${Date.now()}${randomBytes(3).toString('hex')}`;
  const pool = jobPool(e.job);
  if (pool === undefined) throw new Error(`not a job id: ${e.job}`);
  await redis.xadd(
    redisKeys(prefix).webhookOutbox(pool),
    'MAXLEN',
    '~',
    OUTBOX_MAXLEN,
    '*',
    'job',
    e.job,
    'event',
    e.event,
    'at',
    String(e.at),
    'redeliver',
    nonce,
  );
  return nonce;
}
