import type { Model, ModelList } from '@inferq/core';
import type { ApiDeps } from '../deps';
import type { HandlerResult } from '../route';

/**
 * GET /v1/models: the models this deployment serves in OpenAI's list shape,
 * with pool and backend. `created` is when this process loaded the catalog
 * (Unix seconds); `owned_by` the provider part of the id.
 */
export function listModelsHandler(deps: ApiDeps) {
  const created = Math.floor(Date.now() / 1000);
  const data = deps.catalog.list().map((m): Model => ({
    id: m.id,
    object: 'model',
    created,
    owned_by: m.id.slice(0, m.id.indexOf('/')),
    backend: m.backend,
    pool: m.pool,
  }));
  return async (): Promise<HandlerResult> => ({ status: 200, body: { object: 'list', data } satisfies ModelList });
}
