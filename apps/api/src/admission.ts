import { BudgetExceededError, QueueFullError } from '@inferq/core';
import type { JobRequest, ResolvedModel } from '@inferq/core';
import type { JobStore } from '@inferq/store';
import { utcDay } from '@inferq/store';
import type { TenantLimits } from './tenancy/tenant-limits';
import type { Redis } from './tenancy/redis-client';

export interface AdmissionDeps {
  redis: Redis;
  store: JobStore;
  limits: TenantLimits;
}

/** Retry-After of queue_full (s): jobs finish continuously, so soon is worth a try. */
const QUEUE_FULL_RETRY_S = 5;

/**
 * The one gate every submission passes before it is stored and enqueued:
 * the tenant's jobs queued or running (MAX_QUEUED_PER_TENANT or its override,
 * 429 queue_full) and, when set, its tokens of the UTC day
 * (DAILY_TOKEN_BUDGET or its override, 429 budget_exceeded). One round trip;
 * the budget hash is read only when a budget applies. The per-request rate
 * limit runs before any route (RequestRateLimiter); fair scheduling plugs in
 * here. The counters are read, not reserved: concurrent submits of one tenant
 * can pass the cap by at most their own number.
 */
export async function admit(
  deps: AdmissionDeps,
  tenant: string,
  _request: JobRequest,
  _model: ResolvedModel,
  now = Date.now(),
): Promise<void> {
  const limits = await deps.limits.effective(tenant);
  const keys = deps.store.keys;
  // Plain commands, not a pipeline: this connection carries BullMQ's scripts, and every ioredis
  // pipeline copies them all. Sent at once, they wait on Redis together.
  const [active, usage] = await Promise.all([
    deps.redis.get(keys.tenantActive(tenant)),
    limits.daily_token_budget !== null ? deps.redis.hgetall(keys.usage(tenant, utcDay(now))) : undefined,
  ]);

  if (Number(active ?? 0) >= limits.max_queued) {
    throw new QueueFullError(`too many jobs queued or running (limit ${limits.max_queued})`, QUEUE_FULL_RETRY_S);
  }
  if (limits.daily_token_budget !== null) {
    const used = tokensOf(usage ?? {});
    if (used >= limits.daily_token_budget) {
      throw new BudgetExceededError(
        `daily token budget of ${limits.daily_token_budget} used up (${used} tokens today, UTC)`,
        secondsToUtcMidnight(now),
      );
    }
  }
}

/** Input plus output tokens over every model of a day's usage hash. */
export function tokensOf(usage: Record<string, string>): number {
  let sum = 0;
  for (const [field, v] of Object.entries(usage)) {
    if (field.endsWith('|input_tokens') || field.endsWith('|output_tokens')) sum += Number(v);
  }
  return sum;
}

function secondsToUtcMidnight(now: number): number {
  const d = new Date(now);
  return (Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1) - now) / 1000;
}
