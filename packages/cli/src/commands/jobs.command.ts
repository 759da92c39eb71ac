import { parseArgs } from 'node:util';
import type { InferqClient } from '@inferq/client';
import { UsageError } from '../env';
import type { Io } from '../io';
import { line, printJson } from '../io';

function oneId(positionals: string[]): string {
  if (positionals.length !== 1) throw new UsageError('expected exactly one job id');
  return positionals[0];
}

/** inferq get ID [--wait]: the record as JSON; --wait long-polls until the job has ended. */
export async function getCommand(client: InferqClient, args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({ args, options: { wait: { type: 'boolean' } }, allowPositionals: true });
  const id = oneId(positionals);
  const job = values.wait
    ? await client.jobs.wait(id, { signal: io.signal })
    : await client.jobs.get(id, { signal: io.signal });
  printJson(io, job);
  return 0;
}

/** inferq cancel ID: the canceled record; a job that already ended is a 409 (exit 1). */
export async function cancelCommand(client: InferqClient, args: string[], io: Io): Promise<number> {
  const id = oneId(parseArgs({ args, allowPositionals: true }).positionals);
  printJson(io, await client.jobs.cancel(id, { signal: io.signal }));
  return 0;
}

/** inferq models [--json]: an aligned table, or the JSON list. */
export async function modelsCommand(client: InferqClient, args: string[], io: Io): Promise<number> {
  const { values } = parseArgs({ args, options: { json: { type: 'boolean' } }, strict: true });
  const models = await client.models.list({ signal: io.signal });
  if (values.json) {
    printJson(io, models);
    return 0;
  }
  const rows = [['MODEL', 'BACKEND', 'POOL'], ...models.map((m) => [m.id, m.backend, m.pool])];
  const widths = [0, 1].map((c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  for (const r of rows) io.stdout.write(line(`${r[0].padEnd(widths[0] + 2)}${r[1].padEnd(widths[1] + 2)}${r[2]}`));
  return 0;
}
