import { request } from 'node:http';
import type { ClientRequest, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLogger } from '@inferq/core';
import { AdminToken, BootstrapKeys } from '../auth';
import { defineRoute } from '../route';
import { createExpressApp } from './express-adapter';

// ctx.signal is made on first read (most requests never read it): it must still abort when the client
// leaves while the handler waits, and be aborted at once when first read after the client left.
type Probe = { entered: Promise<void>; outcome: Promise<string> };
let enter: () => void = () => undefined;
let settle: (how: string) => void = () => undefined;
let gone: Promise<void> = Promise.resolve();
function probe(): Probe {
  const entered = new Promise<void>((resolve) => (enter = resolve));
  const outcome = new Promise<string>((resolve) => (settle = resolve));
  return { entered, outcome };
}

const app = createExpressApp({
  logger: createLogger('silent', 'test'),
  maxBodyBytes: 1024,
  auth: { tenants: new BootstrapKeys([]), admin: new AdminToken(undefined) },
  routes: [
    defineRoute({
      method: 'GET',
      path: '/wait',
      auth: 'none',
      handler: async (ctx) => {
        const signal = ctx.signal;
        enter();
        await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
        settle('aborted while waiting');
        return { status: 200, body: {} };
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/late',
      auth: 'none',
      handler: async (ctx) => {
        enter();
        await gone;
        settle(ctx.signal.aborted ? 'aborted on first read' : 'not aborted');
        return { status: 200, body: {} };
      },
    }),
  ],
});
let server: Server;
let port: number;

beforeAll(async () => {
  server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

function get(path: string): ClientRequest {
  const req = request({ port, host: '127.0.0.1', path });
  req.on('error', () => undefined);
  req.end();
  return req;
}

it('aborts the signal of a waiting handler when its client goes away', async () => {
  const { entered, outcome } = probe();
  const req = get('/wait');
  await entered;
  req.destroy();
  await expect(outcome).resolves.toBe('aborted while waiting');
});

it('hands an aborted signal to a handler that first reads it after its client left', async () => {
  const { entered, outcome } = probe();
  let left: () => void = () => undefined;
  gone = new Promise((resolve) => (left = resolve));
  const req = get('/late');
  await entered;
  req.destroy();
  // The server sees the hang-up as the socket's close: give it a moment before the handler reads.
  await new Promise((resolve) => setTimeout(resolve, 200));
  left();
  await expect(outcome).resolves.toBe('aborted on first read');
});
