import { startFakeOpenAI } from '@inferq/testkit';
import type { FakeProvider } from '@inferq/testkit';
import { startWorker } from './index';
import { workerHarness } from './test/worker-harness';

const h = workerHarness('pools');
let fake: FakeProvider;
beforeAll(async () => {
  fake = await startFakeOpenAI();
  h.modelsFile([
    { id: 'local/a', backend: 'openai-compatible', base_url: fake.url, model: 'model-a', pool: 'gpu-a' },
    { id: 'local/b', backend: 'openai-compatible', base_url: fake.url, model: 'model-b', pool: 'gpu-b' },
  ]);
});
afterAll(async () => {
  await fake.close();
  await h.close();
});

it('starts high before normal before low within a pool, first in first out within a priority', async () => {
  const order: Array<[string, 'high' | 'normal' | 'low']> = [
    ['l1', 'low'],
    ['n1', 'normal'],
    ['l2', 'low'],
    ['h1', 'high'],
    ['n2', 'normal'],
    ['h2', 'high'],
  ];
  const ids = new Map<string, string>();
  for (const [name, priority] of order)
    ids.set(await h.submit({ model: 'sim/echo', input: { prompt: name }, priority }), name);
  const worker = await startWorker(h.config({ WORKER_CONCURRENCY: '1', SIM_TTFT_MS: '5' }));
  try {
    const records = await Promise.all([...ids.keys()].map((id) => h.terminal(id)));
    const started = records.sort((a, b) => a.started_at!.localeCompare(b.started_at!)).map((r) => ids.get(r.id));
    expect(started).toEqual(['h1', 'h2', 'n1', 'n2', 'l1', 'l2']);
  } finally {
    await worker.close();
  }
});

it('routes each model to the workers of its pool only', async () => {
  const a = await h.submit({ model: 'local/a', input: { prompt: 'for a' } });
  const b = await h.submit({ model: 'local/b', input: { prompt: 'for b' } });
  const workerA = await startWorker(h.config({ WORKER_POOLS: 'gpu-a' }));
  try {
    expect((await h.terminal(a)).status).toBe('succeeded');
    await new Promise((r) => setTimeout(r, 300));
    expect((await h.store.get(b))?.record.status).toBe('queued');
    expect(fake.requests.map((r) => r.body.model)).toEqual(['model-a']);
  } finally {
    await workerA.close();
  }
  const workerB = await startWorker(h.config({ WORKER_POOLS: 'gpu-b' }));
  try {
    expect((await h.terminal(b)).output?.text).toBe('for b');
    expect(fake.requests.map((r) => r.body.model)).toEqual(['model-a', 'model-b']);
  } finally {
    await workerB.close();
  }
});
