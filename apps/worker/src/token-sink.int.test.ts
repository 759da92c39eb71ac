import { createLogger, JobRequest, newJobId } from '@inferq/core';
import { createRedis, JobEventLog, JobStore } from '@inferq/store';
import { dropPrefix, testPrefix, testRedisUrl } from '@inferq/testkit';
import { TokenSink } from './token-sink';

const prefix = testPrefix('token-sink');
const redis = createRedis(testRedisUrl(), 'blocking');
const store = new JobStore(redis, { prefix, retentionMs: 60_000 });
const events = new JobEventLog(redis, { prefix });
const log = createLogger('silent', 'test');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function runningJob(): Promise<string> {
  const id = newJobId('default');
  const request = JobRequest.parse({ model: 'sim/echo', input: { prompt: 'x' } });
  await store.create({ id, tenant: 't1', pool: 'default', createdAt: Date.now(), request });
  await store.start(id, 1);
  return id;
}

const sinkFor = (id: string, onGone: () => void = () => undefined) =>
  new TokenSink(
    (text, first) => events.appendTokens(id, 1, text, first ? 7 : null),
    onGone,
    () => log,
  );

const tokenTexts = async (id: string): Promise<string[]> =>
  (await events.read(id, undefined, 10_000))
    .filter((e) => e.type === 'token')
    .map((e) => (JSON.parse(e.data) as { text: string }).text);

afterAll(async () => {
  await dropPrefix(prefix);
  redis.disconnect();
});

describe('TokenSink', () => {
  it('writes the first token at once and batches a fast stream into few writes', async () => {
    const id = await runningJob();
    const sink = sinkFor(id);
    const words = Array.from({ length: 2000 }, (_, i) => `w${i} `);
    sink.push(words[0]);
    await sleep(100);
    expect(await tokenTexts(id)).toEqual(['w0 ']);
    for (const w of words.slice(1)) sink.push(w);
    await sink.close();
    const batches = await tokenTexts(id);
    expect(batches.join('')).toBe(words.join(''));
    // 2,000 tokens in one burst: a handful of writes, never one per token.
    expect(batches.length).toBeLessThan(20);
    expect((await store.get(id))?.record.timings.ttft_ms).toBe(7);
  });

  it('gathers tokens of a paced stream within the window', async () => {
    const id = await runningJob();
    const sink = sinkFor(id);
    const started = Date.now();
    for (let i = 0; i < 40; i++) {
      sink.push(`t${i} `);
      await sleep(5);
    }
    await sink.close();
    const elapsed = Date.now() - started;
    const batches = await tokenTexts(id);
    expect(batches.join('')).toBe(Array.from({ length: 40 }, (_, i) => `t${i} `).join(''));
    // Tokens every ~5 ms in windows of 40 ms: about one write per window however slow the machine runs,
    // (bounded generously), and far fewer writes than tokens when it runs at speed.
    expect(batches.length).toBeLessThanOrEqual(Math.ceil((2 * elapsed) / 40) + 2);
    if (elapsed < 600) expect(batches.length).toBeLessThan(40);
  });

  it('reports once that the job moved on and writes nothing more', async () => {
    const id = await runningJob();
    let gone = 0;
    const sink = sinkFor(id, () => gone++);
    sink.push('a ');
    await sleep(50);
    await store.cancel(id, 't1');
    sink.push('b ');
    await sink.close();
    sink.push('c ');
    await sink.close();
    expect(gone).toBe(1);
    expect(await tokenTexts(id)).toEqual(['a ']);
  });
});
