import { UnavailableError } from '@inferq/core';
import type { HealthStatus, ReadyStatus } from '@inferq/core';
import { redisAnswers } from '@inferq/store';
import type { ApiDeps } from '../deps';
import type { HandlerResult } from '../route';

/** GET /healthz: 200 while the process lives. */
export async function healthzHandler(): Promise<HandlerResult> {
  return { status: 200, body: { status: 'ok' } satisfies HealthStatus };
}

/** GET /readyz: 200 when Redis answers, else 503 unavailable. */
export function readyzHandler(deps: ApiDeps) {
  return async (): Promise<HandlerResult> => {
    if (!(await redisAnswers(deps.redis))) throw new UnavailableError('Redis does not answer');
    return { status: 200, body: { status: 'ready' } satisfies ReadyStatus };
  };
}
