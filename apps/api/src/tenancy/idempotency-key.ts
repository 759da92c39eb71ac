import { ValidationError } from '@inferq/core';

export const IDEMPOTENCY_KEY_PATTERN = /^[A-Za-z0-9_.:-]{1,255}$/;

/** The Idempotency-Key header, checked before it becomes part of a Redis key; undefined when absent. */
export function idempotencyKeyOf(headers: Readonly<Record<string, string | string[] | undefined>>): string | undefined {
  const v = headers['idempotency-key'];
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || !IDEMPOTENCY_KEY_PATTERN.test(v)) {
    throw new ValidationError('invalid Idempotency-Key header', [
      { path: 'Idempotency-Key', message: 'must be 1-255 of [A-Za-z0-9_.:-]' },
    ]);
  }
  return v;
}
