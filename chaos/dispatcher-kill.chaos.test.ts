import { freePort, startWebhookReceiver, waitFor } from '@inferq/testkit';
import type { ReceivedWebhook, SpawnedApp, WebhookReceiver } from '@inferq/testkit';
import { verifyWebhook } from '@inferq/webhooks';
import { auditJobs } from './support/audit';
import { promptFor, sleep } from './support/client';
import { ChaosCluster } from './support/cluster';
import { reportFigures } from './support/figures';
import { submitLoad } from './support/load';
import { TcpGate } from './support/tcp-gate';

// Scenario 4: SIGKILL the dispatcher mid-delivery, three times, and take the
// webhook receiver down for 4 s in between.
const JOBS = 100;
const DOWN_MS = 4000;
const ALLOW = { WEBHOOK_ALLOW_HOSTS: '127.0.0.1' };
// 11 attempts over ~17 s: enough to outlast the outage, short enough for CI.
const DISPATCHER = { ...ALLOW, WEBHOOK_RETRY_SCHEDULE: '1s,1s,1s,2s,2s,2s,2s,2s,2s,2s', DISPATCHER_CONCURRENCY: '8' };
const c = new ChaosCluster('dispatcher-kill');
let receiver: WebhookReceiver;
let gate: TcpGate;

beforeAll(async () => {
  receiver = await startWebhookReceiver();
  receiver.fallback = { status: 200, body: 'ok', delayMs: 150 }; // deliveries stay in flight long enough to be killed
  gate = new TcpGate(await freePort(), Number(new URL(receiver.url).port));
  await gate.open();
});
afterAll(async () => {
  await c.close();
  await gate.close();
  await receiver.close();
});

type Payload = { type?: string; data?: { id?: string } };

/** The payload when the signature verifies with the tenant's secret, else undefined. */
function verified(secret: string, w: ReceivedWebhook): Payload | undefined {
  try {
    return verifyWebhook(secret, w.body, w.headers) as Payload;
  } catch {
    return undefined;
  }
}

it('delivers every event, validly signed, through dispatcher SIGKILLs and a receiver outage; repeats keep their webhook-id', async () => {
  const api = await c.startApi(undefined, ALLOW);
  await c.startWorker({ WORKER_CONCURRENCY: '16', SIM_TTFT_MS: '50', SIM_TOKEN_MS: '20' });
  let dispatcher: SpawnedApp = await c.startDispatcher(DISPATCHER);
  const secretRes = await fetch(`${api.url}/v1/webhooks/secret`, { headers: { authorization: `Bearer ${c.apiKey}` } });
  const { secret } = (await secretRes.json()) as { secret: string };
  const restart = async (): Promise<void> => {
    await c.kill(dispatcher);
    dispatcher = await c.startDispatcher(DISPATCHER);
  };

  const loading = submitLoad(
    () => api.url,
    c.apiKey,
    JOBS,
    4,
    (i) => ({
      model: 'sim/echo',
      input: { prompt: promptFor('dk', i) },
      webhook: { url: `http://127.0.0.1:${gate.port}/hook` },
    }),
    undefined,
    150,
  ); // ~7 s of submissions: events keep coming through the kills and the outage
  await sleep(1000);
  await restart();
  await gate.close();
  await sleep(1000);
  await restart();
  await sleep(DOWN_MS - 1000);
  await gate.open();
  const upAt = Date.now();
  await sleep(500);
  await restart();
  const load = await loading;

  const ids = [...load.acknowledged.keys()];
  const audit = await auditJobs(c, ids, 60_000);
  const firstValid = new Map<string, number>();
  const delivered = (): number => {
    for (const w of receiver.received) {
      const p = verified(secret, w);
      const id = p?.data?.id;
      if (id && p.type === 'job.succeeded' && w.headers['webhook-id'] === `${id}.succeeded` && !firstValid.has(id))
        firstValid.set(id, w.at);
    }
    return ids.filter((id) => firstValid.has(id)).length;
  };
  await waitFor(() => (delivered() === ids.length ? true : undefined), 60_000).catch(() => undefined);
  const webhookIds = receiver.received.map((w) => String(w.headers['webhook-id']));
  const failedAttempts = [...audit.jobs.values()]
    .flatMap((a) => a.record?.webhook?.deliveries ?? [])
    .filter((d) => !d.ok).length;
  const invalid = receiver.received.filter((w) => !verified(secret, w)).length;
  reportFigures('dispatcher-kill', {
    submitted: load.submitted,
    acknowledged: ids.length,
    terminal: audit.terminal,
    lost: ids.length - delivered(),
    duplicated: audit.duplicated.length,
    maxRecoveryS: (Math.max(...firstValid.values()) - upAt) / 1000,
    extra: {
      kills: 3,
      receiver_down_s: (DOWN_MS / 1000).toFixed(1),
      deliveries: receiver.received.length,
      failed_attempts: failedAttempts,
      redelivered: webhookIds.length - new Set(webhookIds).size,
      invalid_signatures: invalid,
    },
  });

  expect(ids.length).toBe(JOBS);
  expect(audit.lost).toEqual([]);
  expect(audit.duplicated).toEqual([]);
  expect(ids.filter((id) => !firstValid.has(id))).toEqual([]);
  expect(invalid).toBe(0);
  expect(failedAttempts).toBeGreaterThan(0); // the outage did meet deliveries
  // A repeat is the same event again: the same webhook-id, never a new one.
  expect(new Set(webhookIds)).toEqual(new Set(ids.map((id) => `${id}.succeeded`)));
}, 180_000);
