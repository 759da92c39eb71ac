import type { Redis } from 'ioredis';

export interface RedisSnapshot {
  /** Commands served so far, all commands together. */
  calls: number;
  cpuUs: number;
  /** Calls so far by command, as INFO commandstats names it (`get`, `evalsha`, `client|setname`). */
  byCommand: Record<string, number>;
}

/**
 * Total commands served, the same by command, and Redis CPU (user + sys, µs)
 * so far, from INFO. Commands a Lua script runs (EVALSHA) are counted under
 * their own names as well as the EVALSHA itself.
 */
export async function redisSnapshot(redis: Redis): Promise<RedisSnapshot> {
  const stats = await redis.info('commandstats');
  const byCommand: Record<string, number> = {};
  let calls = 0;
  // Only the leading calls= of each cmdstat_ line: not rejected_calls= / failed_calls=.
  for (const m of stats.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) {
    byCommand[m[1]] = Number(m[2]);
    calls += Number(m[2]);
  }
  const cpu = await redis.info('cpu');
  const user = Number(/used_cpu_user:([\d.]+)/.exec(cpu)?.[1] ?? 0);
  const sys = Number(/used_cpu_sys:([\d.]+)/.exec(cpu)?.[1] ?? 0);
  return { calls, cpuUs: Math.round((user + sys) * 1e6), byCommand };
}

/** The snapshot's own two INFO calls, counted between two snapshots. */
const OWN_INFO_CALLS = 2;

/** Per-job cost between two snapshots; the INFO calls themselves are subtracted. */
export function perJob(before: RedisSnapshot, after: RedisSnapshot, jobs: number) {
  return {
    commands: (after.calls - before.calls - OWN_INFO_CALLS) / jobs,
    cpuUs: (after.cpuUs - before.cpuUs) / jobs,
  };
}

/**
 * Calls per job of each command between two snapshots (the snapshots' own
 * INFO calls subtracted), rounded to 0.1; commands under 0.1 per job are
 * left out. Sorted by calls per job, most first (JSON keeps the order).
 */
export function perJobByCommand(before: RedisSnapshot, after: RedisSnapshot, jobs: number): Record<string, number> {
  const rows: Array<[string, number]> = [];
  for (const [name, n] of Object.entries(after.byCommand)) {
    const delta = n - (before.byCommand[name] ?? 0) - (name === 'info' ? OWN_INFO_CALLS : 0);
    const per = Math.round((delta / jobs) * 10) / 10;
    if (per >= 0.1) rows.push([name, per]);
  }
  rows.sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  return Object.fromEntries(rows);
}
