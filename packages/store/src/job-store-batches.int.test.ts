import { JobRequest, newJobId } from '@inferq/core';
import { describeOnTargets, dropPrefix, testPrefix } from '@inferq/testkit';
import type { RedisTargetInfo } from '@inferq/testkit';
import { createRedis } from './redis';
import type { RedisClient } from './redis';
import { JobStore } from './job-store';

// A worker's slots start and finish many jobs at once: the transitions of one pool in one
// event-loop turn share one script call, and each job still gets its own answer.
const prefix = testPrefix('store-batches');
const request = JobRequest.parse({ model: 'sim/echo', input: { prompt: 'batched' } });
const usage = { input_tokens: 2, output_tokens: 3 };
const output = { text: 'ok', finish_reason: 'stop' as const };

describeOnTargets('job transitions batched per turn', (on) => {
  let target: RedisTargetInfo;
  let redis: RedisClient;
  let store: JobStore;
  const calls = (name: string) => jest.spyOn(redis as unknown as Record<string, () => unknown>, name);

  async function newJobs(n: number, pool = 'default'): Promise<string[]> {
    const ids = Array.from({ length: n }, () => newJobId(pool));
    for (const id of ids) await store.create({ id, tenant: 't1', pool, createdAt: Date.now(), request });
    return ids;
  }

  beforeAll(async () => {
    target = await on.ready();
    redis = createRedis(target.connection, 'blocking');
    store = new JobStore(redis, { prefix, retentionMs: 60_000 });
  });
  afterEach(() => jest.restoreAllMocks());
  afterAll(async () => {
    await dropPrefix(prefix, target);
    redis.disconnect();
  });

  it('starts one turn’s jobs of a pool in one call, each with its own input or answer', async () => {
    const [a, b, done] = await newJobs(3);
    await store.start(done, 1);
    await store.cancel(done, 't1');
    const spy = calls('iqStartBuffer');
    const missing = newJobId('default');
    const results = await Promise.all([
      store.start(a, 1),
      store.start(missing, 1),
      store.start(b, 2),
      store.start(done, 1),
    ]);
    expect(spy).toHaveBeenCalledTimes(1);
    expect(results.map((r) => r.kind)).toEqual(['started', 'missing', 'started', 'terminal']);
    expect(results[0]).toMatchObject({ kind: 'started', model: 'sim/echo', request: { input: { prompt: 'batched' } } });
    expect((await store.get(b))?.record).toMatchObject({ status: 'running', attempts: 2 });
  });

  it('finishes one turn’s jobs in one call per pool: records, usage and answers each their own', async () => {
    const [a, b] = await newJobs(2);
    const [other] = await newJobs(1, 'gpu');
    await Promise.all([a, b, other].map((id) => store.start(id, 1)));
    const spy = calls('iqFinish');
    const error = { code: 'provider_rejected' as const, message: 'no', retryable: false };
    const results = await Promise.all([
      store.succeed(a, 't1', { output, usage, ttftMs: 7, tailTokens: 'ok' }),
      store.fail(b, 't1', error),
      store.cancel(other, 't1'),
      // The same job twice in one batch: the second sees what the first wrote.
      store.cancel(b, 't1'),
    ]);
    // One call for the default pool's three finishes, one for gpu's.
    expect(spy).toHaveBeenCalledTimes(2);
    expect(results).toEqual([
      { kind: 'written', previous: 'running' },
      { kind: 'written', previous: 'running' },
      { kind: 'written', previous: 'running' },
      { kind: 'terminal', current: 'failed' },
    ]);
    const [ra, rb, ro] = await Promise.all([a, b, other].map((id) => store.get(id)));
    expect(ra?.record).toMatchObject({ status: 'succeeded', usage, output, timings: { ttft_ms: 7 } });
    expect(rb?.record).toMatchObject({ status: 'failed', error: { code: 'provider_rejected' } });
    expect(ro?.record.status).toBe('canceled');
  });
});
