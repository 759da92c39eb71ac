import type { Express } from 'express';
import { AdminToken } from './auth';
import type { ApiDeps } from './deps';
import { createExpressApp } from './http/express-adapter';
import { createRoutes } from './routes';

/** The Express app over the route table, without listening (supertest, embedding). */
export function createApiApp(deps: ApiDeps): Express {
  return createExpressApp({
    routes: createRoutes(deps),
    auth: { tenants: deps.authenticator, admin: new AdminToken(deps.config.ADMIN_TOKEN) },
    maxBodyBytes: deps.config.MAX_BODY_BYTES,
    logger: deps.logger,
  });
}
