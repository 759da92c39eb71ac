import { iso } from '@inferq/core';
import type { RotatedSecret, WebhookSecret } from '@inferq/core';
import { ROTATION_OVERLAP_MS, WebhookSecrets } from '@inferq/store';
import type { ApiDeps } from '../deps';
import type { HandlerContext, HandlerResult } from '../route';

/** Secrets must not linger in caches between the client and us. */
const NO_STORE = { 'Cache-Control': 'no-store' };

/** GET /v1/webhooks/secret: the tenant's signing secret, created on first use. */
export function getWebhookSecretHandler(deps: ApiDeps) {
  const secrets = new WebhookSecrets(deps.redis, deps.config.QUEUE_PREFIX);
  return async (ctx: HandlerContext): Promise<HandlerResult> => ({
    status: 200,
    body: { secret: await secrets.current(ctx.tenant) } satisfies WebhookSecret,
    headers: NO_STORE,
  });
}

/**
 * POST /v1/webhooks/secret/rotate: a new secret; deliveries carry signatures
 * of both the new and the old one until `previous_valid_until` (24 h).
 */
export function rotateWebhookSecretHandler(deps: ApiDeps) {
  const secrets = new WebhookSecrets(deps.redis, deps.config.QUEUE_PREFIX);
  return async (ctx: HandlerContext): Promise<HandlerResult> => {
    const now = Date.now();
    const secret = await secrets.rotate(ctx.tenant, now);
    const body: RotatedSecret = { secret, previous_valid_until: iso(now + ROTATION_OVERLAP_MS) };
    return { status: 200, body, headers: NO_STORE };
  };
}
