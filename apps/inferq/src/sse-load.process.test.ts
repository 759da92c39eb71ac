import { openSse, testPrefix, testRedisUrl, spawnTestApi } from '@inferq/testkit';
import type { SseStream, SpawnedTestApi } from '@inferq/testkit';
import { loadWorkerConfig, startWorker } from '@inferq/worker';
import type { RunningWorker } from '@inferq/worker';

// 500 concurrent SSE clients on one real `npm run start:api` process; a worker
// in this process runs the jobs with the sim backend.
const prefix = testPrefix('sse-load');
const KEY = 'sse-load-test-key-000001';
const auth = { authorization: `Bearer ${KEY}` };
const JOBS = 100;
const CLIENTS_PER_JOB = 5;
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

async function submit(): Promise<string> {
  const res = await fetch(`${url}/v1/jobs`, {
    method: 'POST',
    headers: { ...auth, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'sim/echo', input: { prompt: PROMPT } }),
  });
  if (res.status !== 202) throw new Error(`submit answered ${res.status}`);
  return ((await res.json()) as { id: string }).id;
}

it('serves 500 concurrent SSE clients on one api process, every one to done', async () => {
  const idle = apiRssMiB();
  const ids = await Promise.all(Array.from({ length: JOBS }, submit));
  // Every client connects while its job is still queued: all 500 streams are open at once.
  const streams: Array<{ id: string; sse: SseStream }> = await Promise.all(
    ids.flatMap((id) =>
      Array.from({ length: CLIENTS_PER_JOB }, async () => ({
        id,
        sse: await openSse(`${url}/v1/jobs/${id}/events`, auth),
      })),
    ),
  );
  expect(streams.filter((s) => s.sse.status === 200)).toHaveLength(JOBS * CLIENTS_PER_JOB);
  await Promise.all(streams.map((s) => s.sse.waitFor((m) => m.event === 'status', 30_000)));
  const open = apiRssMiB();

  let peak = open;
  const sampler = setInterval(() => (peak = Math.max(peak, apiRssMiB())), 250);
  const wenv = {
    REDIS_URL: testRedisUrl(),
    QUEUE_PREFIX: prefix,
    HOST: '127.0.0.1',
    METRICS_PORT: '0',
    LOG_LEVEL: 'silent',
  };
  worker = await startWorker(
    loadWorkerConfig({ ...wenv, WORKER_CONCURRENCY: String(JOBS), SIM_TTFT_MS: '300', SIM_TOKEN_MS: '30' }),
  );
  const started = Date.now();
  await Promise.all(streams.map((s) => s.sse.ended));
  clearInterval(sampler);
  const tookMs = Date.now() - started;

  for (const { id, sse } of streams) {
    const done = sse.messages[sse.messages.length - 1];
    expect(done?.event).toBe('done');
    const record = JSON.parse(done.data) as { id: string; status: string; output: { text: string } };
    expect(record).toMatchObject({ id, status: 'succeeded' });
    const text = sse.messages
      .filter((m) => m.event === 'token')
      .map((m) => (JSON.parse(m.data) as { text: string }).text);
    expect(text.join('')).toBe(record.output.text);
  }
  console.log(
    `500 SSE clients (${JOBS} jobs x ${CLIENTS_PER_JOB}) on one api process: all done in ${tookMs} ms; ` +
      `api RSS ${idle} MiB idle, ${open} MiB with 500 streams open, ${peak} MiB peak while streaming`,
  );
}, 120_000);
