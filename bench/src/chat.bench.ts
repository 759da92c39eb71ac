import type { System } from './systems';

/**
 * Samples of /v1/chat/completions, the OpenAI-compatible route, against the
 * same fake provider as the streaming benchmark: time to the first text chunk
 * with `stream: true`, and the whole answer without.
 */
const MESSAGES = [{ role: 'user' as const, content: 'stream me some tokens please' }];
const body = (stream: boolean) => JSON.stringify({ model: 'openai/gpt-4o-mini', messages: MESSAGES, stream });

/** A chunk with text (the first chunk only carries the role, with empty content). */
const TEXT_CHUNK = /"delta":\{"content":"./;

/** Time from the request to the first chunk with text. */
export async function chatTtft(sys: System): Promise<number> {
  const t0 = performance.now();
  const res = await fetch(`${sys.url}/v1/chat/completions`, { method: 'POST', headers: sys.headers, body: body(true) });
  if (!res.ok || !res.body) throw new Error(`/v1/chat/completions answered ${res.status}`);
  const decoder = new TextDecoder();
  let text = '';
  for await (const chunk of res.body) {
    text += decoder.decode(chunk as Uint8Array, { stream: true });
    if (TEXT_CHUNK.test(text)) {
      const t = performance.now() - t0;
      await res.body.cancel().catch(() => undefined);
      return t;
    }
  }
  throw new Error('no text chunk on /v1/chat/completions');
}

/** Time from the request to the whole chat.completion (no stream: the answer waits for the job). */
export async function chatComplete(sys: System): Promise<number> {
  const t0 = performance.now();
  const res = await fetch(`${sys.url}/v1/chat/completions`, {
    method: 'POST',
    headers: sys.headers,
    body: body(false),
  });
  const answer = (await res.json()) as { object?: string };
  if (res.status !== 200 || answer.object !== 'chat.completion') throw new Error(`chat answered ${res.status}`);
  return performance.now() - t0;
}
