import type { JobRequest } from './job-request.schema';
import { toMessages } from './job-request.schema';
import type { ResolvedModel } from './models';

/** Output tokens assumed for a request that sets no max_tokens on a model with no default_max_tokens. */
export const DEFAULT_OUTPUT_ESTIMATE = 256;

/** Characters per token of English text with the common BPE tokenizers: a rule of thumb, not a tokenizer. */
const CHARS_PER_TOKEN = 4;

/**
 * What the fair scheduler charges a job when it starts (SPEC section 9): its
 * input tokens, estimated from the characters, plus its output budget
 * (max_tokens, else the model's default_max_tokens). The charge is corrected
 * to the real usage when the job ends, so the estimate only has to be fair
 * between jobs, not exact.
 */
export function estimateTokens(
  request: Pick<JobRequest, 'input' | 'params'>,
  model: Pick<ResolvedModel, 'defaultMaxTokens'> = {},
): number {
  let chars = 0;
  for (const m of toMessages(request.input)) chars += m.content.length;
  const output = request.params?.max_tokens ?? model.defaultMaxTokens ?? DEFAULT_OUTPUT_ESTIMATE;
  return Math.ceil(chars / CHARS_PER_TOKEN) + output;
}
