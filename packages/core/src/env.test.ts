import { ConfigError, parseEnv, SharedEnv } from './env';

const problemsOf = (env: Record<string, string>): string[] => {
  try {
    parseEnv(SharedEnv, env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error('expected a ConfigError');
};

describe('SharedEnv (the Redis variables every app shares)', () => {
  it('leaves REDIS_CLUSTER_NODES unset by default, so every process uses REDIS_URL', () => {
    const c = parseEnv(SharedEnv, {});
    expect(c.REDIS_CLUSTER_NODES).toBeUndefined();
    expect(c.REDIS_URL).toBe('redis://127.0.0.1:6379');
  });

  it('parses cluster seed nodes, host:port,host:port', () => {
    const c = parseEnv(SharedEnv, { REDIS_CLUSTER_NODES: 'redis-0.redis:6379, 10.0.0.2:7000,[::1]:7001' });
    expect(c.REDIS_CLUSTER_NODES).toEqual([
      { host: 'redis-0.redis', port: 6379 },
      { host: '10.0.0.2', port: 7000 },
      { host: '::1', port: 7001 },
    ]);
  });

  it.each(['redis-0', 'redis://a:6379', 'a:0', 'a:70000', 'a:6379,b', ' , '])(
    'refuses REDIS_CLUSTER_NODES=%s, naming it',
    (value) => {
      expect(problemsOf({ REDIS_CLUSTER_NODES: value })[0]).toMatch(/^REDIS_CLUSTER_NODES: /);
    },
  );

  it.each(['{inferq}', 'in{ferq', 'inferq}', 'a:b', ''.padEnd(65, 'x')])(
    'refuses QUEUE_PREFIX=%s, naming it',
    (value) => {
      expect(problemsOf({ QUEUE_PREFIX: value })).toEqual([expect.stringMatching(/^QUEUE_PREFIX: .*no \{ or \}/)]);
    },
  );

  it('takes a prefix of letters, digits, dots, dashes and underscores', () => {
    expect(parseEnv(SharedEnv, { QUEUE_PREFIX: 'prod.eu-1_inferq' }).QUEUE_PREFIX).toBe('prod.eu-1_inferq');
  });
});
