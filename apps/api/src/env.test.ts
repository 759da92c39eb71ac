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
      MAX_BODY_BYTES: 8 * 1024 * 1024,
      PAYLOAD_RETENTION: 24 * 3600 * 1000,
      EVENTS_RETENTION: 60_000,
      JOB_RETENTION: 7 * 24 * 3600 * 1000,
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
    ['PAYLOAD_RETENTION', 'a day'],
    ['EVENTS_RETENTION', '-1s'],
    ['RATE_LIMIT_RPM', '0'],
    ['RATE_LIMIT_RPM', '-5'],
    ['MAX_QUEUED_PER_TENANT', '1.5'],
    ['REDIS_URL', 'http://x'],
  ])('refuses %s=%s, naming the variable', (name, value) => {
    const problems = problemsOf({ [name]: value });
    expect(problems.some((p) => p.startsWith(`${name}:`))).toBe(true);
  });

  it('parses the tenancy settings (issue #6)', () => {
    const d = loadApiConfig({});
    expect([d.DAILY_TOKEN_BUDGET, d.CACHE_TTL, d.CORS_ORIGINS]).toEqual([undefined, 86_400_000, []]);
    const c = loadApiConfig({
      DAILY_TOKEN_BUDGET: '50000',
      CACHE_TTL: '1h',
      CORS_ORIGINS: 'https://a.example, https://b.example',
    });
    expect([c.DAILY_TOKEN_BUDGET, c.CACHE_TTL, c.CORS_ORIGINS]).toEqual([
      50000,
      3_600_000,
      ['https://a.example', 'https://b.example'],
    ]);
    expect(problemsOf({ DAILY_TOKEN_BUDGET: '0' })[0]).toMatch(/^DAILY_TOKEN_BUDGET:/);
    expect(problemsOf({ CACHE_TTL: 'forever' })[0]).toMatch(/^CACHE_TTL:/);
  });

  it('refuses one key given to two tenants', () => {
    expect(problemsOf({ API_KEYS: 'a:aaaaaaaaaaaaaaaa,b:aaaaaaaaaaaaaaaa' })[0]).toMatch(/^API_KEYS:/);
  });
});
