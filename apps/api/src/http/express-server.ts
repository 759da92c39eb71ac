import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import type { Server } from 'node:http';
import type { Express, Request, Response } from 'express';

/**
 * An HTTP server for the app whose requests and responses are created with
 * Express's prototypes, instead of having them swapped in per request.
 * Express's app.handle calls Object.setPrototypeOf on every request and
 * response, and V8 gives an object whose prototype was changed a hidden class
 * of its own once a property is added; Express and Node add several, so
 * every request and response had a shape no other had, and every property
 * access on them missed V8's inline caches for a slow lookup (a fifth of the
 * api's CPU samples under perf). Here the server makes them as subclasses of
 * Node's whose prototypes chain to Express's, and the app's prototypes become
 * those subclasses': Express's swap then sets the prototype an object already
 * has, which V8 skips. A plain server's objects (supertest's) still get them
 * swapped in. Call it once per app.
 */
export function expressServer(app: Express): Server {
  class ExpressRequest extends IncomingMessage {}
  Object.setPrototypeOf(ExpressRequest.prototype, app.request);
  app.request = ExpressRequest.prototype as unknown as Request;
  class ExpressResponse extends ServerResponse<ExpressRequest> {}
  Object.setPrototypeOf(ExpressResponse.prototype, app.response);
  app.response = ExpressResponse.prototype as unknown as Response;
  return createServer({ IncomingMessage: ExpressRequest, ServerResponse: ExpressResponse }, app);
}
