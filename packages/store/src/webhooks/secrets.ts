import { randomBytes } from 'node:crypto';
import type { RedisClient } from '../redis';
import { redisKeys } from '@inferq/core';
import { withLuaCommands } from '../lua-commands';
import { luaScript } from '../lua-files';

/** How long a rotated-out secret still signs deliveries (ms): receivers get a day to switch. */
export const ROTATION_OVERLAP_MS = 24 * 3600_000;

/** Bytes of randomness in a secret (Standard Webhooks asks for 24 to 64). */
const SECRET_BYTES = 32;

export function newWebhookSecret(): string {
  return `whsec_${randomBytes(SECRET_BYTES).toString('base64')}`;
}

/** webhook-secret-rotate.lua: see its header. */
const ROTATE_LUA = luaScript('webhook-secret-rotate');

type Scripted = RedisClient & { iqRotateSecret(key: string, secret: string, until: string): Promise<string> };

/**
 * Per-tenant signing secrets in Redis (`{prefix}:whsec:{tenant}`), created on
 * first use. HSETNX makes concurrent first uses agree on one secret.
 */
export class WebhookSecrets {
  private readonly redis: Scripted;
  private readonly keys: ReturnType<typeof redisKeys>;

  constructor(
    redis: RedisClient,
    prefix: string,
    private readonly overlapMs = ROTATION_OVERLAP_MS,
  ) {
    this.redis = withLuaCommands<Scripted>(redis, { iqRotateSecret: { numberOfKeys: 1, lua: ROTATE_LUA } });
    this.keys = redisKeys(prefix);
  }

  /** The tenant's current secret, created now if it has none. */
  async current(tenant: string): Promise<string> {
    const key = this.keys.webhookSecret(tenant);
    const existing = await this.redis.hget(key, 'current');
    if (existing) return existing;
    await this.redis.hsetnx(key, 'current', newWebhookSecret());
    return (await this.redis.hget(key, 'current')) ?? '';
  }

  async rotate(tenant: string, now = Date.now()): Promise<string> {
    const until = String(now + this.overlapMs);
    return this.redis.iqRotateSecret(this.keys.webhookSecret(tenant), newWebhookSecret(), until);
  }

  /** Secrets a delivery is signed with now: the current one, and the previous one within its overlap. */
  async signingSecrets(tenant: string, now = Date.now()): Promise<string[]> {
    const [current, previous, until] = await this.redis.hmget(
      this.keys.webhookSecret(tenant),
      'current',
      'previous',
      'previous_until',
    );
    const secrets = [current ?? (await this.current(tenant))];
    if (previous && Number(until) > now) secrets.push(previous);
    return secrets;
  }
}
