import { Worker } from 'bullmq';
import { Redis } from 'ioredis';

/**
 * The no-op BullMQ worker both baselines use: it records pick-up latency
 * (processedOn - timestamp) in the job's return value and does nothing else.
 * Run as its own process: REDIS_URL, BENCH_PREFIX, WORKER_CONCURRENCY.
 */
const env = process.env;
const worker = new Worker('bench', async (job) => ({ pickupMs: (job.processedOn ?? Date.now()) - job.timestamp }), {
  connection: new Redis(env.REDIS_URL ?? 'redis://127.0.0.1:6379', { maxRetriesPerRequest: null }),
  prefix: env.BENCH_PREFIX ?? 'bench',
  concurrency: Number(env.WORKER_CONCURRENCY ?? 32),
});
worker.on('ready', () => process.stdout.write('worker started\n'));
process.on('SIGTERM', () => void worker.close().then(() => process.exit(0)));
