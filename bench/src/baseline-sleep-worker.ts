import { Worker } from 'bullmq';
import { Redis } from 'ioredis';

/**
 * The raw-BullMQ baseline of the concurrency benchmark: a plain BullMQ Worker
 * whose processor only sleeps SLEEP_MS and returns. Run as its own process:
 * REDIS_URL, BENCH_PREFIX, WORKER_CONCURRENCY, SLEEP_MS.
 *
 * It connects first and prints 'worker started' before it fetches any job, so
 * the harness's clock starts no later than the first job does.
 */
const env = process.env;
const sleepMs = Number(env.SLEEP_MS ?? 1000);
const worker = new Worker(
  'bench',
  async () => {
    await new Promise((r) => setTimeout(r, sleepMs));
  },
  {
    connection: new Redis(env.REDIS_URL ?? 'redis://127.0.0.1:6379', { maxRetriesPerRequest: null }),
    prefix: env.BENCH_PREFIX ?? 'bench-conc-bullmq',
    concurrency: Number(env.WORKER_CONCURRENCY ?? 2000),
    autorun: false,
  },
);
worker.on('error', (err) => process.stderr.write(`worker error: ${err.message}\n`));
process.on('SIGTERM', () => void worker.close().then(() => process.exit(0)));
void worker.waitUntilReady().then(() => {
  process.stdout.write('worker started\n');
  return worker.run();
});
