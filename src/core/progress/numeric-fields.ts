/**
 * The numbers of a line, each with what names it: the key before it (`loss=`, `Step:`,
 * `'train_loss': `, `nupdates:   `, `Total loss:`), a `/M` total after it, whether it stands
 * alone in brackets (`[1000]`) or leads the line (`20:`). Dates and clock times are no fields;
 * neither are numbers inside words (`v2`, `I1002`) or with a unit glued on (`3.3s`, `5ms/step`).
 */

import { NON_FINITE_SPELLING } from './non-finite.ts';

export type NumericField = {
  /** The key before it, as printed; null when none. */
  key: string | null;
  text: string;
  value: number;
  integer: boolean;
  /** A `/M` right after it. */
  total: number | null;
  /** `[N]` */
  bracketed: boolean;
  /** The first thing on the line (or in a list that opens it). */
  leading: boolean;
};

// Each alternative starts only where a run of digits starts: `\d+:` tried at every digit of a
// long run would rescan the run each time (a 48 KB line of digits took seconds).
// `04/14 11:48:20` (detectron2's logger): a zero-padded month/day before a clock time is a date; so is a day, month and
// two-digit year before one (`[13/12/22 11:13:56]`).
const DATE_OR_TIME =
  /(?<!\d)(?:\d{4}[-/]\d\d[-/]\d\d(?:[T_]\d\d)?|\d\d?\/\d\d?\/(?:\d{4}|\d\d(?= \d\d:\d\d))|(?:0[1-9]|1[0-2])\/(?:[0-2]\d|3[01])(?= \d\d:\d\d:\d\d)|\d+:\d\d(?::\d\d)?(?:[.,]\d+)?|\d\d? (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)(?![a-z]))/g;
/**
 * A clock time leading a line, with its date if any, as loggers print them (`2026-05-12 13:33:13,837`, `[04/14 11:48:20`,
 * `02:13:50.569`); glog's and absl's with the thread id and source line after it (`I1128 08:59:24.07 1382 train.py:298]`).
 */
export const LEADING_TIMESTAMP =
  /^\W*(?:\d{4}[-/]\d\d[-/]\d\d[ T_]|\d\d\/\d\d(?:\/\d\d(?:\d\d)?)? |[IWEF]\d{4} )?\d\d:\d\d(?::\d\d)?(?:[.,]\d+)?(?:\s+\d+ [\w.-]+:\d+\])?/;
/**
 * Groups: the number, its `/M` total. A hyphen right after a digit joins two numbers (`4-5383`, a range `1-500`): no minus sign.
 * A `#` before a number is a date or time masked out, unless it opens the line (`#50, Train loss: 0.0068`: a count).
 */
const FIELD = new RegExp(
  String.raw`(?<![\w./]|(?<!^)#|(?<!\d)-)(-?(?:\d+(?:\.\d+)?(?:[eE][-+]?\d+)?|\.\d+|${NON_FINITE_SPELLING}))(?!\w|\.\d|%)(?:\s*\/\s*(\d+)(?!\w|\.\d))?`,
  'gi',
);
const isDigit = (c: number) => c >= 0x30 && c <= 0x39;
const isKeyChar = (c: number) =>
  isDigit(c) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f || c === 0x2e || c === 0x2f || c === 0x2d;
const isSpace = (c: number) => c === 0x20 || c === 0x09;
const isQuote = (c: number) => c === 0x22 || c === 0x27;

/** Where the key word ending at `end` starts (end + 1 when there is none). */
function wordStart(text: string, end: number): number {
  let j = end;
  while (j >= 0 && isKeyChar(text.charCodeAt(j))) j -= 1;
  while (j + 1 <= end && !isLetter(text.charCodeAt(j + 1))) j += 1;
  return j + 1;
}

const isLetter = (c: number) => (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f;

/** The key right before `at`: `key: `, `key=`, `"key": "`, `key ` (one or two words), scanned backwards (a regex anchored at the end would retry at every position). */
function keyBefore(text: string, at: number): string | null {
  // `train_batch_loss[ 6590 ]:  nan`: the index in brackets is the key's, not its value (the value after the colon is).
  if (indexOfKey(text, at)) return null;
  let i = at - 1;
  // `(`: `loss (0.5)`; `[`: `Epoch: [9]`, a bracketed count keyed by the word before it.
  while (
    i >= 0 &&
    (isSpace(text.charCodeAt(i)) || isQuote(text.charCodeAt(i)) || text.charCodeAt(i) === 0x28 || text.charCodeAt(i) === 0x5b)
  )
    i -= 1;
  if (i >= 0 && (text[i] === ':' || text[i] === '=')) i -= 1;
  // `loss_train, 0.171`: a comma right after a key's last letter, as print(name, value, sep=', ') writes them;
  // not a unit after a number (`15600 iter, 19 epoch`: `iter` is the 15600's).
  else if (i >= 1 && text[i] === ',' && isLetter(text.charCodeAt(i - 1))) {
    if (unitOfANumber(text, wordStart(text, i - 1))) return null;
    i -= 1;
  }
  // `train==[31.19…`: a separator doubled.
  if (i >= 0 && text[i] === '=') i -= 1;
  // `[loss]: 4.85`: a key in brackets; `loss[ 6590 ]: nan`: a key with its index.
  while (i >= 0 && (isSpace(text.charCodeAt(i)) || isQuote(text.charCodeAt(i)) || text[i] === ']')) i -= 1;
  const indexed = INDEXED_KEY_END.exec(text.slice(Math.max(0, i - 24), i + 1));
  if (indexed) i -= indexed[0].length - 1;
  i = beforeParenthesisedNote(text, i);
  const first = wordStart(text, i);
  // A unit glued on a number (`6s`, `19m`) keys nothing.
  if (first > i || isDigit(text.charCodeAt(first - 1))) return null;
  const qualifier = qualifierBeforeNote(text, first);
  if (qualifier !== null) return `${qualifier} ${text.slice(first, i + 1)}`;
  let start = first;
  if (first >= 2 && text.charCodeAt(first - 1) === 0x20 && isWordOrPathChar(text.charCodeAt(first - 2))) {
    const second = wordStart(text, first - 2);
    if (second <= first - 2 && isWordOfPath(text, second, first - 1)) start = possessiveStart(text, second, first - 1);
  }
  return isFlag(text, start) ? null : text.slice(start, i + 1);
}

/** The word at `start` follows a number and a blank: the number's unit (`15600 iter`), no key of what comes after it. */
function unitOfANumber(text: string, start: number): boolean {
  let j = start - 1;
  if (j < 0 || !isSpace(text.charCodeAt(j))) return false;
  while (j >= 0 && isSpace(text.charCodeAt(j))) j -= 1;
  return isDigit(text.charCodeAt(j));
}

/** The key at `start` is a command line's flag (`-iter 100`, `--max_steps 3000`): a setting the job was started with, no reading. */
function isFlag(text: string, start: number): boolean {
  let dash = start - 1;
  while (dash >= 0 && text.charCodeAt(dash) === 0x2d && start - dash <= 2) dash -= 1;
  return dash < start - 1 && (dash < 0 || isSpace(text.charCodeAt(dash)));
}

/** The end of `key[ 6590`, up to the key's last character. */
const INDEXED_KEY_END = /\w\[\s*\d+\s*$/;
/** After the number: `]` and then the key's separator (`loss[ 6590 ]: nan`). */
const INDEX_CLOSED_THEN_VALUE = /^\s*\]\s*[:=]\s*\S/;

/** The number at `at` indexes the word glued before it, which a value then follows (`loss[ 6590 ]: nan`; not MXNet's `Epoch[3] Batch [100]`). */
function indexOfKey(text: string, at: number): boolean {
  let i = at - 1;
  while (i >= 0 && isSpace(text.charCodeAt(i))) i -= 1;
  if (i < 1 || text.charCodeAt(i) !== 0x5b || !isKeyChar(text.charCodeAt(i - 1))) return false;
  let end = at;
  while (end < text.length && text.charCodeAt(end) >= 0x30 && text.charCodeAt(end) <= 0x39) end += 1;
  return INDEX_CLOSED_THEN_VALUE.test(text.slice(end, end + 16));
}

/** The number at [at, end) is the first of a list in brackets (`Loss [6, 200](epoch, minibatch): 3.58`): the word before keys the list, if anything, not its first item. */
function opensAList(text: string, at: number, end: number): boolean {
  let i = at - 1;
  while (i >= 0 && isSpace(text.charCodeAt(i))) i -= 1;
  if (i < 0 || text.charCodeAt(i) !== 0x5b) return false;
  let j = end;
  while (j < text.length && isSpace(text.charCodeAt(j))) j += 1;
  return text.charCodeAt(j) === 0x2c;
}

/** Where the short parenthesised note that closes at `close` opens, after a blank (` (curr)`, ` (scale 1)`); -1 when there is none. */
function noteOpening(text: string, close: number): number {
  if (text.charCodeAt(close) !== 0x29) return -1;
  const open = text.lastIndexOf('(', close);
  return open >= 1 && close - open <= 24 && text.charCodeAt(open - 1) === 0x20 ? open : -1;
}

/**
 * `loss train (curr): 1.16`: a short parenthesised note between a key and its colon is skipped; so is a bracketed
 * list it follows (`Loss [6, 200](epoch, minibatch): 3.58`, the note naming the list's items). Returns where the key ends.
 */
function beforeParenthesisedNote(text: string, i: number): number {
  const note = noteOpening(text, i);
  const open = note >= 0 ? note : listThenNoteOpening(text, i);
  if (open < 0) return i;
  let j = open - 1;
  while (j >= 0 && isSpace(text.charCodeAt(j))) j -= 1;
  return j;
}

/** Where `[6, 200](epoch, minibatch)`, closing at `close`, opens after a blank; -1 when it is not that. */
function listThenNoteOpening(text: string, close: number): number {
  if (text.charCodeAt(close) !== 0x29) return -1;
  const note = text.lastIndexOf('(', close);
  if (note < 2 || close - note > 32 || text.charCodeAt(note - 1) !== 0x5d) return -1;
  const list = text.lastIndexOf('[', note - 1);
  return list >= 1 && note - list <= 32 && text.charCodeAt(list - 1) === 0x20 && text.slice(list, note).includes(',') ? list : -1;
}

/** `discr (scale 1) loss: 0.5`: the word before a short parenthesised note in front of a key still qualifies it (`discr loss`). */
export function qualifierBeforeNote(text: string, keyStart: number): string | null {
  if (keyStart < 4 || text.charCodeAt(keyStart - 1) !== 0x20) return null;
  const open = noteOpening(text, keyStart - 2);
  if (open < 2) return null;
  const start = wordStart(text, open - 2);
  return start <= open - 2 && isWordOfPath(text, start, open - 1) ? text.slice(start, open - 1) : null;
}

/** `train's l2`: a possessive `'s` word joins the word before it, so the key is `train's`, not `s`. */
function possessiveStart(text: string, start: number, end: number): number {
  const apostrophe = text.charCodeAt(start - 1);
  if (end - start !== 1 || text[start] !== 's' || (apostrophe !== 0x27 && apostrophe !== 0x2019) || start < 2) return start;
  const owner = wordStart(text, start - 2);
  return owner <= start - 2 && isWordOfPath(text, owner, start - 1) ? owner : start;
}

const isWordOrPathChar = (c: number) => isLetter(c) || (c >= 0x30 && c <= 0x39) || c === 0x2f || c === 0x2d;

/** text[from, to) is a letter or `_` followed by word characters, `/` or `-`. */
function isWordOfPath(text: string, from: number, to: number): boolean {
  if (!isLetter(text.charCodeAt(from))) return false;
  for (let j = from + 1; j < to; j += 1) if (!isWordOrPathChar(text.charCodeAt(j))) return false;
  return true;
}

const isNanOrInf = (key: string) => key.length === 3 && /^(?:nan|inf)$/i.test(key);

/** `-?\d+` */
function isInteger(number: string): boolean {
  for (let j = number.charCodeAt(0) === 0x2d ? 1 : 0; j < number.length; j += 1) {
    const c = number.charCodeAt(j);
    if (c < 0x30 || c > 0x39) return false;
  }
  return number.length > 0 && number !== '-';
}

function onlyBlanksBefore(text: string, at: number): boolean {
  for (let j = 0; j < at; j += 1) if (!/\s/.test(text[j] as string)) return false;
  return true;
}

/** Python logging's default format, `INFO:root:` or `INFO:my-run:`: the logger's name names none of the numbers after it. */
const PYTHON_LOGGING_PREFIX = /^(?:DEBUG|INFO|WARNING|ERROR|CRITICAL):[\w.-]+:/;
/** A logger's header of brackets, its time (masked) then a process or thread id (`[2022-03-02 23:05:56,480][18482] …`): an id. */
const LOGGER_ID_AFTER_TIME = /^(\s*\[#(?:[ T]#)?\]\s?\[)\d+\]/;

/** The line's first number, or the first of a list that opens it (`[600, 9.996e-05]`, VITS's `[global_step, lr]`). */
function leadsTheLine(text: string, at: number): boolean {
  return onlyBlanksBefore(text, at) || (text.charCodeAt(at - 1) === 0x5b && onlyBlanksBefore(text, at - 1));
}

/** `10164 / 16384 MB`: a quantity used of what there is (memory, disk), not a count of steps and its total. */
const measuredAfter = (text: string, end: number) => UNIT_AFTER.test(text.slice(end, end + 8));
const UNIT_AFTER = /^\s*(?:[KMGT]i?B|[kK]B|bytes?)\b/;
/** `104 sec elapsed`, `12.5 ms`: a duration, with its unit after a blank (a glued one, `3.3s`, makes no field at all). */
const durationAfter = (text: string, end: number) => text.charCodeAt(end) === 0x20 && DURATION_AFTER.test(text.slice(end, end + 9));
const DURATION_AFTER = /^ (?:s|secs?|seconds?|ms|mins?|minutes?|h|hrs?|hours?)\b/;

/**
 * Whether a number is part of a path: the word it sits in has a `/` before it, after letters, and
 * nothing after that `/` that could key a value (`train/loss=0.5` keys one). Asked at increasing
 * positions, it reads each character of the line once (a long line of numbers stays linear).
 */
class PathWords {
  readonly #text: string;
  #position = 0;
  #letterSeen = false;
  #slashAfterLetter = false;
  #keyedAfterSlash = false;

  constructor(text: string) {
    this.#text = text;
  }

  insidePath(at: number): boolean {
    for (; this.#position < at; this.#position += 1) {
      const c = this.#text.charCodeAt(this.#position);
      if (isSpace(c)) [this.#letterSeen, this.#slashAfterLetter, this.#keyedAfterSlash] = [false, false, false];
      else if (c === 0x2f) [this.#slashAfterLetter, this.#keyedAfterSlash] = [this.#letterSeen, false];
      else if (c === 0x3d || c === 0x3a || c === 0x2c) this.#keyedAfterSlash = true;
      else if ((c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a)) this.#letterSeen = true;
    }
    return this.#slashAfterLetter && !this.#keyedAfterSlash;
  }
}

export function numericFieldsOf(line: string): NumericField[] {
  const masked = line.replace(PYTHON_LOGGING_PREFIX, '').replace(DATE_OR_TIME, '#');
  const text = masked.includes('][') ? masked.replace(LOGGER_ID_AFTER_TIME, '$1#]') : masked;
  const fields: NumericField[] = [];
  const paths = text.includes('/') ? new PathWords(text) : null;
  FIELD.lastIndex = 0;
  for (let match = FIELD.exec(text); match !== null; match = FIELD.exec(text)) {
    const number = match[1] as string;
    const total = match[2];
    const at = match.index;
    // A file's path is no field (`Saving ./log/2024-11-15_10-24-32/000000116.pth`: no `32/116` count).
    if (paths?.insidePath(at)) continue;
    const key = opensAList(text, at, at + number.length) ? null : keyBefore(text, at);
    const end = at + match[0].length;
    // A duration is no count and no loss: it would only pass for a counter (seconds elapsed advance steadily).
    if (total === undefined && durationAfter(text, end)) continue;
    fields.push({
      key: key === null || isNanOrInf(key) ? null : key,
      text: number,
      value: Number(number),
      integer: isInteger(number),
      total: total !== undefined && !measuredAfter(text, end) ? Number(total) : null,
      bracketed: text.charCodeAt(at - 1) === 0x5b && text.charCodeAt(end) === 0x5d,
      leading: leadsTheLine(text, at),
    });
  }
  return fields;
}
