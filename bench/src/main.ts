import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { dropPrefix, startFakeOpenAI } from '@inferq/testkit';
import { compressionBench } from './compression.bench';
import { batchBench } from './batch.bench';
import { concurrencyBench } from './concurrency.bench';
import { e2eBench } from './e2e.bench';
import { fairnessPhase } from './fairness.bench';
import { FAIRNESS_PLAN } from './fairness-system';
import { curveBench, enqueueBench } from './enqueue.bench';
import { loadBenchConfig } from './env';
import { latencyBench } from './latency.bench';
import { memoryBench } from './memory.bench';
import type { MemoryRow } from './memory.bench';
import { ROOT } from './proc';
import { startPrivateRedis } from './redis-memory';
import { curveSvg, markdown } from './report';
import type { BenchResults } from './results';
import { streamingBench } from './streaming.bench';
import { startSystem } from './systems';
import { runScale } from './scale/run-scale';
import type { System, SystemName } from './systems';

const PLAN = {
  quick: {
    rounds: 2,
    durationS: 3,
    curve: [1, 8, 32, 64],
    curveS: 2,
    e2eJobs: 2000,
    e2eRounds: 1,
    latencyJobs: 300,
    streamSamples: 15,
    concJobs: 2000,
    batchJobs: 2000,
  },
  full: {
    rounds: 5,
    durationS: 8,
    curve: [1, 4, 16, 50, 100, 200],
    curveS: 4,
    e2eJobs: 5000,
    e2eRounds: 3,
    latencyJobs: 1000,
    streamSamples: 50,
    concJobs: 2000,
    batchJobs: 10_000,
  },
};

function log(msg: string): void {
  process.stderr.write(`[bench] ${msg}\n`);
}

async function main(): Promise<void> {
  const config = loadBenchConfig(process.env);
  if (process.argv.includes('--scale')) {
    process.stdout.write(`${await runScale(config.quick)}\n`);
    return;
  }
  const plan = config.quick ? PLAN.quick : PLAN.full;
  const runId = Date.now().toString(36);
  const redis = new Redis(config.REDIS_URL);
  const fake = await startFakeOpenAI({ default: { kind: 'slow', ttftMs: 50, tokenMs: 5 } });
  const prefixes: string[] = [];
  const systems: System[] = [];
  let phase = 0;
  /** Fresh systems per phase, so no phase inherits another's backlog. */
  const fresh = async (names: SystemName[]): Promise<System[]> => {
    phase++;
    const started: System[] = [];
    for (const name of names) {
      const sys = await startSystem(name, {
        redisUrl: config.REDIS_URL,
        runId: `${runId}-${phase}`,
        env: { OPENAI_BASE_URL: fake.url, OPENAI_API_KEY: 'sk-bench' },
      });
      prefixes.push(sys.prefix);
      started.push(sys);
    }
    systems.push(...started);
    return started;
  };
  const stopAll = async () => {
    for (const s of systems.splice(0)) await s.stop();
  };
  try {
    log('1. enqueue: naive Express, node:http floor and inferq in turn');
    let trio = await fresh(['naive', 'floor', 'inferq']);
    const enqueue = await enqueueBench(trio, plan.rounds, plan.durationS);
    log('   throughput against in-flight requests');
    const curve = await curveBench(trio, plan.curve, plan.curveS);
    await stopAll();
    log('2-3. end-to-end and Redis cost per job');
    trio = await fresh(['naive', 'floor', 'inferq']);
    const e2e = await e2eBench(trio, redis, plan.e2eJobs, plan.e2eRounds);
    await stopAll();
    log('3b. added latency at 100 jobs/s');
    const [floor, inferq] = (await fresh(['floor', 'inferq'])) as [System, System];
    const latency = await latencyBench(inferq, redis, floor.prefix, plan.latencyJobs);
    log('5. streaming');
    let streaming: BenchResults['streaming'];
    let streamingError: string | undefined;
    try {
      streaming = await streamingBench(inferq, fake.url, plan.streamSamples);
    } catch (err) {
      streamingError = err instanceof Error ? err.message : String(err);
    }
    await stopAll();
    log(`6. batch: ${plan.batchJobs} requests as one batch, then one by one`);
    let batch: BenchResults['batch'];
    let batchError: string | undefined;
    try {
      const [sys] = await fresh(['inferq']);
      batch = await batchBench(sys, plan.batchJobs);
    } catch (err) {
      batchError = err instanceof Error ? err.message : String(err);
    }
    await stopAll();
    log('4. concurrency: inferq worker, then raw BullMQ on the same jobs');
    prefixes.push(`bench-conc-${runId}`, `bench-conc-bullmq-${runId}`);
    const concurrency = await concurrencyBench(redis, config.REDIS_URL, runId, plan.concJobs, 1000);
    log('6. Redis memory per job (2 KB, 100 KB, 1 MB prompts), inferq and raw BullMQ');
    prefixes.push(`bench-mem-${runId}`, `bench-mem-bull-${runId}`);
    const memory = await memoryPhase(config.REDIS_URL, runId, config.quick);
    log('7. payload compression: gzip and brotli at low levels');
    const compression = compressionBench(config.quick ? 10 : 60);
    log(
      "8. fairness: a noisy tenant's flood and a quiet tenant, scheduler then plain FIFO; weights 3:1; scheduler cost",
    );
    const fairness = await fairnessPhase(
      config.REDIS_URL,
      runId,
      config.quick ? FAIRNESS_PLAN.quick : FAIRNESS_PLAN.full,
    );

    const results: BenchResults = {
      mode: config.quick ? 'quick' : 'full',
      date: new Date().toISOString(),
      machine: `${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), ${Math.round(totalmem() / 2 ** 30)} GiB, node ${process.version}`,
      enqueue,
      curve,
      e2e,
      latency,
      concurrency,
      streaming,
      streamingError,
      ...memory,
      compression,
      batch,
      batchError,
      ...fairness,
    };
    const dir = join(ROOT, 'bench', 'results');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'latest.json'), `${JSON.stringify(results, null, 2)}\n`);
    writeFileSync(join(dir, 'throughput-vs-inflight.svg'), curveSvg(curve));
    process.stdout.write(`${markdown(results)}\n`);
  } finally {
    for (const s of systems) await s.stop();
    await fake.close();
    for (const p of prefixes) await dropPrefix(p, config.REDIS_URL);
    redis.disconnect();
  }
}

/** Memory figures on a redis-server of their own when one can be started (no other keys to count), else the shared one. */
async function memoryPhase(
  sharedUrl: string,
  runId: string,
  quick: boolean,
): Promise<{ memory?: MemoryRow[]; memoryError?: string; memoryRedis: string }> {
  const own = await startPrivateRedis();
  const memoryRedis = own ? 'a private redis-server' : 'the shared Redis';
  try {
    return { memory: await memoryBench(own?.url ?? sharedUrl, runId, quick), memoryRedis };
  } catch (err) {
    return { memoryError: err instanceof Error ? err.message : String(err), memoryRedis };
  } finally {
    await own?.stop();
  }
}

// A CLI run: exit once the report is written, whatever keep-alive sockets the SDKs hold.
main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`[bench] failed: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  },
);
