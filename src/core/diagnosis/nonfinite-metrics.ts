/**
 * A run whose metrics turned NaN/Inf: the progress parser reads the lines that print a `nan` or
 * an `inf`, and the last one whose loss (or another metric) is non-finite is kept as evidence.
 * Without an exception, that is the likeliest reason a run ended (`nan_loss`).
 */

import { NON_FINITE_SPELLING } from '../progress/non-finite.ts';
import { isNonFinite, ProgressLineParser } from '../progress/parse-line.ts';

/** Literals for the diagnoser's prefilter (`inf` alone would let every `INFO` line in). */
export const NON_FINITE_LITERALS: readonly string[] = [
  ...['nan', '=inf', ': inf', ':inf', 'inf,', 'inf ', '-inf', 'inf}', 'inf|', 'inf\t'],
  // An `inf` that ends the line, said of a value (NON_FINITE_VALUE).
  ...['value of inf', 'value is inf', 'value was inf', 'values were inf', 'became inf'],
];
/** A meter's current value before its running average in parentheses: `loss 0.43 (` of `loss 0.43 (nan)`. */
const VALUE_THEN_AVERAGE = String.raw`\s+[-+]?\d[\d.]*(?:e[-+]?\d+)?\s+\(`;
const NON_FINITE_WORD = new RegExp(String.raw`(?<![\w.])[-+]?${NON_FINITE_SPELLING}(?![\w.])`, 'i');

/**
 * A training quantity named by its key, whatever the line's layout: `loss_net: nan`, `grad norm: nan`, `loss - nan`,
 * `val/ppl=inf`, `train_batch_loss[ 6650 ]:  nan`, a tabular logger's `| value_loss/Average     nan`, a meter's running
 * average (`grad_norm 1.62 (nan)`) (layouts the progress parser does not know still name the quantity).
 */
const NON_FINITE_QUANTITY = new RegExp(
  String.raw`(?<![A-Za-z])(?:loss|grad|norm|ppl|perplexity)\w*(?:[ _./-]\w+){0,2}(?:\s*\[\s*\d+\s*\])?(?:\s*[:=]|\s+-|\s{2,}|${VALUE_THEN_AVERAGE})\s*[-+]?${NON_FINITE_SPELLING}(?![\w.])`,
  'i',
);
/** A value said to have turned non-finite (`Moving average ignored a value of inf`, `loss value is nan`). */
const NON_FINITE_VALUE = new RegExp(String.raw`\bvalues? (?:of|is|was|were|became|becomes)\s+[-+]?${NON_FINITE_SPELLING}(?![\w.])`, 'i');
/** A progress bar's postfix (after its rate, `2.85it/s, D=nan, G=nan`): metrics, whatever their names. */
const NON_FINITE_BAR_METRIC = new RegExp(String.raw`(?:it|s)/(?:s|it)\b[^\]\n]*?[,\s]\w+=[-+]?${NON_FINITE_SPELLING}(?![\w.])`, 'i');
/** A scalar the job computed and printed as a tensor with its gradient (`tensor(nan, device='cuda:0', grad_fn=<SubBackward0>)`): a loss. */
const NON_FINITE_TENSOR = /\btensor\(\s*[-+]?(?:nan|inf)\b[^)]*\bgrad_fn=/i;

/**
 * A table row of numbers under a counter, several of them NaN/Inf and no word but those (`20000  [nan, nan]  [nan, nan]`,
 * `[ 70% ]  7  nan  nan  0.500000`): the columns are the run's metrics, whatever the header called them.
 */
function nonFiniteRow(text: string): boolean {
  if (!/^\W*\d/.test(text)) return false;
  const words = text.match(/[A-Za-z]+/g) ?? [];
  return words.length >= 2 && words.every((word) => /^(?:nan|inf)$/i.test(word));
}

export type NonFiniteMetric = { line: number; text: string };

export class NonFiniteMetrics {
  last: NonFiniteMetric | null = null;
  #parser = new ProgressLineParser();

  push(text: string, lineNo: number): void {
    if (!NON_FINITE_WORD.test(text)) return;
    const update = this.#parser.parse(text);
    const values = update ? [update.loss, ...Object.values(update.metrics ?? {})] : [];
    if (
      values.some(isNonFinite) ||
      NON_FINITE_QUANTITY.test(text) ||
      NON_FINITE_TENSOR.test(text) ||
      NON_FINITE_BAR_METRIC.test(text) ||
      NON_FINITE_VALUE.test(text) ||
      nonFiniteRow(text)
    )
      this.last = { line: lineNo, text: text.trim().slice(0, 500) };
  }
}
