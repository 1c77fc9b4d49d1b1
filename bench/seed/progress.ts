import { performance } from 'node:perf_hooks';

const fmt = (n: number) => Math.round(n).toLocaleString('en-GB');

/**
 * A line per step on stderr: rows written (of those expected), rows per second and elapsed time. On a terminal the
 * line is redrawn in place as ranges finish; elsewhere (a log, CI) it is written once, when the step ends.
 */
export class Progress {
  private label = '';
  private total = 0;
  private started = 0;
  private lastDraw = 0;

  constructor(
    private readonly tty = Boolean(process.stderr.isTTY),
    private readonly write: (text: string) => void = (text) => process.stderr.write(text),
  ) {}

  start(label: string, total: number): void {
    this.label = label;
    this.total = total;
    this.started = performance.now();
    this.lastDraw = 0;
    if (this.tty) this.draw(0, false);
  }

  update(done: number): void {
    if (!this.tty) return;
    const now = performance.now();
    if (now - this.lastDraw < 100) return;
    this.lastDraw = now;
    this.draw(done, false);
  }

  finish(done: number, seconds: number): void {
    this.draw(done, true, seconds);
  }

  private draw(done: number, final: boolean, seconds = (performance.now() - this.started) / 1000): void {
    const width = 24;
    const share = this.total > 0 ? Math.min(1, done / this.total) : 1;
    const bar = final ? '#'.repeat(width) : `${'#'.repeat(Math.floor(share * width))}${'.'.repeat(width - Math.floor(share * width))}`;
    const rate = seconds > 0 ? done / seconds : 0;
    const counts = this.total > 0 && !final ? `${fmt(done)}/${fmt(this.total)}` : fmt(done);
    const line = `  ${this.label.padEnd(14)} [${bar}] ${counts.padStart(17)} rows  ${fmt(rate).padStart(9)} rows/s  ${seconds.toFixed(1).padStart(6)} s`;
    this.write(this.tty ? `\r\x1b[2K${line}${final ? '\n' : ''}` : `${line}\n`);
  }
}
