import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { failureSignature, normaliseMessage } from '../../../src/core/memory/signature.ts';

const oom = (message: string, line = 42) => ({
  category: 'cuda_oom',
  exception: { type: 'torch.OutOfMemoryError', message },
  where: { file: '/home/ana/proj/train.py', line, function: 'forward' },
});

describe('normaliseMessage', () => {
  const cases: [string, string][] = [
    [
      'CUDA out of memory. Tried to allocate 2.00 GiB (GPU 0; 79.15 GiB total capacity; 75.47 GiB already allocated; 1.23 GiB free; 76.00 GiB reserved in total by PyTorch)',
      'CUDA out of memory. Tried to allocate <size> (GPU <n>; <size> total capacity; <size> already allocated; <size> free; <size> reserved in total by PyTorch)',
    ],
    ['mat1 and mat2 shapes cannot be multiplied (64x512 and 256x10)', 'mat1 and mat2 shapes cannot be multiplied (<n>x<n> and <n>x<n>)'],
    ["'layer_12.weight'", "'layer_<n>.weight'"],
    [
      'Expected input batch_size (32) to match target batch_size (64).',
      'Expected input batch_size (<n>) to match target batch_size (<n>).',
    ],
    [
      "[Errno 2] No such file or directory: '/tmp/tmp8k2j1q/shard-00017.tar'",
      "[Errno <n>] No such file or directory: '/tmp/<id>/shard-<n>.tar'",
    ],
    ['illegal memory access at 0x7f3a2c001000 in stream 0xdeadbeef', 'illegal memory access at <hex> in stream <hex>'],
    ['checkpoint 3f9a2b7c41d0e5f6 of run 6f1c9a2e-1b2c-4d3e-9f00-123456789abc', 'checkpoint <hex> of run <id>'],
    ['expected scalar type float16 but found float32 on cuda:1', 'expected scalar type float16 but found float32 on cuda:<n>'],
    ['loss is nan at step 1200\n  (lr 3e-4)', 'loss is nan at step <n> (lr <n>)'],
  ];
  for (const [message, expected] of cases)
    it(message.slice(0, 60), () => {
      assert.equal(normaliseMessage(message), expected);
    });
});

describe('failureSignature', () => {
  it('gives one signature to CUDA OOMs of different sizes, on different GPUs, at different lines', () => {
    const a = failureSignature(
      oom('CUDA out of memory. Tried to allocate 2.00 GiB (GPU 0; 79.15 GiB total capacity; 75.47 GiB already allocated)', 42),
    );
    const b = failureSignature(
      oom('CUDA out of memory. Tried to allocate 512.00 MiB (GPU 3; 39.39 GiB total capacity; 38.10 GiB already allocated)', 57),
    );
    assert.equal(a.key, b.key);
    assert.equal(a.id, b.id);
    assert.equal(a.frame, 'train.py:forward');
    assert.match(a.id, /^[0-9a-f]{8}$/);
  });

  it('tells apart different exception types, categories, functions and files', () => {
    const base = failureSignature(oom('CUDA out of memory.'));
    const otherType = failureSignature({
      ...oom('CUDA out of memory.'),
      exception: { type: 'RuntimeError', message: 'CUDA out of memory.' },
    });
    const otherCategory = failureSignature({ ...oom('CUDA out of memory.'), category: 'python_exception' });
    const otherFunction = failureSignature({ ...oom('CUDA out of memory.'), where: { file: 'train.py', function: 'backward' } });
    const otherFile = failureSignature({ ...oom('CUDA out of memory.'), where: { file: 'model.py', function: 'forward' } });
    const keys = new Set([base, otherType, otherCategory, otherFunction, otherFile].map((s) => s.key));
    assert.equal(keys.size, 5);
  });

  it('tells apart messages whose words differ', () => {
    const shape = failureSignature({
      category: 'shape_mismatch',
      exception: { type: 'RuntimeError', message: 'mat1 and mat2 shapes cannot be multiplied (64x512 and 256x10)' },
      where: null,
    });
    const size = failureSignature({
      category: 'shape_mismatch',
      exception: {
        type: 'RuntimeError',
        message: 'The size of tensor a (64) must match the size of tensor b (32) at non-singleton dimension 1',
      },
      where: null,
    });
    assert.notEqual(shape.key, size.key);
    assert.equal(shape.frame, null);
  });

  it('has a signature without an exception (a hang, a signal)', () => {
    const hang = failureSignature({ category: 'hang', exception: null, where: { file: 'train.py', function: 'train_step' } });
    assert.equal(hang.exception, null);
    assert.equal(hang.key, 'hang | - | train.py:train_step');
  });
});
