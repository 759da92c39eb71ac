import { backoffDelayMs } from './retry-policy';

describe('backoffDelayMs', () => {
  it('doubles per attempt within the jitter band', () => {
    expect(backoffDelayMs(1, 1000, undefined, () => 0)).toBe(500);
    expect(backoffDelayMs(1, 1000, undefined, () => 0.999)).toBeCloseTo(1000, -1);
    expect(backoffDelayMs(3, 1000, undefined, () => 0)).toBe(2000);
  });
  it('never retries sooner than the provider asked', () => {
    expect(backoffDelayMs(1, 1000, 30_000, () => 0)).toBe(30_000);
  });
  it('caps the delay at ten minutes', () => {
    expect(backoffDelayMs(40, 1000, undefined, () => 0.999)).toBeLessThanOrEqual(600_000);
  });
});
