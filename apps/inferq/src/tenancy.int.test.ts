import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StartedApi, UsageRow } from '@inferq/api';
import { JobRecord } from '@inferq/core';
import { createRedis, ResponseCache } from '@inferq/store';
import { dropPrefix, testPrefix, testRedisUrl, waitFor } from '@inferq/testkit';
import { startApiAndWorker } from '@inferq/test-stack';
import type { ApiAndWorker } from '@inferq/test-stack';

/**
 * Usage counters and the response cache through the running system: the real
 * api and worker (sim backend) over one Redis, talking HTTP.
 */
const prefix = testPrefix('tenancy-e2e');
const KEYS = { acme: 'acme-e2e-key-0123456789', globex: 'globex-e2e-key-0123456789' };
const PRICE = { input_per_mtok: 1.5, output_per_mtok: 6 };
let api: StartedApi;
let stack: ApiAndWorker;
const redis = createRedis(testRedisUrl(), 'blocking');

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'inferq-tenancy-'));
  const modelsFile = join(dir, 'models.json');
  writeFileSync(modelsFile, JSON.stringify({ models: [{ id: 'local/echo', backend: 'sim', price: PRICE }] }));
  stack = await startApiAndWorker(prefix, {
    API_KEYS: `acme:${KEYS.acme},globex:${KEYS.globex}`,
    MODELS_FILE: modelsFile,
    SIM_TTFT_MS: '0',
    SIM_TOKEN_MS: '0',
  });
  api = stack.api;
});
afterAll(async () => {
  await stack.close();
  redis.disconnect();
  await dropPrefix(prefix);
});

async function http(tenant: keyof typeof KEYS, method: string, path: string, body?: unknown) {
  const res = await fetch(`${api.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${KEYS[tenant]}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}
const submit = async (tenant: keyof typeof KEYS, body: object) => {
  const res = await http(tenant, 'POST', '/v1/jobs', body);
  expect(res.status).toBe(202);
  return res.body as { id: string; status: string };
};
const finished = async (tenant: keyof typeof KEYS, id: string) =>
  JobRecord.parse(
    await waitFor(async () => {
      const r = (await http(tenant, 'GET', `/v1/jobs/${id}?wait=5`)).body;
      return ['succeeded', 'failed', 'canceled'].includes(String(r.status)) ? r : undefined;
    }, 20_000),
  );
const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
/** Totals per model over yesterday and today (a run across midnight UTC splits the days). */
async function usageByModel(tenant: keyof typeof KEYS): Promise<Map<string, UsageRow>> {
  const res = await http(tenant, 'GET', `/v1/usage?from=${day(-1)}&to=${day(0)}`);
  expect(res.status).toBe(200);
  const totals = new Map<string, UsageRow>();
  for (const r of res.body.data as UsageRow[]) {
    const t = totals.get(r.model) ?? {
      ...r,
      jobs: 0,
      input_tokens: 0,
      output_tokens: 0,
      estimated_cost_usd: r.estimated_cost_usd === undefined ? undefined : 0,
    };
    t.jobs += r.jobs;
    t.input_tokens += r.input_tokens;
    t.output_tokens += r.output_tokens;
    if (r.estimated_cost_usd !== undefined) t.estimated_cost_usd = (t.estimated_cost_usd ?? 0) + r.estimated_cost_usd;
    totals.set(r.model, t);
  }
  return totals;
}

describe('usage', () => {
  it('equals the sum over the finished jobs, per model, with the estimated cost of priced models', async () => {
    const bodies = [
      { model: 'sim/echo', input: { prompt: 'one two three' } },
      { model: 'sim/echo', input: { messages: [{ role: 'user', content: 'alpha beta' }] } },
      { model: 'sim/echo', input: { prompt: 'a b c d e f g h' }, params: { max_tokens: 3 } },
      { model: 'local/echo', input: { prompt: 'priced words here' } },
      { model: 'local/echo', input: { prompt: 'more priced words here too' } },
    ];
    const jobs = [];
    for (const b of bodies) jobs.push(await finished('acme', (await submit('acme', b)).id));
    const expected = new Map<string, { jobs: number; input_tokens: number; output_tokens: number }>();
    for (const j of jobs) {
      expect(j.status).toBe('succeeded');
      const e = expected.get(j.model) ?? { jobs: 0, input_tokens: 0, output_tokens: 0 };
      e.jobs += 1;
      e.input_tokens += j.usage?.input_tokens ?? 0;
      e.output_tokens += j.usage?.output_tokens ?? 0;
      expected.set(j.model, e);
    }
    const got = await usageByModel('acme');
    for (const [model, e] of expected) {
      expect(e.input_tokens).toBeGreaterThan(0);
      expect(got.get(model)).toMatchObject(e);
    }
    const local = expected.get('local/echo')!;
    const cost = (local.input_tokens * PRICE.input_per_mtok + local.output_tokens * PRICE.output_per_mtok) / 1e6;
    expect(got.get('local/echo')?.estimated_cost_usd).toBeCloseTo(cost, 6);
    expect(got.get('sim/echo')?.estimated_cost_usd).toBeUndefined();
    expect((await usageByModel('globex')).size).toBe(0);
  });

  it('refuses malformed ranges with 400', async () => {
    for (const q of [
      'from=2024-02-30',
      'from=yesterday',
      `from=${day(0)}&to=${day(-1)}`,
      'from=2020-01-01&to=2024-01-01',
    ]) {
      expect((await http('acme', 'GET', `/v1/usage?${q}`)).status).toBe(400);
    }
  });
});

describe('response cache', () => {
  const cacheable = {
    model: 'local/echo',
    input: { prompt: 'cache me please' },
    params: { temperature: 0 },
    cache: true,
  };
  const cache = new ResponseCache(redis, prefix, 60_000);

  it('answers an identical temperature-0 request at once from the stored output, cached and free', async () => {
    const first = await finished('acme', (await submit('acme', cacheable)).id);
    expect(first.status).toBe('succeeded');
    expect(first.cached).toBeUndefined();
    // The worker writes the entry just after the job turns succeeded.
    await waitFor(() => cache.get('acme', cacheable.model, cacheable), 10_000);
    const before = (await usageByModel('acme')).get('local/echo')!;

    const again = await submit('acme', { ...cacheable, metadata: { attempt: 2 } });
    expect(again.status).toBe('succeeded');
    const rec = JobRecord.parse((await http('acme', 'GET', `/v1/jobs/${again.id}`)).body);
    expect(rec).toMatchObject({
      status: 'succeeded',
      cached: true,
      output: first.output,
      usage: { input_tokens: 0, output_tokens: 0 },
    });
    expect(rec.metadata).toEqual({ attempt: 2 });

    const after = (await usageByModel('acme')).get('local/echo')!;
    expect(after.jobs).toBe(before.jobs + 1);
    expect([after.input_tokens, after.output_tokens]).toEqual([before.input_tokens, before.output_tokens]);
  });

  it.each([
    ['another tenant', 'globex', cacheable],
    ['a sampling temperature', 'acme', { ...cacheable, params: { temperature: 0.7 } }],
    ['no temperature', 'acme', { ...cacheable, params: {} }],
    ['cache off', 'acme', { ...cacheable, cache: false }],
    ['another input', 'acme', { ...cacheable, input: { prompt: 'cache me please!' } }],
    ['other params', 'acme', { ...cacheable, params: { temperature: 0, max_tokens: 2 } }],
  ] as const)('misses for %s', async (_name, tenant, body) => {
    const accepted = await submit(tenant, body);
    expect(accepted.status).toBe('queued');
    const rec = await finished(tenant, accepted.id);
    expect(rec.status).toBe('succeeded');
    expect(rec.cached).toBeUndefined();
    expect(rec.usage?.input_tokens).toBeGreaterThan(0);
  });
});
