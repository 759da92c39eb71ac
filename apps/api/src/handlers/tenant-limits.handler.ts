import type { LimitsPatchBody, TenantParams } from '@inferq/core';
import type { ApiDeps } from '../deps';
import type { HandlerContext, HandlerResult, NoInput } from '../route';

async function limitsOf(deps: ApiDeps, tenant: string) {
  const limits = deps.tenancy.limits;
  return {
    tenant,
    limits: await limits.effective(tenant),
    overrides: await limits.overrides(tenant),
    defaults: limits.defaults,
  };
}

/** GET /v1/admin/tenants/{tenant}/limits: the limits in force, the tenant's overrides and the defaults. */
export function getLimitsHandler(deps: ApiDeps) {
  return async (ctx: HandlerContext<TenantParams>): Promise<HandlerResult> => ({
    status: 200,
    body: await limitsOf(deps, ctx.params.tenant),
  });
}

/** PUT /v1/admin/tenants/{tenant}/limits: sets (number) or clears (null) overrides; every api process follows at once. */
export function putLimitsHandler(deps: ApiDeps) {
  return async (ctx: HandlerContext<TenantParams, NoInput, LimitsPatchBody>): Promise<HandlerResult> => {
    await deps.tenancy.limits.update(ctx.params.tenant, ctx.body);
    return { status: 200, body: await limitsOf(deps, ctx.params.tenant) };
  };
}
