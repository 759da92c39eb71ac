import type { Redis } from 'ioredis';

export interface RedisSnapshot {
  calls: number;
  cpuUs: number;
}

/** Total commands served and Redis CPU (user + sys, µs) so far, from INFO. */
export async function redisSnapshot(redis: Redis): Promise<RedisSnapshot> {
  const stats = await redis.info('commandstats');
  let calls = 0;
  for (const m of stats.matchAll(/calls=(\d+)/g)) calls += Number(m[1]);
  const cpu = await redis.info('cpu');
  const user = Number(/used_cpu_user:([\d.]+)/.exec(cpu)?.[1] ?? 0);
  const sys = Number(/used_cpu_sys:([\d.]+)/.exec(cpu)?.[1] ?? 0);
  return { calls, cpuUs: Math.round((user + sys) * 1e6) };
}

/** Per-job cost between two snapshots; the INFO calls themselves are subtracted. */
export function perJob(before: RedisSnapshot, after: RedisSnapshot, jobs: number) {
  return {
    commands: (after.calls - before.calls - 2) / jobs,
    cpuUs: (after.cpuUs - before.cpuUs) / jobs,
  };
}
