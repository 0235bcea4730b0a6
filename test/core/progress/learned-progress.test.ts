/**
 * The mechanisms that learn a job's own progress format, each on synthetic output: Drain
 * templates, numeric fields, step and loss from a template, evaluation lines, pasted line
 * numbers, line normalising, and the tracker keeping its surest loss key.
 */

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LearnedProgress, isStepKey } from '../../../src/core/progress/learned-progress.ts';
import { PastedLineNumbers } from '../../../src/core/progress/line-numbers.ts';
import { normaliseLine } from '../../../src/core/progress/normalise-line.ts';
import { numericFieldsOf } from '../../../src/core/progress/numeric-fields.ts';
import { ProgressTracker } from '../../../src/core/progress/progress-tracker.ts';
import { TemplateMiner, tokensOf } from '../../../src/core/progress/templates.ts';

const track = (lines: string[]) => {
  const tracker = new ProgressTracker();
  tracker.pushText(lines.join('\n') + '\n', 0);
  return tracker.snapshot();
};

test('templates: lines differing in numbers share one; a differing word becomes a wildcard; memory is capped', () => {
  const miner = new TemplateMiner(4);
  const a = miner.add(tokensOf('widget 3 spun at speed=0.5 ok'));
  const b = miner.add(tokensOf('widget 4 spun at speed=0.25 fine'));
  assert.equal(a.id, b.id);
  assert.deepEqual(b.tokens, ['widget', '#', 'spun', 'at', 'speed=#', null]);
  for (let i = 0; i < 10; i += 1) miner.add(tokensOf(`${'x '.repeat(i + 1)}end`));
  assert.equal(miner.size, 4);
});

test('numeric fields: keys, totals, brackets, leading counters; dates and clock times are no fields', () => {
  const fields = numericFieldsOf('12/31/2030 23:59:01 [7] Round: 5/9. grad total: 0.5, tps: 1200 v2');
  assert.deepEqual(
    fields.map((f) => [f.key, f.value, f.total, f.bracketed]),
    [
      [null, 7, null, true],
      ['Round', 5, 9, false],
      ['grad total', 0.5, null, false],
      ['tps', 1200, null, false],
    ],
  );
  assert.equal(numericFieldsOf('3: widgets')[0]?.leading, true);
});

test("numeric fields: a key and its value printed with a comma between (`print(name, value, sep=', ')`) are still a key's", () => {
  const fields = numericFieldsOf('epoch 10, phase train, step 1040, loss_train, 0.171');
  assert.deepEqual(
    fields.map((f) => [f.key, f.value]),
    [
      ['epoch', 10],
      ['step', 1040],
      ['loss_train', 0.171],
    ],
  );
  // A list's next value is no key's: the comma follows a number.
  assert.equal(numericFieldsOf('loss: 0.51, 0.23').at(-1)?.key, null);
  // Nor is the value after a number's unit (Chainer's ProgressBar: `15600 iter, 19 epoch / 20 epochs`): `iter` is the 15600's.
  assert.equal(numericFieldsOf('15600 iter, 19 epoch / 20 epochs')[1]?.key, null);
  const chainer = track(
    Array.from({ length: 5 }, (_, i) => [
      `     total [####....] ${90 + i}.00%`,
      `         ${15200 + 100 * i} iter, 19 epoch / 20 epochs`,
    ]).flat(),
  );
  assert.equal(chainer.step, 15600);
  const snapshot = track(Array.from({ length: 5 }, (_, i) => `epoch 3, phase train, step ${900 + 10 * i}, loss_train, 0.1${i}`));
  assert.deepEqual([snapshot.step, snapshot.metrics.loss, snapshot.epoch], [940, 0.14, 3]);
  // An epoch printed the same way (`epoch, 0101`) is the epoch.
  assert.equal(track(['INFO:run, 2022-03-11 10:07:13,210, epoch, 0101, 0.099490, 0.019117']).epoch, 101);
});

test("numeric fields: a command line's flags (`-iter 100`, `--max_steps 3000`) are settings, no readings: the job's own counter is the step", () => {
  assert.deepEqual(
    numericFieldsOf('$ ./fm -train data.libfm -iter 100 --max_steps 3000').map((f) => f.key),
    [null, null],
  );
  const afterCommand = track([
    '$ ./fm -train data.libfm -iter 100',
    ...Array.from({ length: 7 }, (_, i) => `#Iter= ${i}\tTrain=${1200 - i}\tTest=1239`),
  ]);
  assert.equal(afterCommand.step, 6);
});

test('step keys: counter words with qualifiers, not sizes, times or per-iteration figures', () => {
  for (const key of ['step', 'global_step', 'timesteps_total', 'num_steps_sampled', 'Iteration', 'nupdates', 'trainIter'])
    assert.ok(isStepKey(key), key);
  for (const key of ['batch_size', 'time_this_iter_s', 'steps_per_second', 'timesteps_this_iter', 'epoch']) assert.ok(!isStepKey(key), key);
});

test('a counter no format names: a leading N: that advances is the step; the train side of a train/eval pair is the loss', () => {
  const snapshot = track(Array.from({ length: 6 }, (_, i) => `${i}:\tfit: ${(9 - i).toFixed(3)}\tholdout: ${(10 - i).toFixed(3)}`));
  assert.equal(snapshot.step, 5);
  const pair = track(Array.from({ length: 4 }, (_, i) => `${i}:\ttrain-mae: ${(9 - i).toFixed(2)}\tvalid-mae: ${(10 - i).toFixed(2)}`));
  assert.equal(pair.step, 3);
  assert.equal(pair.metrics.loss, 6);
});

test("a possessive train/eval pair (`learner's mse`, `holdout's mse`): the owner names the side, the train side is the loss", () => {
  assert.deepEqual(
    numericFieldsOf("[3]:  training's mse:0.25  valid's mse:0.5").map((f) => f.key),
    [null, "training's mse", "valid's mse"],
  );
  const pair = track(
    Array.from({ length: 4 }, (_, i) => `[${i + 1}]:  train's mse:${(0.9 - i / 10).toFixed(2)}  valid's mse:${(1 - i / 10).toFixed(2)}`),
  );
  assert.equal(pair.step, 4);
  assert.equal(pair.metrics.loss, 0.6);
});

test('a parenthesised note between key and colon (`cost train (running avg): 1.5`) is skipped; `Loss/train` is the training loss', () => {
  assert.deepEqual(
    numericFieldsOf('round 4 | cost train (running avg): 1.5 | wall (s): 3').map((f) => f.key),
    ['round', 'cost train', 'wall'],
  );
  const named = track(Array.from({ length: 4 }, (_, i) => `step ${i + 1}: Loss/train: ${(2 - i / 4).toFixed(2)}`));
  assert.equal(named.metrics.loss, 1.25);
});

test('a global counter beside a per-epoch one: the global one is the step', () => {
  const snapshot = track([
    'Step: 1207. Epoch: 3/10. Iteration: 7/300. loss: 0.5: 2%| | 7/300 [00:01<00:40, 7.00it/s]',
    'Step: 1208. Epoch: 3/10. Iteration: 8/300. loss: 0.4: 3%| | 8/300 [00:01<00:40, 7.00it/s]',
  ]);
  assert.equal(snapshot.step, 1208);
  assert.equal(snapshot.total, null);
});

test('counters in key: value records, one a line: the largest step counter holds the step, a smaller one does not take it back', () => {
  const block = (n: number) => [
    `global_steps_sampled: ${n * 1000}`,
    `rounds_this_call: 1000`,
    `training_iteration: ${n}`,
    `  total_loss: ${n}.5`,
    `  vf_loss: 9.5`,
  ];
  const snapshot = track([...block(1), ...block(2)]);
  assert.equal(snapshot.step, 2000);
  assert.equal(snapshot.metrics.loss, 2.5, 'total_loss, not a component printed after it');
});

test("a run's summary naming the training loss after its steps' losses is the newest loss (HF's final `train_loss`); a lesser key never replaces the loss itself", () => {
  const run = track([
    "{'loss': 0.1302, 'grad_norm': 1.2, 'learning_rate': 2e-05, 'epoch': 2.9}",
    "{'train_runtime': 311.2, 'train_samples_per_second': 3.1, 'train_steps_per_second': 0.4, 'train_loss': 0.3247, 'epoch': 3.0}",
  ]);
  assert.equal(run.metrics.loss, 0.3247);
});

test("HF Trainer's end-of-training summary: the step is where the training bar ended; a bar after it (evaluate, predict) is no training step, until training resumes", () => {
  const bar = (n: number, total = 120) => `${Math.round((n / total) * 100)}%|██████    | ${n}/${total} [00:10<00:02, 6.79it/s]`;
  const summary =
    "{'train_runtime': 332.9, 'train_samples_per_second': 54.1, 'train_steps_per_second': 6.8, 'train_loss': 0.0429, 'epoch': 3.0}";
  const trained = [bar(119), bar(120), 'Step 7: Saving final model', "{'loss': 0.01, 'learning_rate': 5e-06, 'epoch': 2.9}", summary];
  const after = track([...trained, bar(57, 57), "eval_results= {'eval_loss': 0.0319, 'epoch': 3.0}"]);
  assert.deepEqual([after.step, after.total, after.metrics.loss], [120, 120, 0.0429]);
  // A second train(): its bar counts once its training losses come.
  const again = track([...trained, bar(0, 700), "{'loss': 8.29, 'grad_norm': 2.4, 'learning_rate': 5e-05, 'epoch': 0.25}", bar(300, 700)]);
  assert.deepEqual([again.step, again.total], [300, 700]);
  // The evaluation HF runs at the end of training draws its bar last, before the summary: training's bar is still the step.
  const evaluatedLast = track([bar(119), bar(120), bar(30, 31), bar(31, 31), "{'eval_loss': 0.69, 'epoch': 5.0}", summary]);
  assert.deepEqual([evaluatedLast.step, evaluatedLast.total], [120, 120]);
});

test("Caffe's per-output lines under an iteration (`Train net output #3: loss = 1.07 (* 1 = 1.07 loss)`) are no training loss: the solver's `loss = …` is", () => {
  const iteration = (n: number, loss: string, output: string) => [
    `I0615 15:49:39.299278  1860 solver.cpp:228] Iteration ${n}, loss = ${loss}`,
    'I0615 15:49:39.299326  1860 solver.cpp:244]     Train net output #0: accuracy = 0.875',
    `I0615 15:49:39.299361  1860 solver.cpp:244]     Train net output #3: loss = ${output} (* 1 = ${output} loss)`,
  ];
  const got = track([...iteration(199000, '1.70125', '1.16335'), ...iteration(199500, '1.77334', '1.07614')]);
  assert.deepEqual([got.step, got.metrics.loss], [199_500, 1.77334]);
});

test("a batch count that never moves under each epoch's header (`batch = 405`) is a size: the epochs count", () => {
  const epoch = (n: number) => [`Epoch ${n}/69`, '----------', 'batch = 405', `train Loss: 0.09${n} Reg: 0.0000 Acc: 0.4${n}`];
  const got = track([...epoch(66), ...epoch(67), ...epoch(68), ...epoch(69)]);
  assert.deepEqual([got.step, got.epoch, got.metrics.loss], [69, 69, 0.0969]);
  // A step named so, the same at each epoch's end (MindSpore's `epoch: 300 step: 62`), stays the step.
  assert.equal(
    track(['epoch: 298 step: 62, loss is 0.86', 'epoch: 299 step: 62, loss is 1.52', 'epoch: 300 step: 62, loss is 1.34']).step,
    62,
  );
});

test('the total loss abbreviated (`Tot Loss`) beside its parts; a training loss named in Chinese or Japanese (`训练损失: 16.36`)', () => {
  const parts = (step: number, loss: string) => `Train step:${step}/617600,Loc Loss: 0.2512,Cls Loss: 0.6719,Tot Loss: ${loss}`;
  assert.equal(track([parts(600400, '0.4616'), parts(600500, '0.4552')]).metrics.loss, 0.4552);
  const chinese = track([
    '2026-05-22 03:01:38,559 - INFO - Epoch 10/100 | 课程深度: 2 | 经验池大小: 194',
    '2026-05-22 03:02:11,208 - INFO - 训练损失: 16.3615',
    '2026-05-22 03:02:11,282 - INFO - Epoch 10 完成 | 成功率: 10.0% | 累计成功: 11',
  ]);
  assert.equal(chinese.metrics.loss, 16.3615);
  assert.equal(track(['エポック 3 訓練損失: 0.52', 'エポック 4 訓練損失: 0.48', 'テスト損失: 0.61']).metrics.loss, 0.48);
});

test('evaluation lines set neither step nor loss, whatever their shape', () => {
  const learned = new LearnedProgress();
  assert.equal(learned.read('host-1 runner.py:9] eval round: 4, loss: 0.9')?.evaluation, 'said');
  const snapshot = track([
    'host-1 writer.py:3] [40] rate=1.5, train_loss=0.7',
    'host-1 runner.py:9] eval round: 4, loss: 0.9',
    'host-1 writer.py:3] [50] eval_loss=0.8, eval_acc=0.5',
  ]);
  assert.equal(snapshot.step, 40);
  assert.equal(snapshot.metrics.loss, 0.7);
});

test('pasted line numbers are stripped once they run across lines of different shapes; a counter of one shape is kept', () => {
  const numbers = new PastedLineNumbers();
  assert.deepEqual(
    ['10: starting', '11: step 5 loss 1.0', '12: step 6 loss 0.9'].map((l) => numbers.strip(l)),
    ['10: starting', 'step 5 loss 1.0', 'step 6 loss 0.9'],
  );
  const counter = new PastedLineNumbers();
  assert.equal(counter.strip('1: fit: 0.5'), '1: fit: 0.5');
  assert.equal(counter.strip('2: fit: 0.4'), '2: fit: 0.4');
});

test('normalising: a literal ^M, a quote prefix, thousands separators, a log line glued to a bar', () => {
  assert.deepEqual(normaliseLine('a 1/3 [00:01<00:02, 1.2it/s]^Mb 2/3 [00:02<00:01, 1.2it/s]'), [
    'a 1/3 [00:01<00:02, 1.2it/s]',
    'b 2/3 [00:02<00:01, 1.2it/s]',
  ]);
  assert.deepEqual(normaliseLine('> iter: 20,400 lr=[0.1,0.2] at 10:00:01,250'), ['iter: 20400 lr=[0.1,0.2] at 10:00:01,250']);
  assert.deepEqual(normaliseLine(' 9%| | 90/1000 [00:09<01:30, 10.00it/s][INFO] step=91'), [
    ' 9%| | 90/1000 [00:09<01:30, 10.00it/s]',
    '[INFO] step=91',
  ]);
  assert.equal(track(['iter: 20,400 loss: 0.5']).step, 20400);
});

test('a log line printed over a bar: the covered bar still counts', () => {
  const tracker = new ProgressTracker();
  tracker.pushText(' 5%| | 50/1000 [00:05<01:35, 10.00it/s]\r{"loss": 0.25}\n', 0);
  assert.equal(tracker.progress.step, 50);
  assert.equal(tracker.progress.metrics.loss, 0.25);
});

test('a template a known format reads surely goes quiet: its lines skip the learned reading, but still hold the step source', () => {
  const learned = new LearnedProgress();
  const readings = Array.from({ length: 40 }, (_, i) => learned.read(`widget ${i} spun, loss=0.5`, i));
  assert.notEqual(readings[3], null);
  assert.equal(readings[30], null);
  // A smaller counter from another template does not take over from the quiet one.
  assert.equal(learned.read('gadget count 7 of 9 [7]')?.step, undefined);
  // Without a sure reading the same template is read in full.
  assert.equal(learned.read('widget 41 spun, loss=0.5')?.step?.step, 41);
});

test('the tracker reads the same from sure lines whether their template is quiet or not', () => {
  const lines = Array.from({ length: 300 }, (_, i) => `epoch 1 step ${i}/1000 loss ${(1 / (i + 1)).toFixed(3)}`);
  const snapshot = track(lines);
  assert.equal(snapshot.step, 299);
  assert.equal(snapshot.total, 1000);
  assert.equal(snapshot.metrics.loss, Number((1 / 300).toFixed(3)));
});

test('a loss named the other way round in a layout no named format reads (`step N: loss train: X`) is the loss', () => {
  const tracker = new ProgressTracker();
  for (let step = 1; step <= 4; step += 1) tracker.pushLine(`step ${step}: loss train: ${(2 - step / 10).toFixed(3)}`, 0);
  assert.equal(tracker.progress.step, 4);
  assert.equal(tracker.progress.metrics.loss, 1.6);
});

test('a count within an episode (`episode steps: 232`) is no training step: the leading N/M counter is', () => {
  const tracker = new ProgressTracker();
  let done = 0;
  for (let episode = 1; episode <= 4; episode += 1) {
    done += 200 + episode;
    tracker.pushLine(` ${done}/50000: episode: ${episode}, episode steps: ${200 + episode}, steps per second: 150, loss: 0.25`, 0);
  }
  assert.equal(tracker.progress.step, done);
  assert.equal(tracker.progress.total, 50000);
});

test('a line that names training before evaluation is training (`loss train: X, val: None`); a count called step beats an iter of micro-batches', () => {
  const lines = [];
  for (let iter = 1; iter <= 12; iter += 1)
    lines.push(
      `Ep 1 | iter ${iter} | step ${Math.ceil(iter / 4)}: loss train (curr): ${(2 - iter / 100).toFixed(3)}, val (prev): None | 90 ms`,
    );
  const got = track(lines);
  assert.equal(got.step, 3);
  assert.equal(got.metrics.loss, 1.88);
  // An evaluation word first still makes an evaluation line.
  assert.equal(track([...lines, 'val (prev) | loss: 0.5 | step 9']).metrics.loss, 1.88);
});

test('an epoch written as a fraction (HF log dicts, `0.0`) is never counted as steps, even while it is whole', () => {
  const dicts = [0.2, 0.21, 0.22].map((loss) => `{'loss': ${loss}, 'learning_rate': 2.5e-08, 'epoch': 0.0}`);
  assert.equal(track(dicts).step, null);
  assert.equal(track(dicts.map((line) => line.replaceAll("'", '"'))).step, null);
  // Whole epochs written whole are the count of a log that has no other.
  assert.equal(track(['epoch 1 loss 0.5', 'epoch 2 loss 0.4']).step, 2);
});

test('epochs counting as the steps bring their stated total, and a sentence may end right after the count (`epoch 86/100.`)', () => {
  const perEpoch = (epoch: number) => `epoch ${epoch}/100. Q3_train: 68.${epoch}%, Q3_test: 67.${epoch}%`;
  const got = track([perEpoch(86), perEpoch(87)]);
  assert.deepEqual([got.step, got.total, got.epoch], [87, 100, 87]);
  const summaries = track(['Epoch 3/5 | Loss: 0.00431 | Time: 302.3s', 'Epoch 4/5 | Loss: 0.00427 | Time: 282.1s']);
  assert.deepEqual([summaries.step, summaries.total, summaries.epoch], [4, 5, 4]);
  // A decimal is no full stop: `epoch 1.5` stays a fraction.
  assert.equal(track(['epoch 1.5 loss 0.5', 'epoch 1.75 loss 0.4']).step, null);
});

test("a training bar showing only its last validation's metrics (Lightning: `val_acc=0.9`) still counts the steps; a counter beside only validation metrics does not", () => {
  const bar = (step: number) =>
    `Epoch 3: ${Math.round((step / 469) * 100)}%|██████    | ${step}/469 [00:12<00:05, 9.85it/s, v_num=0, val_acc=0.912]`;
  const got = track([bar(100), bar(120)]);
  assert.deepEqual([got.step, got.total, got.epoch], [120, 469, 3]);
  const rich = (step: number) => `Epoch 2/9  ━━━━━━━━━━━━━━━━━━━━━━ ${step}/938 0:00:05 • 0:00:07 9.85it/s val_accuracy: 0.93735`;
  assert.equal(track([rich(400), rich(401)]).step, 401);
  // `iter 70 | val_loss: 13.069` between training lines is the validation at step 70: the training lines keep the step.
  const training = (i: number) => `Epoch 0 | iter ${i} step ${i} | loss train: ${(i / 10).toFixed(3)} | iter time: 35.1 s`;
  const log = [
    training(69),
    training(70),
    'Epoch 0 | iter 70          | val_loss: 13.069 | val_time: 78.948 s',
    training(71),
    training(72),
  ];
  assert.equal(track(log).step, 72);
});

test('a step key that does not count while another counter does (a size that never moves, `… | batch 16`; an episode length that goes back as often as forward) is not the step: the counting one is', () => {
  const sources = ['VIMEO', 'X4K', 'WMS'];
  const lines = Array.from({ length: 12 }, (_, i) => {
    const step = String(40_000 + i * 500).padStart(6, '0');
    return `[${step}/50000] ${sources[i % 3]?.padEnd(6)} | loss 0.0${i + 10} | VRAM 9.8/15.9GB (62%) | 3.14 it/s | batch 16`;
  });
  const got = track(lines);
  assert.deepEqual([got.step, got.total], [45_500, 50_000]);
  // A batch counter that moves stays the step; so does one each pass ends at, under the pass count moving beneath it.
  assert.equal(track(Array.from({ length: 6 }, (_, i) => `epoch 2 | batch ${i * 10} | loss 0.5${i}`)).step, 50);
  const passes = Array.from({ length: 4 }, (_, i) => `TrainerInternal.cpp:181]  Pass=${46 + i} Batch=1472 samples=188399 AvgCost=9.2${i}`);
  assert.equal(track(passes).step, 1472);
  // A step key that goes back about as often as forward (each episode's length) beside an episode count that never does.
  const lengths = [598, 148, 900, 826, 114, 534, 299, 196, 204, 729, 325];
  const episodes = lengths.map((steps, i) => `2025-04-26 21:1${i % 10}:00 | Episode ${4990 + i}/5000 | Score: ${i} | Steps: ${steps}`);
  assert.deepEqual([track(episodes).step, track(episodes).total], [5000, 5000]);
});

test('a summary of both sides (`step 600: train loss 5.5, val loss 5.8`) is evaluation: the steady counter of the training lines stays the step', () => {
  const lines = ['590 | loss 6.15 | lr 4.9e-05 | 7949.49ms', 'step 600: train loss 5.5033, val loss 5.8008'];
  for (let step = 600; step <= 650; step += 10) lines.push(`${step} | loss ${(5 + step / 1000).toFixed(4)} | lr 4.9e-05 | 9852.73ms`);
  const got = track(lines);
  assert.equal(got.step, 650);
  assert.equal(got.metrics.loss, 5.65);
  // When it comes last (an epoch's summary after its steps), the loss it names as training's is the newest word on it.
  const epoch = ['Epoch [299/300], Step [200/390], Loss: 0.00585', 'Epoch [299/300], Step [300/390], Loss: 0.00606'];
  const summarised = track([...epoch, 'Epoch 299: train loss 0.00514, train acc 0.81938, test acc 0.76770']);
  assert.deepEqual([summarised.step, summarised.metrics.loss], [300, 0.00514]);
});

test('a number where counters stand that never moves is an id, not the step (a pid in `[42292]`)', () => {
  const lines = [1, 2, 3, 4].map((i) => `[2023-04-08 05:40:27] [42292] [INFO] - Epoch: 2/50, Iter: ${i}/4 -- train_loss: 1.${i}`);
  assert.equal(track(lines).step, 4);
});

test("a line announcing an evaluation (`testing in eval mode……`) makes the next line with numbers its result, though shaped like training's; `loss is: X` is read", () => {
  const epoch = (n: number, train: string, evaluation: string) => [
    `epoch: ${n},  loss is: ${train}, acc is: 0.94${n}`,
    'testing in eval mode……',
    `epoch: ${n},  loss is: ${evaluation}, acc is: 0.89${n}`,
    'Now continue training……',
  ];
  const got = track([...epoch(6, '0.167', '0.324'), ...epoch(7, '0.157', '0.258')]);
  assert.deepEqual([got.step, got.metrics.loss], [7, 0.157]);
});

test('`CV` lines are cross-validation: their loss is no training loss', () => {
  const lines = ['TRAIN Batch 4/100 loss 25.6 lr 0.0003 rank 0', 'CV Batch 4/0 loss 28.4 history loss 27.8 rank 0'];
  assert.equal(track(lines).metrics.loss, 25.6);
});

test('a line that always reports train and test loss side by side is the training log itself (no other template counts the steps)', () => {
  const lines = [10, 20, 30].map((step) => `step: ${step}        train loss: 2.${step}        test loss: 2.9        MFU: 71.10%`);
  const got = track(lines);
  assert.equal(got.step, 30);
  assert.equal(got.metrics.loss, 2.3);
});

test("an abbreviated epoch before its bracketed count (`[Ep]: [ 198/200]  [1251/1669]`, VAR's logger) is the epoch; the count after it the step", () => {
  const lines = [417, 834, 1251].map(
    (i) =>
      `[05-16 00:04:08] (utils/misc.py, line 314)=> [Ep]: [ 198/200]  [${i}/1669]  eta: 0:08:42  tlr: 3.2e-05  Lm: 6.041 (6.034)  time: 1.2656`,
  );
  const snapshot = track(lines);
  assert.deepEqual([snapshot.step, snapshot.total, snapshot.epoch], [1251, 1669, 198]);
});

test('`Epoch: [9]  [5/6]` (torchvision MetricLogger): the bracketed number after Epoch is the epoch, never a global counter', () => {
  const lines: string[] = [];
  for (const epoch of [7, 8, 9]) {
    for (let i = 0; i < 6; i += 1)
      lines.push(`Epoch: [${epoch}]  [${i}/6]  eta: 0:00:00  lr: 0.000005  loss: 1.4391 (1.4416)  time: 0.5654`);
    lines.push(`Epoch: [${epoch}] Total time: 0:00:03 (0.5841 s / it)`);
  }
  const got = track(lines);
  assert.deepEqual([got.step, got.total, got.epoch], [5, 6, 9]);
});

test('a step key logged as a float (`global_step=263.0`) is a count, global beside the per-epoch bar', () => {
  const bar = (i: number) => `Epoch 2:  97%|█████████▋| ${i}/126 [04:29<00:08,  2.21s/it, loss=0.00658, v_num=3, global_step=${i + 139}.0]`;
  assert.equal(track([bar(120), bar(122), bar(124)]).step, 263);
});

test('thousands separators before a list comma (`iter:  20,400, lr:`); an outer bar over epochs counts no steps', () => {
  const basic = [20300, 20400].map((i) => `[ES..][epoch:210, iter:  ${i.toLocaleString('en-US')}, lr:(1.000e-04,)] l_g_pix: 3.3959e-04`);
  assert.equal(track(basic).step, 20400);
  const nested = [
    'Epoch 1: 100%|██████████| 994/994 [03:58<00:00,  4.17batch/s, avg_loss=0.20, loss=0.19]',
    'Training: 100%|██████████| 2/2 [07:43<00:00, 231.64s/epoch]',
  ];
  assert.equal(track(nested).step, 994);
});

test('keys in brackets (`[epoch]: 199, [batch]: 24000, [loss]: 4.85`)', () => {
  const lines = [23900, 24000].map((b) => `2019-08-07 02:59:37,013 - __main__ - INFO - [epoch]: 199, [batch]: ${b}, [loss]: 4.${b / 100}`);
  const got = track(lines);
  assert.deepEqual([got.step, got.epoch, got.metrics.loss], [24000, 199, 4.24]);
});

test('an epoch with its total beside a per-epoch count (`Epoch: 5/300 (116/520)`): the epoch is never the step', () => {
  const snapshot = track([
    '| Epoch: 1/300 (520/520) | Loss: 4.2473 |',
    '| Epoch: 2/300 (520/520) | Loss: 4.2304 |',
    '| Epoch: 3/300 (116/520) | Loss: 4.1097 |',
  ]);
  assert.equal(snapshot.step, 116);
  assert.equal(snapshot.total, 520);
  assert.equal(snapshot.epoch, 3);
});

test('unnamed nested counts (`12 158 Loss=0.3`): the inner one, moving line after line, is the step, across its reset', () => {
  const lines: string[] = [];
  for (let i = 155; i <= 160; i += 1) lines.push(`12 ${i} Loss=0.31 Time=0.040`);
  for (let i = 1; i <= 3; i += 1) lines.push(`13 ${i} Loss=0.30 Time=0.040`);
  assert.equal(track(lines).step, 3);
});

test("a printed model's layer indices (`(8): GraphConv(64->64)`) count nothing; a day-month date (`12 Nov`) is no counter", () => {
  const model = ['Net(', '  (layers): ModuleList(', ...[0, 1, 2, 3, 4, 5, 6, 7, 8].map((i) => `    (${i}): GraphConv(64->64)`), '  )', ')'];
  const epochs = [0, 1, 2].map((e) => `Epoch ${e}: train loss 1.9${e} train acc: 0.15, val loss: 1.96 val acc 0.16.`);
  const snapshot = track([...model, ...epochs]);
  assert.equal(snapshot.step, 2);
  assert.equal(snapshot.metrics.loss, 1.92);
  const dated = [0, 1, 2].map((e) => `12 Nov 21:1${e}    INFO  epoch ${e} training [time: 17.81s, train loss: 0.5${e}]`);
  assert.equal(track(dated).step, 2);
});

test('a table of labels and predictions (`12/30,7/9 | 11/30,8/9 | 0.05`) between report lines holds no counter', () => {
  const lines: string[] = [];
  for (const report of [0.31, 0.27]) {
    lines.push(`[1/1000] Train loss: ${report}, Valid loss: 3.3, Elapsed_time: 13.6`);
    lines.push('Ground Truth        | Prediction          | Confidence');
    for (const row of ['1650/1838,1242/1318', '980/1011,75/548', '1801/1978,869/1442'])
      lines.push(`${row}   | 1287/1838,1124/1318   | 0.0516`);
  }
  const snapshot = track(lines);
  assert.equal(snapshot.step, 1);
  assert.equal(snapshot.total, 1000);
  assert.equal(snapshot.metrics.loss, 0.27);
});

test('a loss the line names as training outweighs an earlier evaluation word; a possessive eval side pairs with a train side', () => {
  const epochs = [141, 142, 143].map(
    (e) => `I1112 15:53:4${e - 140}.1 1405 train.py:23] epoch ${e} best test acc: 0.91, train loss: 0.3${e - 140}; val acc: 0.87`,
  );
  assert.equal(track(epochs).metrics.loss, 0.33);
  const rounds = [25, 50, 75].map((r) => `[${r}]    train_set's rmse: 1.${r}      eval's rmse: 2.${r}`);
  const snapshot = track(rounds);
  assert.equal(snapshot.step, 75);
  assert.equal(snapshot.metrics.loss, 1.75);
});

test('two numbers joined by a hyphen are two fields (`epoch 4-5383`): the one moving line after line is the step, across its reset', () => {
  const lines = [3, 4].flatMap((epoch) => [1, 599, 1197, 1795].map((i) => `INFO: epoch ${epoch}-${i}, loss: 0.00${5 - epoch} (run7)`));
  assert.deepEqual(
    numericFieldsOf('epoch 4-5383, loss: 0.002').map((field) => field.value),
    [4, 5383, 0.002],
  );
  const snapshot = track(lines);
  assert.deepEqual([snapshot.step, snapshot.epoch, snapshot.metrics.loss], [1795, 4, 0.001]);
});

test('line numbers pasted with a plain space (`5055 [0][4696/5790], loss: …`): once a line of another shape runs on the count they are stripped, and what they taught is unlearned', () => {
  const lines = [
    ...[4696, 4697, 4698].map((step, i) => `${5055 + i} [epoch][s/s_per_e]: [0][${step}/5790], lr: 0.0000986, loss: 0.9${i}`),
    '5058 model_name_test',
    ...[4699, 4700, 4701, 4702].map((step, i) => `${5059 + i} [epoch][s/s_per_e]: [0][${step}/5790], lr: 0.0000986, loss: 1.1${i}`),
  ];
  assert.deepEqual([track(lines).step, track(lines).total], [4702, 5790]);
});

test("line numbers glued to loss dicts that count no steps (`41:{'loss': 0.2, 'epoch': 0.3}`): once recognised, the step they gave is withdrawn", () => {
  const lines = [
    "{'loss': 0.52, 'learning_rate': 5e-05, 'epoch': 0.1}",
    ...[0.31, 0.27, 0.22].map((loss, i) => `${41 + i}:{'loss': ${loss}, 'learning_rate': 4e-05, 'epoch': 0.${i + 2}}`),
    "44:{'train_runtime': 812.5, 'train_samples_per_second': 9.8, 'train_loss': 0.33, 'epoch': 0.4}",
  ];
  const snapshot = track(lines);
  assert.equal(snapshot.step, null);
  assert.equal(snapshot.metrics.loss, 0.33);
});

test('the loss with how it was taken after it (`loss_value=2.07`, `loss_avg: 1.9`) is the loss; a part of it (`loss_cls`) is not', () => {
  assert.equal(
    track(['INFO - iteration 0: global_step=99; loss_value=2.167616', 'INFO - iteration 0: global_step=100; loss_value=2.077147']).metrics
      .loss,
    2.077147,
  );
  assert.equal(track(['iter 10 loss_avg: 1.9 lr: 0.1', 'iter 20 loss_avg: 1.7 lr: 0.1']).metrics.loss, 1.7);
  assert.equal(track(['iter 10 loss_cls: 0.9 lr: 0.1', 'iter 20 loss_cls: 0.7 lr: 0.1']).metrics.loss, undefined);
});

test('two losses each named by what it measures and no whole (a GAN, PPO) are parts: none is the loss', () => {
  const gan = track([
    'Epoch [1/50] Batch [100/199] D_loss: -153.3314 G_loss: 84.0026',
    'Epoch [1/50] Batch [200/199] D_loss: -150.1 G_loss: 80.2',
  ]);
  assert.equal(gan.metrics.loss, undefined);
  assert.deepEqual([gan.metrics.D_loss, gan.metrics.G_loss], [-150.1, 80.2]);
  assert.equal(
    track(['upd 3/488 | step 6144 | pg_loss -0.028 | v_loss 129.775', 'upd 4/488 | step 8192 | pg_loss -0.02 | v_loss 120.5']).metrics.loss,
    undefined,
  );
  // One named loss is the loss; so is the whole beside its parts.
  assert.equal(
    track(['Train Epoch: 0/100 Step: 160/965 || Mask_Loss 1.5497', 'Train Epoch: 0/100 Step: 170/965 || Mask_Loss 1.4']).metrics.loss,
    1.4,
  );
  assert.equal(track(['step 10 loss: 0.07 disc_loss: 0.006', 'step 20 loss: 0.06 disc_loss: 0.005']).metrics.loss, 0.06);
});

test('train and validation abbreviated as a pair (`trn_loss`/`val_loss`, `tr_loss`/`va_loss`): the training side is the loss', () => {
  assert.equal(
    track([
      'Epoch 14/15 | trn_loss: 0.2115  trn_logloss: 0.25 | val_loss: 0.13',
      'Epoch 15/15 | trn_loss: 0.2015  trn_logloss: 0.2429 | val_loss: 0.1262',
    ]).metrics.loss,
    0.2015,
  );
  assert.equal(
    track(['Ep  12/18  lr=1.6e-05  tr_loss=0.2100  |  va_loss=0.4112', 'Ep  13/18  lr=1.59e-05  tr_loss=0.2049  |  va_loss=0.4012']).metrics
      .loss,
    0.2049,
  );
});

test("spaCy's losses by component (`Losses {'ner': 0.57}`): the one component's is the loss; of several, none is", () => {
  const lines = (losses: string) => ["('Epoch : ', 23, ' batch : ', 436)", '437it [10:33,  1.10s/it]', `('Losses', ${losses})`];
  assert.equal(track(lines("{u'ner': 0.006040871216020678}")).metrics.loss, 0.006040871216020678);
  assert.equal(track(lines("{'tagger': 1.2, 'parser': 3.4}")).metrics.loss, undefined);
});

test('a line reporting its training loss before test metrics (`main_loss: 0.0029, …, test rmse: 0.015`) is training: its counter is the step', () => {
  const lines = [173, 174, 175].map(
    (epoch) =>
      `2024-01-10 07:14:01 - Epoch[${epoch}] Iter[${epoch * 616}] Time:847.86, main_loss: 0.00${epoch}, sup loss: 0.0029, usup loss: 0.0004, test rmse: 0.0157, val_rmse: 0.0102`,
  );
  const snapshot = track(lines);
  assert.deepEqual([snapshot.step, snapshot.epoch, snapshot.metrics.loss], [175 * 616, 175, 0.00175]);
});

test('a loss word, the iteration it was measured at, then the value (tacotron2: `Train loss 64999 0.314525`): the count is the step, not the loss', () => {
  const snapshot = track([
    'Train loss 64998 0.302735 Grad Norm 0.958112 4.36s/it',
    'Train loss 64999 0.314525 Grad Norm 0.615372 4.37s/it',
  ]);
  assert.deepEqual([snapshot.step, snapshot.metrics.loss], [64999, 0.314525]);
});

test('a per-class report after training (`Class 6: P=26.97%  IoU=20.75%`) counts classes, not steps', () => {
  const lines = [98, 99, 100].map((epoch) => `Epoch ${epoch}/100 [129.9s] | LR: 1.0e-06 | Train Loss: 0.9${epoch} | Val Loss: 0.6161`);
  for (const n of [1, 2, 3, 4, 5, 6]) lines.push(`  Class ${n}: P=26.97%  R=47.37%  IoU=20.75%  Dice=34.37%`);
  assert.equal(track(lines).step, 100);
});

test("a `total` that is a fraction on its own key is the total loss; a count's total, a rate's (`fps total`) or a time's is not", () => {
  assert.equal(
    track(['[epoch: 3/200, iter: 25/489] total: 1.523996 ', '[epoch: 3/200, iter: 50/489] total: 1.611048 ']).metrics.loss,
    1.611048,
  );
  assert.equal(
    track([
      'epoch=0 step=62 lr=0.001 total=2.294758 det=2.060907 kd=0.467701',
      'epoch=0 step=63 lr=0.001 total=2.147367 det=1.912857 kd=0.469021',
    ]).metrics.loss,
    2.147367,
  );
  assert.equal(
    track(['fps step: 699043.6 fps total: 209712.6 epoch: 13/1000', 'fps step: 524282.0 fps total: 209712.3 epoch: 14/1000']).metrics.loss,
    undefined,
  );
  assert.equal(track(['iter 10 Time: data 0.1 total 0.52', 'iter 20 Time: data 0.1 total 0.50']).metrics.loss, undefined);
});

test('values in curly braces (`loss : {1.1689547}`) are read', () => {
  const lines = [
    '2022-02-15 17:55:26,444 INFO epoch: {10/300}, step: {1/2}, loss : {1.2743649}, lr : {0.0000922}',
    '2022-02-15 17:55:26,678 INFO epoch: {10/300}, step: {2/2}, loss : {1.1689547}, lr : {0.0000922}',
  ];
  assert.equal(track(lines).metrics.loss, 1.1689547);
});

test('a held-out side (`train=5.17  heldout=5.24`) is evaluation: the train side is the loss; a best epoch reported after training is no epoch of it', () => {
  const lines = [27, 28].map((epoch) => `[pretrain] epoch  ${epoch}/40  train=5.${epoch}  heldout=5.2357  lr=6.80e-05  `);
  lines.push(
    '[pretrain] early stop after 28 epochs (no improvement for 6)',
    'pretrain-encoder: best epoch 22, held-out total 5.1822. wrote artifacts/encoder',
  );
  const snapshot = track(lines);
  assert.deepEqual([snapshot.step, snapshot.epoch, snapshot.metrics.loss], [28, 28, 5.28]);
});

test('records a logger wrote without newlines (`… train_acc: 0.3898epoch: 2/1000, …`) are read one by one: the last is the newest', () => {
  const records = [1, 2, 3, 4, 5].map((epoch) => `epoch: ${epoch}/1000, train_loss: ${(7 - epoch / 10).toFixed(4)}, train_acc: 0.3898`);
  const snapshot = track([records.join('')]);
  assert.deepEqual([snapshot.epoch, snapshot.metrics.loss], [5, 6.5]);
  assert.deepEqual(
    normaliseLine('epoch: 1/3, loss: 0.5, note: see epoch: 2 below, and a long tail to pass the length where glued records are looked for'),
    ['epoch: 1/3, loss: 0.5, note: see epoch: 2 below, and a long tail to pass the length where glued records are looked for'],
  );
});

test('an epoch named after a word (`============ Starting epoch 399 ... ============`) is the epoch, never a global counter over the in-epoch one', () => {
  const lines: string[] = [];
  for (const epoch of [396, 397, 398, 399]) {
    lines.push(`INFO - 09/03/20 02:40:18 - 8:31:49 - ============ Starting epoch ${epoch} ... ============`);
    for (const it of [0, 50])
      lines.push(`INFO - 09/03/20 02:40:21 - 8:31:52 - Epoch: [${epoch}][${it}]\tTime 0.657 (0.720)\tLoss 2.10${it} (2.12)\tLr: 0.0006`);
  }
  const snapshot = track(lines);
  assert.deepEqual([snapshot.step, snapshot.epoch], [50, 399]);
  // Nor does a count of models trained one after another count steps.
  const models = [
    'Training base model 0: LogisticRegression',
    'Training base model 1: RandomForest',
    'Training base model 2: XGB',
    'Epoch 20/200: train_loss=0.5026',
  ];
  assert.equal(track(models).step, 20);
});

test("an evaluation word inside the logger's module path (`[ezpz/examples.test:325:train_step]`) is a name: the line is training", () => {
  const lines = [10, 20, 30].map(
    (iter, i) => `[2025-12-26 14:59:4${i},063715][I][pkg/examples.test:325:train_step] iter=${iter} loss=0.${9 - i} accuracy=0.5`,
  );
  const snapshot = track(lines);
  assert.deepEqual([snapshot.step, snapshot.metrics.loss], [30, 0.7]);
  // Said as a word, it still is evaluation.
  assert.equal(track(['test iter=10 loss=0.9', 'test iter=20 loss=0.8']).metrics.loss, undefined);
});

test("an evaluation said after glog/absl's prefix (`I1216 02:24:37.213147 1382009 train.py:324] Eval batches[100] | loss 5.55`) is evaluation", () => {
  const line = (n: number, what: string, loss: string) =>
    `I1216 02:24:3${n}.079922 138200950372160 train.py:${300 + n}] ${what} batches[  100]    | loss  ${loss}`;
  const snapshot = track([line(1, 'Train', '5.54'), line(2, 'Eval ', '5.55'), line(3, 'Train', '5.52'), line(4, 'Eval ', '5.56')]);
  assert.equal(snapshot.metrics.loss, 5.52);
});

test('a summary of both sides after an epoch (`Train Loss: x | Val Loss: y`) gives the training loss when the lines counting the steps give none', () => {
  const bar = (epoch: number, n: number) => `Epoch ${epoch}/400 train:  50%|█████     | ${n}/2590 [00:10<00:08, 137.52it/s]`;
  const lines = [
    bar(55, 1295),
    bar(55, 2590),
    'Epoch 55/400 val: 100%|██████████| 289/289 [00:01<00:00, 200.00it/s]',
    '[Diffusion] Epoch 55/400 Train Loss: 0.0669 | Val Loss: 0.0698',
    bar(56, 1695),
  ];
  const snapshot = track(lines);
  assert.deepEqual([snapshot.step, snapshot.metrics.loss], [1695, 0.0669]);
});

test("an evaluation word before a line's first number counts after a logger's timestamp too (`2026-05-12 13:33:13,837 - INFO - [Val] Epoch 030: loss = …`)", () => {
  const lines = [29, 30].flatMap((epoch) => [
    `2026-05-12 13:3${epoch - 29}:05,132 - INFO - [Train] Epoch 0${epoch}: loss = 0.0035${epoch}`,
    `2026-05-12 13:3${epoch - 29}:13,837 - INFO - [Diff-Val(Test)] Epoch 0${epoch} (Deterministic): loss = 0.0033${epoch}`,
  ]);
  assert.equal(track(lines).metrics.loss, 0.00353);
});

test('the rows of a printed matrix (a confusion matrix: `  9505 2682  313   39   60 | 0 = 0`) count nothing', () => {
  const lines = [
    ...Array.from(
      { length: 10 },
      (_, i) => `01:${37 + i}:10.321 [main] INFO o.e.ScoreIterationListener - Score at iteration ${77800 + 100 * i} is 0.9${i}`,
    ),
    '01:50:11.269 [main] INFO o.e.EvaluativeListener - Starting evaluation nr. 4',
    '02:13:50.567 [main] INFO o.e.EvaluativeListener - Reporting evaluation results:',
    '',
    '========================Evaluation Metrics========================',
    ' # of classes:    5',
    ' Accuracy:        0.6318',
    ' F1 Score:        0.6334',
    '',
    '=========================Confusion Matrix=========================',
    '    0    1    2    3    4',
    '--------------------------',
    ' 9505 2682  313   39   60 | 0 = 0',
    ' 2448 7224 2735  130   62 | 1 = 1',
    '  424 2441 7669 1856  209 | 2 = 2',
    '  155  148  498 3400 8398 | 3 = 3',
  ];
  assert.equal(track(lines).step, 78700);
});

test('a bare `val:` is the evaluation side of a `train:` / `val:` pair (`Epoch 560/1000 | train: -2256.94 | val: -2076.69`)', () => {
  const lines = [558, 559, 560].map(
    (epoch) => `Epoch  ${epoch}/1000 | train: -2256.${epoch} (-4.15 bpd) | val: -2076.69 (-3.82 bpd) | lr: 0.000076`,
  );
  assert.equal(track(lines).metrics.loss, -2256.56);
});

test("CatBoost's `learn:` with no evaluation set is its objective on the training data: the loss", () => {
  const lines = [0, 1, 2, 3].map((i) => `${i}:\tlearn: 0.69${9 - i}\ttotal: ${10 + i}ms\tremaining: ${40 - i}s`);
  const snapshot = track(lines);
  assert.deepEqual([snapshot.step, snapshot.metrics.loss], [3, 0.696]);
});

test('a job counting its lines up by one (CatBoost) whose durations change units (`11m 59s`, `12m`) is no pasted numbering', () => {
  const lines = [
    '    981:\tlearn: 0.2492545\ttotal: 11m 58s\tremaining: 13.2s',
    '    982:\tlearn: 0.2492528\ttotal: 11m 59s\tremaining: 12.4s',
    '    983:\tlearn: 0.2492509\ttotal: 12m\tremaining: 11.7s',
    '    984:\tlearn: 0.2492489\ttotal: 12m 1s\tremaining: 733ms',
  ];
  assert.equal(track(lines).step, 984);
  // torchtuples' epochs (`1:\t[27s / 1m:1s],\t\ttrain_loss: …`): the whole time going from `33s` to `1m:1s` is one duration still.
  const epochs = [
    '0:\t[33s / 33s],\t\ttrain_loss: 2.0743,\tval_loss: 1.9062',
    '1:\t[27s / 1m:1s],\t\ttrain_loss: 1.8318,\tval_loss: 1.7913',
    '2:\t[39s / 1m:40s],\t\ttrain_loss: 1.7777,\tval_loss: 1.7586',
  ];
  assert.equal(track(epochs).step, 2);
  // A job prefixing its own step to every line, two lines with the same one (`25000: saving model`, `25000: saving to results`).
  const prefixed = [
    '25000: saving to results',
    '25000: saving model to results',
    '25001: soundstream total loss: 4.872, soundstream recon loss: 0.001 | discr (scale 1) loss: 2.336',
    '25002: soundstream total loss: 4.893, soundstream recon loss: 0.001 | discr (scale 1) loss: 2.331',
  ];
  assert.deepEqual([track(prefixed).step, track(prefixed).metrics.loss], [25002, 4.893]);
  // Lines that say different things are still numbered by the paste.
  const pasted = new PastedLineNumbers();
  for (const line of ['12: Epoch 3 loss=0.5', '13: Saving checkpoint to out/ckpt-3000.pt']) pasted.strip(line);
  assert.equal(pasted.recognised, true);
});

test("a global counter in a bar's postfix (`Epoch #5: 50001it [00:40, env_step=250000, loss=-0.010]`) is the step; the bar counts the epoch's", () => {
  const lines = [1, 2, 3].map(
    (epoch) => `Epoch #${epoch}: 10001it [00:05, 1744.76it/s, env_step=${epoch * 10000}, len=191, loss=0.${epoch}, rew=191.00]`,
  );
  const snapshot = track(lines);
  assert.deepEqual([snapshot.step, snapshot.total, snapshot.epoch, snapshot.metrics.loss], [30000, null, 3, 0.3]);
});

test("a bar without the training bar's loss, to a smaller total, is the evaluation pass between epochs: no step", () => {
  const train = (epoch: number) => `100%|██████████| 190/190 [03:08<00:00,  1.01it/s, train_loss=0.${9 - epoch}]`;
  const valid = '100%|██████████| 137/137 [01:43<00:00,  1.33it/s]';
  const snapshot = track([train(1), valid, 'epoch: 1 - train loss: 0.8 - valid loss: 1.23', train(2), valid]);
  assert.deepEqual([snapshot.step, snapshot.total], [190, 190]);
  // A longer bar without a loss may be training's next phase: its steps are kept (the watchdog must see them move).
  const nextPhase = track([
    train(1),
    '  4%|▍         | 12/300 [00:10<04:00,  1.20it/s]',
    ' 5%|▌         | 15/300 [00:12<04:00,  1.20it/s]',
  ]);
  assert.deepEqual([nextPhase.step, nextPhase.total], [15, 300]);
  // Bars that never show a loss (the loss comes on lines of its own) are all training's.
  assert.deepEqual(
    [
      track([
        '  10%|█         | 85/850 [00:10<01:30,  8.4it/s]',
        "{'loss': 0.5, 'epoch': 0.1}",
        ' 11%|█         | 93/850 [00:11<01:30,  8.4it/s]',
      ]).step,
    ],
    [93],
  );
});

test("VITS's `[global_step, lr]` under Python logging's default prefix (`INFO:run-name:[600, 9.99e-05]`): the step", () => {
  const lines = [1, 2, 3].flatMap((epoch) => [
    `INFO:my-voice-run:Train Epoch: ${epoch} [1%]`,
    `INFO:my-voice-run:[${epoch * 200}, 9.99${epoch}e-05]`,
    `INFO:my-voice-run:loss_disc=3.8, loss_gen=3.0, loss_fm=10.4,loss_mel=21.9, loss_kl=1.2`,
    `INFO:my-voice-run:====> Epoch: ${epoch} [2023-06-11 08:52:05] | (1:32:29.395655)`,
  ]);
  const snapshot = track(lines);
  assert.deepEqual([snapshot.step, snapshot.epoch], [600, 3]);
});

test("an objective function named as such (`objf`, `objective`) is the training loss, the first of a line's", () => {
  const lines = [0, 10, 20].map(
    (batch) =>
      `2021-01-01 16:06:31,449 INFO [train.py:211] batch ${batch}, epoch 0/8 global average objf: 1.5${batch} over 327058.0 frames, current batch average objf: 1.1${batch} over 29450 frames`,
  );
  assert.deepEqual([track(lines).step, track(lines).metrics.loss], [20, 1.52]);
});

test("a bar drawn once into a log file, then a logger's counter moving on: the bar's reading is over, the logger's is the step", () => {
  const logged = [4879, 4900, 4950, 5000, 5050].map(
    (iter, i) => `2022-10-23 03:5${i}:21,040   INFO  epoch: 18/120, acc_iter=${iter}, cur_iter=${iter - 4879}/271, loss=4.6${i}`,
  );
  const snapshot = track([`train:   0%|          | 0/271 [00:00<?, ?it/s]${logged[0]}`, ...logged.slice(1)]);
  assert.deepEqual([snapshot.step, snapshot.total, snapshot.epoch], [5050, null, 18]);
  // A bar redrawn between the logger's lines stays the surer reading.
  const redrawn = track([1, 2, 3, 4, 5].flatMap((i) => [`${i * 10}/271 [00:0${i}<00:30, 3.1it/s]`, `step ${i * 10} loss=0.${i}`]));
  assert.equal(redrawn.step, 50);
});

test('a quantity used of what there is (`10164 / 16384 MB`, gpustat between the lines) is no counter with a total', () => {
  const fields = numericFieldsOf('[0] Tesla V100-PCIE-16GB | 54°C,   0 % | 10164 / 16384 MB | user(9937M)');
  assert.equal(
    fields.some((field) => field.total !== null),
    false,
  );
  assert.equal(numericFieldsOf('iter 40 / 1000 loss 0.3')[0]?.total, 1000);
});

test("a summary with no counter of its own (MetricLogger's `Averaged stats:`) after an evaluation's lines is the evaluation's; after steps' losses, their mean", () => {
  const train = (i: number) =>
    `Epoch: [9]  [${i}/50]  eta: 0:00:10  lr: 0.000100  class_error: 9.09  loss: 2.${i} (2.9)  loss_ce: 0.2 (0.3)  time: 0.39  data: 0.01`;
  const test_ = (i: number) =>
    `Test:  [${i}/7]  eta: 0:00:01  class_error: 12.5  loss: 4.${i} (4.9)  loss_ce: 0.5 (0.6)  time: 0.2  data: 0.01`;
  const lines = [
    train(10),
    train(20),
    train(49),
    'Epoch: [9] Total time: 0:00:20 (0.3914 s / it)',
    'Averaged stats: lr: 0.000100  class_error: 9.09  loss: 2.4144 (2.9051)  loss_ce: 0.2 (0.3)',
    test_(0),
    test_(6),
    'Test: Total time: 0:00:02 (0.3 s / it)',
    'Averaged stats: class_error: 12.5  loss: 4.9160 (4.9160)  loss_ce: 0.5 (0.6)',
    'Accumulating evaluation results...',
  ];
  const snapshot = track(lines);
  // The training's own summary is its epoch's mean: the last step's loss stands, as the evaluation's summary does not replace it.
  assert.deepEqual([snapshot.step, snapshot.metrics.loss], [49, 2.49]);
  // With no step's loss before it (an excerpt from the epoch's end), the training's summary is the loss.
  assert.equal(track(lines.slice(3)).metrics.loss, 2.4144);
  // A new epoch's header after the evaluation: the loss lines under it are training's again (chemprop counts no steps).
  const epochs = [28, 29].flatMap((epoch) => [
    `Epoch ${epoch}`,
    `Loss = 3.${epoch}e-01, PNorm = 37.1, GNorm = 0.62, lr_0 = 1.0e-04`,
    'Validation auc = 0.929',
  ]);
  assert.deepEqual([track(epochs).step, track(epochs).metrics.loss], [29, 0.329]);
});

test('losses each named by what it measures, each on a line of its own and no whole (SAC): parts, none is the loss; each is still kept', () => {
  const lines = [1000, 2000].flatMap((step) => [
    `global_step=${step}, episodic_return=-130.5`,
    `losses/q1_loss 132.2 ${step}`,
    `losses/q2_loss 154.9 ${step}`,
    `losses/policy_loss nan ${step}`,
  ]);
  const snapshot = track(lines);
  assert.equal(snapshot.metrics.loss, undefined);
  assert.equal(snapshot.metrics['losses/policy_loss'], 'NaN');
  // One such loss alone is the loss; so is a whole beside its parts.
  assert.equal(track(['step 1 ce_loss 0.9', 'step 2 ce_loss 0.8']).metrics.loss, 0.8);
  assert.equal(track(['step 1 loss 0.9', 'kd_loss 0.3', 'ce_loss 0.6', 'step 2 loss 0.8']).metrics.loss, 0.8);
});

test("a traceback's lines are no progress: its frames' line numbers and IPython's numbered source listing", () => {
  const lines = [
    ' 1%|          | 1/115 [00:03<06:30,  3.43s/it]',
    '---------------------------------------------------------------------------',
    'TypeError                                 Traceback (most recent call last)',
    'Cell In[12], line 17',
    '     15 total = dataset.get_dataset_size()',
    '     16 for step, batch in enumerate(tqdm(loader, total=total)):',
    '---> 17     loss = train_step(**batch)',
    '',
    'File ~/envs/ms/lib/python3.9/site-packages/mindspore/ops/composite/base.py:625, in _Grad.__call__',
    '    624 def after_grad(*args, **kwargs):',
    '--> 625     return grad_(fn_, weights)(*args, **kwargs)',
  ];
  assert.deepEqual([track(lines).step, track(lines).total], [1, 115]);
  // After the exception line, the output is read again.
  const python = [
    'Traceback (most recent call last):',
    '  File "train.py", line 640, in <module>',
    '    step(600)',
    'ValueError: bad',
    'step 12 loss 0.5',
  ];
  assert.equal(track(python).step, 12);
  // A traceback cut before its exception line: the progress bars after it, indented as tqdm draws them, are read.
  assert.equal(
    track([
      'Traceback (most recent call last):',
      '  File "loader.py", line 88, in fetch',
      '  45%|████▌     | 450/1000 [01:23<01:40, 5.42it/s]',
    ]).step,
    450,
  );
  // A bar the header was glued to is still read.
  assert.equal(
    track(['Epoch 11/15', ' 33/781 [>....] - ETA: 2:37 - loss: 0.7934Traceback (most recent call last):', '  File "main.py", line 276'])
      .step,
    33,
  );
});

test("this step's own loss named by what it was taken over (`Batch loss: 0.07`) replaces an epoch's average; `ce` is cross-entropy", () => {
  const lines = [
    '2025-03-02 05:34:20,000 - INFO - Epoch 2 - Average Train Loss: 0.5625',
    '2025-03-02 05:34:27,523 - INFO - Epoch 3 - Batch loss: 0.3727',
    '2025-03-02 05:34:28,802 - INFO - Epoch 3 - Batch loss: 0.0777',
  ];
  assert.equal(track(lines).metrics.loss, 0.0777);
  const summaries = [1, 2].flatMap((epoch) => [
    `Train Summary | Epoch ${epoch} | lr=1.0E+00 | grad_norm=5.7E-01 | ce=3.6${epoch} | ppl=39.9`,
    `Valid Summary | Epoch ${epoch} | ce=3.9${epoch} | ppl=40.2`,
  ]);
  assert.equal(track(summaries).metrics.loss, 3.62);
});

test('a count stuck at zero while the epochs move on (`0it` under every epoch of an empty loader) counts nothing: the epochs do', () => {
  const lines = [1, 2, 3, 4].flatMap((epoch) => ['0it [00:00, ?it/s]', `INFO:run:====> Epoch: ${epoch}`]);
  assert.equal(track(lines).step, 4);
});

test("a table's epoch column counting up while its loss goes from `nan` to negative numbers is no pasted numbering", () => {
  const rows = [
    '     1  |         nan  |         nan  |     47.83%  |  0.6s',
    '     2  |         nan  |   -4.046479  |     52.17%  |  0.6s',
  ];
  const more = [3, 4, 5].map((epoch) => `     ${epoch}  |   -4.${epoch}17877  |   -4.494806  |     52.17%  |  0.6s`);
  const lines = [
    ' Epoch  |  Train loss  |  Valid loss  |  Valid acc  |  Dur',
    '--------|--------------|--------------|-------------|-------',
    ...rows,
    ...more,
  ];
  const snapshot = track(lines);
  assert.deepEqual([snapshot.step, snapshot.metrics.loss], [5, -4.517877]);
});

test("Weights & Biases' run summary at the end is a report of logged values, not the training's last loss", () => {
  const lines = [
    'Train Epoch: 1 [57600/60000 (96%)]\tLoss: 0.428416',
    'wandb: Run summary:',
    'wandb:         training/loss 0.45277',
    'wandb:                 _step 939',
    'wandb: Run history:',
    'wandb:   training/loss ████▇▇▆▅▅▄▃▃▃▃▃▃▂▃▂▂▃▂▂▂▂▂▂▂▂▁▂▁▂▁▁▂▂▁▂▁',
  ];
  const snapshot = track(lines);
  assert.deepEqual([snapshot.step, snapshot.metrics.loss], [57600, 0.428416]);
});

test('the number of an experiment, a trial or a fold run one after another is no training step: the epochs are', () => {
  const lines = [1, 2, 3, 4, 5, 6, 7, 8].flatMap((experiment) => [
    `[INFO] Experiment number: ${experiment}`,
    '[INFO] Model: effnetb2',
    ...[1, 2, 3, 4, 5].map((epoch) => `Epoch: ${epoch} | train_loss: 0.${9 - epoch} | test_loss: 0.7`),
    '[INFO] Saving model to: models/effnetb2.pth',
  ]);
  assert.deepEqual([track(lines).step, track(lines).metrics.loss], [5, 0.4]);
});

test('a field no word names that moved by one stride at every line of its template is the step as soon as it has moved twice', () => {
  const lines = [500, 1000, 1500].map(
    (up, i) =>
      `[2018-02-22 20:${39 + i * 7}:54] Ep. 1 : Upd. ${up} : Sen. ${350559 + i * 348000 + i * i * 917} : Cost ${(9.89 - i).toFixed(2)} : Time 482.42s`,
  );
  assert.equal(track(lines).step, 1500);
  // Strides that differ are no counter's: a running count of samples, a size.
  const uneven = [480, 1000, 1500].map((n, i) => `Ep. 1 : Seen. ${n} : Cost ${(9.89 - i).toFixed(2)}`);
  assert.equal(track(uneven).step, null);
});

test('a number with a time unit after a blank (`104 sec elapsed`) is a duration, never the step', () => {
  const lines = Array.from({ length: 8 }, (_, i) => [
    `[${44 + i}]\ttrain-logloss:0.3${i}\tvalid-logloss:0.33`,
    `boosting round ${45 + i}, ${91 + 2 * i} sec elapsed`,
  ]).flat();
  assert.equal(track(lines).step, 52);
});

test('a key doubled into `==` still names its value (`train==[31.19=30.10 + 1.09]`: the training side alone, its objective)', () => {
  const lines = Array.from({ length: 4 }, (_, i) => `Epoch ${i} [60.${i}s]: train==[${40 - i}.5=${39 - i}.4 + 1.1]`);
  const snapshot = track(lines);
  assert.equal(snapshot.step, 3);
  assert.equal(snapshot.metrics.loss, 37.5);
});

test('a parenthesised note between a qualifier and its key (`discr (scale 1) loss:`) leaves the qualifier naming it: a part, not the loss', () => {
  assert.deepEqual(
    numericFieldsOf('7: gen loss: 2.5, discr (scale 0.5) loss: 0.25').map((f) => f.key),
    [null, 'gen loss', 'scale', 'discr loss'],
  );
  const lines = Array.from(
    { length: 4 },
    (_, i) =>
      `${25040 + i}: codec total loss: ${10 + i}.5, codec recon loss: 3.5 | discr (scale 1) loss: 7.25 | discr (scale 0.5) loss: 0.000`,
  );
  assert.equal(track(lines).metrics.loss, 13.5);
});

test("a loss the training side names by its model (`train_vae_loss`) is the whole beside its parts; two such (a GAN's generator and discriminator) are parts", () => {
  const vae = Array.from(
    { length: 3 },
    (_, i) => `Epoch ${201 + i} train_vae_loss 0.0${4 + i}: {'recons_loss': 0.015, 'kl_loss': 85897.05, 'p_loss': 0.05}.`,
  );
  assert.equal(track(vae).metrics.loss, 0.06);
  const gan = Array.from({ length: 3 }, (_, i) => `Epoch ${i} train_g_loss: 1.${i} train_d_loss: 0.${i + 1}`);
  assert.equal(track(gan).metrics.loss, undefined);
});

test('a count of the data seen (`num_input_tokens_seen`, `consumed_samples`, `images`) is no step, however steadily it grows', () => {
  const hf = Array.from(
    { length: 5 },
    (_, i) => `{'loss': 7${i}.5, 'learning_rate': 9.9e-06, 'epoch': ${1 + i * 0.5}, 'num_input_tokens_seen': ${65536 + 32768 * i}}`,
  );
  assert.equal(track(hf).step, null);
  const samples = Array.from({ length: 5 }, (_, i) => `round ${i} | consumed samples: ${1024 * (i + 1)} | lm loss: 3.${i}`);
  assert.equal(track(samples).step, 4);
});

test('a table row whose cells are padded to the column or not (`|5.0113e-05|`, `|     5e-05|`) is one template: its counter goes on to the last row', () => {
  const row = (batch: number, lr: string) => `|       150|${String(batch).padStart(10)}|${lr.padStart(10)}|    1.1553|`;
  assert.deepEqual(tokensOf(row(16900, '5.0024e-05')), tokensOf(row(17062, '5e-05')));
  const rows = [16500, 16600, 16700, 16800, 16900, 17000].map((batch) => row(batch, `5.00${batch % 97}e-05`));
  assert.equal(track([...rows, row(17062, '5e-05')]).step, 17062);
});

test('an epoch and a batch in one list, named by a note before the colon (`Loss [6, 200](epoch, minibatch): 3.58`): the batch restarting under the epoch is the step, the value after the colon the loss', () => {
  const lines: string[] = [];
  for (let epoch = 1; epoch <= 3; epoch += 1)
    for (let batch = 100; batch <= 300; batch += 100)
      lines.push(`Loss [${epoch}, ${batch}](epoch, minibatch):  ${(5 - epoch - batch / 1000).toFixed(6)}`);
  lines.push('Loss [4, 100](epoch, minibatch):  0.9');
  const snapshot = track(lines);
  assert.deepEqual([snapshot.step, snapshot.metrics.loss], [100, 0.9]);
  // The list's first number is not a value of the word before the bracket.
  assert.equal(numericFieldsOf('Loss [6, 200](epoch, minibatch):  3.58')[0]?.key, null);
  // Under a counter with its total (`[7010/7010 Srno: 2 (100%)]`), what restarts is a sub-index, not the step.
  const subIndexed: string[] = [];
  for (let batch = 7008; batch <= 7010; batch += 1)
    for (let sub = 0; sub <= 2; sub += 1) subIndexed.push(`Train Epoch: 0 [${batch}/7010 Srno: ${sub} (100%)]\tLoss: 0.2${sub}`);
  assert.equal(track(subIndexed).step, 7010);
});

test('a line that opens by naming training is training, after an evaluation line with no counter; a loss given before an evaluation word is training', () => {
  // Federated rounds: each round's evaluation metrics, then its training metrics (TensorFlow Federated's tutorial loop).
  const rounds = [1, 2, 3, 4].flatMap((round) => [
    `Round ${round}`,
    'Eval metrics: loss=0.656, accuracy=0.750',
    `\tTrain metrics: loss=0.94${round}, accuracy=0.673`,
  ]);
  assert.deepEqual([track(rounds).step, track(rounds).metrics.loss], [4, 0.944]);
  // A round's summary: its average training loss, then the test set's, on one line.
  const summaries = [41, 42, 43, 44].flatMap((round) => [
    `Round ${round}, lr: 0.050000, [21 28 70]`,
    `Round  ${round}, Average loss 1.6${round - 40}, Test loss 1.58${round - 40}, Test accuracy: 88.05`,
  ]);
  assert.deepEqual([track(summaries).step, track(summaries).metrics.loss], [44, 1.64]);
  // The evaluation word first still makes the line the evaluation's.
  const tests = [1, 2, 3].flatMap((epoch) => [`epoch ${epoch} loss 0.5${epoch}`, `Test loss 0.9${epoch}, accuracy 0.7`]);
  assert.equal(track(tests).metrics.loss, 0.53);
});

test('a counter learned advancing in earlier lines is a count even when the epochs move on after its one reading', () => {
  // VITS: a list of losses ending with the global step, printed every 200 steps; an epoch line at each epoch's end.
  const lines = [41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51].flatMap((epoch) => {
    const step = (epoch - 33) * 100;
    const listed =
      epoch % 2 === 1 && epoch <= 45 ? [`INFO\tTrain Epoch: ${epoch} [83%]`, `INFO\t[2.63, 1.97, 21.1, 1.56, ${step}, 0.000198]`] : [];
    return [...listed, `INFO\t====> Epoch: ${epoch}`];
  });
  // Learned from its third line (two moves): read once, then three epochs pass with no new reading.
  assert.equal(track(lines).step, 1200);
});

test("a logger header's process id after its time is no counter; environment frames count an RL run's steps", () => {
  // Sample Factory: `[time][pid] Fps is (…). Total num frames: N.` every few seconds, and the episodes' reward under it.
  const lines = [241664, 335872, 438272].flatMap((frames, i) => [
    `[2022-03-02 23:05:4${i},460][18482] Fps is (10 sec: 20404.3, 60 sec: 20404.3, 300 sec: 20404.3). Total num frames: ${frames}. Throughput: 0: 3098.6. Samples: 54300.`,
    `[2022-03-02 23:05:4${i},460][18482] Avg episode reward: [(0, '-1.416')]`,
  ]);
  assert.equal(track(lines).step, 438272);
  // IMPALA's logged dicts: frames as the step, the loss a scalar numpy array.
  const impala = [5440, 5480, 5520].flatMap((frames) => [
    `I0609 19:22:50.023801 140542926853888 util.py:56] {'num_frames': ${frames}, 'episode_return': 1.0}`,
    `I0609 19:22:50.156423 140579808433984 util.py:56] {'PG_loss': array(7.806772, dtype=float32), 'total_loss': array(11.2${frames % 7}, dtype=float32)}`,
  ]);
  assert.deepEqual([track(impala).step, track(impala).metrics.loss], [5520, 11.24]);
});

test("a line's own evaluation word counts where its template has a wildcard (a job's Train and Valid lines learned as one)", () => {
  const epochs = [1, 2, 3, 4].flatMap((epoch) => [
    `Epoch ${epoch}     Train,      psnr 24.4${epoch}     loss = 0.048${epoch}`,
    `Epoch ${epoch}     Valid,      psnr 23.7${epoch}     loss = 0.051${epoch}`,
  ]);
  assert.equal(track(epochs).metrics.loss, 0.0484);
  // A bracketed mode before its colon (`[Val]:`); a key named `test:` is no mode word (catboost's `learn: … test: …`).
  const iters = [598000, 599000, 600000].flatMap((iter) => [
    `2018-09-28 13:09:39 Iter ${iter} [Train]: loss=41.${iter / 1000 - 590}, epe=2.59, lr=0.000006`,
    `2018-09-28 13:10:00 Iter ${iter} [Val]: loss=46.94, epe=2.94`,
  ]);
  assert.deepEqual([track(iters).step, track(iters).metrics.loss], [600000, 41.1]);
});

test('a home-made `\\r` progress line read whole (a log file, not a live pipe): its redraws are learned in the order they were drawn', () => {
  const redraws = Array.from({ length: 40 }, (_, i) => `Train ${582 + i}/920, loss: -0.33${i % 10}, acc: 4.31 | ETA: 00:31:${10 + i}.`);
  const tracker = new ProgressTracker();
  tracker.pushText(redraws.map((r) => `\r${r}`).join(''), 0);
  tracker.flush(0);
  const snapshot = tracker.snapshot();
  assert.deepEqual([snapshot.step, snapshot.total], [621, 920]);
});

test('an unnamed fraction beside a count that has fallen since its first line is the loss; one that rose is not, nor one after a named loss', () => {
  const falling = track(Array.from({ length: 8 }, (_, i) => `${String(i * 10000).padStart(7)}/ 200000: ${(3.3 - 0.2 * i).toFixed(4)}`));
  assert.deepEqual([falling.step, falling.metrics.loss], [70000, 1.9]);
  const perEpoch = track(Array.from({ length: 8 }, (_, i) => `epoch ${i} - ${(1.5 - 0.1 * i).toFixed(7)}`));
  assert.equal(perEpoch.metrics.loss, 0.8);
  // A count with its duration glued on before it (`[0m 38s (200 10%) 1.9876]`).
  const timed = track(
    Array.from({ length: 8 }, (_, i) => `[${i}m ${10 + i}s (${(i + 1) * 100} ${(i + 1) * 5}%) ${(2.2 - 0.05 * i).toFixed(4)}]`),
  );
  assert.deepEqual([timed.step, timed.metrics.loss], [800, 1.85]);
  // An accuracy climbs: no loss.
  const rising = track(Array.from({ length: 8 }, (_, i) => `epoch ${i} - ${(0.5 + 0.05 * i).toFixed(3)}`));
  assert.equal(rising.metrics.loss, undefined);
  // Fewer lines than say a trend: no loss yet.
  assert.equal(track(['epoch 0 - 1.5', 'epoch 1 - 1.2']).metrics.loss, undefined);
  // A loss a key named stands over a later unnamed list (an evaluation's `N value` rows).
  const named = track([
    ...Array.from({ length: 5 }, (_, i) => `epoch: ${395 + i}, Train Loss: 0.43${i}, Train Acc: 0.83`),
    ...Array.from({ length: 8 }, (_, i) => `${i * 10} ${(0.94 - 0.01 * i).toFixed(4)}`),
  ]);
  assert.equal(named.metrics.loss, 0.434);
});

test('numeric fields: a unit glued on a number (`6s`) keys nothing after it', () => {
  assert.deepEqual(
    numericFieldsOf('[5m 6s (1500 75%) 1.6769]').map((f) => f.key),
    [null, null],
  );
});

test('a mark a loop appends where something improved (` *`) makes no other template: the rows without it are training rows too', () => {
  const rows = Array.from({ length: 12 }, (_, i) => {
    const line = `Iter: ${String(i * 100).padStart(6)}, Train Loss: ${(1 / (i + 1)).toFixed(3)}, Val Loss: 0.3, Val Acc: 90.00%, Time: 0:00:${10 + i}`;
    return i < 8 ? `${line} *` : line;
  });
  assert.deepEqual([track(rows).step, track(rows).metrics.loss], [1100, 0.083]);
});

test("pasted line numbers: a table's counted first column whose rows differ in one word (`yes`/`no`) is the table's, not a paste's numbering", () => {
  const header = ['  Epoch |  Duration(s) |   Train loss |     Dev loss |  Best', '-'.repeat(40)];
  const rows = Array.from(
    { length: 10 },
    (_, i) =>
      `${String(i).padStart(7)} |       2244.5 |       ${(9 - i * 0.5).toFixed(4)} |       8.2373 |   ${i % 3 === 2 ? 'no' : 'yes'}`,
  );
  const snapshot = track([...header, ...rows]);
  assert.deepEqual([snapshot.epoch, snapshot.metrics.loss], [9, 4.5]);
  // A paste numbered line by line, its lines of different kinds, is still stripped.
  const numbers = new PastedLineNumbers();
  for (const [i, line] of ['Epoch 1', 'step 10 loss 0.5', 'step 20 loss 0.4'].entries()) numbers.strip(`${i + 1}: ${line}`);
  assert.equal(numbers.recognised, true);
});

test('pasted line numbers: a counter before the same key and value on every line, free text after them, is the job’s own count', () => {
  const predictions = ['uuuuuuuuuuuuuuu', 'yy you y    you', 'yy yoo       ou', 'yy  ou      uou', 'if you want you'];
  const lines = predictions.map((p, i) => `${i} loss: ${(2.35 - 0.4 * i).toFixed(5)} Prediction: ${p}`);
  assert.deepEqual([track(lines).step, track(lines).metrics.loss], [4, 0.75]);
});

test('a loss "at" a bare count (`train loss at 900: 0.61`) is the step and the loss, with the test loss beside it on the line', () => {
  const lines = Array.from(
    { length: 6 },
    (_, i) => `train loss at ${i * 100}: ${(2.3 - 0.3 * i).toFixed(4)}. Test loss: ${(2.3 - 0.2 * i).toFixed(4)}`,
  );
  const snapshot = track(lines);
  assert.deepEqual([snapshot.step, snapshot.metrics.loss], [500, 0.8]);
});

test("a bar whose description shows the last evaluation after training's own loss (pykan's `train loss: … | test loss: …`) is the training bar", () => {
  const lines = [440, 441, 442].map(
    (i) => `train loss: 5.1${i % 10}e-01 | test loss: 5.27e-01 | reg: 1.47e+01 :  44%|████▍     | ${i}/1000 [04:21<03:38,  2.55it/s]`,
  );
  const snapshot = track(lines);
  assert.deepEqual([snapshot.step, snapshot.total, snapshot.metrics.loss], [442, 1000, 0.512]);
  // A bar described as the test's alone is still evaluation.
  assert.equal(track(['test loss: 0.52 :  44%|████▍     | 44/100 [00:21<00:38,  2.55it/s]']).step, null);
});

test('a count opening the line after `#` (`#50, Train loss: 0.0068`) is the count; one after a best-so-far report is the past', () => {
  const counted = [48, 49, 50].map((i) => `#${i}, Train loss: 0.00${i}`);
  assert.equal(track(counted).step, 50);
  const best = [];
  for (const epoch of [52, 56])
    best.push(`Epoch: 0${epoch}/100 cost: 0.0362`, ` TRAIN ACCURACY: 0.99`, `BEST EPOCH UPDATED!! [${epoch - 1}]`);
  assert.equal(track(best).step, 56);
});

test("a printed table's rows of bare integers (pandas' index and cells) count rows, not steps; Chainer's progress line still counts", () => {
  const lines = ['(Epoch 5) TRAIN LOSS:0.0624 LR:0.00000300: 100%|██████████| 344/344 [01:42<00:00,  3.35it/s]', '     index     label'];
  for (let i = 492; i < 500; i += 1) lines.push(`${i}        ${i}  negative`);
  lines.push('[500 rows x 2 columns]');
  assert.deepEqual([track(lines).step, track(lines).total], [344, 344]);
});

test("an outer bar described by the word epoch alone (`Epoch: 100% 3/3`, above the steps' `Iteration:` bar) counts epochs", () => {
  const lines = [
    'Iteration:  99% 1858/1859 [07:22<00:00,  4.54it/s]',
    'Iteration: 100% 1859/1859 [07:22<00:00,  4.20it/s]',
    'Epoch: 100% 3/3 [21:49<00:00, 436.47s/it]',
  ];
  const snapshot = track(lines);
  assert.deepEqual([snapshot.step, snapshot.total, snapshot.epoch], [1859, 1859, 3]);
});
