import { Redis } from 'ioredis';
import { poolTag, schedulerKeys } from '@inferq/core';
import { startMonitorAt } from '@inferq/testkit';
import type { MonitorLine, RedisMonitor } from '@inferq/testkit';
import { perJob, perJobByCommand, redisSnapshot } from './redis-stats';
import type { RedisSnapshot } from './redis-stats';

/** What the fair scheduler alone costs Redis per job (SPEC section 9; the target is about 6 commands). */
export interface SchedulerCost {
  sampleJobs: number;
  /** Calls the api and worker made on the scheduler's keys (its scripts and plain reads), per job. */
  callsPerJob: number;
  /** Commands Redis counted replaying those calls: the calls and what the scripts ran, per job. */
  commandsPerJob: number;
  /** Redis CPU (user + sys) of the replay, per job: the median of REPLAYS rounds. */
  cpuUsPerJob: number;
  /** The replay's commands per job by name (>= 0.1 per job, most first). */
  commandBreakdown: Record<string, number>;
  /** The same count taken from MONITOR during the sample, a cross-check of the replay's. */
  monitoredCommandsPerJob: number;
}

const isSched = (arg: string) => arg.includes(':sched:');
/** Rounds of the replay, each on its own copy of the keys: Redis CPU on a shared machine is noisy. */
const REPLAYS = 3;

/** The prefixes the replays write under (dropped with the phase's when on a shared Redis). */
export const replayPrefixes = (prefix: string) => Array.from({ length: REPLAYS }, (_, i) => `${prefix}-replay${i}`);
const r1 = (x: number) => Math.round(x * 10) / 10;

/**
 * Records every command on one prefix's scheduler keys while a sample of jobs
 * runs: the top-level calls (scripts, reads) to replay them, and how many
 * commands the scripts ran on those keys (MONITOR shows those with source
 * `lua`). Before it listens it copies the scheduler's keys to a replay prefix,
 * so the replay starts from the state the sample started from.
 */
export class SchedRecorder {
  readonly calls: string[][] = [];
  private inner = 0;
  private monitor: RedisMonitor | undefined;

  private constructor(
    readonly from: string,
    readonly to: string[],
  ) {}

  static async start(redisUrl: string, prefix: string, pool: string): Promise<SchedRecorder> {
    const from = poolTag(prefix, pool);
    const to = replayPrefixes(prefix).map((p) => poolTag(p, pool));
    const redis = new Redis(redisUrl);
    try {
      for (const t of to) await copyKeys(redis, `${schedulerKeys(prefix, pool).base}*`, from, t);
    } finally {
      redis.disconnect();
    }
    const rec = new SchedRecorder(from, to);
    rec.monitor = await startMonitorAt(redisUrl, (line) => rec.record(line));
    return rec;
  }

  private record({ source, args }: MonitorLine): void {
    if (!args.slice(1).some(isSched)) return;
    if (source === 'lua') this.inner++;
    else this.calls.push(args);
  }

  stop(): void {
    this.monitor?.close();
  }

  /** Commands on the scheduler's keys seen by MONITOR: the calls and what the scripts ran. */
  get monitored(): number {
    return this.calls.length + this.inner;
  }

  /**
   * Replays the recorded calls, one round trip each, on each replay prefix's
   * copy of the keys (on the same server, so the scripts are loaded): Redis's
   * own count of commands and its CPU for them, over `jobs` jobs. On a Redis
   * nothing else uses, that is the scheduler's share of the bill exactly.
   */
  async replay(redisUrl: string, jobs: number): Promise<SchedulerCost> {
    const redis = new Redis(redisUrl);
    try {
      const rounds: Array<{ before: RedisSnapshot; after: RedisSnapshot; cpuUs: number }> = [];
      for (const to of this.to) {
        const before = await redisSnapshot(redis);
        for (const [name, ...args] of this.calls) {
          await redis.call(name, ...args.map((a) => a.split(this.from).join(to)));
        }
        const after = await redisSnapshot(redis);
        rounds.push({ before, after, cpuUs: perJob(before, after, jobs).cpuUs });
      }
      // Every round runs the same commands; the median round by CPU gives the figures.
      const mid = [...rounds].sort((a, b) => a.cpuUs - b.cpuUs)[Math.floor(rounds.length / 2)];
      return {
        sampleJobs: jobs,
        callsPerJob: r1(this.calls.length / jobs),
        commandsPerJob: r1(perJob(mid.before, mid.after, jobs).commands),
        cpuUsPerJob: Math.round(mid.cpuUs),
        commandBreakdown: perJobByCommand(mid.before, mid.after, jobs),
        monitoredCommandsPerJob: r1(this.monitored / jobs),
      };
    } finally {
      redis.disconnect();
    }
  }
}

/** COPY of every key matching `pattern`, renamed by replacing `from` with `to`. */
async function copyKeys(redis: Redis, pattern: string, from: string, to: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    cursor = next;
    for (const k of keys) await redis.copy(k, k.split(from).join(to), 'REPLACE');
  } while (cursor !== '0');
}
