import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';

/**
 * The chaos suite's own redis-server: durable the way production must be
 * (AOF with `appendfsync always`, noeviction), on its own port and data dir,
 * so killing it never touches the shared Redis other suites use.
 */
export interface ChaosRedis {
  port: number;
  dir: string;
}

/** Where the global setup put the server (it passes these to the test files through env). */
export function chaosRedis(): ChaosRedis {
  const port = Number(process.env.CHAOS_REDIS_PORT);
  const dir = process.env.CHAOS_REDIS_DIR;
  if (!port || !dir) throw new Error('CHAOS_REDIS_PORT/CHAOS_REDIS_DIR unset: run through `npm run chaos`');
  return { port, dir };
}

export function chaosRedisUrl(r: ChaosRedis = chaosRedis()): string {
  return `redis://127.0.0.1:${r.port}`;
}

/** Sends PING on a raw socket: true on +PONG (LOADING while the AOF replays is not ready yet). */
export function pingRedis(port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = connect({ host: '127.0.0.1', port });
    const done = (ok: boolean): void => {
      sock.destroy();
      resolve(ok);
    };
    sock.setTimeout(timeoutMs, () => done(false));
    sock.on('error', () => done(false));
    sock.on('connect', () => sock.write('PING\r\n'));
    sock.on('data', (d) => done(d.toString().startsWith('+PONG')));
  });
}

/** Starts (or restarts, on the same AOF) the server and waits until it answers PING. */
export async function startRedisServer(r: ChaosRedis): Promise<void> {
  const args = [
    '--port',
    String(r.port),
    '--bind',
    '127.0.0.1',
    '--dir',
    r.dir,
    '--appendonly',
    'yes',
    '--appendfsync',
    'always',
    '--save',
    '',
    '--maxmemory-policy',
    'noeviction',
    '--daemonize',
    'yes',
    '--pidfile',
    join(r.dir, 'redis.pid'),
    '--logfile',
    join(r.dir, 'redis.log'),
  ];
  const res = spawnSync('redis-server', args, { stdio: 'ignore' });
  if (res.status !== 0)
    throw new Error(`redis-server failed to start (exit ${String(res.status)}); see ${r.dir}/redis.log`);
  for (let i = 0; i < 200; i++) {
    if (await pingRedis(r.port)) return;
    await new Promise((res2) => setTimeout(res2, 50));
  }
  throw new Error(`redis-server on port ${r.port} does not answer; see ${r.dir}/redis.log`);
}

/** SIGKILLs the server, as a crash would; resolves once the port no longer answers. */
export async function killRedisServer(r: ChaosRedis): Promise<void> {
  const pidFile = join(r.dir, 'redis.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').trim());
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    return; // already gone
  }
  // A SIGKILLed daemon leaves its pidfile; wait for the process itself to vanish.
  for (let i = 0; i < 200; i++) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    await new Promise((res) => setTimeout(res, 25));
  }
  throw new Error(`redis-server ${pid} survived SIGKILL`);
}
