import { parseArgs } from 'node:util';
import { isApiError } from '@inferq/client';
import type { InferqClient, JobRecord } from '@inferq/client';
import { UsageError } from '../env';
import type { Io } from '../io';
import { line } from '../io';
import { toNumber } from './args';
import { readBatchInput } from './batch-input';
import type { BatchItem } from './batch-input';
import { BatchState } from './batch-state';
import { Progress } from './progress';
import { serverSideBatch } from './server-batch';

const OPTIONS = {
  out: { type: 'string', short: 'o' },
  model: { type: 'string', short: 'm' },
  concurrency: { type: 'string', short: 'c' },
  'server-side': { type: 'boolean' },
  window: { type: 'string' },
} as const;

/**
 * inferq batch FILE --out RESULTS: one job per input line, `concurrency` in
 * flight, each result appended as its job ends. Ctrl-C stops submitting,
 * records the submits already under way and exits 130; the same command
 * again picks up where it stopped.
 */
export async function batchCommand(client: InferqClient, args: string[], io: Io): Promise<number> {
  const { values: v, positionals } = parseArgs({ args, options: OPTIONS, allowPositionals: true, strict: true });
  if (positionals.length !== 1 || !v.out) throw new UsageError('usage: inferq batch FILE.jsonl --out RESULTS.jsonl');
  if (v['server-side']) return serverSideBatch(client, positionals[0], v.out, io, { model: v.model, window: v.window });
  const concurrency = toNumber(v.concurrency, '--concurrency') ?? 32;
  if (!Number.isInteger(concurrency) || concurrency < 1)
    throw new UsageError('--concurrency must be a positive integer');

  const items = readBatchInput(positionals[0], v.model);
  const state = new BatchState(v.out);
  const pending = items.filter((i) => !state.done.has(i.line));
  const progress = new Progress(io, items.length, items.length - pending.length);
  let fatal: unknown;
  let next = 0;

  const runOne = async (item: BatchItem): Promise<void> => {
    const id = state.submitted.get(item.line) ?? (await submit(client, item, state, progress));
    if (id === undefined || io.signal.aborted) return;
    const job = await client.jobs.wait(id, { signal: io.signal });
    state.recordResult(item.line, resultOf(job, item.customId));
    if (job.status === 'succeeded') progress.ok++;
    else progress.failed++;
  };
  const worker = async (): Promise<void> => {
    while (next < pending.length && !io.signal.aborted && fatal === undefined) {
      const item = pending[next++];
      progress.inFlight++;
      progress.update();
      await runOne(item).catch((err: unknown) => {
        if (!io.signal.aborted) fatal ??= err;
      });
      progress.inFlight--;
      progress.update();
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, Math.max(1, pending.length)) }, worker));
  progress.end();

  if (io.signal.aborted || fatal !== undefined) {
    io.stderr.write(
      line(`inferq: stopped with ${state.done.size} of ${items.length} done; run the same command again to resume`),
    );
    if (fatal !== undefined) throw fatal;
    return 130;
  }
  state.finish();
  return 0;
}

/**
 * Submits without the Ctrl-C signal on purpose: a submit under way finishes
 * and is recorded, so a resumed run never submits that line again. A 4xx
 * (other than 429) is that line's result; anything else stops the batch.
 */
async function submit(
  client: InferqClient,
  item: BatchItem,
  state: BatchState,
  progress: Progress,
): Promise<string | undefined> {
  try {
    const accepted = await client.jobs.create(item.request, { idempotencyKey: state.idempotencyKey(item.line) });
    state.recordSubmitted(item.line, accepted.id);
    return accepted.id;
  } catch (err) {
    if (!isApiError(err) || err.status >= 500 || err.status === 429) throw err;
    const error = { code: err.code, message: err.message, details: err.details };
    state.recordResult(item.line, {
      ...(item.customId !== undefined ? { custom_id: item.customId } : {}),
      id: null,
      status: 'rejected',
      error,
    });
    progress.failed++;
    return undefined;
  }
}

function resultOf(job: JobRecord, customId: string | undefined): object {
  return {
    ...(customId !== undefined ? { custom_id: customId } : {}),
    id: job.id,
    status: job.status,
    output: job.output,
    error: job.error,
    usage: job.usage,
  };
}
