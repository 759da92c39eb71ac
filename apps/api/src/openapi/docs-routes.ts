import { z } from 'zod';
import { docsAssetHandler, docsPageHandler } from '../handlers/docs-ui.handler';
import { openApiHandler } from '../handlers/openapi.handler';
import { defineRoute, NoParams } from '../route';
import type { Route } from '../route';
import type { DocumentedRoute } from './build-openapi';

const AssetParams = z.object({ asset: z.string().max(64) });

/**
 * Served outside the route table, by the Express middleware of
 * http/operations.ts (Prometheus text), yet part of the API: documented here.
 * The OpenAPI test fails if one of these stops being mounted.
 */
const OUTSIDE_TABLE: DocumentedRoute[] = [
  { method: 'GET', path: '/metrics', auth: 'none', schemas: { params: NoParams, query: NoParams } },
];

/**
 * The route table plus GET /openapi.json, /docs and /docs/{asset}: open
 * routes like any other, so the document lists them too and describes
 * exactly the table the adapter mounts.
 */
export function withDocsRoutes(routes: readonly Route[]): Route[] {
  const all = [...routes];
  all.push(
    defineRoute({
      method: 'GET',
      path: '/openapi.json',
      auth: 'none',
      handler: openApiHandler(() => [...all, ...OUTSIDE_TABLE]),
    }),
    defineRoute({ method: 'GET', path: '/docs', auth: 'none', handler: docsPageHandler }),
    defineRoute({
      method: 'GET',
      path: '/docs/{asset}',
      auth: 'none',
      params: AssetParams,
      doc: {
        summary: "Swagger UI's static files (served from swagger-ui-dist, no CDN)",
        responses: { 200: { description: 'A CSS or JavaScript file.', contentType: 'text/css' } },
      },
      handler: docsAssetHandler,
    }),
  );
  return all;
}
