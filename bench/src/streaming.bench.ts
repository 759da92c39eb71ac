import { createBackendFactory } from '@inferq/backends';
import { chatComplete, chatTtft } from './chat.bench';
import { percentile } from './load';
import type { System } from './systems';

interface Pct {
  p50: number;
  p99: number;
}

export interface StreamingFigures {
  direct: Pct;
  viaSse: Pct;
  addedP50Ms: number;
  /** Time to the first text chunk of POST /v1/chat/completions with `stream: true`. */
  viaChat?: Pct;
  chatAddedP50Ms?: number;
  /** The whole answer: the direct call against /v1/chat/completions without `stream`. */
  nonStreaming?: { direct: Pct; viaChat: Pct; overhead: Pct };
}

const MESSAGES = [{ role: 'user' as const, content: 'stream me some tokens please' }];

type DirectBackend = ReturnType<ReturnType<typeof createBackendFactory>>;

/** Times to the first token and to the end, calling the backend directly (the OpenAI SDK against the fake server). */
async function direct(backend: DirectBackend): Promise<{ ttft: number; total: number }> {
  const t0 = performance.now();
  let first = 0;
  await backend.generate(
    { model: 'bench', messages: MESSAGES, params: {} },
    { signal: new AbortController().signal, onToken: () => (first ||= performance.now()) },
  );
  return { ttft: first - t0, total: performance.now() - t0 };
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

/**
 * Benchmark 5: first-token time through the API's SSE and through
 * /v1/chat/completions (stream) against the direct backend call; and the whole
 * answer of /v1/chat/completions without stream against the direct call.
 */
export async function streamingBench(sys: System, fakeUrl: string, samples: number): Promise<StreamingFigures> {
  const backend = createBackendFactory({
    openai: { apiKey: 'sk-bench', baseURL: fakeUrl },
    anthropic: {},
    sim: { ttftMs: 0, tokenMs: 0 },
    secrets: {},
  })({ id: 'openai/bench', backend: 'openai', upstream: 'bench', pool: 'default' });
  const s = {
    ttft: [] as number[],
    total: [] as number[],
    sse: [] as number[],
    chat: [] as number[],
    sync: [] as number[],
  };
  for (let i = 0; i < samples; i++) {
    const d = await direct(backend);
    s.ttft.push(d.ttft);
    s.total.push(d.total);
    s.sse.push(await sseTtft(sys));
    s.chat.push(await chatTtft(sys));
    s.sync.push(await chatComplete(sys));
  }
  const r1 = (x: number) => Math.round(x * 10) / 10;
  const p = (xs: number[]): Pct => ({ p50: r1(percentile(xs, 50)), p99: r1(percentile(xs, 99)) });
  const [d, v, c, total, sync] = [p(s.ttft), p(s.sse), p(s.chat), p(s.total), p(s.sync)];
  return {
    direct: d,
    viaSse: v,
    addedP50Ms: r1(v.p50 - d.p50),
    viaChat: c,
    chatAddedP50Ms: r1(c.p50 - d.p50),
    nonStreaming: {
      direct: total,
      viaChat: sync,
      overhead: { p50: r1(sync.p50 - total.p50), p99: r1(sync.p99 - total.p99) },
    },
  };
}
