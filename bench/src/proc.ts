import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

export const ROOT = resolve(__dirname, '../..');

export interface Proc {
  readonly child: ChildProcess;
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<void>;
  /** The last 20,000 characters it wrote (stdout and stderr). */
  output(): string;
  /** Resident set size in MB, read from /proc. */
  rssMb(): number;
  stop(): Promise<void>;
}

/** Runs a built script with node directly, so its pid is the server's own (for RSS). */
export function startNode(script: string, env: Record<string, string>): Proc {
  const child = spawn(process.execPath, [resolve(ROOT, script)], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const listeners = new Set<() => void>();
  const onData = (d: Buffer) => {
    out = (out + d.toString()).slice(-20_000);
    for (const l of listeners) l();
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const exited = new Promise<void>((r) => child.on('exit', () => r()));
  return {
    child,
    waitFor(pattern, timeoutMs = 30_000) {
      return new Promise((ok, fail) => {
        const check = () => {
          if (!pattern.test(out)) return;
          listeners.delete(check);
          clearTimeout(timer);
          ok();
        };
        const timer = setTimeout(
          () => fail(new Error(`${script}: no ${pattern} in ${timeoutMs} ms:\n${out}`)),
          timeoutMs,
        );
        listeners.add(check);
        check();
      });
    },
    output: () => out,
    rssMb() {
      try {
        const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
        const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
        return Math.round(kb / 102.4) / 10;
      } catch {
        return 0;
      }
    },
    async stop() {
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(killer);
    },
  };
}

/** Samples a process's RSS every 100 ms while `work` runs; returns the peak (MB). */
export async function peakRss<T>(proc: Proc, work: () => Promise<T>): Promise<{ result: T; peakMb: number }> {
  let peakMb = proc.rssMb();
  const timer = setInterval(() => {
    peakMb = Math.max(peakMb, proc.rssMb());
  }, 100);
  try {
    const result = await work();
    return { result, peakMb: Math.max(peakMb, proc.rssMb()) };
  } finally {
    clearInterval(timer);
  }
}
