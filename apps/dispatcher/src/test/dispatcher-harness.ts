import { Queue } from 'bullmq';
import { JobRequest, newJobId, queuePrefix, WEBHOOK_QUEUE } from '@inferq/core';
import type { JobRecord, JobRequestInput } from '@inferq/core';
import { createRedis, JobStore, WebhookSecrets } from '@inferq/store';
import { dropPrefix, startWebhookReceiver, testPrefix, testRedisUrl, waitFor } from '@inferq/testkit';
import type { RedisTargetInfo, WebhookReceiver } from '@inferq/testkit';

/**
 * A Redis prefix, a local webhook receiver and a job store to play the api's
 * and the worker's parts: jobs created and finished here reach the outbox
 * exactly as in production. On standalone Redis, or on a ready test target
 * (the cluster).
 */
export async function dispatcherHarness(name: string, target?: RedisTargetInfo) {
  const where = target ?? { env: { REDIS_URL: testRedisUrl() }, nodes: [], connection: { REDIS_URL: testRedisUrl() } };
  const prefix = testPrefix(name);
  const redis = createRedis(where.connection, 'blocking');
  const store = new JobStore(redis, { prefix, retentionMs: 600_000 });
  const secrets = new WebhookSecrets(redis, prefix);
  const queue = new Queue(WEBHOOK_QUEUE, { connection: redis, prefix: queuePrefix(prefix, WEBHOOK_QUEUE) });
  const receiver: WebhookReceiver = await startWebhookReceiver();

  const env = (extra: Record<string, string> = {}): Record<string, string> => ({
    ...where.env,
    QUEUE_PREFIX: prefix,
    LOG_LEVEL: 'silent',
    HOST: '127.0.0.1',
    METRICS_PORT: '0',
    WEBHOOK_ALLOW_HOSTS: '127.0.0.1',
    WEBHOOK_RETRY_SCHEDULE: '100ms,200ms,300ms',
    ...extra,
  });

  /** Creates a job with a webhook to the receiver and marks it running. */
  async function runningJob(
    tenant = 'acme',
    webhook: Partial<NonNullable<JobRequestInput['webhook']>> = {},
    path = '/hook',
  ): Promise<string> {
    const request = JobRequest.parse({
      model: 'sim/echo',
      input: { prompt: 'hi' },
      webhook: { url: `${receiver.url}${path}`, ...webhook },
    });
    const id = newJobId('default');
    await store.create({ id, tenant, pool: 'default', createdAt: Date.now(), request });
    await store.start(id, 1);
    return id;
  }

  async function succeededJob(
    tenant = 'acme',
    webhook: Partial<NonNullable<JobRequestInput['webhook']>> = {},
    path = '/hook',
  ): Promise<string> {
    const id = await runningJob(tenant, webhook, path);
    await store.succeed(id, tenant, {
      output: { text: 'hi', finish_reason: 'stop' },
      usage: { input_tokens: 1, output_tokens: 1 },
      ttftMs: 1,
    });
    return id;
  }

  /** The record once it shows `n` delivery attempts. */
  function deliveries(id: string, n: number, timeoutMs = 15_000): Promise<JobRecord> {
    return waitFor(async () => {
      const rec = (await store.get(id))?.record;
      return rec?.webhook && rec.webhook.deliveries.length >= n ? rec : undefined;
    }, timeoutMs);
  }

  return {
    prefix,
    redis,
    store,
    secrets,
    queue,
    receiver,
    env,
    runningJob,
    succeededJob,
    deliveries,
    async close(): Promise<void> {
      await receiver.close();
      await queue.close();
      redis.disconnect();
      await dropPrefix(prefix, where);
    },
  };
}
