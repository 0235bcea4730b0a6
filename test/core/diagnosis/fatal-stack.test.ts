/**
 * A process killed by a fatal signal: its faulthandler dump (written here by hand, in the format
 * of src/core/diagnosis/stack-dump.ts) gives the crash diagnosis its user frame and its process.
 */

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Diagnosis } from '../../../src/core/diagnosis/diagnose.ts';
import { type FaultDump, withFatalStack } from '../../../src/core/diagnosis/fatal-stack.ts';
import type { Frame } from '../../../src/core/diagnosis/traceback.ts';

const TORCH = '/usr/lib/python3/dist-packages/torch';
const HOME = '/home/ada/proj';
const FROM_LOG: Frame = { file: `${HOME}/train.py`, line: 60, function: '<module>' };
const BASE: Diagnosis = {
  category: 'segfault',
  retryable: false,
  summary: 'segmentation fault: killed by SIGSEGV',
  evidence: [],
  where: FROM_LOG,
  process: 'main',
  exception: null,
  confidence: 0.9,
  rule: 'signal',
  fixes: [],
};

const fatal = (what: string, threads: string) => `Fatal Python error: ${what}

${threads}
Extension modules: numpy.core._multiarray_umath, torch._C (total: 2)
`;

const MAIN_IN_FORWARD = `Current thread 0x00007f1e5d7fe740 (most recent call first):
  File "${TORCH}/nn/modules/linear.py", line 114 in forward
  File "${TORCH}/nn/modules/module.py", line 1501 in _call_impl
  File "${HOME}/model.py", line 42 in forward
  File "${TORCH}/nn/modules/module.py", line 1501 in _call_impl
  File "${HOME}/train.py", line 58 in <module>
`;

/** A forked DataLoader worker: its own frames above _worker_loop, its parent's (inherited) below. */
const worker = (own: string) => `Current thread 0x00007f1e5d7fe740 (most recent call first):
${own}  File "${TORCH}/utils/data/_utils/worker.py", line 308 in _worker_loop
  File "/usr/lib/python3.11/multiprocessing/process.py", line 108 in run
  File "/usr/lib/python3.11/multiprocessing/popen_fork.py", line 71 in _launch
  File "${TORCH}/utils/data/dataloader.py", line 1040 in __init__
  File "${HOME}/train.py", line 28 in <module>
`;
const WORKER_IN_GETITEM = worker(`  File "${HOME}/dataset.py", line 13 in __getitem__
  File "${TORCH}/utils/data/_utils/fetch.py", line 51 in <listcomp>
  File "${TORCH}/utils/data/_utils/fetch.py", line 51 in fetch
`);
const WORKER_IN_COLLATE = worker(`  File "${TORCH}/utils/data/_utils/collate.py", line 160 in collate
  File "${TORCH}/utils/data/_utils/fetch.py", line 54 in fetch
`);

// The faulting thread is "Current thread"; another thread is listed first, in user code too.
const TWO_THREADS = `Thread 0x00007f1e4a3ff640 (most recent call first):
  File "${HOME}/prefetch.py", line 9 in fill
  File "/usr/lib/python3.11/threading.py", line 975 in run
  File "/usr/lib/python3.11/threading.py", line 995 in _bootstrap

Current thread 0x00007f1e5d7fe740 (most recent call first):
  File "${HOME}/native.py", line 21 in call_into_c
  File "${HOME}/train.py", line 58 in <module>
`;

// A stack the watchdog asked for: no fatal error, not what killed the process.
const REQUESTED = `Current thread 0x00007f1e5d7fe740 (most recent call first):
  File "${HOME}/train.py", line 40 in wait
  File "${HOME}/train.py", line 58 in <module>
`;

type Case = {
  name: string;
  dumps: FaultDump[];
  base?: Partial<Diagnosis>;
  /** `file:line function` of the blamed frame (file by its basename); what the summary gains. */
  where: string | null;
  process: string | null;
  added: string;
  stack: { process: string; pid: number } | null;
};

const CASES: Case[] = [
  {
    name: 'a segfault in native code: the user frame that called into it',
    dumps: [{ pid: 300, process: 'main', text: fatal('Segmentation fault', MAIN_IN_FORWARD) }],
    where: 'model.py:42 forward',
    process: 'main',
    added: ` (segmentation fault at ${HOME}/model.py:42 in forward)`,
    stack: { process: 'main', pid: 300 },
  },
  {
    name: "a forked worker not yet named: named by its pid, blamed on its own frame, not its parent's",
    dumps: [{ pid: 4242, process: null, text: fatal('Segmentation fault', WORKER_IN_GETITEM) }],
    where: 'dataset.py:13 __getitem__',
    process: 'DataLoader worker (pid 4242)',
    added: ` (segmentation fault at ${HOME}/dataset.py:13 in __getitem__)`,
    stack: { process: 'DataLoader worker (pid 4242)', pid: 4242 },
  },
  {
    name: 'a worker that told its id keeps its name',
    dumps: [{ pid: 4242, process: 'DataLoader worker 0', text: fatal('Segmentation fault', WORKER_IN_GETITEM) }],
    where: 'dataset.py:13 __getitem__',
    process: 'DataLoader worker 0',
    added: ` (segmentation fault at ${HOME}/dataset.py:13 in __getitem__)`,
    stack: { process: 'DataLoader worker 0', pid: 4242 },
  },
  {
    name: "a worker crashing in library code: the log's frame stays, the inherited <module> is not blamed",
    dumps: [{ pid: 4243, process: null, text: fatal('Segmentation fault', WORKER_IN_COLLATE) }],
    where: 'train.py:60 <module>',
    process: 'DataLoader worker (pid 4243)',
    added: '',
    stack: { process: 'DataLoader worker (pid 4243)', pid: 4243 },
  },
  {
    name: 'a bus error in a named rank',
    dumps: [{ pid: 301, process: 'rank 1', text: fatal('Bus error', MAIN_IN_FORWARD) }],
    where: 'model.py:42 forward',
    process: 'rank 1',
    added: ` (bus error at ${HOME}/model.py:42 in forward)`,
    stack: { process: 'rank 1', pid: 301 },
  },
  {
    name: 'an abort: the current thread, not the first one listed',
    dumps: [{ pid: 300, process: 'main', text: fatal('Aborted', TWO_THREADS) }],
    where: 'native.py:21 call_into_c',
    process: 'main',
    added: ` (aborted at ${HOME}/native.py:21 in call_into_c)`,
    stack: { process: 'main', pid: 300 },
  },
  {
    name: 'a floating point exception in a process nobody named: the log keeps its process',
    dumps: [{ pid: 302, process: null, text: fatal('Floating point exception', MAIN_IN_FORWARD) }],
    base: { process: null },
    where: 'model.py:42 forward',
    process: null,
    added: ` (floating point exception at ${HOME}/model.py:42 in forward)`,
    stack: { process: 'pid 302', pid: 302 },
  },
  {
    name: 'among several dumps, the one with the fatal error',
    dumps: [
      { pid: 300, process: 'main', text: REQUESTED },
      { pid: 303, process: 'DataLoader worker 1', text: fatal('Illegal instruction', WORKER_IN_GETITEM) },
    ],
    where: 'dataset.py:13 __getitem__',
    process: 'DataLoader worker 1',
    added: ` (illegal instruction at ${HOME}/dataset.py:13 in __getitem__)`,
    stack: { process: 'DataLoader worker 1', pid: 303 },
  },
  {
    name: 'no fatal error in any dump: unchanged',
    dumps: [{ pid: 300, process: 'main', text: REQUESTED }],
    where: 'train.py:60 <module>',
    process: 'main',
    added: '',
    stack: null,
  },
  {
    name: 'a dump cut off after its header: unchanged',
    dumps: [{ pid: 300, process: 'main', text: 'Fatal Python error: Segmentation fault\n\n' }],
    where: 'train.py:60 <module>',
    process: 'main',
    added: '',
    stack: null,
  },
];

const show = (frame: Frame | null) => frame && `${frame.file.slice(frame.file.lastIndexOf('/') + 1)}:${frame.line} ${frame.function}`;

for (const c of CASES) {
  test(`fatal stack: ${c.name}`, () => {
    const base = { ...BASE, ...c.base };
    const diagnosis = withFatalStack(base, c.dumps);
    const dump = c.stack && c.dumps.find((d) => d.pid === c.stack?.pid);
    assert.deepEqual(
      { where: show(diagnosis.where), process: diagnosis.process, summary: diagnosis.summary, stacks: diagnosis.stacks },
      {
        where: c.where,
        process: c.process,
        summary: base.summary + c.added,
        stacks: c.stack && dump ? [{ ...c.stack, text: dump.text }] : undefined,
      },
    );
    assert.equal(diagnosis.category, base.category, 'the category is the log diagnosis');
  });
}
