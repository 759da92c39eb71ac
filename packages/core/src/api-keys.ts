import { z } from 'zod';

export const TenantId = z.string().regex(/^[a-z0-9_-]{1,64}$/, 'tenant must be [a-z0-9_-]{1,64}');
export const ApiKeyText = z.string().regex(/^[A-Za-z0-9_-]{16,128}$/, 'key must be [A-Za-z0-9_-]{16,128}');

/** API_KEYS: `tenant:key,tenant2:key2`. */
export const ApiKeysEnv = z
  .string()
  .default('')
  .transform((s, ctx) => {
    const pairs: Array<{ tenant: string; key: string }> = [];
    for (const item of s
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean)) {
      const i = item.indexOf(':');
      const tenant = TenantId.safeParse(i > 0 ? item.slice(0, i) : '');
      const key = ApiKeyText.safeParse(i > 0 ? item.slice(i + 1) : '');
      if (!tenant.success || !key.success) {
        ctx.addIssue({
          code: 'custom',
          message: 'entries must be tenant:key with tenant [a-z0-9_-]{1,64} and key [A-Za-z0-9_-]{16,128}',
        });
        return z.NEVER;
      }
      pairs.push({ tenant: tenant.data, key: key.data });
    }
    return pairs;
  });
