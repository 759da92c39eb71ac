import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { isTerminalBatch } from '@inferq/client';
import type { BatchObject, InferqClient } from '@inferq/client';
import type { Io } from '../io';
import { line } from '../io';
import { readBatchInput } from './batch-input';
import type { BatchItem } from './batch-input';
import { Progress } from './progress';

/** How often the batch is read while waiting (ms). */
const POLL_MS = 1000;

/**
 * inferq batch FILE --out RESULTS --server-side: the whole file runs as one
 * server-side batch (SPEC section 11). The CLI uploads it, creates the batch,
 * draws progress from `request_counts` and, once the batch ends, writes its
 * output lines and then its error lines (OpenAI's format) to RESULTS. The
 * batch id is kept in RESULTS.batch: Ctrl-C leaves the batch running on the
 * server, and the same command again follows it instead of starting another.
 */
export async function serverSideBatch(
  client: InferqClient,
  file: string,
  out: string,
  io: Io,
  opts: { model?: string; window?: string },
): Promise<number> {
  const stateFile = `${out}.batch`;
  let id = existsSync(stateFile) ? readFileSync(stateFile, 'utf8').trim() : '';
  if (!id) {
    const uploaded = await client.batches.upload(toBatchFile(file, opts.model), file.split('/').pop());
    id = (await client.batches.create(uploaded.id, { completionWindow: opts.window })).id;
    writeFileSync(stateFile, `${id}\n`);
    io.stderr.write(line(`inferq: batch ${id} created from ${uploaded.id}`));
  } else io.stderr.write(line(`inferq: following batch ${id}`));

  const batch = await follow(client, id, io);
  if (!batch) {
    io.stderr.write(line(`inferq: batch ${id} goes on on the server; run the same command again to follow it`));
    return 130;
  }
  for (const e of batch.errors?.data ?? []) io.stderr.write(line(`  line ${e.line ?? '-'}: ${e.code}: ${e.message}`));
  const text = [batch.output_file_id, batch.error_file_id].filter((f): f is string => !!f);
  const parts = await Promise.all(text.map((f) => client.batches.content(f)));
  writeFileSync(out, parts.join(''));
  rmSync(stateFile, { force: true });
  const { completed, failed, total } = batch.request_counts;
  io.stderr.write(line(`inferq: batch ${id} ${batch.status}: ${completed} completed, ${failed} failed of ${total}`));
  return batch.status === 'completed' ? 0 : 1;
}

/** Polls the batch, redrawing the progress bar, until it ends; undefined on Ctrl-C. */
async function follow(client: InferqClient, id: string, io: Io): Promise<BatchObject | undefined> {
  let progress: Progress | undefined;
  for (;;) {
    const b = await client.batches.get(id, { signal: io.signal }).catch((err: unknown) => {
      if (io.signal.aborted) return undefined;
      throw err;
    });
    if (!b) return undefined;
    if (b.request_counts.total > 0) {
      progress ??= new Progress(io, b.request_counts.total, 0);
      progress.ok = b.request_counts.completed;
      progress.failed = b.request_counts.failed;
      progress.update();
    }
    if (isTerminalBatch(b.status)) {
      progress?.end();
      return b;
    }
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, POLL_MS);
      io.signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
    });
    if (io.signal.aborted) return undefined;
  }
}

/**
 * The input as OpenAI batch lines: a file of them goes as it is; the CLI's
 * own format (prompts, messages, job requests) becomes one chat request per
 * line, custom_id the line's own or `line-N`.
 */
function toBatchFile(file: string, model: string | undefined): string {
  const text = readFileSync(file, 'utf8');
  const first = text.split('\n').find((l) => l.trim());
  if (first && isOpenAiLine(first)) return text;
  return readBatchInput(file, model)
    .map((item) => JSON.stringify(toOpenAiLine(item)))
    .join('\n');
}

function isOpenAiLine(text: string): boolean {
  try {
    const v = JSON.parse(text) as Record<string, unknown>;
    return typeof v === 'object' && v !== null && 'url' in v && 'body' in v;
  } catch {
    return false;
  }
}

function toOpenAiLine(item: BatchItem): object {
  const r = item.request;
  const input = r.input as { prompt?: string; messages?: unknown[] };
  const messages = input.messages ?? [{ role: 'user', content: input.prompt ?? '' }];
  return {
    custom_id: item.customId ?? `line-${item.line}`,
    method: 'POST',
    url: '/v1/chat/completions',
    body: { model: r.model, messages, ...(r.params ?? {}) },
  };
}
