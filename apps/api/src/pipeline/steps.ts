import type { AuthMode } from '../auth';
import type { HandlerContext, RouteResult, RouteSchemas } from './context';

/** A route's handler once validation made its input: the context's types were checked by defineRoute. */
export type ValidatedHandler = (ctx: HandlerContext<unknown, unknown, unknown>) => Promise<RouteResult>;

/**
 * What a request goes through, one step after another, as the route table
 * declares it (defineRoute derives the list from a route's fields). Steps
 * that make a round trip start it and leave it running, so it overlaps the
 * next ones; the step that needs the answer joins it:
 * - `auth`: the caller's key or the admin token, 401 otherwise; first, so an
 *   unauthenticated caller gets 401 before anything is read.
 * - `rate-limit`: counts the request (tenant routes); joined by `validate`,
 *   so a limited request gets its 429 before any complaint about its body.
 * - `admission`: the route's check of the tenant alone (queue cap, budget);
 *   joined by the handler through `ctx.precheck`, so a cache hit need not wait.
 *   Started beside the body's reading, one sequential round trip fewer per
 *   submit (docs/BENCHMARKS.md), at the cost of an admission read for an
 *   invalid body. Starting it after `validate` instead (h2-house 8d0912b)
 *   measured no faster on main (A/B of both orders, 5 s runs, median submits/s
 *   on 2 shared cores at load 6: 234 kept vs 222 after-validate at 1
 *   connection, 828 vs 806 at 50; within the noise), so the overlap stays.
 * - `read-body`: reads the JSON body; joined by `validate`.
 * - `validate`: params, query and body against the route's schemas, 400 naming each bad field.
 * - `handle`: the handler, with the validated input; a route without a JSON
 *   body (multipart uploads) also gets the unread request stream, `ownsBody`.
 */
export type Step =
  | { readonly kind: 'auth'; readonly mode: AuthMode }
  | { readonly kind: 'rate-limit' }
  | { readonly kind: 'admission'; readonly check: (tenant: string) => Promise<void> }
  | { readonly kind: 'read-body' }
  | { readonly kind: 'validate'; readonly schemas: RouteSchemas }
  | { readonly kind: 'handle'; readonly handler: ValidatedHandler; readonly ownsBody: boolean };

/** The steps of a route's declaration, in the order they start. */
export function stepsOf(route: {
  auth: AuthMode;
  schemas: RouteSchemas;
  precheck?: (tenant: string) => Promise<void>;
  handler: ValidatedHandler;
}): Step[] {
  const steps: Step[] = [{ kind: 'auth', mode: route.auth }];
  // The admin token is not rate limited: RATE_LIMIT_RPM counts a tenant's requests.
  if (route.auth === 'tenant') steps.push({ kind: 'rate-limit' });
  if (route.precheck) steps.push({ kind: 'admission', check: route.precheck });
  if (route.schemas.body) steps.push({ kind: 'read-body' });
  steps.push(
    { kind: 'validate', schemas: route.schemas },
    { kind: 'handle', handler: route.handler, ownsBody: !route.schemas.body },
  );
  return steps;
}
