/**
 * The error messages each category is known by, as the libraries word them (PyTorch, CUDA/HIP/
 * MPS/XLA, NCCL, Slurm, Python), one short traceback each: a guard that the catalog stays
 * general, next to the corpus of real logs (corpus.test.ts).
 */

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { diagnoseText, type ExitFacts } from '../../../src/core/diagnosis/diagnose.ts';

const tb = (exc: string, frames = '  File "train.py", line 42, in <module>\n    main()\n') =>
  `Traceback (most recent call last):\n${frames}${exc}\n`;
const cases: [string, string, ExitFacts?][] = [
  [
    'cuda_oom',
    tb(
      'torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 20.00 MiB. GPU 0 has a total capacity of 23.69 GiB of which 1.06 MiB is free.',
    ),
  ],
  ['cuda_oom', tb('RuntimeError: CUDA error: out of memory\nCUDA kernel errors might be asynchronously reported at some other API call')],
  ['cuda_oom', tb('RuntimeError: CUDA error: CUBLAS_STATUS_ALLOC_FAILED when calling `cublasCreate(handle)`')],
  ['cuda_oom', tb('torch.OutOfMemoryError: HIP out of memory. Tried to allocate 2.00 GiB (GPU 0; 63.98 GiB total capacity)')],
  ['cuda_oom', 'jaxlib.xla_extension.XlaRuntimeError: RESOURCE_EXHAUSTED: Out of memory while trying to allocate 17179869184 bytes.\n'],
  [
    'cuda_oom',
    tb('RuntimeError: MPS backend out of memory (MPS allocated: 18.13 GB, other allocations: 40.00 KB, max allowed: 18.13 GB).'),
  ],
  [
    'host_oom',
    tb(
      "RuntimeError: DefaultCPUAllocator: can't allocate memory: you tried to allocate 34359738368 bytes. Error code 12 (Cannot allocate memory)",
    ),
  ],
  [
    'host_oom',
    tb('numpy.core._exceptions._ArrayMemoryError: Unable to allocate 32.0 GiB for an array with shape (4294967296,) and data type float64'),
  ],
  ['host_oom', 'Killed\n', { exitCode: 137 }],
  [
    'shm_exhausted',
    'ERROR: Unexpected bus error encountered in worker. This might be caused by insufficient shared memory (shm).\n' +
      tb(
        "RuntimeError: DataLoader worker (pid 1234) is killed by signal: Bus error. It is possible that dataloader's workers are out of shared memory. Please try to raise your shared memory limit.",
      ),
  ],
  [
    'nccl_timeout',
    '[rank0]:[E ProcessGroupNCCL.cpp:563] [Rank 0] Watchdog caught collective operation timeout: WorkNCCL(SeqNum=1234, OpType=ALLREDUCE, NumelIn=1, NumelOut=1, Timeout(ms)=1800000) ran for 1800123 milliseconds before timing out.\n',
  ],
  [
    'dist_init_error',
    tb(
      'torch.distributed.DistNetworkError: The server socket has failed to listen on any local network address. The server socket has failed to bind to [::]:29500 (errno: 98 - Address already in use).',
    ),
  ],
  ['dist_init_error', tb('torch.distributed.elastic.rendezvous.api.RendezvousTimeoutError')],
  [
    'cuda_device_assert',
    '../aten/src/ATen/native/cuda/Loss.cu:240: nll_loss_forward_reduce_cuda_kernel_2d: block: [0,0,0], thread: [5,0,0] Assertion `t >= 0 && t < n_classes` failed.\n' +
      tb('RuntimeError: CUDA error: device-side assert triggered\nCompile with `TORCH_USE_CUDA_DSA` to enable device-side assertions.'),
  ],
  ['cuda_illegal_access', tb('RuntimeError: CUDA error: an illegal memory access was encountered')],
  ['cuda_env_error', tb('RuntimeError: CUDA error: no kernel image is available for execution on the device')],
  ['cuda_env_error', tb('AssertionError: Torch not compiled with CUDA enabled')],
  [
    'cuda_env_error',
    tb(
      'RuntimeError: Found no NVIDIA driver on your system. Please check that you have an NVIDIA GPU and installed a driver from http://www.nvidia.com/Download/index.aspx',
    ),
  ],
  ['cuda_env_error', tb('RuntimeError: The NVIDIA driver on your system is too old (found version 11040). Please update your GPU driver')],
  ['gpu_hardware_error', tb('RuntimeError: CUDA error: uncorrectable ECC error encountered')],
  ['gpu_hardware_error', 'NVRM: Xid (PCI:0000:3b:00): 79, pid=1234, GPU has fallen off the bus.\n'],
  ['disk_full', tb("OSError: [Errno 28] No space left on device: '/checkpoints/epoch_3.pt'")],
  ['disk_full', tb('RuntimeError: [enforce fail at inline_container.cc:595] . unexpected pos 2311577472 vs 2311577360')],
  ['too_many_open_files', tb("OSError: [Errno 24] Too many open files: '/data/img_001.jpg'")],
  ['too_many_open_files', tb('RuntimeError: received 0 items of ancdata')],
  ['config_error', 'usage: train.py [-h] [--lr LR]\ntrain.py: error: unrecognized arguments: --learning-rate 0.1\n', { exitCode: 2 }],
  [
    'config_error',
    tb("omegaconf.errors.ConfigAttributeError: Key 'optimizer' is not in struct\n    full_key: optimizer\n    object_type=dict"),
  ],
  ['checkpoint_corrupt', tb("_pickle.UnpicklingError: invalid load key, '<'.")],
  ['checkpoint_corrupt', tb('EOFError: Ran out of input', '  File "train.py", line 10, in <module>\n    state = torch.load("ckpt.pt")\n')],
  ['checkpoint_corrupt', tb('safetensors_rust.SafetensorError: Error while deserializing header: MetadataIncompleteBuffer')],
  [
    'checkpoint_mismatch',
    tb('RuntimeError: Error(s) in loading state_dict for ResNet:\n\tMissing key(s) in state_dict: "fc.weight", "fc.bias".'),
  ],
  ['shape_error', tb('RuntimeError: The size of tensor a (3) must match the size of tensor b (4) at non-singleton dimension 1')],
  ['shape_error', tb('ValueError: Expected input batch_size (32) to match target batch_size (16).')],
  ['device_mismatch', tb('RuntimeError: Expected all tensors to be on the same device, but found at least two devices, cuda:0 and cpu!')],
  ['device_mismatch', tb('RuntimeError: Input type (torch.cuda.FloatTensor) and weight type (torch.FloatTensor) should be the same')],
  ['dtype_error', tb('RuntimeError: expected scalar type Float but found Double')],
  ['dtype_error', tb('RuntimeError: "addmm_impl_cpu_" not implemented for \'Half\'')],
  ['nan_loss', tb("RuntimeError: Function 'LogSoftmaxBackward0' returned nan values in its 0th output.")],
  ['nan_loss', tb('ValueError: Loss is nan, stopping training')],
  [
    'network_error',
    tb(
      "requests.exceptions.ConnectionError: HTTPSConnectionPool(host='huggingface.co', port=443): Max retries exceeded with url: /bert-base-uncased/resolve/main/config.json",
    ),
  ],
  ['network_error', tb('urllib.error.URLError: <urlopen error [Errno -3] Temporary failure in name resolution>')],
  ['permission_denied', tb("PermissionError: [Errno 13] Permission denied: '/data/ckpt/model.pt'")],
  ['preempted', 'slurmstepd: error: *** JOB 123456 ON gpu-node-07 CANCELLED AT 2024-03-01T12:00:00 DUE TO TIME LIMIT ***\n'],
  ['preempted', 'slurmstepd: error: *** JOB 123456 ON gpu-node-07 CANCELLED AT 2024-03-01T12:00:00 DUE TO PREEMPTION ***\n'],
  ['interrupted', tb('KeyboardInterrupt')],
  ['import_error', tb('ImportError: libcudart.so.11.0: cannot open shared object file: No such file or directory')],
  ['import_error', tb("ModuleNotFoundError: No module named 'apex'")],
  ['file_not_found', tb("FileNotFoundError: [Errno 2] No such file or directory: 'data/train.csv'")],
  ['pickling_error', tb("AttributeError: Can't pickle local object 'main.<locals>.collate'")],
  ['segfault', 'Segmentation fault (core dumped)\n', { exitCode: 139 }],
  [
    'dataloader_worker_error',
    tb(
      'KeyError: Caught KeyError in DataLoader worker process 0.\nOriginal Traceback (most recent call last):\n  File "dataset.py", line 12, in __getitem__\n    return self.items[i]\nKeyError: 17',
    ),
  ],
];

test('every category is recognised from the messages it is known by', () => {
  const misses = cases.flatMap(([expected, text, exit]) => {
    const diagnosis = diagnoseText(text, exit);
    return diagnosis.category === expected ? [] : [`${expected} -> ${diagnosis.category}: ${text.trim().split('\n').at(-1)}`];
  });
  assert.deepEqual(misses, []);
});
