import express from 'express';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { JobRequest } from '@inferq/core';

/**
 * Baseline (a): what a user would write in an afternoon. Express 5 +
 * express.json() + the same zod schema + queue.add; no auth, no record.
 * Run as its own process: PORT, REDIS_URL, BENCH_PREFIX.
 */
const env = process.env;
const queue = new Queue('bench', {
  connection: new Redis(env.REDIS_URL ?? 'redis://127.0.0.1:6379', { maxRetriesPerRequest: null }),
  prefix: env.BENCH_PREFIX ?? 'bench-naive',
});
const app = express();
app.use(express.json());
app.post('/v1/jobs', async (req, res) => {
  const parsed = JobRequest.safeParse(req.body);
  if (!parsed.success) {
    res.status(400).json({ error: parsed.error.issues });
    return;
  }
  const job = await queue.add('infer', parsed.data);
  res.status(202).json({ id: job.id, status: 'queued' });
});
app.listen(Number(env.PORT ?? 0), '127.0.0.1', () => process.stdout.write('listening\n'));
