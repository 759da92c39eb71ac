import { BATCH_LIMITS } from '@inferq/core';
import type { BatchLineError } from '@inferq/core';
import type { BatchRef, BatchState, Fenced } from '@inferq/store';
import type { BatchContext } from './batch-context';
import { checkLine, splitLines } from './line-check';

/** Validated requests written per script call. */
const APPEND_EVERY = 500;

/**
 * Validation, from the first line every time (a runner that takes over a
 * batch killed mid-validation starts it over): each line is checked and the
 * valid requests are stored in order; with any error the batch fails with
 * `errors.data` and nothing runs. Fenced: a cancel or an expiry meanwhile,
 * or a lost lease, stops it.
 */
export async function validateBatch(
  ctx: BatchContext,
  ref: BatchRef,
  state: BatchState,
  stopped: () => boolean,
): Promise<Fenced> {
  const b = state.object;
  const file = await ctx.files.get(ref.tenant, b.input_file_id);
  if (!file) {
    const error = {
      code: 'file_not_found',
      message: `No file ${b.input_file_id}.`,
      param: 'input_file_id',
      line: null,
    };
    return ctx.runs.validated(ref, ctx.owner, 0, [error]);
  }
  let step = await ctx.runs.appendRequests(ref, ctx.owner, 0, []);
  const errors: BatchLineError[] = [];
  const seen = new Set<string>();
  let buffer: string[] = [];
  let written = 0;
  let count = 0;
  const flush = async (): Promise<Fenced> => {
    const r = await ctx.runs.appendRequests(ref, ctx.owner, written, buffer);
    written += buffer.length;
    buffer = [];
    if (r === 'ok' && Date.now() >= state.expiresMs) return ctx.runs.expire(ref, ctx.owner).then(() => 'wrong_state');
    return r;
  };
  for await (const l of splitLines(ctx.files.chunks(ref.tenant, b.input_file_id), ctx.maxLineChars)) {
    if (step !== 'ok' || stopped() || errors.length >= BATCH_LIMITS.maxLineErrors) break;
    if (l.text !== undefined && l.text.trim() === '') continue;
    if (++count > BATCH_LIMITS.maxLines) {
      errors.push({
        code: 'too_many_requests',
        message: `More than ${BATCH_LIMITS.maxLines} requests.`,
        param: null,
        line: l.lineNo,
      });
      break;
    }
    const check =
      l.text === undefined
        ? {
            ok: false as const,
            problem: {
              code: 'invalid_request',
              message: `Line longer than ${ctx.maxLineChars} characters.`,
              param: null,
            },
          }
        : checkLine(l.text, b.id, ctx.catalog);
    if (!check.ok) {
      errors.push({ ...check.problem, line: l.lineNo });
      continue;
    }
    if (seen.has(check.entry.c)) {
      const message = `The custom_id ${check.entry.c} appears more than once.`;
      errors.push({ code: 'duplicate_custom_id', message, param: 'custom_id', line: l.lineNo });
      continue;
    }
    seen.add(check.entry.c);
    if (errors.length > 0) continue;
    buffer.push(JSON.stringify(check.entry));
    if (buffer.length >= APPEND_EVERY) step = await flush();
  }
  if (step !== 'ok' || stopped()) return step;
  if (count === 0)
    errors.push({ code: 'empty_file', message: 'The input file has no requests.', param: null, line: null });
  if (errors.length === 0 && buffer.length > 0) step = await flush();
  if (step !== 'ok') return step;
  return ctx.runs.validated(ref, ctx.owner, count, errors);
}
