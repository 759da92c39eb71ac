import { newJobId, schedulerKeys } from '@inferq/core';
import { dropPrefix, startMonitorAt, testPrefix, testRedisUrl, waitFor } from '@inferq/testkit';
import type { RedisMonitor } from '@inferq/testkit';
import { createRedis } from '../redis';
import { PoolScheduler } from './pool-scheduler';
import type { SchedJob } from './pool-scheduler';
import { parsePick } from './scheduler-replies';
import type { Pick } from './scheduler-replies';

/*
 * What each scheduler call costs Redis, counted with MONITOR (each command a
 * script runs shows there): a call pays per tenant and per call, not per job.
 * Standalone only: MONITOR watches one server.
 */
const prefix = testPrefix('sched-cmds');
const redis = createRedis(testRedisUrl(), 'blocking');
const sched = new PoolScheduler(redis, prefix);
let monitor: RedisMonitor;
let seen: string[][] = [];
const pool = 'cmds';
const base = schedulerKeys(prefix, pool).base;
const MARK = `${base}mark`;

beforeAll(async () => {
  monitor = await startMonitorAt(testRedisUrl(), ({ args }) => {
    if (args.slice(1).some((a) => a.startsWith(base))) seen.push(args);
  });
});
afterAll(async () => {
  monitor.close();
  redis.disconnect();
  await dropPrefix(prefix);
});

let marks = 0;
/** Until MONITOR has shown everything sent so far: a new marker command on the pool's slot comes back. */
async function caughtUp(): Promise<void> {
  const mark = `${MARK}${++marks}`;
  await redis.exists(mark);
  await waitFor(async () => (seen.some((a) => a[1] === mark) ? true : undefined), 20_000);
}

/** The commands `call` made on the pool's keys, by name (EVALSHA and what it ran). */
async function counted(call: () => Promise<unknown>): Promise<Record<string, number>> {
  await caughtUp();
  seen = [];
  await call();
  await caughtUp();
  const out: Record<string, number> = {};
  for (const [cmd] of seen.filter((a) => !a[1]?.startsWith(MARK))) {
    // The script call itself goes as EVALSHA, or EVAL when the server lacks the script: counted as one.
    const name = cmd.toLowerCase() === 'eval' ? 'evalsha' : cmd.toLowerCase();
    out[name] = name === 'evalsha' ? 1 : (out[name] ?? 0) + 1;
  }
  return out;
}

const job = (tenant: string): SchedJob => ({
  id: newJobId(pool),
  level: 1,
  tenant,
  estimate: 100,
  weight: 1,
  attempts: 3,
  deadlineMs: null,
  model: 'sim/echo',
});

async function submit(jobs: SchedJob[]): Promise<Pick> {
  const tx = redis.multi();
  sched.appendSubmit(tx, pool, jobs);
  const [[err, reply]] = (await tx.exec()) ?? [];
  if (err) throw err;
  return parsePick(reply);
}

it('pays per tenant and per call, not per job', async () => {
  // A pool that has run a job: its counters are written and its empty levels known.
  const [warm] = (await submit([job('z')])).promoted.concat((await sched.capacity(pool, 'w', 1, 60_000)).promoted);
  await sched.finish(pool, [{ id: warm.id, tokens: null }]);
  await sched.capacity(pool, 'w', 0, 60_000);
  // 20 jobs of a new tenant, no free slot: one look at the tenant, its entry (HGET of its saved time and
  // of the level's clock, ZRANGE of the level's head, ZADD), one ZADD of its jobs, the counters read
  // (HMGET, HLEN of the jobs in flight) and written (the level is live again).
  expect(await counted(() => submit(Array.from({ length: 20 }, () => job('a'))))).toEqual({
    evalsha: 1,
    zscore: 1,
    hget: 2,
    zrange: 1,
    zadd: 2,
    hmget: 1,
    hlen: 1,
    hset: 1,
  });
  // A worker states 4 slots (its entry: HSET, HGETALL), and the four picks of one tenant cost one read
  // of the level's head, one pop, one HSET of the four in flight, one ZADD of its virtual time, one of
  // its pending estimates, and the counters read (HMGET, HLEN) and written once.
  let pick: Pick = { promoted: [], expired: [] };
  expect(
    await counted(async () => {
      pick = await sched.capacity(pool, 'w', 4, 60_000);
    }),
  ).toEqual({ evalsha: 1, hset: 3, hgetall: 1, hmget: 1, hlen: 1, zrange: 1, zpopmin: 1, zadd: 1, hincrbyfloat: 1 });
  expect(pick.promoted).toHaveLength(4);
  // Four finishes in one call: one HMGET and one HDEL of their entries, one correction of the tenant
  // (ZADD XX INCR), then the four next picks as above (their estimates pending replace the ended ones':
  // no write of `pending`).
  const four = pick.promoted.map((p) => ({ id: p.id, tokens: 50 }));
  expect(await counted(() => sched.finish(pool, four))).toEqual({
    evalsha: 1,
    hmget: 2,
    hdel: 1,
    zadd: 2,
    hlen: 1,
    zrange: 1,
    zpopmin: 1,
    hset: 2,
  });
});

it('reads nothing of a job that comes alone with its charge', async () => {
  await sched.capacity(pool, 'w', 0, 60_000);
  const [p] = (await sched.capacity(pool, 'w', 5, 60_000)).promoted;
  const charge = { level: p.level, tenant: p.tenant, estimate: p.estimate, weight: p.weight };
  // Its HDEL says it was in flight; used as estimated: no correction. Then one pick, as above.
  expect(await counted(() => sched.finish(pool, [{ id: p.id, tokens: 100, charge }]))).toEqual({
    evalsha: 1,
    hmget: 1,
    hdel: 1,
    hlen: 1,
    zrange: 1,
    zpopmin: 1,
    hset: 2,
    zadd: 1,
  });
});
