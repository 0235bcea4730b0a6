/**
 * Progress read from a job's own format, learned from its stream rather than known beforehand:
 * each line joins a template (templates.ts); within a template, what each numeric field does
 * over the lines (advances, resets) is remembered. A line's step is the counter a key names
 * (`step`, `iter`, `nupdates`, `timesteps_total`…) or that stands where counters stand (`[N]`,
 * a leading `N:`, `N/M`), or failing those the field that advances steadily; a counter that
 * exceeds another's stated total is global, the other per-epoch, and the global one is the step.
 * The loss is a loss-named key, or the training side of a train/eval pair (`learn:` beside
 * `test:`, `train-rmse` beside `valid-rmse`). Evaluation templates set neither.
 */

import { LEADING_TIMESTAMP, numericFieldsOf, type NumericField } from './numeric-fields.ts';
import { CJK_EVALUATION_WORDS, chooseLoss, kindOf } from './key-kinds.ts';
import { PAST_REPORTED, toValue, type LossValue } from './parse-line.ts';
import { type Template, TemplateMiner, tokensOf } from './templates.ts';

export type LearnedStep = {
  step: number;
  total: number | null;
  /** Named by a step key, or shown global beside a per-epoch counter. */
  keyed: boolean;
  /** Beats a per-epoch counter that the line's format also gave (its value exceeds that total). */
  global: boolean;
  /** A step key's value that does not count while this counter does (keyThatDoesNotCount): no step, whoever read it. */
  notACount?: number;
  /** Named in the plural (`Steps: 64`): it may be a size (the tracker decides, as for `batch = 405`). */
  sizeLike?: boolean;
  /** Its field advanced at least twice in the template's earlier lines. */
  seenCounting: boolean;
};
/**
 * Why a line is an evaluation's: a word says so (`said`); it is a summary of both sides while
 * another template counts the steps (`both sides`: `Epoch 299: train loss 0.005, test acc 0.77`,
 * nanoGPT's `step 600: train loss 5.5, val loss 5.8`; the loss it names as training's is still the
 * newest word on the training loss); or every metric it names is evaluation's and no word says so
 * (`metrics`: a training bar shows its last validation's, `val_acc=0.9`, and its count stands).
 */
export type Evaluation = 'said' | 'both sides' | 'metrics';
export type LearnedUpdate = {
  step?: LearnedStep;
  loss?: LossValue;
  lossRank?: number;
  /** An evaluation line, and what says so (see Evaluation): it sets no training step, whatever a known format read in it. */
  evaluation?: Evaluation;
  template: number;
};

/** What one field of a template did over its lines. */
type FieldHistory = {
  first: number;
  last: number;
  advances: number;
  resets: number;
  repeats: number;
  stride: number | null;
  steady: number;
};
/** What a template's lines did: per field, and how many sure lines in a row the learned reading added nothing to. */
type TemplateHistory = { fields: FieldHistory[]; quiet: number };
const QUIET_LINES = 16;
const RECHECK_LINES = 64;

/** What a line without a field lacks: most text lines are dropped with this one test. */
const MAY_HOLD_NUMBER = /\d|nan|inf/i;
/** An evaluation word; not one inside a module path or a file path (a logger's `[ezpz/examples.test:325:train_step]`, `runs/test/`): a name. */
const EVAL_WORD = new RegExp(
  String.raw`(?<![./])\b(?:val(?:id(?:ation)?)?|eval(?:uat\w*)?|test(?:ing)?|dev)\b|${CJK_EVALUATION_WORDS}`,
  'i',
);
/** A token that is an evaluation word on its own (`eval`, `[Validation]`), not a key (`test: 0.5`). */
const EVAL_TOKEN = /^[[(<*]*(?:val(?:id(?:ation)?)?|eval(?:uat(?:e|ion|ing))?|test(?:ing)?)(?:[\])>*,.]*|[\])>]+:)$/i;
/** `CV` in capitals: cross-validation, the evaluation of speech toolkits (Kaldi, ESPnet, WeNet). */
const CROSS_VALIDATION_TOKEN = /^[[(]?CV[\]):]?$/;
/** A training word on its own: a line that names training before evaluation reports training (`loss train: 1.6, val: None`). */
const TRAIN_TOKEN = /^[[(<*]*train(?:ing)?[\])>*,.:]*$/i;
/** More `N/M` pairs than this on a line (epoch/epochs and step/steps are two) make it data, not progress. */
const MAX_COUNTERS_A_LINE = 2;
/** How many templates with a loss are remembered before the set is emptied. */
const WITH_LOSS_KEPT = 1024;
/** This many bare integers and nothing naming any of them: a row of a printed matrix or table (a confusion matrix), no counter. */
const MATRIX_ROW_FIELDS = 4;
const isMatrixRow = (fields: readonly NumericField[]) =>
  fields.length >= MATRIX_ROW_FIELDS && fields.every((field) => field.key === null && field.integer && field.total === null);
/**
 * Only bare integers, two or more, named by nothing, between blanks (`495    495   neutral`): a row of a printed table (pandas'
 * DataFrame, its index then its cells), whose index counts rows, not steps. A counter the job prints comes with a metric, a
 * name, a total or its punctuation.
 */
const isTableRow = (line: string, fields: readonly NumericField[]) =>
  fields.length >= 2 &&
  fields.every((field) => field.key === null && field.integer && field.total === null && !field.bracketed) &&
  CELLS_ONLY.test(line);
/** Words and numbers between blanks, nothing else (Chainer's `15600 iter, 19 epoch / 20 epochs` is its progress line). */
const CELLS_ONLY = /^[\s\w.-]*$/;
/** Lines a step from another template may be away before that other template's counter takes over. */
const STALE_SOURCE_LINES = 256;
/** Whether a key names a step counter (`global_step`, `iter`, `timesteps_total`). */
export const isStepKey = (key: string): boolean => kindOf(key).step;

export class LearnedProgress {
  readonly #miner: TemplateMiner;
  readonly #known = new WeakMap<Template, TemplateHistory>();
  /** The template whose counter is the step, and its last value: another template's counter takes over when larger, or when this one falls silent. */
  #source: { template: number; step: number; line: number } | null = null;
  #lines = 0;
  /** Templates whose lines gave a training loss: a summary of both sides is evaluation only when the step's lines give the loss too. */
  readonly #withLoss = new Set<number>();

  constructor(capacity = 128) {
    this.#miner = new TemplateMiner(capacity);
  }

  /**
   * What the learned format says of a line. `sureStep`: the step a known format already read
   * from it, with its loss. A template whose lines the known format reads surely, and where
   * the learned reading added nothing (no evaluation, no global counter) QUIET_LINES times in
   * a row, is read again only every RECHECK_LINES lines: the cost of a steady stream of such
   * lines is the template's lookup.
   */
  read(line: string, sureStep: number | null = null): LearnedUpdate | null {
    if (!MAY_HOLD_NUMBER.test(line)) return null;
    let template: Template | null = null;
    let tokens: string[] | null = null;
    if (sureStep !== null) {
      tokens = tokensOf(line);
      template = this.#miner.add(tokens);
      const known = this.#known.get(template);
      if (known && known.quiet >= QUIET_LINES && template.lines % RECHECK_LINES !== 0) {
        this.#lines += 1;
        this.#takesStep(template.id, sureStep);
        return null;
      }
    }
    const fields = numericFieldsOf(line);
    if (fields.length === 0 || isMatrixRow(fields)) return null;
    tokens ??= tokensOf(line);
    template ??= this.#miner.add(tokens);
    const known = this.#remember(template, fields);
    this.#lines += 1;
    const update = this.#readFields(line, tokens, fields, template, known.fields);
    if (sureStep !== null) known.quiet = update?.evaluation || update?.step?.global ? 0 : known.quiet + 1;
    return update;
  }

  #readFields(line: string, tokens: string[], fields: NumericField[], template: Template, history: FieldHistory[]): LearnedUpdate | null {
    const source = this.#source;
    const trainingElsewhere = source !== null && source.template !== template.id && this.#withLoss.has(source.template);
    const evaluation = evaluationOf(line, tokens, fields, trainingElsewhere);
    if (evaluation !== null) return { evaluation, template: template.id };
    const update: LearnedUpdate = { template: template.id };
    const step = reportsThePast(line) || isTableRow(line, fields) ? null : stepOf(fields, history);
    if (step && this.#takesStep(template.id, step.step)) update.step = step;
    const loss = learnedLoss(fields) ?? fallingBesideACount(fields, history);
    if (loss !== null) {
      [update.loss, update.lossRank] = [loss.value, loss.rank];
      // Bounded like the miner it follows (template ids keep growing as templates are evicted).
      if (this.#withLoss.size >= WITH_LOSS_KEPT) this.#withLoss.clear();
      this.#withLoss.add(template.id);
    }
    return update.step || update.loss !== undefined ? update : null;
  }

  #takesStep(template: number, step: number): boolean {
    const source = this.#source;
    const takes = source === null || source.template === template || step >= source.step || this.#lines - source.line > STALE_SOURCE_LINES;
    if (takes) this.#source = { template, step, line: this.#lines };
    return takes;
  }

  #remember(template: Template, fields: NumericField[]): TemplateHistory {
    let known = this.#known.get(template);
    if (!known) this.#known.set(template, (known = { fields: [], quiet: 0 }));
    const history = known.fields;
    for (let i = 0; i < fields.length; i += 1) {
      const field = fields[i] as NumericField;
      const seen = history[i];
      if (!seen) {
        history[i] = { first: field.value, last: field.value, advances: 0, resets: 0, repeats: 0, stride: null, steady: 0 };
        continue;
      }
      const delta = field.value - seen.last;
      if (delta > 0) {
        seen.advances += 1;
        if (delta === 1 || delta === seen.stride) seen.steady += 1;
        seen.stride = delta;
      } else if (delta < 0) seen.resets += 1;
      else seen.repeats += 1;
      seen.last = field.value;
    }
    return known;
  }
}

/** A line that opens on the best so far or on early stopping (`BEST EPOCH UPDATED!! [55]`): its counter is the past, not progress. */
function reportsThePast(line: string): boolean {
  const firstDigit = line.search(/\d/);
  return firstDigit > 0 && PAST_REPORTED.test(line.slice(0, firstDigit));
}

/**
 * An evaluation line (see Evaluation): an evaluation word stands alone in it (unless a training word comes first:
 * `loss train: 1.6, val: None` is training; `step 600: train loss 5.5, val loss 5.8` is the
 * periodic summary of both when another template counts the steps and gives their loss
 * (nanoGPT's per-iteration lines), and the training log itself when none does: a bar without a
 * loss), an evaluation word before its first number ('said'), or evaluation metrics and no training
 * one ('metrics').
 */
function evaluationOf(line: string, tokens: readonly string[], fields: NumericField[], trainingElsewhere: boolean): Evaluation | null {
  // The line's own words, not its template's: a template that took a job's `Train` and `Valid` lines together has a wildcard there.
  const word = evaluationWord(tokens);
  // `epoch 143 best test acc: 0.91, train loss: 0.39`: a loss the line names as training's outweighs an earlier evaluation word.
  if (word === 'evaluation' && !fields.some(isNamedTrainingLoss)) return 'said';
  if (word === 'after training' && trainingElsewhere && fields.some((field) => field.key !== null && kindOf(field.key).evaluation))
    return 'both sides';
  // The first number after a logger's leading timestamp (`2026-05-12 13:33:13,837 - INFO - [Val] Epoch 30`).
  const from = LEADING_TIMESTAMP.exec(line)?.[0].length ?? 0;
  const first = /\d/.exec(line.slice(from))?.index ?? line.length;
  if (EVAL_WORD.test(line.slice(from, from + first))) return 'said';
  let evaluation = false;
  for (const field of fields) {
    if (field.key === null) continue;
    const kind = kindOf(field.key);
    if (kind.evaluation) evaluation = true;
    else if (kind.lossRank !== null || kind.trainSide) return null;
  }
  // Training named before the evaluation (`train loss at 900: 0.61. Test loss: 0.80`): the line reports training first.
  return evaluation && word !== 'after training' ? 'metrics' : null;
}

function isNamedTrainingLoss(field: NumericField): boolean {
  if (field.key === null) return false;
  const kind = kindOf(field.key);
  return kind.trainSide && kind.lossRank !== null;
}

/** A training loss's key (`main_loss:`, `loss=#`): a line that reports it before an evaluation word reports training first. */
function namesTrainingLoss(token: string): boolean {
  if (!token.includes(':') && !token.includes('=')) return false;
  const key = LEADING_KEY.exec(token)?.[1];
  if (key === undefined) return false;
  const kind = kindOf(key);
  return kind.lossRank !== null && !kind.evaluation;
}

const LEADING_KEY = /^([A-Za-z_][\w.]*)[:=]/;

/**
 * A loss word with its value right after it (`Round 53, Average loss 1.654, Test loss 1.580`): met before any evaluation
 * word, the line reports training first; the evaluation word after it names its own value only.
 */
function lossWithItsValue(tokens: readonly string[], i: number): boolean {
  const token = tokens[i] as string;
  return token.length === 4 && token.toLowerCase() === 'loss' && /^#,?$/.test(tokens[i + 1] ?? '');
}

/** The line's first evaluation word on its own, and whether a training word came before it. */
function evaluationWord(tokens: readonly string[]): 'evaluation' | 'after training' | null {
  let training = false;
  for (const [i, token] of tokens.entries()) {
    if (TRAIN_TOKEN.test(token) || namesTrainingLoss(token) || lossWithItsValue(tokens, i)) training = true;
    else if (EVAL_TOKEN.test(token) || CROSS_VALIDATION_TOKEN.test(token)) return training ? 'after training' : 'evaluation';
  }
  return null;
}

type Candidate = {
  field: NumericField;
  keyed: boolean;
  namedStep: boolean;
  resets: boolean;
  outer: boolean;
  still: boolean;
  moving: boolean;
  erratic: boolean;
};

function stepOf(fields: NumericField[], history: FieldHistory[]): LearnedStep | null {
  const candidates: Candidate[] = [];
  // Many unnamed `N/M` pairs on one line are data (a table of labels and predictions), not a counter and its total.
  const fractions = fields.filter((field) => field.total !== null && field.key === null).length;
  // An outer count with a stated total (`[7010/7010 Srno: 2]`) is the progress counter itself: what restarts under it is no step.
  const outerAdvances = Math.max(
    0,
    ...fields.map((field, i) =>
      field.total === null && isOuterCount(field, history[i] as FieldHistory) ? (history[i] as FieldHistory).advances : 0,
    ),
  );
  fields.forEach((field, i) => {
    const kind = field.key === null ? null : kindOf(field.key);
    // A step key's count logged as a float (Lightning's `global_step=263.0`) is still a count.
    const whole = field.integer || (kind?.step === true && Number.isInteger(field.value));
    // An epoch's count is the epoch (`Epoch: 5/3846 (116/520)`): where it is the only counter, the tracker lets it stand for the step.
    if (!whole || field.value < 0 || kind?.evaluation || kind?.countsNoStep) return;
    const seen = history[i] as FieldHistory;
    const keyed = kind?.step === true;
    // A number that stands where counters stand but never moved over its template's lines is an id (a pid in `[42292]`), not a counter.
    const unmoved = seen.repeats > 0 && seen.advances === 0 && seen.resets === 0;
    if (field.total !== null && field.key === null && fractions > MAX_COUNTERS_A_LINE) return;
    const placed = field.key === null && (field.bracketed || field.leading || field.total !== null) && !unmoved;
    // A per-epoch count resets now and then; it still counts steps between resets. One that moved by the same
    // stride at every line so far (`Up. 500`, `Up. 1000`, `Up. 1500`: a log every 500 updates) counts from its second move.
    const evenStrides = seen.advances >= 2 && seen.steady === seen.advances - 1 && seen.repeats === 0 && seen.resets === 0;
    // Counting again from the start each time an outer count moves on (`[1, 300]`, `[2, 100]`): a count within the epoch.
    const nested = seen.resets > 0 && seen.resets <= outerAdvances && seen.steady >= Math.max(2, seen.resets) && !isOuterCount(field, seen);
    const steady = ((seen.steady >= 2 || evenStrides) && seen.resets * 4 <= seen.steady) || nested;
    const outer = isOuterCount(field, seen);
    const still = unmoved && seen.repeats >= 2;
    // Going back about as often as forward: no count of anything done (an episode's length).
    const erratic = seen.resets >= 2 && seen.resets * 2 >= seen.advances;
    if (keyed || placed || steady)
      candidates.push({
        field,
        keyed,
        namedStep: kind?.namedStep === true,
        resets: seen.resets > 0,
        outer,
        still,
        moving: seen.advances >= 2,
        erratic,
      });
  });
  const notCounting = keyThatDoesNotCount(candidates);
  if (notCounting) candidates.splice(candidates.indexOf(notCounting), 1);
  // Unnamed nested counts: the inner one, which moves line after line, is the step.
  const inner = candidates.filter((c) => !(c.outer && !c.keyed));
  if (inner.length > 0 && inner.length < candidates.length && inner.some((c) => !c.keyed))
    candidates.splice(0, candidates.length, ...inner);
  // A count beyond another counter's stated total is global; that other one is per-epoch.
  const notPerEpoch = candidates.filter((c) => !isPerEpoch(c, candidates));
  const pool = notPerEpoch.length > 0 ? notPerEpoch : candidates;
  const best = pool.reduce<Candidate | null>(
    (a, c) => (a === null || rankOf(c) > rankOf(a) || (rankOf(c) === rankOf(a) && c.field.value > a.field.value) ? c : a),
    null,
  );
  if (!best) return null;
  const global = pool.length < candidates.length && !(best.field.key !== null && kindOf(best.field.key).updateCountOrNoStep);
  return {
    step: best.field.value,
    total: best.field.total,
    keyed: best.keyed,
    global,
    seenCounting: best.moving,
    ...(notCounting ? { notACount: notCounting.field.value } : {}),
    ...(best.field.key !== null && kindOf(best.field.key).pluralStep ? { sizeLike: true } : {}),
  };
}

/**
 * A step key whose value does not count while another counter does: it stood still while the other moved past it
 * (`[045500/50000] … batch 16`: a size; not under an outer count, `Pass=49 Batch=1472`, nor `global_step`, which stands
 * still while a validation pass moves the bar), or it goes back about as often as forward while the other never goes
 * back (`Episode 4999/5000 | Steps: 729`: each episode's length).
 */
/** Mostly standing still while it moves now and then, never back: an outer count (`333 154 Loss=…`: the epoch, then the batch). */
function isOuterCount(field: NumericField, seen: FieldHistory): boolean {
  return field.integer && seen.repeats > seen.advances && seen.advances > 0;
}

function keyThatDoesNotCount(candidates: Candidate[]): Candidate | null {
  for (const candidate of candidates) {
    if (!candidate.keyed) continue;
    const others = candidates.filter((other) => other !== candidate && other.moving);
    if (candidate.still && !candidate.namedStep && others.some((other) => other.field.value > candidate.field.value)) return candidate;
    if (candidate.erratic && others.some((other) => !other.resets)) return candidate;
  }
  return null;
}

function isPerEpoch(candidate: Candidate, candidates: Candidate[]): boolean {
  const total = candidate.field.total;
  if (total === null) return false;
  for (const other of candidates) if (other.field.total === null && other.field.value > total) return true;
  return false;
}

/** Never reset beats reset; a step key beats a counter's place; a key that says `step` beats other step keys (`iter`). */
const rankOf = (c: Candidate) => (c.resets ? 0 : 4) + (c.keyed ? 2 : 0) + (c.namedStep ? 1 : 0);

/**
 * The loss by its key, with its rank (a layout the named formats do not read: `loss train: 1.7`),
 * else the training side of a train/eval pair (`learn: 0.4 test: 0.5`), or a value named by the side alone
 * (CatBoost's `learn: 0.249` with no evaluation set: its objective on the training data).
 */
function learnedLoss(fields: NumericField[]): { value: LossValue; rank: number } | null {
  let train: NumericField | null = null;
  let evaluationSide = false;
  for (const field of fields) {
    const kind = kindOf(field.key ?? '');
    if (kind.evaluationSide) evaluationSide = true;
    if (train === null && field.key !== null && kind.trainSide) train = field;
  }
  const keyed = chooseLoss(fields.map((field) => [field.key ?? '', field] as const));
  const trainSide = train !== null && (evaluationSide || SIDE_ALONE.test(train.key ?? ''));
  const value = keyed ? toValue(keyed.item.text) : trainSide && train ? toValue(train.text) : null;
  return value === null ? null : { value, rank: keyed ? keyed.rank : TRAIN_SIDE_RANK };
}

/**
 * The one fraction a line prints beside its count with no name, fallen since the template's first line
 * (`  10000/ 200000: 2.0576`, `epoch 69 - 0.207`, `[5m 6s (1500 75%) 1.6769]`): what a training loop prints unnamed
 * is its loss. One that rose (an accuracy) is not; it ranks below every loss a key names, so a named one seen before
 * stands.
 */
function fallingBesideACount(fields: NumericField[], history: FieldHistory[]): { value: LossValue; rank: number } | null {
  const i = fields.findIndex((field) => !field.integer);
  if (i === -1 || fields.some((other, j) => j !== i && !other.integer)) return null;
  const field = fields[i];
  const seen = history[i];
  if (!field || !seen || field.key !== null || field.total !== null) return null;
  // A count beside it (a step, an epoch) that went forward more often than back over the template's lines.
  if (!history.some((count, j) => j !== i && count.advances > count.resets)) return null;
  const lines = seen.advances + seen.resets + seen.repeats + 1;
  return lines >= MIN_LINES_FALLING && field.value < seen.first ? { value: field.value, rank: UNNAMED_LOSS_RANK } : null;
}
/** Lines of a template before a value's fall says anything: a loss is noisy line to line. */
const MIN_LINES_FALLING = 5;
/** Below a loss known only as the training side of a pair. */
const UNNAMED_LOSS_RANK = 5;

/** A key that is the training side's word and nothing else: no metric named, so the objective's value. */
const SIDE_ALONE = /^(?:learn|train(?:ing)?)$/i;
/** A loss known only as the training side of a pair ranks below every named one. */
const TRAIN_SIDE_RANK = 4;
