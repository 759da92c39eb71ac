import { redisKeys } from '@inferq/core';
import { appPid, waitFor } from '@inferq/testkit';
import { workerHarness } from './test/worker-harness';
import { workerProcesses } from './test/worker-processes';

// SIGTERM drains a real `npm run start:worker`: the job in flight finishes within the
// grace period, or goes back to the queue and finishes on another worker. Exactly once either way.
const h = workerHarness('drain');
const workers = workerProcesses(h.prefix);
const worker = (env: Record<string, string>) => workers.start(env);

afterAll(async () => {
  await workers.killAll();
  await h.close();
});

async function running(id: string): Promise<void> {
  await waitFor(async () => ((await h.store.get(id))?.record.status === 'running' ? true : undefined), 20_000);
}

/** How many times the job's event stream says it succeeded. */
async function successes(id: string): Promise<number> {
  const entries = await h.redis.xrange(redisKeys(h.prefix).jobEvents(id), '-', '+');
  return entries.filter(([, fields]) => fields.some((f) => f.includes('"status":"succeeded"'))).length;
}

it('finishes the job in flight on SIGTERM and exits 0', async () => {
  const w = worker({ SIM_TTFT_MS: '3000' });
  await w.waitForOutput(/worker started/);
  const id = await h.submit({ model: 'sim/echo', input: { prompt: 'finish me first' } });
  await running(id);
  process.kill(appPid(w), 'SIGTERM');
  expect(await w.exited).toBe(0);
  // The worker exits only after the drain, so the record is already final.
  const rec = (await h.store.get(id))?.record;
  expect(rec).toMatchObject({ status: 'succeeded', attempts: 1, output: { text: 'finish me first' } });
  expect(await successes(id)).toBe(1);
}, 60_000);

it('hands the job back after WORKER_SHUTDOWN_GRACE_MS and another worker finishes it once', async () => {
  const first = worker({ SIM_TTFT_MS: '5000', WORKER_SHUTDOWN_GRACE_MS: '300' });
  await first.waitForOutput(/worker started/);
  const id = await h.submit({ model: 'sim/echo', input: { prompt: 'hand me back' } });
  await running(id);
  process.kill(appPid(first), 'SIGTERM');
  expect(await first.exited).toBe(0);
  expect((await h.store.get(id))?.record.status).toBe('queued');

  const second = worker({ SIM_TTFT_MS: '100' });
  await second.waitForOutput(/worker started/);
  const rec = await h.terminal(id, 30_000);
  expect(rec).toMatchObject({ status: 'succeeded', output: { text: 'hand me back' }, error: null });
  expect(await successes(id)).toBe(1);
}, 60_000);
