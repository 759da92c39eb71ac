import type { JobRequest, ResolvedModel } from '@inferq/core';
import type { ApiConfig } from './env';

export interface AdmissionDeps {
  config: Pick<ApiConfig, 'RATE_LIMIT_RPM' | 'MAX_QUEUED_PER_TENANT'>;
}

/**
 * The one gate every submission passes before it is stored and enqueued.
 * Per-tenant rate limits (RATE_LIMIT_RPM), the queued-jobs cap
 * (MAX_QUEUED_PER_TENANT, 429 queue_full), budgets and fair scheduling plug in
 * here and nowhere else; each refuses by throwing its AppError (with
 * Retry-After). Today nothing is enforced yet: every request is admitted.
 */
export async function admit(
  _deps: AdmissionDeps,
  _tenant: string,
  _request: JobRequest,
  _model: ResolvedModel,
): Promise<void> {
  // Intentionally empty until the limits issue lands; see the comment above.
}
