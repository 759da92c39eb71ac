/**
 * One walk through every route family of the pipeline (submit, poll,
 * long-poll, SSE, cancel, list, idempotency, webhooks, keys, limits, usage,
 * fleet), over HTTP as a client does. The cluster run records what each step
 * answered; the slot audit records which Redis commands each step caused.
 */
export interface ScenarioTarget {
  apiUrl: string;
  apiKey: string;
  adminToken: string;
  /** A webhook receiver the dispatcher may reach (WEBHOOK_ALLOW_HOSTS). */
  webhookUrl: string;
  /** A model of each pool to submit to. */
  models: string[];
}

export interface StepResult {
  step: string;
  /** HTTP statuses of the step's requests, in order ("err" when the request itself failed). */
  statuses: string[];
}

type Call = (
  method: string,
  path: string,
  o?: { body?: unknown; admin?: boolean; headers?: Record<string, string> },
) => Promise<{ status: number; body: unknown }>;

function caller(t: ScenarioTarget, statuses: string[]): Call {
  return async (method, path, o = {}) => {
    try {
      const res = await fetch(`${t.apiUrl}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${o.admin ? t.adminToken : t.apiKey}`,
          'content-type': 'application/json',
          ...o.headers,
        },
        body: o.body === undefined ? undefined : JSON.stringify(o.body),
        signal: AbortSignal.timeout(15_000),
      });
      const text = await res.text();
      statuses.push(String(res.status));
      return { status: res.status, body: text.startsWith('{') ? (JSON.parse(text) as unknown) : text };
    } catch {
      statuses.push('err');
      return { status: 0, body: undefined };
    }
  };
}

const idOf = (body: unknown): string =>
  typeof body === 'object' && body !== null && 'id' in body && typeof body.id === 'string' ? body.id : 'job_missing';

/** Runs the steps in order; `between` runs after each (the audit takes its cut of MONITOR there). */
export async function runScenario(t: ScenarioTarget, between: (step: string) => Promise<void>): Promise<StepResult[]> {
  const results: StepResult[] = [];
  const step = async (name: string, body: (call: Call) => Promise<void>) => {
    const statuses: string[] = [];
    await body(caller(t, statuses));
    await between(name);
    results.push({ step: name, statuses });
  };
  const ids: string[] = [];
  const prompt = { prompt: 'hello cluster' };
  await step('submit a job to each pool', async (call) => {
    for (const model of t.models)
      ids.push(idOf((await call('POST', '/v1/jobs', { body: { model, input: prompt } })).body));
  });
  await step('poll and long-poll the jobs (the workers run them)', async (call) => {
    for (const id of ids) await call('GET', `/v1/jobs/${id}?wait=5`);
  });
  await step('stream a job (SSE, replayed from its event stream)', async (call) => {
    await call('GET', `/v1/jobs/${ids[0] ?? 'job_missing'}/events`, { headers: { accept: 'text/event-stream' } });
  });
  await step('list jobs', async (call) => void (await call('GET', '/v1/jobs?limit=10')));
  await step('submit with an Idempotency-Key, twice', async (call) => {
    const o = { body: { model: t.models[0], input: prompt }, headers: { 'idempotency-key': `idem-${Date.now()}` } };
    await call('POST', '/v1/jobs', o);
    await call('POST', '/v1/jobs', o);
  });
  await step('submit with a webhook (dispatcher delivers it)', async (call) => {
    const id = idOf(
      (await call('POST', '/v1/jobs', { body: { model: t.models[0], input: prompt, webhook: { url: t.webhookUrl } } }))
        .body,
    );
    await call('GET', `/v1/jobs/${id}?wait=5`);
    await new Promise((r) => setTimeout(r, 1500)); // the delivery, from the outbox through the webhook queue
    await call('POST', `/v1/jobs/${id}/webhook/redeliver`);
  });
  await step('cancel a job', async (call) => {
    const id = idOf(
      (await call('POST', '/v1/jobs', { body: { model: t.models[0], input: { prompt: 'x '.repeat(200) } } })).body,
    );
    await call('POST', `/v1/jobs/${id}/cancel`);
  });
  await step('webhook secret: read and rotate', async (call) => {
    await call('GET', '/v1/webhooks/secret');
    await call('POST', '/v1/webhooks/secret/rotate');
  });
  await step('usage report', async (call) => void (await call('GET', '/v1/usage')));
  await step('admin: create, list and revoke a key', async (call) => {
    const key = idOf((await call('POST', '/v1/admin/keys', { admin: true, body: { tenant: 'probe' } })).body);
    await call('GET', '/v1/admin/keys', { admin: true });
    await call('DELETE', `/v1/admin/keys/${key}`, { admin: true });
  });
  await step('admin: set and read tenant limits', async (call) => {
    await call('PUT', '/v1/admin/tenants/probe/limits', { admin: true, body: { max_queued: 50 } });
    await call('GET', '/v1/admin/tenants/probe/limits', { admin: true });
  });
  await step('admin: list workers', async (call) => void (await call('GET', '/v1/admin/workers', { admin: true })));
  return results;
}
