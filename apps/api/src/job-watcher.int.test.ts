import { JobRequest, newJobId } from '@inferq/core';
import { createRedis, JobStore } from '@inferq/store';
import { dropPrefix, testPrefix, testRedisUrl, waitFor } from '@inferq/testkit';
import { JobWatcher } from './job-watcher';

// The transition scripts publish the ids of one call's jobs in one message: every one wakes its waiters.
const prefix = testPrefix('watcher');
const redis = createRedis(testRedisUrl(), 'blocking');
const subscriber = createRedis(testRedisUrl(), 'blocking');
const store = new JobStore(redis, { prefix, retentionMs: 60_000 });
const watcher = new JobWatcher(subscriber, store.channels(['default']));
const request = JobRequest.parse({ model: 'sim/echo', input: { prompt: 'watched' } });

beforeAll(() => watcher.start());
afterAll(async () => {
  watcher.close();
  subscriber.disconnect();
  redis.disconnect();
  await dropPrefix(prefix);
});

it('wakes the waiters of every job a message names', async () => {
  const ids = [newJobId('default'), newJobId('default'), newJobId('default')];
  for (const id of ids) await store.create({ id, tenant: 't', pool: 'default', createdAt: Date.now(), request });
  const subs = ids.map((id) => watcher.watch(id));
  const woken = subs.map((sub) => jest.spyOn(sub, 'notify'));
  // One turn's starts: one script call, one message of the three ids.
  await Promise.all(ids.map((id) => store.start(id, 1)));
  await waitFor(() => (woken.every((spy) => spy.mock.calls.length > 0) ? true : undefined));
  for (const spy of woken) expect(spy).toHaveBeenCalledTimes(1);
  subs.forEach((sub) => sub.stop());
});

it('wakes the waiters of a job named alone', async () => {
  const id = newJobId('default');
  await store.create({ id, tenant: 't', pool: 'default', createdAt: Date.now(), request });
  const sub = watcher.watch(id);
  const woken = jest.spyOn(sub, 'notify');
  await store.start(id, 1);
  await waitFor(() => (woken.mock.calls.length > 0 ? true : undefined));
  sub.stop();
});
