import { parseSseStream } from './sse-parser';
import type { SseEvent } from './sse-parser';

async function* chunks(...parts: string[]): AsyncGenerator<Uint8Array> {
  for (const p of parts) yield new TextEncoder().encode(p);
}
async function all(it: AsyncIterable<SseEvent>): Promise<SseEvent[]> {
  const out: SseEvent[] = [];
  for await (const e of it) out.push(e);
  return out;
}

it('parses events split anywhere, with CRLF, comments and multi-line data', async () => {
  const events = await all(
    parseSseStream(
      chunks(
        ': keep-alive\n\nid: 1-0\nevent: status\ndata: {"status":',
        '"running"}\r',
        '\n\r\nid: 2-0\nevent: tok',
        'en\ndata: a\ndata: b\n\n',
      ),
    ),
  );
  expect(events).toEqual([
    { id: '1-0', event: 'status', data: '{"status":"running"}' },
    { id: '2-0', event: 'token', data: 'a\nb' },
  ]);
});

it('keeps the last id for events without one, and drops an event cut before its blank line', async () => {
  const events = await all(parseSseStream(chunks('id: 7-0\ndata: x\n\ndata: y\n\nevent: done\ndata: {"id"')));
  expect(events).toEqual([
    { id: '7-0', event: 'message', data: 'x' },
    { id: '7-0', event: 'message', data: 'y' },
  ]);
});
