/** doctor's judgements, pure: thresholds and the lines they write, on figures given by hand. */

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { judgeDistributed, requiredInterfaces } from '../../../src/core/doctor/distributed.ts';
import { type GpuHealth, judgeGpus, parseGpuHealth } from '../../../src/core/doctor/gpu-health.ts';
import { judgeHooks, judgePython } from '../../../src/core/doctor/python.ts';
import { judgeMemory, judgeSpace } from '../../../src/core/doctor/resources.ts';

const GiB = 2 ** 30;
const space = { path: '/ckpt', freeBytes: 30 * GiB, totalBytes: 100 * GiB, freeInodes: 1e6, totalInodes: 2e6, checkpointBytes: null };

test('disk: against the checkpoint size seen, warn below two saves and fail below one; inodes too', () => {
  assert.equal(judgeSpace({ ...space, checkpointBytes: 10 * GiB }).status, 'ok');
  assert.equal(judgeSpace({ ...space, checkpointBytes: 20 * GiB }).status, 'warn');
  assert.match(judgeSpace({ ...space, checkpointBytes: 40 * GiB }).finding, /room for 0 more checkpoints of 40 GiB/);
  assert.equal(judgeSpace({ ...space, checkpointBytes: 40 * GiB }).status, 'fail');
  assert.equal(judgeSpace({ ...space, freeBytes: 2 * GiB }).status, 'warn', 'no size known: under 5 % free');
  assert.equal(judgeSpace({ ...space, freeInodes: 0 }).status, 'fail');
});

test('memory and /dev/shm: a 64 MiB shm (docker default) warns with the --shm-size fix', () => {
  const [ram, shm] = judgeMemory({
    availableBytes: 20 * GiB,
    totalBytes: 32 * GiB,
    swapFreeBytes: 0,
    shm: { totalBytes: 64 * 2 ** 20, freeBytes: 64 * 2 ** 20 },
  });
  assert.equal(ram?.status, 'ok');
  assert.equal(shm?.status, 'warn');
  assert.match(shm?.fix ?? '', /--shm-size/);
});

test('gpus: nvidia-smi rows parsed ([N/A] read as unknown); ECC errors fail, a hot GPU warns, a healthy set is one ok line', () => {
  const gpus = parseGpuHealth(
    '0, NVIDIA H100, 550.54, 45, 100, 81559, 0, No, Enabled\n1, NVIDIA H100, 550.54, 88, 100, 81559, [N/A], [N/A], Disabled\n',
  );
  assert.equal(gpus?.length, 2);
  assert.equal(gpus?.[1]?.uncorrectedEcc, null);
  assert.deepEqual(
    judgeGpus(gpus ?? []).map((r) => r.status),
    ['warn'],
  );
  const healthy = gpus?.[0] as GpuHealth;
  assert.match(judgeGpus([healthy])[0]?.finding ?? '', /1 GPU \(NVIDIA H100\), driver 550.54/);
  assert.equal(judgeGpus([{ ...healthy, uncorrectedEcc: 2 }])[0]?.status, 'fail');
  assert.equal(parseGpuHealth('garbage'), null);
});

test('python: no torch fails; a CUDA build that cannot see the GPUs nvidia-smi lists fails (driver too old); CPU-only without GPUs is fine', () => {
  const base = { python: '3.11.2', executable: '/usr/bin/python3' };
  assert.equal(judgePython('python3', { ...base, torch_error: "ModuleNotFoundError: No module named 'torch'" }, null).status, 'fail');
  const cuda = { ...base, torch: '2.5.1', cuda_build: '12.4', cuda_available: false, gpus: 0 };
  assert.match(judgePython('python3', cuda, true).finding, /CUDA build newer than the driver supports/);
  assert.equal(judgePython('python3', { ...base, torch: '2.5.1', cuda_build: null, cuda_available: false }, null).status, 'ok');
});

test('distributed: skipped when nothing is declared; NCCL interface lists read as NCCL does', () => {
  const none = {
    masterAddr: null,
    resolveError: null,
    masterPort: null,
    portFree: null,
    missingInterfaces: [],
    interfaces: ['lo', 'eth0'],
  };
  assert.equal(judgeDistributed(none)[0]?.status, 'skip');
  assert.equal(judgeDistributed({ ...none, masterAddr: 'node0', masterPort: 29500, portFree: false })[0]?.status, 'fail');
  assert.deepEqual(requiredInterfaces('eth0,ib0'), ['eth0', 'ib0']);
  assert.deepEqual(requiredInterfaces('^docker,lo'), [], 'exclusions require nothing');
  assert.deepEqual(requiredInterfaces('=eth0'), ['eth0']);
});

test('python hooks: loading is ok; another sitecustomize first, or an error, warns with what is lost', () => {
  const base = { python: '3.11.2', executable: '/usr/bin/python3' };
  assert.equal(judgeHooks('python3', { ...base, hooks: 'ok' }).status, 'ok');
  const shadowed = judgeHooks('python3', { ...base, hooks: 'another sitecustomize comes first: /opt/site/sitecustomize.py' });
  assert.equal(shadowed.status, 'warn');
  assert.match(shadowed.fix ?? '', /no stacks/);
});

test('/dev/shm against the DataLoader workers the job ran last time: 256 MiB each', () => {
  const facts = { availableBytes: 20 * GiB, totalBytes: 32 * GiB, swapFreeBytes: 0, shm: { totalBytes: 2 * GiB, freeBytes: 2 * GiB } };
  assert.equal(judgeMemory(facts)[1]?.status, 'ok', 'workers unknown: 2 GiB is plenty');
  const busy = judgeMemory(facts, 16)[1];
  assert.equal(busy?.status, 'warn');
  assert.match(busy?.finding ?? '', /the job ran 16 DataLoader workers last time/);
  assert.equal(judgeMemory(facts, 4)[1]?.status, 'ok');
});
