import { WorkerRegistry } from '@inferq/store';
import type { ApiDeps } from '../deps';
import type { HandlerResult } from '../route';

/** GET /v1/admin/workers: every live worker from its heartbeat (host, pools, load, version). */
export function listWorkersHandler(deps: ApiDeps) {
  const registry = new WorkerRegistry(deps.redis, deps.config.QUEUE_PREFIX);
  return async (): Promise<HandlerResult> => ({ status: 200, body: { data: await registry.list() } });
}
