/**
 * The state of a run's progress, folded from parsed lines (and from the Python helper's
 * events): the newest step, total, epoch, rate, loss and metrics, and when the step last moved.
 * A redraw of the same step is not progress; neither is output that carries no counter.
 */

import { lastVisibleSegmentOf } from '../text/terminal-text.ts';
import { LOSS_ITSELF_RANK, NAMED_LOSS_RANK, kindOf } from './key-kinds.ts';
import { LearnedProgress, type LearnedUpdate } from './learned-progress.ts';
import { readJsonLine } from './json-progress.ts';
import { PastedLineNumbers } from './line-numbers.ts';
import { mergeLearned } from './merge-learned.ts';
import { normaliseLine } from './normalise-line.ts';
import { TableHeaders } from './table-header.ts';
import { TracebackLines } from './traceback-lines.ts';
import { CALLBACK_REPORT, EVALUATION_TERMS, type LossValue, ProgressLineParser, type ProgressUpdate } from './parse-line.ts';
import { LEADING_TIMESTAMP } from './numeric-fields.ts';

/** A line of a printed PyTorch model (`(0): GraphConv(1433->64)`, `(dropout): Dropout(p=0.6)`): its layer indices count nothing. */
const MODULE_LINE = /^\s*\([\w.]+\): [A-Z]\w*\(/;
/** A line that says its values are averages (MetricLogger's `Averaged stats:`, `mean loss`). */
const AVERAGED = /\b(?:averaged?|avg|mean)\b/i;
/** Weights & Biases' own lines (its run summary and history at the end, sync notices): a report of logged values, no progress. */
const WANDB_LINE = /^\W{0,8}wandb: /;
/** A line announcing an evaluation (`testing in eval mode……`, `Evaluating...`, `Validation:`), no numbers on it. */
const EVALUATION_BANNER = new RegExp(String.raw`^\W*(?:(?:start(?:ing)?|running|now|begin(?:ning)?)\s+)?(?:${EVALUATION_TERMS})\b`, 'i');

/** A loss named as the training's (`Train Loss:`, `training_loss`): the line is training's, whatever was announced before it. */
const TRAINING_LOSS_NAMED = /\btrain(?:ing)?[ _-]?loss\b/i;
/** A banner saying training (again): an evaluation announced before it is over (`I Training epoch 1...`). */
const TRAINING_BANNER = /^\W*(?:(?:start(?:ing)?|resum(?:e|ing)|begin(?:ning)?)\s+)?train(?:ing)?\b/i;
/**
 * What a logger prints before the message: a bracket holding the time (`[2024-11-15 13:55:43,832 INFO train.py line 125 2491476]`),
 * a leading clock time, a level (`INFO:`, `| INFO |`, DeepSpeech's `I `). Banners are read after it.
 */
const LOGGER_HEADER = new RegExp(
  String.raw`^\s*(?:(?:\[[^\]]*\d\d:\d\d[^\]]*\]|${LEADING_TIMESTAMP.source})\s*[-|:]?\s*)?(?:\[?(?:INFO|DEBUG|WARN(?:ING)?|ERROR|CRITICAL)\]?\s*[:|-]?\s*|[IWDE] (?=[A-Z]))?`,
);

/** How a line with a logger's header starts: most lines are spared LOGGER_HEADER at their first character. */
const MAY_HAVE_HEADER = /^\s*(?:[[\d]|[IWDE] [A-Z]|(?:INFO|DEBUG|WARN|ERROR|CRITICAL)\b)/;

/** An epoch or step named with its number (`Test on Epoch 30`): a banner may say which one it evaluates, and no more. */
const COUNT_NAMED = /\b(?:epoch|step|iter(?:ation)?)\s*:?\s*\d+(?:\s*\/\s*\d+)?/gi;

/** The update less the count it read: that count is no training step (an evaluation's bar, a size, a count after training). */
function withoutStep(update: ProgressUpdate): ProgressUpdate {
  return { ...update, step: undefined, stepRank: undefined, total: undefined, bar: undefined, sizeLike: undefined };
}

/** What an evaluation's line may still say of the training: its epoch. */
function evaluationOnly(update: ProgressUpdate): ProgressUpdate | null {
  return update.epoch !== undefined ? { epoch: update.epoch } : null;
}

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

const LINE_FEED = 0x0a;
const CARRIAGE_RETURN = 0x0d;
/** Of a longer line only its end is read: the newest `\r` redraws are there. */
const MAX_LINE = 32 * 1024;
const HEAD_LINES = 100;
/**
 * How far back under a line that shows no step its redraws are read for one (see #coveredCount): past an evaluation
 * bar's redraws (tqdm's leave=False draws one per batch, each of them no step) to the training bar's last.
 */
const COVERED_SEGMENTS = 32;
/** A reading of a line that gives a training step. */
const givesStep = (updates: readonly ProgressUpdate[]) => updates.some((update) => update.step !== undefined);
const TAIL_LINES = 400;
/** Losses read within which two different loss parts make the loss a sum of parts nobody printed. */
const PART_WINDOW = 32;
/** Advances of a lesser step reading, with no surer one between, after which the surer reading is taken to be over. */
const LESSER_ADVANCES_TO_TAKE_OVER = 3;
const ENCODER = new TextEncoder();
const DECODER = new TextDecoder();

/** Where the last `count` lines of bytes[0, end) begin (0 when there are fewer). */
function startOfLastLines(bytes: Uint8Array, end: number, count: number): number {
  let at = end;
  for (let n = 0; n < count; n += 1) {
    at = at > 0 ? bytes.lastIndexOf(LINE_FEED, at - 1) : -1;
    if (at === -1) return 0;
  }
  return at + 1;
}

const tailOf = (bytes: Uint8Array) => (bytes.length > MAX_LINE ? bytes.subarray(bytes.length - MAX_LINE) : bytes);

/** The unfinished last line, kept in one fixed buffer (only its last MAX_LINE bytes): a job printing without newlines allocates nothing. */
class PartialLine {
  #bytes = new Uint8Array(MAX_LINE);
  #length = 0;

  append(more: Uint8Array): void {
    const tail = tailOf(more);
    const keep = Math.min(this.#length, MAX_LINE - tail.length);
    if (keep < this.#length) this.#bytes.copyWithin(0, this.#length - keep, this.#length);
    this.#bytes.set(tail, keep);
    this.#length = keep + tail.length;
  }

  /** The line so far; valid until the next change. */
  get bytes(): Uint8Array {
    return this.#bytes.subarray(0, this.#length);
  }

  get empty(): boolean {
    return this.#length === 0;
  }

  clear(): void {
    this.#length = 0;
  }
}

/** The other readers' update with a JSON line's reading over it: no loss or metric but the JSON's own. */
function withJson(merged: ProgressUpdate | null, json: ProgressUpdate): ProgressUpdate {
  const update: ProgressUpdate = { ...merged, ...json };
  if (json.loss === undefined) [update.loss, update.lossRank] = [undefined, undefined];
  if (json.metrics === undefined) update.metrics = undefined;
  return update;
}

type Bar = { step: number; total: number | null };

export class ProgressTracker {
  readonly progress: Progress = { step: null, total: null, epoch: null, rate: null, metrics: {}, updated_at: null };
  /** How many times the step moved. */
  advances = 0;
  /** Bytes of floods left unparsed (see pushBytes). */
  skippedBytes = 0;
  #stepRank = -1;
  /** How often a lesser reading of the step counted up since the surer one last came, and its last value (see #surerSourceWentQuiet). */
  #lesserAdvances = 0;
  #lesserLast: number | null = null;
  /** Losses read so far, and the loss parts seen among the last of them, by when (see #isOnePartOfSeveral). */
  #lossesRead = 0;
  readonly #recentParts = new Map<string, number>();
  /** The job writes its epoch as a fraction (HF): a whole value of it (`0.0`) is no count of epochs either. */
  #epochsAreFractions = false;
  /** The epochs' stated total (`Epoch 3/10`), shown as the total when the epochs count as the steps. */
  #epochTotal: number | null = null;
  /** The training bar's last count; and once the trainer said training is over, that bar's total (see #endTraining). */
  #lastBar: Bar | null = null;
  /** The bar with the largest total since training last ended (a run's training bar, beside its evaluations' shorter ones). */
  #longestBar: Bar | null = null;
  /** The total of the last bar that showed a training loss (its postfix), once one has: a bar without one to another total is no training's. */
  #lossBarTotal: number | null | undefined = undefined;
  #ended: { barTotal: number | null } | null = null;
  /** How the step was read: how often, whether its value ever changed, as a word that names sizes too, and how often the epoch moved since (see #stepIsNoCount). */
  #stepReadings = 0;
  /** The step last read came with its stated total (`1/10`). */
  #stepHadTotal = false;
  #stepChanged = false;
  #stepSizeLike = false;
  #epochMovesSinceFirstStep = 0;
  /** The bar an evaluation was announced for, as last drawn, while its redraws come a line at a time. */
  #announcedBar: Bar | null = null;
  #lossRank = Number.POSITIVE_INFINITY;
  /** The last lines that counted anything were an evaluation's; the last loss read came with its step (see #summaries). */
  #afterEvaluation = false;
  #lossHadItsStep = false;
  /** The last line announced an evaluation (EVALUATION_BANNER): the next with numbers is its result. */
  #evaluationAnnounced = false;
  #parser = new ProgressLineParser();
  #learned = new LearnedProgress();
  #tables = new TableHeaders();
  #lineNumbers = new PastedLineNumbers();
  readonly #traceback = new TracebackLines();
  #partial = new PartialLine();
  #rateFrom: { step: number; at: number } | null = null;
  #statedRate = false;

  /** Output text (tests, whole samples): see pushBytes. */
  pushText(text: string, now: number): boolean {
    return this.pushBytes(ENCODER.encode(text), now);
  }

  /**
   * Output bytes as they arrive (the buffer may be reused afterwards). Only complete lines are
   * parsed, and of a run of `\r` redraws only the newest: a tqdm bar redrawn a thousand times
   * costs one parse. Of a flood (more than HEAD_LINES + TAIL_LINES lines in one chunk: vigil is
   * catching up with a job that prints faster than lines can be parsed) only the first and the
   * last lines are: the state stays current, a first advance is still seen, and the cost of a
   * chunk is bounded. Only the lines parsed are ever decoded.
   */
  pushBytes(chunk: Uint8Array, now: number): boolean {
    const lastBreak = Math.max(chunk.lastIndexOf(LINE_FEED), chunk.lastIndexOf(CARRIAGE_RETURN));
    if (lastBreak === -1) {
      this.#partial.append(chunk);
      return false;
    }
    let moved = false;
    const parse = (from: number, to: number) => {
      let bytes = chunk.subarray(from, to);
      if (from === 0 && !this.#partial.empty) {
        this.#partial.append(bytes);
        bytes = this.#partial.bytes;
      }
      const line = tailOf(bytes);
      const segment = lastVisibleSegmentOf(line);
      // A line an evaluation was announced for is the evaluation's, the redraws under its last one too.
      const announced = this.#evaluationAnnounced;
      const shown = segment.length > 0 ? this.#read(DECODER.decode(segment)) : [];
      const before = announced || givesStep(shown) ? [] : this.#coveredCount(line, segment);
      for (const update of [...before, ...shown]) if (this.apply(update, now)) moved = true;
    };
    const endOfLine = (from: number) => {
      const end = chunk.indexOf(LINE_FEED, from);
      return end === -1 || end > lastBreak ? lastBreak : end;
    };
    const tailStart = startOfLastLines(chunk, lastBreak, TAIL_LINES);
    let from = 0;
    for (let n = 0; n < HEAD_LINES && from < tailStart; n += 1) {
      const to = endOfLine(from);
      parse(from, to);
      from = to + 1;
    }
    if (from < tailStart) {
      this.skippedBytes += tailStart - from;
      from = tailStart;
    }
    while (from < lastBreak || (from === 0 && lastBreak === 0)) {
      const to = endOfLine(from);
      parse(from, to);
      from = to + 1;
    }
    this.#partial.clear();
    this.#partial.append(chunk.subarray(lastBreak + 1));
    return moved;
  }

  /**
   * What the redraws under a line that shows no step said: a log line printed over a bar
   * (`bar\r{'loss': …}`) covers the bar's newest count, and an evaluation bar drawn over a
   * training bar (tqdm's leave=False) covers the training bar's. The nearest of up to
   * COVERED_SEGMENTS redraws that gives a step, else the nearest one's reading.
   */
  #coveredCount(line: Uint8Array, segment: Uint8Array): ProgressUpdate[] {
    const olderThan = (redraw: Uint8Array) => redraw.byteOffset - line.byteOffset - 1;
    const end = segment.length > 0 ? olderThan(segment) : 0;
    const nearest = end > 0 ? lastVisibleSegmentOf(line.subarray(0, end)) : null;
    if (!nearest || nearest.length === 0) return [];
    const nearestReading = this.#read(DECODER.decode(nearest));
    if (givesStep(nearestReading)) return nearestReading;
    // The older ones are read in the order they were drawn, as a learned template must see them: a home-made `\r`
    // line's count (`Train 607/920, loss: …`) only advances that way, and is learned from them when a whole text arrives.
    const older: Uint8Array[] = [];
    for (let end = olderThan(nearest); older.length < COVERED_SEGMENTS - 1 && end > 0;) {
      const redraw = lastVisibleSegmentOf(line.subarray(0, end));
      if (redraw.length === 0) break;
      older.push(redraw);
      end = olderThan(redraw);
    }
    const readings = older.reverse().map((redraw) => this.#read(DECODER.decode(redraw)));
    return readings.findLast(givesStep) ?? nearestReading;
  }

  /** Parses what is left without a line end (end of output). */
  flush(now: number): boolean {
    const rest = lastVisibleSegmentOf(this.#partial.bytes);
    const line = rest.length > 0 ? DECODER.decode(rest) : '';
    this.#partial.clear();
    return line ? this.pushLine(line, now) : false;
  }

  /**
   * One line of output; true when the step moved. Known formats are read first (parse-line.ts);
   * what the job's own learned format says fills in (learned-progress.ts, merge-learned.ts).
   */
  pushLine(line: string, now: number): boolean {
    let moved = false;
    for (const update of this.#read(line)) if (this.apply(update, now)) moved = true;
    return moved;
  }

  /** What a line says, per logical line in it (see normaliseLine), not yet folded in. */
  #read(line: string): ProgressUpdate[] {
    const updates: ProgressUpdate[] = [];
    for (const part of normaliseLine(line)) {
      const numbered = this.#lineNumbers.recognised;
      const text = this.#lineNumbers.strip(part);
      // What was learned from the lines before was their pasted numbers counting up: learned again without them,
      // and the step they gave is withdrawn (a log of loss dicts that counts no steps had it from the numbers alone).
      if (!numbered && this.#lineNumbers.recognised) {
        [this.#learned, this.#stepRank] = [new LearnedProgress(), -1];
        if (this.progress.step === this.#lineNumbers.previousNumber) [this.progress.step, this.progress.total] = [null, null];
      }
      if (this.#traceback.skip(part, text) || MODULE_LINE.test(text) || WANDB_LINE.test(text) || CALLBACK_REPORT.test(text)) continue;
      // `testing in eval mode……` alone on its line: the next line with numbers is the evaluation's, whatever its shape.
      const announced = this.#evaluationAnnounced;
      this.#followAnnouncements(text, announced);
      // A row under a header that names its columns is read by them; a known format fills in the rest.
      const row = this.#tables.read(text);
      const parsed = this.#parser.parse(text);
      const named = row ? { ...parsed, ...row, metrics: { ...parsed?.metrics, ...row.metrics } } : parsed;
      // A known format's sure reading (a counter and the loss itself) lets a quiet template skip the learned reading.
      const sureStep = named?.step !== undefined && named.stepRank === 2 && named.lossRank === 0 ? named.step : null;
      const learned = this.#learned.read(text, sureStep);
      const merged = this.#summaries(text, named, learned, mergeLearned(named, learned));
      // A JSON line's keys say what each number is: its losses and metrics are those they name, its step theirs when they name one.
      const json = readJsonLine(text);
      const read = json ? (json.evaluation ? json.update : withJson(merged, json.update)) : merged;
      // Unless the line names its loss as the training's (`Train Loss: 0.0001` after a `Validating` bar).
      const update = announced && read && !TRAINING_LOSS_NAMED.test(text) ? evaluationOnly(read) : read;
      // The evaluation's bar, redrawn a line at a time (no terminal): the announcement holds while that bar goes on
      // (the same total, its count not going back: a bar that starts again after it is another, training's perhaps).
      const bar = announced && read?.bar && read.step !== undefined ? { step: read.step, total: read.total ?? null } : null;
      const same =
        bar !== null && (this.#announcedBar === null || (this.#announcedBar.total === bar.total && this.#announcedBar.step <= bar.step));
      if (same) this.#evaluationAnnounced = true;
      this.#announcedBar = same ? bar : null;
      if (update && Object.keys(update).length > 0) updates.push(update);
    }
    return updates;
  }

  /**
   * Banners, read after the logger's header: one announcing an evaluation makes the next line with numbers the
   * evaluation's, one announcing training ends that; a result that says it is the evaluation's (`Validation of Epoch 1 -
   * loss: …`) keeps the announcement for what follows it (its bar); any other line with numbers ends it.
   */
  #followAnnouncements(text: string, announced: boolean): void {
    const message = withoutLoggerHeader(text);
    if (/\d/.test(message.replace(COUNT_NAMED, ''))) {
      this.#evaluationAnnounced = announced && EVALUATION_BANNER.test(message);
    } else if (EVALUATION_BANNER.test(message)) {
      [this.#evaluationAnnounced, this.#announcedBar] = [true, null];
    } else if (TRAINING_BANNER.test(message)) {
      this.#evaluationAnnounced = false;
    }
  }

  /**
   * A summary with no counter of its own and the loss unqualified (MetricLogger's `Averaged stats: loss: 4.9160 …`): after an
   * evaluation's lines (DETR's `Test: [6/7]`) it is the evaluation's, until a new epoch's header; saying it averages, after
   * training lines that gave the loss with their step, it is their mean, and the last step's loss stands. With nothing
   * before it, it is the loss (and TensorFlow's `Loss for final step:` is the final step's own). A line that opens by naming
   * training (TensorFlow Federated's `Train metrics: loss=0.946` after its `Eval metrics: …`) is training's.
   */
  #summaries(
    text: string,
    named: ProgressUpdate | null,
    learned: LearnedUpdate | null,
    merged: ProgressUpdate | null,
  ): ProgressUpdate | null {
    if (learned?.evaluation === 'said' || named?.notTraining === 'evaluation') this.#afterEvaluation = true;
    else if (merged?.step !== undefined || merged?.epoch !== undefined || saysTraining(text)) this.#afterEvaluation = false;
    const summary = merged !== null && merged.step === undefined && merged.epoch === undefined && merged.lossRank === 0;
    if (summary && (this.#afterEvaluation || (this.#lossHadItsStep && AVERAGED.test(text)))) return null;
    if (merged?.loss !== undefined) this.#lossHadItsStep = merged.step !== undefined;
    return merged;
  }

  /**
   * Called with every update as it is folded in, line by line: what a single line said (a NaN
   * loss between two finite ones) is seen even when a chunk holds many lines.
   */
  onUpdate: ((update: ProgressUpdate) => void) | null = null;

  /** Folds an update (parsed, or from the helper); true when the step moved. */
  apply(update: ProgressUpdate, now: number): boolean {
    const p = this.progress;
    let moved = false;
    if (update.trainingEnded) this.#endTraining();
    // After training only its own bar's last redraws count: an evaluation or prediction bar after it is no training step,
    // and the loss beside that count is the evaluation's (Keras's model.evaluate after fit).
    else if (this.#ended && update.step !== undefined && update.total !== this.#ended.barTotal)
      update = { ...withoutStep(update), loss: undefined, lossRank: undefined, metrics: undefined };
    // A training loss or a new epoch after training ended: another round of training has begun (a second `train()`, `fit()`).
    else if (update.loss !== undefined || (update.epoch !== undefined && update.epoch !== this.progress.epoch)) this.#ended = null;
    if (update.bar && update.step !== undefined && this.#isEvaluationBar(update)) update = withoutStep(update);
    if (update.bar && update.step !== undefined) this.#sawBar({ step: update.step, total: update.total ?? null });
    // A plural that may name a size or a sum (`Total steps: 512` under rsl_rl's `Learning iteration 1/10`) does not replace
    // a count read to its stated total.
    if (update.sizeLike && update.step !== undefined && update.total === undefined && this.#stepHadTotal) update = withoutStep(update);
    if (update.step !== undefined && (update.stepRank ?? 2) >= this.#stepRank) this.#lesserAdvances = 0;
    else if (update.step !== undefined && this.#surerSourceWentQuiet(update.step)) this.#stepRank = update.stepRank ?? 2;
    if (update.step !== undefined && (update.stepRank ?? 2) >= this.#stepRank) {
      this.#stepRank = update.stepRank ?? 2;
      if (p.step !== null && update.step !== p.step) this.#stepChanged = true;
      // A counter seen advancing in lines before (a learned template's), or read with the training loss beside it (a
      // progress report, no start-up setting), is as good as several readings.
      this.#stepReadings += update.seenCounting || update.loss !== undefined ? 2 : 1;
      this.#stepSizeLike = update.sizeLike === true;
      if (update.step !== p.step) {
        moved = true;
        this.advances += 1;
        p.updated_at = now;
        this.#observeRate(update.step, now);
      }
      p.step = update.step;
      if (update.total !== undefined) p.total = update.total;
      this.#stepHadTotal = update.total !== undefined && update.total !== null;
    }
    if (update.epoch !== undefined) {
      if (p.epoch !== null && p.epoch !== update.epoch && p.step !== null) this.#epochMovesSinceFirstStep += 1;
      // A log that never states a step (HF log dicts alone, per-epoch summaries) moves by its epoch.
      if ((p.step === null || this.#stepIsNoCount()) && update.step === undefined && p.epoch !== update.epoch) {
        moved = true;
        this.advances += 1;
        p.updated_at = now;
      }
      p.epoch = update.epoch;
      if (update.epochFraction) this.#epochsAreFractions = true;
      if (update.epochTotal !== undefined) this.#epochTotal = update.epochTotal;
    }
    if (update.rate !== undefined) {
      p.rate = update.rate;
      this.#statedRate = true;
    }
    if (update.metrics) Object.assign(p.metrics, update.metrics);
    // Keys naming the loss itself replace each other, newest first (HF's final `train_loss` after its steps' `loss`);
    // once a job has shown one, a lesser key (`vf_loss`) does not replace it.
    if (update.loss !== undefined && this.#isOnePartOfSeveral(update)) {
      // Losses each named by what it measures, on lines of their own and no whole (SAC's q1/q2/policy losses): none is the loss.
      if (this.#lossRank === NAMED_LOSS_RANK) delete p.metrics.loss;
    } else if (update.loss !== undefined && (update.lossRank ?? 0) <= Math.max(this.#lossRank, LOSS_ITSELF_RANK)) {
      p.metrics.loss = update.loss;
      this.#lossRank = update.lossRank ?? 0;
    }
    if (this.#lastEpochDone()) this.#endTraining();
    this.onUpdate?.(update);
    return moved;
  }

  /** The last epoch stated (`Epoch 3/3`) has had its bar drawn to the end (`1875/1875`): training is over. */
  #lastEpochDone(): boolean {
    const bar = this.#lastBar;
    return (
      this.#ended === null &&
      bar !== null &&
      bar.total !== null &&
      bar.step === bar.total &&
      this.#epochTotal !== null &&
      this.progress.epoch === this.#epochTotal
    );
  }

  /**
   * The trainer said training is over (its end-of-training summary): the step is where its bar
   * ended, whatever a script printed between (`Step 7: Saving final model`), and until training
   * resumes (a training loss again) only that bar's count may still move it.
   */
  #endTraining(): void {
    if (this.#ended !== null || this.#lastBar === null) return;
    // An evaluation's bar drawn last before the summary (HF evaluates at the end of training): training's is the longer one.
    const bar = this.#longestBar !== null && this.#longestBar.step === this.#longestBar.total ? this.#longestBar : this.#lastBar;
    this.#ended = { barTotal: bar.total };
    [this.progress.step, this.progress.total] = [bar.step, bar.total];
    this.#longestBar = null;
  }

  /**
   * A bar without the loss that training's bar shows, counting to a smaller total: the evaluation pass between epochs
   * (SpeechBrain's, a hand-written loop's `tqdm(valid_loader)` with no postfix), not a training step. A longer one may be
   * training's next phase: its steps are kept, so the watchdog never loses a phase that runs long.
   */
  #isEvaluationBar(update: ProgressUpdate): boolean {
    const total = update.total ?? null;
    if (update.loss !== undefined) {
      this.#lossBarTotal = total;
      return false;
    }
    const trainingTotal = this.#lossBarTotal;
    return trainingTotal !== undefined && trainingTotal !== null && total !== null && total < trainingTotal;
  }

  /** The loss is a part named by what it measures, and another such part came within the last PART_WINDOW losses while no whole did. */
  #isOnePartOfSeveral(update: ProgressUpdate): boolean {
    this.#lossesRead += 1;
    if (update.lossRank !== NAMED_LOSS_RANK || this.#lossRank < NAMED_LOSS_RANK) return false;
    const key = Object.entries(update.metrics ?? {}).find(([name, value]) => value === update.loss && kindOf(name).lossPart)?.[0];
    if (key === undefined) return false;
    for (const [part, at] of this.#recentParts) if (this.#lossesRead - at > PART_WINDOW) this.#recentParts.delete(part);
    this.#recentParts.set(key, this.#lossesRead);
    return this.#recentParts.size >= 2;
  }

  /**
   * A surer reading of the step (a bar) that stopped coming while a lesser one went on counting up (a bar drawn once
   * into a log file, a logger's `acc_iter=5100` after it): the surer one is over, the lesser one is the step now.
   */
  #surerSourceWentQuiet(step: number): boolean {
    if (step > (this.#lesserLast ?? -1)) this.#lesserAdvances += 1;
    this.#lesserLast = step;
    return this.#lesserAdvances >= LESSER_ADVANCES_TO_TAKE_OVER;
  }

  #sawBar(bar: Bar): void {
    this.#lastBar = bar;
    const longest = this.#longestBar;
    if (longest === null || (bar.total !== null && (longest.total === null || bar.total >= longest.total))) this.#longestBar = bar;
  }

  /** The progress as shown: a log that only counts whole epochs counts them as its steps (a fractional epoch, as HF logs it, is no count; nor is a step read only once). */
  snapshot(): Progress {
    const p = this.progress;
    if ((p.step === null || this.#stepIsNoCount()) && p.epoch !== null && Number.isInteger(p.epoch) && !this.#epochsAreFractions)
      return { ...p, step: p.epoch, total: this.#epochTotal, metrics: { ...p.metrics } };
    return { ...p, metrics: { ...p.metrics } };
  }

  /**
   * A step with no total whose value never changed while the epoch moved on twice, read only once
   * and with no loss beside it (`batch=32` in a start-up line) or as a word that names sizes too (`batch = 405` under each
   * epoch's header): a size or an id, not a counter. (`(1158/1158)` repeated is a count: it has its
   * total; `epoch: 300 step: 62` every epoch is the step each epoch ends at.)
   */
  #stepIsNoCount(): boolean {
    const still = !this.#stepChanged && this.#epochMovesSinceFirstStep >= 2 && this.progress.total === null;
    // A count stuck at zero (`0it [00:00, ?it/s]` under every epoch of an empty loader) counts nothing either.
    return still && (this.#stepReadings === 1 || this.#stepSizeLike || this.progress.step === 0);
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

/** The message a logger printed, after its header (see LOGGER_HEADER). */
function withoutLoggerHeader(text: string): string {
  return MAY_HAVE_HEADER.test(text) ? text.replace(LOGGER_HEADER, '') : text;
}

/** A line that opens by naming training (`Train metrics: …`, `[train] …`). */
function saysTraining(text: string): boolean {
  return TRAINING_BANNER.test(withoutLoggerHeader(text));
}
