import type { ChainableCommander } from 'ioredis';
import type { RedisClient } from '../redis';
import { schedulerKeys } from '@inferq/core';
import { luaScript } from '../lua-files';
import { parseInflight, parsePick, parseStats } from './scheduler-replies';
import type { Pick, PoolStats, PromotedJob } from './scheduler-replies';
import { withLuaCommands } from '../lua-commands';

// The scripts' text, read once from packages/store/lua (see lua-files.ts).
const SCHED_SUBMIT_LUA = luaScript('sched-submit');
const SCHED_FINISH_LUA = luaScript('sched-finish');
const SCHED_PAUSE_LUA = luaScript('sched-pause');
const SCHED_RESUME_LUA = luaScript('sched-resume');
const SCHED_CANCEL_LUA = luaScript('sched-cancel');
const SCHED_SWEEP_LUA = luaScript('sched-sweep');
const SCHED_CAPACITY_LUA = luaScript('sched-capacity');
const SCHED_POSITION_LUA = luaScript('sched-position');
const SCHED_STATS_LUA = luaScript('sched-stats');

/** A job joining its tenant's backlog. `level`: 0 high, 1 normal, 2 low. */
export interface SchedJob {
  id: string;
  level: number;
  tenant: string;
  /** Tokens charged when it starts (input estimate + max_tokens). */
  estimate: number;
  /** The tenant's weight when it submitted (0.01 to 1000). */
  weight: number;
  attempts: number;
  /** Latest start (ms since the epoch), or null. */
  deadlineMs: number | null;
  model: string;
}

/** What ended a job in flight: its real tokens, `null` to keep the estimate, 0 to refund it. */
export interface SchedFinish {
  id: string;
  tokens: number | null;
  /** What its pick charged, when the caller has it (its BullMQ job's data): the finish then reads nothing of it. */
  charge?: SchedCharge;
}

/** A job's charge as its pick made it (see PromotedJob). */
export interface SchedCharge {
  level: number;
  tenant: string;
  estimate: number;
  weight: number;
}

type Cmd<A extends unknown[]> = (key: string, ...args: A) => Promise<unknown>;
type Scripted = RedisClient & {
  iqSchedSubmit: Cmd<string[]>;
  iqSchedFinish: Cmd<string[]>;
  iqSchedPause: Cmd<string[]>;
  iqSchedResume: Cmd<string[]>;
  iqSchedCancel: Cmd<string[]>;
  iqSchedSweep: Cmd<string[]>;
  iqSchedCapacity: Cmd<string[]>;
  iqSchedPosition: Cmd<string[]>;
  iqSchedStats: Cmd<string[]>;
};
type ScriptedTx = ChainableCommander & { iqSchedSubmit: (key: string, ...args: string[]) => ChainableCommander };

const one = (lua: string) => ({ numberOfKeys: 1, lua });

/**
 * The fair scheduler of every pool (SPEC section 9): tenant backlogs in front
 * of each pool's BullMQ queue, moved on in weighted-fair order as slots free.
 * Each call runs one script on one pool's keys (one Redis Cluster slot); the
 * scripts and the key layout are described in lua/includes/scheduler-common.lua and core's
 * schedulerKeys. What a pick hands over is added to BullMQ by Promotion.
 */
export class PoolScheduler {
  private readonly redis: Scripted;

  constructor(
    redis: RedisClient,
    private readonly prefix: string,
  ) {
    this.redis = withLuaCommands<Scripted>(redis, {
      iqSchedSubmit: one(SCHED_SUBMIT_LUA),
      iqSchedFinish: one(SCHED_FINISH_LUA),
      iqSchedPause: one(SCHED_PAUSE_LUA),
      iqSchedResume: one(SCHED_RESUME_LUA),
      iqSchedCancel: one(SCHED_CANCEL_LUA),
      iqSchedSweep: one(SCHED_SWEEP_LUA),
      iqSchedCapacity: one(SCHED_CAPACITY_LUA),
      iqSchedPosition: one(SCHED_POSITION_LUA),
      iqSchedStats: one(SCHED_STATS_LUA),
    });
  }

  keys(pool: string) {
    return schedulerKeys(this.prefix, pool);
  }

  /** Appends the submit of a pool's new jobs to a transaction on this connection; its reply parses with parsePick. */
  appendSubmit(tx: ChainableCommander, pool: string, jobs: SchedJob[], now = Date.now()): void {
    const k = this.keys(pool);
    const args = [k.base, String(now)];
    for (const j of jobs) {
      args.push(j.id, String(j.level), j.tenant, String(j.estimate), String(j.weight), String(j.attempts));
      args.push(j.deadlineMs === null ? '' : String(j.deadlineMs), j.model);
    }
    (tx as ScriptedTx).iqSchedSubmit(k.ready(0), ...args);
  }

  async finish(pool: string, jobs: SchedFinish[], now = Date.now()): Promise<Pick> {
    const k = this.keys(pool);
    const args = [k.base, String(now)];
    for (const j of jobs) {
      const c = j.charge;
      args.push(j.id, j.tokens === null ? '' : String(j.tokens));
      if (c) args.push(String(c.level), c.tenant, String(c.estimate), String(c.weight));
      else args.push('', '', '', '');
    }
    return parsePick(await this.redis.iqSchedFinish(k.inflight, ...args));
  }

  /** Jobs in flight that wait out a retry delay: their slots go to the next jobs, their charge stays. */
  async pause(pool: string, ids: string[], now = Date.now()): Promise<Pick> {
    const k = this.keys(pool);
    return parsePick(await this.redis.iqSchedPause(k.inflight, k.base, String(now), ...ids));
  }

  /** A paused job's next attempt starts: it takes a slot again. False when it was not paused. */
  async resume(pool: string, id: string): Promise<boolean> {
    const k = this.keys(pool);
    return Number(await this.redis.iqSchedResume(k.inflight, k.base, id)) === 1;
  }

  /** Takes a canceled job out of its backlog: `inflight` when BullMQ has it already. */
  async cancel(pool: string, id: string, level: number, tenant: string): Promise<'backlog' | 'inflight' | 'none'> {
    const k = this.keys(pool);
    const code = Number(await this.redis.iqSchedCancel(k.inflight, k.base, id, String(level), tenant));
    return code === 1 ? 'backlog' : code === 2 ? 'inflight' : 'none';
  }

  /** Jobs whose deadline passed in a backlog, taken out of it (their records are still to be failed). */
  async sweep(pool: string, now = Date.now()): Promise<Array<{ id: string; tenant: string }>> {
    const k = this.keys(pool);
    const flat = (await this.redis.iqSchedSweep(k.deadlines, k.base, String(now))) as string[];
    const out: Array<{ id: string; tenant: string }> = [];
    for (let i = 0; i < flat.length; i += 2) out.push({ id: flat[i], tenant: flat[i + 1] });
    return out;
  }

  /** A worker states the slots it serves in the pool for `ttlMs` (0 slots: it leaves). */
  async capacity(pool: string, worker: string, slots: number, ttlMs: number, now = Date.now()): Promise<Pick> {
    const k = this.keys(pool);
    const reply = await this.redis.iqSchedCapacity(
      k.workers,
      k.base,
      String(now),
      worker,
      String(slots),
      String(now + ttlMs),
    );
    return parsePick(reply);
  }

  /** Jobs ahead of a backlogged job in the order of service (an estimate); undefined when it is not in a backlog. */
  async position(pool: string, id: string, level: number, tenant: string): Promise<number | undefined> {
    const k = this.keys(pool);
    const [ahead] = (await this.redis.iqSchedPosition(k.inflight, k.base, id, String(level), tenant)) as number[];
    return ahead >= 0 ? ahead : undefined;
  }

  /**
   * Deletes what the pool's scheduler kept before its counters moved into `state` (issue 17): the
   * `cap` and `picked` keys and the levels' clocks in `saved` (fields `<level>|`; a tenant's field
   * names it after the bar). Nothing reads them any more; a second call finds nothing to delete.
   */
  async dropLegacyKeys(pool: string): Promise<void> {
    const k = this.keys(pool);
    await this.redis.multi().unlink(`${k.base}cap`, `${k.base}picked`).hdel(k.saved, '0|', '1|', '2|').exec();
  }

  /** Jobs ever handed to BullMQ in the pool: a counter whose rate is the pool's throughput. */
  async picked(pool: string): Promise<number> {
    return Number((await this.redis.hget(this.keys(pool).state, 'picked')) ?? 0);
  }

  async stats(pool: string): Promise<PoolStats> {
    const k = this.keys(pool);
    return parseStats(pool, await this.redis.iqSchedStats(k.inflight, k.base));
  }

  /** Every job in flight with the time it was handed to BullMQ (for the repair loop). */
  async inflight(
    pool: string,
    which: 'inflight' | 'retrying' = 'inflight',
  ): Promise<Array<PromotedJob & { promotedAt: number }>> {
    const h = await this.redis.hgetall(this.keys(pool)[which]);
    return Object.entries(h).map(([id, v]) => parseInflight(id, v));
  }
}
