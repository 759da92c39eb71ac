import { sharedClusterSeeds } from './shared-cluster';
import { testEnv } from './test-env';
import { testRedisUrl } from './test-redis';
import type { RedisTargetInfo } from './redis-target-info';

/** Set by jest's global setup: the dir of the run's shared cluster (see shared-cluster.ts). */
export const TEST_CLUSTER_DIR_VAR = 'INFERQ_TEST_CLUSTER_DIR';
/** Set by the global setup instead when it cannot start a cluster (redis-server missing): the reason. */
export const TEST_CLUSTER_SKIP_VAR = 'INFERQ_TEST_CLUSTER_SKIP';

/** A Redis the pipeline suites run against: the shared standalone Redis, or the run's local 3-master cluster. */
export interface RedisTestTarget {
  name: 'standalone' | 'cluster';
  /** Why this target cannot run here (no redis-server), so the suite skips it saying so. */
  skip?: string;
  /** Waits until the target is up (the cluster starts in the background) and says how to reach it. */
  ready(): Promise<RedisTargetInfo>;
}

const standalone: RedisTestTarget = {
  name: 'standalone',
  ready: () =>
    Promise.resolve({ env: { REDIS_URL: testRedisUrl() }, nodes: [], connection: { REDIS_URL: testRedisUrl() } }),
};

function clusterTarget(): RedisTestTarget {
  const env = testEnv();
  const dir = env[TEST_CLUSTER_DIR_VAR];
  if (!dir) {
    const skip = env[TEST_CLUSTER_SKIP_VAR] ?? `${TEST_CLUSTER_DIR_VAR} is unset (run the tests through jest)`;
    return { name: 'cluster', skip, ready: () => Promise.reject(new Error(skip)) };
  }
  return {
    name: 'cluster',
    ready: async () => {
      const seeds = await sharedClusterSeeds(dir);
      const nodes = seeds.split(',');
      const parsed = nodes.map((n) => ({ host: n.split(':')[0] ?? '127.0.0.1', port: Number(n.split(':')[1]) }));
      return {
        env: { REDIS_URL: testRedisUrl(), REDIS_CLUSTER_NODES: seeds },
        nodes,
        connection: { REDIS_URL: testRedisUrl(), REDIS_CLUSTER_NODES: parsed },
      };
    },
  };
}

/**
 * Both targets, for `describe.each`: standalone, and the 3-master cluster
 * jest's global setup starts once per run (scripts/jest-global-setup.js).
 * Without redis-server the cluster is marked skipped; under CI=true the
 * setup refuses to go on instead.
 */
export function redisTargets(): RedisTestTarget[] {
  return [standalone, clusterTarget()];
}

/**
 * `describe` once per target, titled `<title> on <target>`. A target that
 * cannot run here, or that `skip` names with a reason (a target the product
 * does not support yet), is skipped with the reason in its title.
 */
export function describeOnTargets(
  title: string,
  suite: (target: RedisTestTarget) => void,
  opts: { skip?: Partial<Record<RedisTestTarget['name'], string>> } = {},
): void {
  for (const target of redisTargets()) {
    const skip = target.skip ?? opts.skip?.[target.name];
    if (skip) describe.skip(`${title} on ${target.name} (skipped: ${skip})`, () => suite(target));
    else describe(`${title} on ${target.name}`, () => suite(target));
  }
}
