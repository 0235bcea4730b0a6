import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gpuView, visibleGpus } from '../../../src/core/web/gpu-view.ts';

const gpu = (index: number, memoryUsedMiB: number) => ({ index, uuid: `GPU-${index}`, memoryTotalMiB: 81920, memoryUsedMiB });

test("a run's CUDA_VISIBLE_DEVICES names its GPUs by index; UUIDs or nothing name none", () => {
  assert.deepEqual(visibleGpus({ CUDA_VISIBLE_DEVICES: '0, 2' }), [0, 2]);
  assert.equal(visibleGpus({ CUDA_VISIBLE_DEVICES: 'GPU-3f2a' }), null);
  assert.equal(visibleGpus({}), null);
  assert.equal(visibleGpus(null), null);
});

test('free: held by no live run and not filled by a stranger; the holder is named', () => {
  const view = gpuView([gpu(0, 100), gpu(1, 40_000), gpu(2, 30_000)], [{ id: 'r1', gpus: [1] }]);
  assert.deepEqual(
    view?.map((g) => [g.index, g.run, g.free]),
    [
      [0, null, true],
      [1, 'r1', false],
      [2, null, false],
    ],
  );
  assert.equal(gpuView(null, []), null, 'no nvidia-smi: nothing to show');
});
