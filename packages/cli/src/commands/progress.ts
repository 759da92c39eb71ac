import type { Io } from '../io';

/**
 * A progress bar on stderr: redrawn in place (at most 10 times a second) on a
 * terminal, a plain line every 5 s otherwise (CI logs), and a summary at the end.
 */
export class Progress {
  ok = 0;
  failed = 0;
  inFlight = 0;
  private readonly started = Date.now();
  private lastDraw = 0;

  constructor(
    private readonly io: Io,
    private readonly total: number,
    private readonly skipped: number,
  ) {}

  update(): void {
    const now = Date.now();
    if (now - this.lastDraw < (this.io.stderrIsTTY ? 100 : 5000)) return;
    this.lastDraw = now;
    this.io.stderr.write(this.io.stderrIsTTY ? `\r\x1b[2K${this.render()}` : `${this.render()}\n`);
  }

  end(): void {
    this.io.stderr.write(`${this.io.stderrIsTTY ? '\r\x1b[2K' : ''}${this.render()}\n`);
  }

  render(): string {
    const done = this.skipped + this.ok + this.failed;
    const width = 24;
    const filled = this.total === 0 ? width : Math.round((done / this.total) * width);
    const seconds = Math.max(0.001, (Date.now() - this.started) / 1000);
    const rate = (this.ok + this.failed) / seconds;
    const eta = rate > 0 ? `${Math.ceil((this.total - done) / rate)}s` : '?';
    const bar = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
    return `${bar} ${done}/${this.total} ok ${this.ok} failed ${this.failed} running ${this.inFlight} | ${rate.toFixed(1)} jobs/s | eta ${eta}`;
  }
}
