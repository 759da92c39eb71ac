import { describeOnTargets, openSse, startWebhookReceiver, waitFor } from '@inferq/testkit';
import type { WebhookReceiver } from '@inferq/testkit';
import { verifyWebhook } from '@inferq/webhooks';
import { IDLE_MODEL, TENANT_KEYS, startTargetStack } from './test/target-stack';
import type { TargetStack } from './test/target-stack';

/**
 * The job pipeline through the running system (api, worker, dispatcher over
 * real HTTP), once on standalone Redis and once on a local 3-master Redis
 * Cluster (SPEC section 12): the same tests, only the Redis differs.
 */
jest.setTimeout(60_000);

describeOnTargets('the job pipeline', (target) => {
  let s: TargetStack;
  let receiver: WebhookReceiver;
  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    s = await startTargetStack(target, 'pipeline');
  });
  afterAll(async () => {
    await s?.close();
    await receiver?.close();
  });

  it('runs a submitted job to succeeded, seen by polling', async () => {
    const id = await s.submit('acme', { model: 'sim/echo', input: { prompt: 'poll me please' } });
    const rec = await s.until('acme', id, 'succeeded');
    expect(rec).toMatchObject({ id, status: 'succeeded', attempts: 1, output: { text: 'poll me please' } });
    expect(rec.usage?.output_tokens).toBe(3);
  });

  it('answers GET ?wait with the finished record', async () => {
    const id = await s.submit('acme', { model: 'sim/echo', input: { prompt: 'wait for me' } });
    const rec = await s.record('acme', id, 10);
    expect(rec).toMatchObject({ status: 'succeeded', output: { text: 'wait for me' } });
  });

  it('streams the tokens over SSE, then done with the record', async () => {
    const id = await s.submit('acme', { model: 'sim/echo', input: { prompt: 'stream these five words' } });
    const sse = await openSse(`${s.url}/v1/jobs/${id}/events`, { authorization: `Bearer ${TENANT_KEYS.acme}` });
    expect(sse.status).toBe(200);
    await sse.ended;
    const tokens = sse.messages
      .filter((m) => m.event === 'token')
      .map((m) => (JSON.parse(m.data) as { text: string }).text);
    expect(tokens.join('')).toBe('stream these five words');
    const done = sse.messages[sse.messages.length - 1];
    expect(done?.event).toBe('done');
    expect(JSON.parse(done?.data ?? '{}')).toMatchObject({ id, status: 'succeeded' });
  });

  it('cancels a queued job: it leaves its backlog and never runs', async () => {
    const id = await s.submit('acme', { model: IDLE_MODEL, input: { prompt: 'never' } });
    expect((await s.record('acme', id)).status).toBe('queued');
    const res = await s.call('acme', 'POST', `/v1/jobs/${id}/cancel`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id, status: 'canceled' });
    expect(await s.record('acme', id)).toMatchObject({ status: 'canceled', started_at: null });
    const pools = await s.call('admin', 'GET', '/v1/admin/pools');
    expect(pools.status).toBe(200);
    const idle = (pools.body.data as { pool: string; tenants: unknown[] }[]).find((p) => p.pool === 'idle');
    expect(idle?.tenants).toEqual([]);
  });

  it('cancels a running job: the worker stops it and it ends canceled', async () => {
    // 400 words at 5 ms a token: two seconds of streaming to cancel in.
    const prompt = Array.from({ length: 400 }, (_, i) => `w${i}`).join(' ');
    const id = await s.submit('acme', { model: 'sim/echo', input: { prompt } });
    await s.until('acme', id, 'running');
    const res = await s.call('acme', 'POST', `/v1/jobs/${id}/cancel`);
    expect(res.status).toBe(200);
    const rec = await s.until('acme', id, 'canceled');
    expect(rec.started_at).not.toBeNull();
    expect(rec.completed_at).not.toBeNull();
  });

  it('delivers a signed job.succeeded webhook to the receiver', async () => {
    const before = receiver.received.length;
    const id = await s.submit('globex', {
      model: 'sim/echo',
      input: { prompt: 'hook me' },
      webhook: { url: `${receiver.url}/hook` },
    });
    const got = await receiver.waitFor(before + 1, 30_000);
    const delivered = got[before];
    const secret = await s.call('globex', 'GET', '/v1/webhooks/secret');
    expect(secret.status).toBe(200);
    expect(verifyWebhook(String(secret.body.secret), delivered.body, delivered.headers)).toMatchObject({
      type: 'job.succeeded',
      data: { id, output: { text: 'hook me' } },
    });
    // The dispatcher records the attempt on the job just after the receiver answered.
    await waitFor(async () =>
      (await s.record('globex', id)).webhook?.deliveries.some((d) => d.ok) ? true : undefined,
    );
  });
});
