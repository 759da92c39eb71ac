import type { SpawnedApp } from './spawn-app';

/**
 * The pid of the node process behind a spawned `npm run start:*`, read from
 * its pino log lines (every line carries `pid`). Signal it, not the process
 * group, to test a drain the way an orchestrator does: npm itself dies of a
 * group signal and would hide the app's exit code.
 */
export function appPid(app: SpawnedApp): number {
  const m = /"pid":(\d+)/.exec(app.output());
  if (!m) throw new Error(`no pino line with a pid yet; output so far:\n${app.output().slice(-2000)}`);
  return Number(m[1]);
}
