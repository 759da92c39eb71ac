'use strict';
const path = require('node:path');
const { spawn, spawnSync } = require('node:child_process');
const { ensureRedis } = require('./redis');

// Jest transpiles this hook's requires with the project's transform, so the
// testkit's TypeScript cluster starter is used as is (one implementation).
const { stopRedisClusterAt } = require('../packages/testkit/src/redis-cluster.ts');
const { startSharedCluster } = require('../packages/testkit/src/shared-cluster.ts');
const { TEST_CLUSTER_DIR_VAR, TEST_CLUSTER_SKIP_VAR } = require('../packages/testkit/src/redis-targets.ts');

function hasRedisServer() {
  return spawnSync('sh', ['-c', 'command -v redis-server && command -v redis-cli'], { stdio: 'ignore' }).status === 0;
}

/**
 * The local 3-master Redis Cluster the pipeline suites also run on (SPEC
 * section 12): started once per jest run, in the background; test files find
 * it through the env. Without redis-server the cluster suites are skipped with
 * a message, except under CI=true, where that is an error.
 */
function startCluster() {
  if (!hasRedisServer()) {
    const why = 'redis-server/redis-cli not on PATH (apt-get install redis-server)';
    if (process.env.CI === 'true') throw new Error(`[inferq] ${why}; under CI=true the cluster target must run`);
    console.error(`[inferq] ${why}: the suites' cluster target is skipped`);
    process.env[TEST_CLUSTER_SKIP_VAR] = why;
    return;
  }
  const cluster = startSharedCluster();
  process.env[TEST_CLUSTER_DIR_VAR] = cluster.dir;
  globalThis.inferqTestCluster = cluster; // for the teardown (same process)
  // The teardown stops it; these cover a jest that exits without it, or is killed.
  process.once('exit', () => stopRedisClusterAt(cluster.dir));
  watchdog(cluster.dir);
}

/** A detached shell that kills the nodes once this jest process is gone, even SIGKILLed. */
function watchdog(dir) {
  const script = [
    `while kill -0 ${process.pid} 2>/dev/null; do sleep 2; done`,
    `for f in '${dir}'/*/redis.pid; do [ -f "$f" ] && kill -9 "$(cat "$f")" 2>/dev/null; done`,
    `rm -rf '${dir}'`,
  ].join('; ');
  spawn('sh', ['-c', script], { detached: true, stdio: 'ignore' }).unref();
}

// Every suite talks to a real Redis; each test file uses its own key prefix.
module.exports = async function globalSetup() {
  process.env.REDIS_URL = await ensureRedis(path.resolve(__dirname, '..'));
  startCluster();
};
