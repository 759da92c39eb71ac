import { createRedis, TenantLimitStore } from '@inferq/store';
import { dropPrefix, testPrefix, testRedisUrl } from '@inferq/testkit';
import { TenantLimits } from './limits-cache';

const prefix = testPrefix('limits-cache');
const redis = createRedis(testRedisUrl(), 'blocking');
const defaults = { rate_limit_rpm: 60, max_queued: 10, daily_token_budget: null, weight: 1 };
afterAll(async () => {
  await dropPrefix(prefix);
  redis.disconnect();
});

it('serves a burst of one tenant with one read', async () => {
  const limits = new TenantLimits(redis, prefix, defaults);
  await new TenantLimitStore(redis, prefix).update('burst', { max_queued: 3 });
  const reads = jest.spyOn(TenantLimitStore.prototype, 'overrides');
  const all = await Promise.all(Array.from({ length: 20 }, () => limits.effective('burst')));
  expect(all.every((l) => l.max_queued === 3)).toBe(true);
  expect(reads).toHaveBeenCalledTimes(1);
  reads.mockRestore();
});

it('keeps no answer of a read that a change overtook', async () => {
  const limits = new TenantLimits(redis, prefix, defaults);
  const store = new TenantLimitStore(redis, prefix);
  await store.update('race', { max_queued: 1 });
  // The read gets its answer from Redis, then is held until the change below has been heard.
  let release = (): void => undefined;
  const gate = new Promise<void>((r) => (release = r));
  const direct = new TenantLimitStore(redis, prefix);
  const held = jest.spyOn(TenantLimitStore.prototype, 'overrides').mockImplementationOnce(async (tenant: string) => {
    const out = await direct.overrides(tenant);
    await gate;
    return out;
  });
  const stale = limits.effective('race');
  await store.update('race', { max_queued: 2 });
  limits.forget('race'); // the change message of another process
  release();
  expect((await stale).max_queued).toBe(1);
  expect((await limits.effective('race')).max_queued).toBe(2);
  held.mockRestore();
});
