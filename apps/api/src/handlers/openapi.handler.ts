import type { HandlerResult } from '../route';
import { buildOpenApiDocument } from '../openapi/build-openapi';
import type { DocumentedRoute, OpenApiDocument } from '../openapi/build-openapi';

/**
 * GET /openapi.json: the document of the route table this server mounted,
 * built on first request (every route exists by then) and kept.
 */
export function openApiHandler(routes: () => readonly DocumentedRoute[]) {
  let doc: OpenApiDocument | undefined;
  return async (): Promise<HandlerResult> => ({ status: 200, body: (doc ??= buildOpenApiDocument(routes())) });
}
