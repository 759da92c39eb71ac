import { randomBytes } from 'node:crypto';
import { appendFileSync, existsSync, readFileSync, rmSync, truncateSync } from 'node:fs';

/**
 * What makes `inferq batch` resumable, kept beside the results:
 * - RESULTS.jsonl: one line per finished prompt (`line` is its line number in
 *   the input); a line there is done and never run again.
 * - RESULTS.jsonl.state: `{"batch_id"}` then `{"line","id"}` per submitted
 *   job, so a rerun waits for jobs already submitted instead of submitting
 *   them again. Removed once every line has a result.
 * Each job is also submitted with the Idempotency-Key `<batch_id>-<line>`,
 * which covers a process killed between the submit and its state line.
 */
export class BatchState {
  readonly batchId: string;
  readonly done: Set<number>;
  readonly submitted: Map<number, string>;
  private readonly statePath: string;

  constructor(private readonly outPath: string) {
    this.statePath = `${outPath}.state`;
    this.done = readDone(outPath);
    const state = readState(this.statePath);
    this.batchId = state.batchId ?? randomBytes(9).toString('base64url');
    this.submitted = state.submitted;
    if (!state.batchId) appendFileSync(this.statePath, `${JSON.stringify({ batch_id: this.batchId })}\n`);
  }

  idempotencyKey(line: number): string {
    return `batch-${this.batchId}-${line}`;
  }

  recordSubmitted(line: number, id: string): void {
    this.submitted.set(line, id);
    appendFileSync(this.statePath, `${JSON.stringify({ line, id })}\n`);
  }

  /** Appended synchronously: a killed process loses at most the line being written. */
  recordResult(line: number, result: object): void {
    this.done.add(line);
    appendFileSync(this.outPath, `${JSON.stringify({ line, ...result })}\n`);
  }

  finish(): void {
    rmSync(this.statePath, { force: true });
  }
}

/** Line numbers already in the results; a torn last line (killed mid-write) is cut off. */
function readDone(path: string): Set<number> {
  const done = new Set<number>();
  if (!existsSync(path)) return done;
  const text = readFileSync(path, 'utf8');
  const complete = text.lastIndexOf('\n') + 1;
  if (complete < text.length) truncateSync(path, Buffer.byteLength(text.slice(0, complete)));
  for (const l of text.slice(0, complete).split('\n')) {
    if (!l.trim()) continue;
    const parsed = JSON.parse(l) as { line?: unknown };
    if (typeof parsed.line === 'number') done.add(parsed.line);
  }
  return done;
}

function readState(path: string): { batchId?: string; submitted: Map<number, string> } {
  const submitted = new Map<number, string>();
  if (!existsSync(path)) return { submitted };
  let batchId: string | undefined;
  for (const l of readFileSync(path, 'utf8').split('\n')) {
    if (!l.trim()) continue;
    let entry: { batch_id?: unknown; line?: unknown; id?: unknown };
    try {
      entry = JSON.parse(l) as typeof entry;
    } catch {
      continue; // a torn last line: that submit is covered by its idempotency key
    }
    if (typeof entry.batch_id === 'string') batchId = entry.batch_id;
    if (typeof entry.line === 'number' && typeof entry.id === 'string') submitted.set(entry.line, entry.id);
  }
  return { batchId, submitted };
}
