/**
 * The one-line live status under a job's output in a terminal: step, rate, ETA, age of the last
 * output, memory. It is drawn only when the job's own output sits at the start of a line and
 * has been quiet for a moment, and erased before the next chunk is echoed, so it never splits
 * or overwrites a line of the job's. Nothing of it when stdout is not a terminal.
 */

import { formatDuration } from '../core/duration.ts';
import { formatSize } from '../core/size.ts';
import { fitParts } from '../core/text/fit-parts.ts';
import { out } from './colours.ts';
import { formatRate, formatStages } from './format.ts';
import type { OutputSink } from '../supervisor/output-sink.ts';
import type { RunWatchdog } from '../supervisor/watchdog.ts';

const REDRAW_MS = 1000;
const QUIET_MS = 400;

export class StatusLine {
  #stream: NodeJS.WriteStream;
  #shown = false;
  #timer: NodeJS.Timeout | null = null;

  constructor(stream: NodeJS.WriteStream) {
    this.#stream = stream;
  }

  start(watchdog: RunWatchdog, sink: OutputSink): void {
    this.#timer = setInterval(() => {
      const now = Date.now();
      // Only while the echo (the other writer of this terminal) is idle at the start of a line.
      if (!sink.echo?.settled(now, QUIET_MS)) return;
      this.clear();
      // One column short of the width: a full line would make some terminals wrap.
      const text = fitParts('vigil ▸ ', describe(watchdog, sink, now, watchdog.memoryBytes), ' · ', (this.#stream.columns || 80) - 1);
      this.#stream.write(out.dim(text));
      this.#shown = true;
    }, REDRAW_MS);
    this.#timer.unref();
  }

  /** Erases the status line (before the job's output is echoed, and at the end). */
  clear = (): void => {
    if (!this.#shown) return;
    this.#stream.write('\r\x1b[K');
    this.#shown = false;
  };

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.clear();
  }
}

/** The parts of the line, most important first (a narrow terminal drops them from the end). */
function describe(watchdog: RunWatchdog, sink: OutputSink, now: number, memoryBytes: number): string[] {
  const p = watchdog.progress();
  const parts: string[] = [];
  if (p.step !== null) parts.push(`step ${p.step}${p.total !== null ? `/${p.total}` : ''}`);
  if (p.rate !== null && p.rate > 0) {
    parts.push(formatRate(p.rate));
    if (p.total !== null && p.step !== null && p.total > p.step) parts.push(`ETA ${formatDuration(((p.total - p.step) / p.rate) * 1000)}`);
  }
  if (p.metrics.loss !== undefined) parts.push(`loss ${String(p.metrics.loss)}`);
  const stages = watchdog.stages.snapshot(now);
  if (stages.length > 0) parts.push(formatStages(stages));
  parts.push(sink.lastOutputAt !== null ? `last output ${formatDuration(now - sink.lastOutputAt)} ago` : 'no output yet');
  if (memoryBytes > 0) parts.push(`mem ${formatSize(memoryBytes)}`);
  return parts;
}
