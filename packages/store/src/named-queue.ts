import { setTimeout as sleep } from 'node:timers/promises';
import { Queue } from 'bullmq';
import { queuePrefix } from '@inferq/core';
import type { RedisClient } from './redis';

/**
 * A BullMQ queue by name (e.g. WEBHOOK_QUEUE) over a given connection, for
 * processes that only read it (queue depth metrics) and have no BullMQ
 * dependency of their own. `prefix` is QUEUE_PREFIX: the queue's own BullMQ
 * prefix (its Cluster hash tag) comes from queuePrefix.
 */
export function openQueue(name: string, connection: RedisClient, prefix: string): Queue {
  const q = new Queue(name, { connection, prefix: queuePrefix(prefix, name) });
  // The shared connection's errors, which /readyz reports (see createRedis); without a listener they would crash the process.
  q.on('error', () => undefined);
  return q;
}

/**
 * Closes a queue over a shared connection. BullMQ drops a queue's listeners
 * on close, so a connection check still running then fails later with nobody
 * listening and crashes the process: let it settle first (up to `waitMs`),
 * and leave a queue that never got ready open, where its 'error' listener
 * still absorbs that failure (it owns no connection of its own).
 */
export async function closeQueue(q: Queue, waitMs = 2000): Promise<void> {
  const ac = new AbortController();
  const ready = await Promise.race([
    q.waitUntilReady().then(
      () => true,
      () => true,
    ),
    // Rejects only when the abort below ends the wait early.
    sleep(waitMs, false, { signal: ac.signal }).catch(() => false),
  ]);
  ac.abort();
  // At shutdown a connection already down has nothing left to close.
  if (ready) await q.close().catch(() => undefined);
}
