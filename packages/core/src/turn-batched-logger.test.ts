import { Writable } from 'node:stream';
import { createLogger, turnBatchedLogger } from './logger';

it("writes a turn's lines in one write, in the parent's format and destination", async () => {
  const writes: string[] = [];
  const dest = new Writable({
    write(chunk: Buffer, _enc, done) {
      writes.push(chunk.toString());
      done();
    },
  });
  const access = turnBatchedLogger(createLogger('info', 'api', dest));
  access.info({ n: 1 }, 'request');
  access.info({ n: 2 }, 'request');
  access.debug({ n: 3 }, 'request');
  expect(writes).toEqual([]);
  await new Promise((r) => setImmediate(r));
  expect(writes).toHaveLength(1);
  const lines = writes[0]
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  expect(lines.map((l) => [l.n, l.name, l.pid, l.msg])).toEqual([
    [1, 'api', process.pid, 'request'],
    [2, 'api', process.pid, 'request'],
  ]);
});
