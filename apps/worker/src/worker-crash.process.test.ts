import { waitFor } from '@inferq/testkit';
import type { SpawnedApp } from '@inferq/testkit';
import { workerHarness } from './test/worker-harness';
import { workerProcesses } from './test/worker-processes';

// A process-level test: real `npm run start:worker` processes, one SIGKILLed mid-job.
const h = workerHarness('crash');
const workers = workerProcesses(h.prefix);
const worker = (): SpawnedApp =>
  workers.start({ WORKER_LOCK_MS: '1500', WORKER_STALLED_MS: '1000', SIM_TTFT_MS: '2500' });

afterAll(async () => {
  await workers.killAll();
  await h.close();
});

it('finishes a job on another worker after its first worker is SIGKILLed mid-job', async () => {
  const first = worker();
  await first.waitForOutput(/worker started/);
  const id = await h.submit({ model: 'sim/echo', input: { prompt: 'survive the crash' } });
  await waitFor(async () => ((await h.store.get(id))?.record.status === 'running' ? true : undefined));
  first.kill('SIGKILL');
  await first.exited;

  const second = worker();
  await second.waitForOutput(/worker started/);
  const rec = await h.terminal(id, 30_000);
  expect(rec).toMatchObject({ status: 'succeeded', attempts: 2, output: { text: 'survive the crash' } });
}, 60_000);
