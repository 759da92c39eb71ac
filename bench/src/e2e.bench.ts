import type { Redis } from 'ioredis';
import { median, sleep, submitLoad, waitCompleted } from './load';
import { perJob, perJobByCommand, redisSnapshot } from './redis-stats';
import type { System, SystemName } from './systems';

/** Jobs each system runs, unmeasured, before the first round. */
export const WARM_JOBS = 1000;

async function warmUp(sys: System, jobs: number): Promise<void> {
  const base = await sys.completed();
  await submitLoad(sys, { connections: 50, amount: jobs });
  await waitCompleted(sys, base + jobs);
}

export interface E2eFigures {
  jobsPerS: number;
  commandsPerJob: number;
  redisCpuUsPerJob: number;
  /** CPU time per job of the api and of the worker process (user + system, us), same window. */
  apiCpuUsPerJob: number;
  workerCpuUsPerJob: number;
  /**
   * Redis calls per job by command (>= 0.1 per job, most first), from the
   * median round by commandsPerJob. Commands a Lua script runs are counted
   * under their own names as well as its EVALSHA, so this shows what the
   * scripts do; the entries add up to about commandsPerJob.
   */
  commandBreakdown: Record<string, number>;
}

/**
 * Benchmarks 2 and 3: N jobs submitted at 50 connections, timed until the
 * last is finished; Redis commands and CPU per job from INFO deltas over the
 * same window (submit to readable result). The by-command breakdown is the
 * one of the median round (by commands per job), so it matches the reported
 * commandsPerJob when the rounds are odd in number. Every system first runs
 * WARM_JOBS unmeasured jobs, so the rounds measure warm processes (a service
 * runs for days; without it the first round spent ~25% of the worker's CPU
 * compiling, more for the system with more code).
 */
export async function e2eBench(
  systems: System[],
  redis: Redis,
  jobs: number,
  rounds: number,
): Promise<Record<SystemName, E2eFigures>> {
  const runs = new Map<SystemName, E2eFigures[]>();
  for (const sys of systems) await warmUp(sys, Math.min(WARM_JOBS, jobs));
  for (let r = 0; r < rounds; r++) {
    for (const sys of systems) {
      await sleep(1000); // quiet Redis before the snapshot
      const base = await sys.completed();
      const before = await redisSnapshot(redis);
      const cpu0 = [sys.api.cpuMs(), sys.worker.cpuMs()];
      const t0 = Date.now();
      // autocannon reports (and returns) on a one-second tick: time the last completion, not its return.
      const load = submitLoad(sys, { connections: 50, amount: jobs });
      const done = await waitCompleted(sys, base + jobs);
      await load;
      const after = await redisSnapshot(redis);
      const cpuUs = (proc: System['api'], at0: number | undefined) =>
        Math.round(((proc.cpuMs() - (at0 ?? 0)) * 1000) / jobs);
      const cost = perJob(before, after, jobs);
      const fig: E2eFigures = {
        jobsPerS: Math.round((jobs * 1000) / (done - t0)),
        commandsPerJob: Math.round(cost.commands * 10) / 10,
        redisCpuUsPerJob: Math.round(cost.cpuUs),
        apiCpuUsPerJob: cpuUs(sys.api, cpu0[0]),
        workerCpuUsPerJob: cpuUs(sys.worker, cpu0[1]),
        commandBreakdown: perJobByCommand(before, after, jobs),
      };
      runs.set(sys.name, [...(runs.get(sys.name) ?? []), fig]);
    }
  }
  const out = {} as Record<SystemName, E2eFigures>;
  for (const [name, list] of runs) {
    // The median round by commands per job (the upper middle one for an even count).
    const medianRound = [...list].sort((a, b) => a.commandsPerJob - b.commandsPerJob)[Math.floor(list.length / 2)];
    out[name] = {
      jobsPerS: median(list.map((x) => x.jobsPerS)),
      commandsPerJob: Math.round(median(list.map((x) => x.commandsPerJob)) * 10) / 10,
      redisCpuUsPerJob: Math.round(median(list.map((x) => x.redisCpuUsPerJob))),
      apiCpuUsPerJob: Math.round(median(list.map((x) => x.apiCpuUsPerJob))),
      workerCpuUsPerJob: Math.round(median(list.map((x) => x.workerCpuUsPerJob))),
      commandBreakdown: medianRound.commandBreakdown,
    };
  }
  return out;
}
