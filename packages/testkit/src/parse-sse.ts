export interface SseMessage {
  event: string | undefined;
  id: string | undefined;
  data: string;
}

/**
 * Splits a complete SSE body into messages. Strict on purpose, so tests catch
 * malformed streams: every message ends in a blank line and has data.
 */
export function parseSse(text: string): SseMessage[] {
  if (text === '') return [];
  if (!text.endsWith('\n\n')) throw new Error('SSE body does not end with a blank line');
  return text
    .slice(0, -2)
    .split('\n\n')
    .filter((block) => !block.split('\n').every((l) => l.startsWith(':'))) // comment-only keep-alives
    .map((block) => {
      const field = (name: string): string[] =>
        block
          .split('\n')
          .filter((l) => l.startsWith(`${name}:`))
          .map((l) => l.slice(name.length + 1).replace(/^ /, ''));
      const data = field('data');
      if (data.length === 0) throw new Error(`SSE message without data: ${JSON.stringify(block)}`);
      return { event: field('event')[0], id: field('id')[0], data: data.join('\n') };
    });
}
