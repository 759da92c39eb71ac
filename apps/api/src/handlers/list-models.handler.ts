import type { ApiDeps } from '../deps';
import type { HandlerResult } from '../route';

/** GET /v1/models: the models this deployment serves, with pool and backend. */
export function listModelsHandler(deps: ApiDeps) {
  return async (): Promise<HandlerResult> => ({ status: 200, body: { data: deps.catalog.list() } });
}
