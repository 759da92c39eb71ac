import { Redis } from 'ioredis';
import { dropPrefix, freePort } from '@inferq/testkit';
import { fifoFlood, waitStats } from './fairness-fifo';
import { fairnessTables } from './fairness-report';
import type { FifoFigures, WaitStats } from './fairness-fifo';
import { ADMIN_TOKEN, authOf, keyOf, submitAll, waitJobs } from './fairness-system';
import type { FairnessPlan, FairSystem, WorkerControl } from './fairness-system';
import { FAIRNESS_PLAN } from './fairness-system';
import { loadBenchConfig } from './env';
import { sleep } from './load';
import { startNode } from './proc';
import { startPrivateRedis } from './redis-memory';
import type { Proc } from './proc';
import { perJob, perJobByCommand, redisSnapshot } from './redis-stats';
import { replayPrefixes, SchedRecorder } from './sched-cost';
import type { SchedulerCost } from './sched-cost';
import { inferqEnv } from './systems';
import { measureWeights, WEIGHT_TENANTS } from './fairness-weights';
import type { WeightFigures } from './fairness-weights';

export interface FairnessFigures {
  /** Which Redis the phase ran on (its command and CPU figures need one nothing else uses). */
  redis: string;
  plan: FairnessPlan;
  /** The quiet tenant's queue wait (its records' timings.queue_ms) with the fair scheduler. */
  quietWaitMs: WaitStats;
  /** The same flood through one plain BullMQ queue, in arrival order. */
  fifo: FifoFigures;
  /** inferq's whole bill over the flood (api, worker, scheduler), per job. */
  commandsPerJob: number;
  redisCpuUsPerJob: number;
  commandBreakdown: Record<string, number>;
  weights: WeightFigures;
  scheduler: SchedulerCost;
}

const TENANTS = ['noisy', 'quiet', ...WEIGHT_TENANTS];

const JOB = { model: 'sim/echo', input: { prompt: 'hello from the benchmark' } };
const r1 = (x: number) => Math.round(x * 10) / 10;

/**
 * Fairness (SPEC section 9): a noisy tenant's flood and a quiet tenant's
 * trickle through the fair scheduler, beside the same through plain FIFO;
 * then two tenants at weights 3 and 1; and the scheduler's own Redis bill,
 * recorded with MONITOR over a sample of jobs and replayed alone.
 */
export async function fairnessBench(
  redisUrl: string,
  runId: string,
  plan: FairnessPlan,
  redisName: string,
): Promise<FairnessFigures> {
  const prefix = `bench-fair-${runId}`;
  const port = await freePort();
  const keys = TENANTS.map((t) => `${t}:${keyOf(t)}`).join(',');
  const env = inferqEnv({
    redisUrl,
    prefix,
    port,
    concurrency: plan.concurrency,
    env: { API_KEYS: keys, ADMIN_TOKEN, SIM_TTFT_MS: String(plan.latencyMs), SIM_TOKEN_MS: '0' },
  });
  const redis = new Redis(redisUrl);
  const sys: FairSystem = { url: `http://127.0.0.1:${port}`, prefix, redis };
  const procs: Proc[] = [];
  try {
    const api = startNode('apps/api/dist/main.js', env);
    procs.push(api);
    await api.waitFor(/api listening/);
    const before = await redisSnapshot(redis);
    let current: Proc | undefined;
    const worker: WorkerControl = {
      async start() {
        current = startNode('apps/worker/dist/main.js', env);
        procs.push(current);
        await current.waitFor(/worker started/);
      },
      stop: async () => current?.stop(),
    };
    const quietWaitMs = await flood(sys, plan, worker);
    const after = await redisSnapshot(redis);
    const total = plan.noisyJobs + plan.quietJobs;
    const cost = perJob(before, after, total);

    const recorder = await recordSample(sys, redisUrl, plan);
    const weights = await measureWeights(sys, plan, worker);
    for (const p of procs.splice(0)) await p.stop();
    const scheduler = await recorder.replay(redisUrl, plan.costSample);
    const fifo = await fifoFlood(redisUrl, `bench-fair-fifo-${runId}`, plan);
    const figures: FairnessFigures = {
      redis: redisName,
      plan,
      quietWaitMs,
      fifo,
      commandsPerJob: r1(cost.commands),
      redisCpuUsPerJob: Math.round(cost.cpuUs),
      commandBreakdown: perJobByCommand(before, after, total),
      weights,
      scheduler,
    };
    return figures;
  } finally {
    for (const p of procs) await p.stop();
    redis.disconnect();
  }
}

/**
 * The noisy tenant queues its flood before any worker runs; the worker starts
 * and the quiet tenant submits a job every quietEveryMs. Returns the quiet
 * jobs' queue waits once every job has finished.
 */
async function flood(sys: FairSystem, plan: FairnessPlan, worker: WorkerControl): Promise<WaitStats> {
  await submitAll(sys, 'noisy', plan.noisyJobs, JSON.stringify(JOB));
  await worker.start();
  const waits: Array<Promise<number | undefined>> = [];
  for (let i = 0; i < plan.quietJobs; i++) {
    waits.push(quietJob(sys));
    await sleep(plan.quietEveryMs);
  }
  await waitJobs(sys, 'noisy', plan.noisyJobs);
  await waitJobs(sys, 'quiet', plan.quietJobs);
  const done = (await Promise.all(waits)).filter((w): w is number => w !== undefined);
  return waitStats(done);
}

/** The scheduler's calls while `costSample` more noisy jobs are submitted at once and run. */
async function recordSample(sys: FairSystem, redisUrl: string, plan: FairnessPlan): Promise<SchedRecorder> {
  const recorder = await SchedRecorder.start(redisUrl, sys.prefix, 'default');
  try {
    await submitAll(sys, 'noisy', plan.costSample, JSON.stringify(JOB));
    await waitJobs(sys, 'noisy', plan.noisyJobs + plan.costSample);
    await sleep(300); // the last finishes' scheduler calls
  } finally {
    recorder.stop();
  }
  return recorder;
}

/** One job of the quiet tenant: its queue_ms once it has run. */
async function quietJob(sys: FairSystem): Promise<number | undefined> {
  const headers = authOf('quiet');
  const res = await fetch(`${sys.url}/v1/jobs`, { method: 'POST', headers, body: JSON.stringify(JOB) });
  if (!res.ok) throw new Error(`quiet submit: ${res.status} ${await res.text()}`);
  const { id } = (await res.json()) as { id: string };
  const rec = await fetch(`${sys.url}/v1/jobs/${id}?wait=60`, { headers });
  const body = (await rec.json()) as { timings: { queue_ms: number | null } };
  return body.timings.queue_ms ?? undefined;
}

/** The phase on a redis-server of its own when one can be started (the bills are read from INFO), else the shared one. */
export async function fairnessPhase(
  sharedUrl: string,
  runId: string,
  plan: FairnessPlan,
): Promise<{ fairness?: FairnessFigures; fairnessError?: string }> {
  const own = await startPrivateRedis();
  try {
    const where = own ? 'a private redis-server' : 'the shared Redis, so Redis figures include other clients';
    return { fairness: await fairnessBench(own?.url ?? sharedUrl, runId, plan, where) };
  } catch (err) {
    return { fairnessError: err instanceof Error ? err.message : String(err) };
  } finally {
    await own?.stop();
    const prefixes = [`bench-fair-${runId}`, ...replayPrefixes(`bench-fair-${runId}`), `bench-fair-fifo-${runId}`];
    if (!own) for (const p of prefixes) await dropPrefix(p, sharedUrl);
  }
}

/** `node bench/dist/fairness.bench.js [--quick]`: this phase alone, its tables on stdout. */
if (require.main === module) {
  const config = loadBenchConfig(process.env);
  const plan = config.quick ? FAIRNESS_PLAN.quick : FAIRNESS_PLAN.full;
  fairnessPhase(config.REDIS_URL, Date.now().toString(36), plan).then(
    (r) => {
      process.stdout.write(`${r.fairness ? fairnessTables(r.fairness).join('\n') : r.fairnessError}\n`);
      process.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
      process.exit(0);
    },
    (err: unknown) => {
      process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
      process.exit(1);
    },
  );
}
