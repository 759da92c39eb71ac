import type { SpawnedApp } from '@inferq/testkit';
import { auditJobs, wrongOutputs } from './support/audit';
import { promptFor, sleep } from './support/client';
import { ChaosCluster } from './support/cluster';
import { countsOf, reportFigures } from './support/figures';
import { submitLoad } from './support/load';

// Scenario 1: SIGKILL workers mid-job, again and again, under load.
const JOBS = 400;
const KILLS = 10;
// ~1.2 s per job (10 words): long enough that every kill lands on running jobs.
const WORKER = { WORKER_CONCURRENCY: '16', SIM_TTFT_MS: '300', SIM_TOKEN_MS: '100' };
const c = new ChaosCluster('worker-kill');

afterAll(() => c.close());

it('every acknowledged job succeeds once, with its own output, through repeated worker SIGKILLs', async () => {
  const api = await c.startApi();
  const workers: SpawnedApp[] = await Promise.all([c.startWorker(WORKER), c.startWorker(WORKER)]);
  const kills: number[] = [];

  const killer = (async () => {
    for (let k = 0; k < KILLS; k++) {
      await sleep(1200);
      kills.push(Date.now());
      await c.kill(workers[k % 2]);
      workers[k % 2] = await c.startWorker(WORKER);
    }
  })();
  const load = await submitLoad(
    () => api.url,
    c.apiKey,
    JOBS,
    16,
    (i) => ({
      model: 'sim/echo',
      input: { prompt: promptFor('wk', i, 10) },
      max_attempts: 10,
    }),
  );
  await killer;

  const ids = [...load.acknowledged.keys()];
  const audit = await auditJobs(c, ids, 90_000);
  const wrong = wrongOutputs(audit, load.acknowledged);
  const retried = [...audit.jobs.values()].filter((a) => (a.record?.attempts ?? 0) > 1);
  // Recovery: from the kill that interrupted a job to its next attempt starting elsewhere.
  const recoveries = retried.map((a) => {
    const started = Date.parse(a.record?.started_at ?? '');
    const kill = Math.max(...kills.filter((t) => t < started));
    return (started - kill) / 1000;
  });
  reportFigures('worker-kill', {
    submitted: load.submitted,
    acknowledged: ids.length,
    terminal: audit.terminal,
    lost: audit.lost.length,
    duplicated: audit.duplicated.length,
    maxRecoveryS: Math.max(0, ...recoveries),
    extra: {
      refused: countsOf(load.refused),
      kills: kills.length,
      retried_jobs: retried.length,
      wrong_output: wrong.length,
    },
  });

  expect(ids.length).toBe(JOBS);
  expect(audit.lost).toEqual([]);
  expect(audit.duplicated).toEqual([]);
  expect(wrong).toEqual([]);
  for (const a of audit.jobs.values()) expect(a).toMatchObject({ terminalTransitions: 1, doneEntries: 1 });
  expect(kills.length).toBe(KILLS);
  // Each kill of a loaded worker interrupts many jobs: fewer would mean the kills missed.
  expect(retried.length).toBeGreaterThanOrEqual(KILLS);
}, 180_000);
