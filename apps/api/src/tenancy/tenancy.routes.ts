import type { ApiDeps } from '../deps';
import { createKeyHandler, listKeysHandler, revokeKeyHandler } from '../handlers/admin-keys.handler';
import { getLimitsHandler, putLimitsHandler } from '../handlers/tenant-limits.handler';
import { usageHandler } from '../handlers/usage.handler';
import { defineRoute } from '../route';
import type { Route } from '../route';
import { CreateKeyBody, KeyIdParams, LimitsPatchBody, ListKeysQuery, TenantParams, UsageQuery } from '@inferq/core';

/** Usage (tenant) and the admin API of keys and per-tenant limits (ADMIN_TOKEN). */
export function tenancyRoutes(deps: ApiDeps): Route[] {
  return [
    defineRoute({ method: 'GET', path: '/v1/usage', auth: 'tenant', query: UsageQuery, handler: usageHandler(deps) }),
    defineRoute({
      method: 'POST',
      path: '/v1/admin/keys',
      auth: 'admin',
      body: CreateKeyBody,
      handler: createKeyHandler(deps),
    }),
    defineRoute({
      method: 'GET',
      path: '/v1/admin/keys',
      auth: 'admin',
      query: ListKeysQuery,
      handler: listKeysHandler(deps),
    }),
    defineRoute({
      method: 'DELETE',
      path: '/v1/admin/keys/{id}',
      auth: 'admin',
      params: KeyIdParams,
      handler: revokeKeyHandler(deps),
    }),
    defineRoute({
      method: 'GET',
      path: '/v1/admin/tenants/{tenant}/limits',
      auth: 'admin',
      params: TenantParams,
      handler: getLimitsHandler(deps),
    }),
    defineRoute({
      method: 'PUT',
      path: '/v1/admin/tenants/{tenant}/limits',
      auth: 'admin',
      params: TenantParams,
      body: LimitsPatchBody,
      handler: putLimitsHandler(deps),
    }),
  ];
}
