import { AUTH_ACME, startTestApi } from '../test/harness';
import type { TestApi } from '../test/harness';

describe('HTTP hygiene', () => {
  let plain: TestApi;
  let withCors: TestApi;
  beforeAll(async () => {
    plain = await startTestApi('api-hygiene');
    withCors = await startTestApi('api-cors', { CORS_ORIGINS: 'https://app.example, https://admin.example' });
  });
  afterAll(async () => {
    await plain.close();
    await withCors.close();
  });

  it("sends helmet's headers on answers and errors alike", async () => {
    for (const res of [
      await plain.http.get('/v1/models').set(AUTH_ACME).expect(200),
      await plain.http.get('/v1/models').expect(401),
    ]) {
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['strict-transport-security']).toMatch(/max-age=/);
      expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
      expect(res.headers['content-security-policy']).toBeDefined();
      expect(res.headers['x-powered-by']).toBeUndefined();
    }
  });

  it('keeps CORS off unless CORS_ORIGINS is set', async () => {
    const pre = await plain.http
      .options('/v1/jobs')
      .set('Origin', 'https://app.example')
      .set('Access-Control-Request-Method', 'POST');
    expect(pre.headers['access-control-allow-origin']).toBeUndefined();
    const get = await plain.http.get('/v1/models').set(AUTH_ACME).set('Origin', 'https://app.example').expect(200);
    expect(get.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('allows exactly the listed origins when set, exposing the rate limit headers', async () => {
    const pre = await withCors.http
      .options('/v1/jobs')
      .set('Origin', 'https://app.example')
      .set('Access-Control-Request-Method', 'POST')
      .set('Access-Control-Request-Headers', 'authorization,content-type,idempotency-key')
      .expect(204);
    expect(pre.headers['access-control-allow-origin']).toBe('https://app.example');
    expect(pre.headers['access-control-allow-headers']).toMatch(/idempotency-key/);
    const get = await withCors.http.get('/v1/models').set(AUTH_ACME).set('Origin', 'https://app.example').expect(200);
    expect(get.headers['access-control-expose-headers']).toMatch(/RateLimit-Remaining/);
    const other = await withCors.http
      .get('/v1/models')
      .set(AUTH_ACME)
      .set('Origin', 'https://evil.example')
      .expect(200);
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });
});
