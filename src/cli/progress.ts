/**
 * The progress line on stderr: nothing for runs under a second, then redrawn in place on a terminal, or a
 * plain line every few seconds when stderr is a file or pipe.
 */
import type { Stats } from '../engine/types.js';

export interface ProgressSink {
  readonly isTTY: boolean;
  write(text: string): void;
}

export class Progress {
  private last = 0;
  private drawn = false;

  constructor(private readonly sink: ProgressSink) {}

  update(s: Stats): void {
    this.show(s.seconds, () => {
      const rate = Math.round(s.distinct / s.seconds);
      return `kmc: ${s.generated} generated, ${s.distinct} distinct, ${s.queued} queued, depth ${s.depth}, ${rate} distinct/s`;
    });
  }

  /** Shows a line after `seconds` of work, at the pace above; `line` is built only when it is shown. */
  show(seconds: number, line: () => string): void {
    if (seconds < 1) return;
    const every = this.sink.isTTY ? 0.25 : 5;
    if (seconds - this.last < every) return;
    this.last = seconds;
    this.write(line());
  }

  private write(line: string): void {
    if (this.sink.isTTY) {
      this.sink.write(`\r${line}\x1b[K`);
      this.drawn = true;
    } else {
      this.sink.write(`${line}\n`);
    }
  }

  /** Clears the redrawn line before the report is printed. */
  done(): void {
    if (this.drawn) this.sink.write('\r\x1b[K');
    this.drawn = false;
  }
}
