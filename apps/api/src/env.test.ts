import { ConfigError } from '@inferq/core';
import { loadApiConfig } from './env';

const problemsOf = (env: Record<string, string>): string[] => {
  try {
    loadApiConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error('expected a ConfigError');
};

describe('ApiEnv', () => {
  it('applies the defaults of SPEC section 3', () => {
    const c = loadApiConfig({});
    expect(c).toMatchObject({
      PORT: 3000,
      HOST: '0.0.0.0',
      API_KEYS: [],
      MAX_BODY_BYTES: 1024 * 1024,
      RATE_LIMIT_RPM: 6000,
      MAX_QUEUED_PER_TENANT: 10000,
      QUEUE_PREFIX: 'inferq',
    });
    expect(c.ADMIN_TOKEN).toBeUndefined();
  });

  it('parses keys, sizes and the port', () => {
    const c = loadApiConfig({
      PORT: '0',
      API_KEYS: 'a:aaaaaaaaaaaaaaaa, b:bbbbbbbbbbbbbbbb',
      MAX_BODY_BYTES: '64kb',
      ADMIN_TOKEN: 'x',
    });
    expect(c.PORT).toBe(0);
    expect(c.API_KEYS).toEqual([
      { tenant: 'a', key: 'aaaaaaaaaaaaaaaa' },
      { tenant: 'b', key: 'bbbbbbbbbbbbbbbb' },
    ]);
    expect(c.MAX_BODY_BYTES).toBe(65536);
    expect(c.ADMIN_TOKEN).toBe('x');
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['API_KEYS', 'nocolon'],
    ['API_KEYS', 'a:short'],
    ['MAX_BODY_BYTES', 'lots'],
    ['RATE_LIMIT_RPM', '0'],
    ['RATE_LIMIT_RPM', '-5'],
    ['MAX_QUEUED_PER_TENANT', '1.5'],
    ['REDIS_URL', 'http://x'],
  ])('refuses %s=%s, naming the variable', (name, value) => {
    const problems = problemsOf({ [name]: value });
    expect(problems.some((p) => p.startsWith(`${name}:`))).toBe(true);
  });

  it('refuses one key given to two tenants', () => {
    expect(problemsOf({ API_KEYS: 'a:aaaaaaaaaaaaaaaa,b:aaaaaaaaaaaaaaaa' })[0]).toMatch(/^API_KEYS:/);
  });
});
