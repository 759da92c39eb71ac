import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, readSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT = resolve(__dirname, '../..');

export interface Proc {
  readonly child: ChildProcess;
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<void>;
  /** The last 20,000 characters it wrote (stdout and stderr). */
  output(): string;
  /** Resident set size in MB, read from /proc. */
  rssMb(): number;
  /** CPU time it has used so far, user and system, all threads (ms, from /proc). */
  cpuMs(): number;
  stop(): Promise<void>;
}

/**
 * Runs a built script with node directly, so its pid is the server's own (for
 * RSS). Its output goes to a file, not a pipe: draining a pipe of access-log
 * lines cost the bench process (which also runs the load generator) CPU that
 * only the system logging most paid, and a pipe read too slowly stalls the
 * child's synchronous stdout writes. Production logs go to a file or a
 * collector too.
 */
export function startNode(script: string, env: Record<string, string>): Proc {
  const dir = mkdtempSync(join(tmpdir(), 'inferq-bench-'));
  const logPath = join(dir, 'output.log');
  const fd = openSync(logPath, 'w');
  const child = spawn(process.execPath, [resolve(ROOT, script)], {
    env: { ...process.env, ...env },
    stdio: ['ignore', fd, fd],
  });
  closeSync(fd);
  const output = () => tail(logPath, 20_000);
  const exited = new Promise<void>((r) => child.on('exit', () => r()));
  return {
    child,
    waitFor: (pattern, timeoutMs = 30_000) =>
      pollFor(
        () => pattern.test(output()),
        timeoutMs,
        () => new Error(`${script}: no ${pattern} in ${timeoutMs} ms:\n${output()}`),
      ),
    output,
    rssMb: () => rssMbOf(child.pid),
    cpuMs: () => cpuMsOf(child.pid),
    async stop() {
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(killer);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The last `chars` characters of a file ('' when it is gone). */
function tail(path: string, chars: number): string {
  try {
    const size = statSync(path).size;
    const fd = openSync(path, 'r');
    try {
      const buf = Buffer.alloc(Math.min(size, chars * 4));
      readSync(fd, buf, 0, buf.length, size - buf.length);
      return buf.toString().slice(-chars);
    } finally {
      closeSync(fd);
    }
  } catch {
    return '';
  }
}

/** Resolves once `check` holds (checked every 25 ms), rejects with `error()` after `timeoutMs`. */
function pollFor(check: () => boolean, timeoutMs: number, error: () => Error): Promise<void> {
  return new Promise((ok, fail) => {
    const deadline = Date.now() + timeoutMs;
    const tick = () => {
      if (check()) return ok();
      if (Date.now() > deadline) return fail(error());
      setTimeout(tick, 25);
    };
    tick();
  });
}

/** utime + stime of /proc/<pid>/stat (fields 14 and 15, in clock ticks of 10 ms on Linux); 0 when gone. */
function cpuMsOf(pid: number | undefined): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces: count fields after its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return 0;
  }
}

function rssMbOf(pid: number | undefined): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
    return Math.round(kb / 102.4) / 10;
  } catch {
    return 0;
  }
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
