import { z } from 'zod';
import { envInt, envList, parseEnv, parseEnvOrExit, SharedEnv } from '@inferq/core';
import { allowEntryProblem } from '@inferq/webhooks';
import { parseRetrySchedule } from './retry-schedule';

/** The dispatcher's configuration, from env only (SPEC section 3). */
export const DispatcherEnv = SharedEnv.extend({
  /** Delays between delivery attempts; n delays make n + 1 attempts. */
  WEBHOOK_RETRY_SCHEDULE: z
    .string()
    .default('5s,5m,30m,2h,5h,10h,10h')
    .transform((s, ctx) => {
      const schedule = parseRetrySchedule(s);
      if (!schedule) {
        ctx.addIssue({ code: 'custom', message: `must be a comma list of durations like 5s,5m,2h, got "${s}"` });
        return z.NEVER;
      }
      return schedule;
    }),
  /** Host names, IPs or CIDRs exempt from the private-address block, comma list. */
  WEBHOOK_ALLOW_HOSTS: envList('').superRefine((entries, ctx) => {
    for (const e of entries) {
      const problem = allowEntryProblem(e);
      if (problem) ctx.addIssue({ code: 'custom', message: `"${e}" ${problem}` });
    }
  }),
  /** Port of /metrics, /healthz and /readyz. */
  METRICS_PORT: envInt(9102, 0),
  /** Deliveries in flight per dispatcher process. */
  DISPATCHER_CONCURRENCY: envInt(32),
  /**
   * BullMQ lockDuration (ms) of a delivery, renewed while it runs; a killed
   * dispatcher's deliveries (and unacknowledged outbox entries) are taken
   * over within about this plus DISPATCHER_STALLED_MS.
   */
  DISPATCHER_LOCK_MS: envInt(30_000, 1000),
  /** BullMQ stalledInterval (ms): how often dead dispatchers' deliveries are looked for. */
  DISPATCHER_STALLED_MS: envInt(30_000, 1000),
});
export type DispatcherConfig = z.output<typeof DispatcherEnv>;

export function loadDispatcherConfig(env: Record<string, string | undefined>): DispatcherConfig {
  return parseEnv(DispatcherEnv, env);
}

/** For main.ts: the process environment, or exit 1 naming the bad variable. */
export function dispatcherConfigFromProcessEnv(): DispatcherConfig {
  return parseEnvOrExit(DispatcherEnv, process.env);
}
