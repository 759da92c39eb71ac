import { createRedis, JobStore } from '@inferq/store';
import { startFakeOpenAI, testRedisUrl, waitFor } from '@inferq/testkit';
import type { FakeProvider } from '@inferq/testkit';
import { startWorker } from './index';
import { workerHarness } from './test/worker-harness';

// A compressed input written by this version survives a worker restart: the
// first worker is stopped mid-call and hands the job back; a new worker reads
// the compressed input again and finishes it, its output compressed too.
const h = workerHarness('payload-restart');
let fake: FakeProvider;

beforeAll(async () => {
  fake = await startFakeOpenAI();
  h.modelsFile([]);
});
afterAll(async () => {
  await fake.close();
  await h.close();
});

/** 300 KB of text with some variety, as a document in a prompt. */
const DOC = Array.from({ length: 30_000 }, (_, i) => `item-${i} costs ${(i * 37) % 1000} units;`).join(' ');

it('reads back a compressed input after a restart and finishes the job', async () => {
  const env = { OPENAI_BASE_URL: fake.url, OPENAI_API_KEY: 'sk-test', WORKER_SHUTDOWN_GRACE_MS: '100' };
  const id = await h.submit({ model: 'openai/gpt-4o-mini', input: { prompt: DOC }, params: { max_tokens: 1_000_000 } });
  const stored = await h.redis.hgetBuffer(h.store.keys.jobPayload(id), 'in');
  expect(stored![0]).toBe(0x01); // compressed
  expect(stored!.length).toBeLessThan(DOC.length / 2);

  fake.script({ kind: 'hang' });
  const first = await startWorker(h.config(env));
  await fake.waitForRequests(1, 20_000);
  await first.close(); // the grace runs out: the job is handed back, not failed

  const second = await startWorker(h.config(env));
  try {
    const rec = await h.terminal(id, 60_000);
    expect(rec.status).toBe('succeeded');
    expect(rec.output?.text).toBe(DOC);
    const calls = await fake.waitForRequests(2, 20_000);
    expect(calls[1].body.messages).toEqual([{ role: 'user', content: DOC }]);
  } finally {
    await second.close();
  }
  // The output is stored compressed and a store on a new connection reads it whole.
  const out = await h.redis.hgetBuffer(h.store.keys.jobPayload(id), 'out');
  expect(out![0]).toBe(0x01);
  const redis = createRedis(testRedisUrl(), 'blocking');
  try {
    const fresh = new JobStore(redis, { prefix: h.prefix, retentionMs: 600_000 });
    await waitFor(async () => ((await fresh.get(id))?.record.output?.text === DOC ? true : undefined));
  } finally {
    redis.disconnect();
  }
}, 120_000);
