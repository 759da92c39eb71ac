import { jobIdTime } from '@inferq/core';

/** A job a pick handed to BullMQ. */
export interface PromotedJob {
  id: string;
  /** 0 high, 1 normal, 2 low. */
  level: number;
  tenant: string;
  attempts: number;
  model: string;
  /** What the pick charged: tokens, and the weight they were divided by (the finish corrects that charge). */
  estimate: number;
  weight: number;
}

/** What one scheduler step decided: jobs to add to BullMQ, and jobs whose deadline passed while queued. */
export interface Pick {
  promoted: PromotedJob[];
  expired: Array<{ id: string; tenant: string }>;
}

export interface TenantBacklog {
  tenant: string;
  level: number;
  /** Tokens charged / weight so far (the order of service goes lowest first). */
  virtualTime: number;
  queued: number;
  /** Creation time of its oldest queued job (ms). */
  oldestAt: number | null;
  /** The weight its oldest queued job was submitted with (the next pick charges by it); null if unknown. */
  weight: number | null;
}

export interface PoolStats {
  pool: string;
  backlogs: TenantBacklog[];
  /** Slots of the live workers serving the pool. */
  capacity: number;
  /** Jobs handed to BullMQ and not finished. */
  inFlight: number;
  /** Jobs ever handed to BullMQ (a counter: its rate is the pool's throughput). */
  picked: number;
}

export const EMPTY_PICK: Pick = { promoted: [], expired: [] };

export function parsePick(reply: unknown): Pick {
  const [promoted, expired] = reply as [string[], string[]];
  const pick: Pick = { promoted: [], expired: [] };
  for (let i = 0; i < promoted.length; i += 7) {
    const [id, level, tenant, attempts, model, estimate, weight] = promoted.slice(i, i + 7);
    pick.promoted.push({
      id,
      level: Number(level),
      tenant,
      attempts: Number(attempts),
      model,
      estimate: Number(estimate),
      weight: Number(weight),
    });
  }
  for (let i = 0; i < expired.length; i += 2) pick.expired.push({ id: expired[i], tenant: expired[i + 1] });
  return pick;
}

export function parseStats(pool: string, reply: unknown): PoolStats {
  const [levels, cap, inflight, picked] = reply as [string[][], string, number, string];
  const backlogs: TenantBacklog[] = [];
  levels.forEach((rows, level) => {
    for (let i = 0; i < rows.length; i += 5) {
      const [oldest, weight] = [rows[i + 3], rows[i + 4]];
      backlogs.push({
        tenant: rows[i],
        level,
        virtualTime: Number(rows[i + 1]),
        queued: Number(rows[i + 2]),
        oldestAt: oldest ? jobIdTime(oldest) : null,
        weight: weight ? Number(weight) : null,
      });
    }
  });
  return { pool, backlogs, capacity: Number(cap), inFlight: Number(inflight), picked: Number(picked) };
}
