import { ConfigError } from '@inferq/core';
import { loadDispatcherConfig } from './env';
import { scheduleBackoff, DeliveryRetryError } from './retry-schedule';

const problemsOf = (env: Record<string, string>): string[] => {
  try {
    loadDispatcherConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error('expected a ConfigError');
};

describe('DispatcherEnv', () => {
  it('applies the defaults of SPEC section 3: 8 attempts, metrics on 9102', () => {
    const c = loadDispatcherConfig({});
    expect(c.WEBHOOK_RETRY_SCHEDULE).toEqual([5000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000]);
    expect(c.WEBHOOK_ALLOW_HOSTS).toEqual([]);
    expect(c.METRICS_PORT).toBe(9102);
  });

  it('parses a short schedule and an allow list', () => {
    const c = loadDispatcherConfig({
      WEBHOOK_RETRY_SCHEDULE: '100ms, 1s',
      WEBHOOK_ALLOW_HOSTS: '127.0.0.1,10.0.0.0/8,hooks.internal',
    });
    expect(c.WEBHOOK_RETRY_SCHEDULE).toEqual([100, 1000]);
    expect(c.WEBHOOK_ALLOW_HOSTS).toEqual(['127.0.0.1', '10.0.0.0/8', 'hooks.internal']);
  });

  it.each([
    ['WEBHOOK_RETRY_SCHEDULE', '5s,soon'],
    ['WEBHOOK_RETRY_SCHEDULE', ','],
    ['WEBHOOK_ALLOW_HOSTS', '10.0.0.0/40'],
    ['WEBHOOK_ALLOW_HOSTS', 'http://x/'],
    ['METRICS_PORT', 'x'],
    ['DISPATCHER_LOCK_MS', '10'],
  ])('refuses %s=%s, naming the variable', (name, value) => {
    expect(problemsOf({ [name]: value }).some((p) => p.startsWith(`${name}`))).toBe(true);
  });
});

describe('scheduleBackoff', () => {
  const backoff = scheduleBackoff([5000, 300_000]);
  it('waits the schedule entry of the attempt just made, repeating the last', () => {
    expect([1, 2, 3].map((n) => backoff(n))).toEqual([5000, 300_000, 300_000]);
  });
  it("never retries before the receiver's Retry-After", () => {
    expect(backoff(1, 'x', new DeliveryRetryError('429', 60_000))).toBe(60_000);
    expect(backoff(2, 'x', new DeliveryRetryError('429', 60_000))).toBe(300_000);
    expect(backoff(1, 'x', new Error('other'))).toBe(5000);
  });
});
