import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { appPid, dropPrefix, freePort, spawnApp, testPrefix, testRedisUrl } from '@inferq/testkit';
import type { SpawnedApp } from '@inferq/testkit';

/**
 * MAX_BODY_BYTES through the real `npm run start:api` process at its default
 * (8 MB): a body over it gets 413 as soon as that is known, and the api's
 * memory does not grow by the body's size. A 64 MB body is sent eight times,
 * with Content-Length and chunked; the api's resident memory is read from
 * /proc before and after.
 */
const prefix = testPrefix('body-limit');
const KEY = 'body-limit-test-key-0001';
const MB = 1024 * 1024;
let app: SpawnedApp;
let port: number;

beforeAll(async () => {
  port = await freePort();
  app = spawnApp('start:api', {
    REDIS_URL: testRedisUrl(),
    QUEUE_PREFIX: prefix,
    HOST: '127.0.0.1',
    PORT: String(port),
    API_KEYS: `acme:${KEY}`,
    LOG_LEVEL: 'info',
  });
  await app.waitForOutput(/api listening/, 30_000);
}, 40_000);
afterAll(async () => {
  app.kill('SIGKILL');
  await app.exited;
  await dropPrefix(prefix);
});

/** Resident memory of the api process (bytes), from /proc. */
function rss(): number {
  const status = readFileSync(`/proc/${appPid(app)}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) * 1024;
}

/**
 * POSTs a JSON job whose prompt makes the body `bytes` long, generated chunk
 * by chunk (the test holds none of it). Resolves with the status and how many
 * bytes had been sent when the answer arrived.
 */
function post(bytes: number, chunked: boolean): Promise<{ status: number | string; sentWhenAnswered: number }> {
  const head = Buffer.from('{"model":"sim/echo","input":{"prompt":"');
  const tail = Buffer.from('"}}');
  const chunk = Buffer.alloc(64 * 1024, 'x');
  return new Promise((resolve) => {
    let sent = 0;
    let answered = false;
    const req = request({
      port,
      host: '127.0.0.1',
      method: 'POST',
      path: '/v1/jobs',
      headers: {
        authorization: `Bearer ${KEY}`,
        'content-type': 'application/json',
        ...(chunked ? {} : { 'content-length': String(bytes) }),
      },
    });
    req.on('response', (res) => {
      answered = true;
      const sentWhenAnswered = sent;
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, sentWhenAnswered }));
    });
    // Writes after the api hung up fail; only a missing answer is a failure.
    req.on('error', (err: NodeJS.ErrnoException) => {
      if (!answered) resolve({ status: err.code ?? 'error', sentWhenAnswered: sent });
    });
    const write = (b: Buffer): boolean => {
      sent += b.length;
      return req.write(b);
    };
    const pump = (): void => {
      if (sent === 0) write(head);
      while (!answered && !req.destroyed && sent < bytes - tail.length) {
        const n = Math.min(chunk.length, bytes - tail.length - sent);
        if (!write(n === chunk.length ? chunk : chunk.subarray(0, n))) return void req.once('drain', pump);
      }
      if (!answered && !req.destroyed) req.end(tail);
    };
    pump();
  });
}

it('answers 413 to a body just over 8 MB, and 202 to one just under', async () => {
  expect((await post(8 * MB + 1, false)).status).toBe(413);
  expect((await post(8 * MB + 1, true)).status).toBe(413);
  expect((await post(8 * MB - 64 * 1024, false)).status).toBe(202);
}, 60_000);

it('answers 413 to 64 MB bodies before they are read whole, without growing by their size', async () => {
  await post(64 * MB, true); // warm-up: buffers and code paths the api keeps anyway
  const before = rss();
  for (let i = 0; i < 8; i++) {
    const { status, sentWhenAnswered } = await post(64 * MB, i % 2 === 0);
    expect(status).toBe(413);
    // Answered before the client was done: with Content-Length at once, chunked once 8 MB had come. How
    // far the client got meanwhile is timing (the api drops what still comes for 2 s after answering, and a
    // loaded machine answers later: 55 MB was seen once), so only "before the end" is asserted.
    expect(sentWhenAnswered).toBeLessThan(64 * MB - '"}}'.length); // the whole body but its closing tail
  }
  const grown = rss() - before;
  // 512 MB went to the api; its resident memory may move by buffers, never by the bodies' size.
  expect(grown).toBeLessThan(32 * MB);
  // Still serving.
  expect((await post(1024, false)).status).toBe(202);
}, 120_000);
