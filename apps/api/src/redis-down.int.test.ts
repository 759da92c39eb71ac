import supertest from 'supertest';
import { loadApiConfig, startApi } from './index';
import type { StartedApi } from './index';

// An api whose Redis is not there: every request path that needs Redis is a
// 503 unavailable, never a hang or a 500. Port 1 refuses connections at once.
let api: StartedApi;
const KEY = 'acme_key_0123456789abcdef';
beforeAll(async () => {
  const config = loadApiConfig({
    REDIS_URL: 'redis://127.0.0.1:1',
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'silent',
    API_KEYS: `acme:${KEY}`,
  });
  api = await startApi(config);
});
afterAll(async () => {
  await api.close();
  // ioredis arms a 2 s disconnectTimeout timer when disconnecting a socket that
  // never connected; let it run out so jest exits cleanly.
  await new Promise((r) => setTimeout(r, 2100));
});

describe('Redis down', () => {
  it('reports not ready but alive', async () => {
    const http = supertest(api.url);
    await http.get('/healthz').expect(200);
    const res = await http.get('/readyz').expect(503);
    expect(res.body.error.code).toBe('unavailable');
  });

  it.each([
    ['submit', (h: supertest.Agent) => h.post('/v1/jobs').send({ model: 'sim/echo', input: { prompt: 'x' } })],
    ['read', (h: supertest.Agent) => h.get('/v1/jobs/job_01ARZ3NDEKTSV4RRFFQ69G5FAV')],
    ['list', (h: supertest.Agent) => h.get('/v1/jobs')],
    ['cancel', (h: supertest.Agent) => h.post('/v1/jobs/job_01ARZ3NDEKTSV4RRFFQ69G5FAV/cancel')],
  ])('answers %s with 503 unavailable and Retry-After', async (_name, call) => {
    const res = await call(supertest.agent(api.url)).set('Authorization', `Bearer ${KEY}`).expect(503);
    expect(res.body.error.code).toBe('unavailable');
    expect(res.headers['retry-after']).toBeDefined();
  });
});
