/**
 * The state of a run's progress, folded from parsed lines (and from the Python helper's
 * events): the newest step, total, epoch, rate, loss and metrics, and when the step last moved.
 * A redraw of the same step is not progress; neither is output that carries no counter.
 */

import { lastVisibleSegment } from '../text/terminal-text.ts';
import { type LossValue, ProgressLineParser, type ProgressUpdate } from './parse-line.ts';

export type Progress = {
  step: number | null;
  total: number | null;
  epoch: number | null;
  /** Steps per second. */
  rate: number | null;
  /** Holds the training loss as `loss`. */
  metrics: Record<string, LossValue>;
  /** Epoch ms of the last change of step. */
  updated_at: number | null;
};

const MAX_PARTIAL = 16 * 1024;

export class ProgressTracker {
  readonly progress: Progress = { step: null, total: null, epoch: null, rate: null, metrics: {}, updated_at: null };
  /** How many times the step moved. */
  advances = 0;
  #stepRank = -1;
  #parser = new ProgressLineParser();
  #partial = '';
  #rateFrom: { step: number; at: number } | null = null;
  #statedRate = false;

  /**
   * Output text as it arrives. Only complete segments are parsed, and of a run of `\r` redraws
   * only the newest: a tqdm bar redrawn a thousand times costs one parse.
   */
  pushText(text: string, now: number): boolean {
    const data = this.#partial + text;
    const lastBreak = Math.max(data.lastIndexOf('\n'), data.lastIndexOf('\r'));
    if (lastBreak === -1) {
      this.#partial = data.length > MAX_PARTIAL ? '' : data;
      return false;
    }
    this.#partial = data.length - lastBreak - 1 > MAX_PARTIAL ? '' : data.slice(lastBreak + 1);
    let moved = false;
    for (const line of data.slice(0, lastBreak).split('\n')) {
      const segment = lastVisibleSegment(line);
      if (segment && this.pushLine(segment, now)) moved = true;
    }
    return moved;
  }

  /** Parses what is left without a line end (end of output). */
  flush(now: number): boolean {
    const rest = lastVisibleSegment(this.#partial);
    this.#partial = '';
    return rest ? this.pushLine(rest, now) : false;
  }

  /** One line of output; true when the step moved. */
  pushLine(line: string, now: number): boolean {
    const update = this.#parser.parse(line);
    return update ? this.apply(update, now) : false;
  }

  /** Folds an update (parsed, or from the helper); true when the step moved. */
  apply(update: ProgressUpdate, now: number): boolean {
    const p = this.progress;
    let moved = false;
    if (update.step !== undefined && (update.stepRank ?? 2) >= this.#stepRank) {
      this.#stepRank = update.stepRank ?? 2;
      if (update.step !== p.step) {
        moved = true;
        this.advances += 1;
        p.updated_at = now;
        this.#observeRate(update.step, now);
      }
      p.step = update.step;
      if (update.total !== undefined) p.total = update.total;
    }
    if (update.epoch !== undefined) p.epoch = update.epoch;
    if (update.rate !== undefined) {
      p.rate = update.rate;
      this.#statedRate = true;
    }
    if (update.metrics) Object.assign(p.metrics, update.metrics);
    if (update.loss !== undefined) p.metrics.loss = update.loss;
    return moved;
  }

  /** The progress as shown: a log that only counts epochs counts them as its steps. */
  snapshot(): Progress {
    const p = this.progress;
    if (p.step === null && p.epoch !== null) return { ...p, step: Math.floor(p.epoch), metrics: { ...p.metrics } };
    return { ...p, metrics: { ...p.metrics } };
  }

  #observeRate(step: number, now: number): void {
    if (this.#statedRate) return;
    if (!this.#rateFrom || step < this.#rateFrom.step) {
      this.#rateFrom = { step, at: now };
      return;
    }
    const seconds = (now - this.#rateFrom.at) / 1000;
    if (seconds >= 1) {
      this.progress.rate = (step - this.#rateFrom.step) / seconds;
      this.#rateFrom = { step, at: now };
    }
  }
}
