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
 * by chunk (the test holds none of it). With `holdAt`, it stops there until
 * the answer comes (10 s at most), then sends the rest all the same (the api
 * must drop it): an answer that came while the client held the rest came
 * before the body was whole, whatever the machine's speed. Resolves with the
 * status and how many bytes had been sent when the answer arrived.
 */
function post(
  bytes: number,
  chunked: boolean,
  holdAt = bytes,
): Promise<{ status: number | string; sentWhenAnswered: number }> {
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
    let held = false;
    const pump = (): void => {
      if (sent === 0) write(head);
      // A held post goes on after its answer (the api must drop the rest); the others stop there.
      const going = () => !req.destroyed && (!answered || held);
      while (going() && sent < bytes - tail.length) {
        if (!held && sent >= holdAt) {
          held = true;
          const resume = setTimeout(pump, 10_000);
          return void req.once('response', () => (clearTimeout(resume), setImmediate(pump)));
        }
        const room = held ? Infinity : holdAt - sent;
        const n = Math.min(chunk.length, bytes - tail.length - sent, room);
        if (!write(n === chunk.length ? chunk : chunk.subarray(0, n))) return void req.once('drain', pump);
      }
      if (going()) req.end(tail);
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
    // The client holds the rest of the body at 16 MB until answered: with Content-Length the api answers
    // at once, chunked once 8 MB have come; either way before the body could have been read whole.
    const { status, sentWhenAnswered } = await post(64 * MB, i % 2 === 0, 16 * MB);
    expect(status).toBe(413);
    expect(sentWhenAnswered).toBeLessThanOrEqual(16 * MB);
  }
  const grown = rss() - before;
  // 512 MB went to the api; its resident memory may move by buffers, never by the bodies' size.
  expect(grown).toBeLessThan(32 * MB);
  // Still serving.
  expect((await post(1024, false)).status).toBe(202);
}, 120_000);
