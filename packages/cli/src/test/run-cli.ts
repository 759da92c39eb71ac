import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { testEnv } from '@inferq/testkit';

/** The built bin, run the way a user runs it (`tsc -b` first). */
const MAIN = resolve(__dirname, '../../dist/main.js');

export interface CliRun {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Times (ms since start) at which stdout received data. */
  stdoutTimes: number[];
  exited: Promise<number>;
}

export function spawnCli(args: string[], env: Record<string, string>, input?: string): CliRun {
  const started = Date.now();
  const child = spawn(process.execPath, [MAIN, ...args], {
    env: { PATH: testEnv().PATH ?? '', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  const stdoutTimes: number[] = [];
  child.stdout?.on('data', (d: Buffer) => {
    out += d.toString();
    stdoutTimes.push(Date.now() - started);
  });
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  child.stdin?.end(input);
  const exited = new Promise<number>((r) => child.on('close', (code, signal) => r(code ?? (signal ? 128 : -1))));
  return { child, stdout: () => out, stderr: () => err, stdoutTimes, exited };
}

export async function runCli(args: string[], env: Record<string, string>, input?: string) {
  const run = spawnCli(args, env, input);
  const code = await run.exited;
  return { code, stdout: run.stdout(), stderr: run.stderr(), stdoutTimes: run.stdoutTimes };
}
