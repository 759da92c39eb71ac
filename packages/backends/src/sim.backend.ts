import type { Message } from '@inferq/core';
import type { Backend, GenerateOptions, GenerateRequest, GenerateResult } from './backend.types';
import { delay } from './delay';
import { countWords, splitWords } from './words';

export interface SimTiming {
  /** Delay before the first token, in ms. */
  ttftMs: number;
  /** Delay before each further token, in ms. */
  tokenMs: number;
}

/** Through the caller's own check where it gives one: a signal made on first read stays unmade at zero latency. */
function throwIfAborted(opts: GenerateOptions): void {
  if (opts.throwIfAborted) opts.throwIfAborted();
  else opts.signal.throwIfAborted();
}

function lastUserMessage(messages: Message[]): string {
  for (let i = messages.length - 1; i >= 0; i--) if (messages[i].role === 'user') return messages[i].content;
  return '';
}

/**
 * sim/echo: answers with the last user message, one token per word, on a
 * simulated clock. No network. A zero delay never touches a timer, so the
 * zero-latency benchmarks measure inferq and not setTimeout.
 */
export class SimBackend implements Backend {
  readonly kind = 'sim';

  constructor(private readonly timing: SimTiming) {}

  async generate(req: GenerateRequest, opts: GenerateOptions): Promise<GenerateResult> {
    const { onToken } = opts;
    throwIfAborted(opts);
    const all = splitWords(lastUserMessage(req.messages));
    const max = req.params.max_tokens;
    const cut = max !== undefined && all.length > max;
    const tokens = cut ? all.slice(0, max) : all;
    for (let i = 0; i < tokens.length; i++) {
      const ms = i === 0 ? this.timing.ttftMs : this.timing.tokenMs;
      if (ms > 0) await delay(ms, opts.signal);
      onToken(tokens[i]);
    }
    if (tokens.length === 0 && this.timing.ttftMs > 0) await delay(this.timing.ttftMs, opts.signal);
    throwIfAborted(opts); // the caller may have aborted from inside onToken
    return {
      text: tokens.join(''),
      finishReason: cut ? 'length' : 'stop',
      usage: {
        input_tokens: req.messages.reduce((n, m) => n + countWords(m.content), 0),
        output_tokens: tokens.length,
      },
    };
  }
}
