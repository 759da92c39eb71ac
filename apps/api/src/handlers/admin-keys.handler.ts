import type { ApiKeyList, CreateKeyBody, KeyIdParams, ListKeysQuery } from '@inferq/core';
import { NotFoundError } from '@inferq/core';
import { KEY_ID_PATTERN } from '@inferq/store';
import type { ApiDeps } from '../deps';
import type { HandlerContext, HandlerResult, NoInput } from '../route';

/** POST /v1/admin/keys {tenant}: 201 with the key, shown this once (only its SHA-256 is stored). */
export function createKeyHandler(deps: ApiDeps) {
  return async (ctx: HandlerContext<NoInput, NoInput, CreateKeyBody>): Promise<HandlerResult> => {
    const created = await deps.tenancy.keys.create(ctx.body.tenant);
    return { status: 201, body: created, headers: { 'Cache-Control': 'no-store' } };
  };
}

/** GET /v1/admin/keys[?tenant=]: ids, tenants and creation times; never a key. */
export function listKeysHandler(deps: ApiDeps) {
  return async (ctx: HandlerContext<NoInput, ListKeysQuery>): Promise<HandlerResult> => ({
    status: 200,
    body: { data: await deps.tenancy.keys.list(ctx.query.tenant) } satisfies ApiKeyList,
  });
}

/** DELETE /v1/admin/keys/{id}: revoked at once in every api process; 204. */
export function revokeKeyHandler(deps: ApiDeps) {
  return async (ctx: HandlerContext<KeyIdParams>): Promise<HandlerResult> => {
    const { id } = ctx.params;
    if (!KEY_ID_PATTERN.test(id) || !(await deps.tenancy.revokeKey(id))) throw new NotFoundError(`no key ${id}`);
    return { status: 204, body: undefined };
  };
}
