import { sleep } from './load';
import { ADMIN_TOKEN, submitAll, usageOf } from './fairness-system';
import type { FairnessPlan, FairSystem, WorkerControl } from './fairness-system';

/** Tokens served to two tenants of weights 3 and 1 while both had a backlog. */
export interface WeightFigures {
  weights: [number, number];
  jobsEach: number;
  /** Tokens (input + output, real usage) finished in the window, per tenant. */
  tokens: [number, number];
  jobs: [number, number];
  /** tokens[0] / tokens[1], against weights[0] / weights[1]. */
  ratio: number;
  /** How far the ratio is from the weights' ratio, percent. */
  offByPct: number;
  windowMs: number;
}

export const WEIGHT_TENANTS = ['wa', 'wb'] as const;
const WEIGHTS: [number, number] = [3, 1];
// 20 words of 3 letters: 79 characters, so the estimate (characters / 4 + max_tokens = 20 + 20)
// equals the real usage of sim/echo (20 words in, the same 20 out).
const BODY = JSON.stringify({
  model: 'sim/echo',
  input: { prompt: Array.from({ length: 20 }, () => 'tok').join(' ') },
  params: { max_tokens: 20 },
});

/**
 * Tenants `wa` and `wb` at weights 3 and 1 (PUT /v1/admin/tenants/{t}/limits)
 * each queue `weightJobs` jobs while the pool has no worker; then the worker
 * starts. From its start until one tenant is within a margin of its last job
 * (so both were backlogged throughout), the tokens each was served; ideally 3 to 1.
 */
export async function measureWeights(
  sys: FairSystem,
  plan: FairnessPlan,
  worker: WorkerControl,
): Promise<WeightFigures> {
  const [a, b] = WEIGHT_TENANTS;
  for (const [i, t] of WEIGHT_TENANTS.entries()) await setWeight(sys, t, WEIGHTS[i]);
  const n = plan.weightJobs;
  await worker.stop();
  await Promise.all(WEIGHT_TENANTS.map((t) => submitAll(sys, t, n, BODY, 25)));
  // Still backlogged: more than the slots in flight and a few finishes of margin left.
  const margin = Math.max(3 * plan.concurrency, Math.round(n / 20));
  const start = await Promise.all([usageOf(sys, a), usageOf(sys, b)]);
  await worker.start();
  const t0 = Date.now();
  let end = start;
  const deadline = t0 + 300_000;
  while (end.every((u) => u.jobs < n - margin)) {
    if (Date.now() > deadline) throw new Error('weights: the backlogs did not drain in time');
    await sleep(20);
    end = await Promise.all([usageOf(sys, a), usageOf(sys, b)]);
  }
  const tokens: [number, number] = [end[0].tokens - start[0].tokens, end[1].tokens - start[1].tokens];
  const ratio = tokens[1] > 0 ? tokens[0] / tokens[1] : NaN;
  const target = WEIGHTS[0] / WEIGHTS[1];
  return {
    weights: WEIGHTS,
    jobsEach: n,
    tokens,
    jobs: [end[0].jobs - start[0].jobs, end[1].jobs - start[1].jobs],
    ratio: Math.round(ratio * 100) / 100,
    offByPct: Math.round((Math.abs(ratio - target) / target) * 1000) / 10,
    windowMs: Date.now() - t0,
  };
}

async function setWeight(sys: FairSystem, tenant: string, weight: number): Promise<void> {
  const res = await fetch(`${sys.url}/v1/admin/tenants/${tenant}/limits`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ weight }),
  });
  if (!res.ok) throw new Error(`weight of ${tenant}: ${res.status} ${await res.text()}`);
}
