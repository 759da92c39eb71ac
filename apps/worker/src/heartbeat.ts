import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { Logger } from '@inferq/core';
import type { WorkerRegistry } from '@inferq/store';

/** A beat every 5 s, kept 15 s: a worker is shown as gone after about three missed beats. */
export const HEARTBEAT_INTERVAL_MS = 5000;
export const HEARTBEAT_TTL_MS = 3 * HEARTBEAT_INTERVAL_MS;

export interface Heartbeat {
  id: string;
  stop(): Promise<void>;
}

/** Writes this process's fleet record now and every HEARTBEAT_INTERVAL_MS until stopped. */
export async function startHeartbeat(opts: {
  registry: WorkerRegistry;
  pools: string[];
  concurrency: number;
  inFlight: () => number;
  logger: Logger;
}): Promise<Heartbeat> {
  const host = hostname();
  const id = `${host}-${process.pid}-${randomBytes(3).toString('hex')}`;
  const startedAt = new Date().toISOString();
  const beat = () =>
    opts.registry.beat(
      {
        id,
        host,
        pid: process.pid,
        pools: opts.pools,
        concurrency: opts.concurrency,
        in_flight: opts.inFlight(),
        version: VERSION,
        started_at: startedAt,
        last_heartbeat_at: new Date().toISOString(),
      },
      HEARTBEAT_TTL_MS,
    );
  // One beat at a time: while Redis is down, beats would otherwise pile up in the offline queue.
  let pending: Promise<void> | undefined;
  const tick = () => {
    pending ??= beat()
      .catch((err: unknown) => opts.logger.warn({ err }, 'heartbeat failed'))
      .finally(() => (pending = undefined));
  };
  await beat().catch((err: unknown) => opts.logger.warn({ err }, 'heartbeat failed'));
  const timer = setInterval(tick, HEARTBEAT_INTERVAL_MS);
  timer.unref();
  return {
    id,
    stop: async () => {
      clearInterval(timer);
      await pending;
      await opts.registry
        .remove(id)
        .catch((err: unknown) => opts.logger.warn({ err }, 'fleet record not removed; it expires on its own'));
    },
  };
}

/** The worker package's version, shown on the fleet page. */
const VERSION = readVersion();

function readVersion(): string {
  try {
    // src/ and dist/ both sit next to package.json.
    const pkg = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as { version?: unknown };
    return typeof pkg.version === 'string' ? pkg.version : 'unknown';
  } catch {
    return 'unknown';
  }
}
