import { daysBetween, tokensOf } from '@inferq/store';
import { TtlCache } from './ttl-cache';
import { idempotencyKeyOf } from './idempotency-key';
import { UsageQuery, ValidationError } from '@inferq/core';

describe('tenancy helpers', () => {
  it('sums input and output tokens over every model of a usage hash', () => {
    expect(
      tokensOf({ 'a/b|jobs': '3', 'a/b|input_tokens': '10', 'a/b|output_tokens': '5', 'c/d|input_tokens': '2' }),
    ).toBe(17);
    expect(tokensOf({})).toBe(0);
  });

  it('expires cache entries and drops everything at the size cap', () => {
    const c = new TtlCache<string>(1000, 2);
    c.set('a', 'x', 0);
    expect(c.get('a', 999)).toBe('x');
    expect(c.get('a', 1000)).toBeUndefined();
    c.set('a', 'x', 0);
    c.set('b', 'y', 0);
    c.set('c', 'z', 0);
    expect([c.get('a', 1), c.get('b', 1), c.get('c', 1)]).toEqual([undefined, undefined, 'z']);
  });

  it('lists the days of a range, across a month end', () => {
    expect(daysBetween('2024-02-28', '2024-03-01')).toEqual(['2024-02-28', '2024-02-29', '2024-03-01']);
  });

  it('parses usage ranges: defaults, order, calendar and span', () => {
    const today = new Date().toISOString().slice(0, 10);
    expect(UsageQuery.parse({})).toEqual({ from: today, to: today });
    expect(UsageQuery.parse({ from: '2024-01-01', to: '2024-01-31' })).toEqual({
      from: '2024-01-01',
      to: '2024-01-31',
    });
    for (const q of [
      { from: '2024-02-30' },
      { from: '2024-1-1' },
      { from: '2024-02-02', to: '2024-02-01' },
      { from: '2022-01-01', to: '2024-01-01' },
    ]) {
      expect(UsageQuery.safeParse(q).success).toBe(false);
    }
  });

  it('accepts only well-formed Idempotency-Key headers', () => {
    expect(idempotencyKeyOf({})).toBeUndefined();
    expect(idempotencyKeyOf({ 'idempotency-key': 'order-17:v2' })).toBe('order-17:v2');
    expect(() => idempotencyKeyOf({ 'idempotency-key': 'a*b' })).toThrow(ValidationError);
    expect(() => idempotencyKeyOf({ 'idempotency-key': ['a', 'b'] })).toThrow(ValidationError);
  });
});
