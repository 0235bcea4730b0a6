/** The training variables kept with a run: what changes how training runs, never a secret. */

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { trainingEnvironment } from '../../../src/core/runs/ml-environment.ts';

test('CUDA, NCCL, PyTorch, threading and HF variables are kept, sorted; secrets and everything else are not', () => {
  const env = {
    PATH: '/usr/bin',
    HOME: '/root',
    NCCL_P2P_DISABLE: '1',
    CUDA_VISIBLE_DEVICES: '0,1',
    PYTORCH_CUDA_ALLOC_CONF: 'expandable_segments:True',
    OMP_NUM_THREADS: '8',
    HF_TOKEN: 'hf_secret',
    HF_HOME: '/data/hf',
    WANDB_API_KEY: 'x',
    TORCH_DISTRIBUTED_DEBUG: 'DETAIL',
    UNSET: undefined,
  };
  assert.deepEqual(Object.keys(trainingEnvironment(env)), [
    'CUDA_VISIBLE_DEVICES',
    'HF_HOME',
    'NCCL_P2P_DISABLE',
    'OMP_NUM_THREADS',
    'PYTORCH_CUDA_ALLOC_CONF',
    'TORCH_DISTRIBUTED_DEBUG',
  ]);
});
