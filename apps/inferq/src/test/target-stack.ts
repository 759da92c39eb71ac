import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadApiConfig, startApi } from '@inferq/api';
import { JobRecord } from '@inferq/core';
import type { ModelSpec } from '@inferq/core';
import { waitFor } from '@inferq/testkit';
import type { RedisTestTarget } from '@inferq/testkit';
import { startStack } from '@inferq/test-stack';
import type { Stack } from '@inferq/test-stack';

/**
 * The whole system (api, worker, dispatcher; sim backend) on one Redis test
 * target, and the HTTP calls the target suites make. The `idle` pool has no
 * worker, so jobs there stay queued for as long as a test needs.
 */
export const TENANT_KEYS = {
  acme: 'acme-targets-key-0123456789',
  globex: 'globex-targets-key-0123456789',
  initech: 'initech-targets-key-0123456789',
  /** Only the rate-limit test uses it: a minute's window of its own. */
  umbrella: 'umbrella-targets-key-0123456789',
} as const;
export type Tenant = keyof typeof TENANT_KEYS;
export const ADMIN_TOKEN = 'admin-targets-token-0123456789';
export const IDLE_MODEL = 'local/idle';

/** A tenant of API_KEYS, the admin, or any bearer key (one made at run time). */
export type Caller = Tenant | 'admin' | { key: string };
export type Call = (
  who: Caller,
  method: string,
  path: string,
  body?: unknown,
  headers?: Record<string, string>,
) => Promise<Reply>;

export interface Reply {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

export interface TargetStack {
  stack: Stack;
  url: string;
  /** A JSON call to the api. */
  call: Call;
  submit(who: Tenant, body?: object): Promise<string>;
  record(who: Tenant, id: string, wait?: number): Promise<JobRecord>;
  /** Polls (with ?wait) until the job has the status; fails at once on another final status. */
  until(who: Tenant, id: string, status: JobRecord['status']): Promise<JobRecord>;
  /** Another api process's worth over the same Redis and prefix (own connections and caches). */
  peer(): Promise<{ url: string; call: Call; close(): Promise<void> }>;
  close(): Promise<void>;
}

const TERMINAL = ['succeeded', 'failed', 'canceled'];

/** JSON calls to the api at `url`. */
export function caller(url: string): Call {
  return async (who, method, path, body, headers = {}) => {
    const auth = typeof who === 'object' ? who.key : who === 'admin' ? ADMIN_TOKEN : TENANT_KEYS[who];
    const send = () =>
      fetch(`${url}${path}`, {
        method,
        headers: { authorization: `Bearer ${auth}`, 'content-type': 'application/json', ...headers },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    // A keep-alive socket the server closed while idle resets on reuse: one retry on a new one.
    const res = await send().catch(send);
    const text = await res.text();
    return {
      status: res.status,
      headers: res.headers,
      body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
    };
  };
}

/** Starts the stack on the target (waiting for the cluster to be up); `env` and `models` add to the defaults. */
export async function startTargetStack(
  target: RedisTestTarget,
  name: string,
  env: Record<string, string> = {},
  models: Partial<ModelSpec>[] = [],
): Promise<TargetStack> {
  const info = await target.ready();
  const modelsFile = join(mkdtempSync(join(tmpdir(), 'inferq-targets-')), 'models.json');
  writeFileSync(modelsFile, JSON.stringify({ models: [{ id: IDLE_MODEL, backend: 'sim', pool: 'idle' }, ...models] }));
  const stack = await startStack(
    `${name}-${target.name}`,
    {
      API_KEYS: Object.entries(TENANT_KEYS)
        .map(([t, k]) => `${t}:${k}`)
        .join(','),
      ADMIN_TOKEN,
      MODELS_FILE: modelsFile,
      WEBHOOK_ALLOW_HOSTS: '127.0.0.1',
      WEBHOOK_RETRY_SCHEDULE: '200ms',
      WORKER_CONCURRENCY: '4',
      ...env,
    },
    { dispatcher: true, target: info },
  );
  const call = caller(stack.url);
  const record = async (who: Tenant, id: string, wait = 0) => {
    const res = await call(who, 'GET', `/v1/jobs/${id}${wait ? `?wait=${wait}` : ''}`);
    if (res.status !== 200) throw new Error(`GET /v1/jobs/${id}: ${res.status} ${JSON.stringify(res.body)}`);
    return JobRecord.parse(res.body);
  };
  return {
    stack,
    url: stack.url,
    call,
    record,
    async submit(who, body = { model: 'sim/echo', input: { prompt: 'hello there' } }) {
      const res = await call(who, 'POST', '/v1/jobs', body);
      if (res.status !== 202) throw new Error(`POST /v1/jobs: ${res.status} ${JSON.stringify(res.body)}`);
      return String(res.body.id);
    },
    async until(who, id, status) {
      const final = await waitFor(async () => {
        const r = await record(who, id, TERMINAL.includes(status) ? 5 : 0);
        return r.status === status || TERMINAL.includes(r.status) ? r : undefined;
      }, 30_000);
      if (final.status !== status) throw new Error(`job ${id} ended ${final.status}, not ${status}`);
      return final;
    },
    async peer() {
      const api = await startApi(loadApiConfig(stack.env));
      return { url: api.url, call: caller(api.url), close: () => api.close() };
    },
    close: () => stack.close(),
  };
}
