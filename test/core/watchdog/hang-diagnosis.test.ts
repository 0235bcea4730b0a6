/**
 * The hang diagnosis from faulthandler dumps written here by hand (the format of
 * src/core/diagnosis/stack-dump.ts): the process stuck in its own code is blamed over those
 * waiting on it, and a start-up stall inside an import names the module and for how long.
 */

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ProcessStack } from '../../../src/core/diagnosis/stack-dump.ts';
import { diagnoseHang, type ImportMarker, type StoppedProcess } from '../../../src/core/watchdog/hang-diagnosis.ts';
import type { Stall } from '../../../src/core/watchdog/stall-clock.ts';

const TORCH = '/usr/lib/python3/dist-packages/torch';
const HOME = '/home/ada/proj';

const MAIN_ON_LOCK = `Current thread 0x00007f3b2c1e8740 (most recent call first):
  File "/usr/lib/python3.11/threading.py", line 327 in wait
  File "${HOME}/train.py", line 15 in wait_for_batch
  File "${HOME}/train.py", line 30 in <module>
`;

// A background thread listed first: the main thread is the one running the script's <module>.
const MAIN_IN_NEXT = `Thread 0x00007f3a1bfff640 (most recent call first):
  File "/usr/lib/python3.11/threading.py", line 324 in wait
  File "${TORCH}/utils/data/_utils/pin_memory.py", line 54 in _pin_memory_loop
  File "/usr/lib/python3.11/threading.py", line 975 in run
  File "/usr/lib/python3.11/threading.py", line 1038 in _bootstrap_inner
  File "/usr/lib/python3.11/threading.py", line 995 in _bootstrap

Current thread 0x00007f3b2c1e8740 (most recent call first):
  File "/usr/lib/python3.11/multiprocessing/connection.py", line 440 in _poll
  File "/usr/lib/python3.11/multiprocessing/queues.py", line 113 in get
  File "${TORCH}/utils/data/dataloader.py", line 1133 in _try_get_data
  File "${TORCH}/utils/data/dataloader.py", line 1294 in _get_data
  File "${TORCH}/utils/data/dataloader.py", line 1332 in _next_data
  File "${TORCH}/utils/data/dataloader.py", line 631 in __next__
  File "${HOME}/train.py", line 31 in <module>
`;

/** A forked worker: its own frames above _worker_loop, its parent's (inherited) below. */
const worker = (own: string) => `Current thread 0x00007f3b2c1e8740 (most recent call first):
${own}  File "${TORCH}/utils/data/_utils/worker.py", line 308 in _worker_loop
  File "/usr/lib/python3.11/multiprocessing/process.py", line 108 in run
  File "/usr/lib/python3.11/multiprocessing/process.py", line 314 in _bootstrap
  File "/usr/lib/python3.11/multiprocessing/popen_fork.py", line 71 in _launch
  File "${TORCH}/utils/data/dataloader.py", line 1040 in __init__
  File "${HOME}/train.py", line 28 in <module>
`;
const WORKER_IDLE = worker(`  File "/usr/lib/python3.11/multiprocessing/queues.py", line 113 in get
`);
const WORKER_IN_GETITEM = worker(`  File "${HOME}/dataset.py", line 42 in __getitem__
  File "${TORCH}/utils/data/_utils/fetch.py", line 52 in <listcomp>
  File "${TORCH}/utils/data/_utils/fetch.py", line 52 in fetch
`);
const WORKER_IN_REQUESTS = worker(`  File "/usr/lib/python3.11/ssl.py", line 1134 in read
  File "${HOME}/venv/lib/python3.11/site-packages/requests/api.py", line 73 in get
  File "${HOME}/dataset.py", line 40 in __getitem__
  File "${TORCH}/utils/data/_utils/fetch.py", line 52 in fetch
`);

const RANK_IN_ALL_REDUCE = `Current thread 0x00007f3b2c1e8740 (most recent call first):
  File "${TORCH}/distributed/distributed_c10d.py", line 2050 in all_reduce
  File "${HOME}/collective.py", line 18 in train_step
  File "${HOME}/collective.py", line 25 in <module>
`;
// torch >= 2.1 decorates the collectives (c10d_logger._exception_logger): a wrapper frame between.
const RANK_IN_WRAPPED_ALL_REDUCE = `Current thread 0x00007f3b2c1e8740 (most recent call first):
  File "${TORCH}/distributed/distributed_c10d.py", line 2050 in all_reduce
  File "${TORCH}/distributed/c10d_logger.py", line 83 in wrapper
  File "${HOME}/collective.py", line 18 in train_step
  File "${HOME}/collective.py", line 25 in <module>
`;
const RANK_IN_LOAD_SHARD = `Current thread 0x00007f3b2c1e8740 (most recent call first):
  File "${HOME}/collective.py", line 12 in load_shard
  File "${HOME}/collective.py", line 17 in train_step
  File "${HOME}/collective.py", line 25 in <module>
`;
const MAIN_IN_QUEUE = `Current thread 0x00007f3b2c1e8740 (most recent call first):
  File "/usr/lib/python3.11/multiprocessing/queues.py", line 113 in get
`;
const MAIN_SLEEPING = `Current thread 0x00007f3b2c1e8740 (most recent call first):
  File "${HOME}/train.py", line 50 in wait_politely
  File "${HOME}/train.py", line 60 in <module>
`;

/** Importing: the innermost <module> frame below importlib is the module being executed. */
const importing = (module: string, line: number) => `Current thread 0x00007f3b2c1e8740 (most recent call first):
  File "${module}", line ${line} in <module>
  File "<frozen importlib._bootstrap>", line 241 in _call_with_frames_removed
  File "<frozen importlib._bootstrap_external>", line 940 in exec_module
  File "<frozen importlib._bootstrap>", line 690 in _load_unlocked
  File "<frozen importlib._bootstrap>", line 1147 in _find_and_load_unlocked
  File "<frozen importlib._bootstrap>", line 1176 in _find_and_load
  File "${HOME}/train.py", line 3 in <module>
`;

const progress = (silentForMs: number, phase: string | null = null): Stall => ({
  kind: 'progress',
  silentForMs,
  timeoutMs: silentForMs,
  phase,
});
const startup = (silentForMs: number): Stall => ({ kind: 'startup', silentForMs, timeoutMs: silentForMs, phase: null });
const stack = (process: string, pid: number, text: string): ProcessStack => ({ process, pid, text });
const NOW = 1_000_000;

type Case = {
  name: string;
  stall: Stall;
  stacks: ProcessStack[];
  step?: number | null;
  imports?: ImportMarker[];
  /** Processes found stopped by a signal (state T): they cannot dump a stack. */
  stopped?: StoppedProcess[];
  /** Blamed process and frame (`file:line function`, file by its basename). */
  process: string | null;
  where: string | null;
  summary: string;
  todo?: string;
};

const CASES: Case[] = [
  {
    name: 'main blocked on a lock from its own function: the user frame, and the library call it waits in',
    stall: progress(2000),
    step: 10,
    stacks: [stack('main', 100, MAIN_ON_LOCK)],
    process: 'main',
    where: 'train.py:15 wait_for_batch',
    summary: 'stalled: no progress for 2.0s after step 10: main waits in wait (threading.py:327) from train.py:15 wait_for_batch',
  },
  {
    name: 'a DataLoader worker asleep in __getitem__ is blamed, not main waiting in __next__ nor the idle worker',
    stall: progress(3000),
    step: 4,
    // workers listed first: main is found by its name, not its place
    stacks: [
      stack('DataLoader worker 0', 101, WORKER_IDLE),
      stack('DataLoader worker 1', 102, WORKER_IN_GETITEM),
      stack('main', 100, MAIN_IN_NEXT),
    ],
    process: 'DataLoader worker 1',
    where: 'dataset.py:42 __getitem__',
    summary:
      'stalled: no progress for 3.0s after step 4: main waits in __next__ (dataloader.py:631) from train.py:31 <module>; DataLoader worker 1 in dataset.py:42 __getitem__',
  },
  {
    name: 'a blocked collective: the rank stuck in its own code, not the one waiting in all_reduce',
    stall: progress(2000),
    step: 10,
    stacks: [stack('rank 0', 200, RANK_IN_ALL_REDUCE), stack('rank 1', 201, RANK_IN_LOAD_SHARD)],
    process: 'rank 1',
    where: 'collective.py:12 load_shard',
    summary:
      'stalled: no progress for 2.0s after step 10: rank 0 waits in all_reduce (distributed_c10d.py:2050) from collective.py:18 train_step; rank 1 in collective.py:12 load_shard',
  },
  {
    name: 'three ranks: the one in its own code is blamed, not another rank waiting in the collective',
    stall: progress(2000),
    step: 10,
    stacks: [stack('rank 0', 200, RANK_IN_ALL_REDUCE), stack('rank 1', 201, RANK_IN_ALL_REDUCE), stack('rank 2', 202, RANK_IN_LOAD_SHARD)],
    process: 'rank 2',
    where: 'collective.py:12 load_shard',
    summary:
      'stalled: no progress for 2.0s after step 10: rank 0 waits in all_reduce (distributed_c10d.py:2050) from collective.py:18 train_step; rank 1 waits in all_reduce (distributed_c10d.py:2050) from collective.py:18 train_step; rank 2 in collective.py:12 load_shard',
  },
  {
    name: 'a blocked collective on torch >= 2.1: the collective is named, not the decorator around it',
    todo: 'diagnoseHang names the library frame user code called, here c10d_logger.wrapper',
    stall: progress(2000),
    step: 10,
    stacks: [stack('rank 0', 200, RANK_IN_WRAPPED_ALL_REDUCE), stack('rank 1', 201, RANK_IN_LOAD_SHARD)],
    process: 'rank 1',
    where: 'collective.py:12 load_shard',
    summary:
      'stalled: no progress for 2.0s after step 10: rank 0 waits in all_reduce (distributed_c10d.py:2050) from collective.py:18 train_step; rank 1 in collective.py:12 load_shard',
  },
  {
    name: 'main and a worker both in their own code: the helper, which main usually waits on',
    stall: progress(2000),
    step: null,
    stacks: [stack('main', 100, MAIN_SLEEPING), stack('DataLoader worker 1', 102, WORKER_IN_GETITEM)],
    process: 'DataLoader worker 1',
    where: 'dataset.py:42 __getitem__',
    summary: 'stalled: no progress for 2.0s: main in train.py:50 wait_politely; DataLoader worker 1 in dataset.py:42 __getitem__',
  },
  {
    name: 'nobody in their own code: the helper whose user code waits (a download in __getitem__) over main',
    stall: progress(90_000, 'train'),
    step: 7,
    stacks: [stack('main', 100, MAIN_IN_NEXT), stack('DataLoader worker 0', 101, WORKER_IN_REQUESTS)],
    process: 'DataLoader worker 0',
    where: 'dataset.py:40 __getitem__',
    summary:
      'stalled: no progress for 1m30s after step 7 (phase train): main waits in __next__ (dataloader.py:631) from train.py:31 <module>; DataLoader worker 0 waits in get (api.py:73) from dataset.py:40 __getitem__',
  },
  {
    name: 'only library frames: main is named with where it is, and no user frame is blamed',
    stall: progress(2000),
    stacks: [stack('main', 100, MAIN_IN_QUEUE)],
    process: 'main',
    where: null,
    summary: 'stalled: no progress for 2.0s: main in queues.py:113 get',
  },
  {
    name: 'a dump without frames: said so',
    stall: progress(2000),
    stacks: [stack('main', 100, 'Current thread 0x00007f3b2c1e8740 (most recent call first):\n')],
    process: 'main',
    where: null,
    summary: 'stalled: no progress for 2.0s: main: no Python frame',
  },
  {
    name: 'no stack could be taken',
    stall: progress(2000),
    stacks: [],
    process: null,
    where: null,
    summary: 'stalled: no progress for 2.0s (no Python stack could be taken)',
  },
  {
    name: 'a start-up stall inside an import: the module, since its marker',
    stall: startup(2000),
    stacks: [stack('main', 100, importing(`${HOME}/modules/slowmod.py`, 4))],
    imports: [
      { pid: 100, module: 'numpy', at: NOW - 9000 },
      { pid: 100, module: 'slow', at: NOW - 8000 }, // an earlier import whose name is a prefix of it
      { pid: 100, module: 'slowmod', at: NOW - 5000 },
      { pid: 101, module: 'slowmod', at: NOW - 1000 }, // another process's import of it
    ],
    process: 'main',
    where: 'slowmod.py:4 <module>',
    summary: 'stalled: no output and no progress for 2.0s since start: main has been importing slowmod for 5.0s (at slowmod.py:4 <module>)',
  },
  {
    name: "a package's __init__ is named by its folder; no marker, no duration",
    stall: startup(2000),
    stacks: [stack('main', 100, importing(`${HOME}/venv/lib/python3.11/site-packages/bigpkg/__init__.py`, 9))],
    process: 'main',
    where: '__init__.py:9 <module>',
    summary: 'stalled: no output and no progress for 2.0s since start: main has been importing bigpkg (at __init__.py:9 <module>)',
  },
  {
    name: 'main stopped by a signal (Ctrl-Z, SIGSTOP, a background read of the terminal): it is blamed and told how to resume',
    stall: progress(6000),
    step: 120,
    // The workers still answer: they wait on main, which is not hung but stopped.
    stacks: [stack('DataLoader worker 0', 101, WORKER_IDLE)],
    stopped: [{ process: 'main', pid: 100 }],
    process: 'main',
    where: null,
    summary:
      'stalled: no progress for 6.0s after step 120: main (pid 100) is stopped by a signal, not hung (SIGSTOP, Ctrl-Z, or a background job reading the terminal); kill -CONT 100 resumes it',
  },
  {
    name: 'a stopped worker is blamed over main waiting for its batch',
    stall: progress(6000),
    step: 7,
    stacks: [stack('main', 100, MAIN_IN_NEXT)],
    stopped: [{ process: 'DataLoader worker 1', pid: 102 }],
    process: 'DataLoader worker 1',
    where: null,
    summary:
      'stalled: no progress for 6.0s after step 7: DataLoader worker 1 (pid 102) is stopped by a signal, not hung (SIGSTOP, Ctrl-Z, or a background job reading the terminal); kill -CONT 102 resumes it',
  },
  {
    name: "stuck in a package's submodule: named with the duration of the top-level import that led there",
    todo: 'markers are top-level names (sitecustomize); the stall names the innermost module, so "heavy" never matches "bigpkg"',
    stall: startup(2000),
    stacks: [stack('main', 100, importing(`${HOME}/venv/lib/python3.11/site-packages/bigpkg/sub/heavy.py`, 3))],
    imports: [{ pid: 100, module: 'bigpkg', at: NOW - 12_000 }],
    process: 'main',
    where: 'heavy.py:3 <module>',
    summary: 'stalled: no output and no progress for 2.0s since start: main has been importing heavy for 12.0s (at heavy.py:3 <module>)',
  },
];

for (const c of CASES) {
  test(`hang diagnosis: ${c.name}`, { todo: c.todo }, () => {
    const diagnosis = diagnoseHang(c.stall, c.stacks, {
      step: c.step ?? null,
      imports: c.imports ?? [],
      stopped: c.stopped ?? [],
      raised: [],
      now: NOW,
    });
    const where =
      diagnosis.where &&
      `${diagnosis.where.file.slice(diagnosis.where.file.lastIndexOf('/') + 1)}:${diagnosis.where.line} ${diagnosis.where.function}`;
    assert.deepEqual(
      { summary: diagnosis.summary, process: diagnosis.process, where },
      { summary: c.summary, process: c.process, where: c.where },
    );
    assert.equal(diagnosis.category, 'hang');
    assert.equal(diagnosis.rule, c.stall.kind === 'startup' ? 'startup-timeout' : 'progress-timeout');
    assert.equal(diagnosis.confidence, c.stacks.length > 0 || (c.stopped ?? []).length > 0 ? 0.8 : 0.5);
    assert.deepEqual(diagnosis.stacks, c.stacks, 'the stacks are kept as given');
  });
}
