/**
 * Tables whose header line names the columns: markdown and ascii tables (`| Iteration | Loss |
 * LR |`), whitespace-aligned ones (`Epoch  Step   Loss   Acc`), status tables with text cells
 * (`| Trial name | status | iter | episode_reward_mean |`), and delimited ones: a metrics CSV
 * (Lightning's CSVLogger, `global_step,epoch,train/loss_step`) or a tab-separated log file
 * (`Epoch-Num<TAB>Train-Loss<TAB>…`). A header seen once maps the positions
 * of later rows with as many cells to names: the column a step key names is the step, the one an
 * epoch names is the epoch, the best-ranked loss key's column is the loss (else a `total` beside the loss's parts).
 * A logger's timestamp and level before each line are no cells. The header holds
 * until another replaces it; lines in between that are no rows are left alone.
 */

import { kindOf } from './key-kinds.ts';
import { LEADING_TIMESTAMP } from './numeric-fields.ts';
import { type LossValue, type ProgressUpdate, toValue } from './parse-line.ts';

/** What separates a line's cells: pipes, tabs, commas, or runs of blanks (null). */
type Delimiter = '|' | '\t' | ',' | null;

type Header = {
  names: string[];
  delimiter: Delimiter;
  step: number;
  epoch: number;
  loss: number;
  /** Columns kept as metrics besides the loss. */
  kept: number[];
  /** A column saying which pass a row is (`train` True/False, `phase` train/valid): -1 when none. */
  phase: number;
};

/** A column name: a word without digits, or for piped tables a few (`total time (s)`). */
const PIPED_NAME = /^[A-Za-z][A-Za-z_ ./()%-]*$/;
const PLAIN_NAME = /^[A-Za-z][A-Za-z_./%-]*$/;
/** Between commas or tabs a name may hold digits after its first letter (`f1_metric`, `prec5`): every cell being such a name tells it from a row. */
const COMMA_NAME = /^[A-Za-z][\w./%-]*$/;
const TAB_NAME = /^[A-Za-z][\w ./()%-]*$/;
const EPOCH_NAME = /^epochs?(?:[-_ ]?(?:num|no|idx|index|number))?$/i;
/** The names of a pass that is no training (Ludwig abbreviates validation to `vali`), and of training's. */
const EVALUATION_NAME = String.raw`val(?:i|id(?:ation)?)?|eval(?:uation)?|test|dev`;
const TRAINING_NAME = String.raw`train(?:ing)?`;
/** A column naming the pass of each row (fastai's `train` True/False, a `phase`, `mode` or `split` column). */
const PHASE_NAME = new RegExp(`^(?:is[-_ ]?)?${TRAINING_NAME}$|^(?:phase|mode|split|stage)$`, 'i');
/** A pass that is no training: an evaluation row, whose loss must not be the training loss. */
const EVALUATION_PASS = new RegExp(`^(?:false|no|${EVALUATION_NAME})$`, 'i');
/** A row's label naming its pass (`train`, `vali`, `test`): the training row's loss is the training loss. */
const PASS_LABEL = new RegExp(`^(?:${TRAINING_NAME}|${EVALUATION_NAME})$`, 'i');
const TRAINING_PASS = new RegExp(`^${TRAINING_NAME}$`, 'i');
/** A count, also as a float logger's writes it (`649.0`), or with its total (`160/165`). */
const COUNT = /^(?<count>\d+)(?:\.0+)?(?:\/(?<total>\d+))?$/;
const LEVEL = String.raw`(?:INFO|DEBUG|WARN(?:ING)?|ERROR|CRITICAL)`;
/**
 * A logger's timestamp and level before each line of a table it prints (`2021-01-26 02:42:23 [INFO]:`), the level
 * first too (`[ INFO : 2023-01-28 11:12:05,139 ] - `): no cells.
 */
// LEADING_TIMESTAMP's source less its `^`: the level may come first.
const LOGGER_PREFIX = new RegExp(
  String.raw`^\W*(?:${LEVEL}\s*[:|-]?\s*)?${LEADING_TIMESTAMP.source.slice(1)}\s*\]?\s*(?:[-|:]\s*)?(?:\[?${LEVEL}\]?\s*[:|-]?\s*)?`,
);
/**
 * A tag in brackets before each line of a table (xLearn's `[------------] Epoch  Train log_loss …` over
 * `[    1%      ]     1   0.615199 …`): a rule, a percentage or a word in capitals, no cell.
 */
const TAG_PREFIX = /^\[\s*(?:\d+(?:\.\d+)?\s*%|[-=#*.~]+|[A-Z]+)\s*\]\s+/;
const COMMENT_MARK = /^\s*#+\s*/;
/** A column the loss's parts are summed into (YOLOv3, JDE: `box conf id total`): the loss when no column names one. */
const TOTAL_NAME = /^total$/i;
/** A table drawn in box-drawing lines (rich's `┃ Epoch ┃ Loss ┃` over `│ 3 │ 0.52 │`): its vertical rules are pipes. */
const BOX_RULE = /[\u2502\u2503\u2551]/;
const BOX_RULES = /[\u2502\u2503\u2551]/g;
/** What a numeric row's cell may be besides a number: a clock time, a missing value. */
const TIME_OR_MISSING = /^(?:\d+:)?\d+:\d\d(?:\.\d+)?$|^\d+(?:\.\d+)?(?:ms|s|m|min|h)$|^(?:-|#?na|n\/a|none)$/i;

/** Pipes make a table; else tabs or commas between cells without blanks at their edges; else runs of blanks. */
function delimiterOf(line: string): Delimiter {
  if (line.includes('|')) return '|';
  if (line.includes('\t') && /\S\t+\S/.test(line)) return '\t';
  if (/^[^\s,]+(?:,[^\s,][^,]*)+$/.test(line.trim())) return ',';
  return null;
}

/** A line's cells: between its delimiters, else between runs of blanks. */
function cellsOf(line: string, delimiter: Delimiter): string[] {
  if (delimiter === null) return line.trim().split(/\s+/);
  const cells = line.split(delimiter === '\t' ? /\t+/ : delimiter).map((cell) => cell.trim());
  // The borders of `| a | b |` leave an empty cell at each end.
  if (cells[0] === '') cells.shift();
  if (cells.at(-1) === '') cells.pop();
  return cells;
}

/** `multiWord`: names may hold single spaces (`Train Loss`), as between pipes or columns two blanks apart. */
function headerOf(cells: string[], delimiter: Delimiter, multiWord = delimiter === '|' || delimiter === '\t'): Header | null {
  const piped = delimiter === '|';
  // Delimiters make cells sure: two columns are a table (`step<TAB>loss`); blanks alone need three.
  if (cells.length < (delimiter === null ? 3 : 2)) return null;
  const name = delimiter === ',' ? COMMA_NAME : delimiter === '\t' ? TAB_NAME : multiWord ? PIPED_NAME : PLAIN_NAME;
  if (!cells.every((cell) => name.test(cell) && toValue(cell) === null)) return null;
  const header: Header = { names: cells, delimiter, step: -1, epoch: -1, loss: -1, kept: [], phase: -1 };
  let bestRank = Number.POSITIVE_INFINITY;
  cells.forEach((cell, i) => {
    const kind = kindOf(cell);
    if (kind.step && header.step === -1) header.step = i;
    else if (EPOCH_NAME.test(cell) && header.epoch === -1) header.epoch = i;
    else if (PHASE_NAME.test(cell) && header.phase === -1) header.phase = i;
    else if (kind.kept) header.kept.push(i);
    if (kind.lossRank !== null && kind.lossRank < bestRank) [header.loss, bestRank] = [i, kind.lossRank];
  });
  const total = cells.findIndex((cell) => TOTAL_NAME.test(cell));
  if (header.loss === -1 && total !== -1) header.loss = total;
  // Without pipes, a counter column needs a metric column beside it: a sentence that mentions a step (`saving model at step`) is no header.
  const counted = header.step !== -1 || header.epoch !== -1;
  // A log file of tab- or comma-separated columns may have no counter at all: a row a line, its loss named by the header.
  const delimitedLoss = (delimiter === '\t' || delimiter === ',') && header.loss !== -1;
  // A drawn table of a loss and no counter: its rows may be labelled by their pass (see PASS_LABEL), the only rows it gives.
  const passTable = piped && header.loss !== -1;
  return (counted && (piped || header.loss !== -1 || header.kept.length > 0)) || delimitedLoss || passTable ? header : null;
}

function hasDigit(line: string): boolean {
  for (let i = 0; i < line.length; i += 1) {
    const c = line.charCodeAt(i);
    if (c >= 0x30 && c <= 0x39) return true;
  }
  return false;
}

const isNumericCell = (cell: string) => toValue(cell) !== null || TIME_OR_MISSING.test(cell) || COUNT.test(cell);

function rowOf(header: Header, cells: string[]): ProgressUpdate | null {
  // A whitespace table's rows are all numbers; a delimited one's may hold text (a trial's name, its status, a date).
  if (header.delimiter === null && !cells.every(isNumericCell)) return null;
  if (header.phase !== -1 && EVALUATION_PASS.test(cells[header.phase] ?? '')) return null;
  // Rows labelled by their pass in the first cell (Ludwig's `│ train │ 1.08 │ …` over `│ vali │ …` and `│ test │ …`): only training's.
  const pass = header.phase === -1 && header.step === -1 && header.epoch === -1 ? PASS_LABEL.exec(cells[0] ?? '')?.[0] : undefined;
  if (pass !== undefined && !TRAINING_PASS.test(pass)) return null;
  const update: ProgressUpdate = {};
  if (header.step !== -1) {
    const step = COUNT.exec(cells[header.step] as string)?.groups;
    if (!step) return null;
    [update.step, update.stepRank] = [Number(step.count), 2];
    if (step.total !== undefined) update.total = Number(step.total);
  }
  if (header.epoch !== -1) {
    const cell = cells[header.epoch] as string;
    const epoch = Number(COUNT.exec(cell)?.groups?.count ?? cell);
    if (Number.isFinite(epoch)) update.epoch = epoch;
    else if (update.step === undefined) return null;
  }
  const metrics: Record<string, LossValue> = {};
  for (const i of header.kept) {
    const value = toValue(cells[i] as string);
    if (value !== null) metrics[header.names[i] as string] = value;
  }
  if (Object.keys(metrics).length > 0) update.metrics = metrics;
  const loss = header.loss !== -1 ? toValue(cells[header.loss] as string) : null;
  if (loss !== null) [update.loss, update.lossRank] = [loss, kindOf(header.names[header.loss] as string).lossRank ?? 0];
  return update.step !== undefined ||
    update.epoch !== undefined ||
    (header.delimiter !== null && (header.delimiter !== '|' || pass !== undefined) && update.loss !== undefined)
    ? update
    : null;
}

export class TableHeaders {
  #header: Header | null = null;

  /** scikit-learn's `  Iter       Train Loss   Estimated Time`: names of several words, columns two blanks or more apart. */
  #spacedHeader(line: string, delimiter: Delimiter): Header | null {
    if (delimiter !== null || !/\S \S/.test(line)) return null;
    return headerOf(line.trim().split(/\s{2,}/), null, true);
  }

  /** A row's update under the last header; a header is remembered (and says nothing itself). */
  read(text: string): ProgressUpdate | null {
    const logged = text.charCodeAt(0) <= 0x39 || text.charCodeAt(0) === 0x5b ? text.replace(LOGGER_PREFIX, '') : text;
    const unprefixed = logged.charCodeAt(0) === 0x5b ? logged.replace(TAG_PREFIX, '') : logged;
    const line = BOX_RULE.test(unprefixed) ? unprefixed.replace(BOX_RULES, '|') : unprefixed;
    const digits = hasDigit(line);
    // Without a header, a line with numbers is nothing here, unless it may be one itself: a delimited one (see #headerOf).
    // The cheap look first: most such lines hold no comma or tab at all.
    if (digits && this.#header === null && !line.includes(',') && !line.includes('\t')) return null;
    const delimiter = delimiterOf(line);
    if (digits && this.#header === null && delimiter !== ',' && delimiter !== '\t') return null;
    // A header commented out for the tools that read the file (DeePMD-kit's lcurve.out: `#  step  rmse_trn  …  lr`).
    const commented = !digits && line.includes('#') ? line.replace(COMMENT_MARK, '') : line;
    const cells = cellsOf(commented, delimiter);
    const header = this.#headerOf(commented, cells, delimiter, digits);
    if (header) {
      this.#header = header;
      return null;
    }
    const current = this.#header;
    if (current?.delimiter === ',' && delimiter === null && line.includes(',')) return this.#row(current, cellsOf(line, ','));
    return current && current.delimiter === delimiter ? this.#row(current, cells) : null;
  }

  /** Headers name columns with words; digits inside names only between commas or tabs (`f1_metric`: every cell being a name tells it from a row). */
  #headerOf(line: string, cells: string[], delimiter: Delimiter, digits: boolean): Header | null {
    if (!digits) return this.#spacedHeader(line, delimiter) ?? headerOf(cells, delimiter);
    return delimiter === ',' || delimiter === '\t' ? headerOf(cells, delimiter) : null;
  }

  /** A row has as many cells as its header names (under a comma header, a writer may put a blank after some commas: `9, 2.59, 13.37,62.6`). */
  #row(header: Header, cells: string[]): ProgressUpdate | null {
    return cells.length === header.names.length ? rowOf(header, cells) : null;
  }
}
