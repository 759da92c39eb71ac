import { createServer } from 'node:http';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { JobRequest } from '@inferq/core';

/**
 * Baseline (b): the floor. Bare node:http + JSON.parse + the same zod schema
 * + queue.add. Run as its own process: PORT, REDIS_URL, BENCH_PREFIX.
 */
const env = process.env;
const queue = new Queue('bench', {
  connection: new Redis(env.REDIS_URL ?? 'redis://127.0.0.1:6379', { maxRetriesPerRequest: null }),
  prefix: env.BENCH_PREFIX ?? 'bench-floor',
});
const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    void (async () => {
      let body: unknown;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString());
      } catch {
        res.writeHead(400).end();
        return;
      }
      const parsed = JobRequest.safeParse(body);
      if (!parsed.success) {
        res.writeHead(400).end();
        return;
      }
      const job = await queue.add('infer', parsed.data);
      res.writeHead(202, { 'content-type': 'application/json' }).end(JSON.stringify({ id: job.id, status: 'queued' }));
    })();
  });
});
server.listen(Number(env.PORT ?? 0), '127.0.0.1', () => process.stdout.write('listening\n'));
