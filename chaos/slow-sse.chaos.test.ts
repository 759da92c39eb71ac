import type { Socket } from 'node:net';
import { appPid, openSse, startFakeOpenAI } from '@inferq/testkit';
import type { FakeProvider } from '@inferq/testkit';
import { auditJobs } from './support/audit';
import { sleep, submitJob } from './support/client';
import { ChaosCluster } from './support/cluster';
import { reportFigures } from './support/figures';
import { submitLoad } from './support/load';
import { kernelQueuedMb, neverReadingClient, rssMb } from './support/slow-client';

// Scenario 7: SSE clients that never read. The job streams ~14 MB of tokens
// (the fake provider's long answer), several times what the kernel's socket
// buffers take per connection (~4 MB on loopback), so an api that wrote
// regardless of backpressure would hold over 100 MB for 12 stalled clients.
const JOBS = 1;
const CLIENTS_PER_JOB = 12;
const WORD = 'x'.repeat(59);
const ANSWER = Array.from({ length: 240_000 }, (_, i) => `${WORD}${i % 10}`).join(' '); // ~14.4 MB, 240k tokens
const SMALL = 'a healthy client reads this while others stall';
const c = new ChaosCluster('slow-sse');
const sockets: Socket[] = [];
let fake: FakeProvider;

beforeAll(async () => {
  // The clients connect while the job waits out its time to first token.
  fake = await startFakeOpenAI({ default: { kind: 'text', text: ANSWER, ttftMs: 3000 } });
});
afterAll(async () => {
  for (const s of sockets) s.destroy();
  await c.close();
  await fake.close();
});

it('stalled SSE clients cost the api bounded memory, and a reading client still gets its whole stream', async () => {
  const api = await c.startApi();
  await c.startWorker({
    WORKER_CONCURRENCY: '4',
    OPENAI_BASE_URL: fake.url,
    OPENAI_API_KEY: 'sk-fake',
    SIM_TTFT_MS: '3000',
    SIM_TOKEN_MS: '5',
  });
  const pid = appPid(api.app);
  const port = Number(new URL(api.url).port);
  const load = await submitLoad(
    () => api.url,
    c.apiKey,
    JOBS,
    JOBS,
    (i) => ({ model: 'openai/gpt-4o-mini', input: { prompt: `long answer ${i}` } }),
  );
  // A small job read by a healthy client at the same time: the stalled ones must not hold it up.
  const small = await submitJob(api.url, c.apiKey, { model: 'sim/echo', input: { prompt: SMALL } });
  if (!small.ok) throw new Error(`small job refused: ${small.status}`);
  const ids = [...load.acknowledged.keys()];
  await sleep(500);
  const rssBefore = rssMb(pid);
  for (const id of ids) {
    for (let k = 0; k < CLIENTS_PER_JOB; k++)
      sockets.push(await neverReadingClient(port, `/v1/jobs/${id}/events`, c.apiKey));
  }
  const readerStart = Date.now();
  const reader = await openSse(`${api.url}/v1/jobs/${small.id}/events`, { authorization: `Bearer ${c.apiKey}` });

  const audit = await auditJobs(c, [...ids, small.id], 60_000);
  await reader.ended;
  const readerS = ((reader.messages.at(-1)?.at ?? Infinity) - readerStart) / 1000; // the healthy client's whole stream
  let rssPeak = 0;
  for (let i = 0; i < 8; i++) {
    rssPeak = Math.max(rssPeak, rssMb(pid));
    await sleep(250);
  }
  const streamMb =
    (await c.redis.xrange(c.store.keys.jobEvents(ids[0]), '-', '+')).reduce((n, [, f]) => n + f.join('').length, 0) /
    1024 /
    1024;
  const offeredMb = streamMb * JOBS * CLIENTS_PER_JOB;
  const kernelMb = kernelQueuedMb(port);
  const health = await fetch(`${api.url}/healthz`).then(
    (r) => r.status,
    () => 0,
  );
  reportFigures('slow-sse', {
    submitted: load.submitted + 1,
    acknowledged: ids.length + 1,
    terminal: audit.terminal,
    lost: audit.lost.length,
    duplicated: audit.duplicated.length,
    maxRecoveryS: readerS,
    extra: {
      stalled_clients: sockets.length,
      offered_mb: offeredMb.toFixed(1),
      kernel_queued_mb: kernelMb.toFixed(1),
      api_rss_before_mb: rssBefore.toFixed(0),
      api_rss_peak_mb: rssPeak.toFixed(0),
    },
  });

  expect(audit.lost).toEqual([]);
  expect(audit.duplicated).toEqual([]);
  expect(health).toBe(200);
  expect(reader.messages.at(-1)?.event).toBe('done');
  expect(
    reader.messages
      .filter((m) => m.event === 'token')
      .map((m) => (JSON.parse(m.data) as { text: string }).text)
      .join(''),
  ).toBe(SMALL);
  // The stalled clients left far more untaken than the kernel holds (else this proves nothing)...
  expect(offeredMb - kernelMb).toBeGreaterThan(100);
  // ...and the api did not take it on: about one read batch per client, plus noise.
  expect(rssPeak - rssBefore).toBeLessThan(60);
}, 120_000);
