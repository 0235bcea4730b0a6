/** Stray trainers, pure: nvidia-smi's compute apps parsed, who is a stray, and the lines written. */

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findStrays, judgeStrays, parseComputeApps, type PythonProcessFacts } from '../../../src/core/doctor/strays.ts';

const GiB = 2 ** 30;
const RAM = 100 * GiB;
const proc = (over: Partial<PythonProcessFacts>): PythonProcessFacts => ({
  pid: 100,
  command: ['python3', 'train.py'],
  rssBytes: 1 * GiB,
  gpuMiB: null,
  runId: null,
  ...over,
});

test('compute apps: pid and MiB (summed over GPUs, [N/A] held but unknown); "No running processes found" is none; anything else is not that output', () => {
  assert.deepEqual(
    [...(parseComputeApps('4242, 40000\n4242, 1000\n77, [N/A]\n') ?? [])],
    [
      [4242, 41000],
      [77, 0],
    ],
  );
  assert.deepEqual([...(parseComputeApps('No running processes found\n') ?? [])], []);
  assert.deepEqual([...(parseComputeApps('') ?? [])], []);
  assert.equal(parseComputeApps('pid, used_gpu_memory [MiB]\n'), null);
});

test('a stray holds a GPU or > 10 % of RAM and no run of this home owns it; a live run, another home and a small script are left out', () => {
  const runs = new Map([
    ['live', 'running' as const],
    ['done', 'ended' as const],
  ]);
  const strays = findStrays(
    [
      proc({ pid: 1, gpuMiB: 500 }), // holds a GPU, untagged
      proc({ pid: 2, rssBytes: 11 * GiB }), // > 10 % of RAM
      proc({ pid: 3, rssBytes: 9 * GiB }), // a script
      proc({ pid: 4, gpuMiB: 70_000, runId: 'live' }), // a live (or orphaned) run's
      proc({ pid: 5, gpuMiB: 70_000, runId: 'other-home' }), // another VIGIL_HOME's run
      proc({ pid: 6, gpuMiB: 0, runId: 'done' }), // an escapee of an ended run
    ],
    RAM,
    runs,
  );
  assert.deepEqual(
    strays.map((s) => [s.pid, s.leftOverFrom]),
    [
      [1, null],
      [2, null],
      [6, 'done'],
    ],
  );
});

test('strays warn with pid, command and memory and the kill command; after --kill-strays the line says what was done', () => {
  const [stray] = findStrays([proc({ pid: 4242, gpuMiB: 40_000, rssBytes: 3 * GiB })], RAM, new Map());
  const [warned] = judgeStrays([stray!], 'listed');
  assert.equal(warned?.status, 'warn');
  assert.equal(warned?.finding, 'pid 4242 (python3 train.py): 3.0 GiB RAM, 40000 MiB on GPU; belongs to no vigil run');
  assert.match(warned?.fix ?? '', /kill 4242 .*--fix --kill-strays/);
  const [ended] = judgeStrays([stray!], 'listed', new Map([[4242, 'ended by SIGTERM']]));
  assert.equal(ended?.status, 'ok');
  assert.match(ended?.finding ?? '', /ended by SIGTERM \(--fix --kill-strays\)$/);
  assert.equal(judgeStrays([stray!], 'listed', new Map([[4242, 'still alive 2 s after SIGKILL']]))[0]?.status, 'fail');
  const [none] = judgeStrays([], { error: 'nvidia-smi did not answer within 1.5 s' });
  assert.equal(none?.status, 'ok');
  assert.match(none?.finding ?? '', /GPU holders unknown \(nvidia-smi did not answer within 1.5 s\): RAM only/);
});
