/** A run that printed NaN/Inf metrics and then stopped without an exception is `nan_loss`. */

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { diagnoseText } from '../../../src/core/diagnosis/diagnose.ts';

test('metrics turned NaN at the end, no exception → nan_loss, with the line as evidence', () => {
  const log = [
    'step 1 | loss 2.31 | lr 1e-4',
    'step 2 | loss 1.98 | lr 1e-4',
    'step 3 | loss nan | lr 1e-4',
    'step 4 | loss nan | lr 1e-4',
  ];
  const d = diagnoseText(`${log.join('\n')}\n`);
  assert.equal(d.category, 'nan_loss');
  assert.equal(d.rule, 'non-finite-metrics');
  assert.deepEqual(
    d.evidence.map((e) => e.line),
    [4],
  );
});

test('an infinite loss in a log dict counts too', () => {
  assert.equal(diagnoseText("{'loss': 0.5, 'epoch': 1.0}\n{'loss': inf, 'epoch': 1.1}\n").category, 'nan_loss');
});

test("NaN and Inf as a float formatter may print them (`train_loss=nan.0`, Lightning's bar) count too", () => {
  const bar = (n: number, loss: string) => `Epoch 0:   0%|          | ${n}/4282 [00:00<05:30, 12.94it/s, v_num=0, train_loss=${loss}]`;
  assert.equal(diagnoseText(`${[bar(1, '2.31'), bar(2, 'inf.0'), bar(3, 'nan.0')].join('\n')}\n`).category, 'nan_loss');
});

test('INFO lines and finite metrics are not NaN evidence', () => {
  const d = diagnoseText('NCCL INFO Channel 00/02\nstep 3 | loss 0.41\nfinal inference done\n');
  assert.equal(d.category, 'other');
  assert.equal(d.rule, null);
});

test('an exception outranks NaN metrics printed long before it, and any exception whose words name a cause', () => {
  const later = Array.from({ length: 30 }, (_, n) => `evaluating sample ${n}`);
  const traceback = 'Traceback (most recent call last):\n  File "t.py", line 1, in <module>\n';
  const d = diagnoseText(['step 3 | loss nan', ...later, `${traceback}ZeroDivisionError: division by zero`].join('\n'));
  assert.equal(d.category, 'other');
  assert.equal(d.exception?.type, 'ZeroDivisionError');
  const named = diagnoseText(`step 3 | loss nan\n${traceback}FileNotFoundError: [Errno 2] No such file or directory: 'x.pt'\n`);
  assert.equal(named.category, 'file_not_found');
});

test('NaN metrics just before an exception nothing explains are its cause (`loss - nan`, then a search over NaN outputs fails)', () => {
  const log = [
    'Game - 104 | data length - 21',
    'kl - nan | lr_multiplier - 2.25 | loss - nan',
    '',
    'Traceback (most recent call last):',
    '  File "train.py", line 62, in run',
    '    pi, next_node = mc.search(self.board, node, temperature=1)',
    "TypeError: 'NoneType' object is not iterable",
  ];
  const d = diagnoseText(`${log.join('\n')}\n`);
  assert.equal(d.category, 'nan_loss');
  assert.deepEqual(
    d.evidence.map((e) => e.line),
    [2, 7],
  );
});

test('a quantity named by its key in a layout the progress parser does not know: loss_net, grad norm', () => {
  const pipeTable = [
    ' iter 10 | lr: 3.0E-04 | loss scale: 1.0 | grad norm: 1.42 | skipped: 0 |',
    ' iter 11 | lr: 3.0E-04 | loss scale: 1.0 | grad norm: nan | skipped: 0 |',
  ];
  assert.equal(diagnoseText(`${pipeTable.join('\n')}\n`).category, 'nan_loss');
  const timestamped = ['02:29:53: train iter: 0 loss_net: 0.94 seconds: 445.4', '02:31:56: train iter: 100 loss_net: nan seconds: 122.8'];
  assert.equal(diagnoseText(`${timestamped.join('\n')}\n`).category, 'nan_loss');
  // A meter's `value (average)` layout (timm, Swin, DeiT): the running average turned non-finite.
  const meters = [
    'Train: [3/300][500/1000]  lr 0.000100  time 0.41 (0.44)  loss 1.9071 (1.9312)  grad_norm 3.1201 (2.9817)',
    'Train: [3/300][600/1000]  lr 0.000100  time 0.40 (0.44)  loss 1.8860 (1.9290)  grad_norm 2.0043 (nan)',
    'EPOCH 3 training takes 0:07:12',
  ];
  assert.equal(diagnoseText(`${meters.join('\n')}\n`).category, 'nan_loss');
  // PaddlePaddle's loggers pad a value to six characters with `x` (`'{:x<6f}'`): `nanxxx`.
  const padded = [1, 2].map(
    (n) => `[2024/01/01 10:00:0${n}] ppocr INFO: epoch: [1/4], global_step: ${n}0, det_loss: nanxxx, loss: nanxxx, ips: 80.1 samples/s`,
  );
  assert.equal(diagnoseText(`${padded.join('\n')}\n`).category, 'nan_loss');
});

test('"nan" that is not a quantity\'s value is not evidence (number of nan iterations: 0, a nan_to_num call)', () => {
  assert.equal(
    diagnoseText(' iter 11 | loss: 2.1 | number of nan iterations: 0 |\nx = torch.nan_to_num(x)\n', { exitCode: 1 }).category,
    'other',
  );
});

test('a computed scalar printed as a tensor with its gradient turned NaN (`tensor(nan, …, grad_fn=…)`), then a cut traceback → nan_loss', () => {
  const log = [
    "tensor(0.5312, device='cuda:0', grad_fn=<SubBackward0>) 95000",
    "tensor(nan, device='cuda:0', grad_fn=<SubBackward0>) 96000",
    'Traceback (most recent call last):',
    '  File "train.py", line 138, in train',
    '    loss.backward()',
  ];
  const d = diagnoseText(`${log.join('\n')}\n`);
  assert.equal(d.category, 'nan_loss');
  assert.deepEqual(
    d.evidence.map((e) => e.line),
    [2],
  );
  assert.equal(
    diagnoseText('print(tensor(nan)) in a docstring: tensor(nan, dtype=torch.float16)\n', { exitCode: 1 }).category,
    'other',
    'no gradient: not a computed loss',
  );
});

test("a progress bar's postfix is metrics, whatever their names (a GAN's D and G): NaN there counts", () => {
  const bar = (n: number, d: string, g: string) => `Epoch 3/100: 40%|████      | ${n}/500 [01:10<01:45, 2.85it/s, D=${d}, G=${g}, lr=2e-4]`;
  assert.equal(diagnoseText(`${[bar(200, '0.71', '1.93'), bar(201, 'nan', 'nan')].join('\n')}\n`).category, 'nan_loss');
  // Before the rate it is no postfix: a bar's description may say anything.
  assert.notEqual(diagnoseText('ckpt=nan: 40%|████      | 200/500 [01:10<01:45, 2.85it/s]\n').category, 'nan_loss');
});

test('a value said to have turned non-finite, in a warning the job printed before going on', () => {
  const log = [
    'Warning: Moving average ignored a value of nan',
    '[  0]       0 || B: 0.000 | C: 0.000 | T: 2.836 || timer: 1.290',
    'Warning: Moving average ignored a value of inf',
  ];
  const d = diagnoseText(`${log.join('\n')}\n`);
  assert.equal(d.category, 'nan_loss');
  assert.deepEqual(
    d.evidence.map((e) => e.line),
    [3],
  );
  assert.notEqual(diagnoseText('default value of 0.5 for dropout; nan checks off\n', { exitCode: 1 }).category, 'nan_loss');
});

test('a validation loss that is non-finite while training goes on: still the sign of a NaN', () => {
  const log = [
    'Epoch: 0003 train_loss= 1.05605 train_acc= 0.50858 val_loss= nan val_acc= 0.19512',
    'Epoch: 0004 train_loss= 1.01898 train_acc= 0.50136 val_loss= nan val_acc= 0.19512',
  ];
  assert.equal(diagnoseText(`${log.join('\n')}\n`).category, 'nan_loss');
});

test('a loss keyed with its step in brackets (`train_batch_loss[ 6590 ]:  nan`)', () => {
  const log = ['train_batch_loss[ 6580 ]:  1.9712326526641846', 'train_batch_loss[ 6590 ]:  nan', 'train_batch_loss[ 6600 ]:  nan'];
  const d = diagnoseText(`${log.join('\n')}\n`);
  assert.deepEqual([d.category, d.evidence[0]?.line], ['nan_loss', 3]);
});

test('a table row of numbers under a counter whose metric columns turned NaN (no names on the row) → nan_loss; a row with words is no such row', () => {
  const rows = [
    'Step      Train loss              Test loss',
    '19000     [1.2e-03, 4.1e-04]      [1.3e-03, 4.4e-04]',
    '20000     [nan, nan, nan]         [nan, nan, nan]',
  ];
  assert.equal(diagnoseText(`${rows.join('\n')}\n`).category, 'nan_loss');
  const percentRows = [
    '[   60%      ]     6            0.693147            0.693147            0.500000               11.80',
    '[   70%      ]     7                 nan                 nan            0.500000               11.87',
  ];
  assert.equal(diagnoseText(`${percentRows.join('\n')}\n`).category, 'nan_loss');
  // Words besides NaN: a sentence about NaN handling, not a row of metrics.
  assert.notEqual(diagnoseText('12 samples had nan labels and 3 had nan weights, dropped\n').category, 'nan_loss');
});
