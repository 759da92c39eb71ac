import { freePort, waitFor } from '@inferq/testkit';
import { auditJobs, stuckRecords, wrongOutputs } from './support/audit';
import { promptFor, sleep } from './support/client';
import { ChaosCluster } from './support/cluster';
import type { ApiProcess } from './support/cluster';
import { countsOf, reportFigures } from './support/figures';
import { submitLoad } from './support/load';

// Scenario 3: SIGKILL the api in the middle of a submission burst, three times.
const KILLS = 3;
const WORKER = { WORKER_CONCURRENCY: '16', SIM_TTFT_MS: '20', SIM_TOKEN_MS: '5' };
const c = new ChaosCluster('api-kill');

afterAll(() => c.close());

it('every submission answered 202 is a job that finishes, though the api was SIGKILLed mid-burst', async () => {
  const port = await freePort();
  let api: ApiProcess = await c.startApi(port);
  await Promise.all([c.startWorker(WORKER), c.startWorker(WORKER)]);
  const kills: number[] = [];
  let stop = false;

  // Submits until `stop`: the cap is only a bound. It must not run out before the last restart,
  // or that restart has no acknowledged submission to measure its recovery by.
  const loading = submitLoad(
    () => api.url,
    c.apiKey,
    50_000,
    16,
    (i) => ({
      model: 'sim/echo',
      input: { prompt: promptFor('ak', i) },
    }),
    () => stop,
  );
  for (let k = 0; k < KILLS; k++) {
    await sleep(1500);
    await c.kill(api.app);
    kills.push(Date.now()); // recovery counts from the moment the api is gone
    api = await c.startApi(port);
  }
  await sleep(1000);
  stop = true;
  const load = await loading;

  const ids = [...load.acknowledged.keys()];
  const audit = await auditJobs(c, ids, 60_000);
  const wrong = wrongOutputs(audit, load.acknowledged);
  // Records of submissions that never got their 202 must not stay queued forever either: the
  // record and its queue entry are written in one transaction, so a kill leaves both or neither.
  const stuck = await waitFor(async () => {
    const s = await stuckRecords(c, 'chaos');
    return s.length === 0 ? s : undefined;
  }, 15_000).catch(() => stuckRecords(c, 'chaos'));
  const recoveries = kills.map((t) => ((load.ackTimes.find((a) => a > t) ?? Infinity) - t) / 1000);
  reportFigures('api-kill', {
    submitted: load.submitted,
    acknowledged: ids.length,
    terminal: audit.terminal,
    lost: audit.lost.length,
    duplicated: audit.duplicated.length,
    maxRecoveryS: Math.max(...recoveries),
    extra: {
      kills: kills.length,
      not_acknowledged: countsOf(load.refused),
      stuck_records: stuck.length,
      wrong_output: wrong.length,
    },
  });

  expect(ids.length).toBeGreaterThan(100);
  expect(audit.lost).toEqual([]);
  expect(audit.duplicated).toEqual([]);
  expect(wrong).toEqual([]);
  for (const a of audit.jobs.values()) expect(a).toMatchObject({ terminalTransitions: 1, doneEntries: 1 });
  expect(recoveries.every(Number.isFinite)).toBe(true);
  expect(stuck).toEqual([]);
}, 180_000);
