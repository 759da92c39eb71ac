import { randomBytes } from 'node:crypto';
import { iso, redisKeys, sha256Hex } from '@inferq/core';
import type { ApiKeyCreated, ApiKeyInfo, RedisKeys } from '@inferq/core';
import type { RedisClient } from '../redis';
import { withPublish } from '../redis';
import { withLuaCommands } from '../lua-commands';
import { luaScript } from '../lua-files';

/** `iq_` lets secret scanners (GitHub, gitleaks) recognise leaked keys; 32 random bytes, base64url. */
export const API_KEY_PATTERN = /^iq_[A-Za-z0-9_-]{43}$/;
export const KEY_ID_PATTERN = /^key_[0-9a-f]{24}$/;

/** apikey-revoke.lua: see its header. */
const REVOKE_LUA = luaScript('apikey-revoke');

type Scripted = RedisClient & {
  iqRevokeKey(byHash: string, byId: string, id: string, channel: string): Promise<string | null>;
};

/**
 * API keys made through the admin API. Redis holds only the SHA-256 digest of
 * each key (the keys are 256-bit random, so a plain digest cannot be reversed
 * or brute-forced); the key itself is shown once, in the create answer.
 */
export class ApiKeyStore {
  private readonly redis: Scripted;
  private readonly keys: RedisKeys;

  constructor(redis: RedisClient, prefix: string) {
    this.keys = redisKeys(prefix);
    this.redis = withLuaCommands<Scripted>(redis, {
      iqRevokeKey: { numberOfKeys: 2, lua: withPublish(REVOKE_LUA, redis) },
    });
  }

  async create(tenant: string, now = Date.now()): Promise<ApiKeyCreated> {
    const key = `iq_${randomBytes(32).toString('base64url')}`;
    const id = `key_${randomBytes(12).toString('hex')}`;
    const hash = sha256Hex(key);
    const createdAt = iso(now);
    await this.redis
      .multi()
      .hset(this.keys.apiKeys(), hash, JSON.stringify({ id, tenant }))
      .hset(this.keys.apiKeyIds(), id, JSON.stringify({ tenant, hash, created_at: createdAt }))
      .exec();
    return { id, tenant, key, created_at: createdAt };
  }

  /** Every key made through the admin API (optionally one tenant's), oldest first. */
  async list(tenant?: string): Promise<ApiKeyInfo[]> {
    const all = await this.redis.hgetall(this.keys.apiKeyIds());
    const out: ApiKeyInfo[] = [];
    for (const [id, raw] of Object.entries(all)) {
      const v = JSON.parse(raw) as { tenant: string; created_at: string };
      if (tenant === undefined || v.tenant === tenant) out.push({ id, tenant: v.tenant, created_at: v.created_at });
    }
    return out.sort((a, b) => a.created_at.localeCompare(b.created_at) || a.id.localeCompare(b.id));
  }

  /** The revoked key's digest, or undefined when there is no such key; other processes are told in the same step. */
  async revoke(id: string): Promise<string | undefined> {
    const hash = await this.redis.iqRevokeKey(
      this.keys.apiKeys(),
      this.keys.apiKeyIds(),
      id,
      this.keys.securityChannel(),
    );
    return hash ?? undefined;
  }

  /** The tenant of a key digest, or undefined. */
  async tenantOf(hash: string): Promise<string | undefined> {
    const raw = await this.redis.hget(this.keys.apiKeys(), hash);
    return raw ? (JSON.parse(raw) as { tenant: string }).tenant : undefined;
  }
}
