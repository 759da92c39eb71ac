import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { percentile, sleep } from './load';
import { JOB_BODY } from './systems';
import type { System } from './systems';

export interface LatencyFigures {
  /** inferq: submit -> running (the record's queue_ms). */
  submitToRunning: { p50: number; p99: number };
  /** inferq: succeeded -> the long-poll answer in the client's hands. */
  doneToReadable: { p50: number; p99: number };
  /** raw BullMQ: add -> pick-up by the no-op worker. */
  bullmqPickup: { p50: number; p99: number };
}

const pct = (xs: number[]) => ({ p50: percentile(xs, 50), p99: percentile(xs, 99) });

/** Runs `fire` at a steady rate (per second) for `count` calls; resolves when all have settled. */
async function steady(ratePerS: number, count: number, fire: (i: number) => Promise<void>): Promise<void> {
  const pending: Array<Promise<void>> = [];
  const start = Date.now();
  for (let i = 0; i < count; i++) {
    const due = start + (i * 1000) / ratePerS;
    if (due > Date.now()) await sleep(due - Date.now());
    pending.push(fire(i));
  }
  await Promise.all(pending);
}

/** Benchmark 3b: added latency at a steady 100 jobs/s. */
export async function latencyBench(
  inferq: System,
  redis: Redis,
  floorPrefix: string,
  count: number,
): Promise<LatencyFigures> {
  const queueMs: number[] = [];
  const readable: number[] = [];
  await steady(100, count, async () => {
    const res = await fetch(`${inferq.url}/v1/jobs`, { method: 'POST', headers: inferq.headers, body: JOB_BODY });
    const { id } = (await res.json()) as { id: string };
    const rec = (await (await fetch(`${inferq.url}/v1/jobs/${id}?wait=30`, { headers: inferq.headers })).json()) as {
      completed_at: string;
      timings: { queue_ms: number };
    };
    readable.push(Date.now() - Date.parse(rec.completed_at));
    queueMs.push(rec.timings.queue_ms);
  });

  const queue = new Queue('bench', { connection: redis.duplicate(), prefix: floorPrefix });
  const ids: string[] = [];
  await steady(100, count, async () => {
    const job = await queue.add('infer', {
      model: 'sim/echo',
      input: (JSON.parse(JOB_BODY) as { input: unknown }).input,
    });
    ids.push(job.id!);
  });
  const pickups: number[] = [];
  for (const id of ids) {
    for (let i = 0; i < 100; i++) {
      const job = await queue.getJob(id);
      if (job?.returnvalue) {
        pickups.push((job.returnvalue as { pickupMs: number }).pickupMs);
        break;
      }
      await sleep(20);
    }
  }
  await queue.close();
  return { submitToRunning: pct(queueMs), doneToReadable: pct(readable), bullmqPickup: pct(pickups) };
}
