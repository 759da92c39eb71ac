import { appendFileSync } from 'node:fs';

export interface Figures {
  submitted: number;
  acknowledged: number;
  terminal: number;
  lost: number;
  duplicated: number;
  /** Longest time from a fault to the system working again (scenario-specific), in seconds. */
  maxRecoveryS: number;
  /** Scenario-specific figures, printed after the common ones. */
  extra?: Record<string, string | number>;
}

/**
 * Prints a scenario's one line of figures at once and keeps it for the
 * summary the reporter prints at the end of the run.
 */
export function reportFigures(name: string, f: Figures): string {
  const extra = Object.entries(f.extra ?? {})
    .map(([k, v]) => ` ${k}=${v}`)
    .join('');
  const line =
    `chaos ${name}: submitted=${f.submitted} acknowledged=${f.acknowledged} terminal=${f.terminal}` +
    ` lost=${f.lost} duplicated=${f.duplicated} max_recovery_s=${f.maxRecoveryS.toFixed(1)}${extra}`;
  process.stdout.write(`${line}\n`);
  const file = process.env.CHAOS_FIGURES_FILE;
  if (file) appendFileSync(file, `${line}\n`);
  return line;
}

/** `status:count` pairs for a figure line, e.g. `0:3,503:12`, or `none`. */
export function countsOf(m: Map<number, number>): string {
  return [...m].map(([k, v]) => `${k}:${v}`).join(',') || 'none';
}
