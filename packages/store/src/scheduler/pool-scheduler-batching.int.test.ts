import { newJobId, schedulerKeys } from '@inferq/core';
import { describeOnTargets, dropPrefix, testPrefix } from '@inferq/testkit';
import type { RedisTargetInfo } from '@inferq/testkit';
import { createRedis } from '../redis';
import type { RedisClient } from '../redis';
import { PoolScheduler } from './pool-scheduler';
import type { SchedFinish, SchedJob } from './pool-scheduler';
import { parsePick } from './scheduler-replies';
import type { Pick, PromotedJob } from './scheduler-replies';

/*
 * What a scheduler call does at once (many jobs of a tenant in one submit, many
 * slots in one pick, several finishes in one call, a finish that carries its
 * charge) gives what the same steps one at a time give.
 */
const prefix = testPrefix('sched-batch');
let target: RedisTargetInfo;
let redis: RedisClient;
let sched: PoolScheduler;
let seq = 0;
const newPool = () => `b${++seq}`;

const job = (pool: string, tenant: string, s: Partial<SchedJob> = {}): SchedJob => ({
  id: newJobId(pool),
  level: 1,
  tenant,
  estimate: 100,
  weight: 1,
  attempts: 3,
  deadlineMs: null,
  model: 'sim/echo',
  ...s,
});

async function submit(pool: string, jobs: SchedJob[]): Promise<Pick> {
  const tx = redis.multi();
  sched.appendSubmit(tx, pool, jobs);
  const [[err, reply]] = (await tx.exec()) ?? [];
  if (err) throw err;
  return parsePick(reply);
}

const charged = (p: PromotedJob): SchedFinish['charge'] => ({
  level: p.level,
  tenant: p.tenant,
  estimate: p.estimate,
  weight: p.weight,
});
const vt = async (pool: string, tenant: string) =>
  Number(await redis.zscore(schedulerKeys(prefix, pool).ready(1), tenant));

// Tenants of equal weights and estimates tie on virtual time: the order then goes by name, byte by byte.
const TENANTS = ['a', 'B', 'é', 'b', 'aa', 'c'];
const WEIGHTS = [1, 1, 1, 3, 0.7, 2.5];
const flood = (pool: string) =>
  TENANTS.flatMap((t, i) => Array.from({ length: 6 }, () => job(pool, t, { weight: WEIGHTS[i] })));

describeOnTargets('PoolScheduler, many at once', (on) => {
  beforeAll(async () => {
    target = await on.ready();
    redis = createRedis(target.connection, 'blocking');
    sched = new PoolScheduler(redis, prefix);
  });
  afterAll(async () => {
    redis?.disconnect();
    await dropPrefix(prefix, target);
  });

  it('picks many free slots at once in the order it picks them one at a time', async () => {
    const [bulk, single] = [newPool(), newPool()];
    await submit(bulk, flood(bulk));
    await submit(single, flood(single));
    const all = (await sched.capacity(bulk, 'w', 30, 15_000)).promoted.map((p) => p.tenant);
    const one: string[] = [];
    for (let slots = 1; slots <= 30; slots++) {
      one.push(...(await sched.capacity(single, 'w', slots, 15_000)).promoted.map((p) => p.tenant));
    }
    expect(all).toHaveLength(30);
    expect(all).toEqual(one);
  });

  it('reads past the tenants it read first when those retire in the same pick', async () => {
    const pool = newPool();
    const run = async (jobs: SchedJob[], slots: number) => {
      const now = await submit(pool, jobs);
      return [...now.promoted, ...(await sched.capacity(pool, 'w', slots, 15_000)).promoted];
    };
    // c is served 350 tokens, d 400; both leave and keep those virtual times.
    const c = Array.from({ length: 7 }, () => job(pool, 'c', { estimate: 50 }));
    const served = await run([...c, ...Array.from({ length: 4 }, () => job(pool, 'd'))], 11);
    await sched.finish(
      pool,
      served.map((p) => ({ id: p.id, tokens: null })),
    );
    await sched.capacity(pool, 'w', 2, 15_000);
    // a and b start just below the level's clock (300); their one small job each takes the two slots,
    // and their emptied backlogs stay ready (at ~301) until a pick finds them so.
    const small = { estimate: 1 };
    expect((await run([job(pool, 'a', small), job(pool, 'b', small)], 2)).map((p) => p.tenant)).toEqual(['b', 'a']);
    // c comes back at 350, d at 400. Two slots free: the head read holds b, a and c; b and a retire, c
    // starts (450), and then d, which that read did not hold, goes before c.
    const next = await run(
      ['c', 'c', 'd', 'd'].map((t) => job(pool, t)),
      4,
    );
    expect(next.map((p) => p.tenant)).toEqual(['c', 'd']);
  });

  it("takes a submit's jobs of several tenants in one call as it takes them one call each", async () => {
    const [together, apart] = [newPool(), newPool()];
    const names = ['a', 'b', 'a', 'c', 'b', 'a', 'c', 'a'];
    await submit(
      together,
      names.map((t) => job(together, t)),
    );
    for (const t of names) await submit(apart, [job(apart, t)]);
    const order = async (pool: string) =>
      (await sched.capacity(pool, 'w', names.length, 15_000)).promoted.map((p) => p.tenant);
    expect(await order(together)).toEqual(await order(apart));
  });

  it('retires a lone tenant whose backlog runs out with slots to spare, keeping its virtual time', async () => {
    const pool = newPool();
    const k = schedulerKeys(prefix, pool);
    await submit(pool, [job(pool, 'a'), job(pool, 'a', { estimate: 50 })]);
    expect((await sched.capacity(pool, 'w', 5, 15_000)).promoted).toHaveLength(2);
    expect(await redis.zscore(k.ready(1), 'a')).toBeNull();
    expect(Number(await redis.hget(k.saved, '1|a'))).toBe(150);
  });

  it('settles a finish that carries its charge as one that does not, and only once', async () => {
    const [carried, looked] = [newPool(), newPool()];
    const picks = await Promise.all(
      [carried, looked].map(async (pool) => {
        await submit(pool, [job(pool, 'a'), job(pool, 'a'), job(pool, 'b')]);
        return (await sched.capacity(pool, 'w', 2, 15_000)).promoted;
      }),
    );
    const [p, q] = picks;
    const withCharge = (x: PromotedJob) => [{ id: x.id, tokens: 40, charge: charged(x) }];
    expect((await sched.finish(carried, withCharge(p[0]))).promoted.map((x) => x.tenant)).toEqual(['a']);
    expect((await sched.finish(looked, [{ id: q[0].id, tokens: 40 }])).promoted.map((x) => x.tenant)).toEqual(['a']);
    expect(await vt(carried, 'a')).toBe(await vt(looked, 'a'));
    // Again: nothing freed, nothing corrected.
    expect((await sched.finish(carried, withCharge(p[0]))).promoted).toEqual([]);
    expect(await vt(carried, 'a')).toBe(await vt(looked, 'a'));
    expect((await sched.stats(carried)).inFlight).toBe(2);
  });

  it('settles a job named twice in one finish once', async () => {
    const [twice, once] = [newPool(), newPool()];
    for (const pool of [twice, once]) {
      await submit(pool, [job(pool, 'a'), job(pool, 'a'), job(pool, 'a'), job(pool, 'b')]);
      const [first, second] = (await sched.capacity(pool, 'w', 2, 15_000)).promoted;
      const done: SchedFinish[] = [
        { id: first.id, tokens: 10 },
        { id: second.id, tokens: 30 },
      ];
      await sched.finish(pool, pool === twice ? [...done, done[0]] : done);
    }
    expect(await vt(twice, 'a')).toBe(await vt(once, 'a'));
    expect((await sched.stats(twice)).inFlight).toBe(2);
  });

  it("corrects a paused job's charge when its finish carries it, and frees no slot", async () => {
    const pool = newPool();
    await submit(pool, [job(pool, 'a'), job(pool, 'a'), job(pool, 'a')]);
    const [first] = (await sched.capacity(pool, 'w', 1, 15_000)).promoted;
    const [second] = (await sched.pause(pool, [first.id])).promoted;
    const before = await vt(pool, 'a');
    expect((await sched.finish(pool, [{ id: first.id, tokens: 0, charge: charged(first) }])).promoted).toEqual([]);
    expect(await vt(pool, 'a')).toBe(before - 100);
    expect((await sched.stats(pool)).inFlight).toBe(1);
    expect((await sched.finish(pool, [{ id: second.id, tokens: 100 }])).promoted).toHaveLength(1);
  });
});
