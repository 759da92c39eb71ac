/**
 * What the echo and text behaviours answer, decided once so both protocols
 * agree: the tokens to stream, why they stop, and the usage to report.
 */
export interface ReplyPlan {
  tokens: string[];
  finish: 'stop' | 'length';
  /** The stop sequence that cut the text, when one did. */
  stopSequence: string | null;
  inputTokens: number;
  outputTokens: number;
}

/** One token per word, each with the whitespace after it, so the tokens join back to the text. */
export function splitTokens(text: string): string[] {
  return text.match(/\s*\S+\s*/g) ?? [];
}

export function countWords(text: string): number {
  return text.match(/\S+/g)?.length ?? 0;
}

export function planReply(text: string, inputTokens: number, maxTokens?: number, stop: string[] = []): ReplyPlan {
  let cut = text;
  let stopSequence: string | null = null;
  for (const s of stop) {
    const at = cut.indexOf(s);
    if (s && at >= 0) {
      cut = cut.slice(0, at);
      stopSequence = s;
    }
  }
  const all = splitTokens(cut);
  const capped = maxTokens !== undefined && all.length > maxTokens;
  const tokens = capped ? all.slice(0, maxTokens) : all;
  return {
    tokens,
    finish: capped ? 'length' : 'stop',
    stopSequence: capped ? null : stopSequence,
    inputTokens,
    outputTokens: tokens.length,
  };
}
