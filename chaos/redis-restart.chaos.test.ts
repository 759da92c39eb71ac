import { startFakeOpenAI } from '@inferq/testkit';
import type { FakeProvider } from '@inferq/testkit';
import { auditJobs, wrongOutputs } from './support/audit';
import { promptFor, sleep, statusOf, submitJob } from './support/client';
import { ChaosCluster, poolCounts } from './support/cluster';
import { chaosRedis, killRedisServer, startRedisServer } from './support/chaos-redis';
import { countsOf, reportFigures } from './support/figures';
import { submitLoad } from './support/load';
import { schedulerLeft } from './support/scheduler-watch';

// Scenario 2: SIGKILL Redis (AOF, appendfsync always) with jobs queued,
// running and delayed; restart it on the same data.
const DOWN_MS = 4000;
const c = new ChaosCluster('redis-restart');
let fake: FakeProvider;

beforeAll(async () => {
  fake = await startFakeOpenAI({ default: { kind: 'status', status: 503 } });
});
afterAll(async () => {
  await startRedisServer(chaosRedis()).catch(() => undefined); // in case the test died while Redis was down
  await c.close();
  await fake.close();
});

it('finishes queued, running and delayed jobs across a Redis crash; api answers 503 meanwhile and recovers', async () => {
  // 2 x 16 slots: the 20 delayed jobs keep theirs in the fair scheduler while they wait out their retry.
  const worker = {
    WORKER_CONCURRENCY: '16',
    SIM_TTFT_MS: '1500',
    SIM_TOKEN_MS: '50',
    // The provider's 503s put the openai jobs in BullMQ's delayed set for 3 to 6 s: across the outage.
    WORKER_RETRY_BASE_MS: '6000',
    OPENAI_BASE_URL: fake.url,
    OPENAI_API_KEY: 'sk-fake',
  };
  const api = await c.startApi();
  await Promise.all([c.startWorker(worker), c.startWorker(worker)]);
  const url = (): string => api.url;

  const delayed = await submitLoad(url, c.apiKey, 20, 4, (i) => ({
    model: 'openai/gpt-4o-mini',
    input: { prompt: promptFor('rr-delayed', i) },
    max_attempts: 5,
  }));
  await fake.waitForRequests(20, 20_000);
  fake.setDefault({ kind: 'echo' });
  const before = await submitLoad(url, c.apiKey, 100, 8, (i) => ({
    model: 'sim/echo',
    input: { prompt: promptFor('rr-before', i) },
    max_attempts: 5,
  }));
  await sleep(1000); // 12 of them running, the rest queued

  // Queued jobs wait in the pool's fair-scheduler backlogs; BullMQ's waiting list holds only what free slots take next.
  const atKill = { ...(await poolCounts(c)), backlog: (await schedulerLeft(c)).backlog };
  const redis = chaosRedis();
  await killRedisServer(redis);
  const down = Date.now();
  const whileDown = new Map<number, number>();
  while (Date.now() - down < DOWN_MS) {
    const probes = await Promise.all([
      statusOf(`${api.url}/readyz`),
      submitJob(api.url, c.apiKey, { model: 'sim/echo', input: { prompt: 'while down' } }, 5000),
    ]);
    for (const s of [probes[0], probes[1].ok ? 202 : probes[1].status]) whileDown.set(s, (whileDown.get(s) ?? 0) + 1);
    await sleep(200);
  }
  await startRedisServer(redis);
  const up = Date.now();

  // The api reconnects by itself: the first 202 after the restart.
  let firstAck: string | undefined;
  while (!firstAck && Date.now() - up < 30_000) {
    const r = await submitJob(api.url, c.apiKey, { model: 'sim/echo', input: { prompt: 'back up' } }, 5000);
    if (r.ok) firstAck = r.id;
    else await sleep(100);
  }
  const apiRecoveryS = (Date.now() - up) / 1000;
  // Workers must keep processing after the reconnect: a fresh batch only they can finish.
  const after = await submitLoad(url, c.apiKey, 100, 8, (i) => ({
    model: 'sim/echo',
    input: { prompt: promptFor('rr-after', i) },
  }));

  const expected = new Map([...delayed.acknowledged, ...before.acknowledged, ...after.acknowledged]);
  if (firstAck) expected.set(firstAck, 'back up');
  const ids = [...expected.keys()];
  const audit = await auditJobs(c, ids, 90_000);
  const wrong = wrongOutputs(audit, expected);
  const startedAfter = [...audit.jobs.values()]
    .map((a) => Date.parse(a.record?.started_at ?? ''))
    .filter((t) => t > up);
  const workerRecoveryS = (Math.min(...startedAfter) - up) / 1000;
  reportFigures('redis-restart', {
    submitted: delayed.submitted + before.submitted + after.submitted + 1,
    acknowledged: ids.length,
    terminal: audit.terminal,
    lost: audit.lost.length,
    duplicated: audit.duplicated.length,
    maxRecoveryS: Math.max(apiRecoveryS, workerRecoveryS),
    extra: {
      down_s: (DOWN_MS / 1000).toFixed(1),
      at_kill: `${atKill.backlog}q/${atKill.waiting}w/${atKill.active}a/${atKill.delayed}d`,
      while_down: countsOf(whileDown),
      api_recovery_s: apiRecoveryS.toFixed(1),
      worker_recovery_s: workerRecoveryS.toFixed(1),
      // Running jobs whose lock expired during the outage run again; the guard keeps one outcome.
      rerun_jobs: [...before.acknowledged.keys()].filter((id) => (audit.jobs.get(id)?.record?.attempts ?? 0) > 1)
        .length,
      wrong_output: wrong.length,
    },
  });

  // The crash hit jobs in every state: queued (backlog or BullMQ's waiting list), running, delayed.
  expect(atKill.backlog + atKill.waiting).toBeGreaterThan(0);
  expect(atKill.active).toBeGreaterThan(0);
  expect(atKill.delayed).toBeGreaterThan(0);
  expect(firstAck).toBeDefined();
  expect(ids.length).toBe(221);
  // While Redis is down the api answers, and only with 503.
  expect([...whileDown.keys()]).toEqual([503]);
  expect(audit.lost).toEqual([]);
  expect(audit.duplicated).toEqual([]);
  expect(wrong).toEqual([]);
  for (const a of audit.jobs.values()) expect(a).toMatchObject({ terminalTransitions: 1, doneEntries: 1 });
  // The delayed jobs really were retried (their first attempt met the 503s).
  for (const id of delayed.acknowledged.keys()) expect(audit.jobs.get(id)?.record?.attempts).toBeGreaterThanOrEqual(2);
}, 180_000);
