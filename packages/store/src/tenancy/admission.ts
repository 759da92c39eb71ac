import { BudgetExceededError, QueueFullError, TurnBatcher } from '@inferq/core';
import type { RedisKeys } from '@inferq/core';
import { utcDay } from '../job-store';
import { usageByDay } from '../tenant-usage';
import type { RedisClient as Redis } from '../redis';
import type { Limits, LimitSource } from './tenant-limits';

/** Retry-After of queue_full (s): jobs finish continuously, so soon is worth a try. */
const QUEUE_FULL_RETRY_S = 5;

/** What admission decides on: the tenant's limits, its jobs queued or running, and the day's usage hash when a budget applies. */
interface Standing {
  limits: Limits;
  active: number;
  usage: Record<string, string> | undefined;
}

/**
 * The one gate every submission passes before it is stored and enqueued:
 * the tenant's jobs queued or running (MAX_QUEUED_PER_TENANT or its override,
 * 429 queue_full) and, when set, its tokens of the UTC day
 * (DAILY_TOKEN_BUDGET or its override, 429 budget_exceeded). The per-request
 * rate limit runs before any route (RequestRateLimiter); fair scheduling
 * plugs in here. The counters are read, not reserved, and one read serves
 * every submission of the tenant in the same event-loop turn: concurrent
 * submits of one tenant can pass the cap by at most their own number.
 */
export class Admission {
  private readonly reads: TurnBatcher<string, Standing>;

  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly limits: LimitSource,
    /** The catalog's pools: the tenant's counters live one per pool, in each pool's slot. */
    private readonly pools: readonly string[],
  ) {
    this.reads = new TurnBatcher((tenant: string) => this.read(tenant));
  }

  async admit(tenant: string, now = Date.now()): Promise<void> {
    const { result } = await this.reads.add(tenant);
    const { limits } = result;
    if (result.active >= limits.max_queued) {
      throw new QueueFullError(`too many jobs queued or running (limit ${limits.max_queued})`, QUEUE_FULL_RETRY_S);
    }
    if (limits.daily_token_budget !== null) {
      const used = tokensOf(result.usage ?? {});
      if (used >= limits.daily_token_budget) {
        throw new BudgetExceededError(
          `daily token budget of ${limits.daily_token_budget} used up (${used} tokens today, UTC)`,
          secondsToUtcMidnight(now),
        );
      }
    }
  }

  /** One round trip (to each pool's slot); the budget hashes are read only when a budget applies. */
  private async read(tenant: string): Promise<Standing> {
    const limits = await this.limits.effective(tenant);
    // Plain commands, not a pipeline: this connection carries BullMQ's scripts, and every ioredis
    // pipeline copies them all. Sent at once, they wait on Redis together.
    const [active, batchJobs, usage] = await Promise.all([
      Promise.all(this.pools.map((pool) => this.redis.get(this.keys.tenantActive(tenant, pool)))),
      // Batch jobs count against neither the queue cap nor the rate limit (SPEC section 11).
      this.redis.get(this.keys.batchOutstanding(tenant)),
      limits.daily_token_budget !== null
        ? usageByDay(this.redis, this.keys, tenant, [utcDay(Date.now())], this.pools)
        : undefined,
    ]);
    const activeSum = active.reduce((sum, n) => sum + Number(n ?? 0), 0);
    return { limits, active: Math.max(0, activeSum - Number(batchJobs ?? 0)), usage: usage?.[0] };
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
