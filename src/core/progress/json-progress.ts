/**
 * JSON lines (`{"step": 10, "loss": 0.5}`, `{"global_step": …, "train/loss": …}`, nested
 * `{"metrics": {"loss": …}}`): their keys say exactly what each number is, nesting included, so
 * they are read as objects rather than as text. A step key's integer is the step, a
 * `max_steps` key its total, `epoch` the epoch, the best-ranked loss key the loss.
 * What sits under an evaluation key (`{"eval": {"loss": …}}`, `"val/loss"`), and every number of
 * a line tagged as evaluation (`"split": "validation"`), is no training step or loss.
 */

import { kindOf } from './key-kinds.ts';
import { type LossValue, type ProgressUpdate, toValue } from './parse-line.ts';

export type JsonReading = { update: ProgressUpdate; evaluation: boolean };

const EVAL_NAME = /^(?:val|valid|validation|eval|evaluation|test|testing|dev)$/i;
const MODE_KEY = /^(?:split|mode|phase|stage|subset)$/i;
/** A planned total; `num_updates`, `total_steps` count what is done so far (fairseq, RL loops). */
const TOTAL_KEY = /^max[_ ]?(?:steps|iters|iterations|updates)$/i;
const EPOCH_KEY = /^epoch$/i;
const FRACTIONAL_EPOCH = /"epoch"\s*:\s*"?\d+\.\d/i;

type Leaf = { name: string; value: string; underEvaluation: boolean };

/** A key that is an evaluation's name or has one among its words (CatBoost's `best_score_validation`, `test_metrics`). */
const namesEvaluation = (key: string) => key.split(/[^A-Za-z]+/).some((word) => EVAL_NAME.test(word));

/** A record that names its metric in a field and holds it in another: `{"name": "loss", "value": 0.4}`. */
const NAME_KEY = /^(?:name|metric|tag|key)$/i;
const VALUE_KEY = /^(?:value|val|scalar)$/i;

/** The numeric leaves of an object, each with its own key and whether an evaluation key is above it. */
function leavesOf(
  value: unknown,
  name: string,
  underEvaluation: boolean,
  leaves: Leaf[],
  tags: { evaluation: boolean },
  metricName: string | null = null,
): void {
  if (typeof value === 'number')
    leaves.push({ name: metricName !== null && VALUE_KEY.test(name) ? metricName : name, value: String(value), underEvaluation });
  else if (typeof value === 'string') {
    // Numbers are often logged as text (`"loss": "0.4512"`, `"NaN"`).
    if (toValue(value) !== null) leaves.push({ name, value, underEvaluation });
    else if (MODE_KEY.test(name) && EVAL_NAME.test(value)) tags.evaluation = true;
  } else if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    // The record's own metric name reaches its value, nested or not (caikit's `{"name": "loss", "data": {"value": …}}`).
    const named = Object.entries(value).find(([key, inner]) => NAME_KEY.test(key) && typeof inner === 'string');
    const metric = named ? (named[1] as string) : metricName;
    const evaluationByName = named !== undefined && kindOf(named[1] as string).evaluation;
    for (const [key, inner] of Object.entries(value)) {
      const evaluation = underEvaluation || evaluationByName || namesEvaluation(key) || kindOf(key).evaluation;
      leavesOf(inner, key, evaluation, leaves, tags, metric);
    }
  }
}

/** What a JSON object line says; null when the line is no JSON object. */
export function readJsonLine(line: string): JsonReading | null {
  const text = line.trim();
  if (text.charCodeAt(0) !== 0x7b || text.charCodeAt(1) !== 0x22 || text.charCodeAt(text.length - 1) !== 0x7d) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return null;
  }
  const leaves: Leaf[] = [];
  const tags = { evaluation: false };
  leavesOf(parsed, '', false, leaves, tags);
  const update: ProgressUpdate = {};
  const epoch = leaves.find((leaf) => EPOCH_KEY.test(leaf.name));
  if (epoch && Number.isFinite(Number(epoch.value))) {
    update.epoch = Number(epoch.value);
    // JSON.parse reads `0.0` as 0: the line's text says whether the epoch was written as a fraction.
    if (!Number.isInteger(update.epoch) || FRACTIONAL_EPOCH.test(text)) update.epochFraction = true;
  }
  if (tags.evaluation) return { update, evaluation: true };
  let best: { rank: number; value: LossValue } | null = null;
  for (const leaf of leaves) {
    if (leaf.underEvaluation) continue;
    const kind = kindOf(leaf.name);
    const number = Number(leaf.value);
    if (TOTAL_KEY.test(leaf.name) && Number.isInteger(number)) update.total = number;
    else if (kind.step && update.step === undefined && Number.isInteger(number) && number >= 0)
      [update.step, update.stepRank] = [number, 2];
    if (kind.kept) {
      const value = toValue(leaf.value);
      if (value === null) continue;
      (update.metrics ??= {})[leaf.name] = value;
      if (kind.lossRank !== null && (best === null || kind.lossRank < best.rank)) best = { rank: kind.lossRank, value };
    }
  }
  if (best) [update.loss, update.lossRank] = [best.value, best.rank];
  return { update, evaluation: false };
}
