import { redisKeys } from '@inferq/core';
import { waitFor } from '@inferq/testkit';
import { OUTBOX_GROUP } from '@inferq/store';
import { loadDispatcherConfig, startDispatcher } from './index';
import type { RunningDispatcher } from './index';
import { dispatcherHarness } from './test/dispatcher-harness';

let h: Awaited<ReturnType<typeof dispatcherHarness>>;
let dispatcher: RunningDispatcher | undefined;

beforeAll(async () => {
  h = await dispatcherHarness('outbox');
});
afterAll(async () => {
  await dispatcher?.close();
  await h.close();
});

it('takes over entries a dead consumer read but never acknowledged, and delivers each event once', async () => {
  const outbox = redisKeys(h.prefix).webhookOutbox('default');
  await h.redis.xgroup('CREATE', outbox, OUTBOX_GROUP, '0', 'MKSTREAM');
  const id = await h.succeededJob('acme', {}, '/claimed');
  // The same event written twice, as a re-read after a crash would present it.
  await h.redis.xadd(outbox, '*', 'job', id, 'event', 'succeeded', 'at', String(Date.now()));
  // A consumer that reads everything and dies before XACK.
  const read = (await h.redis.xreadgroup(
    'GROUP',
    OUTBOX_GROUP,
    'dead-consumer',
    'COUNT',
    10,
    'STREAMS',
    outbox,
    '>',
  )) as Array<[string, unknown[]]>;
  expect(read[0][1]).toHaveLength(3); // running (not subscribed), succeeded, its duplicate

  dispatcher = await startDispatcher(loadDispatcherConfig(h.env({ DISPATCHER_LOCK_MS: '1000' })));
  await waitFor(() => (h.receiver.received.length >= 1 ? true : undefined), 15_000);
  await waitFor(async () => ((await h.redis.xlen(outbox)) === 0 ? true : undefined), 15_000);
  await waitFor(async () => ((await h.queue.getJobState(`${id}.succeeded`)) === 'completed' ? true : undefined));
  const pending = (await h.redis.xpending(outbox, OUTBOX_GROUP)) as [number, ...unknown[]];
  expect(pending[0]).toBe(0);
  expect(h.receiver.received.filter((r) => r.path === '/claimed')).toHaveLength(1);
  expect((await h.store.get(id))!.record.webhook!.deliveries).toHaveLength(1);
});
