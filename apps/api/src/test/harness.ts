import supertest from 'supertest';
import type { Agent } from 'supertest';
import { ModelCatalog } from '@inferq/core';
import { createRedis, JobStore, PoolQueues, PoolScheduler } from '@inferq/store';
import { dropPrefix, testPrefix, testRedisUrl } from '@inferq/testkit';
import { loadApiConfig, startApi } from '../index';
import type { ApiConfig, StartedApi } from '../index';

export const KEY_ACME = 'acme_key_0123456789abcdef';
export const KEY_GLOBEX = 'globex_key_0123456789abcdef';
export const AUTH_ACME = { Authorization: `Bearer ${KEY_ACME}` };
export const AUTH_GLOBEX = { Authorization: `Bearer ${KEY_GLOBEX}` };

export interface TestApi {
  api: StartedApi;
  http: Agent;
  prefix: string;
  /** The same Redis the api writes, for playing the worker's part. */
  store: JobStore;
  queues: PoolQueues;
  /** The pools' fair schedulers over the same keys. */
  scheduler: PoolScheduler;
  close(): Promise<void>;
}

/** A real api on a free port over `prefix`, with both test tenants and the one extra model of the tests. */
export async function startApiOver(
  prefix: string,
  env: Record<string, string> = {},
): Promise<{ api: StartedApi; http: Agent; config: ApiConfig }> {
  const config = loadApiConfig({
    REDIS_URL: testRedisUrl(),
    QUEUE_PREFIX: prefix,
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'silent',
    API_KEYS: `acme:${KEY_ACME},globex:${KEY_GLOBEX}`,
    ...env,
  });
  const catalog = new ModelCatalog([{ id: 'local/llama', backend: 'openai-compatible', pool: 'gpu' }]);
  const api = await startApi(config, { catalog });
  return { api, http: supertest.agent(api.url), config };
}

/** A real api on a free port over real Redis, under a key prefix of its own. */
export async function startTestApi(name: string, env: Record<string, string> = {}): Promise<TestApi> {
  const prefix = testPrefix(name);
  const { api, http, config } = await startApiOver(prefix, env);
  const redis = createRedis(testRedisUrl(), 'blocking');
  const store = new JobStore(redis, {
    prefix,
    retentionMs: config.JOB_RETENTION,
    payloadRetentionMs: config.PAYLOAD_RETENTION,
    eventsRetentionMs: config.EVENTS_RETENTION,
  });
  const queues = new PoolQueues(redis, prefix);
  return {
    api,
    http,
    prefix,
    store,
    queues,
    scheduler: new PoolScheduler(redis, prefix),
    async close() {
      await api.close();
      await queues.close();
      redis.disconnect();
      await dropPrefix(prefix);
    },
  };
}

export const validJob = { model: 'sim/echo', input: { prompt: 'hello there' } };
