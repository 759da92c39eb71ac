import supertest from 'supertest';
import { createLogger, UnavailableError } from '@inferq/core';
import { AdminToken, BootstrapKeys } from '../auth';
import { defineRoute } from '../route';
import { createExpressApp } from './express-adapter';

const logger = createLogger('silent', 'test');
const errorLog = jest.spyOn(logger, 'error');
// What the fail-fast ioredis connection throws while Redis is down.
const redisDown = new Error("Stream isn't writeable and enableOfflineQueue options is false");

const app = createExpressApp({
  logger,
  maxBodyBytes: 1024,
  auth: {
    tenants: new BootstrapKeys([{ tenant: 'acme', key: 'acme_key_0123456789' }]),
    admin: new AdminToken('admin-token-xyz'),
  },
  routes: [
    defineRoute({
      method: 'GET',
      path: '/boom',
      auth: 'none',
      handler: async () => {
        throw new Error('secret internals');
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/redis',
      auth: 'none',
      handler: async () => {
        throw redisDown;
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/busy',
      auth: 'none',
      handler: async () => {
        throw new UnavailableError();
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/admin',
      auth: 'admin',
      handler: async (ctx) => ({ status: 200, body: { who: ctx.tenant } }),
    }),
    defineRoute({
      method: 'GET',
      path: '/me/{id}',
      auth: 'tenant',
      handler: async (ctx) => ({ status: 200, body: { who: ctx.tenant } }),
    }),
  ],
});

describe('express adapter', () => {
  it('turns an unknown error into a 500 with an error id, logged, no stack or message', async () => {
    const res = await supertest(app).get('/boom').expect(500);
    expect(res.body.error.code).toBe('internal_error');
    const id = /id ([0-9a-f-]{36})/.exec(res.body.error.message)?.[1];
    expect(id).toBeDefined();
    expect(JSON.stringify(res.body)).not.toMatch(/secret internals|\.ts:\d+/);
    expect(errorLog).toHaveBeenCalledWith(expect.objectContaining({ errorId: id }), 'unhandled error');
  });

  it('maps an ioredis offline error to 503 unavailable', async () => {
    const res = await supertest(app).get('/redis').expect(503);
    expect(res.body.error.code).toBe('unavailable');
    expect(res.headers['retry-after']).toBe('1');
    await supertest(app).get('/busy').expect(503);
  });

  it('checks the admin token in constant time and refuses tenant keys there', async () => {
    await supertest(app).get('/admin').set('Authorization', 'Bearer admin-token-xyz').expect(200, { who: 'admin' });
    await supertest(app).get('/admin').set('Authorization', 'Bearer acme_key_0123456789').expect(401);
    await supertest(app).get('/admin').expect(401);
  });

  it('resolves a tenant key and mounts {param} paths', async () => {
    await supertest(app).get('/me/abc').set('Authorization', 'bearer acme_key_0123456789').expect(200, { who: 'acme' });
  });
});
