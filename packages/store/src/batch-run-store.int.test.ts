import { newBatchId, newFileId } from '@inferq/core';
import { describeOnTargets, dropPrefix, testPrefix } from '@inferq/testkit';
import type { RedisTargetInfo } from '@inferq/testkit';
import { BatchRunStore } from './batch-run-store';
import type { BatchResult } from './batch-run-store';
import { BatchStore } from './batch-store';
import { FileStore } from './file-store';
import { createRedis } from './redis';
import type { RedisClient } from './redis';

const prefix = testPrefix('batch-run');
let target: RedisTargetInfo;
let redis: RedisClient;
let batches: BatchStore;
let runs: BatchRunStore;
let files: FileStore;

async function newBatch(tenant: string, total: number) {
  const now = Date.now();
  const ids = { output: newFileId(), error: newFileId() };
  const b = await batches.create({
    id: newBatchId(),
    tenant,
    inputFileId: newFileId(),
    endpoint: '/v1/chat/completions',
    completionWindow: '24h',
    createdMs: now,
    expiresMs: now + 86_400_000,
    metadata: null,
    outputFileId: ids.output,
    errorFileId: ids.error,
  });
  const ref = { tenant, id: b.id };
  expect(await runs.lease(ref, 'me', 10_000)).toBe(1);
  const entries = Array.from({ length: total }, (_, i) => JSON.stringify({ c: `c${i}` }));
  expect(await runs.appendRequests(ref, 'me', 0, entries)).toBe('ok');
  expect(await runs.validated(ref, 'me', total, [])).toBe('ok');
  return { ref, ids };
}

const result = (index: number, kind: BatchResult['kind'] = 'c'): BatchResult => ({
  index,
  kind,
  line: `{"n":${index}}\n`,
});

// On standalone Redis and on the run's 3-master cluster (jest's global setup starts it).
describeOnTargets('batch runs', (on) => {
  beforeAll(async () => {
    target = await on.ready();
    redis = createRedis(target.connection, 'blocking');
    batches = new BatchStore(redis, prefix);
    runs = new BatchRunStore(redis, prefix, 60_000);
    files = new FileStore(redis, prefix, 60_000);
  });
  afterAll(async () => {
    redis?.disconnect();
    await dropPrefix(prefix, target);
  });

  describe('BatchRunStore', () => {
    it('counts each request once, however many processes report it at the same time', async () => {
      const { ref, ids } = await newBatch('t1', 300);
      expect(await runs.claim(ref, 'me', 0, 300)).toBe('ok');
      expect(Number(await redis.get(runs.keys.batchOutstanding('t1')))).toBe(300);
      // Three reporters race over the same 300 results, in different orders and chunks.
      const reporters = [0, 1, 2].map(async (r) => {
        const order = Array.from({ length: 300 }, (_, i) => (i * (r + 1) * 7) % 300);
        for (let i = 0; i < 300; i += 25) {
          await runs.record(
            ref,
            ids.output,
            ids.error,
            order.slice(i, i + 25).map((n) => result(n, n % 10 === 0 ? 'f' : 'c')),
          );
        }
      });
      await Promise.all(reporters);
      const state = await batches.get('t1', ref.id);
      expect(state?.object.request_counts).toEqual({ total: 300, completed: 270, failed: 30 });
      expect(await redis.llen(runs.keys.fileChunks('t1', ids.output))).toBe(270);
      expect(await redis.llen(runs.keys.fileChunks('t1', ids.error))).toBe(30);
      expect(Number(await redis.get(runs.keys.batchOutstanding('t1')))).toBe(0);
      expect(await runs.pending(ref)).toEqual([]);

      const end = await runs.finalize(ref, 'me', ids.output, ids.error);
      expect(end).toEqual({ kind: 'ended', status: 'completed' });
      const done = await batches.get('t1', ref.id);
      expect(done?.object).toMatchObject({ status: 'completed', output_file_id: ids.output, error_file_id: ids.error });
      expect((await files.get('t1', ids.output))?.bytes).toBe(
        (await redis.lrange(runs.keys.fileChunks('t1', ids.output), 0, -1)).join('').length,
      );
      // Ended: late results change nothing.
      expect(await runs.record(ref, ids.output, ids.error, [result(0)])).toBe(0);
    });

    it('fences every step of the runner by its lease', async () => {
      const { ref, ids } = await newBatch('t2', 10);
      // Another process may take the lease only once it has expired.
      expect(await runs.lease(ref, 'other', 10_000)).toBe(0);
      expect(await runs.lease(ref, 'other', 10_000, Date.now() + 20_000)).toBe(1);
      expect(await runs.claim(ref, 'me', 0, 5)).toBe('lease_lost');
      expect((await runs.finalize(ref, 'me', ids.output, ids.error)).kind).toBe('lease_lost');
      expect(await runs.claim(ref, 'other', 0, 5)).toBe('ok');
      // The feed moves only from where it is.
      expect(await runs.claim(ref, 'other', 0, 5)).toBe('wrong_state');
      expect((await runs.finalize(ref, 'other', ids.output, ids.error)).kind).toBe('incomplete');
    });

    it('claims only what has no result yet, and a cancel ends the batch cancelled', async () => {
      const { ref, ids } = await newBatch('t3', 4);
      // Request 1's job finished before the claim.
      await runs.record(ref, ids.output, ids.error, [result(1)]);
      expect(await runs.claim(ref, 'me', 0, 4)).toBe('ok');
      expect((await runs.pending(ref)).sort()).toEqual([0, 2, 3]);
      expect(Number(await redis.get(runs.keys.batchOutstanding('t3')))).toBe(3);
      expect(await batches.cancel('t3', ref.id)).toEqual({ kind: 'cancelling' });
      await runs.record(ref, ids.output, ids.error, [result(0, 'x'), result(2, 'x'), result(3, 'c')]);
      expect(Number(await redis.get(runs.keys.batchOutstanding('t3')))).toBe(0);
      expect(await runs.finalize(ref, 'me', ids.output, ids.error)).toEqual({ kind: 'ended', status: 'cancelled' });
      const b = await batches.get('t3', ref.id);
      expect(b?.object).toMatchObject({ status: 'cancelled', request_counts: { total: 4, completed: 2, failed: 0 } });
      expect(await batches.cancel('t3', ref.id)).toEqual({ kind: 'too_late', status: 'cancelled' });
    });
  });
});
