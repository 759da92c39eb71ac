import type { Writable } from 'node:stream';

/** Where a command writes: results to stdout, everything for humans to stderr. */
export interface Io {
  stdout: Writable;
  stderr: Writable;
  /** Whether stderr is a terminal (progress bars redraw in place only then). */
  stderrIsTTY: boolean;
  /** Aborted on the first Ctrl-C. */
  signal: AbortSignal;
}

export const line = (s: string): string => `${s}\n`;

export function printJson(io: Io, value: unknown): void {
  io.stdout.write(line(JSON.stringify(value, null, 2)));
}
