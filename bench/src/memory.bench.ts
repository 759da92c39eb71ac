import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { poolTag, redisKeys } from '@inferq/core';
import { freePort, waitFor } from '@inferq/testkit';
import { startNode } from './proc';
import { memoryOf, startPrivateRedis, sum, zsetBytes } from './redis-memory';
import { loadCorpus, sample } from './text-corpus';

/** Redis bytes per job at each stage, for one prompt size (echoed back: output = input). */
export interface MemoryRow {
  size: string;
  jobs: number;
  queued: number;
  /** Just finished: record, payload, event stream and BullMQ's finished hash. */
  finishedFresh: number;
  /** After EVENTS_RETENTION, until PAYLOAD_RETENTION: what a day of finished jobs costs each. */
  finished: number;
  /** BullMQ's finished job hash, kept QUEUES.pool.jobOptions.removeOnComplete.age (s) then removed: part of `finishedFresh`, not of `finished`. */
  bullmqHash: number;
  /** The stored (compressed) input and output, for the 1.2x target. */
  compressedInOut: number;
  /** After PAYLOAD_RETENTION, until JOB_RETENTION. */
  expired: number;
  bullmq: { queued: number; finished: number };
}

const SIZES = [
  { size: '2 KB', bytes: 2048, jobs: [150, 1000] },
  { size: '100 KB', bytes: 102_400, jobs: [20, 100] },
  { size: '1 MB', bytes: 1_048_576, jobs: [5, 20] },
];
const TENANT = 'bench';
const KEY = 'bench-memory-key-0123456789';

/** Different text per job: the prose corpus from an offset of its own. */
function prompts(bytes: number, jobs: number): string[] {
  const { prose } = loadCorpus();
  return Array.from({ length: jobs }, (_, i) => sample(prose.slice((i * 9973) % (prose.length / 2)), bytes));
}

/**
 * Benchmark: Redis bytes per job, queued, finished, and after payload expiry,
 * for 2 KB, 100 KB and 1 MB prompts through the real api and worker (sim/echo,
 * so the output is as long as the input), beside raw BullMQ holding the same
 * payload as job data and the answer as its return value (its defaults keep
 * both for ever). Runs on the Redis given (a private one: bench/main.ts).
 */
export async function memoryBench(redisUrl: string, runId: string, quick: boolean): Promise<MemoryRow[]> {
  const redis = new Redis(redisUrl);
  try {
    const inferq = await inferqMemory(redis, redisUrl, `bench-mem-${runId}`, quick);
    const bull = await bullmqMemory(redis, redisUrl, `bench-mem-bull-${runId}`, quick);
    return inferq.map((row, i) => ({ ...row, bullmq: bull[i] }));
  } finally {
    redis.disconnect();
  }
}

type InferqRow = Omit<MemoryRow, 'bullmq'>;

async function inferqMemory(redis: Redis, redisUrl: string, prefix: string, quick: boolean): Promise<InferqRow[]> {
  const port = await freePort();
  const env = {
    REDIS_URL: redisUrl,
    QUEUE_PREFIX: prefix,
    HOST: '127.0.0.1',
    PORT: String(port),
    METRICS_PORT: '0',
    API_KEYS: `${TENANT}:${KEY}`,
    LOG_LEVEL: 'info',
    SIM_TTFT_MS: '0',
    SIM_TOKEN_MS: '0',
    WORKER_CONCURRENCY: '8',
    EVENTS_RETENTION: '2s',
    // Long enough to measure every finished job before the first payload goes (checked below).
    PAYLOAD_RETENTION: quick ? '12s' : '40s',
  };
  const k = redisKeys(prefix);
  const api = startNode('apps/api/dist/main.js', env);
  let worker: ReturnType<typeof startNode> | undefined;
  try {
    await api.waitFor(/api listening/);
    const groups: string[][] = [];
    for (const s of SIZES)
      groups.push(await submitAll(`http://127.0.0.1:${port}`, prompts(s.bytes, s.jobs[quick ? 0 : 1])));
    const all = groups.flat();
    const perJob = async (ids: string[], parts: (id: string) => string[]) =>
      (sum(await memoryOf(redis, ids.flatMap(parts))) + (ids.length * (await zsetBytes(redis, prefix))) / all.length) /
      ids.length;
    const bullHash = (id: string) => `${poolTag(prefix, 'default')}:pool-default:${id}`;
    const everything = (id: string) => [k.job(id), k.jobPayload(id), k.jobEvents(id), bullHash(id)];
    const queued = await Promise.all(groups.map((ids) => perJob(ids, everything)));

    worker = startNode('apps/worker/dist/main.js', env);
    await worker.waitFor(/worker started/);
    await waitFor(async () => ((await finishedCount(redis, k, all)) === all.length ? true : undefined), 300_000, 200);
    const fresh = await Promise.all(groups.map((ids) => perJob(ids, everything)));
    const bullmqHash = await Promise.all(
      groups.map(async (ids) => sum(await memoryOf(redis, ids.map(bullHash))) / ids.length),
    );
    await waitFor(async () => ((await existing(redis, all.map(k.jobEvents))) === 0 ? true : undefined), 120_000, 200);
    // The steady cost leaves out BullMQ's finished hashes: they go removeOnComplete.age (core QUEUES.pool) after the end.
    const kept = (id: string) => [k.job(id), k.jobPayload(id), k.jobEvents(id)];
    const finished = await Promise.all(groups.map((ids) => perJob(ids, kept)));
    const compressed = await Promise.all(groups.map((ids) => storedPayloadBytes(redis, ids.map(k.jobPayload))));
    if ((await existing(redis, all.map(k.jobPayload))) < all.length) {
      throw new Error('PAYLOAD_RETENTION passed before the finished jobs were measured: raise it in memory.bench.ts');
    }
    await waitFor(async () => ((await existing(redis, all.map(k.jobPayload))) === 0 ? true : undefined), 180_000, 500);
    const expired = await Promise.all(groups.map((ids) => perJob(ids, kept)));
    return SIZES.map((s, i) => ({
      size: s.size,
      jobs: groups[i].length,
      queued: Math.round(queued[i]),
      finishedFresh: Math.round(fresh[i]),
      finished: Math.round(finished[i]),
      bullmqHash: Math.round(bullmqHash[i]),
      compressedInOut: Math.round(compressed[i]),
      expired: Math.round(expired[i]),
    }));
  } finally {
    await Promise.all([api.stop(), worker?.stop()]);
  }
}

async function submitAll(url: string, texts: string[]): Promise<string[]> {
  const ids: string[] = [];
  for (const prompt of texts) {
    const res = await fetch(`${url}/v1/jobs`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'sim/echo', input: { prompt }, params: { max_tokens: 1_000_000 } }),
    });
    if (res.status !== 202) throw new Error(`submit answered ${res.status}: ${await res.text()}`);
    ids.push(((await res.json()) as { id: string }).id);
  }
  return ids;
}

async function finishedCount(redis: Redis, k: ReturnType<typeof redisKeys>, ids: string[]): Promise<number> {
  const pipe = redis.pipeline();
  for (const id of ids) pipe.hget(k.job(id), 'status');
  return ((await pipe.exec()) ?? []).filter(([, s]) => s === 'succeeded' || s === 'failed').length;
}

async function existing(redis: Redis, keys: string[]): Promise<number> {
  let n = 0;
  for (let i = 0; i < keys.length; i += 500) n += await redis.exists(...keys.slice(i, i + 500));
  return n;
}

/** Mean bytes of the stored input and output values (as compressed) per job. */
async function storedPayloadBytes(redis: Redis, payloadKeys: string[]): Promise<number> {
  const pipe = redis.pipeline();
  for (const p of payloadKeys) pipe.hstrlen(p, 'in').hstrlen(p, 'out');
  return sum(((await pipe.exec()) ?? []).map(([, n]) => Number(n))) / payloadKeys.length;
}

/** Raw BullMQ with the same payloads: queue.add of the request as job data, a worker returning the echo. */
async function bullmqMemory(redis: Redis, redisUrl: string, prefix: string, quick: boolean) {
  const connection = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const queue = new Queue('bench', { connection, prefix });
  const rows: Array<{ queued: number; finished: number }> = [];
  try {
    const groups: string[][] = [];
    for (const s of SIZES) {
      const jobs = await queue.addBulk(
        prompts(s.bytes, s.jobs[quick ? 0 : 1]).map((prompt) => ({
          name: 'infer',
          data: { model: 'sim/echo', input: { prompt }, params: { max_tokens: 1_000_000 } },
        })),
      );
      groups.push(jobs.map((j) => j.id!));
    }
    const total = groups.flat().length;
    const perJob = async (ids: string[]) =>
      (sum(
        await memoryOf(
          redis,
          ids.map((id) => `${prefix}:bench:${id}`),
        ),
      ) +
        (ids.length * (await zsetBytes(redis, prefix))) / total) /
      ids.length;
    const queued = await Promise.all(groups.map(perJob));
    const workerConnection = new Redis(redisUrl, { maxRetriesPerRequest: null });
    const worker = new Worker(
      'bench',
      async (job) => ({ text: (job.data as { input: { prompt: string } }).input.prompt }),
      {
        connection: workerConnection,
        prefix,
        concurrency: 8,
      },
    );
    await waitFor(async () => ((await queue.getCompletedCount()) === total ? true : undefined), 300_000, 200);
    await worker.close();
    workerConnection.disconnect(); // BullMQ leaves a connection it was given open
    const finished = await Promise.all(groups.map(perJob));
    for (let i = 0; i < groups.length; i++)
      rows.push({ queued: Math.round(queued[i]), finished: Math.round(finished[i]) });
    await queue.obliterate({ force: true });
    return rows;
  } finally {
    await queue.close();
    connection.disconnect();
  }
}

/** The memory table of docs/BENCHMARKS.md. */
export function memoryTable(rows: MemoryRow[]): string[] {
  const kb = (b: number) => (b >= 10_240 ? `${Math.round(b / 1024)} KB` : `${Math.round(b / 102.4) / 10} KB`);
  return [
    '| Redis bytes per job (sim/echo: output = prompt) | queued | raw BullMQ queued | finished, first EVENTS_RETENTION (+ BullMQ hash) | finished, until PAYLOAD_RETENTION | stored in + out (compressed) | finished / stored (target <= 1.2x) | after PAYLOAD_RETENTION (target <= 1 KB) | raw BullMQ finished |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...rows.map(
      (r) =>
        `| ${r.size} prompt (${r.jobs} jobs) | ${kb(r.queued)} | ${kb(r.bullmq.queued)} | ${kb(r.finishedFresh)} (${kb(r.bullmqHash)}) | ${kb(r.finished)} | ${kb(r.compressedInOut)} | ${Math.round((r.finished / r.compressedInOut) * 100) / 100}x | ${Math.round(r.expired)} B | ${kb(r.bullmq.finished)} |`,
    ),
  ];
}

/** On its own: `node bench/dist/memory.bench.js [--quick]`, on a private redis-server when there is one. */
async function standalone(): Promise<void> {
  const own = await startPrivateRedis();
  try {
    const url = own?.url ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
    const rows = await memoryBench(url, Date.now().toString(36), process.argv.includes('--quick'));
    process.stdout.write(`${memoryTable(rows).join('\n')}\n`);
  } finally {
    await own?.stop();
  }
}

if (require.main === module) {
  standalone().then(
    () => process.exit(0),
    (err: unknown) => {
      process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
      process.exit(1);
    },
  );
}
