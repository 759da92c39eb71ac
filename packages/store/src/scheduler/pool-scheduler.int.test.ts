import { newJobId } from '@inferq/core';
import { describeOnTargets, dropPrefix, testPrefix } from '@inferq/testkit';
import type { RedisTargetInfo } from '@inferq/testkit';
import { createRedis } from '../redis';
import type { RedisClient } from '../redis';
import { PoolScheduler } from './pool-scheduler';
import type { SchedJob } from './pool-scheduler';
import { parsePick } from './scheduler-replies';
import type { Pick } from './scheduler-replies';

const prefix = testPrefix('sched');
let target: RedisTargetInfo;
let redis: RedisClient;
let sched: PoolScheduler;
let pool = '';
let seq = 0;

type Spec = Partial<SchedJob> & { tenant: string };
const job = (s: Spec): SchedJob => ({
  id: newJobId(pool),
  level: 1,
  estimate: 100,
  weight: 1,
  attempts: 3,
  deadlineMs: null,
  model: 'sim/echo',
  ...s,
});

async function submit(jobs: SchedJob[]): Promise<Pick> {
  const tx = redis.multi();
  sched.appendSubmit(tx, pool, jobs);
  const [[err, reply]] = (await tx.exec()) ?? [];
  if (err) throw err;
  return parsePick(reply);
}

/** Runs the pool one slot at a time: finishes each picked job with its tenant's real tokens, n picks. */
async function serve(first: Pick, n: number, realTokens: (tenant: string) => number | null = () => null) {
  const order: string[] = [];
  let pick = first;
  while (order.length < n && pick.promoted.length > 0) {
    const done = pick.promoted[0];
    order.push(done.tenant);
    pick = await sched.finish(pool, [{ id: done.id, tokens: realTokens(done.tenant) }]);
  }
  return order;
}

const count = (order: string[], t: string) => order.filter((x) => x === t).length;

// The scheduler's scripts on standalone Redis and on the run's 3-master cluster (each pool's keys in one slot).
describeOnTargets('PoolScheduler', (on) => {
  beforeAll(async () => {
    target = await on.ready();
    redis = createRedis(target.connection, 'blocking');
    sched = new PoolScheduler(redis, prefix);
  });
  beforeEach(() => {
    pool = `p${++seq}`;
  });
  afterAll(async () => {
    redis?.disconnect();
    await dropPrefix(prefix, target);
  });

  it('picks nothing without capacity, then FIFO up to the capacity', async () => {
    const jobs = [1, 2, 3].map(() => job({ tenant: 'a' }));
    expect((await submit(jobs)).promoted).toEqual([]);
    const pick = await sched.capacity(pool, 'w1', 2, 15_000);
    expect(pick.promoted.map((p) => p.id)).toEqual([jobs[0].id, jobs[1].id]);
    expect(pick.promoted[0]).toMatchObject({ level: 1, tenant: 'a', attempts: 3, model: 'sim/echo' });
    const next = await sched.finish(pool, [{ id: jobs[0].id, tokens: 100 }]);
    expect(next.promoted.map((p) => p.id)).toEqual([jobs[2].id]);
    // A repeated finish is a no-op: the slot is not freed twice.
    expect((await sched.finish(pool, [{ id: jobs[0].id, tokens: 100 }])).promoted).toEqual([]);
    expect((await sched.stats(pool)).inFlight).toBe(2);
  });

  it("starts a quiet tenant's job at the next free slot, not behind a noisy tenant's backlog", async () => {
    await sched.capacity(pool, 'w1', 1, 15_000);
    const first = await submit(Array.from({ length: 300 }, () => job({ tenant: 'noisy' })));
    await submit([job({ tenant: 'quiet' })]);
    const order = await serve(first, 5);
    expect(order.indexOf('quiet')).toBe(1);
  });

  it('serves tokens 3:1 to weights 3 and 1 when both are backlogged', async () => {
    await sched.capacity(pool, 'w1', 1, 15_000);
    const first = await submit([
      ...Array.from({ length: 300 }, () => job({ tenant: 'heavy', weight: 3 })),
      ...Array.from({ length: 300 }, () => job({ tenant: 'light', weight: 1 })),
    ]);
    const order = await serve(first, 240);
    expect(count(order, 'heavy') / count(order, 'light')).toBeGreaterThan(2.7);
    expect(count(order, 'heavy') / count(order, 'light')).toBeLessThan(3.3);
  });

  it('shares tokens, not jobs: long jobs and short jobs at equal weights', async () => {
    await sched.capacity(pool, 'w1', 1, 15_000);
    const first = await submit([
      ...Array.from({ length: 100 }, () => job({ tenant: 'long', estimate: 1000 })),
      ...Array.from({ length: 400 }, () => job({ tenant: 'short', estimate: 100 })),
    ]);
    const order = await serve(first, 220);
    const tokens = { long: count(order, 'long') * 1000, short: count(order, 'short') * 100 };
    expect(tokens.long / tokens.short).toBeGreaterThan(0.9);
    expect(tokens.long / tokens.short).toBeLessThan(1.1);
  });

  it('charges real usage: a tenant whose jobs use less than estimated gets more jobs', async () => {
    await sched.capacity(pool, 'w1', 1, 15_000);
    const first = await submit([
      ...Array.from({ length: 200 }, () => job({ tenant: 'frugal', estimate: 1000 })),
      ...Array.from({ length: 200 }, () => job({ tenant: 'exact', estimate: 1000 })),
    ]);
    const order = await serve(first, 200, (t) => (t === 'frugal' ? 250 : 1000));
    expect(count(order, 'frugal') / count(order, 'exact')).toBeGreaterThan(3.3);
  });

  it('gives a job waiting out a retry its slot back only when its next attempt starts', async () => {
    await sched.capacity(pool, 'w1', 1, 15_000);
    const [a, b] = [job({ tenant: 'a' }), job({ tenant: 'a' })];
    const first = await submit([a, b]);
    expect(first.promoted.map((p) => p.id)).toEqual([a.id]);
    // a backs off: its slot goes to b.
    expect((await sched.pause(pool, [a.id])).promoted.map((p) => p.id)).toEqual([b.id]);
    expect(await sched.resume(pool, a.id)).toBe(true);
    expect(await sched.resume(pool, a.id)).toBe(false);
    expect((await sched.stats(pool)).inFlight).toBe(2);
    await sched.pause(pool, [a.id]);
    // Finishing a job that waits out a retry corrects its charge and frees nothing more.
    await sched.finish(pool, [{ id: a.id, tokens: 10 }]);
    expect((await sched.stats(pool)).inFlight).toBe(1);
    expect(await sched.resume(pool, a.id)).toBe(false);
  });

  it('keeps levels strict: a high job starts before queued normal and low jobs', async () => {
    await sched.capacity(pool, 'w1', 1, 15_000);
    const first = await submit([job({ tenant: 'a', level: 2 }), job({ tenant: 'a', level: 1 }), job({ tenant: 'a' })]);
    const high = job({ tenant: 'b', level: 0 });
    await submit([high]);
    const next = await sched.finish(pool, [{ id: first.promoted[0].id, tokens: null }]);
    expect(next.promoted.map((p) => p.id)).toEqual([high.id]);
  });

  it('lets an idle tenant re-enter at the current minimum: no banked credit', async () => {
    await sched.capacity(pool, 'w1', 1, 15_000);
    const first = await submit(Array.from({ length: 100 }, () => job({ tenant: 'busy' })));
    const before = await serve(first, 50);
    expect(count(before, 'busy')).toBe(50);
    const inflight = await sched.inflight(pool);
    await submit(Array.from({ length: 40 }, () => job({ tenant: 'late' })));
    const pick = await sched.finish(pool, [{ id: inflight[0].id, tokens: null }]);
    const after = await serve(pick, 20);
    // Alternating from the start, not 20 'late' jobs in a row to catch up on 50.
    expect(count(after, 'late')).toBeGreaterThanOrEqual(9);
    expect(count(after, 'late')).toBeLessThanOrEqual(11);
  });

  it('keeps a returning tenant next in line when a shrinking pool corrects many estimates down at once', async () => {
    await sched.capacity(pool, 'w1', 10, 15_000);
    await submit(Array.from({ length: 300 }, () => job({ tenant: 'noisy', estimate: 1000 })));
    await submit([job({ tenant: 'quiet', estimate: 1000 })]);
    // Ten slots become one (dead workers' statements expire); the ten jobs in flight end having
    // used 10 tokens each, far below their estimates.
    await sched.capacity(pool, 'w1', 1, 15_000);
    for (const e of await sched.inflight(pool)) await sched.finish(pool, [{ id: e.id, tokens: 10 }]);
    const late = job({ tenant: 'quiet', estimate: 1000 });
    await submit([late]);
    // Jobs that start before the quiet tenant's new one: about one free slot, not the backlog.
    let before = 0;
    let cur: { id: string } | undefined = (await sched.inflight(pool))[0];
    while (cur && cur.id !== late.id && before < 300) {
      cur = (await sched.finish(pool, [{ id: cur.id, tokens: 10 }])).promoted[0];
      before++;
    }
    expect(cur?.id).toBe(late.id);
    expect(before).toBeLessThanOrEqual(2);
  });

  it('takes canceled jobs and passed deadlines out of the backlogs', async () => {
    const keep = job({ tenant: 'a' });
    const canceled = job({ tenant: 'a' });
    const late = job({ tenant: 'b', deadlineMs: Date.now() + 50 });
    await submit([keep, canceled, late]);
    expect(await sched.cancel(pool, canceled.id, 1, 'a')).toBe('backlog');
    expect(await sched.cancel(pool, canceled.id, 1, 'a')).toBe('none');
    expect(await sched.sweep(pool, Date.now() + 100)).toEqual([{ id: late.id, tenant: 'b' }]);
    const pick = await sched.capacity(pool, 'w1', 5, 15_000);
    expect(pick.promoted.map((p) => p.id)).toEqual([keep.id]);
    expect(await sched.cancel(pool, keep.id, 1, 'a')).toBe('inflight');
    expect((await sched.stats(pool)).backlogs).toEqual([]);
  });

  it('never hands over a job whose deadline passed: it comes back as expired', async () => {
    const late = job({ tenant: 'a', deadlineMs: Date.now() - 1 });
    await submit([late]);
    const pick = await sched.capacity(pool, 'w1', 1, 15_000);
    expect(pick).toEqual({ promoted: [], expired: [{ id: late.id, tenant: 'a' }] });
  });

  it('counts only live workers: a statement past its expiry frees nothing', async () => {
    await sched.capacity(pool, 'gone', 4, 1, Date.now() - 10);
    await sched.capacity(pool, 'alive', 2, 15_000);
    expect((await sched.stats(pool)).capacity).toBe(2);
    await sched.capacity(pool, 'alive', 0, 15_000);
    expect((await sched.stats(pool)).capacity).toBe(0);
  });

  it("estimates a backlogged job's place in the order of service", async () => {
    const a = Array.from({ length: 10 }, () => job({ tenant: 'a' }));
    const b = Array.from({ length: 10 }, () => job({ tenant: 'b' }));
    const high = job({ tenant: 'c', level: 0, weight: 2.5 });
    await submit([...a, ...b, high]);
    expect(await sched.position(pool, high.id, 0, 'c')).toBe(0);
    expect(await sched.position(pool, a[0].id, 1, 'a')).toBe(1);
    // Five of its own ahead, about five of b's and the high job.
    const ahead = (await sched.position(pool, a[5].id, 1, 'a')) ?? -1;
    expect(ahead).toBeGreaterThanOrEqual(10);
    expect(ahead).toBeLessThanOrEqual(12);
    const stats = await sched.stats(pool);
    expect(stats.backlogs.map((t) => [t.tenant, t.level, t.queued, t.weight])).toEqual([
      ['c', 0, 1, 2.5],
      ['a', 1, 10, 1],
      ['b', 1, 10, 1],
    ]);
    expect(stats.backlogs[1].oldestAt).toBeGreaterThan(Date.now() - 60_000);
  });
});
