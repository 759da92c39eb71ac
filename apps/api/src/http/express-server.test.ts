import type { AddressInfo } from 'node:net';
import express from 'express';
import type { Request, Response } from 'express';
import supertest from 'supertest';
import { expressServer } from './express-server';

const seen: Array<{ req: Request; res: Response }> = [];
const app = express();
app.use((req, res) => {
  seen.push({ req, res });
  res.status(200).json({ path: req.path, query: req.query });
});
const server = expressServer(app);
const setPrototypeOf = Object.setPrototypeOf.bind(Object);
/** Each Object.setPrototypeOf call: whether it changed the prototype the object had. */
const swaps: Array<{ target: unknown; changed: boolean }> = [];

beforeAll(() => new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve)));
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  swaps.length = 0;
  jest.spyOn(Object, 'setPrototypeOf').mockImplementation((target: object, proto: object | null) => {
    swaps.push({ target, changed: Object.getPrototypeOf(target) !== proto });
    return setPrototypeOf(target, proto) as object;
  });
});
afterEach(() => jest.restoreAllMocks());

const changedOn = (objects: unknown[]) => swaps.filter((s) => objects.includes(s.target)).map((s) => s.changed);

describe('expressServer', () => {
  it("creates requests and responses with Express's prototypes: Express's per-request swap changes nothing", async () => {
    const { port } = server.address() as AddressInfo;
    const res = await fetch(`http://127.0.0.1:${port}/a?x=1`);
    expect(await res.json()).toEqual({ path: '/a', query: { x: '1' } });
    const { req, res: out } = seen[seen.length - 1];
    expect(changedOn([req, out])).toEqual([false, false]);
  });

  it("still gives a plain server's requests and responses Express's, swapped in", async () => {
    await supertest(app)
      .get('/b?y=2')
      .expect(200, { path: '/b', query: { y: '2' } });
    const { req, res } = seen[seen.length - 1];
    expect(changedOn([req, res])).toEqual([true, true]);
  });
});
