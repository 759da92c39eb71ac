import { z } from 'zod';
import { envInt, envList, envOptionalSecret, parseEnv, parseEnvOrExit, PoolName, SharedEnv } from '@inferq/core';

const envBool = (def: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'must be true or false' })
    .default(def ? 'true' : 'false')
    .transform((v) => v === 'true' || v === '1' || v === 'yes');

/** The dashboard's configuration, from env only (SPEC section 3). */
export const DashboardEnv = SharedEnv.extend({
  /** Port of Bull Board, the fleet page, /healthz, /readyz and /metrics; 0 picks a free port. */
  DASHBOARD_PORT: envInt(3001, 0).refine((n) => n <= 65535, 'must be at most 65535'),
  /** Operator token: Bearer, or HTTP Basic with the token as password. Unset refuses everyone. */
  ADMIN_TOKEN: envOptionalSecret,
  /** Shows queues and jobs but refuses every action (retry, remove, pause, clean...). */
  DASHBOARD_READ_ONLY: envBool(false),
  /** Pools to show beside those of MODELS_FILE and of live workers. */
  WORKER_POOLS: envList('default').pipe(z.array(PoolName)),
});
export type DashboardConfig = z.output<typeof DashboardEnv>;

export function loadDashboardConfig(env: Record<string, string | undefined>): DashboardConfig {
  return parseEnv(DashboardEnv, env);
}

/** For main.ts: the process environment, or exit 1 naming the bad variable. */
export function dashboardConfigFromProcessEnv(): DashboardConfig {
  return parseEnvOrExit(DashboardEnv, process.env);
}
