// Finds a Redis for npm start / npm test: REDIS_URL, else 127.0.0.1:6379,
// else a local redis-server from PATH (AOF under .data/redis), else a clear
// message. Plain Node, no dependencies: it runs before `pnpm install`.
'use strict';
const net = require('node:net');
const fs = require('node:fs');
const path = require('node:path');
const { spawn, spawnSync } = require('node:child_process');

const DEFAULT_URL = 'redis://127.0.0.1:6379';

/** Sends PING over a raw socket; resolves true on +PONG (or an auth error, which still means a server). */
function ping(url, timeoutMs = 1000) {
  return new Promise((resolve) => {
    let u;
    try {
      u = new URL(url);
    } catch {
      return resolve(false);
    }
    const sock = net.connect({ host: u.hostname || '127.0.0.1', port: Number(u.port || 6379) });
    const done = (ok) => {
      sock.destroy();
      resolve(ok);
    };
    sock.setTimeout(timeoutMs, () => done(false));
    sock.on('error', () => done(false));
    sock.on('connect', () => sock.write('PING\r\n'));
    sock.on('data', (d) => done(/^(\+PONG|-NOAUTH|-ERR)/.test(d.toString())));
  });
}

function hasRedisServer() {
  return spawnSync('sh', ['-c', 'command -v redis-server'], { stdio: 'ignore' }).status === 0;
}

async function startLocal(root, port) {
  const dir = path.join(root, '.data', 'redis');
  fs.mkdirSync(dir, { recursive: true });
  const child = spawn(
    'redis-server',
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--dir',
      dir,
      '--appendonly',
      'yes',
      '--maxmemory-policy',
      'noeviction',
      '--save',
      '',
      '--daemonize',
      'yes',
      '--logfile',
      path.join(dir, 'redis.log'),
      '--pidfile',
      path.join(dir, 'redis.pid'),
    ],
    { stdio: 'ignore' },
  );
  await new Promise((r) => child.on('exit', r));
  const url = `redis://127.0.0.1:${port}`;
  for (let i = 0; i < 50; i++) {
    if (await ping(url)) return url;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`started redis-server on port ${port} but it does not answer; see ${dir}/redis.log`);
}

const HOW_TO_GET_REDIS = [
  'inferq needs Redis 6.2+ and found none.',
  '  - set REDIS_URL=redis://host:port to use an existing server, or',
  '  - install redis-server (Debian/Ubuntu: sudo apt-get install -y redis-server; macOS: brew install redis)',
  '    and run this command again: it starts one itself with AOF under .data/redis, or',
  '  - docker compose up redis',
].join('\n');

/** Resolves the Redis URL to use, starting a local server if that is the only way. */
async function ensureRedis(root, env = process.env) {
  if (env.REDIS_URL) {
    if (await ping(env.REDIS_URL)) return env.REDIS_URL;
    throw new Error(`REDIS_URL=${env.REDIS_URL} does not answer PING.\n${HOW_TO_GET_REDIS}`);
  }
  if (await ping(DEFAULT_URL)) return DEFAULT_URL;
  if (hasRedisServer()) return startLocal(root, 6379);
  throw new Error(HOW_TO_GET_REDIS);
}

module.exports = { ensureRedis, ping, DEFAULT_URL };
