/**
 * What a metric key names, decided once per distinct key: a job prints the same few keys on
 * every line, so the answers are remembered (a bounded table, emptied when full) rather than
 * worked out again by lower-casing, splitting and regex tests line after line.
 */

/** `val_loss`, `va_loss`, `eval/acc`, `test loss`, `heldout_loss`, camelCase `valLoss`, with a qualifier before (`best_val_loss`, `Best val_logloss`); not `value_loss` or `device`. */
export const EVAL_KEY =
  /^(?:(?:[Bb]est|[Mm]in|[Mm]ax|[Mm]ean|[Aa]vg|[Ff]inal)[_ ])?(?:[Vv]al?(?:id(?:ation)?)?|[Ee]val|[Tt]est|[Dd]ev|[Hh]eld-?out|[Hh]old-?out)(?:[_\-/. ]|(?=[A-Z]))|^(?:VA|VAL|EVAL|TEST|DEV)[_\-/. ]/;
/** Test, validation, evaluation written in Chinese or Japanese (`整体测试集上的Loss`, `验证集`): no word boundaries there. */
export const CJK_EVALUATION_WORDS = '测试|測試|验证|驗證|评估|評估|検証|評価|テスト';
/** Metrics kept besides losses. */
const METRIC_KEY = /(?:acc|accuracy|ppl|perplexity|grad_?norm|f1|bleu|reward|reward_mean)$/i;
/** The training side of a train/eval pair: `learn`, `train-rmse`, `training's l2`. */
const TRAIN_SIDE = /^(?:learn|train(?:ing)?)(?:['’]s)?(?:$|[-_ ./])/i;
/** What the training side measures when it is no loss or error (`train_reward` beside `test_reward`, `train_acc`, `train_win_rate`). */
const MEASURES_NO_LOSS =
  /[-_ ./](?:rewards?|returns?|win(?:_?rate)?|acc(?:uracy)?|auc|f1|precision|recall|m?iou|m?ap|bleu|rouge\w*|fps|time|lr|speed|samples|steps?|episodes?)$/i;
const EVAL_SIDE = /^(?:test|valid|val(?![a-z])|eval|held[-_]?out|hold[-_]?out)/i;

/** Optimizer update counts: a step when nothing else is, never over a per-epoch counter (fairseq's `num_updates`). */
const UPDATE_WORDS = new Set(['update', 'updates', 'nupdates']);
const STEP_WORDS = new Set([
  'step',
  'steps',
  'timestep',
  'timesteps',
  'iter',
  'iters',
  'iteration',
  'iterations',
  'itr',
  'it',
  'update',
  'updates',
  'nupdates',
  'batch',
  'batches',
  // Reinforcement learning's environment frames (IMPALA's `num_frames`, Sample Factory's `Total num frames`).
  'frames',
]);
/** Words dropped before a step key is judged (`timesteps_total`, `num_steps_sampled`, `global_step`, RL's `env_step`, `policy_step`, `acc_iter`). */
const QUALIFIERS = new Set([
  'global',
  'policy',
  'agent',
  'acc',
  'accum',
  'accumulated',
  'env',
  'environment',
  'total',
  'num',
  'n',
  'cur',
  'current',
  'train',
  'training',
  'since',
  'restore',
  'sampled',
  'trained',
  'done',
]);

/**
 * The objective named by its formula, with or without the word loss: cross-entropy, negative log-likelihood
 * (`cross-entropy-loss` beside an auxiliary `load-balance-loss`: the objective, not one part among equals).
 */
const OBJECTIVE_NAMES =
  /^(?:train(?:ing)?_)?(?:cross_?entropy|ce|nll|neg(?:ative)?_log_likelihood)(?:_loss)?$|^(?:(?:global|avg|average|mean|running|cur|current|train(?:ing)?)_)*(?:objf|objective)$/;

/** Regression errors, a training objective named by its formula. */
const REGRESSION_ERRORS = /^(?:(?:train(?:ing)?|trn)_)?(?:r?mse|mae|mean_(?:squared|absolute)_error)(?:_(?:train(?:ing)?|trn))?$/;

/** The ranks of keys that name the training loss itself (`loss` 0; `train_loss`, `total_loss` 1), not a part or a proxy of it. */
export const LOSS_ITSELF_RANK = 1;

/** A loss named by what it measures (`ce_loss`, `d_loss`, `policy_loss`): the loss when it is the only one. */
export const NAMED_LOSS_RANK = 3;

/** The training side's loss of the model it names (`train_vae_loss`): the whole beside that model's parts, unless another model's stands beside it. */
const MODEL_TRAINING_LOSS_RANK = 2.5;

/** A key in one spelling: snake_case, lower case, without what says how it was taken (per step, per unit). */
function normalisedLossKey(key: string): string {
  // Lightning logs a value per step as `name_step` (and its epoch mean as `name_epoch`): the step's is the value itself.
  return key
    .replace(/([a-z])([A-Z])/g, '$1_$2') // camelCase words: `TrainLossPerSample`
    .toLowerCase()
    .replace(/[ /.-]/g, '_')
    .replace(/(?<=loss)es$/, '') // the plural: `total_losses`
    .replace(/(?<=loss(?:_train(?:ing)?)?)_(?:last|cur(?:rent)?)_batch$/, '') // the loss over the last batch: `loss_train_last_batch`
    .replace(/(?<=loss)_step$/, '')
    .replace(/(?<=loss)_per_(?:sample|token|example|item)$/, ''); // a loss normalised per unit is the loss
}

/** The loss itself with how it was taken, before or after it (`avg_loss`, `Average Loss`, `loss_avg`, `running_loss`, `loss values`): no part of it. */
const LOSS_AS_TAKEN = /^(?:(?:avg|average|mean|running)_loss|loss_(?:values?|avg|average|mean|running))$/;

/** A loss abbreviated to `l_` before what it measures (BasicSR and the restoration models built on it: `l_pix`, `l_g_percep`). */
const LOSS_ABBREVIATED = /^l_[a-z]+(?:_[a-z]+)*$/;

/** A loss named by what it measures (`d_loss`, `policy_loss`), not the loss with a part after it (`loss_cls`). */
const namesWhatItMeasures = (k: string) => k.endsWith('loss') && !k.startsWith('loss_');

/** Ranks a key as the training loss: lower is better; null means it is not one. */
export function lossRank(key: string): number | null {
  const k = normalisedLossKey(key);
  if (EVAL_KEY.test(key)) return null;
  if (k === 'loss') return 0;
  // `train_loss`, abbreviated as its validation twin is (`trn_loss` beside `val_loss`, `tr_loss` beside `va_loss`).
  if (/^(?:train(?:ing)?|trn|tr)_loss$/.test(k)) return 1;
  // This step's own loss, named by what it was taken over (`Batch loss: 0.07`, `step_loss`, `cur_loss`): the loss itself.
  if (/^(?:batch|minibatch|step|iter|iteration|cur|current)_loss$/.test(k)) return 1;
  // The same named the other way round: TensorBoard-style `Loss/train`, `loss train`.
  if (k === 'loss_train' || k === 'loss_training') return 1;
  if (/scale|weight|_cnt$|count|num_/.test(k)) return null;
  // The whole of a loss with parts: `total_loss`, `tot_loss`, `all_loss`, `overall_loss`, `loss_total`; `total cost` too
  // (a cost with parts: a style transfer's content and style costs).
  if (/^(?:train_)?(?:total|tot|all|sum|overall|main)_(?:loss|cost)$|^loss_(?:total|all|sum|main)$/.test(k) || k === 'lm_loss') return 1;
  // Cross-entropy and `cost` (GloVe, word2vec, older TensorFlow code) name the objective without the word loss.
  if (k === 'xent' || k === 'cost' || k === 'train_cost' || OBJECTIVE_NAMES.test(k)) return 2;
  if (/^train(?:ing)?_[a-z\d]+_loss$/.test(k)) return MODEL_TRAINING_LOSS_RANK;
  if (namesWhatItMeasures(k) || LOSS_ABBREVIATED.test(k)) return NAMED_LOSS_RANK;
  // The loss with how it was taken after it (`loss_value`, `loss_avg`), not a part of it (`loss_cls`): ranked alike; before
  // it (`avg_loss`), it names what it measures as well and is ranked so above, but is no part either (kindOf's lossPart).
  if (LOSS_AS_TAKEN.test(k)) return NAMED_LOSS_RANK;
  // `cost` qualified by how it was taken, as a loss is (`AvgCost`); not a time (`batch_cost: 0.7 s`, `avg_reader_cost`).
  if (/^(?:avg|average|mean|running|cur|current)_cost$/.test(k)) return 3;
  // A regression's error is its objective when nothing is named a loss (`epoch 100, mae 0.06`).
  if (REGRESSION_ERRORS.test(k)) return 4;
  return null;
}

/**
 * The training loss among a line's named values: the best-ranked key, the first of equals. When the best are two
 * losses each named by what it measures (a GAN's `d_loss` and `g_loss`, PPO's `policy_loss` and `value_loss`) and
 * nothing names their whole, the objective has parts and none of them is the loss; so are two models' training losses
 * (`train_g_loss` and `train_d_loss`). A key of that rank that is no part (`avg_loss` beside `pos_loss`, `neg_loss`) is the whole.
 */
export function chooseLoss<T>(candidates: Iterable<readonly [key: string, item: T]>): { item: T; rank: number } | null {
  let best: { item: T; rank: number } | null = null;
  /** The parts seen at the best rank so far: two different ones there, and no whole ranks above them. */
  let firstPart: string | null = null;
  let severalParts = false;
  /** The first at the best rank that is no part (`avg_loss` beside `pos_loss` and `neg_loss`): the loss itself. */
  let whole: { item: T; rank: number } | null = null;
  for (const [key, item] of candidates) {
    const { lossRank: rank, lossPart } = kindOf(key);
    if (rank === null) continue;
    if (best === null || rank < best.rank) [best, firstPart, severalParts, whole] = [{ item, rank }, null, false, null];
    if (lossPart && rank === best.rank) {
      firstPart ??= key;
      severalParts ||= key !== firstPart;
    } else if (rank === best.rank) whole ??= { item, rank };
  }
  return severalParts ? whole : best;
}

/** A key that names the epoch (`Epoch`, `epoch_num`, `EPOCH`), after a word or two (`Starting epoch`, `cur_epoch`). */
const EPOCH_KEY = /(?:^|[\s_-])epochs?(?:[-_ ]?(?:num|no|idx|index|number))?$/i;
/**
 * A key naming one of a set of things (`Class 6:`, `Layer 3`, `GPU 1`, `rank 0`, `base model 3`, `Experiment number: 8`,
 * a search's trial, a cross-validation fold): its number counts things, never training's time.
 */
const MEMBER_OF_A_SET_KEY =
  /(?:^|[\s_-])(?:class|label|category|layer|block|stage|head|gpu|rank|worker|node|device|channel|model|experiment|trial|fold)(?:[\s_-]?(?:number|num|no|idx|index|id))?$/i;
/** A key counting the data seen (`num_input_tokens_seen`, `consumed samples`, `images`): it grows with the steps but counts no step. */
const DATA_COUNT_KEY =
  /(?:^|[\s_-])(?:tokens?|samples|examples|images|imgs|sequences|seqs|words|sentences|sents|bytes|seen|consumed)(?:[\s_-]|$)/i;

/** A step key's words once qualifiers are dropped, or null when it is none. */
function stepKeyWords(key: string): string[] | null {
  const words = key
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z]+/)
    .filter((word) => word !== '' && !QUALIFIERS.has(word));
  return words.length > 0 && words.every((word) => STEP_WORDS.has(word)) ? words : null;
}

export type KeyKind = {
  /** An evaluation metric (`val_loss`). */
  evaluation: boolean;
  /** Starts like an evaluation side of a pair (`test-rmse`, `valid_0's l2`). */
  evaluationSide: boolean;
  lossRank: number | null;
  /**
   * One part of the objective when another of its rank stands beside it and no whole ranks above them: a loss named by
   * what it measures (NAMED_LOSS_RANK, `d_loss` beside `g_loss`) or one model's training loss (`train_g_loss`).
   */
  lossPart: boolean;
  /** A training loss or metric worth keeping. */
  kept: boolean;
  /** Names a step counter (`global_step`, `iter`, `timesteps_total`). */
  step: boolean;
  /** Names its count a step (`step`, `global_step`): beside an `iter` of micro-batches, the step is the optimizer's. */
  namedStep: boolean;
  /** Names an optimizer update count (`num_updates`) or no step at all: never the global counter over a per-epoch one. */
  updateCountOrNoStep: boolean;
  /** Names its count in the plural (`Steps`, `iters`): how many there are as often as which one this is. */
  pluralStep: boolean;
  /** Names the epoch, one of a set (`Layer 3`, `rank 0`, `trial`) or a count of the data seen (`tokens_seen`): never the step. */
  countsNoStep: boolean;
  /** The training side of a train/eval pair. */
  trainSide: boolean;
};

const KINDS_KEPT = 4096;
const kinds = new Map<string, KeyKind>();

export function kindOf(key: string): KeyKind {
  let kind = kinds.get(key);
  if (kind) return kind;
  const evaluation = EVAL_KEY.test(key);
  const rank = lossRank(key);
  const words = stepKeyWords(key);
  kind = {
    evaluation,
    evaluationSide: evaluation || EVAL_SIDE.test(key),
    lossRank: rank,
    // As printed: Lightning's per-step spelling (`aeloss_step`, `discloss_step`) is not counted among the parts.
    lossPart:
      (rank === NAMED_LOSS_RANK && (/loss$/i.test(key) || LOSS_ABBREVIATED.test(key)) && !LOSS_AS_TAKEN.test(normalisedLossKey(key))) ||
      rank === MODEL_TRAINING_LOSS_RANK,
    kept: rank !== null || (!evaluation && METRIC_KEY.test(key)),
    step: words !== null,
    namedStep: (words ?? []).some((word) => word === 'step' || word === 'steps'),
    updateCountOrNoStep: (words ?? []).every((word) => UPDATE_WORDS.has(word)),
    pluralStep: words !== null && /s$/.test(words.at(-1) as string),
    countsNoStep: EPOCH_KEY.test(key) || MEMBER_OF_A_SET_KEY.test(key) || DATA_COUNT_KEY.test(key),
    trainSide: TRAIN_SIDE.test(key) && !MEASURES_NO_LOSS.test(key),
  };
  if (kinds.size >= KINDS_KEPT) kinds.clear();
  kinds.set(key, kind);
  return kind;
}
