import { cpus } from 'node:os';
import { Redis } from 'ioredis';
import { dropPrefix, startFakeOpenAI } from '@inferq/testkit';
import { concurrencyBench } from './concurrency.bench';
import { e2eBench } from './e2e.bench';
import { enqueueBench } from './enqueue.bench';
import { startPrivateRedis } from './redis-memory';
import { commandTable } from './report';
import { startSystem } from './systems';
import type { System, SystemName } from './systems';

/**
 * Issue #17's figures alone (phases 1, 2-3 and 4 of main.ts), for before/after
 * comparisons: `node bench/dist/core.bench.js [--quick] [--no-concurrency]`.
 * On a redis-server of its own when one can be started, so the commands and
 * CPU per job are this run's only (the shared Redis serves other sessions' tests).
 */
const quick = process.argv.includes('--quick');
const PLAN = quick
  ? { rounds: 2, durationS: 3, jobs: 2000, e2eRounds: 2 }
  : { rounds: 3, durationS: 6, jobs: 4000, e2eRounds: 3 };
const log = (m: string) => process.stderr.write(`[core-bench] ${m}\n`);
const r1 = (x: number) => Math.round(x * 10) / 10;
const ratio = (a: number, b: number) => `${r1(a / b)}x`;

async function main(): Promise<void> {
  const own = await startPrivateRedis();
  const url = own?.url ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  log(`Redis: ${own ? 'private' : 'shared'} ${url}`);
  const redis = new Redis(url);
  const fake = await startFakeOpenAI({ default: { kind: 'slow', ttftMs: 50, tokenMs: 5 } });
  const runId = Date.now().toString(36);
  const systems: System[] = [];
  const prefixes: string[] = [];
  let phase = 0;
  const fresh = async (): Promise<System[]> => {
    phase++;
    const started: System[] = [];
    for (const name of ['naive', 'floor', 'inferq'] as SystemName[]) {
      const env = { OPENAI_BASE_URL: fake.url, OPENAI_API_KEY: 'sk-bench' };
      const sys = await startSystem(name, { redisUrl: url, runId: `${runId}-${phase}`, env });
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
    log('enqueue');
    const e = await enqueueBench(await fresh(), PLAN.rounds, PLAN.durationS);
    await stopAll();
    log('end-to-end');
    const x = await e2eBench(await fresh(), redis, PLAN.jobs, PLAN.e2eRounds);
    await stopAll();
    const lines = [
      `core bench (${quick ? 'quick' : 'full'}, ${cpus().length} cores, ${own ? 'private' : 'shared'} Redis, ${new Date().toISOString()})`,
      '',
      '| figure | inferq | naive | floor | inferq / naive | inferq / floor |',
      '| --- | --- | --- | --- | --- | --- |',
      `| submit req/s | ${e.inferq.rps} | ${e.naive.rps} | ${e.floor.rps} | ${ratio(e.inferq.rps, e.naive.rps)} | ${ratio(e.inferq.rps, e.floor.rps)} |`,
      `| submit p50 / p99 ms | ${e.inferq.p50} / ${e.inferq.p99} | ${e.naive.p50} / ${e.naive.p99} | ${e.floor.p50} / ${e.floor.p99} | | |`,
      `| end-to-end jobs/s | ${x.inferq.jobsPerS} | ${x.naive.jobsPerS} | ${x.floor.jobsPerS} | ${ratio(x.inferq.jobsPerS, x.naive.jobsPerS)} | ${ratio(x.inferq.jobsPerS, x.floor.jobsPerS)} |`,
      `| Redis cmds / job | ${x.inferq.commandsPerJob} | ${x.naive.commandsPerJob} | ${x.floor.commandsPerJob} | ${ratio(x.inferq.commandsPerJob, x.naive.commandsPerJob)} | ${ratio(x.inferq.commandsPerJob, x.floor.commandsPerJob)} |`,
      `| Redis CPU us / job | ${x.inferq.redisCpuUsPerJob} | ${x.naive.redisCpuUsPerJob} | ${x.floor.redisCpuUsPerJob} | ${ratio(x.inferq.redisCpuUsPerJob, x.naive.redisCpuUsPerJob)} | ${ratio(x.inferq.redisCpuUsPerJob, x.floor.redisCpuUsPerJob)} |`,
      `| api CPU us / job | ${x.inferq.apiCpuUsPerJob} | ${x.naive.apiCpuUsPerJob} | ${x.floor.apiCpuUsPerJob} | ${ratio(x.inferq.apiCpuUsPerJob, x.naive.apiCpuUsPerJob)} | ${ratio(x.inferq.apiCpuUsPerJob, x.floor.apiCpuUsPerJob)} |`,
      `| worker CPU us / job | ${x.inferq.workerCpuUsPerJob} | ${x.naive.workerCpuUsPerJob} | ${x.floor.workerCpuUsPerJob} | ${ratio(x.inferq.workerCpuUsPerJob, x.naive.workerCpuUsPerJob)} | ${ratio(x.inferq.workerCpuUsPerJob, x.floor.workerCpuUsPerJob)} |`,
      '',
      ...commandTable(x),
    ];
    if (!process.argv.includes('--no-concurrency')) {
      log('concurrency');
      prefixes.push(`bench-conc-${runId}`, `bench-conc-bullmq-${runId}`);
      const c = await concurrencyBench(redis, url, runId, 2000, 1000);
      lines.push(
        `concurrency 2000 x 1 s: inferq wall ${c.wallMs} ms (${c.ratio}x ideal, peak RSS ${c.workerPeakRssMb} MB); raw BullMQ ${c.bullmq.wallMs} ms (${c.bullmq.ratio}x); inferq / BullMQ ${c.wallVsBullmq}x`,
      );
    }
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    await stopAll();
    await fake.close();
    if (!own) for (const p of prefixes) await dropPrefix(p, url);
    redis.disconnect();
    await own?.stop();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`[core-bench] failed: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  },
);
