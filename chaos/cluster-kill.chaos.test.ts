import { jobPool } from '@inferq/core';
import { startRedisCluster, startWebhookReceiver, waitFor } from '@inferq/testkit';
import type { LocalRedisCluster, WebhookReceiver } from '@inferq/testkit';
import { auditJobs, wrongOutputs } from './support/audit';
import type { AuditResult } from './support/audit';
import { promptFor, sleep, submitJob } from './support/client';
import { ChaosCluster } from './support/cluster';
import { CLUSTER_MODELS, CLUSTER_POOLS, mastersOfPools, poolModelsFile, spreadPrefix } from './support/cluster-nodes';
import { countsOf, reportFigures } from './support/figures';
import { submitLoad } from './support/load';
import type { LoadResult } from './support/load';
import { schedulerLeft } from './support/scheduler-watch';

// Scenario: a 3-master Redis Cluster (AOF, appendfsync always) under load on 3
// pools, one per master. SIGKILL a worker mid-job, then SIGKILL pool-a's master (which also
// holds the dispatcher's webhook queue) and restart it on its AOF (same port, dir and node id)
// while jobs are in flight.
const JOBS = 300;
const AFTER = 60;
const DOWN_MS = 4000;
const ENV = { MODELS_FILE: poolModelsFile(), WEBHOOK_ALLOW_HOSTS: '127.0.0.1' };
// ~0.8 s per job (8 words) on 2 x 24 slots over the 3 pools: the kills land on running jobs.
const WORKER = { ...ENV, WORKER_POOLS: CLUSTER_POOLS.join(','), WORKER_CONCURRENCY: '24' };
const SIM = { SIM_TTFT_MS: '200', SIM_TOKEN_MS: '80' };
const DISPATCHER = { ...ENV, WEBHOOK_RETRY_SCHEDULE: '1s,1s,1s,2s,2s,2s,2s,2s,2s,2s' };
let cluster: LocalRedisCluster;
let c: ChaosCluster;
let receiver: WebhookReceiver;

beforeAll(async () => {
  cluster = await startRedisCluster({ appendonly: true });
  c = new ChaosCluster('cluster-kill', cluster.seeds, await spreadPrefix(cluster, 'chaos-cluster-kill', 'pool-a'));
  receiver = await startWebhookReceiver();
});
afterAll(async () => {
  await c.close();
  await cluster.stop();
  await receiver.close();
});

/** Job i: round robin over the pools' models; every 4th with a webhook. */
const job = (tag: string, hook: string) => (i: number) => ({
  model: CLUSTER_MODELS[i % CLUSTER_MODELS.length] ?? 'sim/echo',
  input: { prompt: promptFor(tag, i, 8) },
  max_attempts: 10,
  ...(i % 4 === 0 ? { webhook: { url: hook } } : {}),
});

/** Job ids with their 202's time, in order (submitLoad keeps both in acknowledgement order). */
const acks = (l: LoadResult): Array<[string, number]> =>
  [...l.acknowledged.keys()].map((id, i) => [id, l.ackTimes[i] ?? 0]);

/**
 * A long-poll (`?wait`) on a fresh pool-a job: it wakes on the job's events, sharded pub/sub on the
 * restarted master, so it answers within the job's run only if the api subscribed there again.
 */
async function longPollOnce(apiUrl: string, key: string, model: string): Promise<{ status: string; s: number }> {
  const r = await submitJob(apiUrl, key, { model, input: { prompt: 'long poll after the restart' } });
  if (!r.ok) return { status: `submit ${r.status}`, s: 0 };
  const t0 = Date.now();
  const res = await fetch(`${apiUrl}/v1/jobs/${r.id}?wait=20`, { headers: { authorization: `Bearer ${key}` } });
  const body = (await res.json()) as { status?: string };
  return { status: body.status ?? String(res.status), s: (Date.now() - t0) / 1000 };
}

/** Largest gap between consecutive completions of the given jobs (s). */
function maxGapS(audit: AuditResult, ids: string[]): number {
  const done = ids.map((id) => Date.parse(audit.jobs.get(id)?.record?.completed_at ?? '')).filter((t) => t > 0);
  done.sort((a, b) => a - b);
  return done.reduce((gap, t, i) => Math.max(gap, i > 0 ? t - (done[i - 1] ?? t) : 0), 0) / 1000;
}

it('every job ends once, webhooks arrive, through a worker SIGKILL and a master restarted from its AOF', async () => {
  const api = await c.startApi(undefined, { ...ENV, ...SIM });
  const workers = await Promise.all([c.startWorker({ ...WORKER, ...SIM }), c.startWorker({ ...WORKER, ...SIM })]);
  await c.startDispatcher(DISPATCHER);
  const masters = await mastersOfPools(c.redis, c.prefix, cluster.nodes, CLUSTER_POOLS);
  const victim = masters.get('pool-a') ?? 0;
  const victimPools = CLUSTER_POOLS.filter((p) => masters.get(p) === victim);
  const hook = `${receiver.url}/hook`;

  const loading = submitLoad(() => api.url, c.apiKey, JOBS, 8, job('ck', hook), undefined, 250);
  await sleep(2000);
  await c.kill(workers[0]);
  const replacing = c.startWorker({ ...WORKER, ...SIM });
  await sleep(1500);
  await cluster.killNode(victim);
  const killAt = Date.now();
  await sleep(DOWN_MS);
  const restartAt = Date.now();
  await cluster.restartNode(victim);
  const clusterOkS = (Date.now() - restartAt) / 1000;
  const during = await loading;
  await replacing;
  const after = await submitLoad(() => api.url, c.apiKey, AFTER, 8, job('ck-after', hook));
  const longPoll = await longPollOnce(api.url, c.apiKey, 'sim/pool-a');

  const expected = new Map([...during.acknowledged, ...after.acknowledged]);
  const ids = [...expected.keys()];
  const audit = await auditJobs(c, ids, 90_000);
  const wrong = wrongOutputs(audit, expected);
  const onVictim = ids.filter((id) => victimPools.includes(jobPool(id) as (typeof CLUSTER_POOLS)[number]));
  const completedAfter = onVictim
    .map((id) => Date.parse(audit.jobs.get(id)?.record?.completed_at ?? ''))
    .filter((t) => t > restartAt);
  const recoveryS = (Math.min(...completedAfter) - restartAt) / 1000;
  const firstAck = [...acks(during), ...acks(after)].find(
    ([id, t]) => t > restartAt && victimPools.includes(jobPool(id) as (typeof CLUSTER_POOLS)[number]),
  );
  // What the other shards did while the master was down: accepted and finished jobs of their pools.
  const others = ids.filter((id) => !onVictim.includes(id));
  const whileDown = (t: number): boolean => t > killAt && t < restartAt;
  const ackedWhileDown = [...acks(during)].filter(([id, t]) => !onVictim.includes(id) && whileDown(t)).length;
  const doneWhileDown = others.filter((id) =>
    whileDown(Date.parse(audit.jobs.get(id)?.record?.completed_at ?? '')),
  ).length;
  const hooked = ids.filter((id) => audit.jobs.get(id)?.record?.webhook);
  const delivered = (): Set<string> => new Set(receiver.received.map((w) => String(w.headers['webhook-id'])));
  await waitFor(() => (hooked.every((id) => delivered().has(`${id}.succeeded`)) ? true : undefined), 60_000).catch(
    () => undefined,
  );
  const undelivered = hooked.filter((id) => !delivered().has(`${id}.succeeded`));
  const left = await Promise.all(CLUSTER_POOLS.map((p) => schedulerLeft(c, p)));
  reportFigures('cluster-kill', {
    submitted: during.submitted + after.submitted,
    acknowledged: ids.length,
    terminal: audit.terminal,
    lost: audit.lost.length,
    duplicated: audit.duplicated.length,
    maxRecoveryS: recoveryS,
    extra: {
      masters: cluster.nodes.length,
      killed_master_pools: victimPools.join('+'),
      down_s: (DOWN_MS / 1000).toFixed(1),
      cluster_ok_s: clusterOkS.toFixed(1),
      api_recovery_s: firstAck ? ((firstAck[1] - restartAt) / 1000).toFixed(1) : 'none',
      max_gap_s: maxGapS(audit, ids).toFixed(1),
      max_gap_other_shards_s: maxGapS(audit, others).toFixed(1),
      other_shards_while_down: `${ackedWhileDown}acked/${doneWhileDown}done`,
      long_poll_after_s: longPoll.s.toFixed(1),
      refused: countsOf(during.refused),
      retried_jobs: [...audit.jobs.values()].filter((a) => (a.record?.attempts ?? 0) > 1).length,
      webhooks: `${hooked.length - undelivered.length}/${hooked.length}`,
      deliveries: receiver.received.length,
      wrong_output: wrong.length,
    },
  });

  expect(victimPools).toEqual(['pool-a']);
  // The other pools' masters stayed up: their workers kept finishing jobs meanwhile.
  expect(doneWhileDown).toBeGreaterThan(0);
  expect(ids.length).toBeGreaterThan(JOBS / 2);
  // Submits that needed the down master were refused, and only with 503 (retry), never a 500.
  expect([...during.refused.keys(), ...after.refused.keys()].filter((s) => s !== 503)).toEqual([]);
  expect(audit.lost).toEqual([]);
  expect(audit.duplicated).toEqual([]);
  expect(wrong).toEqual([]);
  for (const a of audit.jobs.values()) expect(a).toMatchObject({ terminalTransitions: 1, doneEntries: 1 });
  // Jobs of the restarted master's pools ran again after it came back, and new ones were accepted.
  expect(completedAfter.length).toBeGreaterThan(0);
  expect(firstAck).toBeDefined();
  // The api hears the restarted master's job events again: a long-poll wakes when its job ends.
  expect(longPoll.status).toBe('succeeded');
  expect(longPoll.s).toBeLessThan(10);
  expect(hooked.length).toBeGreaterThan(0);
  expect(undelivered).toEqual([]);
  for (const l of left) expect(l).toMatchObject({ inflight: 0, backlog: 0, pending: 0 });
}, 180_000);
