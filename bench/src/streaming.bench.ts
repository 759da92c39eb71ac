import { createBackendFactory } from '@inferq/backends';
import { percentile } from './load';
import type { System } from './systems';

export interface StreamingFigures {
  direct: { p50: number; p99: number };
  viaSse: { p50: number; p99: number };
  addedP50Ms: number;
}

const MESSAGES = [{ role: 'user' as const, content: 'stream me some tokens please' }];

type DirectBackend = ReturnType<ReturnType<typeof createBackendFactory>>;

/** Time to the first token calling the backend directly (the OpenAI SDK against the fake server). */
async function directTtft(backend: DirectBackend): Promise<number> {
  const t0 = performance.now();
  let first = 0;
  await backend.generate(
    { model: 'bench', messages: MESSAGES, params: {} },
    { signal: new AbortController().signal, onToken: () => (first ||= performance.now()) },
  );
  return first - t0;
}

/** Time from submit to the first `token` event on GET /v1/jobs/{id}/events. */
async function sseTtft(sys: System): Promise<number> {
  const t0 = performance.now();
  const res = await fetch(`${sys.url}/v1/jobs`, {
    method: 'POST',
    headers: sys.headers,
    body: JSON.stringify({ model: 'openai/gpt-4o-mini', input: { messages: MESSAGES } }),
  });
  const { id } = (await res.json()) as { id: string };
  const stream = await fetch(`${sys.url}/v1/jobs/${id}/events`, { headers: sys.headers });
  if (!stream.ok || !stream.body) throw new Error(`events route answered ${stream.status}`);
  const decoder = new TextDecoder();
  let text = '';
  for await (const chunk of stream.body) {
    text += decoder.decode(chunk as Uint8Array, { stream: true });
    if (/^event: token$/m.test(text)) {
      const t = performance.now() - t0;
      await stream.body.cancel().catch(() => undefined);
      return t;
    }
  }
  throw new Error(`no token event for ${id}`);
}

/** Benchmark 5: first-token time through the API's SSE against the direct backend call. */
export async function streamingBench(sys: System, fakeUrl: string, samples: number): Promise<StreamingFigures> {
  const backend = createBackendFactory({
    openai: { apiKey: 'sk-bench', baseURL: fakeUrl },
    anthropic: {},
    sim: { ttftMs: 0, tokenMs: 0 },
    secrets: {},
  })({ id: 'openai/bench', backend: 'openai', upstream: 'bench', pool: 'default' });
  const direct: number[] = [];
  const via: number[] = [];
  for (let i = 0; i < samples; i++) {
    direct.push(await directTtft(backend));
    via.push(await sseTtft(sys));
  }
  const p = (xs: number[]) => ({
    p50: Math.round(percentile(xs, 50) * 10) / 10,
    p99: Math.round(percentile(xs, 99) * 10) / 10,
  });
  const d = p(direct);
  const v = p(via);
  return { direct: d, viaSse: v, addedP50Ms: Math.round((v.p50 - d.p50) * 10) / 10 };
}
