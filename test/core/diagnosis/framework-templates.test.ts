/**
 * Error messages as the frameworks' own sources word them (templates with their variable parts
 * filled in by hand, never copied from a log): PyTorch (c10/cuda, ProcessGroupNCCL, DataLoader
 * workers, serialization, load_state_dict, torch.cuda lazy init, elastic), NCCL, CUDA runtime
 * and cuBLAS/cuDNN status strings, DeepSpeed, Hugging Face, Lightning, Hydra/OmegaConf,
 * JAX/XLA, TensorFlow/Keras, PaddlePaddle, Slurm, Kubernetes, glibc/kernel and Python's errno
 * texts. A guard that the catalog recognises a category by how its frameworks phrase it, next to
 * messages.test.ts and the corpus of real logs.
 */

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { diagnoseText, type ExitFacts } from '../../../src/core/diagnosis/diagnose.ts';

const tb = (exc: string, file = 'train.py') =>
  `Traceback (most recent call last):\n  File "${file}", line 42, in <module>\n    main()\n${exc}\n`;

/** joblib's loky executor on a worker's unexpected end: it names two possible causes; the exit codes that follow decide. */
const LOKY_TERMINATED =
  'joblib.externals.loky.process_executor.TerminatedWorkerError: A worker process managed by the executor was unexpectedly terminated. This could be caused by a segmentation fault while calling the function or by an excessive memory usage causing the Operating System to kill the worker.\n\nThe exit codes of the workers are ';

/** [expected category, log text, how it ended, where the wording comes from]. */
const cases: [string, string, ExitFacts, string][] = [
  // An OmegaConf error whose type line was lost (printed through a logger or Hydra's short form).
  [
    'config_error',
    "python train.py +experiment=base\nKey 'warmup' not in 'OptimConf'\n    full_key: optim.warmup\n    object_type=OptimConf\n",
    {},
    'omegaconf/_utils.py format_and_raise template',
  ],
  // cuda_oom
  [
    'cuda_oom',
    tb('torch.cuda.OutOfMemoryError: CUDA out of memory. Tried to allocate 512.00 MiB'),
    {},
    'torch 1.13+ c10/cuda/CUDACachingAllocator.cpp',
  ],
  [
    'cuda_oom',
    tb(
      'tensorflow.python.framework.errors_impl.ResourceExhaustedError: OOM when allocating tensor with shape[64,512,512] and type float on /job:localhost/replica:0/task:0/device:GPU:0 by allocator GPU_0_bfc',
    ),
    {},
    'tensorflow bfc allocator',
  ],
  [
    'cuda_oom',
    'W external/local_tsl/tsl/framework/bfc_allocator.cc:485] Allocator (GPU_0_bfc) ran out of memory trying to allocate 4.00GiB (rounded to 4294967296)requested by op MatMul\n',
    {},
    'tensorflow bfc_allocator.cc',
  ],
  [
    'cuda_oom',
    tb(
      'jaxlib.xla_extension.XlaRuntimeError: RESOURCE_EXHAUSTED: Failed to allocate request for 2.00GiB (2147483648B) on device ordinal 0',
    ),
    {},
    'xla pjrt gpu allocator',
  ],
  [
    'cuda_oom',
    tb(
      'MemoryError: ResourceExhaustedError: \n\nOut of memory error on GPU 0. Cannot allocate 1.500000GB memory on GPU 0, 14.2GB memory has been allocated and available memory is only 320.0MB.',
    ),
    {},
    'paddle memory/allocation',
  ],
  [
    'cuda_oom',
    'E tensorflow/stream_executor/cuda/cuda_driver.cc:1002] failed to alloc 8589934592 bytes on host: CUDA_ERROR_OUT_OF_MEMORY: out of memory\n',
    {},
    'tensorflow cuda_driver.cc',
  ],
  ['cuda_oom', tb('RuntimeError: cuDNN error: CUDNN_STATUS_ALLOC_FAILED'), {}, 'cudnn status string'],
  // host_oom
  [
    'host_oom',
    'slurmstepd: error: Detected 1 oom_kill event in StepId=4242.batch. Some of your processes may have been killed by the cgroup out-of-memory handler.\n',
    {},
    'slurm task/cgroup',
  ],
  ['host_oom', 'srun: error: node017: task 0: Out Of Memory\n', {}, 'slurm srun'],
  [
    'host_oom',
    tb('torch.multiprocessing.spawn.ProcessExitedException: process 1 terminated with signal SIGKILL'),
    {},
    'torch/multiprocessing/spawn.py',
  ],
  ['host_oom', '[12345.678] Out of memory: Killed process 4242 (python) total-vm:123456kB, anon-rss:98765kB\n', {}, 'linux mm/oom_kill.c'],
  ['host_oom', '    Last State:     Terminated\n      Reason:       OOMKilled\n      Exit Code:    137\n', {}, 'kubernetes pod status'],
  ['host_oom', 'Process finished with exit code 137 (interrupted by signal 9: SIGKILL)\n', {}, 'IDE run console'],
  // shm_exhausted
  [
    'shm_exhausted',
    tb('RuntimeError: unable to mmap 1048576 bytes from file </torch_4242_1806483450_0>: Cannot allocate memory (12)'),
    {},
    'torch libshm / MapAllocator.cpp',
  ],
  [
    'shm_exhausted',
    'node01:4242:4300 [0] include/shm.h:28 NCCL WARN Error: failed to extend /dev/shm/nccl-AbCdEf to 9637892 bytes\n',
    {},
    'nccl src/include/shm.h',
  ],
  ['shm_exhausted', 'Bus error (core dumped)\n', { exitCode: 135 }, 'glibc strsignal(SIGBUS)'],
  [
    'shm_exhausted',
    tb('torch.multiprocessing.spawn.ProcessExitedException: process 0 terminated with signal SIGBUS'),
    {},
    'torch/multiprocessing/spawn.py',
  ],
  // nccl_timeout
  [
    'nccl_timeout',
    "[rank3]:[E1015 10:00:00.000000000 ProcessGroupNCCL.cpp:1595] [PG 0 (default_pg) Rank 3] ProcessGroupNCCL's watchdog got stuck for 480 seconds without making progress in monitoring enqueued collectives.\n",
    {},
    'torch ProcessGroupNCCL.cpp heartbeat monitor',
  ],
  // nccl_error
  [
    'nccl_error',
    tb(
      'torch.distributed.DistBackendError: NCCL error in: ../torch/csrc/distributed/c10d/NCCLUtils.hpp:317, remote process exited or there was a network error, NCCL version 2.20.5\nncclRemoteError: A call failed possibly due to a network error or a remote process exiting prematurely.',
    ),
    {},
    'nccl ncclGetErrorString',
  ],
  ['nccl_error', tb('RuntimeError: NCCL Error 2: unhandled system error'), {}, 'torch 1.x ProcessGroupNCCL'],
  [
    'nccl_error',
    'node01:4242:4300 [0] transport/net_ib.cc:1295 NCCL WARN NET/IB : Got completion from peer 10.0.0.2<53120> with status=12 opcode=0 len=0 vendor err 129 (Recv)\n',
    {},
    'nccl net_ib.cc',
  ],
  // dist_init_error
  [
    'dist_init_error',
    tb('ValueError: Error initializing torch.distributed using env:// rendezvous: environment variable MASTER_ADDR expected, but not set'),
    {},
    'torch/distributed/rendezvous.py',
  ],
  [
    'dist_init_error',
    '[W socket.cpp:663] [c10d] The client socket has timed out after 600s while trying to connect to (10.0.0.1, 29500).\n',
    {},
    'torch c10d socket.cpp',
  ],
  // cuda_device_assert
  ['cuda_device_assert', tb('RuntimeError: CUDA_ERROR_ASSERT: device-side assert triggered'), {}, 'CUDA driver API'],
  // cuda_illegal_access
  [
    'cuda_illegal_access',
    tb('jaxlib.xla_extension.XlaRuntimeError: INTERNAL: CUDA_ERROR_LAUNCH_FAILED: unspecified launch failure'),
    {},
    'CUDA driver API via XLA',
  ],
  ['cuda_illegal_access', tb('RuntimeError: CUDA error: CUDA_ERROR_MISALIGNED_ADDRESS'), {}, 'CUDA driver API'],
  // cuda_env_error
  ['cuda_env_error', tb('RuntimeError: CUDA error: CUDA-capable device(s) is/are busy or unavailable'), {}, 'cudaErrorDevicesUnavailable'],
  [
    'cuda_env_error',
    tb(
      "RuntimeError: Cannot re-initialize CUDA in forked subprocess. To use CUDA with multiprocessing, you must use the 'spawn' start method",
    ),
    {},
    'torch/cuda/__init__.py _lazy_init',
  ],
  [
    'cuda_env_error',
    tb(
      'torch.cuda.DeferredCudaCallError: CUDA call failed lazily at initialization with error: device >= 0 && device < num_gpus INTERNAL ASSERT FAILED',
    ),
    {},
    'torch/cuda/__init__.py _lazy_init',
  ],
  [
    'cuda_env_error',
    tb(
      'RuntimeError: Detected that PyTorch and torchvision were compiled with different CUDA major versions. PyTorch has CUDA Version=11.8 and torchvision has CUDA Version=12.1.',
    ),
    {},
    'torchvision/extension.py',
  ],
  [
    'cuda_env_error',
    tb(
      'RuntimeError: The detected CUDA version (12.1) mismatches the version that was used to compile PyTorch (11.8). Please make sure to use the same CUDA versions.',
    ),
    {},
    'torch/utils/cpp_extension.py',
  ],
  [
    'cuda_env_error',
    tb('OSError: CUDA_HOME environment variable is not set. Please set it to your CUDA install root.'),
    {},
    'torch/utils/cpp_extension.py',
  ],
  [
    'cuda_env_error',
    tb('RuntimeError: cuDNN version incompatibility: PyTorch was compiled  against (8, 9, 2) but found runtime version (8, 5, 0).'),
    {},
    'torch/backends/cudnn/__init__.py',
  ],
  [
    'cuda_env_error',
    tb('RuntimeError: CUDA error: the provided PTX was compiled with an unsupported toolchain.'),
    {},
    'cudaErrorUnsupportedPtxVersion',
  ],
  [
    'cuda_env_error',
    tb("RuntimeError: Unable to initialize backend 'cuda': FAILED_PRECONDITION: No visible GPU devices."),
    {},
    'jax/_src/xla_bridge.py',
  ],
  [
    'cuda_env_error',
    tb(
      'RuntimeError: Unexpected error from cudaGetDeviceCount(). Did you run some cuda functions before calling NumCudaDevices() that might have already set an error? Error 802: system not yet initialized',
    ),
    {},
    'c10/cuda/CUDAFunctions.cpp',
  ],
  // gpu_hardware_error
  ['gpu_hardware_error', 'Unable to determine the device handle for GPU0000:3B:00.0: Unknown Error\n', {}, 'nvidia-smi'],
  [
    'gpu_hardware_error',
    'NVRM: Xid (PCI:0000:18:00): 119, pid=4242, name=python, Timeout after 6s of waiting for RPC response from GPU0 GSP!\n',
    {},
    'nvidia kernel driver (GSP)',
  ],
  // segfault
  [
    'segfault',
    'ERROR:torch.distributed.elastic.multiprocessing.api:failed (exitcode: -11) local_rank: 0 (pid: 4242) of binary: /usr/bin/python3\n',
    {},
    'torch elastic api.py',
  ],
  // file_not_found
  [
    'file_not_found',
    tb("FileNotFoundError: [WinError 3] The system cannot find the path specified: 'C:\\\\data\\\\train'", 'C:\\Users\\me\\train.py'),
    {},
    'Windows ERROR_PATH_NOT_FOUND',
  ],
  [
    'file_not_found',
    tb(
      "OSError: ./out/final does not appear to have a file named config.json. Checkout 'https://huggingface.co/./out/final/tree/None' for available files.",
    ),
    {},
    'transformers configuration_utils',
  ],
  [
    'file_not_found',
    tb(
      'OSError: Error no file named pytorch_model.bin, model.safetensors, tf_model.h5, model.ckpt.index or flax_model.msgpack found in directory ./out/final.',
    ),
    {},
    'transformers modeling_utils',
  ],
  [
    'file_not_found',
    tb("OSError: bert-base-uncasd is not a local folder and is not a valid model identifier listed on 'https://huggingface.co/models'"),
    {},
    'transformers utils/hub.py',
  ],
  [
    'file_not_found',
    tb(
      'huggingface_hub.errors.RepositoryNotFoundError: 404 Client Error. (Request ID: Root=1-abc)\n\nRepository Not Found for url: https://huggingface.co/api/models/someone/missing.',
    ),
    {},
    'huggingface_hub/utils/_http.py',
  ],
  [
    'file_not_found',
    tb("datasets.exceptions.DatasetNotFoundError: Dataset 'someone/missing' doesn't exist on the Hub or cannot be accessed."),
    {},
    'datasets/load.py',
  ],
  // disk_full
  [
    'disk_full',
    tb(
      'safetensors_rust.SafetensorError: Error while serializing: IoError(Os { code: 28, kind: StorageFull, message: "No space left on device" })',
    ),
    {},
    'safetensors (Rust io::Error)',
  ],
  // config_error
  [
    'config_error',
    tb("hydra.errors.MissingConfigException: Cannot find primary config 'train'. Check that it's in your config search path."),
    {},
    'hydra/_internal/config_loader_impl.py',
  ],
  [
    'config_error',
    tb('lightning.fabric.utilities.exceptions.MisconfigurationException: No `training_step()` method defined.'),
    {},
    'lightning utilities/exceptions.py',
  ],
  [
    'config_error',
    tb(
      'AssertionError: Check batch related parameters. train_batch_size is not equal to micro_batch_per_gpu * gradient_acc_step * world_size 32 != 4 * 2 * 2',
    ),
    {},
    'deepspeed/runtime/config.py',
  ],
  ['config_error', tb("omegaconf.errors.InterpolationKeyError: Interpolation key 'model.dim' not found"), {}, 'omegaconf/errors.py'],
  [
    'config_error',
    tb(
      'pydantic_core._pydantic_core.ValidationError: 1 validation error for DeepSpeedZeroConfig\nstage\n  Input should be a valid integer',
    ),
    {},
    'pydantic',
  ],
  // checkpoint_corrupt
  ['checkpoint_corrupt', tb('zipfile.BadZipFile: File is not a zip file'), {}, 'python zipfile'],
  [
    'checkpoint_corrupt',
    tb('OSError: Unable to open file (truncated file: eof = 1048576, sblock->base_addr = 0, stored_eof = 4194304)'),
    {},
    'h5py / HDF5',
  ],
  ['checkpoint_corrupt', tb('OSError: Unable to synchronously open file (file signature not found)'), {}, 'h5py / HDF5'],
  [
    'checkpoint_corrupt',
    tb(
      "OSError: Unable to load weights from pytorch checkpoint file for './ckpt/pytorch_model.bin' at './ckpt/pytorch_model.bin'. If you tried to load a PyTorch model from a TF 2.0 checkpoint, please set from_tf=True.",
    ),
    {},
    'transformers modeling_utils',
  ],
  ['checkpoint_corrupt', tb('tensorflow.python.framework.errors_impl.DataLossError: truncated record at 1234'), {}, 'tensorflow'],
  [
    'checkpoint_corrupt',
    tb('safetensors_rust.SafetensorError: Error while deserializing header: InvalidHeaderDeserialization'),
    {},
    'safetensors',
  ],
  // checkpoint_mismatch
  [
    'checkpoint_mismatch',
    tb(
      'ValueError: Trying to set a tensor of shape torch.Size([32000, 4096]) in "weight" (which has shape torch.Size([32001, 4096])), this looks incorrect.',
    ),
    {},
    'accelerate/utils/modeling.py',
  ],
  [
    'checkpoint_mismatch',
    tb("ValueError: Layer 'dense' expected 2 variables, but received 0 variables during loading. Expected: ['kernel', 'bias']"),
    {},
    'keras 3 saving',
  ],
  [
    'checkpoint_mismatch',
    tb(
      'ValueError: Shape mismatch in layer #2 (named dense_1) for weight dense_1/kernel:0. Weight expects shape (128, 10). Received saved weight with shape (128, 5)',
    ),
    {},
    'keras legacy h5 loading',
  ],
  // permission_denied
  ['permission_denied', tb("PermissionError: [Errno 1] Operation not permitted: '/mnt/shared/ckpt'"), {}, 'EPERM'],
  // network_error
  [
    'network_error',
    tb(
      "requests.exceptions.ChunkedEncodingError: ('Connection broken: IncompleteRead(0 bytes read, 512 more expected)', IncompleteRead(0 bytes read, 512 more expected))",
    ),
    {},
    'requests/urllib3',
  ],
  [
    'network_error',
    tb('aiohttp.client_exceptions.ClientConnectorError: Cannot connect to host huggingface.co:443 ssl:default [Connection reset by peer]'),
    {},
    'aiohttp',
  ],
  ['network_error', tb('TimeoutError: [Errno 110] Connection timed out'), {}, 'ETIMEDOUT'],
  // shape_error
  [
    'shape_error',
    tb(
      'ValueError: Input 0 of layer "dense" is incompatible with the layer: expected axis -1 of input shape to have value 784, but received input with shape (None, 28, 28)',
    ),
    {},
    'keras input_spec',
  ],
  ['shape_error', tb('TypeError: dot_general requires contracting dimensions to have the same shape, got (3,) and (4,).'), {}, 'jax lax'],
  ['shape_error', tb('ValueError: Incompatible shapes for broadcasting: shapes=[(8, 3), (8, 4)]'), {}, 'jax numpy'],
  [
    'shape_error',
    tb('tensorflow.python.framework.errors_impl.InvalidArgumentError: Incompatible shapes: [32,10] vs. [32,5] [Op:AddV2]'),
    {},
    'tensorflow',
  ],
  ['shape_error', tb('ValueError: Shapes (None, 10) and (None, 1) are incompatible'), {}, 'tensorflow TensorShape'],
  ['shape_error', tb('ValueError: operands could not be broadcast together with shapes (3,4) (5,) '), {}, 'numpy'],
  [
    'shape_error',
    tb(
      'RuntimeError: The expanded size of the tensor (3) must match the existing size (4) at non-singleton dimension 1.  Target sizes: [2, 3].  Tensor sizes: [2, 4]',
    ),
    {},
    'aten ExpandUtils',
  ],
  [
    'shape_error',
    tb("RuntimeError: output with shape [1, 28, 28] doesn't match the broadcast shape [3, 28, 28]"),
    {},
    'aten TensorIterator',
  ],
  [
    'shape_error',
    tb('RuntimeError: Given normalized_shape=[768], expected input with shape [*, 768], but got input of size[2, 512, 512]'),
    {},
    'aten layer_norm',
  ],
  // device_mismatch
  [
    'device_mismatch',
    tb('RuntimeError: Input and parameter tensors are not at the same device, found input tensor at cuda:0 and parameter tensor at cpu'),
    {},
    'aten RNN.cpp',
  ],
  [
    'device_mismatch',
    tb("TypeError: can't convert cuda:0 device type tensor to numpy. Use Tensor.cpu() to copy the tensor to host memory first."),
    {},
    'torch/_tensor.py',
  ],
  [
    'device_mismatch',
    tb('RuntimeError: indices should be either on cpu or on the same device as the indexed tensor (cpu)'),
    {},
    'aten indexing',
  ],
  ['device_mismatch', tb("RuntimeError: Expected a 'cuda' device type for generator but found 'cpu'"), {}, 'aten CUDAGeneratorImpl'],
  [
    'device_mismatch',
    tb(
      'ValueError: Received incompatible devices for jitted computation. Got argument x of f with shape float32[8] and device ids [0] on platform GPU and argument y of f with shape float32[8] and device ids [0] on platform CPU',
    ),
    {},
    'jax pjit',
  ],
  // dtype_error
  ['dtype_error', tb('RuntimeError: mat1 and mat2 must have the same dtype, but got Float and Half'), {}, 'aten Blas.cpp (torch 2.x)'],
  [
    'dtype_error',
    tb(
      "RuntimeError: Expected tensor for argument #1 'indices' to have one of the following scalar types: Long, Int; but got torch.cuda.FloatTensor instead (while checking arguments for embedding)",
    ),
    {},
    'aten Embedding.cpp',
  ],
  [
    'dtype_error',
    tb('RuntimeError: Index put requires the source and destination dtypes match, got Float for the destination and Half for the source.'),
    {},
    'aten Indexing',
  ],
  ['dtype_error', tb('RuntimeError: value cannot be converted to type at::Half without overflow'), {}, 'c10 TypeCast'],
  [
    'dtype_error',
    tb("TypeError: Cannot convert a MPS Tensor to float64 dtype as the MPS framework doesn't support float64. Please use float32 instead."),
    {},
    'torch mps',
  ],
  ['dtype_error', tb('TypeError: lax.add requires arguments to have the same dtypes, got float32, int32.'), {}, 'jax lax'],
  [
    'dtype_error',
    tb("TypeError: Input 'y' of 'AddV2' Op has type float32 that does not match type int32 of argument 'x'."),
    {},
    'tensorflow op_def_library',
  ],
  [
    'dtype_error',
    tb(
      "numpy.core._exceptions._UFuncOutputCastingError: Cannot cast ufunc 'add' output from dtype('float64') to dtype('int64') with casting rule 'same_kind'",
    ),
    {},
    'numpy',
  ],
  ['dtype_error', tb('RuntimeError: Only Tensors of floating point and complex dtype can require gradients'), {}, 'aten'],
  ['dtype_error', tb('RuntimeError: scatter(): Expected self.dtype to be equal to src.dtype'), {}, 'aten ScatterGather'],
  // nan_loss
  ['nan_loss', 'Current loss scale already at minimum - cannot decrease scale anymore. Exiting run.\n', {}, 'deepspeed fp16 loss_scaler'],
  ['nan_loss', 'Batch 120: Invalid loss, terminating training\n', {}, 'keras TerminateOnNaN'],
  [
    'nan_loss',
    tb('tensorflow.python.framework.errors_impl.InvalidArgumentError: loss : Tensor had NaN values'),
    {},
    'tensorflow check_numerics',
  ],
  [
    'nan_loss',
    tb(
      'ValueError: Expected parameter loc (Tensor of shape (8, 2)) of distribution Normal(loc: torch.Size([8, 2]), scale: torch.Size([8, 2])) to satisfy the constraint Real(), but found invalid values:\ntensor([[nan, nan]])',
    ),
    {},
    'torch/distributions/distribution.py',
  ],
  // preempted
  [
    'preempted',
    'slurmstepd: error: *** JOB 4242 ON node017 CANCELLED AT 2024-03-01T12:00:00 DUE TO NODE_FAIL ***\n',
    {},
    'slurm slurmstepd',
  ],
  ['preempted', 'Handling auto-requeue signal: 10\nRequeueing job 4242...\n', {}, 'lightning SLURMEnvironment / signal connector'],
  [
    'preempted',
    '(scaler +3m) Node w-7f2 (IP 10.0.3.4) will be terminated soon (reason: spot reclaim).\nTraceback (most recent call last):\n  File "run.py", line 3, in <module>\n    wait_for_workers()\n',
    {},
    "a cluster autoscaler announcing a node's termination, the job cut off after it",
  ],
  ['preempted', 'pod trainer-0 is scheduled to be evicted: node draining\n', {}, 'a pod scheduled for eviction'],
  // interrupted
  ['interrupted', 'Process finished with exit code 130 (interrupted by signal 2: SIGINT)\n', {}, 'IDE run console'],
  // import_error in the dynamic loader's words, with no exception type in front of them
  [
    'import_error',
    "/opt/env/bin/../lib/libstdc++.so.6: version `GLIBCXX_3.4.30' not found (required by /opt/env/lib/python3.11/site-packages/ext/_core.so)\n",
    {},
    'glibc ld.so version check',
  ],
  ['import_error', "/lib64/libc.so.6: version `GLIBC_2.32' not found\n", {}, 'glibc ld.so version check'],
  [
    'import_error',
    tb('OSError: [WinError 126] The specified module could not be found', 'C:\\Python310\\lib\\ctypes\\__init__.py'),
    {},
    'Windows LoadLibrary ERROR_MOD_NOT_FOUND via ctypes',
  ],
  [
    'import_error',
    tb(
      'OSError: [WinError 127] The specified procedure could not be found. Error loading "C:\\env\\lib\\site-packages\\torch\\lib\\c10.dll" or one of its dependencies.',
    ),
    {},
    'torch/__init__.py Windows DLL loading',
  ],
  // Fresh set 9 (issue 13).
  [
    'dist_init_error',
    tb('TimeoutError: The client socket has timed out after 1800s while trying to connect to (127.0.0.1, 48391).'),
    {},
    'torch/csrc/distributed/c10d/socket.cpp: the TCPStore client',
  ],
  ['interrupted', 'Train Epoch 6:  81%|█████  | ETA: 0:00:00 ( 6.73 ms/it)\nERROR: InterruptException:\n', {}, "Julia's Ctrl-C"],
  [
    'host_oom',
    '2020-11-24 20:18:25.069 - 24s - loss: 5.9945\n2020-11-24 20:22:28.106 /bin/bash: line 27: 318 Killed sh start.sh\n',
    {},
    "bash's job status inside a timestamped log",
  ],
  ['nan_loss', tb('ArithmeticError: Gradient exploded! Please train again.'), {}, 'the word family of exploding gradients'],
  // Fresh set 8 (issue 13): torch.load's safe unpickler refusing a global is no corrupt file.
  [
    'other',
    tb(
      'UnpicklingError: Weights only load failed. This file can still be loaded, to do so you have two options, do those steps only if you trust the source of the checkpoint.\nWeightsUnpickler error: Unsupported global: GLOBAL numpy.core.multiarray._reconstruct was not an allowed global by default.',
    ),
    {},
    'torch/serialization.py _get_wo_message (PyTorch 2.6)',
  ],
  // Fresh set 7 (issue 13).
  [
    'cuda_env_error',
    '"hipErrorNoBinaryForGpu: Unable to find code object for all current devices!"\nAborted (core dumped)\n',
    {},
    "ROCm's HIP runtime status names",
  ],
  [
    'dtype_error',
    tb(
      "RuntimeError: Expected tensor for argument #1 'input' to have the same type as tensor for argument #2 'weight'; but type torch.cuda.HalfTensor does not equal torch.cuda.FloatTensor",
    ),
    {},
    'ATen TensorUtils checkSameType (older builds)',
  ],
  [
    'network_error',
    tb(
      "requests.exceptions.ProxyError: (MaxRetryError(\"HTTPSConnectionPool(host='huggingface.co', port=443): Max retries exceeded with url: /x/resolve/main/config.json (Caused by ProxyError('Cannot connect to proxy.', FileNotFoundError(2, 'No such file or directory')))\"))",
    ),
    {},
    "urllib3/requests' ProxyError: a proxy's own cause is no missing path of the job",
  ],
  [
    'nan_loss',
    tb('ValueError: Network outputs is NAN! Stop Training'),
    {},
    'a user check on the model output: the word family of NaN, not of networks',
  ],
  // Fresh set 6 (issue 13): general wordings it showed the catalog lacked.
  [
    'cuda_oom',
    tb('RuntimeError: [enforce fail at event_gpu.cc:17] error == cudaSuccess. 2 vs 0. Error at: event_gpu.cc:17: out of memory'),
    {},
    'caffe2 CAFFE_ENFORCE on a CUDA status: the identifiers name the device',
  ],
  ['nan_loss', 'FloatingPointError: Loss became infinite or NaN at iteration=12!\n', {}, 'detectron2 engine/train_loop.py'],
  [
    'cuda_device_assert',
    '/work/aten/src/ATen/native/cuda/IndexKernel.cu:92: operator(): block: [0,0,0], thread: [3,0,0] Assertion index >= -sizes[i] && index < sizes[i] && "index out of bounds" failed.\n',
    {},
    'ATen CUDA_KERNEL_ASSERT as older builds print it (no backticks)',
  ],
  ['host_oom', 'step 12 loss 0.4\n已杀死\n', {}, "bash's job status in zh_CN (glibc's translation of SIGKILL's name)"],
  // Held-out rounds c194–c205 (issue 13): layouts and runtimes the catalog had not met.
  [
    'host_oom',
    tb('ray.memory_monitor.RayOutOfMemoryError: More than 95% of the memory on node n01 is used (59.62 / 62.75 GB).'),
    {},
    "older Ray's memory monitor: the node's memory, not the GPU's",
  ],
  [
    'nan_loss',
    '2024-01-02 10:00:00.1  | actor_loss/Average    nan\n2024-01-02 10:00:00.2  | value_loss/Average    nan\n2024-01-02 10:00:00.3  | divergence/Max        nan\n',
    {},
    "a tabular logger's rows (rllab's `| key   value`): a loss key and nan with nothing between but spaces",
  ],
  [
    'segfault',
    "Epoch 1/2\n *** caught segfault ***\naddress (nil), cause 'memory not mapped'\n\nTraceback:\n 1: .Call(`_reticulate_py_call_impl`, x, args, keywords)\n",
    {},
    "R's handler (reticulate, torch for R)",
  ],
  [
    'shape_error',
    "thread 'main' panicked at 'called `Result::unwrap()` on an `Err` value: ShapeMismatchBinaryOp { lhs: [4, 8, 1], rhs: [1, 3], op: \"matmul\" }'\n",
    {},
    "a Rust trainer's panic (candle): its error named by an identifier alone, read by its words",
  ],
  [
    'shape_error',
    'epoch 3 loss 0.41\nthread \'main\' panicked at src/main.rs:88:41:\ncalled `Result::unwrap()` on an `Err` value: ShapeMismatchBinaryOp { lhs: [4, 8, 1], rhs: [1, 3], op: "matmul" }\nnote: run with `RUST_BACKTRACE=1` environment variable to display a backtrace\n',
    {},
    'a Rust panic since 1.73: its message on the line below where it panicked',
  ],
  [
    'other',
    '[LoRA] Step 0/5 | Loss: 0.0000 | 0.00 it/s\nAssertion failed: (input_size == 3), function _ccv_nnc_swish_mul_back, file ccv_nnc_swish_mul_mps.m, line 130.\n',
    {},
    "C's assert() failing in native code (macOS's libc): a crash whatever it asserted, not a log that stopped",
  ],
  [
    'other',
    "step 12 loss 0.3\npython3: /src/ops/gather.c:88: gather_rows: Assertion `idx < n_rows' failed.\n",
    {},
    "C's assert() failing in native code (glibc's words)",
  ],
  [
    'cuda_env_error',
    '2024-07-22T15:14:58.817491Z ERROR burn_train::learner::application_logger: PANIC => panicked at crates/burn-wgpu/src/runtime.rs:329:17:\nNo adapter found for graphics API AutoGraphicsApi\n',
    {},
    "a Rust trainer's GPU layer (wgpu) finding no GPU it can drive, its panic's message on the line below (Rust 1.73 on)",
  ],
  [
    'import_error',
    tb("AttributeError: partially initialized module 'attacks' has no attribute 'shared' (most likely due to a circular import)"),
    {},
    "Python's own words for a module used while it was being imported",
  ],
  [
    'nccl_error',
    "[E net_dag.cc:188] Exception from operator chain starting at '' (type 'NCCLAllreduce'): caffe2::EnforceNotMet: [enforce fail at cuda_nccl_gpu.cc:24] status == ncclSuccess. 2 vs 0.  Error at: cuda_nccl_gpu.cc24: system error\n",
    {},
    "a native check of an NCCL call's status (caffe2's enforce)",
  ],
  [
    'cuda_oom',
    "terminate called after throwing an instance of 'dmlc::Error'\n  what():  [10:44:35] src/storage/./pooled_storage_manager.h:107: cudaMalloc fail\ned: out of memory\n",
    {},
    "a C++ framework's device allocator failing, its reason wrapped onto the next line",
  ],
  [
    'config_error',
    "RuntimeError: Thread ID 1400 Unexpected error. ImageDataset's num_workers=8(default=8), this value is not within the required range of [1, cpu_thread_cnt=2]\n",
    {},
    'a run setting outside the range it is held to',
  ],
  [
    'dataloader_worker_error',
    '> Traceback (most recent call last):\n>   File "/home/u/proj/datasets/coco.py", line 40, in __getitem__\n>     box = boxes[i]\n> IndexError: list index out of range\n',
    {},
    'a traceback pasted as a Markdown quote',
  ],
  [
    'dataloader_worker_error',
    "INFO | Start train epoch 2\nthread 'DataLoader Worker 1' panicked at 'assertion failed: k <= self.len()', library/core/src/slice/mod.rs:3420:9\nnote: run with `RUST_BACKTRACE=1` environment variable to display a backtrace\nAborted (core dumped)\n",
    {},
    "a Rust data loader's worker panicking: its bug, the abort its consequence",
  ],
  [
    'cuda_oom',
    'THCudaCheck FAIL file=/opt/conda/conda-bld/pytorch/work/torch/lib/THC/generic/THCStorage.c line=82 error=2 : out of memory\nSegmentation fault (core dumped)\n',
    {},
    "PyTorch 0.x's THC check failing on an allocation: the segfault after it is its consequence",
  ],
  [
    'file_not_found',
    'Traceback (most recent call last):\n  File "tools/train.py", line 80, in main\n    build(cfg)\n  File "/content/proj/data/utils/config_args.py", line 7, in config_tsv_dataset_args\n    assert op.isfile(full_yaml_file)\nAssertionError\n',
    {},
    'an existence asserted through os.path imported under another name (`op.isfile(`)',
  ],
  [
    'device_mismatch',
    'Runtime Error :Expected all tensors be on the same device, but found at least two devices, cuda:0 and cpu!\n',
    {},
    "PyTorch's words as a user retyped them",
  ],
  [
    'other',
    tb('AssertionError: same_json(Network.hyperparams(env.bestnn), e.netparams)'),
    {},
    "a neural network's identifier (`Network.hyperparams`) is no computer network",
  ],
  ['host_oom', 'epoch 3\nGetötet\n', {}, "bash's job status in de"],
  ['preempted', 'step 12 loss 0.4\n已终止\n', {}, "bash's job status in zh_CN for SIGTERM"],
  [
    'hang',
    '[1,0]<stderr>:W stall_inspector.cc:105] One or more tensors were submitted to be reduced by subset of ranks and are waiting for remainder of ranks for more than 60 seconds. This may indicate that different ranks are trying to submit different tensors, which will cause deadlock.\n[1,0]<stderr>:Stalled ranks:\n',
    {},
    "Horovod's stall inspector",
  ],
  // Held-out rounds c213–c218 (issue 13): other accelerators' runtimes, Windows, a message with no words beyond its checks.
  [
    'cuda_oom',
    tb('RuntimeError: Native API failed. Native API returns: 39 (UR_RESULT_ERROR_OUT_OF_DEVICE_MEMORY)'),
    {},
    "Intel's Unified Runtime (Level Zero's ZE_RESULT_ERROR_OUT_OF_DEVICE_MEMORY, Vulkan's VK_ERROR_OUT_OF_DEVICE_MEMORY): the device's memory",
  ],
  [
    'cuda_illegal_access',
    'Segmentation fault from GPU at 0xff00000012340000, ctx_id: 2 (CCS) type: 0 (NotPresent), level: 1 (PDE), access: 1 (Write), banned: 1, aborting.\nAborted (core dumped)\n',
    {},
    "Intel's GPU driver (compute-runtime's drm_neo): a page fault of the GPU, not of the host",
  ],
  [
    'gpu_hardware_error',
    'HW Exception by GPU node-2 (Agent handle: 0x55d0c0a0) reason :GPU Hang\nAborted (core dumped)\n',
    {},
    "ROCm's HSA runtime: the GPU stopped answering",
  ],
  [
    'host_oom',
    tb('RuntimeError:DataLoader worker (pid 3131) is killed by signal:killed'),
    {},
    "torch's worker-death message retyped without its spaces or capitals",
  ],
  [
    'permission_denied',
    "Error: [WinError 32] The process cannot access the file because it is being used by another process: 'C:\\runs\\model.tmp' -> 'C:\\runs\\model.bin'\n",
    {},
    "Windows' sharing violation (ERROR_SHARING_VIOLATION): Python raises it as a PermissionError",
  ],
  [
    'config_error',
    tb('Exception: Unknown torchvision detection model family fasterrcnn_v9'),
    {},
    'a plain Exception saying only that a name chosen by the configuration is unknown',
  ],
  // Held-out rounds c223–c225: hedges that name a cause only as a possibility, absl's flags, flax, Windows' faulthandler.
  [
    'host_oom',
    `${LOKY_TERMINATED}{SIGKILL(-9)}\n`,
    {},
    "joblib's loky executor: the hedge names two causes, the workers' exit codes decide",
  ],
  ['segfault', `${LOKY_TERMINATED}{SIGSEGV(-11)}\n`, {}, "joblib's loky executor, a worker that segfaulted"],
  [
    'network_error',
    'INFO:tensorflow:An error was raised. This may be due to a preemption in a connected worker or parameter server. The current session will be closed and a new session will be created.\nError: From /job:worker/replica:0/task:0:\nAll 10 retry attempts failed. The last failure: Unavailable: Error executing an HTTP request: HTTP response code 503\n',
    {},
    "TensorFlow's session hedging on a preemption, then saying what failed: a storage request",
  ],
  ['config_error', "ERROR: Accessing retired flag 'xla_tpu_enable_foo'\n", {}, "absl's flags: a flag this release has retired"],
  ['config_error', "FATAL Flags parsing error: Unknown command line flag 'learning_rat'\n", {}, "absl's flags: a flag never defined"],
  [
    'checkpoint_mismatch',
    'UnfilteredStackTrace: flax.errors.ScopeParamShapeError: Inconsistent shapes between value and initializer for parameter "kernel" in "/encoder/dense": (512, 256), (256, 256).\n\nThe stack trace below excludes JAX-internal frames.\n',
    {},
    "flax's shapes error as JAX's notebook wrapper prints it (`UnfilteredStackTrace: …`): parameters that do not have the model's shapes",
  ],
  [
    'cuda_env_error',
    "[36m(run_worker pid=31337)[0m ValueError: Current node has no GPU available. current_node_resource={'CPU': 8.0}. vLLM engine cannot start without GPU.\n",
    {},
    "vLLM under Ray, its coloured prefix pasted without the escape character: the node's resources list no GPU",
  ],
  [
    'segfault',
    'Windows fatal exception: access violation\n\nThread 0x00001a2c (most recent call first):\n  File "C:\\proj\\model.py", line 88 in forward\n  File "C:\\proj\\train.py", line 40 in main\n',
    {},
    "Python's faulthandler on Windows: the native crash, with the stacks it dumped",
  ],
  [
    'segfault',
    "/AppleInternal/Library/BuildRoots/0000/Library/Caches/com.apple.xbs/Sources/MetalPerformanceShaders/MPSCore/Kernels/MPSKernel.mm:120: failed assertion `[MPSNDArray initWithDevice:descriptor:] Error: total bytes of NDArray > 2**32'\n/usr/lib/python3.12/multiprocessing/resource_tracker.py:254: UserWarning: resource_tracker: There appear to be 1 leaked semaphore objects to clean up at shutdown\n",
    {},
    "Apple's frameworks (Metal, MPS) on an assertion that failed: the process aborts, it does not hang",
  ],
  [
    'segfault',
    '/src/gpucommon/src/PxgCudaMemoryAllocator.cpp (59) : warning : Failed to allocate pinned memory.\n\nSegmentation fault (core dumped)\n',
    {},
    "a GPU library's allocator failing to pin host memory (page-locked, the host's): no GPU memory ran out",
  ],
  [
    'shape_error',
    '2024-01-01 10:00:00.123456: I tensorflow/core/kernels/metrics_op.cc:150] Parsing input [32,128,7]\n2024-01-01 10:00:00.123490: F tensorflow/core/kernels/metrics_op.cc:278] Check failed: boxes.dim_size(1) == num_boxes (64 vs. 1)\n',
    {},
    "TensorFlow's C++ log format (`date time: F file:line]`) for a fatal check: two sizes that differ",
  ],
  // Held-out rounds c233–c242 (issue 13, session 24).
  [
    'host_oom',
    './scripts/run.sh: 行 104: 30820 已杀死               /opt/conda/bin/python3 train.py --batch_size 8\n',
    {},
    "bash's report of a script's killed child in zh_CN (`行` for `line`)",
  ],
  ['preempted', 'train.sh: Zeile 12:  4242 Beendet                 python train.py\n', {}, 'the same in de, for SIGTERM'],
  ['host_oom', 'Generating video...48%\nKilled_**\n', {}, 'the job status inside a Markdown-italic paste'],
  [
    'segfault',
    "max = nan, min = nan,\nquant: ./src/blas.c:66: fake_quant: Assertion `0' failed.\n已放弃 (核心已转储)\n",
    {},
    "bash's `Aborted (core dumped)` in zh_CN",
  ],
  [
    'cuda_env_error',
    '2024-06-24 22:50:13.147 [E:onnxruntime:Default, provider_bridge_ort.cc:1744 TryGetProviderInfo_CUDA] Failed to load library libonnxruntime_providers_cuda.so with error: libcublasLt.so.11: cannot open shared object file: No such file or directory\n',
    {},
    "a runtime's CUDA provider that could not load its CUDA libraries: the CUDA setup, not a Python package",
  ],
  [
    'network_error',
    tb('HTTPException: Requested public model package ngc://models/org/model@v0.2/model.zip not found'),
    {},
    "an HTTP client's exception: the remote's answer, whatever words (`not found`) it carries",
  ],
  [
    'dataloader_worker_error',
    'Traceback (most recent call last):\n  File "train.py", line 450, in main\n    print(f\'skipping {old_train_examples_raw[idx1]["task_id"]}\')\nKeyError: \'task_id\'\n',
    {},
    'a key the failing line looks up in a record of the data (`examples[i]["task_id"]`): a field the data lacks',
  ],
  [
    'other',
    "Traceback (most recent call last):\n  File \"mot.py\", line 49, in forward\n    mask_weight = batch['dense_wh_mask'].sum() + 1e-4\nKeyError: 'dense_wh_mask'\n",
    {},
    "a key the loss looks up in the batch the model was handed: the loss's code and the data's disagree, not the data alone",
  ],
  [
    'import_error',
    "C:\\env\\lib\\site-packages\\bitsandbytes\\cextension.py:34: UserWarning: The installed version of bitsandbytes was compiled without GPU support. 8-bit optimizers are unavailable.\n  warn(\"The installed version of bitsandbytes was compiled without GPU support. \"\nImportError: cannot import name 'BitsAndBytesConfig' from 'transformers'\n",
    {},
    'a warning and the source line Python shows below it (the `warn(` call) before an error it did not cause',
  ],
  [
    'nccl_error',
    'h1:1582:1705 [0] graph/xml.cc:332 NCCL WARN Could not find real path of /sys/class/pci_bus/0000:01/../../0000:01:00.0\nh1:1582:1705 [0] NCCL INFO graph/xml.cc:469 -> 2\nh1:1582:1705 [0] NCCL INFO init.cc:840 -> 2\n',
    {},
    "NCCL's trace of a failed call's result through its callers, the log cut before the error reached Python",
  ],
  [
    'import_error',
    tb('RuntimeError: apex.optimizers.FusedAdam requires cuda extensions'),
    {},
    'a package installed without its compiled extensions',
  ],
  [
    'config_error',
    'Traceback (most recent call last):\n  File "/env/lib/python3.7/site-packages/mmcv/utils/registry.py", line 52, in build_from_cfg\n    return obj_cls(**args)\n  File "/proj/mmdet/pipelines/auto_augment.py", line 98, in __init__\n    assert isinstance(policy, dict) and \'type\' in policy\nAssertionError: Each specific augmentation must be a dict with key "type".\n',
    {},
    "a class built from a configuration's section refusing its arguments in its constructor",
  ],
  ['config_error', tb('ValueError: Unknown model type models, exiting!'), {}, 'an unknown choice, the program saying it exits'],
  [
    'dataloader_worker_error',
    'RuntimeError: stack expects each tensor to be equal size, but got [3, 500, 500] at entry 0 and [3, 608, 608] at entry 9\n',
    {},
    "a batch's samples of unequal size, as collate stacks them, with no traceback to say where",
  ],
  [
    'segfault',
    tb('OSError: exception: access violation writing 0x000001B0B9C0E000'),
    {},
    'ctypes on Windows: a native function called through it crashed',
  ],
  [
    'config_error',
    "Traceback (most recent call last):\n  File \"ppo.py\", line 49, in __init__\n    self.vector = VectorBinary(dataset_name=kwargs['dataset_name'],\nKeyError: 'dataset_name'\n",
    {},
    'a keyword argument the constructor needs, looked up in its kwargs and not given',
  ],
];

test("a build without the distributed backend asked for, or gloo finding no device for the host's name, fails the same way again: not retryable", () => {
  for (const message of [
    "RuntimeError: Distributed package doesn't have NCCL built in",
    'RuntimeError: makeDeviceForHostname(): unsupported gloo device',
  ]) {
    const diagnosis = diagnoseText(tb(message));
    assert.deepEqual([diagnosis.category, diagnosis.retryable], ['dist_init_error', false], message);
  }
});

test("ranks running different collectives (torch.distributed's debug check): nccl_error, the code's, not retryable", () => {
  const log = tb(
    'RuntimeError: Detected mismatch between collectives on ranks. Rank 1 is running collective: CollectiveFingerPrint(OpType=ALLREDUCE, TensorShape=[1024], TensorDtypes=Float), but Rank 0 is running collective: CollectiveFingerPrint(OpType=BROADCAST).',
  );
  const diagnosis = diagnoseText(log);
  assert.deepEqual([diagnosis.category, diagnosis.retryable], ['nccl_error', false]);
});

test('GPUs that cannot reach each other directly (CUDA peer access unsupported, as NCCL reports it) fail every time: nccl_error, not retryable', () => {
  const log = "node01:4242:4250 [1] include/alloc.h:48 NCCL WARN Cuda failure 'peer access is not supported between these two devices'\n";
  const diagnosis = diagnoseText(log);
  assert.deepEqual([diagnosis.category, diagnosis.retryable], ['nccl_error', false]);
});

for (const [expected, text, exit, source] of cases) {
  test(`${source}: ${text.trim().split('\n').at(-1)?.slice(0, 90)} → ${expected}`, () => {
    assert.equal(diagnoseText(text, exit).category, expected);
  });
}

/** Whole logs as the frameworks lay them out: launchers' wrappers, rich and filtered tracebacks, Paddle's summaries. */
const layouts: [string, string, string][] = [
  [
    'deepspeed launch.py child failure',
    `Traceback (most recent call last):
  File "train.py", line 9, in <module>
    x = torch.ones(2, device="cuda") + torch.ones(2)
RuntimeError: tensors live on two devices here
[2024-01-01 00:00:00,000] [INFO] [launch.py:315:sigkill_handler] Killing subprocess 4242
[2024-01-01 00:00:00,000] [ERROR] [launch.py:321:sigkill_handler] ['/usr/bin/python', '-u', 'train.py', '--local_rank=0'] exits with return code = 1
`,
    'device_mismatch',
  ],
  [
    'deepspeed launch.py old raise',
    `Traceback (most recent call last):
  File "/usr/lib/python3/site-packages/deepspeed/launcher/launch.py", line 171, in <module>
    main()
  File "/usr/lib/python3/site-packages/deepspeed/launcher/launch.py", line 161, in main
    sigkill_handler(signal.SIGTERM, None)  # not coming back
  File "/usr/lib/python3/site-packages/deepspeed/launcher/launch.py", line 139, in sigkill_handler
    raise subprocess.CalledProcessError(returncode=last_return_code, cmd=cmd)
subprocess.CalledProcessError: Command '['/usr/bin/python', '-u', 'train.py']' returned non-zero exit status -9.
`,
    'host_oom',
  ],
  [
    'deepspeed return code -15',
    `[ERROR] [launch.py:321:sigkill_handler] ['/usr/bin/python', '-u', 'train.py'] exits with return code = -15\n`,
    'preempted',
  ],
  [
    'jax simplified traceback',
    `jax.errors.SimplifiedTraceback: For simplicity, JAX has removed its internal frames from the traceback of the following exception. Set JAX_TRACEBACK_FILTERING=off to include these.

The above exception was the direct cause of the following exception:

Traceback (most recent call last):
  File "train.py", line 20, in <module>
    state = step(state, batch)
TypeError: add got incompatible shapes for broadcasting: (8, 3), (8, 4).
`,
    'shape_error',
  ],
  [
    'rich traceback',
    `╭───────────────────── Traceback (most recent call last) ─────────────────────╮
│ /home/me/train.py:42 in main                                                  │
│                                                                              │
│   41 │   out = model(x)                                                      │
│ ❱ 42 │   loss = crit(out, y)                                                 │
╰──────────────────────────────────────────────────────────────────────────────╯
RuntimeError: weights on cuda:0, batch on cpu: expected them on the same device
`,
    'device_mismatch',
  ],
  [
    'paddle error summary',
    `Traceback (most recent call last):
  File "train.py", line 30, in <module>
    out = paddle.concat([a, b], axis=0)
ValueError: (InvalidArgument) The shape of input[0] and input[1] is expected to be equal.But received input[0]'s shape = [4, 3], input[1]'s shape = [4, 5].
  [Hint: Expected input_dims[0][j] == input_dims[i][j], but received input_dims[0][j]:3 != input_dims[i][j]:5.] (at /paddle/paddle/phi/kernels/funcs/concat_funcs.h:50)
`,
    'shape_error',
  ],
  [
    'paddle segv',
    `--------------------------------------
C++ Traceback (most recent call last):
--------------------------------------
0   paddle::framework::Executor::Run(paddle::framework::ProgramDesc const&)

----------------------
Error Message Summary:
----------------------
FatalError: \`Segmentation fault\` is detected by the operating system.
  [TimeInfo: *** Aborted at 1700000000 (unix time) try "date -d @1700000000" if you are using GNU date ***]
  [SignalInfo: *** SIGSEGV (@0x0) received by PID 4242 (TID 0x7f0000000000) from PID 0 ***]
`,
    'segfault',
  ],
  [
    'paddle cudnn lib',
    `Traceback (most recent call last):
  File "train.py", line 3, in <module>
    paddle.utils.run_check()
OSError: (PreconditionNotMet) The third-party dynamic library (libcudnn.so) that Paddle depends on is not configured correctly. (error code is libcudnn.so: cannot open shared object file: No such file or directory)
`,
    'cuda_env_error',
  ],
  [
    'paddle oom external',
    `OSError: (External) CUDA error(2), out of memory. \n  [Hint: 'cudaErrorMemoryAllocation'. The API call failed because it was unable to allocate enough memory to perform the requested operation. ]\n`,
    'cuda_oom',
  ],
  [
    'childfailed table sigsegv',
    `torch.distributed.elastic.multiprocessing.errors.ChildFailedError:
============================================================
train.py FAILED
------------------------------------------------------------
Failures:
  <NO_OTHER_FAILURES>
------------------------------------------------------------
Root Cause (first observed failure):
[0]:
  time      : 2024-01-01_00:00:00
  host      : node01
  rank      : 0 (local_rank: 0)
  exitcode  : -11 (pid: 4242)
  error_file: <N/A>
  traceback : Signal 11 (SIGSEGV) received by PID 4242
============================================================
`,
    'segfault',
  ],
  [
    'keras 3 traceback',
    `Traceback (most recent call last):
  File "train.py", line 12, in <module>
    model.fit(x, y)
  File "/usr/lib/python3/site-packages/keras/src/utils/traceback_utils.py", line 122, in error_handler
    raise e.with_traceback(filtered_tb) from None
  File "/usr/lib/python3/site-packages/keras/src/layers/input_spec.py", line 227, in assert_input_compatibility
    raise ValueError(
ValueError: Input 0 of layer "dense" is incompatible with the layer: expected axis -1 of input shape to have value 32, but received input with shape (None, 16)

Arguments received by Dense.call():
  • inputs=tf.Tensor(shape=(None, 16), dtype=float32)
`,
    'shape_error',
  ],
  [
    'dataloader reraise of file error',
    `Traceback (most recent call last):
  File "train.py", line 40, in <module>
    for batch in loader:
RuntimeError: Caught FileNotFoundError in DataLoader worker process 2.
Original Traceback (most recent call last):
  File "/usr/lib/python3/site-packages/torch/utils/data/_utils/worker.py", line 308, in _worker_loop
    data = fetcher.fetch(index)
  File "ds.py", line 12, in __getitem__
    img = Image.open(path)
FileNotFoundError: [Errno 2] No such file or directory: '/data/img_7.jpg'
`,
    'file_not_found',
  ],
  [
    'assertion with message',
    `Traceback (most recent call last):
  File "train.py", line 5, in <module>
    assert os.path.exists(cfg.data), f"dataset folder {cfg.data} does not exist"
AssertionError: dataset folder /data/imagenet does not exist
`,
    'file_not_found',
  ],
  [
    'windows oom new wording',
    `Traceback (most recent call last):
  File "C:\\Users\\me\\proj\\train.py", line 42, in <module>
    loss.backward()
torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 64.00 MiB. GPU 0 has a total capacity of 8.00 GiB of which 0 bytes is free. Of the allocated memory 7.10 GiB is allocated by PyTorch, and 120.00 MiB is reserved by PyTorch but unallocated.
`,
    'cuda_oom',
  ],
  ['signal exception 15', `torch.distributed.elastic.multiprocessing.api.SignalException: Process 4242 got signal: 15\n`, 'preempted'],
  ['k8s evicted', `Status:  Failed\nReason:  Evicted\nMessage: The node was low on resource: ephemeral-storage.\n`, 'preempted'],
];

for (const [name, text, expected] of layouts) {
  test(`layout: ${name} → ${expected}`, () => {
    assert.equal(diagnoseText(text).category, expected);
  });
}
