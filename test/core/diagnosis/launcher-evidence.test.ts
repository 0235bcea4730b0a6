/** How launchers and schedulers report an external stop, a Ctrl-C, an OOM kill: synthetic logs. */

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { diagnoseText } from '../../../src/core/diagnosis/diagnose.ts';

const AGENT = 'WARNING:torch.distributed.elastic.agent.server.api';
const MP = 'WARNING:torch.distributed.elastic.multiprocessing.api';
const cases: [string, string][] = [
  [
    'preempted',
    `step 100 loss 1.2\n${AGENT}:Received 15 death signal, shutting down workers\n${MP}:Sending process 41 closing signal SIGTERM\n`,
  ],
  ['preempted', `step 100 loss 1.2\n${MP}:Sending process 41 closing signal SIGHUP\n${MP}:Sending process 42 closing signal SIGHUP\n`],
  ['preempted', 'torch.distributed.elastic.multiprocessing.api.SignalException: Process 77 got signal: 15\n'],
  ['preempted', 'slurmstepd: error: *** JOB 1234 ON node07 CANCELLED AT 2024-01-01T10:00:00 DUE TO TIME LIMIT ***\n'],
  ['preempted', 'step 9\nSIGTERM received, saving nothing\n'],
  ['preempted', '  exitcode  : -15 (pid: 99)\n'],
  [
    'interrupted',
    `step 100 loss 1.2\n${AGENT}:Received 2 death signal, shutting down workers\n${MP}:Sending process 41 closing signal SIGINT\n`,
  ],
  ['interrupted', 'Epoch 2:  40%|████      | 40/100 [00:10<00:15]^CTraceback (most recent call last):\n'],
  ['interrupted', 'step 12 loss 0.3\n^CW0101 12:00:00.000 agent.py:10] shutting down\n'],
  // The shell's job status glued to a progress bar, or pasted in bold; 128+N exit statuses.
  ['host_oom', 'epoch 3\n 12%|█▏        | 120/1000 [01:10<08:30,  1.72it/s]Killed\n'],
  ['host_oom', 'step 40 loss 0.7\n\n**Killed**\n'],
  // … or to a bar the kill cut short, before its counts were drawn.
  ['host_oom', 'calibrating layer 25:  77%|████████████████████████Killed\n'],
  // … or to Keras's bar, after its last metric.
  ['host_oom', 'Epoch 1/30\n 18/500 [>.............................] - ETA: 30:36 - loss: 20.9180 - col_adj_loss: 0.0029Killed\n'],
  // The shell's status written over a \r-redrawn progress line: the rest of the bar shows through.
  ['host_oom', 'Training in train batch: 127000 / 263115\nKilledg in train batch: 127687 / 263115\n'],
  ['preempted', 'step 3 of 90\nTerminatedtch 45/90 [00:10<00:15, 4.50it/s]\n'],
  ['host_oom', 'evaluating...\nProcess finished with exit code 137 (interrupted by signal 9: SIGKILL)\n'],
  ['host_oom', 'step 40\ntrainer exited with code 137\n'],
  // abort() from native code with nothing more specific: a native crash (SIGABRT, core dumped).
  ['segfault', 'INFO: 127.0.0.1 - "GET /v1/models HTTP/1.1" 200 OK\nAborted (core dumped)\n'],
  ['segfault', 'step 40\nrun.sh: line 12:  4242 Aborted                 python train.py\n'],
  [
    'cuda_oom',
    "terminate called after throwing an instance of 'c10::OutOfMemoryError'\n  what():  CUDA out of memory. Tried to allocate 2.00 GiB\nAborted (core dumped)\n",
  ],
  // The shell's job table after a Ctrl-Z: the user stopped the job.
  ['interrupted', 'epoch 3 loss 0.41\n^Z\n[1]+  Stopped                 python main.py --lr=0.001\n'],
  ['preempted', 'step 40\nsrun: error: node12: task 0: Terminated\n'],
  ['preempted', 'step 40\nsubprocess.CalledProcessError: Command train.sh returned non-zero exit status 143.\n'],
  ['interrupted', 'step 40\njob exited with status 130\n'],
  [
    'host_oom',
    'torch.multiprocessing.spawn.ProcessExitedException: process 1 terminated with signal SIGKILL\nprocess 1 died with <Signals.SIGKILL: 9>\n',
  ],
];

for (const [expected, log] of cases) {
  test(`launcher evidence → ${expected}: ${JSON.stringify(log.slice(0, 70))}`, () => {
    assert.equal(diagnoseText(log).category, expected);
  });
}

test('torchrun closing the other ranks with SIGTERM after a crash is not a preemption', () => {
  const log = [
    '[rank1]: Traceback (most recent call last):',
    '[rank1]:   File "train.py", line 5, in <module>',
    '[rank1]: torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB',
    `${MP}:Sending process 41 closing signal SIGTERM`,
  ].join('\n');
  assert.equal(diagnoseText(`${log}\n`).category, 'cuda_oom');
});

test('an NCCL transport error printed from c10d sources is communication, not start-up', () => {
  const log =
    'RuntimeError: NCCL error in: /opt/pytorch/torch/csrc/distributed/c10d/ProcessGroupNCCL.cpp:1269, unhandled system error, NCCL version 2.18.1\nncclSystemError: System call (e.g. socket, malloc) or external library call failed or device error.\n';
  assert.equal(diagnoseText(log).category, 'nccl_error');
});

test('no space left on device inside multiprocessing shared memory code is shm, not a disk', () => {
  const log = [
    'Traceback (most recent call last):',
    '  File "train.py", line 3, in <module>',
    '  File "/usr/lib/python3.11/multiprocessing/synchronize.py", line 57, in __init__',
    'OSError: [Errno 28] No space left on device',
  ].join('\n');
  assert.equal(diagnoseText(`${log}\n`).category, 'shm_exhausted');
});

test('the status words only count as the end of a line: a worker "killed by signal: Terminated." or an exit code 1370 is not one', () => {
  assert.notEqual(diagnoseText('step 3: Killed 2 stale workers, continuing\nstep 4\n').category, 'host_oom');
  assert.notEqual(diagnoseText('step 3\nexit code 1370\n').category, 'host_oom');
  assert.notEqual(diagnoseText('step 3\nexit code 137.5 ms\n').category, 'host_oom');
});

test('a Windows NTSTATUS native crash (access violation, stack overflow) in any of its spellings is a segfault', () => {
  for (const end of [
    'Process finished with exit code -1073741819 (0xC0000005)',
    'python.exe exited with code 3221225477',
    'Process finished with exit code -1073741571 (0xC00000FD)',
    'Windows fatal exception: code 0xc0000005',
  ]) {
    assert.equal(diagnoseText(`epoch 2\n 61%|██████    | 559/923 [02:36<01:34,  3.84it/s]\n${end}\n`).category, 'segfault', end);
  }
  // The same digits inside another number, or another status, are not one.
  assert.notEqual(diagnoseText('step 3\nexit code -10737418190\n').category, 'segfault');
  assert.notEqual(diagnoseText('step 3\nexit code 0xC0000135\n').category, 'segfault');
});

test("Ray's memory monitor killing workers is the host running out of memory", () => {
  const log = [
    'rollout:  76%|███████▌  | 244/320 [08:56<02:05,  1.65s/it]',
    '(raylet) [2025-01-01 10:00:00,000 E 1 1] (raylet) node_manager.cc:3000: 3 Workers (tasks / actors) killed due to memory pressure (OOM), 0 Workers crashed due to other reasons at node (ID: ab12, IP: 10.0.0.1)',
    '(raylet) Refer to the documentation on how to address the out of memory issue.',
  ].join('\n');
  assert.equal(diagnoseText(`${log}\n`).category, 'host_oom');
  assert.equal(
    diagnoseText('ray.exceptions.OutOfMemoryError: Task was killed due to the node running low on memory.\n').category,
    'host_oom',
  );
});

test('a line logged at debug severity is never the evidence: the NCCL error after it decides', () => {
  const log = [
    '[I101 10:00:00.000 TCPStoreLibUvBackend.cpp:120] [c10d - debug] Read callback failed. code:-4095 name:EOF desc:end of file',
    'DEBUG:urllib3.connectionpool:Connection to store timed out',
    '[rank0]: torch.distributed.DistBackendError: NCCL error in: ProcessGroupNCCL.cpp:3356, unhandled system error, NCCL version 2.21.5',
  ].join('\n');
  assert.equal(diagnoseText(`${log}\n`).category, 'nccl_error');
  // The same words at error severity still count.
  assert.equal(
    diagnoseText('[E101 10:00:00.000 TCPStore.cpp:120] [c10d] TCPStore connect to MASTER_ADDR failed: Connection refused\n').category,
    'dist_init_error',
  );
});

test("a job runner's negative error code (`error code -9`, `returncode=-9`) is a process killed by SIGKILL", () => {
  for (const line of ['ERROR: error code -9', 'CalledProcessError: returncode=-9']) {
    const said = diagnoseText(`Solving\nIteration 0, loss = 2.3\n${line}\n`);
    assert.equal(said.category, 'host_oom', line);
  }
});
