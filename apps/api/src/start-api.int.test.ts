import { dropPrefix, testPrefix } from '@inferq/testkit';
import { startApiOver } from './test/harness';

const prefix = testPrefix('start-api');
afterAll(() => dropPrefix(prefix));

it('refuses to start on a port another server holds, and a fresh api takes one and answers', async () => {
  const first = await startApiOver(prefix);
  try {
    await expect(startApiOver(prefix, { PORT: String(first.api.port) })).rejects.toMatchObject({ code: 'EADDRINUSE' });
    await first.http.get('/healthz').expect(200);
  } finally {
    await first.api.close();
  }
});
