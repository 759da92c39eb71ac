/** One dispatched Server-Sent Event (WHATWG HTML, "event stream interpretation"). */
export interface SseEvent {
  /** The last event id seen so far in the stream (ids persist until changed). */
  id: string;
  event: string;
  data: string;
}

/**
 * Parses an event stream as it arrives: lines end in LF, CRLF or CR; `:`
 * lines are comments (keep-alives); an empty line dispatches the event; an
 * event without data is dropped; `retry:` is ignored (we decide our own).
 */
export async function* parseSseStream(body: AsyncIterable<Uint8Array>): AsyncGenerator<SseEvent> {
  const decoder = new TextDecoder();
  let buffer = '';
  let lastId = '';
  let event = '';
  let data: string[] = [];
  let sawData = false;
  for await (const chunk of body) {
    buffer += decoder.decode(chunk, { stream: true });
    // A CR at the very end may be the first half of CRLF: keep it until more arrives.
    const lines = buffer.split(/\r\n|\r(?!$)|\n/);
    buffer = lines.pop() ?? '';
    for (const line of lines) {
      if (line === '') {
        if (sawData) yield { id: lastId, event: event || 'message', data: data.join('\n') };
        event = '';
        data = [];
        sawData = false;
        continue;
      }
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon === -1 ? line : line.slice(0, colon);
      let value = colon === -1 ? '' : line.slice(colon + 1);
      if (value.startsWith(' ')) value = value.slice(1);
      if (field === 'data') {
        data.push(value);
        sawData = true;
      } else if (field === 'event') event = value;
      else if (field === 'id' && !value.includes('\u0000')) lastId = value;
    }
  }
  // A stream cut in the middle of an event does not dispatch it (the spec's rule): resume refetches it.
}
