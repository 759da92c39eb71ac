import { BatchObject } from '@inferq/core';
import { ChannelListener, createRedis, messageIds } from '@inferq/store';
import { testRedisUrl, waitFor } from '@inferq/testkit';
import { batchLine as req, createBatch, settledBatch, uploadBatchFile } from '../test/batch-fixtures';
import { AUTH_ACME, startTestApi } from '../test/harness';
import type { TestApi } from '../test/harness';

/** Cancelling a batch tells the workers in one message per pool and call (no worker: the jobs stay queued). */
let t: TestApi;
beforeAll(async () => {
  t = await startTestApi('batch-cancel-channel', { RATE_LIMIT_RPM: '1000000' });
});
afterAll(() => t.close());

type JobOfBatch = { id: string; metadata: Record<string, string> };

describe('POST /v1/batches/{id}/cancel', () => {
  it('cancels a chunk of a pool’s queued jobs in one call: one message on the cancel channel', async () => {
    const fileId = await uploadBatchFile(
      t,
      ['c1', 'c2', 'c3', 'c4'].map((id) => req(id)),
    );
    const b = await settledBatch(t, BatchObject.parse((await createBatch(t, fileId).expect(200)).body).id);
    const ids: string[] = await waitFor(async () => {
      const listed = (await t.http.get('/v1/jobs?limit=20').set(AUTH_ACME)).body.data as Array<JobOfBatch>;
      const mine = listed.filter((j) => j.metadata.batch_id === b.id).map((j) => j.id);
      return mine.length === 4 ? mine : undefined;
    });
    const pool = (await t.store.get(ids[0]))?.pool ?? '';
    const channel = t.store.keys.cancelChannel(pool);
    const subscriber = createRedis(testRedisUrl(), 'subscriber');
    const heard: string[] = [];
    await new ChannelListener(subscriber, [channel], (_ch, m) => heard.push(m)).start();
    try {
      await t.http.post(`/v1/batches/${b.id}/cancel`).set(AUTH_ACME).expect(200);
      const status = async (id: string) => (await t.store.get(id))?.record.status;
      await waitFor(async () => (await Promise.all(ids.map(status))).every((s) => s === 'canceled') || undefined);
      // A channel's messages arrive in order (standalone Redis here): after the marker, every cancel was heard.
      await t.queues.connection.publish(channel, 'marker');
      await waitFor(() => heard.includes('marker') || undefined);
      expect(heard.slice(0, -1).map((m) => messageIds(m).sort())).toEqual([[...ids].sort()]);
    } finally {
      subscriber.disconnect();
    }
  });
});
