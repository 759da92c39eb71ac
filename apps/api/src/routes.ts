import { JobRequest } from '@inferq/core';
import type { ApiDeps } from './deps';
import { cancelJobHandler } from './handlers/cancel-job.handler';
import { createJobHandler } from './handlers/create-job.handler';
import { getJobHandler } from './handlers/get-job.handler';
import { healthzHandler, readyzHandler } from './handlers/health.handler';
import { listJobsHandler } from './handlers/list-jobs.handler';
import { listModelsHandler } from './handlers/list-models.handler';
import { defineRoute } from './route';
import type { Route } from './route';
import { GetJobQuery, JobIdParams, ListJobsQuery } from './schemas';

/** The route table (SPEC section 4). Adapters mount it; handlers never see the framework. */
export function createRoutes(deps: ApiDeps): Route[] {
  return [
    defineRoute({
      method: 'POST',
      path: '/v1/jobs',
      auth: 'tenant',
      body: JobRequest,
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
    defineRoute({ method: 'GET', path: '/v1/models', auth: 'tenant', handler: listModelsHandler(deps) }),
    defineRoute({ method: 'GET', path: '/healthz', auth: 'none', handler: healthzHandler }),
    defineRoute({ method: 'GET', path: '/readyz', auth: 'none', handler: readyzHandler(deps) }),
  ];
}
