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

/** A job's in-flight entry (see schedulerKeys): `<level>|<tenant>|<estimate>|<weight>|<promoted ms>|<attempts>|<model>`. */
export function parseInflight(id: string, entry: string): PromotedJob & { promotedAt: number } {
  const [level, tenant, estimate, weight, promotedAt, attempts, ...model] = entry.split('|');
  return {
    id,
    level: Number(level),
    tenant,
    attempts: Number(attempts),
    model: model.join('|'),
    estimate: Number(estimate),
    weight: Number(weight),
    promotedAt: Number(promotedAt),
  };
}

/** A pick's reply: the picked jobs as id, in-flight entry pairs, and the expired ones as id, tenant pairs. */
export function parsePick(reply: unknown): Pick {
  const [picked, expired] = reply as [string[], string[]];
  const pick: Pick = { promoted: [], expired: [] };
  for (let i = 0; i < picked.length; i += 2) {
    const { promotedAt: _at, ...job } = parseInflight(picked[i], picked[i + 1]);
    pick.promoted.push(job);
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
