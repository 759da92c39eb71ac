import { z } from 'zod';
import {
  ApiKeysEnv,
  envBytes,
  envDurationMs,
  envInt,
  envList,
  envOptionalSecret,
  parseEnv,
  parseEnvOrExit,
  SharedEnv,
} from '@inferq/core';
import { allowEntryProblem } from '@inferq/webhooks';

/** The api's configuration (SPEC section 3). Parsed once at boot, then passed down. */
export const ApiEnv = SharedEnv.extend({
  /** Port of the HTTP API; 0 picks a free port (tests read the real one back). */
  PORT: envInt(3000, 0).refine((n) => n <= 65535, 'must be at most 65535'),
  /** Bootstrap keys, `tenant:key,tenant2:key2`; held in memory as SHA-256 hashes only. */
  API_KEYS: ApiKeysEnv,
  /** Operator bearer token; unset means every admin route refuses. */
  ADMIN_TOKEN: envOptionalSecret,
  /** Request bodies larger than this (bytes, from e.g. `8mb`) get 413; a prompt or message may fill it (payloadLimits). */
  MAX_BODY_BYTES: envBytes('8mb'),
  /** Largest file POST /v1/files takes (bytes, from e.g. `100mb`); larger uploads get 413 (SPEC section 11). */
  MAX_BATCH_FILE_BYTES: envBytes('100mb'),
  /** Authenticated /v1 requests per minute per tenant, shared by every api process. */
  RATE_LIMIT_RPM: envInt(6000),
  /** Queued jobs a tenant may have before submissions get 429 queue_full. */
  MAX_QUEUED_PER_TENANT: envInt(10000),
  /** Tokens (input + output) a tenant may use per UTC day before 429 budget_exceeded; unset means no budget. */
  DAILY_TOKEN_BUDGET: z
    .string()
    .regex(/^[1-9]\d*$/, 'must be a positive integer')
    .transform(Number)
    .optional(),
  /** How long a succeeded cache-eligible answer is reused (`cache: true`, temperature 0). */
  CACHE_TTL: envDurationMs('24h'),
  /** How long POST /v1/chat/completions without `stream` waits for its job (s) before 504 timeout (SPEC section 10). */
  SYNC_WAIT_S: envInt(300),
  /** Browser origins allowed by CORS, comma list; empty means CORS stays off. */
  CORS_ORIGINS: envList(''),
  /** Host names, IPs or CIDRs whose webhooks may go to private addresses (SPEC section 6), comma list. */
  WEBHOOK_ALLOW_HOSTS: envList('').superRefine((entries, ctx) => {
    for (const e of entries) {
      const problem = allowEntryProblem(e);
      if (problem) ctx.addIssue({ code: 'custom', message: `"${e}" ${problem}` });
    }
  }),
}).superRefine((env, ctx) => {
  // One key naming two tenants would make authentication ambiguous.
  const seen = new Set<string>();
  for (const { key } of env.API_KEYS) {
    if (seen.has(key)) ctx.addIssue({ code: 'custom', path: ['API_KEYS'], message: 'the same key appears twice' });
    seen.add(key);
  }
});
export type ApiConfig = z.output<typeof ApiEnv>;

/** Parses the api's env; a bad value throws a ConfigError naming the variable. */
export function loadApiConfig(env: Record<string, string | undefined>): ApiConfig {
  return parseEnv(ApiEnv, env);
}

/** For main.ts: the process environment, or exit 1 naming the bad variable. */
export function apiConfigFromProcessEnv(): ApiConfig {
  return parseEnvOrExit(ApiEnv, process.env);
}
