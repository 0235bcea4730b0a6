/**
 * What a line says once the noise of how it was captured or pasted is gone: terminal colour codes
 * (`\x1b[1m4421/4421\x1b[0m`: Keras 3, rich, loguru), a literal `^M` where a `\r` was (several
 * redraws on one line: the last is what the terminal showed), a `> ` quote prefix, thousands
 * separators in counts (`iter: 20,400`), a value printed in angle brackets (`Loss: <0.18>`, a
 * repr) or in Markdown's code marks (`` loss `0.67` ``), full-width colons and commas (`训练次数：100，Loss：1.98`), the loss named in Chinese,
 * Japanese or Korean (`训练损失: 16.36` reads as `train_loss: 16.36`, a test-set loss as `val_loss`),
 * a progress bar with the next log line glued to it (a bar redrawn without its newline), Keras bars
 * redrawn without their `\r`, records written without their newlines, and a traceback glued to the line before it:
 * those are several lines.
 */

import { CJK_EVALUATION_WORDS } from './key-kinds.ts';
import { stripEscapeSequences } from '../text/printable.ts';
import { lastVisibleSegment } from '../text/terminal-text.ts';

/** `^M` as two characters: a `\r` that went through a pager or an editor. */
const CARET_M = /\^M/g;
const QUOTE_PREFIX = /^(?:\s*>)+ ?/;
/** `20,400`, `1,195,307` (and `iter: 20,400, lr: …`): a comma before exactly three digits, not part of a decimal or a list `0.1,0.2`. */
const THOUSANDS = /(?<![\d.,:])\d{1,3}(?:,\d{3})+(?![\d.]|,\d)/g;
/** `key: <0.18>`: a number in angle brackets right after a key's colon or equals sign. */
const BRACKETED_VALUE = /([:=]\s*)<([-+]?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?|nan|inf)>/gi;
/** A number in Markdown's code marks, as a log rewritten into Markdown shows it (`` - epoch `24`, loss `0.672` ``). */
const BACKTICKED_VALUE = /`([-+]?(?:\d+(?:\.\d*)?(?:[eE][-+]?\d+)?|nan|inf))`/gi;
const FULL_WIDTH = /[：，]/;
/**
 * A key's value printed as a scalar array or tensor (`'total_loss': array(11.2, dtype=float32)`, JAX's `Array(0.5, dtype=…)`,
 * `loss: tensor(0.53, device='cuda:0', grad_fn=<AddBackward0>)`): the number.
 */
const WRAPPED_SCALAR =
  /([:=]\s*)(?:np\.|jnp\.)?(?:array|Array|DeviceArray|tensor)\(\s*([-+]?(?:\d+(?:\.\d*)?(?:[eE][-+]?\d+)?|nan|inf))\s*(?:,[^()]*)?\)/gi;
/** The loss in Chinese, Japanese or Korean, with what it was measured on before it: training's, or an evaluation's. */
const CJK_LOSS = new RegExp(
  String.raw`(?<evaluation>${CJK_EVALUATION_WORDS})?(?<training>训练|訓練|学習)?(?:损失|損失|손실)(?:值|値)?`,
  'g',
);
const mayNameCjkLoss = (text: string) => text.includes('损失') || text.includes('損失') || text.includes('손실');
/** A tqdm bar's closing `[elapsed<eta, rate]` with more text right behind it. */
const GLUED_AFTER_BAR = /\[(?:\d+:)?\d+:\d+(?:<[^\]]*)?(?:,[^\]]*)?\](?=\S)/g;

/** A record's opening key (`epoch: 3/100, train_loss: …`) and the same key again, glued to the value before it. */
const RECORD_KEY = /^\s*([A-Za-z_]\w*)\s*[:=]\s*\d/;
/** Records written without their newline make a long line: shorter ones are not looked at. */
const GLUED_RECORDS_MIN_CHARS = 120;

/**
 * Records a logger wrote without newlines (`f.write(f"epoch: {e}, …")`): `epoch: 1/1000, train_loss: 6.84, train_acc:
 * 0.3898epoch: 2/1000, …` is two records; the line's opening key comes back glued to the last value. Null when it does not.
 */
function gluedRecords(text: string): string[] | null {
  const key = RECORD_KEY.exec(text)?.[1];
  if (key === undefined || text.indexOf(key, key.length + 1) < 0) return null;
  const parts = text.split(new RegExp(String.raw`(?<=[\d.])(?=${key}\s*[:=]\s*\d)`));
  return parts.length > 1 ? parts : null;
}

/** A Keras bar's head (`12/19 [=====>....]`); the count may be glued to the value before it (`0.218912/19 [`). */
const KERAS_BAR_HEAD = /(\d+)\/(\d+) \[[=.>]*\]/g;

/**
 * Keras bars redrawn with a `\r` the paste lost, glued on one line (` 2/10000 [....] - loss: nan  3/10000 [....] - …`,
 * or with no blank: `- loss: 0.228910/19 [===>...]`): one line each. A count glued to the value before it is the longest
 * run of its digits that does not exceed the total. Null when the line holds fewer than two bars.
 */
function gluedKerasBars(text: string): string[] | null {
  const starts: number[] = [];
  for (const match of text.matchAll(KERAS_BAR_HEAD)) {
    const [digits, total] = [match[1] as string, Number(match[2])];
    let length = digits.length;
    while (length > 1 && (Number(digits.slice(-length)) > total || digits.at(-length) === '0')) length -= 1;
    starts.push((match.index ?? 0) + digits.length - length);
  }
  if (starts.length < 2) return null;
  return [text.slice(0, starts[0]), ...starts.map((start, i) => text.slice(start, starts[i + 1]))].filter((part) => part.trim() !== '');
}

/** A traceback's header glued to the line before it (a bar or a log line written without its newline before the crash). */
const GLUED_TRACEBACK = /(?<=\S)(?=Traceback \(most recent call last\):)/;

/** The logical lines one captured line holds (usually one). */
export function normaliseLine(line: string): string[] {
  if (line.includes('Traceback (most recent call last):') && GLUED_TRACEBACK.test(line))
    return line.split(GLUED_TRACEBACK).flatMap(normaliseLine);
  if (line.includes('^M')) {
    // Like real `\r` redraws (see ProgressTracker.pushBytes): the last one shown, and the one it covered.
    const redraws = line.replace(CARET_M, '\r');
    const last = lastVisibleSegment(redraws);
    const covered = lastVisibleSegment(redraws.slice(0, Math.max(0, redraws.lastIndexOf(last) - 1)));
    return [...(covered ? normaliseLine(covered) : []), ...normaliseLine(last)];
  }
  let text = line.includes('\x1b') || line.includes('\u009b') ? stripEscapeSequences(line) : line;
  if (text.charCodeAt(0) === 0x3e || /^\s+>/.test(text)) text = text.replace(QUOTE_PREFIX, '');
  if (FULL_WIDTH.test(text)) text = text.replace(/：/g, ': ').replace(/，/g, ', ');
  if (mayNameCjkLoss(text))
    text = text.replace(CJK_LOSS, (...match) => {
      const { evaluation, training } = match.at(-1) as { evaluation?: string; training?: string };
      return ` ${evaluation ? 'val_' : training ? 'train_' : ''}loss`;
    });
  if (text.includes('`')) text = text.replace(BACKTICKED_VALUE, '$1');
  if (text.includes('(') && /(?:array|tensor)\(/i.test(text)) text = text.replace(WRAPPED_SCALAR, '$1$2');
  if (text.includes(',')) text = text.replace(THOUSANDS, (digits) => digits.replaceAll(',', ''));
  if (text.length >= GLUED_RECORDS_MIN_CHARS) {
    const records = gluedRecords(text);
    if (records) return records.flatMap(normaliseLine);
  }
  if (!text.includes('<') && !text.includes(']')) return [text];
  // Two Keras bars' `] - ` on one line: the cheap look before the search.
  const dash = text.indexOf('] - ');
  if (dash >= 0 && text.indexOf('] - ', dash + 4) >= 0) {
    const bars = gluedKerasBars(text);
    if (bars) return bars;
  }
  if (text.includes('>')) text = text.replace(BRACKETED_VALUE, '$1$2');
  const parts: string[] = [];
  let from = 0;
  for (const match of text.matchAll(GLUED_AFTER_BAR)) {
    const end = (match.index ?? 0) + match[0].length;
    parts.push(text.slice(from, end));
    from = end;
  }
  if (parts.length === 0) return [text];
  parts.push(text.slice(from));
  return parts;
}
