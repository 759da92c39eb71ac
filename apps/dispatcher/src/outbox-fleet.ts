import { redisKeys } from '@inferq/core';
import type { Logger } from '@inferq/core';
import { OutboxConsumer } from '@inferq/store';
import type { OutboxConsumerOptions, RedisClient } from '@inferq/store';

/** How often the set of pools is read again, so a pool added later gets its outbox read (ms). */
const REFRESH_MS = 10_000;

export type FleetOptions = Omit<OutboxConsumerOptions, 'pool' | 'redis'> & {
  /** Read for the set of pools; each consumer gets a blocking duplicate of it. */
  redis: RedisClient;
  /** Pools known from the model catalog, read even before any process registered them. */
  pools: readonly string[];
  logger: Logger;
};

/**
 * One outbox consumer per pool (each stream lives in its pool's slot, and
 * XREADGROUP BLOCK holds a connection): the pools of the catalog and every
 * pool an api or worker registered in `{prefix}:pools`, looked up again
 * every REFRESH_MS.
 */
export class OutboxFleet {
  private readonly consumers = new Map<string, { consumer: OutboxConsumer; conn: RedisClient }>();
  private timer?: NodeJS.Timeout;
  private refreshing: Promise<void> = Promise.resolve();

  constructor(private readonly o: FleetOptions) {}

  async start(): Promise<void> {
    await this.refresh();
    this.timer = setInterval(() => {
      this.refreshing = this.refresh().catch((err: unknown) => this.o.logger.warn({ err }, 'reading the pools failed'));
    }, REFRESH_MS);
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.refreshing;
    await Promise.all(
      [...this.consumers.values()].map(async ({ consumer, conn }) => {
        await consumer.close();
        await conn.quit().catch(() => conn.disconnect());
      }),
    );
  }

  private async refresh(): Promise<void> {
    const registered = await this.o.redis.smembers(redisKeys(this.o.prefix).pools());
    for (const pool of new Set([...this.o.pools, ...registered])) {
      if (this.consumers.has(pool)) continue;
      const conn = this.o.redis.duplicate();
      conn.on('error', () => undefined);
      const consumer = new OutboxConsumer({ ...this.o, redis: conn, pool });
      try {
        await consumer.start();
      } catch (err) {
        conn.disconnect();
        throw err;
      }
      this.consumers.set(pool, { consumer, conn });
    }
  }
}
