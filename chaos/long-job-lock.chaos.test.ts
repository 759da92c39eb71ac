import { poolTag } from '@inferq/core';
import { auditJobs } from './support/audit';
import { promptFor } from './support/client';
import { CHAOS_WORKER_ENV, ChaosCluster } from './support/cluster';
import { reportFigures } from './support/figures';
import { submitLoad } from './support/load';

// A job that runs five times longer than the lock: BullMQ renews the lock at
// half its duration, so a live worker keeps the job and nobody else takes it.
const LOCK_MS = Number(CHAOS_WORKER_ENV.WORKER_LOCK_MS);
const RUN_MS = LOCK_MS * 5;
const c = new ChaosCluster('long-job');

afterAll(() => c.close());

it('a job longer than lockDuration runs once, on one worker, though another one watches for stalls', async () => {
  const worker = { WORKER_CONCURRENCY: '4', SIM_TTFT_MS: String(RUN_MS), SIM_TOKEN_MS: '0' };
  const api = await c.startApi();
  await Promise.all([c.startWorker(worker), c.startWorker(worker)]);
  const load = await submitLoad(
    () => api.url,
    c.apiKey,
    4,
    4,
    (i) => ({
      model: 'sim/echo',
      input: { prompt: promptFor('long', i, 3) },
      max_attempts: 3,
    }),
  );
  const ids = [...load.acknowledged.keys()];
  const audit = await auditJobs(c, ids, 60_000);
  // BullMQ's own count of how often each job was started and found stalled.
  const bull = await Promise.all(
    ids.map((id) => c.redis.hmget(`${poolTag(c.prefix, 'default')}:pool-default:${id}`, 'ats', 'stc')),
  );
  const runS = [...audit.jobs.values()].map(
    (a) => (Date.parse(a.record?.completed_at ?? '') - Date.parse(a.record?.started_at ?? '')) / 1000,
  );
  reportFigures('long-job-lock', {
    submitted: load.submitted,
    acknowledged: ids.length,
    terminal: audit.terminal,
    lost: audit.lost.length,
    duplicated: audit.duplicated.length,
    maxRecoveryS: 0,
    extra: {
      lock_ms: LOCK_MS,
      stalled_ms: CHAOS_WORKER_ENV.WORKER_STALLED_MS,
      min_run_s: Math.min(...runS).toFixed(1),
      max_attempts_seen: Math.max(...[...audit.jobs.values()].map((a) => a.record?.attempts ?? 0)),
      stalled_seen: bull.reduce((n, [, stc]) => n + Number(stc ?? 0), 0),
    },
  });

  expect(audit.lost).toEqual([]);
  expect(audit.duplicated).toEqual([]);
  for (const a of audit.jobs.values()) {
    expect(a.record).toMatchObject({ status: 'succeeded', attempts: 1 });
    expect(a).toMatchObject({ terminalTransitions: 1, doneEntries: 1 });
  }
  expect(Math.min(...runS)).toBeGreaterThanOrEqual(RUN_MS / 1000);
  for (const [ats, stc] of bull) {
    expect(ats).toBe('1');
    expect(Number(stc ?? 0)).toBe(0);
  }
}, 120_000);
