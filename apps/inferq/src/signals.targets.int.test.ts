import { describeOnTargets, openSse, startFakeOpenAI, startWebhookReceiver, waitFor } from '@inferq/testkit';
import type { FakeProvider, WebhookReceiver } from '@inferq/testkit';
import { verifyWebhook } from '@inferq/webhooks';
import { IDLE_MODEL, TENANT_KEYS, startTargetStack } from './test/target-stack';
import type { TargetStack } from './test/target-stack';

/**
 * What crosses processes and what background loops do, once on standalone
 * Redis and once on a local 3-master Redis Cluster (SPEC section 12): signals
 * between api processes, job events relayed to another api, the worker's
 * retry, the deadline sweep, webhook redelivery and listing over pools.
 */
jest.setTimeout(60_000);

const idle = { model: IDLE_MODEL, input: { prompt: 'wait here' } };

describeOnTargets('signals and background work', (target) => {
  let s: TargetStack;
  let fake: FakeProvider;
  let receiver: WebhookReceiver;
  beforeAll(async () => {
    [fake, receiver] = await Promise.all([startFakeOpenAI(), startWebhookReceiver()]);
    const flaky = { id: 'local/flaky', backend: 'openai-compatible' as const, base_url: fake.url, pool: 'default' };
    s = await startTargetStack(target, 'signals', { WORKER_RETRY_BASE_MS: '50' }, [flaky]);
  });
  afterAll(async () => {
    await s?.close();
    await Promise.all([fake?.close(), receiver?.close()]);
  });

  it('revokes a key in every api process at once, through the invalidation signal', async () => {
    const peer = await s.peer();
    try {
      const made = await s.call('admin', 'POST', '/v1/admin/keys', { tenant: 'acme' });
      expect(made.status).toBe(201);
      const key = { key: String(made.body.key) };
      expect((await peer.call(key, 'GET', '/v1/models')).status).toBe(200); // now cached in the peer
      expect((await s.call('admin', 'DELETE', `/v1/admin/keys/${String(made.body.id)}`)).status).toBe(204);
      // KEY_CACHE_MS is 5 s: a refusal within 3 s is the signal at work.
      await waitFor(async () => ((await peer.call(key, 'GET', '/v1/models')).status === 401 ? true : undefined), 3000);
    } finally {
      await peer.close();
    }
  });

  it("applies a tenant's new limits in every api process at once", async () => {
    const peer = await s.peer();
    try {
      expect((await peer.call('globex', 'GET', '/v1/models')).headers.get('ratelimit-limit')).toBe('6000');
      await s.call('admin', 'PUT', '/v1/admin/tenants/globex/limits', { rate_limit_rpm: 500 });
      await waitFor(async () => {
        const res = await peer.call('globex', 'GET', '/v1/models');
        return res.headers.get('ratelimit-limit') === '500' ? true : undefined;
      }, 3000);
    } finally {
      await peer.close();
    }
  });

  it('streams a job over SSE from an api process that did not take it', async () => {
    const peer = await s.peer();
    try {
      const prompt = Array.from({ length: 40 }, (_, i) => `t${i}`).join(' ');
      const id = await s.submit('acme', { model: 'sim/echo', input: { prompt } });
      const sse = await openSse(`${peer.url}/v1/jobs/${id}/events`, {
        authorization: `Bearer ${TENANT_KEYS.acme}`,
      });
      await sse.ended;
      const tokens = sse.messages.filter((m) => m.event === 'token').map((m) => JSON.parse(m.data) as { text: string });
      expect(tokens.map((t) => t.text).join('')).toBe(prompt);
      expect(sse.messages.map((m) => m.event)).toContain('status');
      expect(sse.messages[sse.messages.length - 1]?.event).toBe('done');
    } finally {
      await peer.close();
    }
  });

  it('retries a job after a provider error and succeeds on the second attempt', async () => {
    fake.script({ kind: 'status', status: 503 });
    const id = await s.submit('acme', { model: 'local/flaky', input: { prompt: 'try again' } });
    const rec = await s.until('acme', id, 'succeeded');
    expect(rec).toMatchObject({ attempts: 2, output: { text: 'try again' } });
  });

  it('fails a job still queued past its deadline, without running it', async () => {
    const id = await s.submit('initech', { ...idle, deadline_s: 1 });
    const rec = await s.until('initech', id, 'failed');
    expect(rec).toMatchObject({ started_at: null, attempts: 0, error: { code: 'deadline_exceeded' } });
  });

  it('redelivers a finished job webhook, signed with the rotated secret', async () => {
    const id = await s.submit('globex', {
      model: 'sim/echo',
      input: { prompt: 'hook twice' },
      webhook: { url: `${receiver.url}/hook` },
    });
    await s.until('globex', id, 'succeeded');
    const first = (await receiver.waitFor(1, 30_000))[0];
    const rotated = await s.call('globex', 'POST', '/v1/webhooks/secret/rotate');
    expect(rotated.status).toBe(200);
    const again = await s.call('globex', 'POST', `/v1/jobs/${id}/webhook/redeliver`);
    expect(again.status).toBe(202);
    const second = (await receiver.waitFor(2, 30_000))[1];
    expect(second.headers['webhook-id']).toBe(first.headers['webhook-id']);
    expect(verifyWebhook(String(rotated.body.secret), second.body, second.headers)).toMatchObject({
      type: 'job.succeeded',
      data: { id },
    });
  });

  it('lists a tenant jobs over pools newest first, page by page, and by status', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      ids.push(await s.submit('umbrella', idle));
      ids.push(await s.submit('umbrella', { model: 'sim/echo', input: { prompt: `served ${i}` } }));
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await s.call('umbrella', 'GET', `/v1/jobs?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.status).toBe(200);
      seen.push(...(page.body.data as { id: string }[]).map((r) => r.id));
      cursor = page.body.next_cursor as string | null;
    } while (cursor);
    expect(seen).toEqual([...ids].reverse());
    const queued = await s.call('umbrella', 'GET', '/v1/jobs?status=queued');
    expect((queued.body.data as { id: string }[]).map((r) => r.id)).toEqual([ids[4], ids[2], ids[0]]);
    for (const id of [ids[0], ids[2], ids[4]]) await s.call('umbrella', 'POST', `/v1/jobs/${id}/cancel`);
  });
});
