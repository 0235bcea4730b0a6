/**
 * Progress read the way a person reads it, on shapes from trainers nobody listed: an evaluation
 * announced behind a logger's header, or said by its own result line, owns what follows it until
 * training is announced again; a counter the line calls global is the run's; numbers in a file's
 * path count nothing; progressbar2's bar; BasicSR's `l_` losses.
 */

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ProgressTracker } from '../../../src/core/progress/progress-tracker.ts';

const track = (lines: string[]) => {
  const tracker = new ProgressTracker();
  tracker.pushText(`${lines.join('\n')}\n`, 0);
  tracker.flush(0);
  const { step, total, epoch, metrics } = tracker.snapshot();
  return { step, total, epoch, loss: metrics.loss ?? null };
};

test('an evaluation announced after a logger header (time, level, file, line, pid): its summary is not training', () => {
  const header = (t: string, line: number) => `[2025-03-02 10:${t},100  INFO  main.py  line ${line}  31337]  `;
  const progress = track([
    `${header('01:00', 88)}epoch: 41/300, train loss: 0.5120,  time: 61.2s`,
    `${header('02:01', 88)}epoch: 42/300, train loss: 0.4987,  time: 60.9s`,
    `${header('02:02', 97)}======== Evaluating ========`,
    `${header('02:40', 201)}epoch: 42/300, total loss: 0.7731, seg loss: 0.3310,  time: 38.1s`,
  ]);
  assert.deepEqual(progress, { step: 42, total: 300, epoch: 42, loss: 0.4987 });
});

test("progressbar2's bar; a validation's result line keeps its bar out of training, until training is announced again", () => {
  const bar = (n: number, m: number) => `100% (${n} of ${m}) |${'#'.repeat(40)}| Elapsed Time: 0:10:02 Time:  0:10:02`;
  const lines = [
    'I Training of Epoch 0 - loss: 301.52',
    bar(250, 250),
    'I Validating epoch 0...',
    'I Validation of Epoch 0 - loss: 280.10',
    bar(40, 40),
    'I Training epoch 1...',
    'I Training of Epoch 1 - loss: 290.07',
    bar(250, 250),
    'I Validating epoch 1...',
    'I Validation of Epoch 1 - loss: 277.35',
    bar(40, 40),
  ];
  assert.deepEqual(track(lines), { step: 250, total: 250, epoch: 1, loss: 290.07 });
  assert.deepEqual(track([...lines.slice(0, 2), '67% (167 of 250) |####      | Elapsed Time: 0:06:41 ETA:   0:03:21']).step, 167);
});

test('several counters on a line: the one it calls global', () => {
  const line = (inner: number, global: number, loss: number) =>
    `train | epochs 0/10 | inner iter: ${inner}/ 8 | ppo epoch: 2/ 4 | global iter: ${global}/ 5000 | tot_loss: ${loss} | lr: 3.0e-07`;
  assert.deepEqual(track([line(6, 12, 2.5), line(7, 13, 2.25), line(1, 14, 2.1)]).step, 14);
  assert.deepEqual(track([line(6, 12, 2.5), line(7, 13, 2.25), line(1, 14, 2.1)]).total, 5000);
});

test("numbers in a file's path count nothing (`./runs/2025-03-02_10-24-32/000000116.pth` is no 32/116)", () => {
  const progress = track([
    'epoch: 115/520, train loss: -0.2176',
    'Saving ./runs/2025-03-02_10-24-32/000000115.pth',
    'epoch: 116/520, train loss: -0.2016',
    'Saving ./runs/2025-03-02_10-24-32/000000116.pth',
  ]);
  assert.deepEqual([progress.step, progress.total], [116, 520]);
  assert.equal(track(['step 1 train/loss=0.91', 'step 2 train/loss=0.87']).loss, 0.87, 'a key with a slash still keys its value');
});

test("BasicSR's losses: `l_pix` alone is the loss; a GAN's several `l_` parts name none", () => {
  const line = (iter: string, losses: string) =>
    `2025-01-02 10:49:57,047 INFO: [train..][epoch: 49, iter:   ${iter}, lr:(2.010e-04,)] [eta: 6:20:42, time (data): 0.142 (0.001)] ${losses}`;
  assert.deepEqual(track([line('2,500', 'l_pix: 9.9015e-02'), line('3,000', 'l_pix: 9.5804e-02')]), {
    step: 3000,
    total: null,
    epoch: 49,
    loss: 0.095804,
  });
  assert.equal(track([line('3,000', 'l_g_pix: 1.2e-02 l_g_percep: 3.1e+00 l_g_gan: 4.0e-03 l_d_real: 0.69 l_d_fake: 0.70')]).loss, null);
});

test('a key indexed by its step (`train_batch_loss[ 6580 ]:  1.97`): the index is the step, the value after the colon the loss', () => {
  const lines = [
    'train_batch_loss[ 6560 ]:  1.500727891921997',
    'train_batch_loss[ 6570 ]:  1.6885172128677368',
    'train_batch_loss[ 6580 ]:  1.9712326526641846',
  ];
  assert.deepEqual(track(lines), { step: 6580, total: null, epoch: null, loss: 1.9712326526641846 });
  assert.equal(String(track([...lines, 'train_batch_loss[ 6590 ]:  nan']).loss).toLowerCase(), 'nan', 'a NaN loss is seen, not its step');
  // MXNet's `Epoch[3] Batch [100]`: bracketed counts with no value after them keep their keys.
  const mxnet = (batch: number) => `Epoch[3] Batch [${batch}]\tSpeed: 512.33 samples/sec\taccuracy=0.61`;
  assert.deepEqual([track([mxnet(100), mxnet(200)]).step, track([mxnet(100), mxnet(200)]).epoch], [200, 3]);
});

test('an epoch with its total, then the count within it in parentheses (`Epoch:[0/19](1800/24681)`): the count is the step', () => {
  const line = (n: number, loss: string) => `Epoch:[0/19](${n}/24681) loss:${loss} lr:0.00019999 epoch_Time:87.0min:`;
  assert.deepEqual(track([line(1700, '2.733'), line(1800, '2.589')]), { step: 1800, total: 24681, epoch: 0, loss: 2.589 });
});

test("a traceback glued to the last bar (the crash came before its newline): the bar's count and loss still count", () => {
  const bar = (n: number, loss: string) => `${String(n).padStart(3)}/130 [==>...........................] - ETA: 27s - loss: ${loss}`;
  const snapshot = track([
    bar(13, '0.0260'),
    `${bar(14, '0.0254')}Traceback (most recent call last):`,
    '  File "run.py", line 9, in <module>',
  ]);
  assert.deepEqual([snapshot.step, snapshot.loss], [14, 0.0254]);
});

test('a reward, an accuracy or a win rate on the training side (`train_reward` beside `test_reward`) is no training loss', () => {
  const snapshot = track([
    'epoch: 100',
    'train_reward 4.48 train_win_rate 0.0 test_reward 2.98 test_win_rate 0.0',
    'epoch: 200',
    'train_reward 4.06 train_win_rate 0.0 test_reward 4.38 test_win_rate 0.0',
  ]);
  assert.equal(snapshot.loss, null);
  // The training side of a metric that is an error still is (`train-rmse` beside `valid-rmse`).
  assert.equal(track(['[10]\ttrain-rmse:0.52\tvalid-rmse:0.61', '[11]\ttrain-rmse:0.50\tvalid-rmse:0.60']).loss, 0.5);
});

test("stable-baselines3's older `| total timesteps | 10064 |` (a blank in the key) is the step; rlpyt's `itr #9999` counts iterations", () => {
  const table = [
    '---------------------------------',
    '| time/              |          |',
    '|    total timesteps | 10064    |',
    '|    n_updates       | 9963     |',
    '---------------------------------',
  ];
  assert.equal(track(table).step, 10064);
  assert.equal(
    track(['2022-03-28 02:50:31.487369 | run_0 itr #9998 Optimizing', '2022-03-28 02:51:48.556121 | run_0 itr #9999 saved']).step,
    9999,
  );
});

test('cross-entropy named as a loss (`cross-entropy-loss`) beside an auxiliary loss (`load-balance-loss`) is the objective', () => {
  const line = (n: number, ce: string) =>
    `2026-04-01 14:08:30 | INFO | step ${String(n).padStart(8, '0')}/00000015 | cross-entropy-loss ${ce} | load-balance-loss 0.001816 | learning-rate 1.0e-06`;
  assert.deepEqual(((s) => [s.step, s.total, s.loss])(track([line(4, '2.6988'), line(5, '2.6154')])), [5, 15, 2.6154]);
  // Two losses each named by what it measures, neither the objective's formula, still name none (a GAN's).
  assert.equal(track(['step 1 | g_loss 0.71 | d_loss 0.69', 'step 2 | g_loss 0.70 | d_loss 0.68']).loss, null);
});

test("a count to its stated total (rsl_rl's `Learning iteration 1/10`) is not replaced by a plural's sum below it (`Total steps: 512`)", () => {
  const block = (n: number) => [
    `                            Learning iteration ${n}/10`,
    '',
    `                            Total steps: ${512 * (n + 1)}`,
    '                       Steps per second: 1581',
    '                        Mean value loss: 19.6685',
  ];
  assert.deepEqual([track([...block(0), ...block(1)]).step, track([...block(0), ...block(1)]).total], [1, 10]);
  // Without a count to a total, the plural is still read (stable-baselines3's `total_timesteps` style).
  assert.equal(track(['Total steps: 512', 'Total steps: 1024']).step, 1024);
});

test('a loss word whose value is a duration (`Cost=227 sec`) is a time, not the loss', () => {
  const lines = [
    'Epoch[020] Batch[449/478] Speed: 546.09 samples/sec, Loss:(pitch, yaw, roll)/(18.653, 5.638, 16.306)',
    'Epoch[020] train: MAE:(pitch, yaw, roll, mean)/(3.405, 2.237, 2.811, 2.818), Cost=227 sec, lr=0.004752',
  ];
  assert.notEqual(track(lines).loss, 227);
  assert.equal(track(['step 5 cost=0.52', 'step 6 cost=0.47']).loss, 0.47);
});

test("RL's count of the policy's steps (sheeprl's `policy_step=1024`) is the step, as `env_step` is", () => {
  assert.equal(track(['Rank-0: policy_step=996, reward_env_1=1.22', 'Rank-0: policy_step=1024, reward_env_0=-1.65']).step, 1024);
});

test("a line that names its loss as the training's (`Train Loss: 0.0001`) is training's, though a `Validating` bar came before it", () => {
  const epoch = (n: number, loss: string) => [
    `Epoch ${n} of 20`,
    'Training',
    '69it [01:18,  1.13s/it]',
    'Validating',
    '8it [00:08,  1.09s/it]',
    `Train Loss: ${loss}, Train Acc: 99.44`,
    'Val Loss: 0.0002, Val Acc: 97.91',
  ];
  assert.equal(track([...epoch(1, '0.0003'), ...epoch(2, '0.0001')]).loss, 0.0001);
});

test('the loss with how it was taken before it (`average loss`, `avg_loss`) is the loss itself beside its parts, on its line or on lines of their own', () => {
  const block = (n: number, total: string) => [
    `[proc 0][Train](${n}/40000) average pos_loss: 0.62`,
    `[proc 0][Train](${n}/40000) average neg_loss: 0.67`,
    `[proc 0][Train](${n}/40000) average loss: ${total}`,
    `[proc 0][Train] 1000 steps take 8.641 seconds`,
  ];
  assert.equal(track([...block(1000, '0.9291'), ...block(2000, '0.6513')]).loss, 0.6513);
  assert.equal(
    track(['step 1 | pos_loss 0.2 | neg_loss 0.3 | avg_loss 0.25', 'step 2 | pos_loss 0.1 | neg_loss 0.2 | avg_loss 0.15']).loss,
    0.15,
  );
});

test('a line that loads data (`Loading entities`) is no evaluation: the loss summary after it is still training’s', () => {
  const epoch = (n: number, loss: string) => [
    `2019-06-15 16:20:04  Starting epoch ${n} / 10 edge path 1 / 1`,
    '2019-06-15 16:20:04  Loading entities',
    `2019-06-15 16:25:00  ( 0 , 0 ): loss:  ${loss} , violators_lhs:  10.7083 , count:  483142`,
  ];
  assert.equal(track([...epoch(4, '5.26877'), ...epoch(5, '4.67576')]).loss, 4.67576);
});

test('how far an epoch has gone (`Epoch: 100.0%`) is no epoch number', () => {
  const epoch = (n: number, loss: string) => [`Training epoch ${n}: 0.01 0.002`, `Epoch: 100.0%  lr: 0.008006  loss: ${loss}  eta: 0h19m`];
  const progress = track([...epoch(0, '0.048'), ...epoch(1, '0.045'), ...epoch(2, '0.047')]);
  assert.deepEqual([progress.step, progress.epoch, progress.loss], [2, 2, 0.047]);
});

test("what follows an evaluation's heading within a line (`| Valid: … loss=1.39`) is the evaluation's: training's loss is what came before it, or none", () => {
  const row = (n: number, train: string, valid: string) =>
    `| Epoch ${String(n).padStart(3)}, time=  1.6s | Train: ${train} | Valid: time=  1.7s loss=${valid}, acc= 90.9% | lr=4.5e-02`;
  assert.equal(track([row(1, 'skip eval', '1.52'), row(2, 'skip eval', '1.49'), row(3, 'skip eval', '1.39')]).loss, null);
  assert.equal(track([row(1, 'loss=1.20', '1.52'), row(2, 'loss=1.10', '1.49')]).loss, 1.1);
});

test('the epoch of the best model, loaded after training (`Loaded the best model at epoch 18`), is no training epoch', () => {
  const epoch = (n: number) => [`INFO - start ${n} epoch`, `INFO - epoch: ${n} took 45.00s`, `INFO - Epoch mean loss: 0.30`];
  const progress = track([
    ...epoch(22),
    ...epoch(23),
    'INFO - No improvement over 5 epochs, stop training',
    'INFO - Loaded the best model at epoch 18 for inference',
  ]);
  assert.equal(progress.epoch, 23);
});

test('numbers in Markdown code marks, as a log rewritten into Markdown shows them (`` - epoch `24`, loss `0.672` ``), are read as numbers', () => {
  const line = (n: number, loss: string) => `- epoch \`${n}\`, loss \`${loss}\`, time \`2021-06-25 02:46:28\`  `;
  assert.deepEqual(((p) => [p.step, p.loss])(track([line(22, '0.6866'), line(23, '0.6578'), line(24, '0.6720')])), [24, 0.672]);
});
