import { rmSync } from 'node:fs';
import { killRedisServer } from './support/chaos-redis';

/** Stops the chaos redis-server and removes its data dir (the figures were printed by then). */
export default async function globalTeardown(): Promise<void> {
  const port = Number(process.env.CHAOS_REDIS_PORT);
  const dir = process.env.CHAOS_REDIS_DIR;
  if (!port || !dir) return;
  await killRedisServer({ port, dir });
  rmSync(dir, { recursive: true, force: true });
}
