import type { GenerateRequest } from './backend.types';
import { SimBackend } from './sim.backend';

const text = 'Hello  there,\nthe quick brown fox ';
const req = (max_tokens?: number): GenerateRequest => ({
  model: 'echo',
  messages: [
    { role: 'system', content: 'be an echo' },
    { role: 'user', content: text },
    { role: 'assistant', content: 'ignored' },
  ],
  params: max_tokens === undefined ? {} : { max_tokens },
});

function run(sim: SimBackend, r: GenerateRequest, signal = new AbortController().signal) {
  const tokens: string[] = [];
  const result = sim.generate(r, { signal, onToken: (t) => tokens.push(t) });
  return { tokens, result };
}

describe('SimBackend', () => {
  it('echoes the last user message exactly, one token per word', async () => {
    const { tokens, result } = run(new SimBackend({ ttftMs: 0, tokenMs: 0 }), req());
    const out = await result;
    expect(tokens).toEqual(['Hello  ', 'there,\n', 'the ', 'quick ', 'brown ', 'fox ']);
    expect(out).toEqual({ text, finishReason: 'stop', usage: { input_tokens: 10, output_tokens: 6 } });
  });

  it('cuts at max_tokens with finish reason length', async () => {
    const out = await run(new SimBackend({ ttftMs: 0, tokenMs: 0 }), req(2)).result;
    expect(out).toMatchObject({ text: 'Hello  there,\n', finishReason: 'length', usage: { output_tokens: 2 } });
  });

  it('answers nothing when there is no user message', async () => {
    const out = await run(new SimBackend({ ttftMs: 0, tokenMs: 0 }), { model: 'echo', messages: [], params: {} })
      .result;
    expect(out).toEqual({ text: '', finishReason: 'stop', usage: { input_tokens: 0, output_tokens: 0 } });
  });

  it('roughly honours ttft and per-token delays', async () => {
    const sim = new SimBackend({ ttftMs: 60, tokenMs: 20 });
    const start = Date.now();
    const times: number[] = [];
    await sim.generate(req(), { signal: new AbortController().signal, onToken: () => times.push(Date.now() - start) });
    expect(times[0]).toBeGreaterThanOrEqual(50);
    expect(times[5] - times[0]).toBeGreaterThanOrEqual(80); // five gaps of 20 ms, loosely
    expect(times[5]).toBeLessThan(2000);
  });

  it('rejects with the abort reason mid-stream', async () => {
    const ac = new AbortController();
    const { tokens, result } = run(new SimBackend({ ttftMs: 0, tokenMs: 50 }), req(), ac.signal);
    setTimeout(() => ac.abort('canceled'), 75);
    await expect(result).rejects.toBe('canceled');
    expect(tokens.length).toBeGreaterThanOrEqual(1);
    expect(tokens.length).toBeLessThan(6);
  });

  it('rejects at once when the signal is already aborted', async () => {
    const reason = new Error('gone');
    await expect(run(new SimBackend({ ttftMs: 0, tokenMs: 0 }), req(), AbortSignal.abort(reason)).result).rejects.toBe(
      reason,
    );
  });

  describe("with a caller's throwIfAborted (its signal made on first read, as the worker does)", () => {
    const opts = (check: () => void) => ({
      get signal(): AbortSignal {
        throw new Error('the signal was read');
      },
      throwIfAborted: check,
      onToken: () => undefined,
    });

    it('never reads the signal at zero latency', async () => {
      const out = await new SimBackend({ ttftMs: 0, tokenMs: 0 }).generate(
        req(),
        opts(() => undefined),
      );
      expect(out.finishReason).toBe('stop');
    });

    it('rejects with the reason it throws', async () => {
      const reason = new Error('canceled');
      const check = () => {
        throw reason;
      };
      await expect(new SimBackend({ ttftMs: 0, tokenMs: 0 }).generate(req(), opts(check))).rejects.toBe(reason);
    });
  });

  it('is cheap at zero latency', async () => {
    const sim = new SimBackend({ ttftMs: 0, tokenMs: 0 });
    const signal = new AbortController().signal;
    const long: GenerateRequest = {
      model: 'echo',
      messages: [{ role: 'user', content: 'word '.repeat(200) }],
      params: {},
    };
    const start = Date.now();
    for (let i = 0; i < 2000; i++) await sim.generate(long, { signal, onToken: () => undefined });
    expect(Date.now() - start).toBeLessThan(2000); // 400k tokens; with a timer per token this takes minutes
  });
});
