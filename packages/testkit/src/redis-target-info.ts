// Its own module (types only) so that test-redis.ts and redis-targets.ts need not import each other.

/** Where a target's Redis is, once it is up. */
export interface RedisTargetInfo {
  /** What an app's env needs to reach it: REDIS_URL, and REDIS_CLUSTER_NODES on the cluster. */
  env: Record<string, string>;
  /** The cluster's masters (`127.0.0.1:port`); empty on standalone. */
  nodes: string[];
  /** The same parsed, as the store's `createRedis` takes it (REDIS_CLUSTER_NODES as host and port). */
  connection: { REDIS_URL: string; REDIS_CLUSTER_NODES?: { host: string; port: number }[] };
}
