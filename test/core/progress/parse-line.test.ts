/**
 * Progress parsing on lines built to trap a careless parser: timestamps, ETAs, learning rates,
 * rates and versions that look like counters; evaluation bars and losses; NaN.
 */

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ProgressLineParser } from '../../../src/core/progress/parse-line.ts';
import { ProgressTracker } from '../../../src/core/progress/progress-tracker.ts';
import { NonFiniteMetrics } from '../../../src/core/watchdog/non-finite.ts';

const parse = (line: string) => new ProgressLineParser().parse(line);
/** What a tracker ends with on `text`, read whole. */
const track = (text: string) => {
  const tracker = new ProgressTracker();
  tracker.pushText(text, 0);
  return tracker.snapshot();
};

test('an ETA, a timestamp, a learning rate, an it/s figure or a version is never a step', () => {
  for (const line of [
    '2024-01-24 02:46:39,123 - INFO - eta: 14:57:00 lr: 3.9620e-04',
    '[11/01 11:24:18 d2.utils.events]: eta: 8:07:40 lr: 0.007592',
    'Ultralytics YOLOv8.0.149  Python-3.11.4 torch-2.0.1+cu118',
    'throughput 45.2 it/s, 1664/2365 tok/s',
    'time (ms) | forward: 652.41 | backward: 2164.52 | step: 1172.13',
    'saving to ./ckpt/step_1000/model.pt',
    'Epoch Time(s): 7.1966',
  ]) {
    const update = parse(line);
    assert.equal(update?.step, undefined, line);
  }
});

test('each family of trainer output gives step, total, epoch and loss', () => {
  const cases: [string, Record<string, unknown>][] = [
    [' 45%|████▌     | 450/1000 [01:23<01:40,  5.42it/s, loss=0.31]', { step: 450, total: 1000, rate: 5.42, loss: 0.31 }],
    ['Epoch 3:  12%|█▏        | 60/500 [00:30<03:40,  2.00it/s, loss=1.25, v_num=2]', { step: 60, total: 500, epoch: 3, loss: 1.25 }],
    ["{'loss': 0.4123, 'learning_rate': 4.2e-05, 'epoch': 1.37}", { loss: 0.4123, epoch: 1.37 }],
    [
      'Epoch [2][150/500]\tlr: 1.000e-03, eta: 0:10:00, time: 0.5, loss_cls: 0.2, loss: 0.91',
      { step: 150, total: 500, epoch: 2, loss: 0.91 },
    ],
    ['Iter [200/80000]  lr: 9.9e-03, loss: 1.8561', { step: 200, total: 80000, loss: 1.8561 }],
    ['step 12 loss nan', { step: 12, loss: 'NaN' }],
    ['iter: 759  total_loss: 1.070  loss_cls: 0.747  time: 0.3323', { step: 759, loss: 1.07 }],
    ['100/100 [==============================] - 3s 30ms/step - loss: 0.0912 - accuracy: 0.97', { step: 100, total: 100, loss: 0.0912 }],
    ['Train Epoch: 2 [1280/60000 (2%)]\tLoss: 0.296000', { step: 1280, total: 60000, epoch: 2, loss: 0.296 }],
    [
      'Train: 0 [ 100/1251 (  8%)]  Loss: 6.912 (6.93)  Time: 0.338s, 757.98/s  LR: 1.000e-06  Data: 0.011 (0.024)',
      { step: 100, total: 1251, epoch: 0, loss: 6.912 },
    ],
    [
      'Epoch 3/9  ━━━━━━━━━━━━━━━━━━━━━━ 120/469 0:00:12 • 0:00:35 9.85it/s v_num: 0 train_loss: 0.234',
      { step: 120, total: 469, epoch: 3, rate: 9.85, loss: 0.234 },
    ],
    [
      '| epoch   3 |   200/ 2983 batches | lr 5.00 | ms/batch 11.52 | loss  5.70 | ppl   299.25',
      { step: 200, total: 2983, epoch: 3, loss: 5.7 },
    ],
    [' 200/938 ━━━━━━━━━━━━━━━━━━━━ 3s 5ms/step - accuracy: 0.8000 - loss: 0.5000', { step: 200, total: 938, loss: 0.5 }],
    // An ASCII bar with its percentage before the count (progressbar-style, a native trainer's).
    [
      'Training [======                                  ] 17.0% 10000/58874 | 4.62 it/s | ETA: 10579.5 s | loss=3.702029 | validation_loss=3.707374',
      { step: 10000, total: 58874, rate: 4.62, loss: 3.702029 },
    ],
    // A rich bar whose columns were customised (no `•`, no rate): the count right after the glyphs is the step.
    ['Epoch 2/9  ━━━━━━━━━━━━━━━━━━━━━━ 400/938 0:00:05 0:00:07 train_loss: 0.101', { step: 400, total: 938, epoch: 2, loss: 0.101 }],
    // PyTorch's tutorials: CIFAR-10, the quickstart, and the classic "Epoch [1/5], Step [100/600]".
    ['[2,  4000] loss: 1.856', { step: 4000, epoch: 2, loss: 1.856 }],
    ['loss: 2.285012  [ 6464/60000]', { step: 6464, total: 60000, loss: 2.285012 }],
    ['Epoch [1/5], Step [100/600], Loss: 0.2345', { step: 100, total: 600, epoch: 1, loss: 0.2345 }],
    // A bar whose description names the optimizer's step with its total, over a coarser count.
    [
      'Train epoch: 2/5, step 30/72 completed (loss: 0.25):  42%|████▏     | 5/12 [01:00<01:24, 12.0s/it]',
      { step: 30, total: 72, loss: 0.25 },
    ],
    // Reports over a range of batches: the range's end is the step.
    ['Epoch[2] Batch [380-400]\tSpeed: 6.25 samples/sec\tLoss=9.95', { step: 400, loss: 9.95 }],
    [' Epoch[3 of 10]-Minibatch[   1- 500, 64.02%]: SamplesSeen = 32000; TrainLossPerSample =  0.61', { step: 500, loss: 0.61 }],
    // A hand-written loop's `print(loss)`: the lowest-ranked loss there is.
    ["tensor(2.3026, device='cuda:0', grad_fn=<NllLossBackward0>)", { loss: 2.3026, lossRank: 5 }],
    ['tensor(nan)', { loss: 'NaN' }],
    // Objectives named without the word loss, a loss per sample in camelCase, a printed list of pairs, slash-packed names.
    ['Step 100: Cross entropy = 0.032792', { step: 100, loss: 0.032792 }],
    ['Minibatch[ 1- 500]: SamplesSeen = 32000; TrainLossPerSample =  0.61816498', { loss: 0.61816498 }],
    ["statistics:[('average_q', 1.5), ('average_loss', nan), ('n_updates', 0)]", { loss: 'NaN' }],
    ['Epoch: 1, Batch: 5400/8164, Loss span/answer/total=0.7096/0.1699/0.8795, LR=0.00001732', { step: 5400, loss: 0.8795 }],
  ];
  for (const [line, expected] of cases) {
    const update = parse(line);
    for (const [key, value] of Object.entries(expected)) assert.deepEqual(update?.[key as keyof typeof update], value, `${key} of ${line}`);
  }
});

test("an evaluation bar drawn over the training bar (tqdm's leave=False), then a summary: the training bar's last count still stands", () => {
  const tracker = new ProgressTracker();
  tracker.pushText(
    '  train:  99%|█████████▉| 210/211 [05:25<00:01,  1.41s/it]\r  train: 100%|██████████| 211/211 [05:25<00:00,  1.19s/it]\r' +
      '                              \r\r  eval :  33%|███▎      | 1/3 [00:01<00:02,  1.32s/it]\r  eval : 100%|██████████| 3/3 [00:02<00:00,  1.44it/s]\r' +
      '                              \r  Train  loss=0.7598  acc=0.5269\n',
    1000,
  );
  assert.deepEqual([tracker.progress.step, tracker.progress.total, tracker.progress.metrics.loss], [211, 211, 0.7598]);
});

test('evaluation bars and evaluation losses do not move training progress', () => {
  // Said to be an evaluation's bar, so that no other reading of the line counts it either.
  assert.deepEqual(parse('Validating:  40%|████      | 4/10 [00:01<00:02,  3.1it/s]'), { notTraining: 'evaluation' });
  assert.deepEqual(parse('Validation DataLoader 0 ━━━━━━━━━━━━━━━━━━━━ 10/20 0:00:01 • 0:00:01 9.85it/s'), { notTraining: 'evaluation' });
  // Test-time augmentation is inference; the best validation figure so far is evaluation's too.
  assert.deepEqual(parse('TTA:  67%|██████▋   | 2/3 [01:07<00:33, 33.25s/it]'), { notTraining: 'evaluation' });
  const best = new ProgressTracker();
  best.pushText('Epoch 15/15 | trn_loss: 0.2015 | val_loss: 0.1262\nBest val_logloss: 0.01863\n', 1000);
  assert.equal(best.progress.metrics.loss, 0.2015);
  assert.deepEqual(parse('Validation ━━━━━━━━━━━━━━━━━━━━ 10/20 0:00:01 0:00:01'), { notTraining: 'evaluation' });
  assert.equal(parse('Test set: Average loss: 0.0470, Accuracy: 9842/10000 (98%)'), null);
  assert.equal(parse('Evaluating: 20/100 batches')?.step, undefined);
  assert.deepEqual(parse("{'loss': 0.5, 'value_loss': 0.3, 'valLoss': 0.9, 'val_acc': 0.8}")?.metrics, { loss: 0.5, value_loss: 0.3 });
  const update = parse("{'eval_loss': 0.66, 'eval_runtime': 15.4, 'epoch': 50.0}");
  assert.equal(update?.loss, undefined);
  assert.equal(update?.epoch, 50);
});

test('tracker: tqdm redraws cost one parse per chunk and a repeated step is not progress', () => {
  const tracker = new ProgressTracker();
  const bar = (n: number) => `\r 10%|█         | ${n}/100 [00:01<00:09, 10.00it/s]`;
  assert.equal(tracker.pushText(bar(1) + bar(2) + bar(3), 1000), true);
  assert.equal(tracker.progress.step, 2, 'the last redraw is incomplete until the next \\r');
  assert.equal(tracker.pushText(bar(3), 2000), true);
  assert.equal(tracker.pushText(bar(3) + '\r', 3000), false, 'same step again');
  assert.equal(tracker.progress.step, 3);
  assert.equal(tracker.progress.updated_at, 2000);
  assert.equal(tracker.advances, 2);
});

test('tracker: a flood in one chunk parses its head and tail only, and still sees the first advance and the newest state', () => {
  const tracker = new ProgressTracker();
  const lines = Array.from({ length: 100_000 }, (_, i) => `step ${i + 1}/100000 loss ${(1 / (i + 1)).toFixed(6)}\n`).join('');
  assert.equal(tracker.pushText(lines, 1000), true);
  assert.equal(tracker.progress.step, 100_000);
  assert.equal(tracker.progress.metrics.loss, 0.00001);
  assert.ok(tracker.advances >= 2, 'more than one step seen: not "no progress"');
  assert.ok(tracker.skippedBytes > 1_000_000, `skipped ${tracker.skippedBytes} bytes`);
});

test('tracker: lines split anywhere across chunks (inside a UTF-8 character too) read as if whole', () => {
  const tracker = new ProgressTracker();
  const bytes = new TextEncoder().encode(
    'warmup … done\nEpoch 1: 40%|████      | 4/10 [00:01<00:01, 3.00it/s]\rEpoch 1: 50%|█████     | 5/10 [00:02<00:01, 3.00it/s]\n',
  );
  for (let i = 0; i < bytes.length; i += 3) tracker.pushBytes(bytes.subarray(i, i + 3), 1000);
  assert.equal(tracker.progress.step, 5);
  assert.equal(tracker.progress.total, 10);
  assert.equal(tracker.skippedBytes, 0);
});

test('tracker: a line far longer than the line cap keeps its newest redraw', () => {
  const tracker = new ProgressTracker();
  const redraws = Array.from({ length: 5000 }, (_, i) => `\r${i + 1}/5000 [00:01<00:00, 99.00it/s]`).join('');
  tracker.pushText(`${'x'.repeat(200_000)}${redraws}\n`, 1000);
  assert.equal(tracker.progress.step, 5000);
});

test('a fastai table: one row per epoch, read by the columns of its header', () => {
  const parser = new ProgressLineParser();
  assert.equal(parser.parse('epoch     train_loss  valid_loss  accuracy  time    '), null);
  assert.deepEqual(parser.parse('0         0.345678    0.234567    0.912345  00:12     '), {
    epoch: 0,
    loss: 0.345678,
    lossRank: 1,
    metrics: { train_loss: 0.345678, accuracy: 0.912345 },
  });
  assert.equal(parser.parse('1         0.234567    0.198765    0.932100  00:12     ')?.loss, 0.234567);
  assert.equal(parser.parse('2024-01-01 12:00:00 saved model')?.epoch, undefined, 'a line of another shape is not a row');
});

test('a stable-baselines3 table: total_timesteps is the step, `loss` the loss, not the losses after it', () => {
  const tracker = new ProgressTracker();
  const table = [
    '-----------------------------------------',
    '| time/                   |             |',
    '|    fps                  | 1234        |',
    '|    iterations           | 4           |',
    '|    total_timesteps      | 8192        |',
    '| train/                  |             |',
    '|    entropy_loss         | -1.38       |',
    '|    loss                 | 0.0457      |',
    '|    policy_gradient_loss | -0.0121     |',
    '|    value_loss           | 0.214       |',
    '-----------------------------------------',
  ];
  tracker.pushText(`${table.join('\n')}\n`, 1000);
  assert.equal(tracker.progress.step, 8192);
  assert.equal(tracker.progress.metrics.loss, 0.0457);
  assert.equal(tracker.progress.metrics.value_loss, 0.214);
});

test("OpenAI's logger table (baselines, improved-diffusion): its `step` is the step, also written in float notation; `n_updates` is not", () => {
  const table = (step: string) =>
    [
      '-------------------------',
      '| grad_norm | 0.0913   |',
      '| loss      | 0.0621   |',
      '| loss_q0   | 0.17     |',
      `| step      | ${step} |`,
      '| n_updates | 40       |',
      '-------------------------',
    ].join('\n');
  const snapshot = track(`${table('1.1e+04 ')}\n${table('1.11e+04')}\n`);
  assert.equal(snapshot.step, 11100);
  assert.equal(snapshot.metrics.loss, 0.0621);
});

test('tracker: a log that never states a step moves by its epoch (HF log dicts alone)', () => {
  const tracker = new ProgressTracker();
  const dict = (epoch: number, loss: number) => `{'loss': ${loss}, 'learning_rate': 2e-05, 'epoch': ${epoch}}\n`;
  assert.equal(tracker.pushText(dict(0.03, 1.5), 1000), true);
  assert.equal(tracker.pushText(dict(0.03, 1.5), 2000), false, 'the same epoch again');
  assert.equal(tracker.pushText(dict(0.06, 1.4), 3000), true);
  assert.equal(tracker.advances, 2);
  assert.equal(tracker.snapshot().step, null, 'a fractional epoch is not shown as a step');
  assert.equal(tracker.snapshot().epoch, 0.06);
});

test('a loss in prose (`Loss is 2.74.`) and a `cost` that is the objective, not a time (`Time cost=4.6`)', () => {
  const parser = new ProgressLineParser();
  assert.equal(
    parser.parse('[Iteration 17445] Trained 3072 records in 1.47 seconds. Loss is 2.7426317. Current momentum is 0.9.')?.loss,
    2.7426317,
  );
  assert.equal(parser.parse('iter: 015, cost: 0.065127')?.loss, 0.065127);
  assert.equal(parser.parse('INFO:root:Epoch[1] Time cost=4.611')?.loss, undefined);
});

test("a Keras bar with its epoch header glued in front and its dots spaced out by a paste is still Keras's count", () => {
  const parser = new ProgressLineParser();
  const update = parser.parse('Epoch 17/150 1568/2965 [===============> . . . . . . ] - ETA: 2:58:45 - loss: 3.8182e-04');
  assert.deepEqual([update?.step, update?.total, update?.loss], [1568, 2965, 0.00038182]);
});

test('a loss named with what it was measured over (`Loss in epoch 3 = 0.66`), a loss listed with its parts (`loss: total: nan, xy: 3.4`), a Lightning `_step` value', () => {
  const parser = new ProgressLineParser();
  assert.equal(parser.parse('Loss in epoch 3  =  0.6598308266477382')?.loss, 0.6598308266477382);
  assert.equal(parser.parse('Epoch: 6, global_step: 900 | loss: total: nan, xy: 3.49, wh: 566.76, conf: nan')?.loss, 'NaN');
  assert.equal(parser.parse('Epoch 0: 12%| 10/80 [00:10<01:10, 1.0it/s, aeloss_step=1.44e+5, v_num=1]')?.loss, 144000);
  // The parts listed after a `Losses:` label, their total among them (not right after the label).
  assert.equal(
    parser.parse('[Epoch 0/30, Batch 70/7329] [Losses: x 0.259, y 0.280, w 1.954, conf 3.184, cls 0.729, total 8.151, recall: 0.19]')?.loss,
    8.151,
  );
  // A line of values each followed by its name (tinygrad's trainers); a row of numbers stays none.
  assert.equal(parser.parse('10.5008 loss, 0.000016689301 LR, 8.83 GB used, 18.70 s')?.loss, 10.5008);
  assert.equal(parser.parse('120,3.49,1.5318,63.3900')?.loss, undefined);
  // What a loss phrase says it was measured over is the epoch and the step, glued to their words or not.
  const over = parser.parse('2018-12-12 10:40:03,204 - root - INFO - The train loss of epoch3-batch-350:0.21037077903747559');
  assert.deepEqual([over?.loss, over?.epoch, over?.step], [0.21037077903747559, 3, 350]);
  assert.deepEqual(
    [parser.parse('Training average loss at step 100: 0.05')?.step, parser.parse('Loss in epoch 3 = 0.66')?.epoch],
    [100, 3],
  );
  // A capitalised `Total` under a label of losses (a GAN's generator and discriminator losses and their sum); on its own, a count.
  assert.equal(
    parser.parse('Final batch losses (after updates) :  Generator loss 1.19e-07 Discriminator loss 1.42e-07 Total: 2.61e-07')?.loss,
    2.61e-7,
  );
  assert.equal(parser.parse('Images: 3.2k, Total: 1.5')?.loss, undefined);
  // Two counts with totals, the second named a step (on-policy RL runners): the environment's timesteps.
  const runner = parser.parse(' Scenario MEC Algo mappo Exp check updates 995/1000 episodes, total num timesteps 298800/300000, FPS 39.');
  assert.deepEqual([runner?.step, runner?.total], [298_800, 300_000]);
  // NaN and Inf as Lightning's bar prints them.
  assert.equal(parser.parse('Epoch 0:   0%|   | 2/4282 [00:00<10:13,  6.98it/s, v_num=0, train_loss=nan.0]')?.loss, 'NaN');
  assert.equal(parser.parse('Epoch 0:   0%|   | 1/4282 [00:00<10:13,  6.98it/s, v_num=0, train_loss=inf.0]')?.loss, 'Infinity');
  // Prose with a space before the colon (`the cls_loss is : tensor(…)`, the tensor unwrapped before the parser reads it).
  assert.equal(parser.parse('now it is 450 steps  and the cls_loss is : 10.8463 learning_rate:  0.0003060874')?.loss, 10.8463);
  // DCRNN's line and the traffic-forecasting code built on it: the epoch's count, then the global step in parentheses.
  const dcrnn = parser.parse(
    '2024-02-06 21:28:55,730 - INFO - Epoch [69/100] (8750) train_mae: 1.9429, val_mae: 2.9616, lr: 0.000100, 589.0s',
  );
  assert.deepEqual([dcrnn?.step, dcrnn?.epoch], [8750, 69]);
  // The training loss named with what it was taken over after it (`loss_train_last_batch`).
  assert.equal(parser.parse('Epoch    7, loss_train_last_batch = 13.0129, loss_val = 13.0494, mae_val=492.0758')?.loss, 13.0129);
  // Losses that are parts with no whole: none is the loss, unless all of them turned non-finite (so did whatever sums them).
  assert.equal(parser.parse('BATCH[0040/3150] depth_loss:nan, heading_loss:nan, size2d_loss:nan,')?.loss, 'NaN');
  assert.equal(parser.parse('BATCH[0040/3150] depth_loss:nan, heading_loss:0.42, size2d_loss:nan,')?.loss, undefined);
  // Parts beside one whose value is their sum, to the printed digits: that one is the whole, whatever it is called.
  const summed = 'Epoch: [49][840/2999]\tLoss_vg: 2.91\tloss_ce: 0.00\tloss_bbox: 0.08\tloss_giou: 1.03\tloss_depth: 1.80';
  assert.equal(parser.parse(summed)?.loss, 2.91);
  assert.equal(parser.parse(summed.replace('2.91', '2.95'))?.loss, undefined);
  assert.equal(parser.parse('step 3 | d_loss 0.60 | g_loss 0.60 | gp_loss 0.00')?.loss, undefined);
  // The loss named in the plural (`total_losses`, TensorFlow detection repositories) is the loss all the same.
  assert.equal(parser.parse('total_losses:1.588')?.loss, 1.588);
  // A cost with parts, as a style transfer prints it (`total cost`, `content cost`, `style cost`): the total is the loss.
  assert.equal(parser.parse('total cost = 2.28117e+08')?.loss, 2.28117e8);
  // scikit-learn's classification report: `avg / total` labels a row of scores, not a total loss.
  assert.equal(parser.parse('avg / total       0.96      0.96      0.96   2565600')?.loss, undefined);
  // A bar's postfix whose key was given with its own colon (`set_postfix(ordered_dict={'loss: ': …})` prints `loss: =6.78`).
  const colonKey = parser.parse('100%|██████████| 625/625 [03:20<00:00,  3.12it/s, epoch=4, loss: =6.78, LR=0.00012]');
  assert.deepEqual([colonKey?.step, colonKey?.loss], [625, 6.78]);
  // A postfix written `name - value` (segmentation_models.pytorch's training epochs).
  const dashed = parser.parse('train: 100%|██████████| 46/46 [00:12<00:00,  3.54it/s, dice_loss - 0.06552, iou_score - 0.8806]');
  assert.deepEqual([dashed?.step, dashed?.loss], [46, 0.06552]);
  // A value in parentheses after its key (`D loss: (-27.4)`): a GAN's two losses, neither the loss.
  assert.equal(parser.parse('6418 (5, 1) [D loss: (-27.4)(R -36.3, F 2.3, G 0.7)] [G loss: -2.9]')?.loss, undefined);
  // A loss stated in prose over the values it averages (`Average of the last 100 loss values: 0.039`).
  const averaged = Array.from({ length: 4 }, (_, i) => `Finished epoch ${i}. Average of the last 100 loss values: 0.0${52 - i}`);
  assert.equal(track(`${averaged.join('\n')}\n`).metrics.loss, 0.049);
  // As PaddlePaddle's training loggers pad them (`'{:x<6f}'`: a fill of `x` to six characters).
  assert.equal(
    parser.parse('[2024/01/01 10:00:00] ppocr INFO: epoch: [2/50], global_step: 900, lr: 0.001000, loss: nanxxx, avg_reader_cost: 0.01 s')
      ?.loss,
    'NaN',
  );
  // TensorFlow's Estimator at the end of training; the whole of a loss with parts named `all_loss`.
  assert.equal(parser.parse('INFO:tensorflow:Loss for final step: 0.0025181356.')?.loss, 0.0025181356);
  assert.equal(parser.parse('Epoch: 20, Step: 800, det loss: 0.0239, bbox loss: 0.0071, all_loss: 0.0263, lr:0.01')?.loss, 0.0263);
  // `cost` with a qualifier of how it was taken, as `loss` has (not a time: `batch_cost: 0.7 s`).
  assert.equal(
    parser.parse('Pass=49 Batch=1472 samples=188399 AvgCost=9.22209 Eval: classification_error_evaluator=0.0799')?.loss,
    9.22209,
  );
  assert.equal(parser.parse('epoch: 3, iter: 40, lr: 0.001, batch_cost: 0.70862 s, reader_cost: 0.00113 s')?.loss, undefined);
});

test("a regression's error stands for the loss only when nothing is named a loss", () => {
  const alone = new ProgressTracker();
  alone.pushText('epoch 10, rmse 0.91\nepoch 20, rmse 0.54\n', 1000);
  assert.equal(alone.progress.metrics.loss, 0.54);
  const beside = new ProgressTracker();
  beside.pushText('step 10 loss 1.25 mae 0.8\nstep 20 loss 1.125 mae 0.7\n', 1000);
  assert.equal(beside.progress.metrics.loss, 1.125);
  assert.equal(new ProgressLineParser().parse('epoch 3 val_mse 0.3')?.loss, undefined, 'an evaluation error is no training loss');
});

test('a loss named in prose with what it was measured over (`The training loss for Epoch 2 is 4.85`), and a value in angle brackets (`Loss: <0.18>`)', () => {
  const prose = new ProgressTracker();
  prose.pushText('The training loss for Epoch 2 is 4.8495\nThe valid loss is 5.0167\n', 1000);
  assert.equal(prose.progress.metrics.loss, 4.8495);
  const bracketed = new ProgressTracker();
  bracketed.pushText(
    'INFO:  Iteration: 29, Loss: <0.163695>\nCONTEXT:  PL/Python function\nINFO:  Iteration: 30, Loss: <0.165187>\n',
    1000,
  );
  assert.equal(bracketed.progress.step, 30);
  assert.equal(bracketed.progress.metrics.loss, 0.165187);
});

test('a month/day before a clock time is a date, not a count; names packed with a slash and their values (`epoch/iter: 53/13799`) are each counter', () => {
  const tracker = new ProgressTracker();
  tracker.pushText(
    '[04/14 11:48:20 trainer.events]:  eta: 0:10:21  epoch/iter: 52/13673  total_loss: 7.286  loss_cls: 0.7251  lr: 4.56e-05\n' +
      '[04/14 11:49:04 trainer.events]:  eta: 0:09:38  epoch/iter: 53/13799  total_loss: 7.206  loss_cls: 0.712  lr: 3.41e-05\n',
    1000,
  );
  assert.deepEqual([tracker.progress.step, tracker.progress.total, tracker.progress.epoch], [13799, null, 53]);
  assert.deepEqual(
    [new ProgressLineParser().parse('Epoch 12, step/total_step: 50/60 83.33% Loss:0.8615')].map((u) => [u?.step, u?.total, u?.epoch]),
    [[50, 60, 12]],
  );
  const dated = new ProgressTracker();
  dated.pushText('[04/14 11:48:20 x]: loss 0.5\n[04/14 11:49:04 x]: loss 0.4\n[04/15 11:50:04 x]: loss 0.3\n', 1000);
  assert.equal(dated.progress.step, null, 'a date is no step');
  // A day, month and two-digit year before a clock time, quoted in a reply (`> [13/12/22 11:13:56][…][INFO] - Epoch 57: …`).
  const european = new ProgressTracker();
  european.pushText(
    [57, 58, 59]
      .map((epoch) => `> [13/12/22 11:${epoch - 44}:56][teach.callback.progress][INFO] -   Epoch ${epoch}: Train_rf 4.856e-01`)
      .join('\n') + '\n',
    1000,
  );
  assert.deepEqual([european.progress.step, european.progress.epoch], [null, 59], 'a date is no step');
});

test("evaluation never sets the step: a solver's `Testing` banner, a Keras bar with no metric (model.predict after fit)", () => {
  const solver = new ProgressTracker();
  solver.pushText(
    'I1128 09:00:26.621100 14972 solver.cpp:218] Iteration 1560 (6.24695 iter/s, 62.4305s/390 iters), loss = 87.3363\n' +
      'I1128 09:01:13.576076 14972 solver.cpp:330] Iteration 1950, Testing net (#0)\n',
    1000,
  );
  assert.equal(solver.progress.step, 1560);
  const keras = new ProgressTracker();
  keras.pushText(
    'Epoch 2/2\n24/24 [==============================] - 3s 134ms/step - loss: 0.1732 - acc: 0.9646\npredict test data\n30/30 [==============================] - 3s 97ms/step\n',
    1000,
  );
  assert.deepEqual([keras.progress.step, keras.progress.total, keras.progress.metrics.loss], [24, 24, 0.1732]);
  // model.evaluate after fit: the last epoch's bar reached its end, so a bar to another total is no training, nor its loss.
  const evaluated = new ProgressTracker();
  evaluated.pushText(
    'Epoch 2/2\n1875/1875 [==============================] - 4s 2ms/step - loss: 0.0789 - accuracy: 0.9762\n' +
      '313/313 [==============================] - 1s 2ms/step - loss: 0.0812 - accuracy: 0.9750\n',
    1000,
  );
  assert.deepEqual([evaluated.progress.step, evaluated.progress.total, evaluated.progress.metrics.loss], [1875, 1875, 0.0789]);
  // A second fit (its own epochs, its own bar): training again.
  evaluated.pushText('Epoch 1/3\n 20/100 [====>.........................] - ETA: 3s - loss: 0.5120\n', 2000);
  assert.deepEqual([evaluated.progress.step, evaluated.progress.total, evaluated.progress.metrics.loss], [20, 100, 0.512]);
  // Keras's callbacks report on an epoch in their own format (`Epoch 00005: early stopping`, 0-based in Keras 1-2): no progress.
  const callbacks = new ProgressTracker();
  callbacks.pushText(
    'Epoch 5/10\n3105s - loss: 0.0146 - acc: 0.9959 - val_loss: 0.0737\nEpoch 6/10\nEpoch 00005: early stopping\n3122s - loss: 0.0134 - acc: 0.9962 - val_loss: 0.0740\n',
    1000,
  );
  assert.deepEqual([callbacks.snapshot().step, callbacks.snapshot().epoch, callbacks.snapshot().metrics.loss], [6, 6, 0.0134]);
  // Lightning's ModelCheckpoint and EarlyStopping lines come after the epoch's bar ended: its last count stands.
  const lightning = new ProgressTracker();
  lightning.pushText(
    "Epoch 3: 100%|██████████| 120/120 [00:09<00:00, 12.50it/s, v_num=1, train_loss=0.812]\nEpoch 2, global step 360: 'val_acc' reached 0.71000 (best 0.71000), saving model to '/ckpt/epoch=2.ckpt' as top 1\nEpoch 3, global step 480: 'val_acc' was not in top 1\n",
    1000,
  );
  assert.deepEqual([lightning.snapshot().step, lightning.snapshot().total, lightning.snapshot().epoch], [120, 120, 3]);
  // Its ETA while it runs is no metric either.
  const evaluate = new ProgressTracker();
  evaluate.pushText(
    '24/24 [==============================] - 3s 134ms/step - loss: 0.1732 - acc: 0.9646\n 32/837 [>.............................] - ETA: 0s\n768/837 [==========================>...] - ETA: 0s\n',
    1000,
  );
  assert.deepEqual([evaluate.progress.step, evaluate.progress.total], [24, 24]);
});

test('full-width punctuation is punctuation (`Loss：1.98`), and a test-set loss named in Chinese or Japanese is evaluation', () => {
  const tracker = new ProgressTracker();
  tracker.pushText(
    '训练次数：600, Loss：2.4969\n训练次数：700, Loss：1.6171\n整体测试集上的Loss: 262.62\n训练次数：800, Loss：1.2562\n训练次数：900, Loss：1.1422\n验证集 Loss: 3.5\n',
    1000,
  );
  assert.deepEqual([tracker.progress.step, tracker.progress.metrics.loss], [900, 1.1422]);
});

test("the objective named with its qualifier and what it was measured over (`Training average loss at step N: X`, a logger's `- Score at iteration N is X`), not its parts", () => {
  const averaged = new ProgressTracker();
  averaged.pushText(
    [99900, 100000]
      .flatMap((step, i) => [
        `Training average positive_sample_loss at step ${step}: 0.05${i}`,
        `Training average negative_sample_loss at step ${step}: 0.04${i}`,
        `Training average loss at step ${step}: 0.049${i}`,
      ])
      .join('\n') + '\n',
    1000,
  );
  assert.deepEqual([averaged.progress.step, averaged.progress.metrics.loss], [100000, 0.0491]);
  const listener = new ProgressTracker();
  listener.pushText(
    '[main] INFO org.example.optimize.listeners.ScoreIterationListener - Score at iteration 193 is 0.0746\n' +
      '[main] INFO org.example.optimize.listeners.ScoreIterationListener - Score at iteration 194 is 0.1824\n',
    1000,
  );
  assert.deepEqual([listener.progress.step, listener.progress.metrics.loss], [194, 0.1824]);
  assert.equal(new ProgressLineParser().parse('epoch 3 F1 score at epoch 3: 0.8')?.loss, undefined, 'a score with a name is a metric');
  // A running mean said in prose after the line's other facts (`…, avg loss so far is X`).
  const prose = new ProgressTracker();
  prose.pushText(
    'Epoch 148, Step 100, total used time 6086.16 (s), avg loss so far is 0.021583\n' +
      'Epoch 148, Step 125, total used time 6093.44 (s), avg loss so far is 0.021572\n' +
      'Epoch 148, val loss is 0.029711, val mse is 0.011264.\n',
    1000,
  );
  assert.deepEqual([prose.progress.step, prose.progress.metrics.loss], [125, 0.021572]);
});

test('a stable-baselines table pasted indented (a notebook exported to Markdown) is still read by its cells', () => {
  const tracker = new ProgressTracker();
  const table = (updates: number, steps: number) =>
    [
      '    ----------------------------------------',
      `    | n_updates          | ${updates}             |`,
      `    | total_timesteps    | ${steps}           |`,
      '    | value_loss         | 401.4166        |',
    ].join('\n');
  tracker.pushText(`${table(450, 57600)}\n    0\n${table(451, 57728)}\n`, 1000);
  assert.equal(tracker.progress.step, 57728);
});

test('colour codes around a count (Keras 3 in a terminal: `\\x1b[1m4421/4421\\x1b[0m`) are no part of it', () => {
  const tracker = new ProgressTracker();
  const bar = (epoch: number, loss: string) =>
    `Epoch ${epoch}/10\n\x1b[1m4421/4421\x1b[0m \x1b[32m━━━━━━━━━━━━━━━━━━━━\x1b[0m\x1b[37m\x1b[0m \x1b[1m3s\x1b[0m 665us/step - accuracy: 0.5186 - loss: ${loss} - val_loss: 0.6910\n`;
  tracker.pushText(bar(7, '0.6850') + bar(8, '0.6839'), 1000);
  assert.deepEqual(
    [tracker.progress.step, tracker.progress.total, tracker.progress.epoch, tracker.progress.metrics.loss],
    [4421, 4421, 8, 0.6839],
  );
});

test('an epoch followed by its time (`# Epoch  54 Time    358.2 lr = 0.0002 avg loss = 0.0032`) is the epoch; a log of epochs alone counts them', () => {
  const tracker = new ProgressTracker();
  tracker.pushText(
    '# Epoch  53 Time    358.9 lr = 0.000405 avg loss = 0.003200 accuracy = 72.42\n# Epoch  54 Time    358.2 lr = 0.000200 avg loss = 0.003197 accuracy = 72.36\n',
    1000,
  );
  assert.deepEqual([tracker.snapshot().step, tracker.snapshot().epoch, tracker.snapshot().metrics.loss], [54, 54, 0.003197]);
  assert.equal(new ProgressLineParser().parse('Epoch Time(s): 7.1966')?.epoch, undefined, 'a time of the epoch names none');
});

test('a count with an ordinal suffix (`current step: 58036th step`); an evaluation line after a bare clock time (`02:13:50.569 [main] … Starting evaluation nr. 4`) sets no step', () => {
  const tracker = new ProgressTracker();
  tracker.pushText('current step: 58035th step\nbatch loss:0.0046837186\ncurrent step: 58036th step\n', 1000);
  assert.deepEqual([tracker.progress.step, tracker.progress.metrics.loss], [58036, 0.0046837186]);
  const listener = new ProgressTracker();
  listener.pushText(
    [78600, 78700]
      .map((n) => `01:49:2${n / 100 - 786}.507 [main] INFO org.example.ScoreIterationListener - Score at iteration ${n} is 0.98`)
      .concat(['02:13:50.569 [main] INFO org.example.EvaluativeListener - Starting evaluation nr. 4'])
      .join('\n') + '\n',
    1000,
  );
  assert.equal(listener.progress.step, 78700);
});

test('a capitalised two-word loss keeps its first word (`Reconstruction Loss=1.50, KL Loss=1584.9, Total Loss=159.99`): the total is the loss', () => {
  const update = new ProgressLineParser().parse('Epoch 1, Step 0: Reconstruction Loss=1.5015, KL Loss=1584.94, Total Loss=159.9958');
  assert.deepEqual([update?.step, update?.loss], [0, 159.9958]);
  assert.equal(new ProgressLineParser().parse('Epoch 55/400 Train Loss: 0.0669 | Val Loss: 0.0698')?.metrics?.['Val Loss'], undefined);
});

test("a summary naming the best model's step (`Best model found at step 1200`) is the past, not progress; Ultralytics' own bar (`100% ━━━━ 50/50 4.6it/s 10.8s`) counts the steps", () => {
  const tracker = new ProgressTracker();
  tracker.pushText(
    '[INFO] Step 1600/100000; acc:  98.80; ppl:  1.05; xent: 0.05; lr: 1.00000\n[INFO] Validation perplexity: 1.10037\n[INFO] Best model found at step 1200\n',
    1000,
  );
  assert.equal(tracker.progress.step, 1600);
  // So is where early stopping was triggered.
  assert.equal(parse('Early stopping is trigger at step: 10 log:0.09669731049322998')?.step, undefined);
  const yolo = new ProgressTracker();
  yolo.pushText(
    '      Epoch    GPU_mem   box_loss   seg_loss   cls_loss   dfl_loss  Instances       Size\n     35/500      2.01G      0.724      2.156      1.012      1.114         91        640: 100% ━━━━━━━━━━━━ 50/50 4.6it/s 10.8s\n',
    1000,
  );
  assert.deepEqual([yolo.progress.step, yolo.progress.total, yolo.progress.epoch], [50, 50, 35]);
});

test('an epoch header drawn with a rule of dashes (`-----Epoch 2 / 5`): the epochs count, with their total', () => {
  const tracker = new ProgressTracker();
  tracker.pushText(
    '-----Epoch 1 / 5 \n Training loss: 0.71 - accuracy 0.5\n-----Epoch 2 / 5 \n Training loss: 0.52 - accuracy 0.6\n',
    1000,
  );
  assert.deepEqual([tracker.snapshot().step, tracker.snapshot().total, tracker.snapshot().epoch], [2, 5, 2]);
  // Two dashes are a command-line flag, not a rule: `--epoch 30` in a launch line counts nothing.
  const flag = new ProgressTracker();
  flag.pushText('python train.py --epoch 30 --lr 0.1\n', 1000);
  assert.equal(flag.snapshot().epoch, null);
});

test("Keras 3's bar drawn in `=` where the console cannot show its glyph (`18/35 ========== 18s 1s/step - loss: 0.30`) counts", () => {
  const tracker = new ProgressTracker();
  tracker.pushText(
    '35/35 ==================== 54s 1s/step - accuracy: 0.92 - loss: 0.31 - val_loss: 0.17\r\nEpoch 3/15\r\n 1/35 ==================== 1:55 3s/step - accuracy: 0.90 - loss: 0.42\r\n 2/35 ==================== 1:02 2s/step - accuracy: 0.91 - loss: 0.40\r\n',
    1000,
  );
  assert.deepEqual([tracker.snapshot().step, tracker.snapshot().total, tracker.snapshot().metrics.loss], [2, 35, 0.4]);
});

test("darknet's YOLO layer reports under an iteration (`Region 94 Avg (IOU: 0.75), …, total_loss = 0.35`) are one layer's, not the loss", () => {
  const tracker = new ProgressTracker();
  tracker.pushText(
    ' 812: 1.094743, 1.184375 avg loss, 0.000100 rate, 10.06 seconds, 25984 images\nv3 (mse loss, Normalizer: (iou: 0.75, obj: 1.00, cls: 1.00) Region 82 Avg (IOU: 0.771201), count: 2, class_loss = 0.459617, iou_loss = 0.161054, total_loss = 0.620671 \nv3 (mse loss, Normalizer: (iou: 0.75, obj: 1.00, cls: 1.00) Region 94 Avg (IOU: 0.754894), count: 1, class_loss = 0.207623, iou_loss = 0.143688, total_loss = 0.351311 \n',
    1000,
  );
  assert.deepEqual([tracker.snapshot().step, tracker.snapshot().metrics.loss], [812, 1.094743]);
});

test('a feature-extraction bar between epochs (kNN monitoring) is no training bar', () => {
  const tracker = new ProgressTracker();
  tracker.pushText(
    'Train Epoch: [7/200], lr: 0.06, Loss: 4.21: 100%|██████████| 97/97 [00:20<00:00,  4.71it/s]\nFeature extracting: 100%|██████████| 98/98 [00:04<00:00, 24.38it/s]\nTest Epoch: [7/200] Acc@1:41.02%: 100%|██████████| 20/20 [00:01<00:00, 12.28it/s]\n',
    1000,
  );
  assert.deepEqual([tracker.snapshot().step, tracker.snapshot().total, tracker.snapshot().metrics.loss], [97, 97, 4.21]);
});

test('a step word with its pass in brackets (`Iteration (train) 1001/2500000`) counts for training only; a box title `Iteration 1000` does not outrank it', () => {
  const tracker = new ProgressTracker();
  tracker.pushText(
    '           ┃                 Iteration 1000                  ┃\n           ⠧ Iteration (train) 1001/2500000      0:04:09 / 111:43:06\n           ⠧ Iteration (val)   0/21              0:00:00 / -:--:--\n',
    1000,
  );
  assert.deepEqual([tracker.snapshot().step, tracker.snapshot().total], [1001, 2500000]);
});

test('a step read once and never again while the epochs go by (`batch=32` in a start-up line) is no counter: the epochs count', () => {
  const tracker = new ProgressTracker();
  tracker.pushText(
    'Starting training: window=30, horizon=1, batch=32\n' +
      [1, 2, 3, 4].map((epoch) => `INFO: Epoch ${epoch}/5 | Loss: 0.0${9 - epoch} | Time: 300.5s`).join('\n') +
      '\n',
    1000,
  );
  assert.deepEqual([tracker.snapshot().step, tracker.snapshot().epoch], [4, 4]);
  assert.ok(tracker.advances >= 3, `the epochs moving on are progress, not a stall (${tracker.advances} advances)`);
});

test('a step read once with the training loss beside it (a log that reports its step every few hundred, its epochs each time) is the count', () => {
  const tracker = new ProgressTracker();
  const epochs = [812, 813, 814, 815].map((epoch) => `2024-01-01 10:00:00,000\t32k\tINFO\t====> Epoch: ${epoch}, cost 7.12 s`);
  tracker.pushText(`2024-01-01 09:59:50,000\t32k\tINFO\tLosses: [2.1, 3.4], step: 4800, lr: 1e-4, loss: 5.5\n${epochs.join('\n')}\n`, 1000);
  assert.deepEqual([tracker.snapshot().step, tracker.snapshot().epoch], [4800, 815]);
});

test("a summary drawn over an evaluation bar's many redraws (tqdm leave=False): the step is the training bar's last count beneath them", () => {
  const bar = (what: string, n: number, total: number) =>
    `${what}: ${Math.round((100 * n) / total)}%|██        | ${n}/${total} [00:05<00:01,  1.3it/s]`;
  const validating = Array.from({ length: 12 }, (_, i) => bar('Validating', i, 12));
  const line = [
    bar('Training Epoch 30', 28, 28),
    ' '.repeat(40),
    ...validating,
    ' '.repeat(40),
    'Epoch 30/30, Train Loss: 0.0735, Val Loss: 0.0764',
  ].join('\r');
  const tracker = new ProgressTracker();
  tracker.pushText(`${line}\n`, 1000);
  const snapshot = tracker.snapshot();
  assert.deepEqual([snapshot.step, snapshot.total, snapshot.metrics.loss], [28, 28, 0.0735]);
});

test('data read or loaded (`Reading annotation for 801/4952`, `Loading checkpoint shards: 2/4`) counts no training steps; nor does the bar under a `Validate` banner, its redraws included', () => {
  assert.deepEqual(parse('Reading annotation for 801/4952'), { notTraining: 'data' });
  assert.deepEqual(parse('Loading checkpoint shards:  50%|█████     | 2/4 [00:03<00:03,  1.6s/it]'), { notTraining: 'data' });
  const tracker = new ProgressTracker();
  const training = [1900, 2000].map((n) => `Epoch:[ 19 | 19 ]    Batch:[ ${n} | 2068 ]    loss: 7.18`);
  const redraws = [0, 1, 2, 3].map((n) => `${n * 25}%|██        | ${n}/3 [00:01<00:00,  3.1it/s]`).join('\r');
  tracker.pushText(
    [...training, '********************Validate********************', `\r${redraws}`, 'Reading annotation for 1/4952', ''].join('\n'),
    1000,
  );
  assert.equal(tracker.snapshot().step, 2000);
});

test('a banner naming the epoch it evaluates (`Test on Epoch 30`) announces the bar that follows, redrawn a line at a time; training counts again after it', () => {
  const tracker = new ProgressTracker();
  const training = (epoch: number) => [16, 1616, 4816].map((n) => `Epoch ${epoch}[${n}/5011]: loss:0.0173, lr:0.00000, batch time:0.31`);
  const test = [
    'Test on Epoch 29',
    '  0%|          | 0/310 [00:00<?, ?it/s]',
    '100%|██████████| 310/310 [00:20<00:00, 15.1it/s]',
    'mAP: 0.946404',
  ];
  tracker.pushText([...training(29), ...test, ...training(30), ''].join('\n'), 1000);
  assert.deepEqual([tracker.snapshot().step, tracker.snapshot().total], [4816, 5011]);
});

test('an announced evaluation bar holds its announcement only while it goes on: a bar starting again after it counts, though its total be the same', () => {
  const tracker = new ProgressTracker();
  const bar = (what: string, n: number) => `${what}: ${n * 2}%|█         | ${n}/50 [00:01<00:09,  5.0it/s]`;
  tracker.pushText(['Validation', bar('', 10), bar('', 50), bar('Epoch 2', 3), bar('Epoch 2', 4), ''].join('\n'), 1000);
  assert.equal(tracker.snapshot().step, 4);
});

test("PyTorch's MNIST example without its percentage (`Train epoch: 17 [800/1000]`): the bracket is the step of the epoch", () => {
  const parser = new ProgressLineParser();
  const update = parser.parse('Train epoch: 17 [800/1000]\tAccuracy: 49.81%\tLoss: 0.722521');
  assert.deepEqual([update?.step, update?.total, update?.epoch, update?.loss], [800, 1000, 17, 0.722521]);
  assert.equal(parser.parse('Test epoch: 17 [100/200]\tLoss: 0.8')?.step, undefined);
});

test("darknet's NaN average, CNTK's `Epoch[ 3 of 15]`, TensorFlow 1's `loss on training batch is`", () => {
  const darknet = parse('30728: nan, nan avg loss, 0.001000 rate, 2.616369 seconds, 1966592 images');
  assert.deepEqual([darknet?.step, darknet?.loss], [30728, 'NaN']);
  const cntk = parse('Finished Epoch[ 3 of 15]: [Training] mse = 2507.21083333 * 6000; totalSamplesSeen = 18000; epochTime=21.0s');
  assert.deepEqual([cntk?.epoch, cntk?.epochTotal], [3, 15]);
  const tf1 = parse('After 29001 training step(s), loss on training batch is 0.0361443.');
  assert.equal(tf1?.loss, 0.0361443);
});

test('a count of units (`640/20000 iterations`) is not read where the unit word is the key of the next count (`Epoch 0/1  Iteration 640/20000`)', () => {
  const update = parse('2021-06-24 19:19:24,140 Epoch 0/1      Iteration 690/20000    loss: 1.0320    Time: 0.327 seconds/iteration');
  assert.equal(update?.step, 690);
  assert.equal(update?.total, 20000);
  assert.equal(update?.epoch, 0);
  assert.equal(parse('train 640/20000 iterations, loss 1.2')?.step, 640);
});

test("a plural step word that never moves while the epochs do (`Epoch: 52, Steps: 64`) is the epoch's size, not its step; a growing one counts", () => {
  const sized = [50, 51, 52].map((e) => `Epoch: ${e}, Steps: 64 | Train Loss: 0.40${e} Vali Loss: 0.2092623 Test Loss: 0.2741421`);
  assert.equal(track(sized.join('\n') + '\n').step, 52);
  const counted = [1, 2, 3].map((e) => `Epoch: ${e}, Steps: ${64 * e} | Train Loss: 0.40${e}`);
  assert.equal(track(counted.join('\n') + '\n').step, 192);
});

test('Keras bars redrawn without their carriage return, glued on one line (even to the value before): the last is the state', () => {
  const spaced =
    ' 2/10000 [..............................] - ETA: 34:21:32 - loss: nan - regre  3/10000 [..............................] - ETA: 34:20:08 - loss: nan - regression_loss: nan\n';
  assert.equal(track(spaced).step, 3);
  const glued =
    'Epoch 2146/3000\n' +
    ' 9/19 [=============>................] - ETA: 17s - loss: 1.8203 - classification_loss: 0.228910/19 [==============>...............] - ETA: 16s - loss: 1.7932 - classification_loss: 0.222111/19 [================>.............] - ETA: 14s - loss: 1.7679 - classification_loss: 0.218912/19 [=================>............] - ETA: 12s - loss: 1.7828 - classification_loss: 0.2236\n';
  const snapshot = track(glued);
  assert.equal(snapshot.step, 12);
  assert.equal(snapshot.metrics.loss, 1.7828);
  assert.equal(snapshot.epoch, 2146);
});

test("a YOLO table's loss parts are kept as metrics, so that they turning NaN is seen where no column sums them", () => {
  const header = '     Epoch   gpu_mem       box       obj       cls    labels  img_size';
  const row = (parts: string, step: number) =>
    `      3/99     6.51G ${parts}       186      1024:  81%|████████  | ${step}/3683 [1:03:00<14:31,  1.26s/it]`;
  const snapshot = track([header, row('0.086    0.1064   0.04166', 2990), row('  nan       nan       nan', 2991)].join('\n') + '\n');
  assert.equal(snapshot.step, 2991);
  assert.deepEqual(snapshot.metrics, { box: 'NaN', obj: 'NaN', cls: 'NaN' });
  // What turned NaN is what the watchdog reports.
  assert.deepEqual(
    new NonFiniteMetrics().newly(snapshot.metrics).map((turned) => turned.metric),
    ['box', 'obj', 'cls'],
  );
});

test("a sentence's end before a key (`Epoch: 4  done. Loss: 15.9`) is no part of the key: the epoch's summary gives the loss itself", () => {
  assert.deepEqual(parse('Epoch: 4  done. Loss: 15.917050718417423')?.metrics, { Loss: 15.917050718417423 });
  // A two-word loss name still is one (`gen loss`).
  assert.deepEqual(parse('iter 20 gen loss: 1.25')?.metrics, { 'gen loss': 1.25 });
  // The summary after a bar that shows a placeholder loss is the latest word on the loss.
  const bar = (n: number) =>
    `Epoch ${n} : Loss:0.0: 100%|##########| 1978/1978 [05:00<00:00,  3.67it/s]\nEpoch: ${n}  done. Loss: 15.9${n}\n`;
  assert.equal(track(bar(1) + bar(2)).metrics.loss, 15.92);
});
