import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { JobRequestInput, ModelSpec } from '@inferq/core';
import { JobRequest, ModelCatalog, newJobId } from '@inferq/core';
import { createRedis, enqueueNewJob, JobStore, PoolQueues } from '@inferq/store';
import { dropPrefix, testPrefix, testRedisUrl, waitFor } from '@inferq/testkit';
import type { RedisTargetInfo } from '@inferq/testkit';
import type { JobRecord } from '@inferq/core';
import { loadWorkerConfig } from '../env';
import type { WorkerConfig } from '../env';

const standalone = (): RedisTargetInfo => ({
  env: { REDIS_URL: testRedisUrl() },
  nodes: [],
  connection: { REDIS_URL: testRedisUrl() },
});

/**
 * A Redis prefix, a store and queues to submit through, and worker configs over
 * them; on standalone Redis, or on a ready test target (the cluster).
 */
export function workerHarness(name: string, target: RedisTargetInfo = standalone()) {
  const prefix = testPrefix(name);
  const redis = createRedis(target.connection, 'blocking');
  const store = new JobStore(redis, { prefix, retentionMs: 600_000 });
  const queues = new PoolQueues(redis, prefix);
  let catalog = new ModelCatalog();
  let modelsPath: string | undefined;

  return {
    prefix,
    store,
    queues,
    redis,
    /** Writes a MODELS_FILE and returns its path. */
    modelsFile(models: Array<Partial<ModelSpec> & { id: string; backend: ModelSpec['backend'] }>): string {
      const dir = mkdtempSync(join(tmpdir(), 'inferq-models-'));
      const path = join(dir, 'models.json');
      writeFileSync(path, JSON.stringify({ models }));
      catalog = ModelCatalog.fromFile(path);
      modelsPath = path;
      return path;
    },
    config(env: Record<string, string> = {}): WorkerConfig {
      return loadWorkerConfig({
        ...target.env,
        QUEUE_PREFIX: prefix,
        LOG_LEVEL: 'silent',
        METRICS_PORT: '0',
        HOST: '127.0.0.1',
        SIM_TTFT_MS: '0',
        SIM_TOKEN_MS: '0',
        WORKER_RETRY_BASE_MS: '20',
        WORKER_STALLED_MS: '5000',
        ...(modelsPath ? { MODELS_FILE: modelsPath } : {}),
        ...env,
      });
    },
    async submit(body: JobRequestInput, tenant = 't1'): Promise<string> {
      const request = JobRequest.parse(body);
      const model = catalog.resolve(request.model);
      if (!model) throw new Error(`test submits an unknown model ${request.model}`);
      // The id names the job's pool: its keys live in that pool's slot.
      const id = newJobId(model.pool);
      await enqueueNewJob(store, queues, { id, tenant, pool: model.pool, createdAt: Date.now(), request });
      return id;
    },
    async terminal(id: string, timeoutMs = 15_000): Promise<JobRecord> {
      return waitFor(async () => {
        const job = await store.get(id);
        return job && ['succeeded', 'failed', 'canceled'].includes(job.record.status) ? job.record : undefined;
      }, timeoutMs);
    },
    async close(): Promise<void> {
      await queues.close();
      redis.disconnect();
      await dropPrefix(prefix, target);
    },
  };
}
