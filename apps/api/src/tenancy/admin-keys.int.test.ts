import { KEY_ACME, KEY_GLOBEX, AUTH_ACME, startTestApi, validJob } from '../test/harness';
import type { TestApi } from '../test/harness';
import { AUTH_ADMIN, ADMIN_TOKEN, bearer, dumpPrefix, startPeerApi } from '../test/tenancy-fixtures';
import { waitFor } from '@inferq/testkit';

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi('api-keys', { ADMIN_TOKEN });
});
afterAll(() => t.close());

const createKey = async (tenant: string) =>
  (await t.http.post('/v1/admin/keys').set(AUTH_ADMIN).send({ tenant }).expect(201)).body as {
    id: string;
    tenant: string;
    key: string;
    created_at: string;
  };

describe('admin API keys', () => {
  it('creates a key shown once, iq_-prefixed with 32 random bytes, that authenticates as its tenant', async () => {
    const created = await createKey('acme');
    expect(created.id).toMatch(/^key_[0-9a-f]{24}$/);
    expect(created.tenant).toBe('acme');
    expect(created.key).toMatch(/^iq_[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(created.key.slice(3), 'base64url')).toHaveLength(32);
    expect(created.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);

    // Same tenant as the bootstrap key: it sees acme's jobs.
    const { body: job } = await t.http.post('/v1/jobs').set(bearer(created.key)).send(validJob).expect(202);
    const list = await t.http.get('/v1/jobs').set(AUTH_ACME).expect(200);
    expect(list.body.data.map((r: { id: string }) => r.id)).toContain(job.id);
  });

  it('lists ids and tenants, never a key, filtered by tenant on request', async () => {
    const a = await createKey('acme');
    const b = await createKey('globex');
    const res = await t.http.get('/v1/admin/keys').set(AUTH_ADMIN).expect(200);
    expect(JSON.stringify(res.body)).not.toContain(a.key);
    expect(JSON.stringify(res.body)).not.toContain(b.key);
    expect(res.body.data).toEqual(
      expect.arrayContaining([
        { id: a.id, tenant: 'acme', created_at: a.created_at },
        { id: b.id, tenant: 'globex', created_at: b.created_at },
      ]),
    );
    const onlyGlobex = await t.http.get('/v1/admin/keys?tenant=globex').set(AUTH_ADMIN).expect(200);
    expect(onlyGlobex.body.data.map((k: { tenant: string }) => k.tenant)).toEqual(['globex']);
  });

  it('revokes at once: 204, then the key is 401 and a second delete is 404', async () => {
    const k = await createKey('acme');
    await t.http.get('/v1/models').set(bearer(k.key)).expect(200);
    await t.http.delete(`/v1/admin/keys/${k.id}`).set(AUTH_ADMIN).expect(204);
    const res = await t.http.get('/v1/models').set(bearer(k.key)).expect(401);
    expect(res.body.error.code).toBe('unauthorized');
    await t.http.delete(`/v1/admin/keys/${k.id}`).set(AUTH_ADMIN).expect(404);
    await t.http.delete('/v1/admin/keys/not-a-key-id').set(AUTH_ADMIN).expect(404);
  });

  it('revokes across api processes through pub/sub, well before any cache would expire', async () => {
    const peer = await startPeerApi(t.prefix);
    try {
      const k = await createKey('acme');
      // The peer has looked the key up and cached it.
      await peer.http.get('/v1/models').set(bearer(k.key)).expect(200);
      await t.http.delete(`/v1/admin/keys/${k.id}`).set(AUTH_ADMIN).expect(204);
      const started = Date.now();
      await waitFor(
        async () => ((await peer.http.get('/v1/models').set(bearer(k.key))).status === 401 ? true : undefined),
        3000,
      );
      // KEY_CACHE_MS is 5 s: a refusal this early is the invalidation message at work.
      expect(Date.now() - started).toBeLessThan(3000);
    } finally {
      await peer.api.close();
    }
  });

  it.each([
    ['no tenant', {}],
    ['a bad tenant', { tenant: 'Not A Tenant' }],
    ['an unknown field', { tenant: 'acme', scopes: ['all'] }],
  ])('refuses a create with %s (400)', async (_name, body) => {
    const res = await t.http.post('/v1/admin/keys').set(AUTH_ADMIN).send(body).expect(400);
    expect(res.body.error.code).toBe('validation_error');
  });

  it('stores no key in plain text anywhere in Redis', async () => {
    const made = [await createKey('acme'), await createKey('globex')];
    await t.http.get('/v1/jobs').set(bearer(made[0].key)).expect(200);
    const secrets = [...made.map((k) => k.key), KEY_ACME, KEY_GLOBEX, ADMIN_TOKEN];
    const everything = await dumpPrefix(t.prefix);
    expect(everything.length).toBeGreaterThan(10);
    // The digests are there (the scan sees the key store), the keys are not.
    expect(everything.join('\n')).toContain(made[0].id);
    for (const secret of secrets) {
      for (const text of everything) expect(text.includes(secret)).toBe(false);
    }
  });
});
