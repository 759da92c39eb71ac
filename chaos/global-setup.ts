import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { startRedisServer } from './support/chaos-redis';

/** A free port on 127.0.0.1 (jest resolves global setup without the @inferq/* mapping, so no testkit here). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => resolve(typeof addr === 'object' && addr ? addr.port : 0));
    });
  });
}

/**
 * Starts the chaos suite's own durable redis-server on a free port and hands
 * its port and data dir to the test files (env is inherited), plus the file
 * the figures are collected in for the summary reporter.
 */
export default async function globalSetup(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'inferq-chaos-redis-'));
  const port = await freePort();
  await startRedisServer({ port, dir });
  // Outside the Redis dir: the reporter reads it after the teardown may have removed that.
  const figures = join(mkdtempSync(join(tmpdir(), 'inferq-chaos-figures-')), 'figures.txt');
  writeFileSync(figures, '');
  process.env.CHAOS_REDIS_PORT = String(port);
  process.env.CHAOS_REDIS_DIR = dir;
  process.env.CHAOS_FIGURES_FILE = figures;
  process.env.REDIS_URL = `redis://127.0.0.1:${port}`;
}
