import { parseSse } from './parse-sse';

describe('parseSse', () => {
  it('reads events, ids and multi-line data, skipping comments', () => {
    expect(parseSse(': keep-alive\n\nid: 1\nevent: token\ndata: {"a":1}\n\ndata: x\ndata: y\n\n')).toEqual([
      { event: 'token', id: '1', data: '{"a":1}' },
      { event: undefined, id: undefined, data: 'x\ny' },
    ]);
  });
  it('refuses a truncated stream', () => {
    expect(() => parseSse('data: x\n')).toThrow(/blank line/);
  });
});
