import { InferqApiError, InferqClient, InferqConnectionError, InferqError } from '@inferq/client';
import { batchCommand } from './commands/batch.command';
import { cancelCommand, getCommand, modelsCommand } from './commands/jobs.command';
import { submitCommand } from './commands/submit.command';
import type { CliEnv } from './env';
import { UsageError } from './env';
import type { Io } from './io';
import { line } from './io';

export const USAGE = `inferq: submit and follow LLM inference jobs

Usage:
  inferq submit --model MODEL [options] PROMPT...   submit a job (PROMPT "-" or none reads stdin)
      --wait            wait for the result and print its text
      --stream          print tokens as they are generated
      --json            print JSON (the accepted job, or with --wait the whole record)
      --system TEXT     a system message before the prompt
      --max-tokens N    --temperature X    --priority high|normal|low    --timeout SECONDS
      --metadata K=V    (repeatable)       --idempotency-key KEY
  inferq get ID [--wait]                            print a job's record (--wait: once it has ended)
  inferq cancel ID                                  cancel a job
  inferq models [--json]                            the models this deployment serves
  inferq batch FILE.jsonl --out RESULTS.jsonl [--model MODEL] [--concurrency N]
                                                    run one job per line; rerun the same command to resume
      --server-side     run the file as one server-side batch (OpenAI Batch API): upload, create,
                        progress from request_counts, then write the output and error lines
      --window W        its completion window (24h; shorter such as 1h or 60s)

Environment:
  INFERQ_URL       the api (default http://127.0.0.1:3000)
  INFERQ_API_KEY   your API key (npm start prints a development key)

Exit codes: 0 done, 1 the job or the API failed, 2 usage error, 130 interrupted.
`;

type Command = (client: InferqClient, args: string[], io: Io) => Promise<number>;
const COMMANDS: Record<string, Command> = {
  submit: submitCommand,
  get: getCommand,
  cancel: cancelCommand,
  models: modelsCommand,
  batch: batchCommand,
};

/** Runs one command line; resolves with the exit code and never throws. */
export async function runCli(argv: string[], env: CliEnv, io: Io): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    (name === undefined ? io.stderr : io.stdout).write(USAGE);
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS[name];
  try {
    if (!command) throw new UsageError(`unknown command "${name}" (try inferq --help)`);
    if (!env.apiKey) throw new UsageError('INFERQ_API_KEY is not set: export the key npm start printed');
    return await command(new InferqClient({ baseUrl: env.url, apiKey: env.apiKey }), rest, io);
  } catch (err) {
    return report(err, env, io);
  }
}

function report(err: unknown, env: CliEnv, io: Io): number {
  if (
    err instanceof UsageError ||
    (err instanceof TypeError && 'code' in err && String(err.code).startsWith('ERR_PARSE_ARGS'))
  ) {
    io.stderr.write(line(`inferq: ${err.message}`));
    return 2;
  }
  if (err instanceof InferqApiError) {
    io.stderr.write(line(`inferq: ${err.status} ${err.message}`));
    for (const d of err.details) io.stderr.write(line(`  ${d.path}: ${d.message}`));
    return 1;
  }
  if (err instanceof InferqConnectionError) {
    io.stderr.write(line(`inferq: cannot reach ${env.url} (${err.message}); is inferq running? (npm start)`));
    return 1;
  }
  if (io.signal.aborted) return 130;
  io.stderr.write(line(`inferq: ${err instanceof InferqError || err instanceof Error ? err.message : String(err)}`));
  return 1;
}
