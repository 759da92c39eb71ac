import { AUTH_ACME, AUTH_GLOBEX, KEY_ACME, startTestApi, validJob } from '../test/harness';
import type { TestApi } from '../test/harness';
import { AUTH_ADMIN, ADMIN_TOKEN, bearer, call } from '../test/tenancy-fixtures';

/**
 * Every route of the table (new routes are covered as they are added) against
 * every kind of wrong caller. Tenant routes with a job id must answer another
 * tenant's job exactly as a job that does not exist.
 */
let t: TestApi;
let jobId: string;
let revokedKey: string;
let keyId: string;
const MISSING_JOB = 'job_01ARZ3NDEKTSV4RRFFQ69G5FAV';

beforeAll(async () => {
  t = await startTestApi('api-authz', { ADMIN_TOKEN });
  jobId = (await t.http.post('/v1/jobs').set(AUTH_ACME).send(validJob).expect(202)).body.id;
  const made = await t.http.post('/v1/admin/keys').set(AUTH_ADMIN).send({ tenant: 'acme' }).expect(201);
  revokedKey = made.body.key;
  await t.http.delete(`/v1/admin/keys/${made.body.id}`).set(AUTH_ADMIN).expect(204);
  keyId = (await t.http.post('/v1/admin/keys').set(AUTH_ADMIN).send({ tenant: 'globex' }).expect(201)).body.id;
});
afterAll(() => t.close());

const routes = () => t.api.routes;
const fill = (path: string, job = jobId): string =>
  path.startsWith('/v1/admin/keys/')
    ? path.replace('{id}', keyId)
    : path.replace('{id}', job).replace('{tenant}', 'acme');

const WRONG_CALLERS: Array<[string, () => Record<string, string>]> = [
  ['no key', () => ({})],
  ['a malformed header', () => ({ Authorization: `Token ${KEY_ACME}` })],
  ['an unknown key', () => bearer(`iq_${'A'.repeat(43)}`)],
  ['a revoked key', () => bearer(revokedKey)],
];

describe('auth matrix over the route table', () => {
  it('covers the routes of SPEC section 4 and this issue', () => {
    const names = routes().map((r) => `${r.method} ${r.path}`);
    expect(names).toEqual(
      expect.arrayContaining([
        'POST /v1/jobs',
        'GET /v1/jobs/{id}',
        'POST /v1/jobs/{id}/cancel',
        'GET /v1/usage',
        'POST /v1/admin/keys',
        'DELETE /v1/admin/keys/{id}',
      ]),
    );
    expect(
      routes()
        .filter((r) => r.path.startsWith('/v1/'))
        .every((r) => r.auth !== 'none'),
    ).toBe(true);
  });

  it('answers 401 to every wrong caller on every authenticated route', async () => {
    for (const r of routes().filter((x) => x.auth !== 'none')) {
      const callers = [...WRONG_CALLERS];
      callers.push(r.auth === 'tenant' ? ['the admin token', () => AUTH_ADMIN] : ['a tenant key', () => AUTH_ACME]);
      for (const [who, headers] of callers) {
        const res = await call(t.http, r.method, fill(r.path))
          .set(headers())
          .send(r.method === 'GET' ? undefined : {});
        expect([`${r.method} ${r.path} with ${who}`, res.status]).toEqual([`${r.method} ${r.path} with ${who}`, 401]);
        expect(res.body.error.code).toBe('unauthorized');
      }
    }
  });

  it("answers another tenant's job exactly as a missing one, on every route with a job id", async () => {
    const jobRoutes = routes().filter((r) => r.auth === 'tenant' && r.path.includes('{id}'));
    expect(jobRoutes.length).toBeGreaterThanOrEqual(2);
    for (const r of jobRoutes) {
      const other = await call(t.http, r.method, fill(r.path))
        .set(AUTH_GLOBEX)
        .send(r.method === 'GET' ? undefined : {});
      const missing = await call(t.http, r.method, fill(r.path, MISSING_JOB))
        .set(AUTH_GLOBEX)
        .send(r.method === 'GET' ? undefined : {});
      const name = `${r.method} ${r.path}`;
      expect([name, other.status]).toEqual([name, 404]);
      expect(other.status).toBe(missing.status);
      expect(JSON.stringify(other.body).replaceAll(jobId, 'ID')).toBe(
        JSON.stringify(missing.body).replaceAll(MISSING_JOB, 'ID'),
      );
      expect(Object.keys(other.headers).sort()).toEqual(Object.keys(missing.headers).sort());
    }
    // Nothing another tenant did touched the job.
    const own = await t.http.get(`/v1/jobs/${jobId}`).set(AUTH_ACME).expect(200);
    expect(own.body.status).toBe('queued');
  });

  it("never lists or counts another tenant's data", async () => {
    // A finished acme job counts in acme's usage only.
    const done = (await t.http.post('/v1/jobs').set(AUTH_ACME).send(validJob).expect(202)).body.id;
    await t.store.start(done, 1);
    await t.store.succeed(done, 'acme', {
      output: { text: 'x', finish_reason: 'stop' },
      usage: { input_tokens: 2, output_tokens: 1 },
      ttftMs: 1,
    });
    expect((await t.http.get('/v1/usage').set(AUTH_ACME).expect(200)).body.data).toHaveLength(1);
    const list = await t.http.get('/v1/jobs').set(AUTH_GLOBEX).expect(200);
    expect(list.body.data.map((r: { id: string }) => r.id)).not.toContain(jobId);
    const usage = await t.http.get('/v1/usage').set(AUTH_GLOBEX).expect(200);
    expect(usage.body.data).toEqual([]);
  });

  it('lets the admin token in on admin routes', async () => {
    for (const r of routes().filter((x) => x.auth === 'admin' && x.method === 'GET')) {
      await call(t.http, r.method, fill(r.path)).set(AUTH_ADMIN).expect(200);
    }
  });
});
