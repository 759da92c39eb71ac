import { z } from 'zod';

/**
 * What a live worker process reports about itself every few seconds (Redis,
 * with a TTL), shown on the dashboard's fleet page and by
 * `GET /v1/admin/workers`. Times are ISO 8601 UTC.
 */
export const WorkerHeartbeat = z.object({
  id: z.string().min(1),
  host: z.string(),
  pid: z.number().int(),
  pools: z.array(z.string()),
  /** Jobs this process takes at once, over all its pools. */
  concurrency: z.number().int().nonnegative(),
  /** Backend calls running at the last heartbeat. */
  in_flight: z.number().int().nonnegative(),
  version: z.string(),
  started_at: z.string(),
  last_heartbeat_at: z.string(),
});
export type WorkerHeartbeat = z.infer<typeof WorkerHeartbeat>;
