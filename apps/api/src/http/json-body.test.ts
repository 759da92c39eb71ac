import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import { PayloadTooLargeError, ValidationError } from '@inferq/core';
import { isPlainJson, readPlainJson } from './json-body';

type Req = IncomingMessage & { body?: unknown };

/** A request whose body is `chunks`, with the given headers. */
function request(headers: Record<string, string>, chunks: string[]): Req {
  const stream = Readable.from(chunks.map((c) => Buffer.from(c)));
  // A socket to cut: past the limit an unread body is cut after a grace period (body-limit.ts).
  const socket = { destroy: jest.fn() };
  const req = Object.assign(stream, { headers, complete: false, socket }) as unknown as Req;
  stream.on('end', () => Object.assign(stream, { complete: true }));
  return req;
}

async function read(req: Req, limit = 1000): Promise<unknown> {
  const body = await readPlainJson(req, limit);
  expect(req.body).toBe(body);
  return body;
}

const json = (body: string) =>
  request({ 'content-type': 'application/json', 'content-length': String(body.length) }, [body]);

describe('the plain JSON body reader', () => {
  it('takes plain JSON in UTF-8 only, leaving other types and codings to body-parser', () => {
    const type = (headers: Record<string, string>) => isPlainJson({ headers } as IncomingMessage);
    expect(type({ 'content-type': 'application/json' })).toBe(true);
    expect(type({ 'content-type': 'Application/JSON; charset=UTF-8' })).toBe(true);
    expect(type({ 'content-type': 'application/json; charset=latin1' })).toBe(false);
    expect(type({ 'content-type': 'application/merge-patch+json' })).toBe(false);
    expect(type({ 'content-type': 'application/json', 'content-encoding': 'gzip' })).toBe(false);
    expect(type({})).toBe(false);
  });

  it('parses objects and arrays, over several chunks too', async () => {
    await expect(read(json('{"a":1}'))).resolves.toEqual({ a: 1 });
    await expect(read(request({ 'transfer-encoding': 'chunked' }, ['[1,', '2]']))).resolves.toEqual([1, 2]);
    await expect(read(json('\ufeff {"bom":true}'))).resolves.toEqual({ bom: true });
  });

  it('answers like express.json(): {} for an empty body, undefined without one, 400 for the rest', async () => {
    await expect(read(json(''))).resolves.toEqual({});
    await expect(read(request({}, []))).resolves.toBeUndefined();
    for (const bad of ['"text"', '42', '{"a":', 'null']) {
      await expect(read(json(bad))).rejects.toBeInstanceOf(ValidationError);
    }
  });

  it('answers 413 past the limit: from Content-Length at once, or as the chunks pass it, keeping none', async () => {
    const declared = json('{"a":"0123456789"}');
    await expect(read(declared, 5)).rejects.toBeInstanceOf(PayloadTooLargeError);
    declared.destroy(); // the client hangs up: no cut left pending
    const chunked = request({ 'transfer-encoding': 'chunked' }, ['{"a":', '"0123456789"', '}']);
    await expect(read(chunked, 8)).rejects.toBeInstanceOf(PayloadTooLargeError);
    expect(chunked.body).toBeUndefined();
  });
});
