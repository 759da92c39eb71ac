import type { BatchOutputLine } from '@inferq/core';
import { describeOnTargets, parseSse, promValue, waitFor } from '@inferq/testkit';
import { chatLine, jsonl, BatchHttp, contentOf } from './test/batch-fixtures';
import { IDLE_MODEL, TENANT_KEYS, startTargetStack } from './test/target-stack';
import type { TargetStack } from './test/target-stack';

/**
 * The OpenAI-compatible surface, the response cache and the pool gauges,
 * once on standalone Redis and once on a local 3-master Redis Cluster (SPEC
 * sections 10-12).
 */
jest.setTimeout(60_000);

const METRICS_TOKEN = 'metrics-targets-token-0123456789';
const chat = (content: string, extra: object = {}) => ({
  model: 'sim/echo',
  messages: [{ role: 'user', content }],
  ...extra,
});
type Completion = { choices: { message: { content: string } }[] };
type Chunk = { choices: { delta: { content?: string } }[] };

describeOnTargets('the OpenAI-compatible api, cache and gauges', (target) => {
  let s: TargetStack;
  beforeAll(async () => {
    s = await startTargetStack(target, 'openai', { METRICS_TOKEN });
  });
  afterAll(() => s?.close());

  it('answers a chat completion through the queue', async () => {
    const res = await s.call('acme', 'POST', '/v1/chat/completions', chat('queued chat'));
    expect(res.status).toBe(200);
    expect((res.body as unknown as Completion).choices[0]?.message.content).toBe('queued chat');
  });

  it('streams a chat completion, ending with [DONE]', async () => {
    const res = await fetch(`${s.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TENANT_KEYS.acme}`, 'content-type': 'application/json' },
      body: JSON.stringify(chat('streamed chat words', { stream: true })),
    });
    expect(res.status).toBe(200);
    const data = parseSse(await res.text()).map((m) => m.data);
    expect(data[data.length - 1]).toBe('[DONE]');
    const text = data
      .slice(0, -1)
      .map((d) => (JSON.parse(d) as Chunk).choices[0]?.delta.content ?? '')
      .join('');
    expect(text).toBe('streamed chat words');
  });

  it('runs a batch to completed with one output line per request', async () => {
    const http = new BatchHttp(s.url, TENANT_KEYS.globex);
    const file = await http.uploadOk(jsonl([0, 1, 2].map((i) => chatLine(`req-${i}`, 'sim/echo', `batch ${i}`))));
    const batch = await http.create(file);
    const done = await http.until(batch.id, ['completed', 'failed', 'expired', 'cancelled']);
    expect(done).toMatchObject({ status: 'completed', request_counts: { total: 3, completed: 3, failed: 0 } });
    const lines: BatchOutputLine[] = await http.lines(done.output_file_id);
    expect(lines.map((l) => [l.custom_id, contentOf(l)]).sort()).toEqual([
      ['req-0', 'batch 0'],
      ['req-1', 'batch 1'],
      ['req-2', 'batch 2'],
    ]);
  });

  it('answers an identical temperature-0 request from the response cache', async () => {
    const body = { model: 'sim/echo', input: { prompt: 'cache me' }, params: { temperature: 0 }, cache: true };
    const first = await s.until('initech', await s.submit('initech', body), 'succeeded');
    expect(first.cached).toBeUndefined();
    // The worker writes the entry just after the job turns succeeded.
    const again = await waitFor(async () => {
      const res = await s.call('initech', 'POST', '/v1/jobs', body);
      if (res.status !== 202) throw new Error(`POST /v1/jobs: ${res.status}`);
      return res.body.status === 'succeeded' ? res.body : undefined;
    });
    expect(await s.record('initech', String(again.id))).toMatchObject({ cached: true, output: { text: 'cache me' } });
  });

  it("exports each pool's queued jobs from Redis on the api's /metrics", async () => {
    const ids = [
      await s.submit('umbrella', { model: IDLE_MODEL, input: { prompt: 'gauge' } }),
      await s.submit('umbrella', { model: IDLE_MODEL, input: { prompt: 'gauge' }, priority: 'high' }),
    ];
    const res = await fetch(`${s.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(promValue(text, 'inferq_pool_queued_jobs', { pool: 'idle', priority: 'normal' })).toBe(1);
    expect(promValue(text, 'inferq_pool_queued_jobs', { pool: 'idle', priority: 'high' })).toBe(1);
    expect(promValue(text, 'inferq_pool_oldest_queued_seconds', { pool: 'idle' })).toBeGreaterThanOrEqual(0);
    for (const id of ids) await s.call('umbrella', 'POST', `/v1/jobs/${id}/cancel`);
  });
});
