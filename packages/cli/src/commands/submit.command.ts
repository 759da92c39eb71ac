import { parseArgs } from 'node:util';
import type { InferqClient, JobRecord, JobRequestInput, Message, Priority } from '@inferq/client';
import { UsageError } from '../env';
import type { Io } from '../io';
import { line, printJson } from '../io';
import { readStdin, toNumber } from './args';

const OPTIONS = {
  model: { type: 'string', short: 'm' },
  wait: { type: 'boolean' },
  stream: { type: 'boolean' },
  json: { type: 'boolean' },
  system: { type: 'string' },
  'max-tokens': { type: 'string' },
  temperature: { type: 'string' },
  priority: { type: 'string' },
  timeout: { type: 'string' },
  metadata: { type: 'string', multiple: true },
  'idempotency-key': { type: 'string' },
} as const;

/** inferq submit --model M [--wait | --stream] PROMPT... */
export async function submitCommand(client: InferqClient, args: string[], io: Io): Promise<number> {
  const { values: v, positionals } = parseArgs({ args, options: OPTIONS, allowPositionals: true, strict: true });
  if (!v.model) throw new UsageError('--model is required (see inferq models)');
  if (v.wait && v.stream) throw new UsageError('choose one of --wait and --stream');
  const prompt =
    positionals.length === 0 || (positionals.length === 1 && positionals[0] === '-')
      ? await readStdin()
      : positionals.join(' ');
  if (!prompt.trim()) throw new UsageError('the prompt is empty');

  const messages: Message[] = [
    ...(v.system ? [{ role: 'system' as const, content: v.system }] : []),
    { role: 'user', content: prompt },
  ];
  const request: JobRequestInput = {
    model: v.model,
    input: v.system ? { messages } : { prompt },
    ...(v['max-tokens'] || v.temperature
      ? {
          params: {
            max_tokens: toNumber(v['max-tokens'], '--max-tokens'),
            temperature: toNumber(v.temperature, '--temperature'),
          },
        }
      : {}),
    ...(v.priority ? { priority: v.priority as Priority } : {}),
    ...(v.timeout ? { timeout_s: toNumber(v.timeout, '--timeout') } : {}),
    ...(v.metadata ? { metadata: metadataOf(v.metadata) } : {}),
  };
  const accepted = await client.jobs.create(request, { idempotencyKey: v['idempotency-key'], signal: io.signal });
  if (!v.wait && !v.stream) {
    if (v.json) printJson(io, accepted);
    else io.stdout.write(line(accepted.id));
    return 0;
  }
  const job = v.stream
    ? await streamTokens(client, accepted.id, io)
    : await client.jobs.wait(accepted.id, { signal: io.signal });
  if (v.json) printJson(io, job);
  else if (v.wait && job.output) io.stdout.write(line(job.output.text));
  return finished(job, io);
}

/** Writes each token as it arrives; the record of `done` is the result. */
async function streamTokens(client: InferqClient, id: string, io: Io): Promise<JobRecord> {
  for await (const event of client.jobs.stream(id, { signal: io.signal })) {
    if (event.type === 'token') io.stdout.write(event.data.text);
    if (event.type === 'done') {
      io.stdout.write('\n');
      return event.data;
    }
  }
  throw new Error(`the stream of ${id} ended without a result`);
}

/** Exit 0 for a succeeded job; otherwise say why on stderr and exit 1. */
function finished(job: JobRecord, io: Io): number {
  if (job.status === 'succeeded') return 0;
  const why = job.error ? `${job.error.code}: ${job.error.message}` : job.status;
  io.stderr.write(line(`inferq: job ${job.id} ${job.status} (${why})`));
  return 1;
}

function metadataOf(pairs: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of pairs) {
    const eq = p.indexOf('=');
    if (eq <= 0) throw new UsageError(`--metadata wants KEY=VALUE, got "${p}"`);
    out[p.slice(0, eq)] = p.slice(eq + 1);
  }
  return out;
}
