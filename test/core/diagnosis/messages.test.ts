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
  // A download refused or missing (HTTP 401/403/404), as wget, curl and urllib print it (retryable: see below).
  [
    'network_error',
    '--2024-05-01 10:00:00--  https://example.org/data/train.tar\nHTTP request sent, awaiting response... 404 Not Found\n2024-05-01 10:00:01 ERROR 404: Not Found.\n',
  ],
  ['network_error', 'curl: (22) The requested URL returned error: 403\n'],
  ['network_error', tb('urllib.error.HTTPError: HTTP Error 401: Unauthorized')],
  [
    'cuda_oom',
    tb(
      'torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 20.00 MiB. GPU 0 has a total capacity of 23.69 GiB of which 1.06 MiB is free.',
    ),
  ],
  // MPS given a CPU tensor: its storage was never placed on the device.
  ['device_mismatch', tb('RuntimeError: Placeholder storage has not been allocated on MPS device!')],
  // Lower-case in recent PyTorch.
  ['dtype_error', tb('RuntimeError: only Tensors of floating point dtype can require gradients')],
  // torch.distributed built without the backend asked for (NCCL on Windows or macOS); a spawned child then finds its pipe empty.
  [
    'dist_init_error',
    "RuntimeError: Distributed package doesn't have NCCL built in\nEOFError: Ran out of input\nERROR:torch.distributed.elastic.multiprocessing.api:failed (exitcode: 1) local_rank: 0 (pid: 27316) of binary: C:\\python.exe\n",
  ],
  // An MLIR-based backend's op diagnostic (MPSGraph, XLA) before the process dies of it: the op's complaint is the cause.
  [
    'dtype_error',
    "(mpsFileLoc): /AppleInternal/Library/MPSGraphUtilities.mm:228:0: error: 'mps.add' op requires the same element type for all operands and results\nzsh: segmentation fault  ./webui.sh\n",
  ],
  [
    'shape_error',
    "0it [00:00, ?it/s](mpsFileLoc): /AppleInternal/Library/MPSGraphUtilities.mm:39:0: error: 'mps.matmul' op contracting dimensions differ 3072 & 784\nzsh: segmentation fault  python train.py\n",
  ],
  // JAX's coordination service: the hosts never all registered (multi-host start-up).
  [
    'dist_init_error',
    'Stopping coordination service as cluster registration failed. This may be due to 1) some tasks crashed earlier before connecting\n\nOriginal error: DEADLINE_EXCEEDED: Barrier timed out. Id: [Init]Wait_for_all_tasks_to_register::0.\n',
  ],
  // torch.distributions' argument validation before torch 1.8 (later: "to satisfy the constraint … but found invalid values").
  ['nan_loss', tb('ValueError: The parameter loc has invalid values')],
  // A distributed runtime's server failing to bind its port (DGL's RPC, errno 99: the address is not this machine's).
  [
    'dist_init_error',
    '/opt/dgl/src/rpc/network/tcp_socket.cc:69: Failed bind on 10.1.2.3:3026 ,errno=99\n\ndgl._ffi.base.DGLError: [11:33:22] /opt/dgl/src/rpc/network/socket_communicator.cc:197: Cannot bind to 10.1.2.3:3026\n',
  ],
  // A CUDA library that cannot start (no usable GPU behind a CUDA build).
  [
    'cuda_env_error',
    tb(
      'dgl._ffi.base.DGLError: [09:04:14] src/random/random.cc:34: Check failed: e == CURAND_STATUS_SUCCESS: CURAND Error: CURAND_STATUS_INITIALIZATION_FAILED at src/random/random.cc:34',
    ),
  ],
  // A data loader that waited past its timeout for a batch: the data loading stalled (PyTorch; MXNet's gluon).
  ['hang', tb('RuntimeError: DataLoader timed out after 60 seconds')],
  [
    'hang',
    'Worker timed out after 120 seconds. This might be caused by \n\n  - Slow transform. Please increase timeout to allow slower data loading in each worker.\n',
  ],
  ['cuda_oom', tb('RuntimeError: CUDA error: out of memory\nCUDA kernel errors might be asynchronously reported at some other API call')],
  ['cuda_oom', tb('RuntimeError: CUDA error: CUBLAS_STATUS_ALLOC_FAILED when calling `cublasCreate(handle)`')],
  ['cuda_oom', tb('torch.OutOfMemoryError: HIP out of memory. Tried to allocate 2.00 GiB (GPU 0; 63.98 GiB total capacity)')],
  ['cuda_oom', 'jaxlib.xla_extension.XlaRuntimeError: RESOURCE_EXHAUSTED: Out of memory while trying to allocate 17179869184 bytes.\n'],
  // An exception line a paste wrapped in markdown (`**"…`), no traceback above it.
  [
    'shape_error',
    '**"MXNetError: [19:12:27] include/mxnet/tensor_blob.h:257: Check failed: this->shape_.Size() == shape.Size() (201 vs. 200) TBlob.get_with_shape: new and old shape do not match total elements\n**\n',
  ],
  // Hydra's short report, no exception type (HYDRA_FULL_ERROR unset).
  [
    'config_error',
    "In 'train': Could not find 'optimizer/adamw'\n\nAvailable options in 'optimizer':\n\tsgd\nConfig search path:\n\tprovider=hydra, path=pkg://hydra.conf\n\nSet the environment variable HYDRA_FULL_ERROR=1 for a complete stack trace.\n",
  ],
  // TensorFlow 1 names the error after its op's creation stack, pointing back at the traceback.
  ['nan_loss', 'InvalidArgumentError (see above for traceback): Nan in summary histogram for: discriminator/logits\n'],
  // A CPU-only build asked for a GPU (MXNet; TensorFlow says it its way).
  ['cuda_env_error', tb('mxnet.base.MXNetError: [08:47:13] src/storage/storage.cc:119: Compile with USE_CUDA=1 to enable GPU usage')],
  [
    'cuda_env_error',
    tb('tensorflow.python.framework.errors_impl.InvalidArgumentError: Cannot assign a device: Not compiled with GPU support'),
  ],
  // PyTorch's device check, cut short where it was pasted.
  ['device_mismatch', tb('RuntimeError: Expected all tensors to be on the same')],
  // A setting left out, named by its identifier (a trainer's arguments).
  ['config_error', tb('ValueError: The train_dataset does not implement __len__, warmup_steps has to be specified')],
  // A remote API's client with the server's failure status.
  ['network_error', tb("nixtla.core.api_error.ApiError: status_code: 500, body: {'status': 500, 'data': None}")],
  // A setting quoted by name, left out (`` `datasets` must be provided ``), whatever function checked it.
  ['config_error', tb('AssertionError: `datasets` must be provided for dataset sources')],
  ['config_error', tb('ValueError: `output_dir` must be specified when saving checkpoints')],
  // A gradient-boosting library built without its GPU learner, asked for it.
  [
    'cuda_env_error',
    tb('lightgbm.basic.LightGBMError: GPU Tree Learner was not enabled in this build.\nPlease recompile with CMake option -DUSE_GPU=1'),
  ],
  // An accelerator array's allocation that failed (Theano's CudaNdarray, in its words).
  ['cuda_oom', tb('RuntimeError: CudaNdarray_ZEROS: allocation failed.')],
  ['host_oom', tb('RuntimeError: [enforce fail at alloc_cpu.cpp:114] data. DefaultCPUAllocator: memory allocation failed')],
  // CuPy's memory pool in its newer words (Chainer prints it above the traceback).
  [
    'cuda_oom',
    'Exception in main training loop: Out of memory allocating 268,435,456 bytes (allocated so far: 3,221,225,472 bytes).\nTraceback (most recent call last):\n  File "/usr/lib/python3/dist-packages/chainer/training/trainer.py", line 343, in run\n    update()\n',
  ],
  // CUDA's word for a kernel not built for this GPU's architecture, as a JIT framework reports it.
  ['cuda_env_error', '[Reason]: cudaFuncSetSharedMemConfig(kernel) in file src/calls.h:2\nError message: invalid device function\n'],
  // The driver's unknown error from a CUDA call, as PyTorch and a C++ engine's uncaught exception word it, before the abort.
  ['cuda_env_error', tb('RuntimeError: CUDA error: unknown error')],
  [
    'cuda_env_error',
    "terminate called after throwing an instance of 'StringError'\n  what():  CUDA Error, for createComputeHandle file backend.cpp, func cudaSetDevice(gpuIdx), line 2706, error unknown error\nAborted\n",
  ],
  [
    'cuda_env_error',
    tb('RuntimeError: cuda runtime error (8) : invalid device function at /pytorch/aten/src/THC/generic/THCTensorMath.cu:35'),
  ],
  // A loader that checks the path first says the path is no file of the kind it loads (mmcv's load_checkpoint).
  ['file_not_found', tb('OSError: ../checkpoints/model_final.pth is not a checkpoint file')],
  // PyTorch before 1.0 called the device a backend.
  ['device_mismatch', tb("RuntimeError: Expected object of backend CUDA but got backend CPU for argument #2 'mat2'")],
  // Two sizes set against each other with `but` (torch's unfold).
  ['shape_error', tb('RuntimeError: maximum size for tensor at dimension 1 is 3 but size is 4')],
  // The shell's report of SIGSEGV in a translated locale, glued to the bar it cut short.
  ['segfault', 'Validating:   0%|          | 0/4071 [00:00<?, ?it/s]段错误 (核心已转储)\n'],
  ['segfault', 'epoch 1 step 20\nSpeicherzugriffsfehler (Speicherabzug geschrieben)\n'],
  // Platforms' reports of how the container ended: its exit status, the cloud taking its capacity back; the NVIDIA
  // container runtime refusing this host's driver.
  ['segfault', 'AlgorithmError: Exit Code: 139\n'],
  // zsh's name for SIGABRT.
  ['segfault', "terminate called after throwing an instance of 'std::runtime_error'\nzsh: IOT instruction (core dumped)  ./train\n"],
  // A kernel image the driver cannot load (Triton under torch.compile); no CUDA toolkit for an extension built at run time.
  ['cuda_env_error', tb('RuntimeError: Triton Error [CUDA]: device kernel image is invalid')],
  ['cuda_env_error', 'CUDA_HOME does not exist, unable to compile CUDA op(s)\n'],
  // Open MPI's runtime failing to start, or refusing more processes than the hosts offer; NCCL's socket transport in its `Last error:`.
  [
    'dist_init_error',
    '[host:03743] [[INVALID],INVALID] ORTE_ERROR_LOG: A system-required executable either could not be found in file ess_singleton_module.c at line 458\nIt looks like orte_init failed for some reason; your parallel process is\n',
  ],
  [
    'config_error',
    'There are not enough slots available in the system to satisfy the 8 slots\nthat were requested by the application:\n  python\n',
  ],
  ['nccl_error', 'node2: Last error:\nnode2: Net : Call to recv from 10.0.0.2<56843> failed : Connection refused\n'],
  // The JVM's heap (Spark, H2O) and dask's nanny are host memory; JAX's coordination service never registering a task is start-up.
  [
    'host_oom',
    "Exception: DistributedException from host/10.0.0.9:54321: 'Java heap space', caused by java.lang.OutOfMemoryError: Java heap space\n",
  ],
  [
    'host_oom',
    'distributed.nanny - WARNING - Worker exceeded 95% memory budget.  Restarting\ndistributed.nanny - WARNING - Restarting worker\n',
  ],
  [
    'dist_init_error',
    'Additional GRPC error information from remote target unknown_target_for_coordination_leader while calling /tensorflow.CoordinationService/RegisterTask:\n',
  ],
  // A vision-language model's prompt holding fewer image tokens than the vision tower gave features.
  ['shape_error', tb('ValueError: Image features and image tokens do not match: tokens: 0, features 324')],
  // ENOTDIR: a part of the path that should be a directory is not one.
  ['file_not_found', "python: can't open file 'speakerlab/bin/train.py': [Errno 20] Not a directory\n"],
  ['preempted', 'Run failed with error code INTERRUPTED_BY_NO_CAPACITY. Check CLI and server logs for more details.\n'],
  [
    'cuda_env_error',
    'error running prestart hook #0: exit status 1\nnvidia-container-cli: requirement error: unsatisfied condition: cuda>=12.8, please update your driver to a newer version, or use an earlier cuda container: unknown\n',
  ],
  // An image TensorFlow cannot decode: a sample that fails to load.
  [
    'dataloader_worker_error',
    tb('tensorflow.python.framework.errors_impl.InvalidArgumentError: Invalid JPEG data or crop window, data size 32768'),
  ],
  // h5py's older wording of a file that is no HDF5 (a weights download cut short, an HTML page).
  ['checkpoint_corrupt', tb('OSError: Unable to open file (Unable to find a valid file signature)')],
  // zsh's word for a job the kernel killed.
  ['host_oom', 'Epoch 3: 41%|####      | 410/1000\n[1]    52817 killed     python train.py --cfg big.yaml\n'],
  ['host_oom', 'loading shards\nzsh: killed     python3 preprocess.py\n'],
  // numpy writing fewer bytes than asked: the disk filled under it.
  ['disk_full', tb('OSError: 1048576 requested and 0 written', '  File "prep.py", line 9, in <module>\n    np.save(out, spec)\n')],
  // TensorFlow failing to open an input (its file system's NotFound; the OS reason after it may be localised).
  [
    'file_not_found',
    '2018-05-31 09:40:11.021306: W tensorflow/core/framework/op_kernel.cc:1318] OP_REQUIRES failed at whole_file_read_ops.cc:114 : Not found: NewRandomAccessFile failed to Create/Open: /data/train/0001.png : No such file\n',
  ],
  // OpenCV's host allocator failing (its GPU module words its errors `Gpu API call`).
  [
    'host_oom',
    tb(
      "cv2.error: OpenCV(4.8.0) /io/opencv/modules/core/src/alloc.cpp:73: error: (-4:Insufficient memory) Failed to allocate 6220800 bytes in function 'OutOfMemoryError'",
    ),
  ],
  // A local folder that is not there, handed on to the hub as a repository id.
  [
    'file_not_found',
    tb(
      "huggingface_hub.errors.HFValidationError: Repo id must be in the form 'repo_name' or 'namespace/repo_name': '/data/runs/ft/checkpoint-400'. Use `repo_type` argument if needed.",
    ),
  ],
  [
    'file_not_found',
    tb("huggingface_hub.utils._validators.HFValidationError: Repo id must use alphanumeric chars or '-', '_', '.': './out/lora_adapter'."),
  ],
  // A malformed id that is no path stays the configuration's.
  ['config_error', tb("huggingface_hub.errors.HFValidationError: Repo id must use alphanumeric chars or '-', '_', '.': 'llama 7b chat'.")],
  // Tensors saved on a GPU, loaded where no GPU is seen.
  [
    'cuda_env_error',
    tb(
      "RuntimeError: Attempting to deserialize object on a CUDA device but torch.cuda.is_available() is False. If you are running on a CPU-only machine, please use torch.load with map_location=torch.device('cpu') to map your storages to the CPU.",
    ),
  ],
  // A loader that only warns of a library it could not open, and carries on: the collective that timed out later is the cause.
  [
    'nccl_timeout',
    "libibverbs: Warning: couldn't load driver 'libmlx4-rdmav34.so': libmlx4-rdmav34.so: cannot open shared object file: No such file or directory\n[rank1]:[E1012 20:28:49.057051422 ProcessGroupNCCL.cpp:607] [Rank 1] Watchdog caught collective operation timeout: WorkNCCL(SeqNum=668, OpType=ALLREDUCE, NumelIn=52, NumelOut=52, Timeout(ms)=600000) ran for 600097 milliseconds before timing out.\n",
  ],
  // LSF's reasons for ending a job: its owner's kill (the job saw SIGTERM), its memory limit.
  ['interrupted', 'KeyboardInterrupt\nTerminated\n\nTERM_OWNER: job killed by owner.\nExited with exit code 143.\n'],
  ['host_oom', 'Killed\n\nTERM_MEMLIMIT: job killed after reaching LSF memory usage limit.\nExited with exit code 137.\n'],
  // A TPU worker lost under TensorFlow's TPU estimator: the TPU was taken away.
  [
    'preempted',
    'INFO:tensorflow:Outfeed finished for iteration (1862, 53)\nINFO:tensorflow:ShutdownHook: lame workers found: HeartbeatManager(/job:worker/replica:0/task:0/device:CPU:0)\n',
  ],
  // TensorFlow 1's Saver restoring into a graph built differently.
  [
    'checkpoint_mismatch',
    'InvalidArgumentError (see above for traceback): Restoring from checkpoint failed. This is most likely due to a mismatch between the current graph and the graph from the checkpoint. Please ensure that you have not altered the graph expected based on the checkpoint. Original error:\n\nAssign requires shapes of both tensors to match. lhs shape= [3,3,256,1] rhs shape= [3,3,512,1]\n',
  ],
  // A command-line option left out, named as the user must pass it.
  ['config_error', tb("ValueError: Please specify an output format with '--to <format>'.")],
  // A pod that wrote past its own ephemeral storage limit: its disk is full.
  [
    'disk_full',
    '  Warning  Evicted   2m   kubelet   Pod ephemeral local storage usage exceeds the total limit of containers 10Gi.\n  Normal   Killing   2m   kubelet   Stopping container trainer\n',
  ],
  // The DataLoader's shared-memory message with the paste's line break after `Bus`.
  [
    'shm_exhausted',
    "RuntimeError: DataLoader worker (pid 51) is killed by signal: Bus\nerror. It is possible that dataloader's workers are out of shared\nmemory. Please try to raise your shared memory limit.\n",
  ],
  // The Intel Fortran runtime under NumPy on Windows, ending the process on Ctrl-C.
  [
    'interrupted',
    'Step: 1200. Mean Reward: 3.2.\nforrtl: error (200): program aborting due to control-C event\nImage              PC                Routine            Line        Source\n',
  ],
  // c10d's store refused a privileged port: the process group did not start, whatever errno 13 says.
  [
    'dist_init_error',
    tb(
      'torch.distributed.DistNetworkError: The server socket has failed to listen on any local network address. The server socket has failed to bind to [::]:99 (errno: 13 - Permission denied).',
    ),
  ],
  // ROCm's HSA runtime reporting an AMD GPU's memory fault.
  [
    'cuda_illegal_access',
    'Memory access fault by GPU node-2 (Agent handle: 0x55d0c0a2b860) on address 0x7f2a3c000000. Reason: Page not present or supervisor privilege.\nAborted (core dumped)\n',
  ],
  // cuDNN unable to load its parts because the driver's library is missing.
  [
    'cuda_env_error',
    'Could not load library libcudnn_ops_infer.so.8. Error: libcuda.so: cannot open shared object file: No such file or directory\nAborted\n',
  ],
  // torch.compile's Triton on a GPU older than it supports.
  [
    'cuda_env_error',
    tb(
      'RuntimeError: Found Tesla P100-PCIE-16GB which is too old to be supported by the triton GPU compiler, which is used as the backend. Triton only supports devices of CUDA Capability >= 7.0, but your device is of CUDA capability 6.0',
    ),
  ],
  // GradScaler given FP16 weights.
  ['dtype_error', tb('ValueError: Attempting to unscale FP16 gradients.')],
  // A message saying what it tried to load from a URL: reaching it is what failed.
  [
    'network_error',
    tb(
      "OSError: Can't load tokenizer for 'org/some-model'. If you were trying to load it from 'https://huggingface.co/models', make sure you don't have a local directory with the same name.",
    ),
  ],
  // A message that links an issue is no network failure.
  [
    'other',
    tb(
      "NotImplementedError: The operator 'aten::foo.out' is not currently implemented for the XYZ device. Please comment on https://github.com/pytorch/pytorch/issues/1 to ask for it.",
    ),
  ],
  // A worker streaming its samples over HTTP that could not reach the server: the network, in that worker.
  [
    'network_error',
    tb(
      'requests.exceptions.ConnectionError: Caught ConnectionError in DataLoader worker process 0.\nOriginal Traceback (most recent call last):\n  File "/venv/lib/python3.10/site-packages/requests/adapters.py", line 519, in send\n    raise ConnectionError(e, request=request)\nrequests.exceptions.ConnectionError: HTTPSConnectionPool(host=\'data.example.org\', port=443): Max retries exceeded with url: /shard-0001.npy',
    ),
  ],
  // A bare assertion says what it asserted on its source line: a path's existence, shapes that must match.
  ['file_not_found', tb('AssertionError', '  File "data_utils.py", line 35, in __init__\n    assert os.path.exists(self.path2)\n')],
  ['file_not_found', tb('AssertionError', '  File "train.py", line 12, in main\n    assert Path(cfg.data_root).exists()\n')],
  ['shape_error', tb('AssertionError', '  File "model.py", line 88, in forward\n    assert x.shape[1] == 3, x.shape\n')],
  // torch's samplers and ConcatDataset refusing an empty dataset: nothing was found where the job looked.
  ['file_not_found', tb('ValueError: num_samples should be a positive integer value, but got num_samples=0')],
  ['file_not_found', tb('AssertionError: datasets should not be an empty iterable')],
  // A gRPC client with no server to reach.
  [
    'network_error',
    tb(
      'grpc._channel._MultiThreadedRendezvous: <_MultiThreadedRendezvous of RPC that terminated with:\n\tstatus = StatusCode.UNAVAILABLE\n\tdetails = "failed to connect to all addresses"',
    ),
  ],
  // What a worker raised, raised again by the DataLoader with its message lost: a sample failed to load.
  [
    'dataloader_worker_error',
    tb(
      'soundfile.LibsndfileError: <exception str() failed>',
      '  File "train.py", line 423, in train\n    for batch in loader:\n  File "/venv/lib/site-packages/torch/utils/data/dataloader.py", line 1371, in _process_data\n    data.reraise()\n  File "/venv/lib/site-packages/torch/_utils.py", line 694, in reraise\n    raise exception\n',
    ),
  ],
  // TensorFlow copying an input onto a GPU with no room left for it.
  [
    'cuda_oom',
    tb(
      'tensorflow.python.framework.errors_impl.InternalError: Failed copying input tensor from /job:localhost/replica:0/task:0/device:CPU:0 to /job:localhost/replica:0/task:0/device:GPU:0 in order to run _EagerConst: Dst tensor is not initialized.',
    ),
  ],
  // XLA failing to start cuDNN.
  [
    'cuda_env_error',
    tb(
      'jaxlib.xla_extension.XlaRuntimeError: FAILED_PRECONDITION: DNN library initialization failed. Look at the errors above for more details.',
    ),
  ],
  // Keras loading weights saved from a model with another number of layers.
  ['checkpoint_mismatch', tb('ValueError: You are trying to load a weight file containing 12 layers into a model with 10 layers.')],
  // absl's flag errors name a flag, not a config: still the configuration.
  ['config_error', tb('absl.flags._exceptions.IllegalFlagValueError: flag --batch_size=abc: could not convert string to int')],
  // Memory that "is not enough", with a graph node's path that names a network (the model's), not the network.
  ['host_oom', tb("RuntimeError: Allocate for output failed, memory isn't enough, node: Default/network/backbone/Conv2D-op12")],
  // A configuration framework's binding to a parameter its configurable lacks (gin).
  ['config_error', tb("ValueError: Configurable 'trainer.fit' doesn't have a parameter named 'num_shards'.")],
  // Keras loading weights by name into a model built differently: what was saved has another shape.
  [
    'checkpoint_mismatch',
    tb(
      'ValueError: Layer #12 (named "head"), weight <tf.Variable \'head/kernel:0\' shape=(256, 10) dtype=float32> has shape (256, 10), but the saved weight has shape (256, 12).',
    ),
  ],
  // A CUDA library loaded at run time older than the one the framework was built against (XLA's check).
  [
    'cuda_env_error',
    'E external/xla/xla/stream_executor/cuda/cuda_dnn.cc:439] Loaded runtime CuDNN library: 8.2.1 but source was compiled with: 8.9.4.  CuDNN library needs to have matching major version and equal or higher minor version.\n',
  ],
  // Windows' loader failing on an extension's DLL, worded since Python 3.8 as a FileNotFoundError of the DLL.
  [
    'import_error',
    tb(
      "FileNotFoundError: Could not find module 'C:\\envs\\ml\\lib\\site-packages\\graphlib\\native.dll' (or one of its dependencies). Try using the full path with constructor syntax.",
      '  File "C:\\envs\\ml\\lib\\ctypes\\__init__.py", line 376, in __init__\n    self._handle = _dlopen(self._name, mode)\n',
    ),
  ],
  // Another framework's distributed start timing out at its connect barrier: the start failed, no collective timed out.
  [
    'dist_init_error',
    tb(
      'jaxlib.xla_extension.XlaRuntimeError: DEADLINE_EXCEEDED: Barrier timed out. Barrier_id: PjRT_Client_Connect. Timed out task names:',
      '  File "/opt/venv/lib/python3.11/site-packages/jax/_src/distributed.py", line 183, in initialize\n    global_state.initialize(coordinator_address, num_processes, process_id)\n  File "/opt/venv/lib/python3.11/site-packages/jax/_src/distributed.py", line 101, in initialize\n    self.client.connect()\n',
    ),
  ],
  // CuPy's status for a CUDA runtime that cannot start (PyTorch calls it `CUDA unknown error`).
  ['cuda_env_error', tb('cupy.cuda.runtime.CUDARuntimeError: cudaErrorUnknown: unknown error')],
  // TensorFlow's status for ENOSPC is RESOURCE_EXHAUSTED, with the file it was writing as the message.
  [
    'disk_full',
    '2018-04-14 02:55:47.490099: W tensorflow/core/framework/op_kernel.cc:1158] Resource exhausted: /data/runs/model.ckpt-2000.data-00000-of-00001.tempstate13881274976169662731\n',
  ],
  // Chainer's trainer names the error before its traceback (here cut): CuPy's older wording of its memory pool running out.
  [
    'cuda_oom',
    'Exception in main training loop: out of memory to allocate 8388608 bytes (total 4294967296 bytes)\nTraceback (most recent call last):\n  File "/usr/lib/python3/dist-packages/chainer/training/trainer.py", line 306, in run\n    update()\n',
  ],
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
  // ROCm's kernel printing its assertion, with nothing after it.
  [
    'cuda_device_assert',
    "/pytorch/aten/src/ATen/native/hip/Indexing.hip:1292: indexSelectLargeIndex: Device-side assertion `srcIndex < srcSelectDimSize' failed.\n",
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
  // A native library said missing in the loader's other words, with no exception: a broken install.
  ['import_error', '>>> import recsys\nFile kernels_gpu_py.so not found\n'],
  ['import_error', 'ldd ext.so\n\tlibcudnn.so.8 => not found\n'],
  // A path the program looked for, said not found in its own words.
  ['file_not_found', 'loading data\n./data/de-en/processed/valid.de.pth not found\n./data/de-en/processed/test.de.pth not found\n'],
  // A console that wraps long lines cuts the kernel's assert in two.
  [
    'cuda_device_assert',
    '[ 2.10s/it] /opt/pytorch/aten/src/ATen/native/cuda/IndexKernel.cu:92: block: [0,\n0,0], thread: [31,0,0] Assertion `index >= -sizes[i] && index < sizes[i] && "index out of bounds"` fa\niled.\n',
  ],
  // The kernel's OOM report, pasted from a localised console (no space after the colon, full-width parentheses).
  ['host_oom', 'epoch 1\nOut of memory:Killed process 51234（python）total-vm:90518872kB, anon-rss:30204444kB\n'],
  // A choice the code does not know, and nothing more: a configuration's name.
  ['config_error', tb('ValueError: Unknown architecture: graph_net_v2')],
  ['config_error', tb('KeyError: "Unsupported optimizer \'adamw8\'"')],
  ['other', tb("ValueError: Unknown format code 'd' for object of type 'float'")],
  ['file_not_found', tb("FileNotFoundError: [Errno 2] No such file or directory: 'data/train.csv'")],
  ['pickling_error', tb("AttributeError: Can't pickle local object 'main.<locals>.collate'")],
  ['segfault', 'Segmentation fault (core dumped)\n', { exitCode: 139 }],
  [
    'dataloader_worker_error',
    tb(
      'KeyError: Caught KeyError in DataLoader worker process 0.\nOriginal Traceback (most recent call last):\n  File "dataset.py", line 12, in __getitem__\n    return self.items[i]\nKeyError: 17',
    ),
  ],

  [
    'nccl_error',
    tb(
      'torch.distributed.DistBackendError: NCCL error in: ../torch/csrc/distributed/c10d/ProcessGroupNCCL.cpp:1275, unhandled system error (run with NCCL_DEBUG=INFO for details), NCCL version 2.18.1\nncclSystemError: System call (e.g. socket, malloc) or external library call failed or device error.',
    ),
  ],
  [
    'nccl_error',
    tb(
      'RuntimeError: NCCL communicator was aborted on rank 1.  Original reason for failure was: NCCL error: remote process exited or there was a network error',
    ),
  ],
  [
    'nccl_timeout',
    tb(
      'RuntimeError: [../third_party/gloo/gloo/transport/tcp/unbound_buffer.cc:81] Timed out waiting 1800000ms for recv operation to complete',
    ),
  ],
  [
    'dist_init_error',
    tb(
      "RuntimeError: [1] is setting up NCCL communicator and retrieving ncclUniqueId from [0] via c10d key-value store by key '0', but store->get('0') got error: Connection reset by peer",
    ),
  ],
  ['dist_init_error', tb('torch.distributed.DistStoreError: Timed out after 1801 seconds waiting for clients. 1/2 clients joined.')],
  ['dist_init_error', tb('RuntimeError: connect() timed out. Original timeout was 1800000 ms.')],
  [
    'cuda_env_error',
    tb('RuntimeError: CUDA error: invalid device ordinal\nCUDA kernel errors might be asynchronously reported at some other API call'),
  ],
  ['cuda_env_error', tb('RuntimeError: No CUDA GPUs are available')],
  ['cuda_env_error', tb('RuntimeError: CUDA error: CUDA driver version is insufficient for CUDA runtime version')],
  ['cuda_illegal_access', tb('RuntimeError: CUDA error: misaligned address')],
  ['cuda_illegal_access', tb('RuntimeError: CUDA error: unspecified launch failure')],
  [
    'config_error',
    tb("hydra.errors.MissingConfigException: Cannot find primary config 'config'. Check that it's in your config search path."),
  ],
  ['config_error', tb('omegaconf.errors.MissingMandatoryValue: Missing mandatory value: model.name\n    full_key: model.name')],
  ['config_error', tb('yaml.scanner.ScannerError: mapping values are not allowed here\n  in "config.yaml", line 3, column 8')],
  ['shm_exhausted', tb('RuntimeError: unable to write to file </torch_1234_567_8>: No space left on device (28)')],
  // The segment could not be opened for want of a file descriptor (EMFILE), not of room in /dev/shm: `ulimit -n` or the
  // file_system sharing strategy fixes it, not a larger /dev/shm.
  [
    'too_many_open_files',
    tb('RuntimeError: unable to open shared memory object </torch_1234_5678> in read-write mode: Too many open files (24)'),
  ],
  [
    'shm_exhausted',
    tb('RuntimeError: unable to open shared memory object </torch_1234_5678> in read-write mode: No such file or directory (2)'),
  ],
  ['host_oom', tb('RuntimeError: DataLoader worker (pid 4321) is killed by signal: Killed. ')],
  ['host_oom', tb('MemoryError')],
  ['dtype_error', tb('RuntimeError: expected mat1 and mat2 to have the same dtype, but got: float != c10::Half')],
  [
    'dtype_error',
    tb(
      "RuntimeError: Expected object of scalar type Long but got scalar type Float for argument #2 'target' in call to _thnn_nll_loss_forward",
    ),
  ],
  ['shape_error', tb("RuntimeError: shape '[32, -1, 768]' is invalid for input of size 1000")],
  [
    'shape_error',
    tb(
      'RuntimeError: Given groups=1, weight of size [64, 3, 7, 7], expected input[8, 1, 224, 224] to have 3 channels, but got 1 channels instead',
    ),
  ],
  ['shape_error', tb('IndexError: Dimension out of range (expected to be in range of [-1, 0], but got 1)')],
  [
    'checkpoint_mismatch',
    tb(
      'RuntimeError: Error(s) in loading state_dict for GPT:\n\tsize mismatch for wte.weight: copying a param with shape torch.Size([50257, 768]) from checkpoint, the shape in current model is torch.Size([50304, 768]).',
    ),
  ],
  [
    'checkpoint_mismatch',
    tb('RuntimeError: Error(s) in loading state_dict for Net:\n\tUnexpected key(s) in state_dict: "module.conv1.weight".'),
  ],
  [
    'network_error',
    tb(
      'huggingface_hub.errors.LocalEntryNotFoundError: An error happened while trying to locate the file on the Hub and we cannot find the requested files in the local cache.',
    ),
  ],
  [
    'network_error',
    tb("requests.exceptions.ReadTimeout: HTTPSConnectionPool(host='cdn-lfs.huggingface.co', port=443): Read timed out. (read timeout=10)"),
  ],
  [
    'network_error',
    tb(
      'ConnectionResetError: [Errno 104] Connection reset by peer',
      '  File "download.py", line 5, in <module>\n    urllib.request.urlretrieve(url, path)\n',
    ),
  ],
  ['nan_loss', tb('RuntimeError: Rank 0 detected NaN in loss at iteration 1200')],
  [
    'nan_loss',
    'WARNING: loss is nan at step 300, stopping\n' +
      tb(
        'FloatingPointError: Minimum loss scale reached (0.0001). Your loss is probably exploding. Try lowering the learning rate, using gradient clipping or increasing the batch size.',
      ),
  ],
  [
    'preempted',
    'srun: Job step aborted: Waiting up to 32 seconds for job step to finish.\nslurmstepd: error: *** STEP 123.0 ON node1 CANCELLED AT 2024-01-01T00:00:00 ***\n',
    { signal: 'SIGTERM' },
  ],
  ['preempted', 'Received SIGTERM, exiting\n', { exitCode: 143 }],
  ['gpu_hardware_error', tb('RuntimeError: CUDA error: an uncorrectable NVLink error was detected during the execution')],
  [
    'import_error',
    tb(
      'OSError: /usr/lib/python3/dist-packages/torch/lib/libtorch_cuda.so: undefined symbol: cudaGraphDebugDotPrint, version libcudart.so.11.0',
    ),
  ],
  [
    'import_error',
    tb("ImportError: cannot import name 'LlamaForCausalLM' from 'transformers' (/usr/lib/python3/dist-packages/transformers/__init__.py)"),
  ],
  ['permission_denied', tb("OSError: [Errno 30] Read-only file system: '/checkpoints'")],
  ['too_many_open_files', tb('OSError: [Errno 24] Too many open files')],
  ['pickling_error', tb("_pickle.PicklingError: Can't pickle <function <lambda> at 0x7f>: attribute lookup <lambda> on __main__ failed")],
  ['pickling_error', tb("TypeError: cannot pickle '_thread.lock' object")],
  ['segfault', '*** SIGSEGV (@0x0) received by PID 1234 (TID 0x7f) from PID 0; stack trace: ***\n', { signal: 'SIGSEGV' }],
  [
    'dataloader_worker_error',
    tb(
      "PIL.UnidentifiedImageError: cannot identify image file '/data/img/broken.jpg'",
      '  File "train.py", line 42, in <module>\n    for batch in loader:\n  File "dataset.py", line 20, in __getitem__\n    img = Image.open(path)\n',
    ),
  ],
  // A slide or image codec failing on a sample's bytes, in a paste that starts below the user's frames.
  [
    'dataloader_worker_error',
    tb(
      'openslide.lowlevel.OpenSlideError: OpenJPEG error: Error decoding tile. Component 1 contains only 131072 blocks while component 0 has 262144 blocks',
      '  File "/opt/env/lib/python3.7/site-packages/openslide/lowlevel.py", line 225, in _check_error\n    raise OpenSlideError(err)\n',
    ),
  ],
  ['dataloader_worker_error', tb('RuntimeError: Failed to decode image: unsupported JPEG marker')],

  ['cuda_oom', "node1:1234:1250 [0] NCCL WARN Cuda failure 'out of memory'\n"],
  [
    'host_oom',
    'WARNING:torch.distributed.elastic.multiprocessing.api:Sending process 1235 closing signal SIGTERM\nERROR:torch.distributed.elastic.multiprocessing.api:failed (exitcode: -9) local_rank: 0 (pid: 1234) of binary: /usr/bin/python3\ntorch.distributed.elastic.multiprocessing.errors.ChildFailedError:\n============================================================\ntrain.py FAILED\n------------------------------------------------------------\nRoot Cause (first observed failure):\n[0]:\n  exitcode  : -9 (pid: 1234)\n  error_file: <N/A>\n  traceback : Signal 9 (SIGKILL) received by PID 1234\n',
  ],
  [
    'segfault',
    'ERROR:torch.distributed.elastic.multiprocessing.api:failed (exitcode: -11) local_rank: 0 (pid: 1234) of binary: /usr/bin/python3\n  traceback : Signal 11 (SIGSEGV) received by PID 1234\n',
  ],
  ['host_oom', tb('OSError: [Errno 12] Cannot allocate memory')],
  [
    'segfault',
    'ERROR: Unexpected segmentation fault encountered in worker.\n' +
      tb('RuntimeError: DataLoader worker (pid 4321) is killed by signal: Segmentation fault. '),
  ],
  [
    'import_error',
    tb(
      "ImportError: /lib/x86_64-linux-gnu/libstdc++.so.6: version `GLIBCXX_3.4.29' not found (required by /usr/lib/python3/dist-packages/scipy/_lib/_uarray/_uarray.cpython-311-x86_64-linux-gnu.so)",
    ),
  ],
  ['import_error', tb('OSError: libcudnn.so.8: cannot open shared object file: No such file or directory')],
  [
    'file_not_found',
    tb("FileNotFoundError: Couldn't find a dataset script at /data/mydata/mydata.py or any data file in the same directory."),
  ],
  [
    'host_oom',
    tb(
      "RuntimeError: [enforce fail at alloc_cpu.cpp:75] err == 0. DefaultCPUAllocator: can't allocate memory: you tried to allocate 1073741824 bytes. Error code 12 (Cannot allocate memory)",
    ),
  ],
  [
    'cuda_device_assert',
    tb(
      'RuntimeError: CUDA error: device-side assert triggered\nCUDA kernel errors might be asynchronously reported at some other API call, so the stacktrace below might be incorrect.',
    ),
  ],
  ['shm_exhausted', tb("OSError: [Errno 28] No space left on device: '/dev/shm/torch_1234'")],
  [
    'dataloader_worker_error',
    tb(
      'ValueError: Caught ValueError in DataLoader worker process 3.\nOriginal Traceback (most recent call last):\n  File "/usr/lib/python3/dist-packages/torch/utils/data/_utils/worker.py", line 302, in _worker_loop\n    data = fetcher.fetch(index)\n  File "ds.py", line 30, in __getitem__\n    raise ValueError("bad sample")\nValueError: bad sample',
    ),
  ],
  [
    'cuda_oom',
    tb(
      'RuntimeError: CUDA out of memory. Tried to allocate 2.00 GiB (GPU 0; 15.78 GiB total capacity; 12.34 GiB already allocated; 1.23 GiB free; 13.00 GiB reserved in total by PyTorch)',
    ),
  ],
  [
    'nccl_timeout',
    '[E ProcessGroupNCCL.cpp:828] [Rank 1] Watchdog caught collective operation timeout: WorkNCCL(SeqNum=5, OpType=BROADCAST, Timeout(ms)=1800000) ran for 1806394 milliseconds before timing out.\n[E ProcessGroupNCCL.cpp:455] Some NCCL operations have failed or timed out. Due to the asynchronous nature of CUDA kernels, subsequent GPU operations might run on corrupted/incomplete data.\n[E ProcessGroupNCCL.cpp:460] To avoid data inconsistency, we are taking the entire process down.\n',
  ],
  ['preempted', 'Terminated\n', { exitCode: 143 }],
  [
    'interrupted',
    '^CTraceback (most recent call last):\n  File "train.py", line 10, in <module>\n    time.sleep(1)\nKeyboardInterrupt\n',
    { exitCode: 130 },
  ],
  ['checkpoint_corrupt', tb('RuntimeError: PytorchStreamReader failed reading zip archive: failed finding central directory')],
  ['config_error', tb("KeyError: 'Non-existent config key: MODEL.BACKBONE.NAMEX'")],
  ['permission_denied', tb("PermissionError: [Errno 13] Permission denied: '/root/.cache/huggingface/hub'")],
];

test('every category is recognised from the messages it is known by', () => {
  const misses = cases.flatMap(([expected, text, exit]) => {
    const diagnosis = diagnoseText(text, exit);
    return diagnosis.category === expected ? [] : [`${expected} -> ${diagnosis.category}: ${text.trim().split('\n').at(-1)}`];
  });
  assert.deepEqual(misses, []);
});

test("Windows' commit limit (the paging file could not grow) is memory running out on the host", () => {
  const log = 'OSError: [WinError 1455] The paging file is too small for this operation to complete\n';
  assert.equal(diagnoseText(log).category, 'host_oom');
});

test('a job that had already failed when the scheduler stopped it: the failure is the cause, not the stop', () => {
  const absl = (exception: string) =>
    tb(
      exception,
      '  File "/home/u/rlfd/train.py", line 73, in <module>\n    app.run(main)\n  File "/home/u/rlfd/train.py", line 29, in main\n    os.makedirs(FLAGS.ckpt_dir, exist_ok=True)\n  File "/home/u/.conda/envs/x/lib/python3.9/site-packages/absl/flags/_flagvalues.py", line 472, in __getattr__\n    raise AttributeError(name)\n',
    );
  const cancelled = 'slurmstepd: error: *** JOB 20574975 ON agpu4 CANCELLED AT 2022-11-07T11:30:22 DUE TO TIME LIMIT ***\n';
  // Raised by the flags library itself: a flag the program never defined.
  assert.equal(diagnoseText(absl('AttributeError: ckpt_dir') + cancelled).category, 'config_error');
  // What the stop itself raised in the job is the stop's.
  assert.equal(diagnoseText(tb('KeyboardInterrupt') + cancelled).category, 'preempted');
  // A failure long before the stop, the job having gone on since, is not its last word.
  const trainedOn = Array.from({ length: 60 }, (_, i) => `step ${i} loss 0.5\n`).join('');
  assert.equal(diagnoseText(absl('AttributeError: ckpt_dir') + trainedOn + cancelled).category, 'preempted');
  // Every rank's exception printed without its traceback, then srun cancelling the step: the failure's own rule decides.
  const ranksFailed = [
    'torch.distributed.DistNetworkError: The server socket has failed to listen on any local network address. The server socket has failed to bind to [::]:29400 (errno: 98 - Address already in use).',
    '    return TCPStore(',
    '           ^^^^^^^^^',
    'srun: error: gpu017: tasks 0,3: Exited with exit code 1',
    'srun: Terminating StepId=4242.0',
    'slurmstepd: error: *** STEP 4242.0 ON gpu017 CANCELLED AT 2024-07-11T00:33:51 ***',
    'srun: error: gpu017: task 2: Terminated',
  ];
  assert.equal(diagnoseText(`${ranksFailed.join('\n')}\n`).category, 'dist_init_error');
});

test('a Python warning before the job failed of its own exception is background; a warning right before a traceback cut short is the cause', () => {
  const warned =
    '/env/lib/python3.10/site-packages/albumentations/check_version.py:147: UserWarning: Error fetching version info <urlopen error _ssl.c:1000: The handshake operation timed out>\n  data = fetch_version_info()\n';
  assert.equal(diagnoseText(warned + tb("TypeError: save_model() got an unexpected keyword argument 'is_best'")).category, 'other');
  const cut =
    "2024-10-10 17:19:18,353 WARNING Retrying (Retry(total=0)) after connection broken by 'NewConnectionError(... Failed to establish a new connection: [Errno 110] Connection timed out)'\nTraceback (most recent call last):\n";
  assert.equal(diagnoseText(cut).category, 'network_error');
  // A missing library Python only warns of: the job went on.
  assert.equal(
    diagnoseText(
      '/env/lib/python3.10/site-packages/torchvision/io/image.py:13: UserWarning: Failed to load image Python extension: libc10_cuda.so: cannot open shared object file: No such file or directory\n' +
        tb('ZeroDivisionError: division by zero'),
    ).category,
    'other',
  );
});

test("an allocator that failed to allocate on the GPU, in its own words (a physics engine's CUDA allocator): GPU memory", () => {
  const log =
    '[Error] [carb.gym.plugin] PxgCudaDeviceMemoryAllocator fail to allocate memory 2147483648 bytes!! Result = 2\n' +
    '[Error] [carb.gym.plugin] PxgCudaDeviceMemoryAllocator fail to allocate memory 2147483648 bytes!! Result = 2\nSegmentation fault (core dumped)\n';
  assert.equal(diagnoseText(log).category, 'cuda_oom');
  assert.equal(diagnoseText(tb('RuntimeError: failed to allocate 2147483648 bytes on device cuda:0')).category, 'cuda_oom');
  // The host's allocator failing is not the GPU's.
  assert.equal(
    diagnoseText(
      tb(
        'RuntimeError: [enforce fail at alloc_cpu.cpp:114] data. DefaultCPUAllocator: not enough memory: you tried to allocate 8589934592 bytes.',
      ),
    ).category,
    'host_oom',
  );
});

test("a peer or mount that went away (ENOTCONN, EHOSTUNREACH, EHOSTDOWN) is the network's", () => {
  for (const message of [
    'OSError: [Errno 107] Transport endpoint is not connected',
    'OSError: [Errno 113] No route to host',
    'ConnectionError: [Errno 112] Host is down',
  ])
    assert.equal(diagnoseText(tb(message)).category, 'network_error', message);
});

test('a backend that could not start on the GPU, or a CUDA library older than the build wants, in words no rule spelt: the CUDA environment', () => {
  for (const log of [
    'CUDA backend failed to initialize: Found cuDNN version 8600, but JAX was built against version 8906, which is newer.\n',
    'E external/xla/xla/stream_executor/cuda/cuda_dnn.cc:1000] Loaded cuDNN version 8200, but the source was compiled with version 8600.\n',
    'RuntimeError: Found CUDA version 11.2 but this build was compiled against 12.1\n',
  ])
    assert.equal(diagnoseText(log).category, 'cuda_env_error', log);
});

test("a GPU memory pool's own out-of-memory (RAPIDS' RMM under XGBoost, cuDF) is GPU memory, though it says bad_alloc", () => {
  const log =
    'MemoryError: std::bad_alloc: out_of_memory: RMM failure at:/project/include/rmm/mr/device/pool_memory_resource.hpp:193: Maximum pool size exceeded\n';
  assert.equal(diagnoseText(log).category, 'cuda_oom');
  assert.equal(diagnoseText(tb('MemoryError: std::bad_alloc')).category, 'host_oom');
});

test('no space where multiprocessing code makes its locks and semaphores (a warning from it, before a traceback cut in it) is /dev/shm', () => {
  const log =
    '/env/lib/python3.8/site-packages/joblib/_multiprocessing_helpers.py:46: UserWarning: [Errno 28] No space left on device.  joblib will operate in serial mode\n' +
    "  warnings.warn('%s.  joblib will operate in serial mode' % (e,))\n" +
    'Traceback (most recent call last):\n  File "train.py", line 55, in main\n    mp.spawn(run, nprocs=n_gpus)\n' +
    '  File "/env/lib/python3.8/multiprocessing/queues.py", line 336, in __init__\n    self._rlock = ctx.Lock()\n';
  assert.equal(diagnoseText(log).category, 'shm_exhausted');
  // A checkpoint written by other code to a full disk stays a full disk.
  assert.equal(diagnoseText(tb('OSError: [Errno 28] No space left on device')).category, 'disk_full');
});

test("a GPU allocation that failed in a HIP (ROCm) runtime's words is GPU memory, as CUDA's is", () => {
  const line = (gb: string) =>
    `2019-01-08 19:06:11.303639: E tensorflow/stream_executor/rocm/rocm_driver.cc:601] failed to allocate ${gb}G (7889485824 bytes) from device: hipError_t(1002)\n`;
  assert.equal(diagnoseText(line('7.35') + line('6.61')).category, 'cuda_oom');
});

test("an OS error a Rust library wraps (`IoError(Os { code: 5, kind: PermissionDenied, … })`, safetensors, tokenizers) is the OS's, not a corrupt file", () => {
  const rust = (kind: string, code: number, message: string) =>
    tb(`safetensors_rust.SafetensorError: Error while serializing: IoError(Os { code: ${code}, kind: ${kind}, message: "${message}" })`);
  assert.equal(diagnoseText(rust('PermissionDenied', 5, 'Zugriff verweigert')).category, 'permission_denied');
  assert.equal(diagnoseText(rust('NotFound', 3, 'Le chemin d’accès spécifié est introuvable.')).category, 'file_not_found');
  assert.equal(diagnoseText(rust('StorageFull', 112, 'Espacio en disco insuficiente.')).category, 'disk_full');
  assert.equal(
    diagnoseText(tb('safetensors_rust.SafetensorError: Error while deserializing header: HeaderTooLarge')).category,
    'checkpoint_corrupt',
  );
});

test("state that does not fit what loads it: an optimizer's parameter groups (PyTorch), PEFT's target modules missing from the model", () => {
  assert.equal(
    diagnoseText(tb("ValueError: loaded state dict contains a parameter group that doesn't match the size of optimizer's group")).category,
    'checkpoint_mismatch',
  );
  assert.equal(
    diagnoseText(
      tb("ValueError: Target modules ['q_proj', 'v_proj'] not found in the base model. Please check the target modules and try again."),
    ).category,
    'config_error',
  );
});

test("a sample that cannot be read — a media decoder failing on it, a data shard cut short — is the data loading's", () => {
  for (const log of [
    'decord._ffi.base.DECORDError: [05:19:05] src/video/ffmpeg/threaded_decoder.cc:292: Check failed: avcodec_send_packet(dec_ctx_.get(), pkt.get()) >= 0 (-11 vs. 0) Thread worker: Error sending packet.\n',
    tb("av.error.InvalidDataError: [Errno 1094995529] Invalid data found when processing input: 'clip_0041.mp4'"),
    "tarfile.ReadError: (\"unexpected end of data @ <_io.BufferedReader name='shards/00000022.tar'>\", {'__url__': 'shards/00000022.tar'})\n",
  ])
    assert.equal(diagnoseText(log).category, 'dataloader_worker_error', log);
});

test("a GPU allocation that failed in a pipeline library's words (`CUDA allocation failed`) is GPU memory", () => {
  const log = tb(
    'RuntimeError: Critical error in pipeline:\nError when executing Mixed operator ImageDecoder encountered:\nCUDA allocation failed\nCurrent pipeline object is no longer valid.',
  );
  assert.equal(diagnoseText(log).category, 'cuda_oom');
});

test("a server rate-limiting a download (HTTP 429, as wget and curl print it) is the network's, and retryable", () => {
  const log = 'HTTP request sent, awaiting response... 429 Too Many Requests\n2023-12-06 14:23:35 ERROR 429: Too Many Requests.\n';
  const diagnosis = diagnoseText(log);
  assert.equal(diagnosis.category, 'network_error');
  assert.equal(diagnosis.retryable, true);
});

test("a download refused or not there (HTTP 401, 404) is the network's but not retryable: the same request is refused again", () => {
  for (const status of ['401: Unauthorized', '404: Not Found']) {
    const diagnosis = diagnoseText(
      `Resolving example.org... 93.184.216.34\nHTTP request sent, awaiting response... ${status}\nERROR ${status}.\n`,
    );
    assert.equal(diagnosis.category, 'network_error', status);
    assert.equal(diagnosis.retryable, false, status);
  }
  assert.equal(diagnoseText('curl: (22) The requested URL returned error: 404\n').retryable, false);
  // 403 is also what a server that is down or rate-limiting answers (GitHub's API, a CDN): the network's default, retryable.
  assert.equal(diagnoseText('ERROR 403: Forbidden.\n').retryable, true);
});

test("an OpenCV assertion (an empty image, a zero size) is a sample that failed to load or transform, in either of OpenCV's formats", () => {
  const modern =
    "cv2.error: OpenCV(4.5.5) /io/opencv/modules/imgproc/src/color.cpp:182: error: (-215:Assertion failed) !_src.empty() in function 'cvtColor'";
  const old = 'cv2.error: /build/opencv/modules/imgproc/src/imgwarp.cpp:3229: error: (-215) ssize.area() > 0 in function resize';
  assert.equal(diagnoseText(tb(modern)).category, 'dataloader_worker_error');
  assert.equal(diagnoseText(`${old}\n`).category, 'dataloader_worker_error');
});

test("GPU memory running out in Metal's and DirectML's words (no CUDA named) is GPU memory", () => {
  const metal =
    'libc++abi: terminating due to uncaught exception of type std::runtime_error: [METAL] Command buffer execution failed: Insufficient Memory (00000008:kIOGPUCommandBufferCallbackErrorOutOfMemory)\n';
  assert.equal(diagnoseText(metal).category, 'cuda_oom');
  assert.equal(diagnoseText('RuntimeError: not enough GPU video memory to allocate 512 MB\n').category, 'cuda_oom');
});

test("NCCL's own word that operations failed or timed out, with nothing more specific, is a collective timing out", () => {
  const alone =
    '[E ProcessGroupNCCL.cpp:455] Some NCCL operations have failed or timed out. Due to the asynchronous nature of CUDA kernels, subsequent GPU operations might run on corrupted/incomplete data.\n';
  assert.equal(diagnoseText(alone).category, 'nccl_timeout');
  const afterError = `NCCL error in: ../torch/csrc/distributed/c10d/ProcessGroupNCCL.cpp:1191, unhandled system error, NCCL version 2.14.3\n${alone}`;
  assert.equal(diagnoseText(afterError).category, 'nccl_error');
});

test("a loss's target whose size is not the input's, with both sizes printed, is a shape error", () => {
  assert.equal(diagnoseText('Runtime error: Expected target size [2, 128, 64], got [2, 64, 64]\n').category, 'shape_error');
});

test('jsonargparse\'s refusal of a configuration key (`error: Parser key "model": …`) is the configuration', () => {
  const log = [
    'usage: train.py [-h] [--config CONFIG] [--model MODEL]',
    'error: Parser key "model":',
    "  Validation failed: Key 'dropuot' is not expected",
  ].join('\n');
  assert.equal(diagnoseText(`${log}\n`).category, 'config_error');
});

test('a CPU-only PyTorch build asked for CUDA (`torch._C` has no `_cuda_…`) is the CUDA environment', () => {
  assert.equal(diagnoseText(tb("AttributeError: module 'torch._C' has no attribute '_cuda_setDevice'")).category, 'cuda_env_error');
});

test("TensorFlow's words for a missing cuDNN (`DNN library is not found`) are the CUDA environment", () => {
  assert.equal(
    diagnoseText("Node: 'model/conv1/Conv2D'\nDNN library is not found.\n\t [[{{node model/conv1/Conv2D}}]]\n").category,
    'cuda_env_error',
  );
});

test("a framework's text-format model definition it cannot parse (Caffe's prototxt) is the configuration", () => {
  const log =
    '[libprotobuf ERROR google/protobuf/text_format.cc:245] Error parsing text-format caffe.NetParameter: 7106:25: Message type "caffe.LayerParameter" has no field named "psroi_pooling_param".\n' +
    'F1221 22:46:14.688835  8972 upgrade_proto.cpp:88] Check failed: ReadProtoFromTextFile(param_file, param) Failed to parse NetParameter file: models/test.prototxt\n*** Check failure stack trace: ***\nAborted (core dumped)\n';
  assert.equal(diagnoseText(log).category, 'config_error');
});

test("an older torch.load's words for a truncated file (`unexpected EOF. The file might be corrupted`) are a corrupt checkpoint", () => {
  assert.equal(diagnoseText(tb('RuntimeError: unexpected EOF. The file might be corrupted')).category, 'checkpoint_corrupt');
});

test("sampling from what a network turned NaN (a policy's std for torch.normal, probabilities for torch.multinomial) is the loss going NaN", () => {
  const frames = '  File "ppo.py", line 88, in act\n    return self.distribution.sample()\n';
  assert.equal(diagnoseText(tb('RuntimeError: normal expects all elements of std >= 0.0', frames)).category, 'nan_loss');
  assert.equal(
    diagnoseText(tb('RuntimeError: probability tensor contains either `inf`, `nan` or element < 0', frames)).category,
    'nan_loss',
  );
});

test('a rule of the parallel layout that the number of processes breaks, raised as a RuntimeError, is the configuration', () => {
  const frames = '  File "parallel_state.py", line 532, in initialize_model_parallel\n    raise RuntimeError(msg)\n';
  assert.equal(diagnoseText(tb('RuntimeError: world_size (1) is not divisible by 2', frames)).category, 'config_error');
  // A tensor op's sizes are not a setting's.
  assert.equal(diagnoseText(tb("RuntimeError: shape '[4, -1, 64]' is invalid for input of size 1000")).category, 'shape_error');
});

test('a Python warning the job went on past is not the cause when a plain error follows it, even with the traceback cut', () => {
  const log = [
    '/usr/lib/python3/site-packages/torch/cuda/__init__.py:52: UserWarning: CUDA initialization: The NVIDIA driver on your system is too old (found version 9010).',
    '  return torch._C._cuda_getDeviceCount() > 0',
    '[WARNING] cuda unavailable, running on cpu',
    'mat1 and mat2 shapes cannot be multiplied (1x5 and 7x64)',
    'Traceback (most recent call last):',
    '  File "run.py", line 154, in <module>',
    '    main()',
  ].join('\n');
  assert.equal(diagnoseText(`${log}\n`).category, 'shape_error');
  // With nothing after it, the warning is still the best word on the cause.
  assert.equal(
    diagnoseText(`${log.split('\n').slice(0, 2).join('\n')}\nTraceback (most recent call last):\n  File "run.py", line 3, in <module>\n`)
      .category,
    'cuda_env_error',
  );
});

test("NCCL's INFO lines speak of its connections, not of the job's imports: a network plugin it did without is no import error", () => {
  const setup = [
    'node1:3263:3263 [0] NCCL INFO Bootstrap : Using eth0:10.0.0.5<0>',
    'node1:3263:3263 [0] NCCL INFO NET/Plugin : Plugin load (libnccl-net.so) returned 2 : libnccl-net.so: cannot open shared object file: No such file or directory',
    'node1:3263:3263 [0] NCCL INFO NET/Plugin : No plugin found, using internal implementation',
    'node1:3263:3812 [0] NCCL INFO Using network Socket',
  ];
  assert.notEqual(diagnoseText(`${setup.join('\n')}\n`).category, 'import_error');
  const refused = [...setup, 'node1:3263:3812 [0] NCCL INFO Call to connect returned Connection refused, retrying'];
  assert.equal(diagnoseText(`${refused.join('\n')}\n`).category, 'nccl_error');
});

test("a shell's report of its killed child with the child's pid (`71885 Killed   python -m …`) is the OOM killer's", () => {
  assert.equal(diagnoseText('step 0\n71885 Killed                  python -m trainer.main --cfg=pod.py\n').category, 'host_oom');
});

test("weights that do not fit what loads them, in TensorFlow's checkpoint reader's and Flax's words, are a checkpoint mismatch", () => {
  const reader = tb(
    "ValueError: Shape of variable encoder/bn_1/beta:0 ((64,)) doesn't match with shape of tensor encoder/bn_1/beta ([256]) from checkpoint reader.",
  );
  assert.equal(diagnoseText(reader).category, 'checkpoint_mismatch');
  const flax = tb(
    'flax.errors.ScopeParamShapeError: Inconsistent shapes between value and initializer for parameter "scale" in "/Block_0/GroupNorm_0": (1, 1, 1, 64), (64,).',
  );
  assert.equal(diagnoseText(flax).category, 'checkpoint_mismatch');
});

test("a setting the configuration did not provide (gin's required bindings), raised as a RuntimeError, is the configuration", () => {
  assert.equal(
    diagnoseText(tb("RuntimeError: Required bindings for `make_encoder` not provided in config: ['num_layers']")).category,
    'config_error',
  );
});

test("a CUDA check macro's report (`GPUassert: out of memory <file> <line>`) is read as a logged error: GPU memory", () => {
  assert.equal(diagnoseText('loading 120 scenes\nGPUassert: out of memory ops/nms/src/nms_kernel.cu 103\n').category, 'cuda_oom');
});

test("an error line in R's and other runtimes' form (`Error in f(x) : …`), with no Python exception, is read by its words", () => {
  const log = 'Error in (function (input, weight, bias) : Expected tensor to have CPU Backend, but got tensor with CUDA Backend\n';
  assert.equal(diagnoseText(log).category, 'device_mismatch');
});

test("a variable a distributed launcher sets, missing from the environment (`KeyError: 'LOCAL_RANK'`), is the process group's start", () => {
  const frames = '  File "train.py", line 12, in <module>\n    local_rank = int(os.environ["LOCAL_RANK"])\n';
  assert.equal(diagnoseText(tb("KeyError: 'LOCAL_RANK'", frames)).category, 'dist_init_error');
  assert.equal(diagnoseText(tb("KeyError: 'MASTER_ADDR'", frames)).category, 'dist_init_error');
  // Any other key is not.
  assert.notEqual(diagnoseText(tb("KeyError: 'LABEL_MAP'", frames)).category, 'dist_init_error');
});

test('no space left where the job writes in /dev/shm (a temporary directory there) is shared memory; elsewhere, the disk', () => {
  const full = tb('OSError: [Errno 28] No space left on device', '  File "fold.py", line 137, in write_restraints\n    f.close()\n');
  assert.equal(diagnoseText(`temp folder:      /dev/shm/tmp8fq5\nrestraints: 2877\n${full}`).category, 'shm_exhausted');
  assert.equal(diagnoseText(`temp folder:      /scratch/tmp8fq5\nrestraints: 2877\n${full}`).category, 'disk_full');
});

test("threads' stacks dumped with no fatal error (faulthandler on a timeout or on request) are a hang; after a fatal error, they are not", () => {
  const dump = [
    'Timeout (0:30:00)!',
    'Current thread 0x00007f0a1bfff700 (most recent call first):',
    '  File "/usr/lib/python3.10/threading.py", line 320 in wait',
    '  File "/opt/lib/dask_client.py", line 824 in sync',
    '  File "/home/me/fit.py", line 80 in fit',
  ].join('\n');
  const hang = diagnoseText(`${dump}\n`);
  assert.equal(hang.category, 'hang');
  assert.equal(hang.where?.file, '/home/me/fit.py');
  assert.notEqual(
    diagnoseText(`Fatal Python error: Cannot recover from stack overflow.\n${dump.split('\n').slice(1).join('\n')}\n`).category,
    'hang',
  );
});

test("an index error in a data loader's worker loop of another library (a graph sampler's `_sampling_worker_loop`) is the data loading's", () => {
  const frames = [
    '  File "/usr/lib/python3.9/multiprocessing/process.py", line 108, in run',
    '    self._target(*self._args, **self._kwargs)',
    '  File "/opt/conda/lib/python3.9/site-packages/graphlib/distributed/producer.py", line 140, in _sampling_worker_loop',
    '    sampler.sample_from_nodes(seeds[index])',
    '  File "/opt/conda/lib/python3.9/site-packages/graphlib/sampler/base.py", line 63, in __getitem__',
    '    return NodeInput(self.node[index])',
    '',
  ].join('\n');
  assert.equal(
    diagnoseText(tb('IndexError: index 3 is out of bounds for dimension 0 with size 3', frames)).category,
    'dataloader_worker_error',
  );
});

test("NCCL's watchdog sentence cut after its first words (`Watchdog caught collective`) is still a collective timing out", () => {
  assert.equal(diagnoseText('[rank6]:[E ProcessGroupNCCL.cpp:563] [Rank 6] Watchdog caught collective\n').category, 'nccl_timeout');
});

test("RAPIDS' memory manager failing on the GPU in its other words (`std::bad_alloc: out_of_memory: CUDA error at: …rmm…`) is GPU memory", () => {
  const log =
    'xgboost.core.XGBoostError: [02:14:02] src/common/device_helpers.cuh:393: Memory allocation error on worker 0: std::bad_alloc: out_of_memory: CUDA error at: /opt/conda/include/rmm/mr/device/cuda_memory_resource.hpp\n';
  assert.equal(diagnoseText(log).category, 'cuda_oom');
});

test("a cloud's access control refusing the job (GCP's IAM, AWS's `not authorized to perform`) is a permission denied", () => {
  const gcp =
    'message: "Failed to create pipeline job. Error: Service account `123-compute@developer.gserviceaccount.com` does not have `[storage.objects.get]` IAM permission(s) to the bucket \\"data\\"."\n';
  assert.equal(diagnoseText(gcp).category, 'permission_denied');
  const aws = tb(
    'botocore.exceptions.ClientError: An error occurred (AccessDeniedException) when calling the CreateTrainingJob operation: User: arn:aws:iam::1:user/me is not authorized to perform: sagemaker:CreateTrainingJob',
  );
  assert.equal(diagnoseText(aws).category, 'permission_denied');
});

test("a managed platform's `Insufficient disk space` is the disk", () => {
  const log =
    'UnexpectedStatusException: Error for Training job train-2021-05-31: Failed. Reason: ClientError: Artifact upload failed:Insufficient disk space\n';
  assert.equal(diagnoseText(log).category, 'disk_full');
});

test("IPython 8's traceback cut before its last line still names its exception in its header (`Cell In[3], line 2` frames)", () => {
  const log = [
    '---------------------------------------------------------------------------',
    'FileNotFoundError                         Traceback (most recent call last)',
    'Cell In[3], line 2',
    '      1 print("loading")',
    '----> 2 data = load_split("train")',
    '',
    'File /home/me/project/data.py:10, in load_split(name)',
  ].join('\n');
  const d = diagnoseText(`${log}\n`);
  assert.equal(d.category, 'file_not_found');
  assert.equal(d.where?.file, '/home/me/project/data.py');
});

test('`EOFError: Ran out of input` beside a process being started is a child that got nothing to unpickle; after a torch.load, a corrupt file', () => {
  const start = [
    'EOFError: Ran out of input',
    'Exception in thread Thread-1:',
    'Traceback (most recent call last):',
    '  File "C:\\Python\\lib\\multiprocessing\\pool.py", line 239, in _repopulate_pool',
    '    w.start()',
    '  File "C:\\Python\\lib\\multiprocessing\\process.py", line 105, in start',
    '    self._popen = self._Popen(self)',
    '  File "C:\\Python\\lib\\multiprocessing\\context.py", line 322, in _Popen',
  ].join('\n');
  assert.equal(diagnoseText(`${start}\n`).category, 'pickling_error');
  const load = '  File "train.py", line 20, in <module>\n    state = torch.load(path)\n';
  assert.equal(diagnoseText(tb('EOFError: Ran out of input', load)).category, 'checkpoint_corrupt');
});

test("device memory that could not be allocated, in Theano's words, is GPU memory, though the exception is a MemoryError", () => {
  assert.equal(diagnoseText(tb('MemoryError: Error allocating 147865600 bytes of device memory (out of memory).')).category, 'cuda_oom');
});

test("a server that could not bind its port (MXNet's parameter server, Windows' WSAEADDRINUSE words) is the distributed start", () => {
  assert.equal(
    diagnoseText(tb('mxnet.base.MXNetError: [08:18:33] src/van.cc:291: Check failed: (my_node_.port) != (-1) bind failed')).category,
    'dist_init_error',
  );
  assert.equal(
    diagnoseText(tb('RuntimeError: Only one usage of each socket address (protocol/network address/port) is normally permitted.')).category,
    'dist_init_error',
  );
});

test('a path required to exist that does not (`Expected a string path to an existing … config … Received: x.json`) is a missing file', () => {
  const message =
    'ValueError: Expected a string path to an existing deepspeed config, or a dictionary, or a base64 encoded string. Received: scripts/zero3.json';
  assert.equal(diagnoseText(tb(message)).category, 'file_not_found');
  // A flag that would overwrite an existing directory is no missing file.
  assert.notEqual(
    diagnoseText(tb('ValueError: Output directory (out) already exists and is not empty. Use --overwrite_output_dir to overcome.'))
      .category,
    'file_not_found',
  );
});

test('host arrays (NumPy) and GPU arrays (CuPy) in one operation are tensors on different devices', () => {
  assert.equal(diagnoseText(tb('ValueError: numpy and cupy must not be used together')).category, 'device_mismatch');
});

test("a GPU generation the code requires (`only supports Ampere GPUs or newer`), logged behind a logger's prefix, is the CUDA environment, not the workers' stop after it", () => {
  const prefix = 'ERROR 01-11 13:09:40 engine.py:366]';
  const log = [
    `${prefix} Traceback (most recent call last):`,
    `${prefix}   File "/opt/lib/python3.12/site-packages/engine/runner.py", line 152, in _wrapper`,
    `${prefix}     raise type(err)(`,
    `${prefix} RuntimeError: Error in model execution: FlashAttention only supports Ampere GPUs or newer.`,
    'ERROR 01-11 13:09:40 multiproc_worker_utils.py:123] Worker WorkerProcess pid 26961 died, exit code: -15',
    'INFO 01-11 13:09:40 multiproc_worker_utils.py:127] Killing local worker processes',
  ].join('\n');
  assert.equal(diagnoseText(`${log}\n`).category, 'cuda_env_error');
});

test('a rule of a run setting written as a comparison (`batch sizes > 1`), raised as a ValueError, is the configuration', () => {
  assert.equal(diagnoseText(tb('ValueError: Cannot handle batch sizes > 1 if no padding token is defined.')).category, 'config_error');
});

test("TensorFlow 1's Saver restoring a variable whose saved shape is another (`Assign requires shapes of both tensors to match`) is a checkpoint mismatch", () => {
  const message =
    'tensorflow.python.framework.errors_impl.InvalidArgumentError: Assign requires shapes of both tensors to match. lhs shape= [13] rhs shape= [150]';
  assert.equal(diagnoseText(tb(message)).category, 'checkpoint_mismatch');
});

test('a CUDA extension built where no CUDA compiler is (`nvcc was not found`) is the CUDA environment', () => {
  const log =
    '      /tmp/pip-install/flash-attn/setup.py:78: UserWarning: flash_attn was requested, but nvcc was not found.  Are you sure your environment has nvcc available?\n        warnings.warn(\n      Traceback (most recent call last):\n        File "/tmp/pip-install/flash-attn/setup.py", line 133, in <module>\n          CUDAExtension(\n';
  assert.equal(diagnoseText(log).category, 'cuda_env_error');
});

test("a tokenizer batching samples of different lengths (`Unable to create tensor, … activate truncation and/or padding`) is the data's", () => {
  const message =
    "ValueError: Unable to create tensor, you should probably activate truncation and/or padding with 'padding=True' 'truncation=True' to have batched tensors with the same length.";
  assert.equal(diagnoseText(tb(message)).category, 'dataloader_worker_error');
});

test("a type in no registry of a scoped name (mmengine's `mmpose::model registry`) is the configuration", () => {
  const message =
    "KeyError: 'YOLODetector is not in the mmpose::model registry. Please check whether the value of `YOLODetector` is correct'";
  assert.equal(diagnoseText(tb(message)).category, 'config_error');
});

test('file descriptors running out (EMFILE) beside the shared-memory segment they could not open is the descriptors', () => {
  const log = [
    tb(
      'RuntimeError: unable to open shared memory object </torch_30997_2076642173> in read-write mode',
      '  File "/usr/lib/python3.6/multiprocessing/queues.py", line 234, in _feed\n',
    ),
    tb('OSError: [Errno 24] Too many open files', '  File "/usr/lib/python3.6/multiprocessing/reduction.py", line 176, in send_handle\n'),
  ].join('');
  assert.equal(diagnoseText(log).category, 'too_many_open_files');
  // Alone, the segment is shared memory's.
  assert.equal(
    diagnoseText(tb('RuntimeError: unable to open shared memory object </torch_30997_2076642173> in read-write mode')).category,
    'shm_exhausted',
  );
});

test('a check for NaN that failed (`assert torch.isnan(w).sum() == 0`, read from the failing line) is the values turning NaN', () => {
  const frames = '  File "/opt/lib/quantizer.py", line 79, in pseudo_quantize_tensor\n    assert torch.isnan(w).sum() == 0\n';
  assert.equal(diagnoseText(tb('AssertionError', frames)).category, 'nan_loss');
});

test("ggml's assertion on a tensor's dimensions (`GGML_ASSERT: … tensor->ne[1] == ne1`) is a shape error", () => {
  assert.equal(diagnoseText('main: loading model\nGGML_ASSERT: common/train.cpp:192: tensor->ne[1] == ne1\n').category, 'shape_error');
});

test("a loader's own verdict that the model file is corrupted or incomplete (llama.cpp) is a corrupt checkpoint", () => {
  const log =
    "llama_model_load: error loading model: tensor 'blk.2.ffn_down.weight' data is not within the file bounds, model is corrupted or incomplete\nmain: error: unable to load model\n";
  assert.equal(diagnoseText(log).category, 'checkpoint_corrupt');
});

test("XLA's words for accelerator memory that cannot hold a reservation (a TPU's HBM) are device memory", () => {
  const log =
    'E xla_util.cc:88] OP_REQUIRES failed at tpu_execute_op.cc:266 : RESOURCE_EXHAUSTED: Attempting to reserve 6.48G at the bottom of memory. That was not possible. There are 6.78G free, 0B reserved, and 3.33G reservable.\n';
  assert.equal(diagnoseText(log).category, 'cuda_oom');
});

test('torch_xla started with no accelerator configured, or a kernel refusing the GPU generation (`dprops->major == 8`), is the environment', () => {
  const xla =
    "terminate called after throwing an instance of 'std::runtime_error'\n  what():  xla_client/computation_client.cc:273 : Missing XLA configuration\nAborted\n";
  assert.equal(diagnoseText(xla).category, 'cuda_env_error');
  const arch = tb('RuntimeError: Expected (dprops->major == 8 && dprops->minor == 0) to be true, but got false.');
  assert.equal(diagnoseText(arch).category, 'cuda_env_error');
});

test("another vendor's collective library failing (Habana's HCCL: `Collective call returned error`) is a communication error", () => {
  const log =
    'logging.cc:97: Unhandled exception: N3c105ErrorE. what(): Collective call returned error\nException raised from operator() at hccl/process_group_hccl_base.cpp:286 (most recent call first):\n';
  assert.equal(diagnoseText(log).category, 'nccl_error');
});

test("torch.distributions' validation cut before `found invalid values` (`Expected parameter loc (Tensor of shape (128, 10)) of distribution …`) is still NaN", () => {
  assert.equal(
    diagnoseText(tb('ValueError: Expected parameter loc (Tensor of shape (128, 10)) of distribution Normal(loc: torch.Size([128, 10'))
      .category,
    'nan_loss',
  );
});

test("flash-attention's check of the GPU's architecture (`Expected is_sm90 || is_sm8x || is_sm75 to be true`) is the CUDA environment", () => {
  assert.equal(
    diagnoseText(tb('RuntimeError: Expected is_sm90 || is_sm8x || is_sm75 to be true, but got false.')).category,
    'cuda_env_error',
  );
});

test('Hydra: an override its grammar refuses is the configuration; a target it cannot import (`Error locating target`) is an import', () => {
  const grammar = [
    'LexerNoViableAltException: data.filelist=E:\\tts\\run~\\train.txt',
    '                                 ^',
    'See https://hydra.cc/docs/1.2/advanced/override_grammar/basic for details',
  ].join('\n');
  assert.equal(diagnoseText(`${grammar}\n`).category, 'config_error');
  const target = [
    'Error executing job with overrides: []',
    "Error locating target 'policy.dataset.image_dataset.ImageDataset', set env var HYDRA_FULL_ERROR=1 to see chained exception.",
    'full_key: task.dataset',
  ].join('\n');
  assert.equal(diagnoseText(`${target}\n`).category, 'import_error');
});

test('a tensor that cannot be reshaped (`cannot reshape tensor of 0 elements into shape [-1, 0]`) is a shape error', () => {
  const message =
    'RuntimeError: cannot reshape tensor of 0 elements into shape [-1, 0] because the unspecified dimension size -1 can be any value';
  assert.equal(diagnoseText(tb(message)).category, 'shape_error');
});

test("a record that does not fit the features an input pipeline parses (TensorFlow's `Can't parse serialized Example`) is the data's", () => {
  const log =
    "ERROR:tensorflow:Error recorded from infeed: {{function_node __inference_map_and_batch_69}} Key: segment_ids.  Can't parse serialized Example.\n\t [[{{node ParseSingleExample/ParseSingleExample}}]]\n";
  assert.equal(diagnoseText(log).category, 'dataloader_worker_error');
});

test('`stack expects each tensor to be equal size`: a shape error in the model; in collate or a dataset, a batch of samples that do not fit', () => {
  const traceback = (frames: string[]) =>
    [
      'Traceback (most recent call last):',
      '  File "train.py", line 40, in <module>',
      '    main()',
      ...frames,
      'RuntimeError: stack expects each tensor to be equal size, but got [512] at entry 0 and [480] at entry 2',
      '',
    ].join('\n');
  const inModel = traceback(['  File "/home/u/proj/models/memory.py", line 66, in forward', '    negatives = torch.stack(negatives)']);
  assert.equal(diagnoseText(inModel, { exitCode: 1 }).category, 'shape_error');
  const inCollate = traceback([
    '  File "/usr/lib/python3/dist-packages/torch/utils/data/_utils/collate.py", line 56, in default_collate',
    '    return torch.stack(batch, 0, out=out)',
  ]);
  assert.equal(diagnoseText(inCollate, { exitCode: 1 }).category, 'dataloader_worker_error');
  // The model's code under another name than forward, last of the user's frames: still the model's tensors.
  const inModelModule = traceback([
    '  File "/home/u/proj/model/meta.py", line 326, in forward_inference',
    '    l_image_tokens = self.encode_image(image)',
    '  File "/home/u/proj/model/meta.py", line 172, in encode_image',
    '    local_512 = torch.stack([local_image_512] + local_parts_512, dim=1)',
  ]);
  assert.equal(diagnoseText(inModelModule, { exitCode: 1 }).category, 'shape_error');
  // A training loop kept in the model's package that fetched a batch: the collate below it is the last word.
  const loopInModelPackage = traceback([
    '  File "/home/u/proj/models/trainer.py", line 80, in fit',
    '    for batch in self.loader:',
    '  File "/usr/lib/python3/dist-packages/torch/utils/data/_utils/collate.py", line 56, in default_collate',
    '    return torch.stack(batch, 0, out=out)',
  ]);
  assert.equal(diagnoseText(loopInModelPackage, { exitCode: 1 }).category, 'dataloader_worker_error');
});

test("a download's socket reset as Python reprs it (`ConnectionResetError(104, 'Connection reset by peer')`) is the network's, not NCCL's", () => {
  const log = [
    "[2025/01/30 07:38:01] app INFO: Downloading det_model.tar from https://models.example.org/det_model.tar failed 3 times with exception ('Connection aborted.', ConnectionResetError(104, 'Connection reset by peer'))",
    'RuntimeError: Download from https://models.example.org/det_model.tar failed. Retry limit reached',
    '',
  ].join('\n');
  assert.equal(diagnoseText(log, { exitCode: 1 }).category, 'network_error');
  // NCCL's own socket reset stays NCCL's.
  assert.equal(
    diagnoseText('node3:41:60 [1] NCCL WARN Net : Connection closed by remote peer 10.0.0.2<51322>\n', { exitCode: 1 }).category,
    'nccl_error',
  );
});

test('two ranks on the same GPU is an NCCL error a re-run alone does not fix', () => {
  const d = diagnoseText('[rank1]: Duplicate GPU detected : rank 1 and rank 0 both on CUDA device 1000\n');
  assert.deepEqual([d.category, d.retryable], ['nccl_error', false]);
});

test("a segfault the shell reports right below the job's own exception is the process tearing down: the exception is the cause", () => {
  const failed = [
    'Traceback (most recent call last):',
    '  File "leaderboard/leaderboard_evaluator.py", line 331, in run',
    "    route_length_kms = route_record.scores['score_route'] * route_record.meta['route_length'] / 1000.0",
    "KeyError: 'route_length'",
  ];
  const report =
    './run_agent.sh: line 23:  7717 Segmentation fault      (core dumped) python leaderboard/leaderboard_evaluator.py --port=2000';
  const teardown = diagnoseText([...failed, report, 'Done.', ''].join('\n'));
  assert.deepEqual([teardown.category, teardown.exception?.type], ['other', 'KeyError']);
  // A segfault reported after the job went on past its exception is its own failure.
  const later = diagnoseText(
    [...failed, 'Retrying route 1', 'Preparing scenario: RouteScenario_1', 'ScenarioManager: Running', report, ''].join('\n'),
  );
  assert.equal(later.category, 'segfault');
});

test("a training loop's own check that its loss went NaN (`Finding Nan in gaussian loss`), with no exception, is nan_loss", () => {
  assert.equal(diagnoseText('epoch 12 | loss 0.81\nFinding Nan in gaussian loss\n').category, 'nan_loss');
  assert.equal(diagnoseText('step 300: NaN in the generator loss, stopping\n').category, 'nan_loss');
});

test("other accelerators' memory running out (Ascend's NPU, Gaudi's HPU device memory, PyTorch's caching allocator's words) is device memory, not the host's", () => {
  const npu =
    'RuntimeError: NPU out of memory. Tried to allocate 5.03 GiB (NPU 3; 60.96 GiB total capacity; 49.47 GiB already allocated; 1.32 GiB free; 57.55 GiB reserved in total by PyTorch)';
  assert.equal(diagnoseText(tb(npu)).category, 'cuda_oom');
  assert.equal(
    diagnoseText(tb('RuntimeError: [Rank:0] FATAL ERROR :: MODULE:PT_DEVMEM Allocation failed for size::268435456 (256)MB')).category,
    'cuda_oom',
  );
  assert.equal(
    diagnoseText(tb('RuntimeError: Tried to allocate 2.00 GiB; 13.00 GiB reserved in total by PyTorch: out of memory')).category,
    'cuda_oom',
  );
  assert.equal(diagnoseText(tb('MemoryError: mem allocation failed for the batch')).category, 'host_oom');
  // A CUDA library's allocation in its own words (cuStateVec under a simulator), as a C++ exception aborting the process.
  const library =
    "terminate called after throwing an instance of 'std::runtime_error'\n  what():  [custatevec] %out of memory in addQubitsToState (line 210)\n";
  assert.equal(diagnoseText(library).category, 'cuda_oom');
  // Past a memory fraction the job set, pasted bare with the allocator's figures below it.
  const fraction =
    'Allocation on device 0 would exceed allowed memory. (out of memory)\nCurrently allocated : 23.05 GiB\nRequested : 25.00 MiB\n';
  assert.equal(diagnoseText(fraction).category, 'cuda_oom');
});

test("a collective of another vendor's library (Ascend's HCCL) that failed or timed out is the collective's, as NCCL's is", () => {
  assert.equal(
    diagnoseText(tb('RuntimeError: HcclAllreduce: Getting socket times out. Remote Rank did not send the data in time')).category,
    'nccl_timeout',
  );
  assert.equal(diagnoseText(tb('RuntimeError: OPS function error: HcclAllreduce, error code is 6')).category, 'nccl_error');
});

test("CUDA's unknown error and its 'operation not supported' by their PyTorch 1.x status codes (30, 801) are the CUDA environment's", () => {
  const init = tb('RuntimeError: cuda runtime error (30) : unknown error at /pytorch/aten/src/THC/THCTensorRandom.cu:25');
  assert.equal(diagnoseText(init).category, 'cuda_env_error');
  const ipc = 'THCudaCheck FAIL file=..\\torch/csrc/generic/StorageSharing.cpp line=258 error=801 : operation not supported\n';
  assert.equal(diagnoseText(`Saving logs data to logs.csv\n${ipc}`).category, 'cuda_env_error');
});

test("TensorFlow's CPU kernel refusing the GPU's NCHW layout is a graph built for a GPU this build does not see", () => {
  const log =
    '2018-08-03 09:08:21.033200: E tensorflow/core/common_runtime/executor.cc:696] Executor failed to create kernel. Invalid argument: Conv2DCustomBackpropInputOp only supports NHWC.\n';
  assert.equal(diagnoseText(log).category, 'cuda_env_error');
});

test("an accelerator's stream that never finished its work (`Stream synchronize timeout`) is the job stuck", () => {
  const log =
    'W NPUStream.cpp:409] Warning: NPU warning, error code is 507046[Error]:\nEE1002: 2024-09-03-16:50:00.041.231 Stream synchronize timeout. rtDeviceSynchronize execute failed, reason=[stream sync timeout]\n';
  assert.equal(diagnoseText(log).category, 'hang');
});

test("TensorFlow's restore that failed to find any files matching the checkpoint's prefix is a file not found", () => {
  const log = tb(
    'tensorflow.python.framework.errors_impl.NotFoundError: Unsuccessful TensorSliceReader constructor: Failed to find any matching files for checkpoints/model-800',
  );
  assert.equal(diagnoseText(log).category, 'file_not_found');
});

test("an exception named so by the module that defines it (`torch._dynamo.exc.…`), printed alone, is the job's exception, not a log that stopped", () => {
  const d = diagnoseText(
    'W0110 12:27:06.332000 158 torch/_dynamo/convert_frame.py:1551] [2/8] torch._dynamo hit config.recompile_limit (8)\n\ntorch._dynamo.exc.FailOnRecompileLimitHit: recompile_limit reached with fullgraph=True.\n',
  );
  assert.deepEqual([d.category, d.exception?.type], ['other', 'torch._dynamo.exc.FailOnRecompileLimitHit']);
});

test("wget's and curl's connection that failed (timed out, refused), with no exception after it, is the network's", () => {
  const wget = 'Connecting to huggingface.co (huggingface.co)|2600:9000:2133:6600::1|:443... failed: Connection timed out.\n...\n';
  assert.equal(diagnoseText(wget).category, 'network_error');
  assert.equal(
    diagnoseText("curl: (7) Failed to connect to example.org port 443 after 2 ms: Couldn't connect to server\n").category,
    'network_error',
  );
});

test("the GPU's EGL failing to start or to read its device (simulators' off-screen rendering) is the GPU environment's", () => {
  const glog =
    'I0909 02:24:38.264986 22062 WindowlessContext.cpp:100] [EGL] Detected 3 EGL devices\nF0909 02:24:38.410570 22062 WindowlessContext.cpp:117] Check failed: isNvidiaGpuReadable(eglDevId) [EGL] EGL device 0, CUDA device 0 is not readable\n';
  assert.equal(diagnoseText(glog).category, 'cuda_env_error');
  assert.equal(
    diagnoseText('INFO:renderer:Device 3 is not available for rendering\n  ERROR: Failed to EGL with glad.\n').category,
    'cuda_env_error',
  );
  assert.equal(diagnoseText(tb('RuntimeError: eglInitialize() failed: EGL_NOT_INITIALIZED')).category, 'cuda_env_error');
});

test("glog's fatal `Check failed` ending a log is a failure said, not a log that stopped without a word", () => {
  const log =
    'I0909 02:24:38.202818 22062 Simulator.cpp:96] Loading navmesh\nF0909 02:24:38.410570 22062 Context.cpp:117] Check failed: ready(id)\n';
  assert.notEqual(diagnoseText(log).category, 'hang');
});

test("a library's set-up of its CUDA binaries that failed (bitsandbytes' `CUDA SETUP: Setup Failed!`) is the CUDA environment's", () => {
  const log =
    'CUDA SETUP: Setup Failed!\nCUDA SETUP: Something unexpected happened. Please compile from source:\ncd bitsandbytes\npython setup.py install\n';
  assert.equal(diagnoseText(log).category, 'cuda_env_error');
});

test('a feature map too small for what a layer does to it (`Output size is too small`) is a shape error', () => {
  const log = tb('RuntimeError: Given input size: (512x2x1). Calculated output size: (512x1x0). Output size is too small');
  assert.equal(diagnoseText(log).category, 'shape_error');
});

test("a training option the model does not offer (gradient checkpointing, Flash Attention 2), or labels past the model's vocab_size, is the configuration's", () => {
  assert.equal(diagnoseText(tb('ValueError: LLaDAModelLM does not support gradient checkpointing.')).category, 'config_error');
  assert.equal(diagnoseText(tb('ValueError: GPT2Model does not support Flash Attention 2.0 yet.')).category, 'config_error');
  assert.equal(diagnoseText(tb('ValueError: Label values must be <= vocab_size: 29')).category, 'config_error');
});

test("PyTorch's argument parser refusing a call, pasted without its `TypeError: `, is the job's TypeError, not a log that stopped", () => {
  const d = diagnoseText("dropout(): argument 'input' (position 1) must be Tensor, not str\n");
  assert.deepEqual([d.category, d.exception?.type], ['other', 'TypeError']);
  const combination = diagnoseText('linear() received an invalid combination of arguments - got (Tensor, Parameter, NoneType)\n');
  assert.equal(combination.exception?.type, 'TypeError');
});

test('a distributed call in a job started without its launcher (`Default process group has not been initialized`) is how it was configured', () => {
  const log = tb('RuntimeError: Default process group has not been initialized, please make sure to call init_process_group.');
  assert.equal(diagnoseText(log).category, 'config_error');
});

test("a tensor indexed with more indices than it has dimensions is a shape that does not fit; NumPy's array is not said to be", () => {
  assert.equal(diagnoseText(tb('IndexError: too many indices for tensor of dimension 2')).category, 'shape_error');
  assert.equal(diagnoseText(tb('IndexError: too many indices for array: array is 1-dimensional, but 2 were indexed')).category, 'other');
});

test('a gradient of a loss never reduced to one number (PyTorch backward, JAX grad) is a shape that does not fit', () => {
  assert.equal(diagnoseText(tb('RuntimeError: grad can be implicitly created only for scalar outputs')).category, 'shape_error');
  const jax = tb('TypeError: Gradient only defined for scalar-output functions. Output had shape: (4,).');
  assert.equal(diagnoseText(jax).category, 'shape_error');
});

test("Python refusing a call, pasted without its `TypeError: ` (an unexpected keyword, a missing argument), is the job's TypeError", () => {
  for (const line of [
    "sample_images() got an unexpected keyword argument 'num_frames'",
    "Trainer.__init__() missing 1 required positional argument: 'model'",
    'forward() takes 2 positional arguments but 3 were given',
  ]) {
    const d = diagnoseText(`${line}\n`);
    assert.deepEqual([d.category, d.exception?.type], ['other', 'TypeError'], line);
  }
});

test("a printed tensor's own `dtype=` field is part of what a message shows, not the type it complains of", () => {
  const structure = tb(
    'ValueError: Expected state to be a tuple of length 2, but received: Tensor("initial_state:0", shape=(2, 2, 100, 512), dtype=float32)',
  );
  assert.equal(diagnoseText(structure).category, 'shape_error');
  // A type named as the trouble, beside a repr, still is.
  const named = tb('RuntimeError: expected dtype Half but got tensor(0.5, dtype=torch.float32)');
  assert.equal(diagnoseText(named).category, 'dtype_error');
});
