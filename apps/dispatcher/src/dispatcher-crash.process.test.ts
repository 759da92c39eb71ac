import { spawnApp, waitFor } from '@inferq/testkit';
import type { ReceivedWebhook, SpawnedApp } from '@inferq/testkit';
import { verifyWebhook } from '@inferq/webhooks';
import { dispatcherHarness } from './test/dispatcher-harness';

// A process-level test: the real `npm run start:dispatcher`, SIGKILLed while a delivery is in flight.
let h: Awaited<ReturnType<typeof dispatcherHarness>>;
const spawned: SpawnedApp[] = [];

function dispatcher(): SpawnedApp {
  const app = spawnApp(
    'start:dispatcher',
    h.env({ LOG_LEVEL: 'info', DISPATCHER_LOCK_MS: '1500', DISPATCHER_STALLED_MS: '1000' }),
  );
  spawned.push(app);
  return app;
}

beforeAll(async () => {
  h = await dispatcherHarness('dcrash');
});
afterAll(async () => {
  for (const app of spawned) app.kill('SIGKILL');
  await Promise.all(spawned.map((a) => a.exited));
  await h.close();
});

const receivedAtLeast = (n: number): Promise<ReceivedWebhook[]> =>
  waitFor(() => (h.receiver.received.length >= n ? h.receiver.received.slice() : undefined), 30_000);

it('delivers the event after its dispatcher is SIGKILLed mid-delivery and another starts', async () => {
  const first = dispatcher();
  await first.waitForOutput(/dispatcher started/);
  h.receiver.script({ hang: true }); // the first attempt never gets an answer
  const id = await h.succeededJob('acme', {}, '/crash');
  await receivedAtLeast(1);
  first.kill('SIGKILL');
  await first.exited;

  const second = dispatcher();
  await second.waitForOutput(/dispatcher started/);
  const [hung, delivered] = await receivedAtLeast(2);
  expect(hung.headers['webhook-id']).toBe(`${id}.succeeded`);
  expect(delivered.headers['webhook-id']).toBe(`${id}.succeeded`);
  expect(verifyWebhook(await h.secrets.current('acme'), delivered.body, delivered.headers)).toMatchObject({
    type: 'job.succeeded',
    data: { id },
  });
  const rec = await h.deliveries(id, 1);
  expect(rec.webhook!.deliveries.at(-1)).toMatchObject({ ok: true, status_code: 200 });
}, 60_000);
