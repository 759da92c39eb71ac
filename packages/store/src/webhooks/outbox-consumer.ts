import type { JobsOptions, Queue } from 'bullmq';
import type { RedisClient } from '../redis';
import { iso, redisKeys, webhookEventType } from '@inferq/core';
import type { DeliveryJobData, Logger, WebhookPayload } from '@inferq/core';
import type { JobStore } from '../job-store';
import { deliveryJobId, OUTBOX_GROUP, parseOutboxEntry, webhookMessageId } from './outbox';
import type { OutboxEntry } from './outbox';
import { packBody } from './delivery-body';

export interface OutboxConsumerOptions {
  /** A connection of its own: XREADGROUP blocks it. */
  redis: RedisClient;
  store: JobStore;
  queue: Queue<DeliveryJobData>;
  prefix: string;
  /** The pool whose outbox stream this consumer reads. */
  pool: string;
  /** This process's consumer name in the group. */
  consumer: string;
  /** Entries pending this long under another consumer are taken over (ms). */
  claimIdleMs: number;
  jobOptions: JobsOptions;
  logger: Logger;
}

type StreamEntry = [id: string, fields: string[]];
const BATCH = 100;
const BLOCK_MS = 1000;

/**
 * Moves webhook events from one pool's outbox stream into the webhook queue
 * (a stream per pool keeps each XREADGROUP in one cluster slot). Each
 * entry becomes one BullMQ job with a deterministic id (adding it twice adds
 * nothing) and is acknowledged only once that add succeeded; entries a dead
 * dispatcher read but never acknowledged are claimed (XAUTOCLAIM) after
 * `claimIdleMs`. Acknowledged entries are deleted: no other group reads the
 * outbox, and the stream would otherwise hold every event ever sent.
 */
export class OutboxConsumer {
  private readonly key: string;
  private stopping = false;
  private loop?: Promise<void>;

  constructor(private readonly o: OutboxConsumerOptions) {
    this.key = redisKeys(o.prefix).webhookOutbox(o.pool);
  }

  async start(): Promise<void> {
    await this.o.redis.xgroup('CREATE', this.key, OUTBOX_GROUP, '0', 'MKSTREAM').catch((err: Error) => {
      if (!/BUSYGROUP/.test(err.message)) throw err;
    });
    this.loop = this.run();
  }

  async close(): Promise<void> {
    this.stopping = true;
    await this.loop;
  }

  private async run(): Promise<void> {
    let lastClaim = 0;
    while (!this.stopping) {
      try {
        if (Date.now() - lastClaim >= Math.min(this.o.claimIdleMs, 10_000)) {
          lastClaim = Date.now();
          await this.claimAbandoned();
        }
        const res = (await this.o.redis.xreadgroup(
          'GROUP',
          OUTBOX_GROUP,
          this.o.consumer,
          'COUNT',
          BATCH,
          'BLOCK',
          BLOCK_MS,
          'STREAMS',
          this.key,
          '>',
        )) as Array<[string, StreamEntry[]]> | null;
        await this.handleAll(res?.[0]?.[1] ?? []);
      } catch (err) {
        if (this.stopping) break;
        this.o.logger.error({ err }, 'reading the webhook outbox failed; retrying');
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  }

  private async claimAbandoned(): Promise<void> {
    let cursor = '0-0';
    do {
      const [next, entries] = (await this.o.redis.xautoclaim(
        this.key,
        OUTBOX_GROUP,
        this.o.consumer,
        this.o.claimIdleMs,
        cursor,
        'COUNT',
        BATCH,
      )) as [string, Array<StreamEntry | null>];
      await this.handleAll(entries.filter((e): e is StreamEntry => e !== null));
      cursor = next;
    } while (cursor !== '0-0' && !this.stopping);
  }

  /**
   * Entries are independent (each its own delivery job), so a batch is handled
   * concurrently; one that fails stays pending and is claimed again later.
   */
  private async handleAll(entries: StreamEntry[]): Promise<void> {
    const results = await Promise.allSettled(entries.map(([id, fields]) => this.handle(id, fields)));
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed.length)
      this.o.logger.error({ err: failed[0].reason, count: failed.length }, 'webhook outbox entries left pending');
  }

  private async handle(id: string, fields: string[]): Promise<void> {
    const entry = parseOutboxEntry(fields);
    if (entry) await this.enqueue(entry);
    else this.o.logger.warn({ id }, 'dropping a malformed webhook outbox entry');
    await this.o.redis.multi().xack(this.key, OUTBOX_GROUP, id).xdel(this.key, id).exec();
  }

  /** One delivery job for the event, unless the record is gone or its webhook does not want the event. */
  private async enqueue(entry: OutboxEntry): Promise<void> {
    const job = await this.o.store.get(entry.job);
    const webhook = job?.record.webhook;
    if (!job || !webhook || !webhook.events.includes(entry.event)) return;
    // The record as it is now: the body is fixed here, so every attempt sends the same bytes.
    const payload: WebhookPayload = { type: webhookEventType(entry.event), timestamp: iso(entry.at), data: job.record };
    const data: DeliveryJobData = {
      job: entry.job,
      tenant: job.tenant,
      event: entry.event,
      webhookId: webhookMessageId(entry.job, entry.event),
      url: webhook.url,
      ...(await packBody(JSON.stringify(payload))),
    };
    await this.o.queue.add('deliver', data, { ...this.o.jobOptions, jobId: deliveryJobId(entry) });
  }
}
