import { createHash } from 'node:crypto';

/**
 * JSON with object keys sorted at every level, so two requests that differ
 * only in key order hash the same (idempotency body checks, response cache).
 * `undefined` members are dropped, exactly as JSON.stringify drops them.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(value).sort()) {
    const v = (value as Record<string, unknown>)[k];
    // defineProperty, not assignment: a `__proto__` key stays a plain key.
    if (v !== undefined)
      Object.defineProperty(out, k, { value: sortKeys(v), enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/** Hex SHA-256 of UTF-8 text. */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
