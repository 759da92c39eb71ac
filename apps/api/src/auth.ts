import * as crypto from 'node:crypto';
import { createHash, timingSafeEqual } from 'node:crypto';
import { UnauthorizedError } from '@inferq/core';

/**
 * Resolves an API key to its tenant. The bootstrap keys below are one
 * implementation; a Redis-backed key store (admin API) plugs in behind the
 * same interface.
 */
export interface Authenticator {
  authenticate(token: string): Promise<string | undefined>;
}

export type AuthMode = 'tenant' | 'admin' | 'none';

/**
 * Every request's key is hashed: crypto.hash (Node 20.12+) does it in one
 * call, without a Hash object per request; older Node 20 takes createHash.
 */
const sha256: (text: string) => Buffer =
  typeof crypto.hash === 'function'
    ? (text) => crypto.hash('sha256', text, 'buffer')
    : (text) => createHash('sha256').update(text, 'utf8').digest();

/** API_KEYS: only SHA-256 hashes stay in memory; every entry is compared in constant time. */
export class BootstrapKeys implements Authenticator {
  private readonly entries: Array<{ hash: Buffer; tenant: string }>;

  constructor(keys: ReadonlyArray<{ tenant: string; key: string }>) {
    this.entries = keys.map(({ tenant, key }) => ({ hash: sha256(key), tenant }));
  }

  async authenticate(token: string): Promise<string | undefined> {
    return this.tenantOf(token);
  }

  /** authenticate without a promise, for callers that try these keys first on every request. */
  tenantOf(token: string): string | undefined {
    const hash = sha256(token);
    let tenant: string | undefined;
    // No early exit: the time taken does not depend on which entry matched.
    for (const e of this.entries) {
      if (timingSafeEqual(e.hash, hash) && tenant === undefined) tenant = e.tenant;
    }
    return tenant;
  }
}

/** ADMIN_TOKEN; when unset, every admin request is refused. */
export class AdminToken {
  private readonly hash: Buffer | undefined;
  constructor(token: string | undefined) {
    this.hash = token ? sha256(token) : undefined;
  }
  matches(token: string): boolean {
    return this.hash !== undefined && timingSafeEqual(this.hash, sha256(token));
  }
}

export function bearerToken(header: string | undefined): string | undefined {
  const m = /^Bearer +([^\s]+) *$/i.exec(header ?? '');
  return m?.[1];
}

export interface AuthDeps {
  tenants: Authenticator;
  admin: AdminToken;
}

/** The principal of a request: the tenant, `admin`, or '' for open routes. Throws 401 otherwise. */
export async function authorize(mode: AuthMode, header: string | undefined, deps: AuthDeps): Promise<string> {
  if (mode === 'none') return '';
  const token = bearerToken(header);
  if (!token) throw new UnauthorizedError();
  if (mode === 'admin') {
    if (!deps.admin.matches(token)) throw new UnauthorizedError('missing or invalid admin token');
    return 'admin';
  }
  const tenant = await deps.tenants.authenticate(token);
  if (!tenant) throw new UnauthorizedError();
  return tenant;
}
