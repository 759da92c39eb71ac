import { createServer } from 'node:net';
import { freePort } from './free-port';

it('freePort returns a port one can listen on', async () => {
  const port = await freePort();
  expect(port).toBeGreaterThan(0);
  const srv = createServer();
  await new Promise<void>((resolve) => srv.listen(port, '127.0.0.1', resolve));
  await new Promise<void>((resolve) => srv.close(() => resolve()));
});
