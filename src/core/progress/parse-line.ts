/**
 * Progress from what trainers already print, no code change: tqdm, Lightning and rich bars,
 * Hugging Face log dicts, Keras progbars, mmcv/mmengine (`Epoch [1][50/500]`, `Iter [200/80000]`),
 * MetricLogger, timm and PyTorch's examples (`[640/60000 (1%)]`), Megatron/DeepSpeed, fairseq,
 * OpenNMT, detectron2, YOLO and fastai tables, and generic `step N` / `iter N` / `epoch N` lines.
 *
 * Counters are only read where a keyword or a bar's shape says what they are, so a timestamp,
 * an ETA, a learning rate, a version or an `it/s` figure is never taken for a step. Losses
 * are ranked by key: `loss` itself, then a run's total (`train_loss`, `total_loss`, `lm loss`,
 * `xent`, any `…loss`), never a component (`loss_cls`), a scale (`loss_scale`) or an
 * evaluation (`val_loss`, `eval_loss`).
 */

import { CJK_EVALUATION_WORDS, chooseLoss, kindOf, NAMED_LOSS_RANK } from './key-kinds.ts';
import { NON_FINITE_SPELLING } from './non-finite.ts';
import { LEADING_TIMESTAMP, qualifierBeforeNote } from './numeric-fields.ts';

export { EVAL_KEY, lossRank } from './key-kinds.ts';

export type LossValue = number | 'NaN' | 'Infinity' | '-Infinity';

/** What one line says. Every field is optional: lines often carry only part of the picture. */
export type ProgressUpdate = {
  step?: number;
  /** How much to trust `step`: a bar or explicit step counter (2) beats a global update count (1) beats an epoch standing in (0). */
  stepRank?: number;
  /** The step is a drawn progress bar's count (tqdm, rich): a training bar, whatever metrics it shows. */
  bar?: boolean;
  /**
   * The line counts something other than training, and what: an evaluation's bar (`Validating: 8/8`), or data being read
   * or loaded (`Reading annotation for 801/4952`, `Loading checkpoint shards: 2/4`), which is no evaluation, so the
   * summaries after it stay training's. No reading of such a line may count training steps.
   */
  notTraining?: 'evaluation' | 'data';
  /** The line names a loss that is not the training loss (one output of the net): nothing else may take it for one. */
  notTheLoss?: boolean;
  /** The step was read from a word that also names sizes (`batch = 405`): it may be one. */
  sizeLike?: boolean;
  /** The step's field was seen advancing line after line before this line (a learned counter): a count, even read once. */
  seenCounting?: boolean;
  /** The line is a trainer's end-of-training summary (HF Trainer's `train_runtime`, …): training is over. */
  trainingEnded?: boolean;
  total?: number | null;
  epoch?: number;
  /** The epoch was written as a fraction (`0.0`, `1.25`, as HF's log dicts write it): no count of whole epochs. */
  epochFraction?: boolean;
  /** The epochs' stated total (`Epoch 3/10`): the total shown when the epochs count as the steps. */
  epochTotal?: number;
  /** Steps per second, when the line states it (tqdm's it/s or s/it). */
  rate?: number;
  loss?: LossValue;
  metrics?: Record<string, LossValue>;
  /** How surely `loss` is the training loss (lossRank of its key: lower is surer; 0 for a format's own loss). */
  lossRank?: number;
};

/** A number; NaN and infinities also as a float formatter may print them (`nan.0`, `inf.0`: Lightning's bar). */
const NUMBER = String.raw`[-+]?(?:\d+\.?\d*(?:[eE][-+]?\d+)?|\.\d+)|[-+]?${NON_FINITE_SPELLING}`;
/** `key: value` (groups: key, value), `key=value`, `'key': value`, `"key": "value"`, `key: {value}`, `key: =value` (a bar's postfix key given with its colon), `[key]: value`, `key value` (fairseq summaries, DGL), `gen loss: value` (not `done. Loss:`, a sentence's end before the key), `Key is value` and `key is: value` (prose, BigDL), `key - value` (segmentation_models.pytorch's bar postfix), `key: (value)`, `('key', value)` (a list of pairs printed, PFRL's statistics). */
const KEY_VALUE = new RegExp(
  String.raw`(?<![\w.])([A-Za-z_][\w.\/-]*?(?:(?<!\.) (?:[Ll]oss|[Cc]ost|[Ee]ntropy))?)["'\]]?(?:\s*(?::\s*=|[:=])\s*|\s+is ?:?\s+|(?<=['"]),\s*|\s+(?:-\s+)?)["'{(]?(${NUMBER})(?!\w|\.\w)`,
  'g',
);

/** A time unit right after a value (`227 sec`, `0.7 s`, `12ms`): sticky, tried where the value ends. */
const TIME_UNIT_AFTER = /\s*(?:s|secs?|seconds?|ms|min|mins|minutes?|h|hrs?|hours?)\b/y;
/**
 * `loss: total: nan, xy: 3.4`, `[Losses: x 0.26, …, total 8.15]`, `batch losses (after updates) :  Generator loss 1.2 … Total: 2.6`:
 * a loss label the loss's parts follow, its `total` among them.
 */
const LOSS_GROUP = /\blosse?s?(?: \([^)]*\))?\s*:\s*(?=[A-Za-z])/i;
/** spaCy's `Losses {'ner': 0.57}` (`('Losses', {u'ner': 0.57})` under Python 2): the losses by pipeline component, in a dict. */
const LOSSES_BY_COMPONENT = /\blosses\b['"]?[,:]?\s*\{(?<components>[^{}]*)\}/i;
/**
 * One layer's or output's report under each iteration's line: Caffe's (`Train net output #3: loss = …`, `Test net
 * output #0: …`), darknet's YOLO layers (`Region 94 Avg (IOU: 0.75), …, total_loss = 0.35`). The iteration's line has the loss.
 */
const LAYER_OUTPUT = /\b(?:Train|Test) net output #\d+:|\bRegion \d+ Avg\b/;
/** HF Trainer's metrics at the end of `train()` (`{'train_runtime': 332.9, …, 'train_loss': 0.04}`): training is over. */
const TRAINING_SUMMARY_KEY = /^train_runtime$/;
/**
 * Callbacks report on an epoch in their own format: Keras's (`Epoch 00005: early stopping`, 0-based
 * in Keras 1-2), Lightning's ModelCheckpoint and EarlyStopping (`Epoch 12, global step 4576: 'val_acc'
 * was not in top 1`, printed when the epoch's bar has already ended). No progress.
 */
export const CALLBACK_REPORT = /^\s*Epoch (?:\d{5}|\d+, global step \d+): /;
/**
 * `Loss in epoch 3 = 0.66`, `Training average loss at step 100: 0.05` (or `at 100:`, the step unnamed), DL4J's `Score at iteration 194 is 0.18` (its name
 * for the loss), `cost after iteration 20: 1.2`, `avg loss so far is 0.02`, TensorFlow's `Loss for final step: 0.0025.`: the
 * objective named with what it was measured over, at the start of the line, of a logger's message (`… Listener - Score at …`,
 * `INFO:tensorflow:Loss …`) or of a clause (`Step 125, avg loss …`).
 */
const LOSS_PHRASE = new RegExp(
  String.raw`(?:^|\s-\s|,\s|:)\W*(?:the\s+)?(?:train(?:ing)?\s+)?(?:(?:average|avg|mean|running)\s+)?(?:loss|cost|score)\s+(?:(?:in|at|after|for|of|on)\s+(?:the\s+)?(?:(?<over>(?:epoch|step|iter(?:ation)?|batch)(?:\s+|[-_]?)\d+(?:[-_](?:step|iter(?:ation)?|batch)[-_]?\d+)?)|(?:final|last|this|current|training|train)\s+(?:epoch|step|iter(?:ation)?|batch)|(?<=\b(?:at|after)\s+)(?<count>\d+))|so\s+far)\s*(?:[:=]|\s+is\b)\s*(?<value>${NUMBER})(?![\w]|\.\d)`,
  'i',
);
/** tqdm: ` 45%|████▌     | 450/1000 [01:23<01:40, 5.42it/s, loss=0.3]` (or without glyphs in notebooks). */
const TQDM =
  /(?:^|[\s|:])(?<step>\d+)\/(?<total>\d+|\?)\s*\[(?:\d+:)?\d+:\d+(?:<(?:(?:\d+:)?\d+:\d+|\?))?(?:,\s*(?<rate>[\d.]+|\?)\s*(?<unit>it\/s|s\/it))?/;
/** rich (Lightning's RichProgressBar): `Epoch 3/9  ━━━━━━━━━ 120/469 0:00:12 • 0:00:35 9.85it/s`. */
const RICH_BAR =
  /(?:^|\s)(?<step>\d+)\/(?<total>\d+)\s+\d+:\d\d:\d\d\s+•\s+(?:\d+:\d\d:\d\d|-:--:--)(?:\s+(?<rate>[\d.]+)\s*(?<unit>it\/s|s\/it))?/;
/**
 * A bar drawn in box glyphs, then its count: Ultralytics' own (8.3+: `640: 100% ━━━━━━━━━━━━ 50/50 4.6it/s 10.8s`),
 * a rich bar whose columns were customised (`Epoch 2/9 ━━━━━━━━ 400/938 0:00:05 0:00:07`, no `•`).
 */
const GLYPH_BAR =
  /(?:^|\s)(?:\d{1,3}%\s*)?[\u2500-\u257f]{3,}\s+(?<step>\d+)\/(?<total>\d+)(?!\d)(?:\s+(?<rate>[\d.]+)(?<unit>it\/s|s\/it))?/;
const BOX_GLYPH = /[\u2500-\u257f]/;
/** An ASCII bar, its percentage, then its count (progressbar-style, native trainers): `Training [====    ] 17.0% 10000/58874 | 4.62 it/s`. */
const ASCII_BAR =
  /(?:^|\s)\[[=#>.\- ]{5,}\]\s+\d{1,3}(?:\.\d+)?%\s+(?<step>\d+)\/(?<total>\d+)(?!\d)(?:\s*\|\s*(?<rate>[\d.]+)\s*(?<unit>it\/s|s\/it))?/;
/** progressbar2's default widgets: `100% (124 of 124) |#########| Elapsed Time: 1:01:55 Time:  1:01:55`. */
const PROGRESSBAR2 = /(?:^|\s)\d{1,3}%\s+\(\s*(?<step>\d+) of (?<total>\d+)\)\s*\|/;
/** PyTorch's MNIST example `Train Epoch: 1 [640/60000 (1%)]`, timm `Train: 0 [ 100/1251 (  8%)]`. */
const PERCENT_BRACKET = /(?:\bTrain(?:ing)?:\s*(?<epoch>\d+)\s*)?\[\s*(?<step>\d+)\s*\/\s*(?<total>\d+)\s*\(\s*\d+(?:\.\d+)?%\)\s*\]/;
const TQDM_UNKNOWN_TOTAL = /(?:^|[\s:])(?<step>\d+)it\s*\[(?:\d+:)?\d+:\d+(?:,\s*(?<rate>[\d.]+)\s*(?<unit>it\/s|s\/it))?/;
const EPOCH_UNIT = /\ds\/epoch\b|\depochs?\/s\b/;
/** The words that name an evaluation pass (validation, test, prediction, test-time augmentation…), for bar descriptions and banners. */
export const EVALUATION_TERMS = String.raw`val(?:id(?:at(?:e|ed|ion|ing))?)?|eval(?:uat\w*)?|test(?:ing)?|predict\w*|inference|sanity|TTA|extract(?:ing|ion)?`;
/** Data being read, loaded or made ready, said first (`Reading annotation for 801/4952`, `Loading checkpoint shards:`): no training. */
const DATA_PREPARATION =
  /^\W*(?:\w+ - )?(?:Reading|Loading|Downloading|Caching|Tokeni[sz]ing|Indexing|Scanning|Preparing|Decompressing|Unpacking|Generating \w+ split)\b/;
/** Every DATA_PREPARATION verb ends in `ing`: a line without it is spared the timestamp and the pattern. */
const mayPrepareData = (line: string) => line.includes('ing');
/** What a bar's description says it measures: evaluation bars must not move the training step (test, validation, evaluation in Chinese and Japanese too). */
/** Words that report the past before a count: the best so far, where early stopping was triggered. */
export const PAST_REPORTED = /\bbest\b|\bearly[ _-]?stop/i;
/** A bar described by the word epoch alone, no number (`Epoch: 100%|██████████| `, `Epochs`): the bar counts the epochs. */
const EPOCHS_ALONE = /^\W*epochs?\W*(?:\d+%\D*)?$/i;
/** A word for training itself, as a description names it before an evaluation's (`train loss: … | test loss: …`). */
const TRAINING_WORD = /\btrain(?:ing)?\b/i;
const EVAL_WORDS = new RegExp(String.raw`\b(?:${EVALUATION_TERMS})\b|mAP|${CJK_EVALUATION_WORDS}`, 'i');
/**
 * mmcv / mmengine / MetricLogger: `Epoch [1][200/625]`, `Epoch(train)  [83][ 150/2693]`, `Epoch: [1]  [30/1504]`, abbreviated
 * (VAR's `[Ep]: [ 198/200]  [1251/1669]`); the count within the epoch in parentheses (`Epoch:[0/19](1800/24681)`); the
 * global step alone in parentheses (DCRNN's `Epoch [69/100] (8750) train_mae: …`).
 */
const BRACKET_EPOCH =
  /\b(?:Epoch|Ep\]?(?=:?\s*\[))(?:\((?<mode>\w+)\))?:?\s*\[\s*(?<epoch>\d+)\s*(?:\/\s*(?<epochTotal>\d+)\s*)?\](?:\s*(?:\[\s*(?<step>\d+)\s*\/\s*(?<total>\d+)\s*\]|\(\s*(?<stepInParens>\d+)\s*\/\s*(?<totalInParens>\d+)\s*\)|\((?<globalStep>\d+)\)(?!\S)))?/i;
const BRACKET_ITER = /\bIter(?:\((?<mode>\w+)\))?:?\s*\[\s*(?<step>\d+)\s*\/\s*(?<total>\d+)\s*\]/i;
/** fairseq `| epoch 010:   1000 / 2737 loss=…`, OpenNMT `Epoch  1, 13400/37527;`. */
const EPOCH_THEN_COUNT = /\bepoch\s+(?<epoch>\d+)\s*[:,]\s+(?<step>\d+)\s*\/\s*(?<total>\d+)\b/i;
/** ESPnet: `17epoch:train:6376-6750batch`. */
const ESPNET = /\b(?<epoch>\d+)epoch:train:\d+-(?<step>\d+)batch\b/;
/**
 * Keras: `1079/1079 [====] - 11s 10ms/step - loss: 0.18`, verbose=2 `1079/1079 - 11s - loss: …`, Keras 3
 * `938/938 ━━━━ 5s 5ms/step - loss: …` (its bar drawn in `=` where the console cannot show the glyph); the epoch header glued in front when the bar lost its line
 * (`Epoch 17/150 1568/2965 [====> . . .] - ETA: …`, the bar's dots spaced out in a paste).
 */
const KERAS =
  /^\s*(?:Epoch \d+\/\d+\s+)?(?<step>\d+)\/(?<total>\d+|Unknown)\s+(?:\[[=>. ]*\]\s*|(?:[\u2500-\u257f]+|={3,})\s+(?:\S+\s+){0,3})?-\s/;
/**
 * A line that mentions evaluation anywhere (`eval_loss`, `valid`, `Iteration 1950, Testing net (#0)`): its bare step
 * word is no training step. Not a word inside a module or file path (`examples.test:325`): a name.
 */
const EVALUATION_MENTIONED = /(?<![./])(?:\beval|\bvalid|\btest(?:ing)?\b)/i;
/** A `name: value` after a Keras bar's timing (`- loss: 0.18`, `- accuracy: 0.93`); its `ETA: 3s` is none. */
const KERAS_METRIC = /\b(?!ETA:)\w+: [-+]?(?:\d|\.\d|nan|inf)/i;
/**
 * A count of named units: PyTorch's word_language_model `| epoch 3 |  200/ 2983 batches |`, `40/500 iters`; not where
 * the unit word is the key of the next count (`Epoch 0/1  Iteration 640/20000`).
 */
const COUNT_OF_UNITS =
  /(?<![\w./])(?<step>\d+)\s*\/\s*(?<total>\d+)\s+(?:batch(?:es)?|iter(?:ation)?s?|steps|updates)\b(?!\s*[:=#]?\s*\d)/i;
/** darknet: `4: 285.326599, 289.835968 avg, 0.000100 rate, …`. */
const DARKNET = /^\s*(?<step>\d+): (?<loss>[\d.]+|-?nan|-?inf), (?:[\d.]+|-?nan|-?inf) avg\b/;
/**
 * `step 12`, `Step: 5750/50000`, `iteration 34/ 10000`, `iter: 759`, `step=35`, `step: 58036th`. Integers only: `step: 1172.13` is a timing.
 * A count within an episode (RL's `episode steps: 232`) is no training step. The pass may be named in brackets between
 * (audiotools' `Iteration (train) 1001/2500000`, `Iteration (val) 0/21`).
 */
const STEP_WORD =
  /(?<![\w./-])(?<!episode[ _])(?<word>global[_ ]step|(?:time)?step|iter(?:ation)?|itr|it|batch|update)s?["']?\s*(?:\((?<mode>\w+)\)\s*)?[:=#]?\s*(?:\[\s*)?(?<step>\d+)(?:st|nd|rd|th)?(?!\.\d|\d|[\w%])(?:\s*\/\s*(?<total>\d+)\b)?/gi;
/** PyTorch's MNIST example without its percentage: `Train epoch: 17 [800/1000]`, `Epoch 3 [120/500 (24%)]`. */
const EPOCH_THEN_BRACKET = /\bepoch\s*[:#]?\s*(?<epoch>\d+)\s*\[\s*(?<step>\d+)\s*\/\s*(?<total>\d+)\s*(?:\(\s*\d+(?:\.\d+)?%\)\s*)?\]/i;
const EPOCH_AND_COUNT = [EPOCH_THEN_COUNT, EPOCH_THEN_BRACKET, ESPNET];
const ESPNET_ONLY = [ESPNET];
/** PyTorch's CIFAR-10 tutorial: `[1,  2000] loss: 2.164` (epoch, batch). */
const EPOCH_BATCH_PAIR = /^\s*\[\s*(?<epoch>\d+)\s*,\s*(?<step>\d+)\s*\]\s+loss\b/i;
/** PyTorch's quickstart: `loss: 2.300728  [ 6464/60000]`, a count at the end of a loss line. */
const TRAILING_COUNT = /\bloss\b.*\[\s*(?<step>\d+)\s*\/\s*(?<total>\d+)\s*\]\s*$/i;
const COUNT_RANGE = /\b(?:mini)?batch(?:es)?\s*\[\s*\d+\s*-\s*(?<step>\d+)\s*[,\]]/i;
/** Global update counters: trusted less than an in-epoch counter on the same line. */
const UPDATE_COUNT = /(?<![\w.])(?:num_updates|global_step|total_steps|updates)["']?\s*[:=]?\s*["']?(?<step>\d+)\b(?!\.\d)/;
/** `epoch 3`, `Epoch: 3/10`, `Epoch #3`, `epoch, 0101` (print's separator), CNTK's `Epoch[ 3 of 15]`, `epoch 86/100.` (a full stop after the count ends a sentence; `epoch 1.5` is a fraction), after a rule of dashes (`-----Epoch 2 / 5`) but not as a flag (`--epoch 30`), in a report of the best one (`best epoch 22`, `the best model at epoch 18`) nor as how far the epoch has gone (`Epoch: 100.0%`). */
const EPOCH_WORD =
  /(?<![\w/.]|(?<!--)-|\bbest\s+|\bbest\b[\w ]{0,30}\b(?:at|from|in)\s+)epoch["'\]]?\s*[:=,]?\s*[#[]?\s*(?<epoch>\d+(?:\.\d+)?)(?:\s*(?:\/|\bof\b)\s*(?<total>\d+))?(?!\w|\.\d|\/\d|\s*%)/i;
/** A table row that starts with `epoch/epochs` (YOLO). */
const LEADING_FRACTION = /^\s*(?<epoch>\d+)\/(?<total>\d+)\s/;

/** stable-baselines3's tables print one `|    key | value |` a line; `total_timesteps` is its step. */
const PIPE_CELL = new RegExp(String.raw`^\s*\|\s+(?<key>[A-Za-z_][\w/.-]*(?: [A-Za-z_][\w/.-]*)*)\s+\|\s+(?<value>${NUMBER})\s+\|\s*$`);

export function toValue(text: string): LossValue | null {
  const lower = text
    .toLowerCase()
    .replace(/^\+/, '')
    .replace(/(?<=nan|inf|infinity)(?:\.0+|x{2,3})$/, '');
  if (lower === 'nan' || lower === '-nan') return 'NaN';
  if (lower === 'inf' || lower === 'infinity') return 'Infinity';
  if (lower === '-inf' || lower === '-infinity') return '-Infinity';
  const value = Number(text);
  return Number.isFinite(value) ? value : null;
}

/**
 * Parses lines one at a time. Keeps the last table header so that a row can be read by column:
 * YOLO (`Epoch gpu_mem box obj cls total …` over bars), fastai (`epoch train_loss valid_loss …`).
 */
export class ProgressLineParser {
  #header: string[] | null = null;

  parse(line: string): ProgressUpdate | null {
    if (!/\d|nan|inf/i.test(line)) {
      this.#rememberHeader(line);
      return null;
    }
    const row = this.#epochTableRow(line) ?? pipeCell(line) ?? printedTensor(line);
    if (row) return row;
    if (mayPrepareData(line) && DATA_PREPARATION.test(line.slice(LEADING_TIMESTAMP.exec(line)?.[0].length ?? 0)))
      return { notTraining: 'data' };
    if (CALLBACK_REPORT.test(line)) return null;
    const update: ProgressUpdate = {};
    this.#counters(line, update);
    this.#values(line, update);
    return Object.keys(update).length > 0 ? update : null;
  }

  /** A fastai-style table row under an `epoch train_loss valid_loss … time` header: one per epoch. */
  #epochTableRow(line: string): ProgressUpdate | null {
    const header = this.#header;
    if (!header) return null;
    const cells = line.trim().split(/\s+/);
    if (cells.length !== header.length || !/^\d+$/.test(cells[0] as string)) return null;
    if (!cells.slice(1).every((cell) => toValue(cell) !== null || /^(?:\d+:)?\d+:\d\d$|^#?na$/i.test(cell))) return null;
    const update: ProgressUpdate = { epoch: Number(cells[0]) };
    addValues(
      update,
      header.slice(1).map((name, index) => [name, cells[index + 1] as string]),
    );
    return update;
  }

  #rememberHeader(line: string): void {
    const words = line.trim().split(/\s+/);
    if (words.length >= 3 && /^epoch$/i.test(words[0] as string)) this.#header = words;
  }

  #counters(line: string, update: ProgressUpdate): void {
    // Each pattern runs only when the characters it cannot match without are there: most lines skip most patterns.
    const slash = line.includes('/');
    const bracket = line.includes('[');
    const bar =
      (bracket && ((slash && TQDM.exec(line)) || TQDM_UNKNOWN_TOTAL.exec(line))) ||
      (slash && line.includes('•') && RICH_BAR.exec(line)) ||
      (slash && BOX_GLYPH.test(line) && GLYPH_BAR.exec(line)) ||
      (slash && bracket && line.includes('%') && ASCII_BAR.exec(line)) ||
      (line.includes(' of ') && PROGRESSBAR2.exec(line)) ||
      null;
    if (bar?.groups) {
      const description = line.slice(0, bar.index);
      // Not a training bar whose description shows its last evaluation after its own loss (pykan's `train loss: 0.51 | test loss: 0.53 | …`).
      const evaluation = description.search(EVAL_WORDS);
      if (evaluation >= 0 && !TRAINING_WORD.test(description.slice(0, evaluation))) {
        update.notTraining = 'evaluation';
        return;
      }
      if (DATA_PREPARATION.test(description)) {
        update.notTraining = 'data';
        return;
      }
      // An outer bar over the epochs (`Training: 2/2 [07:43<00:00, 231.64s/epoch]`, `Epoch: 100% 3/3 [21:49<00:00, 436.47s/it]`
      // above the steps' `Iteration:` bar) counts epochs, not steps.
      if (EPOCH_UNIT.test(line.slice(bar.index))) return;
      if (EPOCHS_ALONE.test(description)) {
        update.epoch = Number(bar.groups.step);
        const epochs = totalOf(bar.groups.total);
        if (typeof epochs === 'number') update.epochTotal = epochs;
        return;
      }
      setStep(update, Number(bar.groups.step), 2, totalOf(bar.groups.total) ?? null);
      update.bar = true;
      // A global counter in the bar's postfix (tianshou's `50001it [00:40, env_step=250000, …]`): the bar counts this epoch's.
      const global = globalStepAfter(line, bar.index + bar[0].length, Number(bar.groups.step));
      if (global !== null) [update.step, update.total] = [global, null];
      const rate = Number(bar.groups.rate);
      if (Number.isFinite(rate) && rate > 0) update.rate = bar.groups.unit === 's/it' ? 1 / rate : rate;
      const epoch = /\bEpoch\s+#?(\d+)\b/i.exec(description) ?? LEADING_FRACTION.exec(description);
      if (epoch) update.epoch = Number(epoch[1]);
      this.#tableRow(description, update);
      // A description that names its own step with a total (`step 16/36 completed`) counts the optimizer's
      // steps; the bar beneath may count something coarser (updates of accumulated micro-batches).
      const named = description.includes('/') ? stepWordOf(description) : null;
      if (named?.groups?.total !== undefined && /step/i.test(named.groups.word ?? ''))
        [update.step, update.total] = [Number(named.groups.step), Number(named.groups.total)];
      return;
    }
    if (slash && SLASHED_PAIRS_HINT.test(line)) packedCounters(line, update);
    const epochTag = bracket ? BRACKET_EPOCH.exec(line) : null;
    if (epochTag?.groups) {
      if (!isTraining(epochTag.groups.mode)) return;
      update.epoch = Number(epochTag.groups.epoch);
      if (epochTag.groups.epochTotal !== undefined) update.epochTotal = Number(epochTag.groups.epochTotal);
      const { step, total, stepInParens, totalInParens } = epochTag.groups;
      if (step !== undefined) setStep(update, Number(step), 2, Number(total));
      else if (stepInParens !== undefined) setStep(update, Number(stepInParens), 2, Number(totalInParens));
      else if (epochTag.groups.globalStep !== undefined) setStep(update, Number(epochTag.groups.globalStep), 2);
    }
    const percent = bracket && slash ? PERCENT_BRACKET.exec(line) : null;
    if (percent?.groups && !EVAL_WORDS.test(line.slice(0, percent.index))) {
      setStep(update, Number(percent.groups.step), 2, Number(percent.groups.total));
      if (percent.groups.epoch !== undefined) update.epoch = Number(percent.groups.epoch);
    }
    const iter = bracket && slash ? BRACKET_ITER.exec(line) : null;
    if (iter?.groups && isTraining(iter.groups.mode)) setStep(update, Number(iter.groups.step), 2, Number(iter.groups.total));
    for (const pattern of slash ? EPOCH_AND_COUNT : ESPNET_ONLY) {
      const match = pattern.exec(line);
      if (match?.groups && !EVAL_WORDS.test(line.slice(0, match.index))) {
        update.epoch = Number(match.groups.epoch);
        setStep(update, Number(match.groups.step), 2, totalOf(match.groups.total));
      }
    }
    const units = slash ? COUNT_OF_UNITS.exec(line) : null;
    if (units?.groups && !EVAL_WORDS.test(line.slice(0, units.index)))
      setStep(update, Number(units.groups.step), 2, Number(units.groups.total));
    const keras = slash ? KERAS.exec(line) : null;
    // Keras's fit and evaluate bars show their metrics; a bar with none is model.predict's.
    if (keras?.groups && KERAS_METRIC.test(line.slice(keras.index + keras[0].length))) {
      setStep(update, Number(keras.groups.step), 2, totalOf(keras.groups.total));
      update.bar = true;
    }
    const darknet = DARKNET.exec(line);
    if (darknet?.groups) {
      setStep(update, Number(darknet.groups.step), 2);
      const loss = toValue(darknet.groups.loss as string);
      if (loss !== null) update.loss = loss;
    }
    const pair = bracket ? EPOCH_BATCH_PAIR.exec(line) : null;
    if (pair?.groups) {
      update.epoch = Number(pair.groups.epoch);
      setStep(update, Number(pair.groups.step), 2);
    }
    const trailing = update.step === undefined && bracket && slash ? TRAILING_COUNT.exec(line) : null;
    if (trailing?.groups && !EVAL_WORDS.test(line)) setStep(update, Number(trailing.groups.step), 2, Number(trailing.groups.total));
    // A report over a range of batches (MXNet's Speedometer `Batch [380-400]`, CNTK's `Minibatch[ 1- 500, 64%]`): its end is the step.
    const range = update.step === undefined && bracket ? COUNT_RANGE.exec(line) : null;
    if (range?.groups) setStep(update, Number(range.groups.step), 2);
    if (update.step === undefined && !EVALUATION_MENTIONED.test(line)) {
      const word = stepWordOf(line);
      // `Best model found at step 1200`: the step of the best so far is the past, not progress, as is where early stopping
      // was triggered (`Early stopping is trigger at step: 10`); `Iteration (val) 3/21` is evaluation's.
      if (word?.groups && !PAST_REPORTED.test(line.slice(0, word.index)) && isTraining(word.groups.mode)) {
        setStep(update, Number(word.groups.step), 2, totalOf(word.groups.total));
        // `batch = 405` names a size as often as a count; so does a plural (`Steps: 64`, the steps an epoch has).
        if (/^batch/i.test(word.groups.word ?? '') || /^(?:(?:time)?step|iter(?:ation)?)s\b/i.test(word[0])) update.sizeLike = true;
      }
    }
    if (update.step === undefined && !/valid on|\bvalid_|\beval_/i.test(line)) {
      const updates = UPDATE_COUNT.exec(line);
      if (updates?.groups) setStep(update, Number(updates.groups.step), 1);
    }
    if (update.epoch === undefined) {
      const epoch = EPOCH_WORD.exec(line);
      if (epoch?.groups) {
        update.epoch = Number(epoch.groups.epoch);
        if (epoch.groups.epoch?.includes('.')) update.epochFraction = true;
        if (epoch.groups.total !== undefined) update.epochTotal = Number(epoch.groups.total);
      }
    }
  }

  /**
   * A YOLO row: values under the header's columns; only a column named `total` or `loss` is the loss. The loss's parts
   * (`box obj cls`, `box_loss cls_loss dfl_loss`: fractions, or NaN) are kept as metrics, so that a part turning NaN is
   * seen where no column sums them; whole numbers (`labels`, `img_size`) are counts and sizes.
   */
  #tableRow(description: string, update: ProgressUpdate): void {
    if (!this.#header || !LEADING_FRACTION.test(description)) return;
    const cells = description
      .trim()
      .replace(/:\s*\d*%?\s*$/, '')
      .split(/\s+/);
    this.#header.forEach((name, index) => {
      const value = cells[index] !== undefined ? toValue(cells[index] as string) : null;
      if (value === null) return;
      if (/^(?:total|loss)$/i.test(name)) update.loss = value;
      else if (typeof value === 'string' || !Number.isInteger(value)) (update.metrics ??= {})[name] = value;
    });
  }

  /** The line's `key: value` metrics (see addValues). */
  #values(text: string, update: ProgressUpdate): void {
    const named = LEADING_DIGIT.test(text) ? valuesBeforeNames(text) : null;
    if (named) return addValues(update, named);
    const pairs: [string, string][] = [];
    const line = text.includes('/') && SLASHED_PAIRS_HINT.test(text) ? unpackSlashedPairs(text, pairs) : text;
    const lossGroupAt = LOSS_GROUP.exec(line)?.index ?? -1;
    KEY_VALUE.lastIndex = 0;
    let previousEnd = 0;
    for (let match = KEY_VALUE.exec(line); match !== null; previousEnd = KEY_VALUE.lastIndex, match = KEY_VALUE.exec(line)) {
      // `Test set: Average loss: 0.047, …`: what an evaluation line reports is not training.
      if (pairs.length === 0 && EVAL_WORDS.test(line.slice(0, match.index))) return;
      // `Train: loss=1.1 acc=0.3 | Valid: loss=1.4 …`: what follows the evaluation's heading is the evaluation's.
      // With no loss before it, the line gives training none: no other reading may take the evaluation's for it.
      if (pairs.length > 0 && underEvaluationHeading(line.slice(previousEnd, match.index))) {
        if (!pairs.some(([key]) => kindOf(key).lossRank !== null)) update.notTheLoss = true;
        break;
      }
      // `loss: total: nan, xy: 3.49`: the parts of a loss listed under it; its `total` is the loss.
      const key = /^total$/i.test(match[1] as string) && isTotalLoss(line, match, lossGroupAt) ? 'total_loss' : qualified(line, match);
      // `Cost=227 sec`: a loss word whose value is a duration is a time, no loss.
      if (kindOf(key).lossRank !== null && timeUnitAt(line, match.index + match[0].length)) continue;
      const counted = valueAfterCount(line, match);
      if (counted) {
        setStep(update, counted.count, 2);
        KEY_VALUE.lastIndex = counted.end;
      }
      pairs.push([key as string, counted?.value ?? (match[2] as string)]);
    }
    const component = onlyComponentLoss(line);
    if (component !== null) pairs.push(['loss', component]);
    // `Loss in epoch 3 = 0.66`, `The training loss for Epoch 2 is 4.85`: a loss named with what it was measured over (LOSS_PHRASE).
    const phrase = pairs.length === 0 || !pairs.some(([key]) => kindOf(key).lossRank !== null) ? LOSS_PHRASE.exec(line) : null;
    if (phrase?.groups) {
      pairs.push(['loss', phrase.groups.value as string]);
      if (phrase.groups.over !== undefined) countsMeasuredOver(phrase.groups.over, update);
      else if (phrase.groups.count !== undefined) setStep(update, Number(phrase.groups.count), 2);
    }
    // Caffe's `Train net output #3: loss = 1.07 (* 1 = 1.07 loss)`: one output of the net, the solver's `loss = …` line is the loss.
    if (LAYER_OUTPUT.test(line)) update.notTheLoss = true;
    if (pairs.length > 0) addValues(update, pairs);
    if (pairs.some(([key]) => TRAINING_SUMMARY_KEY.test(key))) update.trainingEnded = true;
  }
}

/** A heading's word that names an evaluation (`Valid`, `Test`, `eval`), and the word before a colon, and a value after one. */
const EVALUATION_HEADING = new RegExp(String.raw`^(?:${EVALUATION_TERMS})$`, 'i');
const WORD_BEFORE = /([A-Za-z]+)\s*$/;
const VALUE_AFTER = /^\s*[-+.\d]/;

/**
 * The last heading between two pairs (a word and a colon with no value after it: `Train:`, `Valid:`) is an evaluation's
 * (`| Train: skip eval | Valid: time= 1.7s loss=1.39`): what follows is its. Colons are looked at from the last one back;
 * a clock's or a value's (`01:40`, `loss: 0.3`) is passed over.
 */
function underEvaluationHeading(between: string): boolean {
  for (let colon = between.lastIndexOf(':'); colon >= 0; colon = colon > 0 ? between.lastIndexOf(':', colon - 1) : -1) {
    if (VALUE_AFTER.test(between.slice(colon + 1, colon + 8))) continue;
    const word = WORD_BEFORE.exec(between.slice(Math.max(0, colon - 40), colon))?.[1];
    if (word !== undefined) return EVALUATION_HEADING.test(word);
  }
  return false;
}

const LEADING_DIGIT = /^\s*[-+]?\.?\d/;
/** tinygrad's `10.5008 loss, 0.000016 LR, 8.83 GB used, 18.70 s`: a whole line of values each followed by its name. */
const VALUE_THEN_NAME = new RegExp(String.raw`^(${NUMBER})\s+([A-Za-z][\w ]*?)$`);

/** The line's pairs when it is only `value name` items between commas (at least two), else null. */
function valuesBeforeNames(line: string): [string, string][] | null {
  const items = line.trim().split(/\s*,\s*/);
  if (items.length < 2) return null;
  const pairs: [string, string][] = [];
  for (const item of items) {
    const match = VALUE_THEN_NAME.exec(item);
    if (!match) return null;
    pairs.push([match[2] as string, match[1] as string]);
  }
  return pairs;
}

/** A match's key with the word before a parenthesised note in front of it (`discr (scale 1) loss:` is `discr loss`). */
function qualified(line: string, match: RegExpExecArray): string {
  const key = match[1] as string;
  const qualifier = line.charCodeAt(match.index - 1) === 0x20 ? qualifierBeforeNote(line, match.index) : null;
  return qualifier === null ? key : `${qualifier} ${key}`;
}

/**
 * A `total` that is the loss: listed under a loss label (`loss: total: nan, xy: 3.49`), or a fraction on a line that names
 * no time (`[epoch: 3/200, iter: 50/489] total: 1.611`, `total=2.147 det=1.912 kd=0.469`), where a count's total is whole.
 */
function isTotalLoss(line: string, match: RegExpExecArray, lossGroupAt: number): boolean {
  if (lossGroupAt >= 0 && lossGroupAt < match.index) return true;
  // Own-key `Total` capitalised is a count as often as a loss (`Total: 1.2k images`): only under a loss label.
  if (match[1] !== 'total') return false;
  // Its own key, not the last word of one (`fps total: 209712.3`), given with a colon or `=`: a row's label before a
  // blank (sklearn's `avg / total       0.96      0.96      0.96   2565600`) is a table's.
  const ownKey = !/[A-Za-z]\s*$/.test(line.slice(Math.max(0, match.index - 2), match.index)) && /^total\s*[:=]/.test(match[0]);
  return ownKey && (match[2] as string).includes('.') && !/\btime\b/i.test(line);
}

/**
 * tacotron2's `Train loss 64999 0.314525`: a loss word, then the iteration it was measured at (a whole number, given
 * without a colon or `=`), then the value. Returns both and where the value ends, or null when the match is none such.
 */
function valueAfterCount(line: string, match: RegExpExecArray): { count: number; value: string; end: number } | null {
  const [whole, key, value] = match as unknown as [string, string, string];
  if (kindOf(key).lossRank === null || !/^\d+$/.test(value)) return null;
  if (!/^\s+$/.test(whole.slice(key.length, whole.length - value.length))) return null;
  VALUE_AFTER_COUNT.lastIndex = match.index + whole.length;
  const after = VALUE_AFTER_COUNT.exec(line);
  if (!after) return null;
  return { count: Number(value), value: after[1] as string, end: VALUE_AFTER_COUNT.lastIndex };
}

/** A fractional number right after a count (`64999 0.314525`). */
const VALUE_AFTER_COUNT = new RegExp(String.raw`\s+([-+]?\d*\.\d+(?:[eE][-+]?\d+)?)(?![\w.])`, 'y');

/** The loss of the one component a losses-by-component dict holds (a pipeline that trains one component); null for none or several. */
function onlyComponentLoss(line: string): string | null {
  const components = line.includes('{') ? LOSSES_BY_COMPONENT.exec(line)?.groups?.components : undefined;
  if (components === undefined) return null;
  const values = [...components.matchAll(KEY_VALUE)].map((match) => match[2] as string);
  return values.length === 1 ? (values[0] as string) : null;
}

/** GluonNLP's `Loss span/answer/total=0.71/0.17/0.88`: several names and as many values, each slash-separated. */
const SLASHED_PAIRS = new RegExp(
  String.raw`(?:(?<prefix>[A-Za-z]\w*)\s+)?(?<names>[A-Za-z]\w*(?:\/[A-Za-z]\w*)+)\s*[:=]\s*(?<values>(?:${NUMBER})(?:\/(?:${NUMBER}))+)(?![\w./])`,
  'g',
);

/** What a line must hold for SLASHED_PAIRS to be worth running: `name/name=value/`. */
const SLASHED_PAIRS_HINT = /[A-Za-z]\/[A-Za-z]\w*\s*[:=]\s*[^\s/]+\//;

function timeUnitAt(line: string, at: number): boolean {
  TIME_UNIT_AFTER.lastIndex = at;
  return TIME_UNIT_AFTER.test(line);
}

/** Adds the pairs of each slash-packed field to `pairs` (`loss_span`, `loss_answer`, `loss_total`); returns the line with those fields blanked. */
function unpackSlashedPairs(line: string, pairs: [string, string][]): string {
  return line.replace(SLASHED_PAIRS, (whole, ...args) => {
    const { prefix, names, values } = args.at(-1) as { prefix?: string; names: string; values: string };
    const [nameList, valueList] = [names.split('/'), values.split('/')];
    if (nameList.length !== valueList.length) return whole;
    nameList.forEach((name, i) => pairs.push([prefix ? `${prefix}_${name}` : name, valueList[i] as string]));
    return ' '.repeat(whole.length);
  });
}

/** `epoch/iter: 53/13799` (fast-reid), `step/total_step: 50/60`: counters packed like GluonNLP's losses, each read by its name. */
function packedCounters(line: string, update: ProgressUpdate): void {
  const pairs: [string, string][] = [];
  unpackSlashedPairs(line, pairs);
  for (const [name, value] of pairs) {
    if (!/^\d+$/.test(value)) continue;
    if (PACKED_TOTAL.test(name)) {
      if (update.step !== undefined) update.total = Number(value);
    } else if (PACKED_EPOCH.test(name)) update.epoch = Number(value);
    else if (PACKED_STEP.test(name)) setStep(update, Number(value), 2);
  }
}

const PACKED_TOTAL = /^(?:\w+_)?(?:total|max|num)_?/i;
const PACKED_EPOCH = /(?:^|_)epoch$/i;
const PACKED_STEP = /(?:^|_)(?:global_?step|step|iter(?:ation)?|it|batch|update)s?$/i;

/**
 * The first `step N`-like count of a line; a count the line calls a step beats an earlier bare
 * `iter N` (micro-batches beside optimizer steps), not one that states its total (`iter 5/100`)
 * unless it states its own (`updates 995/1000 episodes, total num timesteps 298800/300000`).
 */
function stepWordOf(line: string): RegExpExecArray | null {
  STEP_WORD.lastIndex = 0;
  const first = STEP_WORD.exec(line);
  // A count the line calls global (`inner iter: 3/8 | ppo epoch: 3/4 | global iter: 15/5000`) is the run's own.
  const global = (match: RegExpExecArray) => GLOBAL_QUALIFIER.test(line.slice(Math.max(0, match.index - 8), match.index));
  if (first === null || /step/i.test(first.groups?.word ?? '') || global(first)) return first;
  const needsTotal = first.groups?.total !== undefined;
  let named: RegExpExecArray | null = null;
  for (let match = STEP_WORD.exec(line); match !== null; match = STEP_WORD.exec(line)) {
    if (global(match)) return match;
    if (named === null && /step/i.test(match.groups?.word ?? '') && (!needsTotal || match.groups?.total !== undefined)) named = match;
  }
  return named ?? first;
}
const GLOBAL_QUALIFIER = /\bglobal[ _]$/i;

/**
 * Keeps the metrics among `pairs` (key, value text); the best-ranked loss key (first of equals) is the loss, unless the
 * line's format already gave one or the line says its losses are not the loss (`notTheLoss`: then none named `loss` is kept,
 * which would stand in the loss's place).
 */
function addValues(update: ProgressUpdate, pairs: [string, string][]): void {
  const kept: [string, LossValue][] = [];
  for (const [key, text] of pairs) {
    if (!kindOf(key).kept || (update.notTheLoss && key === 'loss')) continue;
    const value = toValue(text);
    if (value === null) continue;
    (update.metrics ??= {})[key] = value;
    kept.push([key, value]);
  }
  const best = chooseLoss(kept) ?? theSumOfTheParts(pairs) ?? allPartsNonFinite(kept);
  if (best && update.loss === undefined && !update.notTheLoss) {
    update.loss = best.item;
    update.lossRank = best.rank;
  }
}

/**
 * Losses that are parts (`loss_ce`, `d_loss`) and one of them the sum of all the others (`Loss_vg: 2.04 loss_ce: 0.01
 * loss_bbox: 0.07 …`): that one is the whole, whatever its name. Each value is printed rounded, so the sum may miss by
 * half a last digit a value; two parts must count (zeros add up to anything).
 */
function theSumOfTheParts(pairs: [string, string][]): { item: LossValue; rank: number } | null {
  const losses = pairs.flatMap(([key, text]) => {
    const value = /loss/i.test(key) && !kindOf(key).evaluation ? toValue(text) : null;
    return typeof value === 'number' ? [{ value, slack: halfLastDigit(text) }] : [];
  });
  if (losses.length < 3) return null;
  const total = losses.reduce((sum, { value }) => sum + value, 0);
  const slack = losses.reduce((sum, loss) => sum + loss.slack, 0);
  const wholes = losses.filter(
    (whole) =>
      whole.value > 0 &&
      losses.filter((part) => part !== whole && part.value !== 0).length >= 2 &&
      Math.abs(2 * whole.value - total) <= slack,
  );
  return wholes.length === 1 ? { item: (wholes[0] as { value: number }).value, rank: NAMED_LOSS_RANK } : null;
}

/** Half the unit of a printed number's last digit (`2.04` → 0.005, `1.5e-3` → 0.00005). */
function halfLastDigit(text: string): number {
  const number = /^[-+]?\d*(?:\.(?<decimals>\d*))?(?:e(?<exponent>[-+]?\d+))?$/i.exec(text.trim());
  const decimals = number?.groups?.decimals?.length ?? 0;
  const exponent = Number(number?.groups?.exponent ?? 0);
  return 0.5 * 10 ** (exponent - decimals);
}

/** Several losses, each a part and none the whole, all non-finite: so is whatever sums them (a run whose every loss turned NaN). */
function allPartsNonFinite(kept: [string, LossValue][]): { item: LossValue; rank: number } | null {
  const losses = kept.filter(([key]) => kindOf(key).lossRank !== null);
  if (losses.length < 2 || !losses.every(([, value]) => isNonFinite(value))) return null;
  return { item: (losses[0] as [string, LossValue])[1], rank: NAMED_LOSS_RANK };
}

function pipeCell(line: string): ProgressUpdate | null {
  const cell = PIPE_CELL.exec(line);
  if (!cell?.groups) return null;
  const key = cell.groups.key as string;
  const value = toValue(cell.groups.value as string);
  const name = key.slice(key.lastIndexOf('/') + 1);
  if (value === null) return null;
  // stable-baselines3's `total_timesteps`; OpenAI's logger (baselines, improved-diffusion) writes `| step | 1.11e+04 |`.
  // Older releases spell it with a blank (`| total timesteps | 10064 |`).
  if ((/^total[_ ]timesteps$/.test(name) || kindOf(name).namedStep) && typeof value === 'number' && Number.isInteger(value))
    return { step: value, stepRank: 2 };
  if (kindOf(key).evaluation) return null;
  // One cell a line: only `loss` itself is the loss (value_loss, entropy_loss… follow it).
  const kind = kindOf(name);
  if (kind.lossRank === 0) return { loss: value, metrics: { [name]: value } };
  return kind.kept ? { metrics: { [name]: value } } : null;
}

/**
 * A line that is only a scalar tensor's repr, `tensor(2.3026, device='cuda:0', grad_fn=<NllLossBackward0>)`:
 * what `print(loss)` in a hand-written loop shows. Nothing names it, so any named loss ranks above it.
 */
function printedTensor(line: string): ProgressUpdate | null {
  const printed = line.includes('tensor(') ? PRINTED_SCALAR_TENSOR.exec(line) : null;
  const value = printed?.groups ? toValue(printed.groups.value as string) : null;
  return value === null ? null : { loss: value, lossRank: UNNAMED_LOSS_RANK };
}

const PRINTED_SCALAR_TENSOR = new RegExp(
  String.raw`^\s*tensor\((?<value>${NUMBER})(?:,\s*(?:device|dtype|grad_fn|requires_grad)=[^()]*(?:\([^()]*\))?[^()]*)?\)\s*$`,
);
/** Below every named loss (lossRank's 0–3, a train/eval pair's 4). */
const UNNAMED_LOSS_RANK = 5;

/** A counter's total: absent, unknown (`?`, Keras' `Unknown`) or a number. */
function totalOf(text: string | undefined): number | null | undefined {
  if (text === undefined) return undefined;
  return /^\d+$/.test(text) ? Number(text) : null;
}

/** mmcv/mmengine tag lines with a mode: `Epoch(val)` and `Iter(test)` are not training. */
function isTraining(mode: string | undefined): boolean {
  return mode === undefined || /^train/i.test(mode);
}

export function isNonFinite(value: unknown): boolean {
  return value === 'NaN' || value === 'Infinity' || value === '-Infinity' || (typeof value === 'number' && !Number.isFinite(value));
}

/** A step counter's `key=value` in a bar's postfix, when it counts further than the bar (a global count beside the epoch's). */
function globalStepAfter(line: string, from: number, barCount: number): number | null {
  POSTFIX_COUNTER.lastIndex = from;
  for (const match of line.matchAll(POSTFIX_COUNTER)) {
    if (!kindOf(match[1] as string).step) continue;
    const value = Number(match[2]);
    return value >= barCount ? value : null;
  }
  return null;
}

const POSTFIX_COUNTER = /[,\s]([A-Za-z_][\w/]*)=(\d+)(?=[,\]\s]|$)/g;

/** What a loss phrase says it was measured over (`epoch 3`, `step 100`, Deeplab-v3plus's `epoch3-batch-350`): the epoch, the step. */
function countsMeasuredOver(over: string, update: ProgressUpdate): void {
  const epoch = /epoch[-_\s]?(\d+)/i.exec(over);
  if (epoch && update.epoch === undefined) update.epoch = Number(epoch[1]);
  const step = /(?:step|iter(?:ation)?|batch)[-_\s]?(\d+)/i.exec(over);
  if (step) setStep(update, Number(step[1]), 2);
}

function setStep(update: ProgressUpdate, step: number, rank: number, total?: number | null): void {
  if (update.stepRank !== undefined && update.stepRank > rank) return;
  update.step = step;
  update.stepRank = rank;
  if (total !== undefined) update.total = total;
}
