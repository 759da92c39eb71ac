#!/usr/bin/env node
import { runCli } from './cli';
import { loadCliEnv, UsageError } from './env';

/** The `inferq` bin: env, Ctrl-C, exit code; everything else is runCli. */
async function main(): Promise<void> {
  const controller = new AbortController();
  process.once('SIGINT', () => controller.abort(new Error('interrupted')));
  let env;
  try {
    env = loadCliEnv();
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`inferq: ${err.message}\n`);
    process.exit(2);
  }
  const io = {
    stdout: process.stdout,
    stderr: process.stderr,
    stderrIsTTY: process.stderr.isTTY === true,
    signal: controller.signal,
  };
  process.exitCode = await runCli(process.argv.slice(2), env, io);
}

void main();
