import { redisKeys } from '@inferq/core';
import type { WebhookPayload } from '@inferq/core';
import { requestRedelivery } from '@inferq/store';
import { describeOnTargets, waitFor } from '@inferq/testkit';
import type { ReceivedWebhook } from '@inferq/testkit';
import { verifyWebhook } from '@inferq/webhooks';
import { loadDispatcherConfig, startDispatcher } from './index';
import type { RunningDispatcher } from './index';
import { dispatcherHarness } from './test/dispatcher-harness';

let h: Awaited<ReturnType<typeof dispatcherHarness>>;
let dispatcher: RunningDispatcher;

/** Requests that arrived on one path, once there are at least `n`. */
function arrived(path: string, n: number, timeoutMs = 15_000): Promise<ReceivedWebhook[]> {
  return waitFor(() => {
    const got = h.receiver.received.filter((r) => r.path === path);
    return got.length >= n ? got : undefined;
  }, timeoutMs);
}
const header = (r: ReceivedWebhook, name: string): string => String(r.headers[name]);
/** standardwebhooks' own verify, as a receiver runs it. */
const verify = (secret: string, r: ReceivedWebhook) => verifyWebhook(secret, r.body, r.headers) as WebhookPayload;

// On standalone Redis and on the run's 3-master cluster (jest's global setup starts it).
describeOnTargets('dispatcher', (on) => {
  beforeAll(async () => {
    h = await dispatcherHarness('dispatch', await on.ready());
    dispatcher = await startDispatcher(loadDispatcherConfig(h.env()));
  });
  afterAll(async () => {
    await dispatcher?.close();
    await h?.close();
  });

  it('delivers a signed job.succeeded that the standardwebhooks library verifies, and records the attempt', async () => {
    const id = await h.succeededJob('acme', {}, '/signed');
    const [req] = await arrived('/signed', 1);
    const payload = verify(await h.secrets.current('acme'), req);
    expect(payload).toMatchObject({ type: 'job.succeeded', data: { id, status: 'succeeded', output: { text: 'hi' } } });
    expect(header(req, 'webhook-id')).toBe(`${id}.succeeded`);
    const otherSecret = await h.secrets.current('globex');
    expect(() => verify(otherSecret, req)).toThrow();
    const rec = await h.deliveries(id, 1);
    expect(rec.webhook!.deliveries).toEqual([
      expect.objectContaining({
        attempt: 1,
        status_code: 200,
        ok: true,
        event: 'succeeded',
        duration_ms: expect.any(Number),
      }),
    ]);
  });

  it('retries a failing receiver with the same webhook-id until it answers 2xx', async () => {
    const id = await h.runningJob('acme', {}, '/retry');
    h.receiver.script({ status: 500 }, { status: 502 });
    await h.store.fail(id, 'acme', { code: 'timeout', message: 'x', retryable: false });
    const reqs = await arrived('/retry', 3);
    expect(new Set(reqs.map((r) => header(r, 'webhook-id')))).toEqual(new Set([`${id}.failed`]));
    const rec = await h.deliveries(id, 3);
    expect(rec.webhook!.deliveries.map((d) => [d.attempt, d.status_code, d.ok])).toEqual([
      [1, 500, false],
      [2, 502, false],
      [3, 200, true],
    ]);
  });

  it('stops at once when the receiver answers 410 Gone', async () => {
    h.receiver.script({ status: 410 });
    const id = await h.succeededJob('acme', {}, '/gone');
    const rec = await h.deliveries(id, 1);
    expect(rec.webhook!.deliveries[0]).toMatchObject({
      status_code: 410,
      ok: false,
      error: 'HTTP 410; no further attempts',
    });
    const job = await waitFor(async () =>
      (await h.queue.getJobState(`${id}.succeeded`)) === 'failed' ? true : undefined,
    );
    expect(job).toBe(true);
    expect(h.receiver.received.filter((r) => r.path === '/gone')).toHaveLength(1);
  });

  it('gives up after the schedule, leaving a failed job in the queue and every attempt on the record', async () => {
    h.receiver.script(...Array.from({ length: 4 }, () => ({ status: 500 })));
    const id = await h.succeededJob('acme', {}, '/exhaust');
    const rec = await h.deliveries(id, 4);
    expect(rec.webhook!.deliveries.map((d) => d.attempt)).toEqual([1, 2, 3, 4]);
    expect(rec.webhook!.deliveries[3].error).toBe('HTTP 500; no further attempts');
    // The state first, then the job: a job read before BullMQ moved it would carry the attempts of before.
    const jobId = `${id}.succeeded`;
    const failed = await waitFor(async () =>
      (await h.queue.getJobState(jobId)) === 'failed' ? h.queue.getJob(jobId) : undefined,
    );
    expect(failed.attemptsMade).toBe(4);
    expect(failed.failedReason).toBe('HTTP 500');
    expect(h.receiver.received.filter((r) => r.path === '/exhaust')).toHaveLength(4);
  });

  it('waits at least the Retry-After of a 429', async () => {
    h.receiver.script({ status: 429, headers: { 'retry-after': '2' } });
    const id = await h.succeededJob('acme', {}, '/later');
    const [first, second] = await arrived('/later', 2);
    expect(second.at - first.at).toBeGreaterThanOrEqual(1900);
    expect((await h.deliveries(id, 2)).webhook!.deliveries.map((d) => d.status_code)).toEqual([429, 200]);
  });

  it('sends only the events the job asked for (default: the terminal ones)', async () => {
    const plain = await h.succeededJob('acme', {}, '/filter');
    const runningOnly = await h.succeededJob('acme', { events: ['running', 'failed'] }, '/filter');
    await arrived('/filter', 2);
    // Every outbox entry handled (acknowledged entries are deleted), so nothing else is coming.
    await waitFor(async () =>
      (await h.redis.xlen(redisKeys(h.prefix).webhookOutbox('default'))) === 0 ? true : undefined,
    );
    const types = h.receiver.received
      .filter((r) => r.path === '/filter')
      .map(
        (r) =>
          `${(JSON.parse(r.body) as WebhookPayload).data.id === plain ? 'plain' : 'other'}:${(JSON.parse(r.body) as WebhookPayload).type}`,
      );
    expect(types.sort()).toEqual(['other:job.running', 'plain:job.succeeded']);
    expect(await h.queue.getJob(`${plain}.running`)).toBeUndefined();
    expect(await h.queue.getJob(`${runningOnly}.succeeded`)).toBeUndefined();
  });

  it('signs with both the new and the old secret after a rotation', async () => {
    const old = await h.secrets.current('rotating');
    const fresh = await h.secrets.rotate('rotating');
    await h.succeededJob('rotating', {}, '/rotated');
    const [req] = await arrived('/rotated', 1);
    expect(header(req, 'webhook-signature').split(' ')).toHaveLength(2);
    expect(verify(old, req).type).toBe('job.succeeded');
    expect(verify(fresh, req).type).toBe('job.succeeded');
  });

  it('redelivers the terminal event on request, with the same webhook-id', async () => {
    const id = await h.succeededJob('acme', {}, '/again');
    await arrived('/again', 1);
    await requestRedelivery(h.redis, h.prefix, { job: id, event: 'succeeded', at: Date.now() });
    const reqs = await arrived('/again', 2);
    expect(reqs.map((r) => header(r, 'webhook-id'))).toEqual([`${id}.succeeded`, `${id}.succeeded`]);
    expect((await h.deliveries(id, 2)).webhook!.deliveries.every((d) => d.ok)).toBe(true);
  });

  it('exports delivery counts and durations on /metrics', async () => {
    const text = await (await fetch(`http://127.0.0.1:${dispatcher.metricsPort}/metrics`)).text();
    expect(text).toMatch(/inferq_webhook_deliveries_total\{outcome="ok",status_class="2xx"\} \d+/);
    expect(text).toMatch(/inferq_webhook_deliveries_total\{outcome="failed",status_class="5xx"\} \d+/);
    expect(text).toMatch(/inferq_webhook_delivery_duration_seconds_count\{outcome="ok"\} \d+/);
    expect((await fetch(`http://127.0.0.1:${dispatcher.metricsPort}/readyz`)).status).toBe(200);
  });
});
