/**
 * Tables whose header names the columns, on synthetic output: the header maps later rows'
 * positions to step, epoch and loss (table-header.ts), directly and through the tracker.
 */

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ProgressTracker } from '../../../src/core/progress/progress-tracker.ts';
import { TableHeaders } from '../../../src/core/progress/table-header.ts';

const track = (lines: string[]) => {
  const tracker = new ProgressTracker();
  tracker.pushText(lines.join('\n') + '\n', 0);
  return tracker.snapshot();
};

test('markdown table: the Iteration column is the step, the Loss column the loss', () => {
  const tables = new TableHeaders();
  assert.equal(tables.read('| Iteration | Loss | LR |'), null);
  assert.equal(tables.read('|-----------|------|----|'), null);
  assert.deepEqual(tables.read('| 120 | 0.731 | 3e-4 |'), { step: 120, stepRank: 2, loss: 0.731, lossRank: 0, metrics: { Loss: 0.731 } });
});

test('whitespace-aligned table: Epoch, Step and the loss column, rows between other log lines', () => {
  const snapshot = track([
    'Epoch   Step    Loss     Acc',
    '0       50      2.1034   0.31',
    'saving a checkpoint',
    '0       100     1.8876   0.42',
    '1       150     1.5012   0.55',
  ]);
  assert.equal(snapshot.step, 150);
  assert.equal(snapshot.epoch, 1);
  assert.equal(snapshot.metrics.loss, 1.5012);
});

test('status table with text cells (trial name, state): the iteration column is the step, the reward kept', () => {
  const snapshot = track([
    '| Trial name        | status   | iter | total time (s) | episode_reward_mean |',
    '|-------------------+----------+------+----------------+---------------------|',
    '| Learner_cart_0a1b | RUNNING  |    3 |          41.20 |               22.50 |',
    '| Learner_cart_0a1b | RUNNING  |    4 |          55.90 |               31.75 |',
  ]);
  assert.equal(snapshot.step, 4);
  assert.equal(snapshot.metrics.episode_reward_mean, 31.75);
});

test('a sentence naming a step is no header, and does not replace the table one', () => {
  const tables = new TableHeaders();
  assert.equal(tables.read('waiting for the next step of the pipeline'), null);
  assert.equal(tables.read('7 8 9 10 11 12 13'), null);
  tables.read('iter   loss   grad_norm');
  tables.read('resuming from step of the last checkpoint');
  assert.equal(tables.read('30   0.25   1.5')?.step, 30);
  // A row of another width is no row of this table.
  assert.equal(tables.read('30   0.25'), null);
});

test('key-value boxes (one `| key | value |` a line) still read as before: total_timesteps is the step, loss the loss', () => {
  const snapshot = track([
    '------------------------------------',
    '| rollout/           |             |',
    '|    ep_rew_mean     | 41.3        |',
    '| time/              |             |',
    '|    total_timesteps | 8192        |',
    '| train/             |             |',
    '|    loss            | 0.0734      |',
    '------------------------------------',
  ]);
  assert.equal(snapshot.step, 8192);
  assert.equal(snapshot.metrics.loss, 0.0734);
});

test("a header whose names hold spaces, columns two blanks apart (scikit-learn's `Iter  Train Loss  Estimated Time`); durations in cells", () => {
  const tables = new TableHeaders();
  assert.equal(tables.read('      Iter       Train Loss   Estimated Time '), null);
  assert.deepEqual(tables.read('        90           0.8691           53.82s'), {
    step: 90,
    stepRank: 2,
    metrics: { 'Train Loss': 0.8691 },
    loss: 0.8691,
    lossRank: 1,
  });
});

test('a metrics CSV (header of names, rows of numbers and a date): global_step is the step, train/loss_step the loss', () => {
  const snapshot = track([
    'train/loss_simple_step,train/loss_step,global_step,epoch,created_at',
    '0.2514,0.2514,49.0,0,2026-01-07 06:02:10.484610',
    '0.1471,0.1471,99.0,0,2026-01-07 06:09:01.771131',
  ]);
  assert.equal(snapshot.step, 99);
  assert.equal(snapshot.epoch, 0);
  assert.equal(snapshot.metrics.loss, 0.1471);
});

test('a tab-separated log file with a header: Epoch-Num is the epoch, Train-Loss the loss, Valid-Loss not', () => {
  const snapshot = track([
    'Epoch-Num\tLearning-Rate\tTrain-Loss\tTrain-acc\tValid-Loss\tValid-acc\t',
    '0.000000\t0.010000\t2.770000\t12.631000\t2.568000\t16.759000\t',
    '1.000000\t0.009998\t2.521000\t19.828000\t2.433000\t25.330000\t',
  ]);
  assert.equal(snapshot.epoch, 1);
  assert.equal(snapshot.metrics.loss, 2.521);
});

test('a CSV log whose writer puts a blank after some commas (`4, 1.25, 3.49,71.0`): its rows are still read by the header', () => {
  const snapshot = track(['epoch,loss,ppl,accuracy', '3, 1.5012, 4.48668,60.1', '4, 1.2533, 3.50190,71.0']);
  assert.equal(snapshot.epoch, 4);
  assert.equal(snapshot.metrics.loss, 1.2533);
});

test('a CSV header whose names hold digits (`f1_score`, `top5_acc`) still names its columns: the loss is found after them', () => {
  const snapshot = track(['epoch,acc,f1_score,top5_acc,loss,val_loss', '0,0.61,0.40,0.92,0.7312,0.81', '1,0.66,0.45,0.95,0.6120,0.77']);
  assert.equal(snapshot.epoch, 1);
  assert.equal(snapshot.metrics.loss, 0.612);
  // A row of names and numbers is still no header.
  const tables = new TableHeaders();
  assert.equal(tables.read('resnet50,0.91,0.88'), null);
  assert.equal(tables.read('2,0.5,0.4'), null);
});

test('a tab-separated log whose header names hold digits (`prec1`, `prec5`): the in-epoch batch is the step, the loss its column', () => {
  const snapshot = track([
    'epoch\tbatch\titer\tloss\tprec1\tprec5\tlr',
    '7\t11\t3051\t2.41\t40.2\t66.1\t0.001',
    '7\t12\t3052\t2.37\t41.0\t67.3\t0.001',
  ]);
  assert.deepEqual([snapshot.step, snapshot.epoch, snapshot.metrics.loss], [12, 7, 2.37]);
});

test("a table drawn in box-drawing lines (rich's `┃ Epoch ┃ Step ┃ Loss ┃` over `│ 1 │ 200 │ 0.48 │`) is read as a piped one", () => {
  const snapshot = track([
    '┏━━━━━━━┳━━━━━━┳━━━━━━━━━━┓',
    '┃ Epoch ┃ Step ┃ Loss     ┃',
    '┡━━━━━━━╇━━━━━━╇━━━━━━━━━━┩',
    '│ 1     │ 100  │ 0.52     │',
    '│ 1     │ 200  │ 0.48     │',
  ]);
  assert.deepEqual([snapshot.step, snapshot.epoch, snapshot.metrics.loss], [200, 1, 0.48]);
});

test('a sentence with commas is no CSV header', () => {
  const tables = new TableHeaders();
  assert.equal(tables.read('Saving model, optimizer, scheduler'), null);
  assert.equal(tables.read('1,2,3'), null);
});

test('a tab-separated log with no counter column: each row still gives the loss its header names', () => {
  const snapshot = track(['Learning Rate\tTrain Loss\tAux Loss\t', '0.000200\t-0.002401\t0.366\t', '0.000200\t-0.001929\t0.378']);
  assert.equal(snapshot.metrics.loss, -0.001929);
});

test("a column naming each row's pass (`train` True/False, `phase`): evaluation rows never give the training loss", () => {
  const tracker = new ProgressTracker();
  const table = ['accuracy | loss | epoch | train | time', '-- | -- | -- | -- | --'];
  table.push(
    '0.81 | 0.72 | 0 | True | 00:21',
    '0.85 | 0.55 | 0 | False | 00:01',
    '0.89 | 0.39 | 1 | True | 00:21',
    '0.86 | 0.46 | 1 | False | 00:01',
  );
  tracker.pushText(`${table.join('\n')}\n`, 1000);
  assert.equal(tracker.progress.metrics.loss, 0.39);
  assert.equal(tracker.progress.epoch, 1);
  const phased = new ProgressTracker();
  phased.pushText('epoch\tphase\tloss\n3\ttrain\t0.5\n3\tvalid\t0.7\n', 1000);
  assert.equal(phased.progress.metrics.loss, 0.5);
});

test("a table printed through a logger (each line's timestamp and level are no cells); counts with their totals in cells (`28/29`, `160/165`); a `total` column beside the loss's parts is the loss", () => {
  const row = (time: string, epoch: number, batch: number, total: string) =>
    `2021-01-26 ${time} [INFO]:    ${epoch}/29     ${batch}/165   0.00712   0.00651      4.58     ${total}      81.8      6.97`;
  const header = '2021-01-26 02:42:23 [INFO]:    Epoch       Batch       box      conf        id     total  nTargets      time';
  const snapshot = track([header, row('02:42:35', 29, 0, '-13.8'), 'Computing pairwise similarity...', row('03:03:45', 29, 160, '-13.9')]);
  assert.deepEqual([snapshot.step, snapshot.total, snapshot.epoch, snapshot.metrics.loss], [160, 165, 29, -13.9]);
  // A column named total where a loss column is named stays a metric.
  const named = track(['Epoch  Step  loss  total', '1      10    0.52  640', '1      20    0.48  1280']);
  assert.equal(named.metrics.loss, 0.48);
});

test('a delimited file of two columns (`step<TAB>loss`) is a table: its header names them', () => {
  const snapshot = track(['step\tloss', '10\t8.460716', '20\t7.688958']);
  assert.deepEqual([snapshot.step, snapshot.metrics.loss], [20, 7.688958]);
  // Blanks alone need three names: `Saving model` over `12 34` is no table.
  assert.equal(track(['Saving model', '12 34', '13 35']).metrics.loss, undefined);
});

test('a piped table printed through a logger that writes its level before the time (`[ INFO : 2023-01-28 11:12:05,139 ] - |  Epoch|  Batch|`)', () => {
  const at = (time: string) => `[ INFO : 2023-01-28 ${time},139 ] - `;
  const rule = `${at('11:12:05')}+----------+----------+----------+`;
  const snapshot = track([
    rule,
    `${at('11:12:05')}|     Epoch|     Batch|      Loss|`,
    rule,
    `${at('11:13:46')}Reducer buckets have been rebuilt in this iteration.`,
    `${at('11:13:46')}|         1|       100|     8.835|`,
    `${at('11:14:28')}|         1|       200|    8.8919|`,
  ]);
  assert.deepEqual([snapshot.step, snapshot.epoch, snapshot.metrics.loss], [200, 1, 8.8919]);
});

test("a bracketed tag before each line of a table (xLearn's `[------------]` header over `[   1%   ]` rows) is no cell", () => {
  const snapshot = track([
    '[------------] Epoch      Train log_loss       Test log_loss            Test AUC     Time cost (sec)',
    '[    1%      ]     1            0.615199            0.614211            0.632410               19.29',
    '[    2%      ]     2            0.614572            0.613964            0.632814               19.08',
    '[ ACTION     ] Start to save model ...',
  ]);
  assert.deepEqual([snapshot.step, snapshot.epoch, snapshot.metrics.loss], [2, 2, 0.614572]);
});

test("a header commented out for the tools that read the file (DeePMD-kit's ` #  step  rmse_trn …`): its columns map the rows", () => {
  const snapshot = track([
    ' #  step      rmse_trn    rmse_e_trn    rmse_f_trn         lr',
    '      0      2.77e+01      6.40e-01      8.74e-01    1.0e-03',
    '    500      5.81e+00      1.18e-02      1.84e-01    1.0e-03',
  ]);
  // A regression error named with its training side after it (`rmse_trn`) is the objective; `rmse_e_trn` is one part.
  assert.deepEqual([snapshot.step, snapshot.metrics.loss], [500, 5.81]);
});

test("a drawn table of a loss and no counter, its rows labelled by pass (Ludwig's train/vali/test): the training row's loss only", () => {
  const table = (epoch: number, train: string, vali: string) => [
    `Epoch   ${epoch}`,
    `Training: 100% 3/3 [00:10<00:00,  3.48s/it]`,
    '╒══════════╤════════╤════════════╕',
    '│ rating   │   loss │   accuracy │',
    '╞══════════╪════════╪════════════╡',
    `│ train    │ ${train} │     0.7543 │`,
    '├──────────┼────────┼────────────┤',
    `│ vali     │ ${vali} │     0.5833 │`,
    '├──────────┼────────┼────────────┤',
    `│ test     │ ${vali} │     0.7264 │`,
    '╘══════════╧════════╧════════════╛',
  ];
  assert.equal(track([...table(4, '1.1529', '1.2190'), ...table(5, '1.0847', '1.6780')]).metrics.loss, 1.0847);
  // Without pass labels such a table's rows say nothing (a summary of models, of datasets).
  const tables = new TableHeaders();
  tables.read('| model | loss | params |');
  assert.equal(tables.read('| resnet50 | 0.912 | 25.6 |'), null);
});
