import { BatchObject, BatchOutputLine } from '@inferq/core';
import { appPid, freePort, waitFor } from '@inferq/testkit';
import { auditJobs } from './support/audit';
import { ChaosCluster } from './support/cluster';
import type { ApiProcess } from './support/cluster';
import { reportFigures } from './support/figures';

// Scenario: SIGKILL the api process running a batch (its lease holder) during validation, feeding
// and a cancel, and a worker mid-run. Another api takes the batch over once the lease expires;
// every request ends in exactly one output or error line and no job runs twice to completion.
const LINES = 6000;
const WORKER = { WORKER_CONCURRENCY: '16', SIM_TTFT_MS: '10', SIM_TOKEN_MS: '2' };
const c = new ChaosCluster('batch-kill');
const apis: ApiProcess[] = [];

afterAll(() => c.close());

const auth = () => ({ authorization: `Bearer ${c.apiKey}` });
const line = (i: number, tag: string) =>
  JSON.stringify({
    custom_id: `${tag}-${i}`,
    method: 'POST',
    url: '/v1/chat/completions',
    body: { model: 'sim/echo', messages: [{ role: 'user', content: `${tag} n${i} w0 w1` }] },
  });

async function createBatch(url: string, tag: string, n: number): Promise<string> {
  const form = new FormData();
  form.append('purpose', 'batch');
  form.append('file', new Blob([Array.from({ length: n }, (_, i) => line(i, tag)).join('\n')]), `${tag}.jsonl`);
  const file = (await (await fetch(`${url}/v1/files`, { method: 'POST', headers: auth(), body: form })).json()) as {
    id: string;
  };
  const res = await fetch(`${url}/v1/batches`, {
    method: 'POST',
    headers: { ...auth(), 'content-type': 'application/json' },
    body: JSON.stringify({ input_file_id: file.id, endpoint: '/v1/chat/completions', completion_window: '24h' }),
  });
  return ((await res.json()) as { id: string }).id;
}

/** The batch as any live api answers it. */
async function batchOf(id: string): Promise<BatchObject> {
  for (const api of apis) {
    const res = await fetch(`${api.url}/v1/batches/${id}`, { headers: auth() }).catch(() => undefined);
    if (res?.status === 200) return BatchObject.parse(await res.json());
  }
  throw new Error('no api answered');
}

/**
 * SIGKILLs the api holding the batch's lease (once a live api holds it), starts a new one on its
 * port, and waits until some api holds the batch again: returns the batch's status when it was
 * killed ('ended' when it finished before) and the seconds until another took over.
 */
async function killHolder(id: string): Promise<{ phase: string; recoveryS: number }> {
  const key = c.store.keys.batch('chaos', id);
  const holder = await waitFor(async () => {
    const [owner, status] = await c.redis.hmget(key, 'lease_owner', 'status');
    if (status === 'completed' || status === 'cancelled') return { i: -1, owner: '' };
    const i = apis.findIndex((a) => appPid(a.app) === Number((owner ?? '').split(':')[1]));
    return i >= 0 ? { i, owner: owner ?? '' } : undefined;
  }, 30_000);
  if (holder.i < 0) return { phase: 'ended', recoveryS: 0 };
  const phase = (await batchOf(id)).status;
  const victim = apis[holder.i];
  await c.kill(victim.app);
  const killed = Date.now();
  apis[holder.i] = await c.startApi(Number(new URL(victim.url).port));
  await waitFor(async () => {
    const [owner, status] = await c.redis.hmget(key, 'lease_owner', 'status');
    return owner !== holder.owner || status === 'completed' || status === 'cancelled' ? true : undefined;
  }, 60_000);
  return { phase, recoveryS: (Date.now() - killed) / 1000 };
}

async function lines(fileId: string | null): Promise<BatchOutputLine[]> {
  if (!fileId) return [];
  const text = await (await fetch(`${apis[0].url}/v1/files/${fileId}/content`, { headers: auth() })).text();
  return text
    .split('\n')
    .filter(Boolean)
    .map((l) => BatchOutputLine.parse(JSON.parse(l)));
}

it('a batch whose api and worker are SIGKILLed finishes with every request exactly once', async () => {
  for (let k = 0; k < 2; k++) apis.push(await c.startApi(await freePort()));
  const workers = await Promise.all([c.startWorker(WORKER), c.startWorker(WORKER)]);
  const kills: Array<{ phase: string; recoveryS: number }> = [];
  const started = Date.now();

  const id = await createBatch(apis[0].url, 'main', LINES);
  kills.push(await killHolder(id)); // validating, most likely: the file is checked within a second
  await waitFor(async () => ((await batchOf(id)).request_counts.completed > LINES / 5 ? true : undefined), 60_000);
  kills.push(await killHolder(id));
  await c.kill(workers[0]);
  workers[0] = await c.startWorker(WORKER);
  await waitFor(async () => ((await batchOf(id)).request_counts.completed > LINES / 2 ? true : undefined), 60_000);
  kills.push(await killHolder(id));
  const done = await waitFor(async () => {
    const b = await batchOf(id);
    return b.status === 'completed' ? b : undefined;
  }, 120_000);

  // A second batch, cancelled; its holder killed while it cancels.
  const second = await createBatch(apis[1].url, 'cancel', 2000);
  await waitFor(async () => ((await batchOf(second)).request_counts.completed > 100 ? true : undefined), 60_000);
  await fetch(`${apis[1].url}/v1/batches/${second}/cancel`, { method: 'POST', headers: auth() });
  kills.push(await killHolder(second));
  const cancelled = await waitFor(async () => {
    const b = await batchOf(second);
    return b.status === 'cancelled' ? b : undefined;
  }, 60_000);

  const out = [...(await lines(done.output_file_id)), ...(await lines(done.error_file_id))];
  const outCancelled = [...(await lines(cancelled.output_file_id)), ...(await lines(cancelled.error_file_id))];
  const jobIds = [...out, ...outCancelled].flatMap((l) => (l.response ? [l.response.request_id] : []));
  const audit = await auditJobs(c, jobIds, 30_000);
  const batchJobs = await c.redis.zcard(c.store.keys.tenantJobs('chaos', 'default'));
  reportFigures('batch-kill', {
    submitted: LINES + 2000,
    acknowledged: LINES + 2000,
    terminal: out.length + outCancelled.length,
    lost: LINES + 2000 - new Set([...out, ...outCancelled].map((l) => l.custom_id)).size,
    duplicated:
      audit.duplicated.length +
      out.length +
      outCancelled.length -
      new Set([...out, ...outCancelled].map((l) => l.custom_id)).size,
    maxRecoveryS: Math.max(...kills.map((k) => k.recoveryS)),
    extra: {
      wall_s: ((Date.now() - started) / 1000).toFixed(1),
      phases_killed: kills.map((k) => k.phase).join(','),
      jobs_created: batchJobs,
      cancelled_completed: cancelled.request_counts.completed,
    },
  });

  expect(done.request_counts).toEqual({ total: LINES, completed: LINES, failed: 0 });
  expect(out).toHaveLength(LINES);
  expect(new Set(out.map((l) => l.custom_id)).size).toBe(LINES);
  expect(cancelled.request_counts.total).toBe(2000);
  expect(outCancelled).toHaveLength(2000);
  expect(new Set(outCancelled.map((l) => l.custom_id)).size).toBe(2000);
  expect(audit.duplicated).toEqual([]);
  // Deterministic job ids: a takeover found the jobs its predecessor made instead of making more.
  expect(batchJobs).toBeLessThanOrEqual(LINES + 2000);
  expect(kills[0]?.phase).toMatch(/validating|in_progress/);
  expect(kills[3]?.phase).toMatch(/cancelling|ended/);
}, 400_000);
