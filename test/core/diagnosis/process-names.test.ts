import assert from 'node:assert/strict';
import { test } from 'node:test';
import { exceptionProcess, processName, type PythonProcess, reporterOf } from '../../../src/core/diagnosis/process-names.ts';

const table = (...processes: Partial<PythonProcess>[]) =>
  new Map(
    processes.map((p) => [p.pid as number, { ppid: 1, rank: null, worker: null, name: null, argv0: 'train.py', ...p } as PythonProcess]),
  );

test('process names: main, its DataLoader workers and other children', () => {
  const t = table(
    { pid: 10 },
    { pid: 11, ppid: 10, worker: 0, name: 'Process-1' },
    { pid: 12, ppid: 10, worker: 1 },
    { pid: 13, ppid: 10, argv0: 'prep.py' },
    { pid: 14, ppid: 10, name: 'decoder' },
  );
  assert.equal(processName(10, t), 'main');
  assert.equal(processName(11, t), 'DataLoader worker 0', 'a worker is a multiprocessing.Process too: its worker id wins');
  assert.equal(processName(12, t), 'DataLoader worker 1');
  assert.equal(processName(13, t), 'child 13 (prep.py)');
  assert.equal(processName(14, t), 'decoder (pid 14)');
  assert.equal(processName(99, t), 'pid 99');
});

test('process names: torchrun ranks inherit RANK into their workers and children', () => {
  const t = table(
    { pid: 10, argv0: '-m' },
    { pid: 20, ppid: 10, rank: '0' },
    { pid: 21, ppid: 10, rank: '1' },
    { pid: 30, ppid: 21, rank: '1', worker: 2 },
    { pid: 31, ppid: 21, rank: '1', argv0: 'tokenize.py' },
  );
  assert.equal(processName(10, t), 'main');
  assert.equal(processName(21, t), 'rank 1');
  assert.equal(processName(30, t), 'DataLoader worker 2 of rank 1');
  assert.equal(processName(31, t), 'child 31 (tokenize.py) of rank 1');
});

test('process names: several unrelated Python roots are told apart by program and pid', () => {
  const t = table({ pid: 10, argv0: 'producer.py' }, { pid: 11, argv0: 'consumer.py' });
  assert.equal(processName(11, t), 'consumer.py (pid 11)');
});

test('an exception DataLoader re-raised in the iterating process is blamed on the worker that raised it', () => {
  const t = table({ pid: 10, ppid: 5, rank: '3' }, { pid: 11, ppid: 10, rank: '3', worker: 1 });
  const traceback = 'KeyError: Caught KeyError in DataLoader worker process 1.\nOriginal Traceback (most recent call last):\n';
  assert.equal(exceptionProcess({ pid: 10, traceback }, t), 'DataLoader worker 1 of rank 3');
  assert.equal(exceptionProcess({ pid: 10, traceback: 'ValueError: x' }, t), 'rank 3');
  assert.equal(exceptionProcess({ pid: 11, traceback: 'ValueError: x' }, t), 'DataLoader worker 1 of rank 3');
});

test('the reporter of a logged exception: same type (qualified or not) and first line of the message', () => {
  const reports = [
    { type: 'RuntimeError', message: 'Connection closed by peer', process: 'rank 0' },
    { type: 'OutOfMemoryError', message: 'CUDA out of memory. Tried to allocate 2.00 GiB\nmore detail', process: 'rank 1' },
  ];
  assert.equal(
    reporterOf({ type: 'torch.cuda.OutOfMemoryError', message: 'CUDA out of memory. Tried to allocate 2.00 GiB' }, reports),
    'rank 1',
  );
  assert.equal(reporterOf({ type: 'RuntimeError', message: 'Connection closed by peer' }, reports), 'rank 0');
  assert.equal(reporterOf({ type: 'ValueError', message: 'Connection closed by peer' }, reports), null);
});
