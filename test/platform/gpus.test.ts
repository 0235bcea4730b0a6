/** detectGpus against a fake nvidia-smi (test/helpers/fake-nvidia-smi.ts): no GPU driver runs here. */

import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { declaredGpus, detectGpus } from '../../src/platform/gpus.ts';
import { fakeNvidiaSmi } from '../helpers/fake-nvidia-smi.ts';

const UUID0 = 'GPU-3a1f9e02-4c11-4b8a-9e2d-7f6b1c0a55e1';
const UUID1 = 'GPU-04b76a6c-da10-342f-e9f5-5f5684eacb86';
const withFake = (dir: string) => ({ ...process.env, PATH: `${dir}:${process.env.PATH}` });

describe('detectGpus', () => {
  test('reads index, uuid and memory, and sees used memory change between calls', async () => {
    const fake = fakeNvidiaSmi({
      gpus: [
        { uuid: UUID0, memoryTotalMiB: 81559, memoryUsedMiB: 412 },
        { uuid: UUID1, memoryTotalMiB: 81559, memoryUsedMiB: 412 },
      ],
    });
    const env = withFake(fake.dir);
    assert.deepEqual(await detectGpus(env), {
      gpus: [
        { index: 0, uuid: UUID0, memoryTotalMiB: 81559, memoryUsedMiB: 412 },
        { index: 1, uuid: UUID1, memoryTotalMiB: 81559, memoryUsedMiB: 412 },
      ],
      problem: null,
    });
    fake.set({
      gpus: [
        { uuid: UUID0, memoryTotalMiB: 81559, memoryUsedMiB: 412 },
        { uuid: UUID1, memoryTotalMiB: 81559, memoryUsedMiB: 30_000 },
      ],
    });
    const again = await detectGpus(env);
    assert.deepEqual(
      again.gpus?.map((gpu) => gpu.memoryUsedMiB),
      [412, 30_000],
    );
    assert.deepEqual(fake.calls(), [
      ['--query-gpu=index,uuid,memory.total,memory.used', '--format=csv'],
      ['--query-gpu=index,uuid,memory.total,memory.used', '--format=csv'],
    ]);
  });

  test('memory nvidia-smi cannot tell ([N/A]) reads as 0', async () => {
    const fake = fakeNvidiaSmi({ gpus: [{ uuid: UUID0, memoryTotalMiB: '[N/A]', memoryUsedMiB: '[N/A]' }] });
    assert.deepEqual(await detectGpus(withFake(fake.dir)), {
      gpus: [{ index: 0, uuid: UUID0, memoryTotalMiB: 0, memoryUsedMiB: 0 }],
      problem: null,
    });
  });

  test('no nvidia-smi on PATH: no GPU, and nothing wrong', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'vigil-no-nvidia-smi-'));
    assert.deepEqual(await detectGpus({ PATH: empty }), { gpus: null, problem: null });
    assert.deepEqual(await detectGpus({}), { gpus: null, problem: null });
  });

  test('a failing nvidia-smi: no GPU, and its own words as the reason', async () => {
    const message =
      "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver. Make sure that the latest NVIDIA driver is installed and running.";
    const fake = fakeNvidiaSmi({ gpus: [], exitCode: 9, message });
    assert.deepEqual(await detectGpus(withFake(fake.dir)), { gpus: null, problem: `nvidia-smi failed (exit 9): ${message}` });
  });

  test('no devices: no GPU, with the reason', async () => {
    const fake = fakeNvidiaSmi({ gpus: [], exitCode: 6, message: 'No devices were found' });
    assert.deepEqual(await detectGpus(withFake(fake.dir)), { gpus: null, problem: 'nvidia-smi failed (exit 6): No devices were found' });
  });

  test('an empty list: no GPU, with the reason', async () => {
    const fake = fakeNvidiaSmi({ gpus: [] });
    assert.deepEqual(await detectGpus(withFake(fake.dir)), { gpus: null, problem: 'nvidia-smi lists no GPU' });
  });

  test('a hanging nvidia-smi is given up on after the timeout', async () => {
    const fake = fakeNvidiaSmi({ gpus: [{ memoryTotalMiB: 81559, memoryUsedMiB: 0 }], hangSeconds: 60 });
    const started = Date.now();
    assert.deepEqual(await detectGpus(withFake(fake.dir), 500), { gpus: null, problem: 'nvidia-smi did not answer within 0.5 s' });
    assert.ok(Date.now() - started < 10_000, `took ${Date.now() - started} ms`);
  });
});

describe('declaredGpus', () => {
  test('the indices given, once each, in order, memory unknown', () => {
    assert.deepEqual(declaredGpus([1, 0, 1]), [
      { index: 0, uuid: '', memoryTotalMiB: 0, memoryUsedMiB: 0 },
      { index: 1, uuid: '', memoryTotalMiB: 0, memoryUsedMiB: 0 },
    ]);
    assert.deepEqual(declaredGpus([]), []);
  });
});
