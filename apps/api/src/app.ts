import type { Express } from 'express';
import { AdminToken } from './auth';
import type { ApiDeps } from './deps';
import { createExpressApp } from './http/express-adapter';
import { operationsMiddleware } from './http/operations';
import { withDocsRoutes } from './openapi/docs-routes';
import { createRoutes } from './routes';

/** The Express app over the route table, without listening (supertest, embedding). */
export function createApiApp(deps: ApiDeps): Express {
  return createExpressApp({
    routes: withDocsRoutes(createRoutes(deps)),
    auth: { tenants: deps.authenticator, admin: new AdminToken(deps.config.ADMIN_TOKEN) },
    maxBodyBytes: deps.config.MAX_BODY_BYTES,
    logger: deps.logger,
    limitRequest: (tenant) => deps.tenancy.limitRequest(tenant),
    corsOrigins: deps.config.CORS_ORIGINS,
    before: operationsMiddleware(deps),
  });
}
