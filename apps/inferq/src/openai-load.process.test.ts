import OpenAI from 'openai';
import { testPrefix, testRedisUrl, spawnTestApi } from '@inferq/testkit';
import type { SpawnedTestApi } from '@inferq/testkit';
import { loadWorkerConfig, startWorker } from '@inferq/worker';
import type { RunningWorker } from '@inferq/worker';

// 200 concurrent streamed chat completions through the OpenAI SDK on one real
// `npm run start:api` process; a worker in this process runs the jobs (sim).
const prefix = testPrefix('oai-load');
const KEY = 'openai-load-test-key-0001';
const CLIENTS = 200;
const PROMPT = Array.from({ length: 20 }, (_, i) => `word${i}`).join(' ');
let api: SpawnedTestApi;
let worker: RunningWorker | undefined;
let url: string;
const apiRssMiB = () => api.rssMiB();

beforeAll(async () => {
  api = await spawnTestApi(prefix, KEY);
  url = api.url;
}, 90_000);

afterAll(async () => {
  await worker?.close();
  await api.close();
});

it(`streams ${CLIENTS} concurrent chat completions on one api process, every one to [DONE]`, async () => {
  const idle = apiRssMiB();
  // Every stream opens while no worker runs: all of them are open at once.
  const client = new OpenAI({ apiKey: KEY, baseURL: `${url}/v1`, maxRetries: 0 });
  const streams = await Promise.all(
    Array.from({ length: CLIENTS }, () =>
      client.chat.completions.create({
        model: 'sim/echo',
        messages: [{ role: 'user', content: PROMPT }],
        stream: true,
        stream_options: { include_usage: true },
      }),
    ),
  );
  const open = apiRssMiB();
  let peak = open;
  const sampler = setInterval(() => (peak = Math.max(peak, apiRssMiB())), 250);
  const started = Date.now();
  const read = streams.map(async (stream) => {
    let text = '';
    let usage: OpenAI.CompletionUsage | null | undefined;
    for await (const c of stream) {
      text += c.choices[0]?.delta.content ?? '';
      usage = c.usage ?? usage;
    }
    return { text, usage };
  });
  worker = await startWorker(
    loadWorkerConfig({
      REDIS_URL: testRedisUrl(),
      QUEUE_PREFIX: prefix,
      HOST: '127.0.0.1',
      METRICS_PORT: '0',
      LOG_LEVEL: 'silent',
      WORKER_CONCURRENCY: String(CLIENTS),
      SIM_TTFT_MS: '300',
      SIM_TOKEN_MS: '30',
    }),
  );
  const results = await Promise.all(read);
  clearInterval(sampler);
  const tookMs = Date.now() - started;
  for (const r of results) {
    expect(r.text).toBe(PROMPT);
    expect(r.usage?.completion_tokens).toBe(20);
  }
  expect(api.app.output()).not.toMatch(/"level":50/); // nothing logged at error level
  console.log(
    `${CLIENTS} concurrent streamed chat completions on one api process: all [DONE] in ${tookMs} ms; ` +
      `api RSS ${idle} MiB idle, ${open} MiB with ${CLIENTS} streams open, ${peak} MiB peak while streaming`,
  );
}, 120_000);
