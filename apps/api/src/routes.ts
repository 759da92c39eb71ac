import { GetJobQuery, JobIdParams, jobRequestSchema, ListJobsQuery } from '@inferq/core';
import type { ApiDeps } from './deps';
import { batchRoutes } from './batch/batch.routes';
import { cancelJobHandler } from './handlers/cancel-job.handler';
import { createJobHandler } from './handlers/create-job.handler';
import { getJobHandler } from './handlers/get-job.handler';
import { healthzHandler, readyzHandler } from './handlers/health.handler';
import { jobEventsHandler } from './handlers/job-events.handler';
import { listJobsHandler } from './handlers/list-jobs.handler';
import { listPoolsHandler } from './handlers/list-pools.handler';
import { listWorkersHandler } from './handlers/list-workers.handler';
import { redeliverWebhookHandler } from './handlers/redeliver-webhook.handler';
import { getWebhookSecretHandler, rotateWebhookSecretHandler } from './handlers/webhook-secret.handler';
import { openAIRoutes } from './openai/openai.routes';
import { defineRoute } from './route';
import { WEBHOOK_ROUTE_DOCS } from './webhook-route-docs';
import type { Route } from './route';
import { tenancyRoutes } from './tenancy/tenancy.routes';

/** The route table (SPEC section 4). Adapters mount it; handlers never see the framework. */
export function createRoutes(deps: ApiDeps): Route[] {
  return [
    defineRoute({
      method: 'POST',
      path: '/v1/jobs',
      auth: 'tenant',
      body: jobRequestSchema(deps.limits),
      precheck: (tenant) => deps.tenancy.admission.admit(tenant),
      handler: createJobHandler(deps),
    }),
    defineRoute({
      method: 'GET',
      path: '/v1/jobs',
      auth: 'tenant',
      query: ListJobsQuery,
      handler: listJobsHandler(deps),
    }),
    defineRoute({
      method: 'GET',
      path: '/v1/jobs/{id}',
      auth: 'tenant',
      params: JobIdParams,
      query: GetJobQuery,
      handler: getJobHandler(deps),
    }),
    defineRoute({
      method: 'POST',
      path: '/v1/jobs/{id}/cancel',
      auth: 'tenant',
      params: JobIdParams,
      handler: cancelJobHandler(deps),
    }),
    defineRoute({
      method: 'GET',
      path: '/v1/jobs/{id}/events',
      auth: 'tenant',
      params: JobIdParams,
      handler: jobEventsHandler(deps),
    }),
    // The OpenAI-compatible routes (SPEC section 10), GET /v1/models among them.
    ...openAIRoutes(deps),
    ...tenancyRoutes(deps),
    // Batch API (SPEC section 11, issue #15).
    ...batchRoutes(deps),
    defineRoute({ method: 'GET', path: '/v1/admin/workers', auth: 'admin', handler: listWorkersHandler(deps) }),
    defineRoute({ method: 'GET', path: '/v1/admin/pools', auth: 'admin', handler: listPoolsHandler(deps) }),
    defineRoute({ method: 'GET', path: '/healthz', auth: 'none', handler: healthzHandler }),
    defineRoute({ method: 'GET', path: '/readyz', auth: 'none', handler: readyzHandler(deps) }),
    // Webhooks (SPEC section 6, issue #4).
    defineRoute({ method: 'GET', path: '/v1/webhooks/secret', auth: 'tenant', handler: getWebhookSecretHandler(deps) }),
    defineRoute({
      method: 'POST',
      path: '/v1/webhooks/secret/rotate',
      auth: 'tenant',
      handler: rotateWebhookSecretHandler(deps),
      doc: WEBHOOK_ROUTE_DOCS.rotate,
    }),
    defineRoute({
      method: 'POST',
      path: '/v1/jobs/{id}/webhook/redeliver',
      auth: 'tenant',
      params: JobIdParams,
      handler: redeliverWebhookHandler(deps),
      doc: WEBHOOK_ROUTE_DOCS.redeliver,
    }),
  ];
}
