/**
 * A stall after an uncaught exception: the exception is the root cause, the stall what came of it
 * (a main process hung in its exit on a dead worker's queue; a feeding thread that died). The log
 * here is what a real DataLoader printed when the drill killed its worker before the worker's
 * first batch (PyTorch 2.x, Debian's python3-torch), after which main hung garbage-collecting.
 */

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { diagnoseText } from '../../../src/core/diagnosis/diagnose.ts';
import { diagnoseHang } from '../../../src/core/watchdog/hang-diagnosis.ts';
import { stallAfterException } from '../../../src/core/watchdog/stall-after-exception.ts';

const LOG = `resumed from step 80
Traceback (most recent call last):
  File "/usr/lib/python3/dist-packages/torch/utils/data/dataloader.py", line 1120, in _try_get_data
    data = self._data_queue.get(timeout=timeout)
           ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
  File "/usr/lib/python3.11/multiprocessing/queues.py", line 114, in get
    raise Empty
_queue.Empty

The above exception was the direct cause of the following exception:

Traceback (most recent call last):
  File "/home/ada/proj/train.py", line 48, in <module>
    for x, y in loader:
  File "/usr/lib/python3/dist-packages/torch/utils/data/dataloader.py", line 628, in __next__
    data = self._next_data()
           ^^^^^^^^^^^^^^^^^
  File "/usr/lib/python3/dist-packages/torch/utils/data/dataloader.py", line 1133, in _try_get_data
    raise RuntimeError('DataLoader worker (pid(s) {}) exited unexpectedly'.format(pids_str)) from e
RuntimeError: DataLoader worker (pid(s) 15385) exited unexpectedly
`;
const GARBAGE_COLLECTING = `Current thread 0x00007fe9b4af3040 (most recent call first):
  Garbage-collecting
  <no Python frame>
`;
const raised = {
  type: 'RuntimeError',
  message: 'DataLoader worker (pid(s) 15385) exited unexpectedly',
  process: 'DataLoader worker (pid 15385)',
};
const stall = { kind: 'progress' as const, silentForMs: 6300, timeoutMs: 6000, phase: null };
const hangWith = (reported: (typeof raised)[]) =>
  diagnoseHang(stall, [{ process: 'main', pid: 15054, text: GARBAGE_COLLECTING }], {
    step: 80,
    imports: [],
    stopped: [],
    raised: reported,
    now: 0,
  });
const fromLog = diagnoseText(LOG, { reported: [raised] });

test('a stall after an uncaught exception is diagnosed as the exception, the stall told after it', () => {
  const settled = stallAfterException(hangWith([raised]), fromLog);
  assert.equal(settled.category, fromLog.category);
  assert.notEqual(settled.category, 'hang');
  assert.equal(settled.process, fromLog.process);
  assert.match(settled.summary, /DataLoader worker \(pid\(s\) 15385\) exited .*; then no progress for 6\.3s after step 80$/);
  assert.ok(
    settled.evidence.some((e) => /15385/.test(e.text)),
    'the decisive line names the worker',
  );
  assert.equal(settled.stacks?.[0]?.text, GARBAGE_COLLECTING, 'the stacks taken at the stall are kept');
});

test('a stall with no uncaught exception before it stays a hang', () => {
  const hang = hangWith([]);
  assert.equal(stallAfterException(hang, fromLog), hang);
});

test('an exception the log does not show (its output lost) leaves the hang, which names it', () => {
  const hang = hangWith([raised]);
  const settled = stallAfterException(hang, diagnoseText('resumed from step 80\n', {}));
  assert.equal(settled, hang);
  assert.match(
    hang.summary,
    /after DataLoader worker \(pid 15385\) raised RuntimeError: DataLoader worker \(pid\(s\) 15385\) exited unexpectedly/,
  );
});
