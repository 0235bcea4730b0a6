/**
 * The rule catalog: data, not control flow. Each rule names a category, the patterns that are
 * evidence for it, and a priority. When several rules match a log, the highest priority wins:
 * specific root causes (a CUDA OOM, a full disk) outrank the cascades they set off (an NCCL
 * timeout on the ranks left waiting, a launcher's ChildFailedError). Named groups in a pattern
 * are captured and quoted in `explain` as {name}; a [bracketed part] is dropped when a name in it
 * was not captured.
 *
 * Adding a cause = adding a rule here and a log under test/fixtures/logs/. Patterns must
 * describe how a framework phrases the failure, never one log's paths or numbers.
 */

import type { Category } from './categories.ts';
import {
  ABORTED,
  ABORTED_CORE_DUMPED,
  exitedWithStatus,
  KILLED,
  killedBySignal,
  LAUNCHER_RULES,
  SEGMENTATION_FAULT_TRANSLATED,
  shellJobStatus,
  shellLineReport,
  windowsNativeCrash,
  workerKilledBy,
} from './launcher-evidence.ts';

export type Rule = {
  id: string;
  category: Category;
  /** Higher wins. Roughly: hardware/device > memory > environment > data/model > communication. */
  priority: number;
  patterns: RegExp[];
  /** Overrides the category's default when this evidence says otherwise. */
  retryable?: boolean;
  /** A line that only warns of it is no evidence: the job went on (a loader probing for optional libraries). */
  notFromWarnings?: boolean;
  explain: string;
  fixes: string[];
};

/** The rule for an abort that names no cause: diagnosis refines it by an error logged before it. */
export const NATIVE_ABORT_RULE = 'native-abort';

/**
 * Not a cause named only as a possibility (joblib's `This could be caused by a segmentation fault … or by an excessive
 * memory usage`, TensorFlow's `This may be due to a preemption in a connected worker`): what the log says next decides.
 */
const HEDGE = String.raw`(?<!\b(?:may|might|could|can) (?:be|have been) (?:due to|caused by) (?:an? )?)`;

export const RULES: readonly Rule[] = [
  {
    id: 'gpu-hardware',
    category: 'gpu_hardware_error',
    priority: 100,
    patterns: [
      /uncorrectable ECC error|ECC errors? (?:detected|encountered)|cudaErrorECCUncorrectable|double[- ]bit ECC/i,
      /GPU has fallen off the bus|fallen off the bus/i,
      /\bXid\b.*\b(?:48|61|62|63|64|74|79|92|94|95|119|120|140)\b|NVRM: Xid/,
      // nvidia-smi once the driver lost the GPU.
      /Unable to determine the device handle for GPU|CUDA_ERROR_ECC_UNCORRECTABLE/,
      /GPU is lost|unrecoverable error.*GPU|hardware error on GPU|uncorrectable NVLink error/i,
      // The kernel's PCIe error reporting (AER): the bus the GPU sits on is failing.
      /PCIe Bus Error: severity=|AER: (?:Uncorrected|Multiple (?:Uncorrected|Corrected)|Corrected) error received/,
      // ROCm's HSA runtime: the GPU raised a hardware exception (stopped answering: `reason :GPU Hang`).
      /\bHW Exception by GPU node-\d+/,
    ],
    explain: 'the GPU reported a hardware fault',
    fixes: [
      'Check `nvidia-smi -q -d ECC` and the kernel log (`dmesg | grep -i xid`) on that node',
      'Re-run on another GPU or node; report the node to its admin if it repeats',
    ],
  },
  {
    id: 'cuda-device-assert',
    category: 'cuda_device_assert',
    priority: 95,
    patterns: [
      /device-side assert(?:ion)? triggered/i,
      /Assertion `[^`]*` failed/,
      // ROCm's kernels in their words (`Indexing.hip:1292: indexSelectLargeIndex: Device-side assertion `srcIndex < …' failed.`);
      // glibc's host-side assert() quotes the same way, so the device is named.
      /Device-side assertion `[^\n]*' failed/i,
      // The kernel's own report, with or without backticks around the condition (older builds print none).
      // Its start is enough: a console that wraps long lines cuts it (`IndexKernel.cu:142: block: [0,` then `0,0], thread: …`).
      /\.cuh?:\d+: .*block: \[\d+,/,
      /cuda runtime error \(59\)/,
      /cudaErrorAssert|CUDA_ERROR_ASSERT/,
    ],
    explain: 'a CUDA kernel assertion fired, typically an index or class label out of range',
    fixes: [
      'Check that labels lie in [0, num_classes) and indices are within the tensor size (a label equal to num_classes is the classic case)',
      'Re-run with CUDA_LAUNCH_BLOCKING=1 (or on CPU) to get the exact failing line',
    ],
  },
  {
    id: 'cuda-illegal-access',
    category: 'cuda_illegal_access',
    priority: 93,
    patterns: [
      /illegal memory access/i,
      // ROCm's HSA runtime on an AMD GPU: the same fault in its words.
      /Memory access fault by GPU node-\d+/,
      // Intel's GPU driver: a page fault of the GPU (`Segmentation fault from GPU at 0x…, … (NotPresent)`), not of the host.
      /\bSegmentation fault from GPU\b/,
      /misaligned address/i,
      /unspecified launch failure/i,
      /an illegal instruction was encountered/i,
      /cuda runtime error \((?:74|77|719)\)/,
      /CUDA_ERROR_(?:ILLEGAL_ADDRESS|ILLEGAL_INSTRUCTION|MISALIGNED_ADDRESS|LAUNCH_FAILED)|cudaError(?:IllegalAddress|IllegalInstruction|MisalignedAddress|LaunchFailure)/,
    ],
    explain: 'a CUDA kernel accessed memory it must not (reported asynchronously, often at a later .item() or synchronize)',
    fixes: [
      'Re-run with CUDA_LAUNCH_BLOCKING=1 to find the kernel that faulted',
      'Suspect custom CUDA extensions, mixed precision kernels and out-of-range indices; try the latest driver/PyTorch',
    ],
  },
  {
    id: 'cuda-oom',
    category: 'cuda_oom',
    priority: 90,
    patterns: [
      /CUDA out of memory\.? ?(?:Tried to allocate (?<alloc>[\d.]+ ?[KMGT]i?B))?(?:.*?GPU (?<gpu>\d+)[^;]*?; (?<total>[\d.]+ ?[KMGT]i?B) total capacity)?(?:.*?(?<free>[\d.]+ ?[KMGT]i?B) (?:is )?free)?/i,
      // Not Ray's OutOfMemoryError (`ray.exceptions.OutOfMemoryError`, older Ray's `RayOutOfMemoryError`) nor OpenCV's
      // (`cv::OutOfMemoryError`, `in function 'OutOfMemoryError'`) nor the JVM's (`java.lang.OutOfMemoryError: Java heap space`):
      // all host memory (host-oom).
      /(?<!ray\.exceptions\.|Ray|cv::|in function '|java\.lang\.)OutOfMemoryError/,
      /CUDA error: out of memory|cudaErrorMemoryAllocation|CUDA_ERROR_OUT_OF_MEMORY/,
      /cuda runtime error \(2\) ?: out of memory/,
      // PyTorch <= 0.4's THC check of a CUDA call: status 2 is cudaErrorMemoryAllocation (a segfault often follows).
      /\bTHCudaCheck FAIL\b[^\n]*\berror=2\b/,
      /Cuda failure (?:2 )?'out of memory'/,
      // Other accelerators' PyTorch backends word it as CUDA's: ROCm's HIP, Intel's XPU, Ascend's NPU, Gaudi's HPU, Cambricon's MLU.
      /CUBLAS_STATUS_ALLOC_FAILED|CUDNN_STATUS_ALLOC_FAILED|(?:HIP|XPU|NPU|HPU|MLU) out of memory/,
      // TensorFlow copying an input to a GPU that has no room left for it.
      /Dst tensor is not initialized/,
      // `from device`: TensorFlow's stream executor, in its CUDA and its ROCm (hipError_t) builds alike.
      /out of memory on device|Failed to allocate .* (?:on|from) device/i,
      // PyTorch's caching allocator past a memory fraction the job set (`Allocation on device 0 would exceed allowed memory. (out of memory)`).
      /\bAllocation on device \d+ would exceed allowed memory\b/,
      // A GPU library's allocator in its own words (NVIDIA DALI's operators).
      /\b(?:CUDA|GPU) (?:memory )?allocation failed\b/i,
      // A GPU allocator's own failure (a CUDA-side engine's `…CudaDeviceMemoryAllocator fail to allocate memory`); not pinned
      // memory, which is the host's (page-locked).
      /(?:cuda|gpu)\w*[^\n]{0,80}\bfail(?:ed|s|ure)? to allocate\b(?! pinned)/i,
      // CuPy's memory pool (Chainer, CuPy itself), in its older and newer words.
      /\bout of memory (?:to allocate|allocating) [\d,]+ bytes\b/i,
      // The device allocator's call failing in a C++ framework's words (MXNet's `pooled_storage_manager.h:107: cudaMalloc failed: out
      // of memory`), its reason often wrapped onto the next line.
      /\bcudaMalloc(?:Async|Managed)? fail/,
      // A CUDA call's own status in C++ frameworks' checks (MXNet's cudaMalloc, OneFlow's CudaCheck, glog CHECKs), or a CUDA
      // library's (`[custatevec] %out of memory in addQubitsToState`).
      /\b(?:cuda\w*|cudnn\w*|cublas\w*|cusparse\w*|cusolver\w*|cufft\w*|curand\w*|cutensor\w*|custatevec\w*)\b[^\n]{0,120}\bout of memory\b/i,
      // Other accelerators: Apple MPS, XLA (JAX / TPU / torch_xla).
      /MPS backend out of memory|RESOURCE_EXHAUSTED: Out of memory/,
      // TensorFlow's BFC allocator and its ResourceExhaustedError; PaddlePaddle's allocator.
      /OOM when allocating tensor|Allocator \(GPU_\d+_bfc\) ran out of memory|Out of memory error on GPU \d+/,
      // RAPIDS' GPU memory manager (RMM, under cuDF, cuML, XGBoost's GPU learner): its pool is device memory, though C++ says bad_alloc.
      // Theano's and other runtimes' words for a failed allocation of device memory.
      /\ballocat\w* (?:[\d.]+ ?[KMGT]?i?B|\d+ bytes) of device memory\b/i,
      // XLA's words for a TPU's (or GPU's) memory that cannot hold what it was asked to reserve.
      /\bAttempting to (?:reserve|allocate) [\d.]+\s?[KMGT]?i?B?\b[^\n]{0,60}\bThat was not possible\b/,
      /\bout_of_memory\b[^\n]{0,20}\b(?:RMM|CUDA error)\b|\bRMM failure\b[^\n]*\bpool size exceeded\b/,
      // Apple's Metal (MLX, MPS) and DirectML in their own words: no CUDA named, the GPU's memory all the same.
      /\bkIOGPU\w*OutOfMemory\b|\[METAL\][^\n]*\bInsufficient Memory\b/,
      /\bnot enough (?:GPU|video|VRAM|device)\b[^\n]{0,20}\bmemory\b/i,
      // The status codes of other GPU runtimes: Intel's Unified Runtime and Level Zero (`UR_RESULT_ERROR_OUT_OF_DEVICE_MEMORY`), Vulkan.
      /\b[A-Z]+_(?:RESULT_)?ERROR_OUT_OF_DEVICE_MEMORY\b/,
    ],
    explain: 'GPU memory ran out[: tried to allocate {alloc}][ with {free} free][ on GPU {gpu}]',
    fixes: [
      'Lower the batch size (use gradient accumulation to keep the effective batch)',
      'Use mixed precision (bf16/fp16) and activation checkpointing',
      'If memory is reserved but unallocated, set PYTORCH_CUDA_ALLOC_CONF=expandable_segments:True',
    ],
  },
  {
    id: 'gpu-env',
    category: 'cuda_env_error',
    priority: 88,
    patterns: [
      /no kernel image is available for execution/i,
      /is not compatible with the current PyTorch installation/i,
      /NVIDIA driver on your system is too old|driver version is insufficient|CUDA driver version is insufficient/i,
      /Found no NVIDIA driver|NVIDIA-SMI has failed|no CUDA-capable device is detected|No CUDA GPUs are available/i,
      /cuda runtime error \((?:35|38|100|804)\)/,
      /CUDA_ERROR_NO_DEVICE|cudaErrorNoDevice|cudaErrorInsufficientDriver|CUDA unknown error|cudaErrorUnknown/,
      // The driver's unknown error from a CUDA call (`CUDA error: unknown error`, a C++ engine's `CUDA Error, for …
      // cudaSetDevice(…), error unknown error`): the driver's state (after a suspend, a lost kernel module), not the job's code.
      /\bCUDA (?:runtime )?error\b[^\n]{0,200}?\bunknown error\b/i,
      // CUDA's status codes of the same, in PyTorch 1.x's words (`cuda runtime error (30)`, `THCudaCheck FAIL … error=30`): 30 and
      // 999 the driver's unknown error; 801 an operation this platform does not support (CUDA IPC on Windows).
      /\bcuda runtime error \((?:30|801|999)\)|\bTHCudaCheck FAIL\b[^\n]*\berror=(?:30|801|999)\b|cudaErrorNotSupported|CUDA_ERROR_NOT_SUPPORTED/,
      // TensorFlow's CPU kernels refusing the GPU's NCHW layout (`Default MaxPoolingOp only supports NHWC on device type CPU`):
      // a graph built for the GPU placed on the CPU, the GPU not visible to this build.
      /\bonly supports NHWC\b/,
      // A library's own set-up of its CUDA binaries that failed (bitsandbytes' `CUDA SETUP: Setup Failed!`).
      /\bCUDA SETUP: Setup Failed\b/,
      // wgpu (the GPU layer of Rust trainers: burn, brush) finding no GPU it can drive through any graphics API.
      /\bNo adapter found for graphics API\b|\bFailed to find an appropriate (?:GPU )?adapter\b/,
      // The GPU's EGL, which simulators and renderers draw with off-screen (habitat-sim, iGibson, MuJoCo, Isaac), failing to start
      // or to read the device: the driver's EGL libraries or the device's visibility, not the job's code.
      /\b(?:fail\w*|unable|could not|cannot)\b[^\n]{0,30}\bEGL\b|\bEGL\b[^\n]{0,80}\b(?:fail\w*|not readable|not initiali[sz]ed|unable|could not|cannot)\b|EGL_NOT_INITIALIZED|EGL_BAD_(?:DISPLAY|ACCESS|ALLOC)/i,
      // ROCm's HIP runtime names the same failures its own way (no code object: no kernel image for this GPU).
      /hipErrorNoBinaryForGpu|Unable to find code object for all current devices|hipErrorNoDevice|hipErrorInsufficientDriver/,
      // Builds without GPU support asked for a GPU: PyTorch's, MXNet's and TensorFlow's words.
      // A CPU-only build asked for CUDA: `module 'torch._C' has no attribute '_cuda_getDevice'`.
      /has no attribute '_cuda_\w+'/,
      /Torch not compiled with CUDA enabled|Compile with USE_CUDA=1|not compiled with (?:GPU|CUDA) support|(?:compiled|built) without (?:GPU|CUDA) support/i,
      // LightGBM's and XGBoost's way: the GPU learner or device was not part of the build.
      /\b(?:GPU|CUDA)\b[^\n]{0,40}\bnot (?:enabled|compiled|built|included) in this build\b/i,
      /invalid device ordinal/i,
      // CUDA's status for a kernel with no code for this GPU's architecture (cudaErrorInvalidDeviceFunction).
      /invalid device function|cudaErrorInvalidDeviceFunction|CUDA_ERROR_INVALID_DEVICE_FUNCTION/i,
      // A kernel image the driver cannot load for this GPU (CUDA_ERROR_INVALID_IMAGE: Triton's, an extension's build).
      /device kernel image is invalid|CUDA_ERROR_INVALID_IMAGE|cudaErrorInvalidKernelImage/,
      // No CUDA toolkit where an extension is compiled at run time (DeepSpeed's op builder, torch.utils.cpp_extension).
      /\bCUDA_HOME\b[^\n]{0,40}\b(?:does not exist|(?:is )?not (?:set|found)|is None)\b|unable to compile CUDA op/i,
      // torch.load of tensors saved on a GPU, where this process sees none.
      /on a CUDA device but torch\.cuda\.is_available\(\) is False/,
      /forward compatibility was attempted on non supported HW/i,
      // The NVIDIA container runtime refusing to start a container on this host's driver (`requirement error: unsatisfied
      // condition: cuda>=12.8, please update your driver`), or failing to reach the driver at all.
      /nvidia-container-cli: (?:requirement|initialization|mount) error/,
      /CUDA initialization: .*(?:driver|device)/i,
      // XLA (JAX, TensorFlow) failing to start cuDNN: a cuDNN that does not fit the build, or none found.
      /DNN library (?:initialization failed|is not found)/,
      // torch.compile's Triton backend on a GPU older than it supports.
      /too old to be supported by the triton GPU compiler|Triton only supports devices of CUDA [Cc]apability/,
      // cuDNN failing to load its parts, the driver's own library missing (WSL keeps it in /usr/lib/wsl/lib), or a runtime's
      // CUDA provider that could not load (onnxruntime's `Failed to load library libonnxruntime_providers_cuda.so with error: …`).
      /Could not load library libcudnn\w*\.so|\blibcuda\.so(?:\.\d+)?: cannot open shared object file/,
      /Failed to load library \S*(?:cuda|cudnn|tensorrt)\S*\.so with error\b/,
      // torch.cuda's lazy initialisation (torch/cuda/__init__.py) and c10/cuda's device count.
      /Cannot re-initialize CUDA in forked subprocess|CUDA call failed lazily at initialization|Unexpected error from cudaGetDeviceCount/,
      /busy or unavailable|cudaErrorDevicesUnavailable|unsupported toolchain|cudaErrorUnsupportedPtxVersion/,
      // A CUDA library found at run time older than the one the framework was built with (XLA's and TensorFlow's check).
      /\b(?:cuDNN|CUDA|cuBLAS|cuFFT|cuSPARSE|cuSOLVER|NCCL)\b[^\n]{0,40}\b(?:library|runtime|version)\b[^\n]{0,80}\b(?:compiled|built) (?:with|against)\b/i,
      // A framework's GPU backend that could not start (JAX then falls back to the CPU, at a fraction of the speed).
      /\b(?:CUDA|GPU|ROCm) backend failed to initiali[sz]e\b/i,
      // Builds of torch, its extensions and cuDNN that do not agree (torchvision, cpp_extension, cudnn).
      /compiled with different CUDA (?:major )?versions|detected CUDA version \([\d.]+\) mismatches|cuDNN version incompatibility/,
      // torch_xla started with no accelerator configured (no TPU, no GPU in its environment).
      /Missing XLA configuration/,
      /CUDA_HOME environment variable is not set|\bnvcc was not found\b|Unable to initialize backend '(?:cuda|gpu|rocm)'/,
      // PaddlePaddle's dynamic loader (cuDNN, cuBLAS, NCCL libraries it cannot load).
      /The third-party dynamic library \(\S+\) that Paddle depends on is not configured correctly/,
    ],
    explain: 'the CUDA setup does not work: driver, device visibility or PyTorch build',
    fixes: [
      'Run `nvidia-smi` and `python -c "import torch; print(torch.cuda.is_available(), torch.version.cuda)"` in the job environment',
      'Check CUDA_VISIBLE_DEVICES, and that the PyTorch build matches the driver and the GPU architecture',
    ],
  },
  {
    id: 'pickling',
    category: 'pickling_error',
    priority: 86,
    patterns: [/[Cc]an't pickle|[Cc]annot pickle|PicklingError|Can't get local object|Can't get attribute '[^']+' on <module '__main__'/],
    explain: 'an object sent to worker processes cannot be pickled (a lambda or local function under the spawn start method)',
    fixes: [
      'Move lambdas and locally defined functions/classes (collate_fn, worker_init_fn, transforms) to module level',
      'Or use num_workers=0 to confirm, or the fork start method on Linux',
    ],
  },
  {
    id: 'shm',
    category: 'shm_exhausted',
    priority: 85,
    patterns: [
      /insufficient shared memory|shared memory \(shm\)/i,
      /unable to write to file <\/torch_/,
      /unable to open shared memory object|unable to allocate shared memory|shm_open|Error while creating shared memory segment/i,
      /No space left on device.*(?:\/dev\/shm|\/torch_)|(?:\/dev\/shm|\/torch_).*No space left on device/,
      // Said by multiprocessing code itself (joblib's check that it can make a semaphore): its locks live in /dev/shm.
      /multiprocessing\w*\.py:\d+: \w+: \[Errno 28\] No space left on device/,
      /unexpected bus error encountered in worker|Bus error.*(?:worker|shared memory)/i,
      // The DataLoader's words, where a paste broke the line after `Bus`.
      new RegExp(String.raw`${workerKilledBy('Bus')}\b`, 'i'),
      /posix_fallocate failed/,
      // torch's shared-memory allocator (MapAllocator) and NCCL's /dev/shm segments.
      /unable to (?:mmap|open|write to|truncate) .*<\/torch_|failed to extend \/dev\/shm|(?:attaching to|creating) shared memory segment/i,
      // SIGBUS: a page of a shared mapping that /dev/shm could not back.
      /^\s*(?:\S+: line \d+: +\d+ )?Bus error\b|terminated with signal SIGBUS|Signal 7 \(SIGBUS\)/,
      killedBySignal('7'),
    ],
    explain: 'shared memory (/dev/shm) is too small for what the job passes between processes',
    fixes: [
      'Give the container more shared memory (`docker run --shm-size=8g`, or a larger /dev/shm)',
      'Or lower num_workers / batch size, or use `torch.multiprocessing.set_sharing_strategy("file_system")`',
    ],
  },
  {
    id: 'host-oom',
    category: 'host_oom',
    priority: 84,
    patterns: [
      new RegExp(workerKilledBy('Killed'), 'i'),
      /Out of memory:\s*Kill(?:ed)? process|oom[-_]kill(?:er)?|Memory cgroup out of memory|OOMKilled/i,
      /DUE TO OUT_OF_MEMORY|OUT_OF_MEMORY|exceeded (?:its )?memory limit|Detected \d+ oom[-_]kill/i,
      // LSF's reason for a job it killed at its memory limit.
      /\bTERM_MEMLIMIT\b/,
      /DefaultCPUAllocator: (?:not enough memory|can't allocate memory)|std::bad_alloc|^MemoryError\b|Unable to allocate [\d.]+ [KMGT]i?B for an array/,
      /\[Errno 12\] Cannot allocate memory/,
      // OpenCV's own allocator (core/alloc.cpp); its GPU module reports `Gpu API call` errors instead.
      /\(-4:Insufficient memory\)|\bcv::OutOfMemoryError\b/,
      // Windows' commit limit: memory ran out as the page file could not grow.
      /The paging file is too small for this operation|\[WinError 1455\]/,
      // A shell's report of its killed child, with the child's pid when a job ran it (`71885 Killed   python -m …`; from a script,
      // `run.sh: line 3: 71885 Killed …`, see shellLineReport below).
      /^\s*(?:\d+ +)?Killed\b.*(?:python|train|$)/,
      // The same report glued to a progress bar the kill cut short (bars redraw without a newline): tqdm's `77%|█████Killed`,
      // Keras's `18/500 [>.....] - ETA: 30:36 - loss: 20.9180Killed`.
      /(?:\d%\||\d\/\d+ \[[=>.]*\])[^\n]*?Killed\s*$/,
      killedBySignal('9'),
      exitedWithStatus('137'),
      shellJobStatus(KILLED),
      // zsh's report of a killed job (`[1]    1819 killed     python train.py`, `zsh: killed     python …`).
      /^(?:\[\d+\]\s*[+-]?\s+\d+|zsh:)\s+killed\s+\S/,
      // bash's report of a killed child anywhere on a line (a timestamped log): `bash: line 27:  318 Killed  sh start.sh`.
      shellLineReport(KILLED),
      /Signal 9 \(SIGKILL\) received|<Signals\.SIGKILL: 9>/,
      // joblib's loky executor listing its workers' ends (`The exit codes of the workers are {SIGKILL(-9)}`).
      /\bexit codes of the workers are \{[^}]*\bSIGKILL\(-9\)/,
      // torch.multiprocessing.spawn, Slurm's srun, an IDE's run console.
      /terminated with signal SIGKILL|task \d+: Out Of Memory/,
      // Ray's memory monitor kills workers before the kernel does, and says so in the driver's log.
      /killed due to memory pressure|node (?:is )?running low on memory|ray\.exceptions\.OutOfMemoryError|\bRayOutOfMemoryError\b/i,
      // The JVM's heap (Spark, H2O, a JVM-side trainer) and dask's nanny restarting a worker past its memory budget.
      /java\.lang\.OutOfMemoryError|\bJava heap space\b|\bGC overhead limit exceeded\b|\bexceeded \d+% memory budget\b/,
    ],
    explain: 'the kernel killed the job (or a worker) for using too much host memory',
    fixes: [
      'Reduce host memory: fewer DataLoader workers, smaller prefetch_factor, do not materialise datasets in lists',
      'Check `dmesg | grep -i oom` and the job memory limit (Slurm --mem, Kubernetes limits)',
    ],
  },
  {
    id: 'too-many-open-files',
    category: 'too_many_open_files',
    priority: 86,
    patterns: [/Too many open files|EMFILE|\[Errno 24\]|\[WinError 4\]/i, /received \d+ items of ancdata/],
    explain: 'the process ran out of file descriptors',
    fixes: [
      'Raise the limit (`ulimit -n 65536`)',
      'Or `torch.multiprocessing.set_sharing_strategy("file_system")`, and close files you open per sample',
    ],
  },
  {
    id: 'disk-full',
    category: 'disk_full',
    priority: 82,
    patterns: [
      /No space left on device|ENOSPC|\[Errno 28\]|Disk quota exceeded|\[Errno 122\]|EDQUOT|not enough space on the disk|insufficient disk space/i,
      // Rust's std::io::Error (safetensors, tokenizers).
      /\bkind: (?:StorageFull|QuotaExceeded)\b/,
      // Kubernetes evicting a pod that wrote past its own ephemeral storage (local disk) limit; a node short of disk
      // evicts whichever pods it picks (launcher-external-signal's).
      /ephemeral(?: local)? storage usage exceeds/i,
      // numpy's tofile/np.save writing fewer bytes than asked (`726725 requested and 0 written`): a disk that filled.
      /\b\d+ requested and \d+ written\b/,
      // torch.save's writer finding fewer bytes on disk than it wrote: a full disk, mid-save.
      /enforce fail at inline_container\.cc[:_]\d+\] \. unexpected pos \d+ vs \d+|PytorchStreamWriter failed writing file/,
      // TensorFlow's status for ENOSPC is RESOURCE_EXHAUSTED, its message the file it was writing (not `OOM when allocating`).
      /Resource exhausted: (?:[A-Za-z]:)?[\w.~-]*[\\/]\S*/,
    ],
    explain: 'a disk (or quota) is full',
    fixes: [
      'Free space or point caches/checkpoints elsewhere (HF_HOME, TRITON_CACHE_DIR, TMPDIR, the output dir)',
      'Keep fewer checkpoints',
    ],
  },
  {
    // An MLIR-based backend's op verifier (MPSGraph, XLA/StableHLO) refusing an op, printed before
    // the process aborts or segfaults of it: the refusal is the cause, not the crash after it.
    id: 'op-verifier-dtype',
    category: 'dtype_error',
    priority: 81,
    patterns: [/error: '[\w.]+' op (?:requires|expects?)[^\n]*\b(?:element types?|same type|types? of all)\b/],
    explain: "the backend's compiler refused an op whose operands' element types differ",
    fixes: ['Cast the operands to one dtype before the op (`.float()`, `.half()`), or run under torch.autocast'],
  },
  {
    id: 'op-verifier-shape',
    category: 'shape_error',
    priority: 81,
    patterns: [
      /error: '[\w.]+' op [^\n]*\b(?:dimensions? (?:differ|mismatch|must)|incompatible (?:shapes?|dimensions?)|shapes? (?:mismatch|must|differ))/,
    ],
    explain: "the backend's compiler refused an op whose operand shapes do not fit together",
    fixes: ["Print the shapes going into the op named in the message; the same code on CPU names them in PyTorch's words"],
  },
  {
    // torch.distributed built without the backend asked for (NCCL on Windows or macOS): a spawned
    // child then finds its pipe empty (`EOFError: Ran out of input`), which is no checkpoint's doing.
    id: 'backend-not-built',
    category: 'dist_init_error',
    priority: 79,
    patterns: [/Distributed package doesn't have (?:NCCL|Gloo|MPI|UCC) built in|PyTorch was buil[dt] without libuv support/],
    // The build, not the moment: the same run fails the same way.
    retryable: false,
    explain: 'this PyTorch build has no such distributed backend',
    fixes: ['Use a backend this build has: gloo on Windows and macOS (`init_process_group("gloo")`); on Windows also set USE_LIBUV=0'],
  },
  {
    // GPUs that cannot reach each other's memory directly (no P2P path between them), as CUDA says it and NCCL reports
    // it (`NCCL WARN Cuda failure 'peer access is not supported between these two devices'`): the machine's, every time.
    id: 'peer-access-unsupported',
    category: 'nccl_error',
    priority: 79,
    patterns: [/peer access is not supported between these two devices|cudaErrorPeerAccessUnsupported/],
    retryable: false,
    explain: 'these GPUs cannot access each other directly (no peer-to-peer path)',
    fixes: ["Disable NCCL's peer-to-peer transport: NCCL_P2P_DISABLE=1", 'Check the topology with `nvidia-smi topo -m`'],
  },
  {
    // torch.distributed's check of the ranks' collectives (TORCH_DISTRIBUTED_DEBUG=DETAIL): the ranks took different paths
    // through the code, and will again.
    id: 'collective-mismatch',
    category: 'nccl_error',
    priority: 79,
    patterns: [/Detected mismatch between collectives on ranks/],
    retryable: false,
    explain: 'the ranks ran different collectives: a code path taken on some ranks only',
    fixes: [
      'Make every rank call the same collectives in the same order (a loss or a backward run on some ranks only desynchronizes them)',
      'Parameters some ranks leave unused: DistributedDataParallel(find_unused_parameters=True)',
    ],
  },
  {
    // Gloo finds its network device by the host's name: a name that resolves to no interface of this host fails every time.
    id: 'gloo-no-device',
    category: 'dist_init_error',
    priority: 79,
    patterns: [/makeDeviceFor(?:Hostname|Interface)\(\): unsupported gloo device/],
    retryable: false,
    explain: "gloo found no network interface for this host's name",
    fixes: [
      'Name the interface: GLOO_SOCKET_IFNAME=<interface> (lo for a single machine)',
      "Or make the host's name resolve to one of its addresses (/etc/hosts; on Windows, the machine's name)",
    ],
  },
  {
    id: 'segfault',
    category: 'segfault',
    priority: 80,
    patterns: [
      new RegExp(String.raw`${HEDGE}Segmentation fault|SIGSEGV|signal 11\b|${workerKilledBy('Segmentation')}`, 'i'),
      // Python's faulthandler on Windows: the native crash, before the stacks it dumps.
      /^Windows fatal exception: (?:access violation|stack overflow|code 0x)/,
      /Fatal Python error: Segmentation/,
      // ctypes on Windows, a native function called through it that crashed (`OSError: exception: access violation writing 0x…`).
      /\bexception: access violation (?:reading|writing|executing)\b/,
      // R's handler (reticulate, torch for R, keras for R): ` *** caught segfault ***`, then `cause 'memory not mapped'`.
      /\*\*\* caught segfault \*\*\*/,
      new RegExp(SEGMENTATION_FAULT_TRANSLATED),
      killedBySignal('11'),
      // A platform's report of the container's end (SageMaker's `AlgorithmError: Exit Code: 139`): 128 + SIGSEGV.
      exitedWithStatus('139'),
      windowsNativeCrash(),
    ],
    explain: 'a native library crashed (segmentation fault)',
    fixes: [
      'The faulthandler stack shows the Python line that called into native code',
      'Suspect version mismatches of compiled extensions (torch, CUDA extensions, OpenCV) and data-loading libraries in workers',
    ],
  },
  {
    // abort() from native code (an uncaught C++ exception, a failed native assertion) with nothing more specific in the
    // log: the taxonomy's native crash. Below every rule that names a cause (`what(): CUDA out of memory` keeps its own).
    id: NATIVE_ABORT_RULE,
    category: 'segfault',
    priority: 30,
    // zsh names SIGABRT by its old name: `zsh: IOT instruction (core dumped)`.
    patterns: [
      new RegExp(ABORTED_CORE_DUMPED),
      shellLineReport(ABORTED),
      /\bIOT instruction\b/,
      // A failure-signal handler's banner (TensorFlow's, Horovod's: `*** Received signal 6 ***`).
      /\*\*\* Received signal 6 \*\*\*/,
      // Apple's frameworks (Metal, MPS) assert and abort: `MPSNDArrayGatherND.mm:256: failed assertion `…'`.
      /\.mm:\d+: failed assertion `/,
      killedBySignal('6'),
      exitedWithStatus('134'),
    ],
    explain: 'a native library aborted the process (SIGABRT)',
    fixes: [
      'The lines just before the abort name the failing check or the uncaught C++ exception (`terminate called after throwing …`)',
      'Suspect version mismatches of compiled extensions; run with `python -X faulthandler` to see the Python line that called into native code',
    ],
  },
  {
    id: 'import',
    category: 'import_error',
    priority: 78,
    notFromWarnings: true,
    patterns: [
      /No module named '(?<module>[^']+)'/,
      /ModuleNotFoundError|ImportError|cannot import name|undefined symbol|DLL load failed|cannot open shared object file/,
      // Python's own words for a module used while it was still being imported (a circular import, or a file of the job
      // named like a package it imports: `partially initialized module 'x' has no attribute 'y'`).
      /\(most likely due to a circular import\)/,
      // A native library said missing in other words (`File fbgemm_gpu_py.so not found`, ldd's `libcudnn.so.8 => not found`).
      /\.(?:so|dylib)\b[\d.]*'?(?: =>| was)?\s+not found\b/,
      // Hydra's instantiate failing to import the class a configuration names (its ImportError is chained, out of sight).
      /Error locating target '[\w.]+'/,
      // The dynamic loader's own wording, printed with no Python exception in front: a library
      // built against a newer glibc / libstdc++ (`GLIBCXX_3.4.29', `GLIBC_2.29', `CXXABI_1.3.13').
      /version `(?:GLIBC|GLIBCXX|CXXABI)_[\d.]+' not found/,
      // Windows' loader (LoadLibrary via ctypes or an extension): 126 = a DLL or one of its
      // dependencies is missing, 127 = a symbol is missing, 193 = wrong architecture.
      /\[WinError (?:126|127|193)\]|Error loading "[^"]*\.dll"/,
      // Python 3.8+ on Windows words the 126 as a FileNotFoundError of the library itself (ctypes.CDLL, an extension's DLL).
      /Could not find module '[^']+\.(?:dll|pyd)' \(or one of its dependencies\)/,
    ],
    explain: 'a module could not be imported[: {module}]',
    fixes: [
      'Install the missing package in the environment the job runs in (check `which python`)',
      'For "undefined symbol": rebuild the extension against the installed torch/CUDA',
    ],
  },
  {
    // torch.load's safe unpickler refusing a global (weights_only=True, the default since PyTorch
    // 2.6): the file is whole; the taxonomy has no category for it, but the fix is well known.
    id: 'weights-only-refused',
    category: 'other',
    priority: 76,
    patterns: [/Weights only load failed|WeightsUnpickler error|was not an allowed global by default/],
    explain: 'torch.load (weights_only=True, the default since PyTorch 2.6) refused an object in the checkpoint; the file itself is fine',
    fixes: [
      'If the file is trusted: torch.load(path, weights_only=False), or allow the named class with torch.serialization.add_safe_globals([...])',
      'Or load it with the PyTorch version that saved it (before 2.6) and re-save plain tensors (state_dict)',
    ],
  },
  {
    id: 'checkpoint-corrupt',
    category: 'checkpoint_corrupt',
    priority: 75,
    patterns: [
      /failed finding central directory|PytorchStreamReader failed|file is not a zip file|enforce fail at inline_container(?!\.cc[:_]\d+\] \. unexpected pos)/,
      /unexpected EOF(?:, expected \d+ more bytes|\. The file might be corrupted)|invalid load key|could not find MARK|UnpicklingError|pickle data was truncated/,
      // Not an OS error the Rust library wraps (`IoError(Os { … kind: PermissionDenied … })`): that is the OS's.
      /SafetensorError(?![^\n]*\bIoError\()|Error while deserializing header|HeaderTooLarge|MetadataIncompleteBuffer/,
      /^EOFError: Ran out of input/,
      // zipfile, HDF5 (h5py / Keras .h5), TensorFlow records, transformers' loader.
      /BadZipFile|[Ff]ile is not a zip file|truncated file: eof = \d+|file signature not found|Unable to find a valid file signature|DataLossError|InvalidHeaderDeserialization/,
      /Unable to load weights from (?:pytorch|tf|flax) checkpoint file/i,
      // A loader's own verdict (llama.cpp's `model is corrupted or incomplete`).
      /\b(?:model|checkpoint|weights?)(?: file)? (?:is|was|may be|might be|seems) (?:corrupted|corrupt|truncated|incomplete)\b/i,
    ],
    explain: 'a checkpoint or weights file is truncated or corrupt',
    fixes: [
      'Re-download or re-save the file; compare its size/hash with the original',
      'Write checkpoints atomically (temp file + rename) and make other ranks wait (barrier) before reading',
    ],
  },
  {
    id: 'checkpoint-mismatch',
    category: 'checkpoint_mismatch',
    priority: 74,
    patterns: [
      /Error\(s\) in loading state_dict|Missing key\(s\) in state_dict|Unexpected key\(s\) in state_dict/,
      /size mismatch for [\w.]+: copying a param with shape|copying a param with shape/,
      /You may consider adding `ignore_mismatched_sizes=True`/,
      // TensorFlow 1's Saver restoring a variable whose saved shape is another (`lhs shape= [13] rhs shape= [150]`).
      /Assign requires shapes of both tensors to match/,
      // accelerate setting a checkpoint tensor into a module; Keras loading saved variables.
      /Trying to set a tensor of shape .* \(which has shape /,
      // Keras loading a weights file saved from a model with another number of layers.
      /load a weight file containing \d+ layers into a model with \d+ layers/,
      /expected \d+ variables, but received \d+ variables during loading|Received saved weight with shape/,
      // TensorFlow 1's Saver: the graph built is not the one the checkpoint was saved from.
      /mismatch between the current graph and the graph from the checkpoint/,
      // An optimizer's saved state for other parameters than it holds (torch.optim's load_state_dict).
      /loaded state dict contains a parameter group that doesn't match the size of optimizer's group|loaded state dict has a different number of parameter groups/,
    ],
    explain: 'the checkpoint does not fit the model (different architecture, config or key prefixes)',
    fixes: [
      'Build the model with the same config as the checkpoint',
      "Strip or add the 'module.' prefix (DataParallel/DDP) when loading",
      'Use strict=False only for keys you intend to leave out',
    ],
  },
  {
    id: 'permission',
    category: 'permission_denied',
    priority: 72,
    patterns: [
      // Not c10d's socket refused a port below 1024 (`failed to bind to [::]:98 (errno: 13 - Permission denied)`): dist-init's.
      // Windows' sharing violation (`[WinError 32]`, a file another process holds open) is a PermissionError to Python.
      /PermissionError|(?<!errno: 13 - )Permission denied|EACCES|\[Errno 13\]|\[WinError (?:5|32)\]|Access is denied|\[Errno 30\] Read-only file system|EROFS/,
      // Rust's std::io::Error as Rust-backed libraries (safetensors, tokenizers) print it.
      /\bkind: (?:PermissionDenied|ReadOnlyFilesystem)\b/,
      // A cloud's access control refusing the job's identity (IAM on GCP and AWS, S3's AccessDenied).
      /\bis not authorized to perform\b|\bAccessDenied(?:Exception)?\b|\bdoes(?: not|n't) have\b[^\n]{0,120}\bIAM permissions?\b/,
    ],
    explain: 'the job may not read or write a path it needs',
    fixes: [
      'Check ownership and mode of the path (and the user the job runs as in containers)',
      'Point output/log/cache directories at a writable location',
      'On Windows, a file another process holds open (a second run, an antivirus scan, a viewer) cannot be renamed or deleted',
    ],
  },
  {
    // A proxy that cannot be reached: whatever it says of the cause (a proxy given as a socket path
    // that does not exist says "No such file"), the job's own paths are not in question.
    id: 'proxy',
    category: 'network_error',
    priority: 72,
    patterns: [/\bProxyError\b|Cannot connect to proxy|Unable to connect to proxy|proxy authentication required/i],
    explain: 'the HTTP(S) proxy the job is told to use cannot be reached',
    fixes: [
      'Check HTTP_PROXY / HTTPS_PROXY / ALL_PROXY (and NO_PROXY) in the job environment',
      'Or download what it needs beforehand and run offline (HF_HUB_OFFLINE=1)',
    ],
  },
  {
    id: 'file-not-found',
    category: 'file_not_found',
    priority: 71,
    notFromWarnings: true,
    patterns: [
      // ENOTDIR too: a part of the path that should be a directory is not one (`can't open file 'x/train.py': [Errno 20] Not a directory`).
      /FileNotFoundError|No such file or directory|\[Errno 2\]|ENOENT|\[Errno 20\] Not a directory|NotADirectoryError/,
      // Rust's std::io::Error (safetensors, tokenizers).
      /\bOs \{ code: \d+, kind: NotFound\b/,
      /Couldn't find any class folder|Found no valid file for the classes|Unable to find '[^']+'/,
      /(?:file|path|directory|checkpoint)[^\n]{0,80}does not exist/i,
      // A path to a file of a kind jobs read, said not found in the program's own words (`./data/en-kk/valid.en.pth not found`).
      // (Its extension is the literal the prefilter needs: `not found` alone is prose.)
      /[\\/][\w.\\/~-]*\.(?:pth|pt|ckpt|bin|safetensors|json|yaml|npy|npz|h5|pkl|csv|txt|parquet|jpg|png)['"`]?(?: was| is)?\s+not found\b/,
      // Windows, and Hugging Face's hub / datasets when a name or path is not there.
      /\[WinError [23]\]|The system cannot find the (?:file|path) specified/,
      // TensorFlow's file system failing to open a file for reading (its NotFound status; the OS's reason follows, localised).
      /NewRandomAccessFile failed to Create\/Open/,
      /does not appear to have a file named|no file named .* found in directory|is not a local folder and is not a valid model identifier/,
      // A local path handed to the hub as a repository id: a folder that is not there is looked up online.
      /Repo id must (?:be in the form|use alphanumeric)[^\n]*: '(?:\.{0,2}\/|~|[A-Za-z]:[\\/]|[^'\s]*\/[^'\s]*\/)/,
      /\bRepositoryNotFoundError|\bRevisionNotFoundError|\bEntryNotFoundError|\bDatasetNotFoundError|Repository Not Found for url/,
    ],
    explain: 'a path the job needs does not exist',
    fixes: [
      'Check the path in the config/arguments and the current directory the job runs in',
      'On shared storage, check it is mounted on this node',
    ],
  },
  {
    // torch's samplers and ConcatDataset refusing an empty dataset: the files it was to hold were not where it looked.
    id: 'empty-dataset',
    category: 'file_not_found',
    priority: 70,
    patterns: [/num_samples should be a positive integer value, but got num_samples=0/, /datasets should not be an empty iterable/],
    explain: 'the dataset is empty: no data was found where the job looked',
    fixes: [
      'Check the data path, the file pattern and the folder layout the dataset class expects',
      'On shared storage, check it is mounted on this node',
    ],
  },
  {
    id: 'worker-error',
    category: 'dataloader_worker_error',
    priority: 65,
    patterns: [
      // Not a client's network errors: a worker streaming its data over the network failed to reach it (network-error's).
      /Caught (?!(?:ConnectionError|ConnectTimeout|ReadTimeout|Timeout|HTTPError|SSLError|ProtocolError|ChunkedEncodingError|IncompleteRead|RemoteDisconnected|URLError|ClientConnectorError|ClientPayloadError|ServerDisconnectedError)\b)(?<type>\w+) in DataLoader worker process (?<worker>\d+)/,
      // A record that does not fit the features the input pipeline parses (TensorFlow's tf.Example parsing).
      /Can't parse serialized Example/,
      // A tokenizer or collator batching samples of different lengths (transformers' BatchEncoding.convert_to_tensors).
      /Unable to create tensor, you should probably activate truncation and\/or padding/,
      // An image that cannot be decoded (PIL; TensorFlow's decode_jpeg / decode_and_crop_jpeg).
      /UnidentifiedImageError|cannot identify image file|Invalid JPEG data/,
      // A video decoder failing on a sample (decord, PyAV/FFmpeg's AVERROR_INVALIDDATA); a data shard cut short (webdataset's tars).
      /DECORDError|\bav\.error\.InvalidDataError|Invalid data found when processing input|tarfile\.ReadError/,
      // A slide or image codec failing on its bytes (OpenSlide's `OpenJPEG error: Error decoding tile`).
      /\bOpenSlideError\b|\b(?:error|failed(?: to)?|unable to|cannot|could not) (?:while )?decod(?:e|ing) (?:the )?(?:tile|image|frame|jpe?g|png|tiff?|audio|video|packet)s?\b/i,
      // default_collate stacking samples of different sizes into a worker's shared storage.
      /Trying to resize storage that is not resizable/,
      // OpenCV's checks on an image (`(-215:Assertion failed) !_src.empty() in function 'cvtColor'`): most often a
      // sample that did not load (cv2.imread returns None for a missing or unreadable file), or a transform's bad size.
      /\berror: \(-\d+(?::[^)]*)?\) .*\bin function\b/,
    ],
    explain: '[{type} ]raised while loading a sample',
    fixes: [
      'Reproduce with num_workers=0 to get the failing sample directly',
      'Check the sample at the failing index; make collate_fn handle variable sizes',
    ],
  },
  {
    id: 'device-mismatch',
    category: 'device_mismatch',
    priority: 68,
    patterns: [
      // PyTorch's words, also where a paste cut them short (`… to be on the same`) or a user retyped them (`… tensors be on …`).
      /Expected all tensors (?:to )?be on the same\b/,
      /Expected object of device type \w+ but got device type \w+/,
      // PyTorch before 1.0 named the device its backend.
      /Expected object of backend \w+ but got backend \w+/,
      /Input type \(torch\.cuda\.\w+\) and weight type \(torch\.(?!cuda)\w+\)|Input type \(torch\.(?!cuda)\w+\) and weight type \(torch\.cuda\.\w+\)/,
      /Input type \((?:\w+)\) and weight type \((?:\w+)\) should be the same.*(?:device|cuda)/,
      /(?:is|are) on (?:different devices|CPU|cpu).*(?:cuda|CUDA|GPU)|Tensor for argument #\d+ '\w+' is on CPU/,
      /should be the same device|must be on the same device|Expected tensor for argument .* to have the same device/i,
      /are not at the same device|should be either on cpu or on the same device|Expected a '\w+' device type for generator/,
      /can't convert \w+(?::\d+)? device type tensor to numpy|incompatible devices for jitted computation/,
      // MPS given a tensor that lives elsewhere: its storage was never placed on the device.
      /Placeholder storage has not been allocated on MPS device/,
    ],
    explain: 'an operation mixed tensors on different devices (e.g. CUDA input, CPU weights)',
    fixes: ['Move the model and every input/target/index to the same device (`model.to(device)`, `x.to(device)`)'],
  },
  {
    id: 'dtype',
    category: 'dtype_error',
    priority: 66,
    patterns: [
      /expected scalar type \w+ but found \w+|Found dtype \w+ but expected \w+|Expected object of scalar type \w+ but got scalar type/i,
      /expected (?:m1|mat1) and (?:m2|mat2) to have the same dtype/,
      /not implemented for '(?:Half|BFloat16|Float|Double|Long|Int|Bool|Byte|ComplexFloat)'/,
      /Input type \(torch\.cuda\.(?<input>\w+)\) and weight type \(torch\.cuda\.(?!\k<input>)\w+\)/,
      /result type \w+ can't be cast to the desired output type \w+/,
      /must have the same dtype|to have the same dtypes|dtypes? (?:must )?match|Expected \w+\.dtype to be equal to/,
      // ATen's checkSameType (older builds): `Expected tensor for argument #1 'x' to have the same type as tensor for argument #2 'w'`.
      /to have the same type as tensor for argument/,
      /to have one of the following scalar types|cannot be converted to type \S+ without overflow|doesn't support float64/,
      // torch.amp's GradScaler given a model whose weights are FP16 themselves (it unscales FP32 master weights' gradients).
      /Attempting to unscale FP16 gradients/,
      /[Oo]nly Tensors of floating point (?:and complex )?dtype can require gradients/,
      // TensorFlow's op type check, NumPy's ufunc casting.
      /has type \w+ that does not match type \w+|was expected to be a \w+ tensor but is a \w+ tensor|Cannot cast ufunc/,
    ],
    explain: 'an operation got a tensor of the wrong dtype',
    fixes: ['Cast inputs/targets to the dtype the model expects (`.float()`, `.long()`), or run under torch.autocast'],
  },
  {
    // `torch.stack` of unequal tensors, as collate stacks a batch's samples (`… but got [3, 500, 500] at entry 0 and
    // [3, 608, 608] at entry 9`): the samples differ in size, the taxonomy's data-loading bug, wherever it was raised.
    id: 'samples-of-unequal-size',
    category: 'dataloader_worker_error',
    priority: 64,
    patterns: [/stack expects each tensor to be equal size/],
    explain: "a batch's samples differ in size, so they cannot be stacked into one tensor",
    fixes: [
      'Resize or crop every sample to one size in the dataset or its transforms, or pad them in a custom collate_fn',
      'For variable-length data, collate into lists or padded tensors with their lengths',
    ],
  },
  {
    id: 'shape',
    category: 'shape_error',
    priority: 64,
    patterns: [
      /mat1 and mat2 shapes cannot be multiplied|size mismatch, m1: /,
      /shape '\[[^\]]*\]' is invalid for input of size/,
      /The size of tensor a \(\d+\) must match the size of tensor b/,
      // `torch.cat` of unequal tensors: a batch's samples when collate or a dataset raised it (raising-code.ts), else the model's own.
      /Sizes of tensors must match|inconsistent tensor sizes?/,
      // Hugging Face's vision-language models: the prompt's image or video tokens and the vision tower's features differ in number.
      /(?:Image|Video) features and (?:image|video) tokens do not match/,
      /Expected input batch_size \(\d+\) to match target batch_size/,
      /Given groups=\d+, weight of size|Expected \d+D?.* input .* but got|to have \d+ channels, but got \d+ channels/,
      /Target size \(.*\) must be the same as input size|input and target shapes do not match|Using a target size .* different to the input size/,
      // A tensor indexed with more indices than it has dimensions: its rank is not what the code expects.
      /too many indices for tensor of dimension \d+/,
      /Dimension out of range|mismatch in shape|shapes? .* (?:are not broadcastable|cannot be broadcast)|cannot reshape array/,
      /The expanded size of the tensor \(\d+\) must match|doesn't match the broadcast shape|Given normalized_shape=/,
      // Keras input specs, JAX, TensorFlow and NumPy broadcasting.
      /is incompatible with the layer|requires contracting dimensions to have the same shape|Incompatible shapes(?: for broadcasting)?:/,
      /Shapes \([^)]*\) and \([^)]*\) are incompatible|could not be broadcast together with shapes/,
      // A loss's target (or input) of another size than expected, both printed: `Expected target size [1, 64, 32], got [1, 32, 32]`.
      /Expected (?:input|target|output) (?:size|shape) [[(][\d, ]+[\])],? (?:but )?got\b/,
      // A gradient taken of a loss never reduced to one number: PyTorch's backward() and JAX's grad in their words.
      /grad can be implicitly created only for scalar outputs|Gradient only defined for scalar-output functions/,
    ],
    explain: 'tensor shapes do not fit together in the model or loss',
    fixes: [
      'Print the shapes going into the failing line; check input resolution, batch size and layer sizes (e.g. the first Linear after flatten)',
    ],
  },
  {
    id: 'nan',
    category: 'nan_loss',
    priority: 60,
    patterns: [
      /[Ll]oss (?:is|became|=|:)\s*(?:nan|inf(?:inite)?)\b|\bnan loss\b|non-finite loss|loss is not finite/i,
      /NaN or Inf found in input tensor|returned nan values|detected (?:a )?NaN|anomaly.*nan/i,
      // A training loop's own check (`Finding Nan in gaussian loss`, `NaN in the generator's loss, stopping`). What it found
      // NaN in is looked ahead for, so that the prefilter's literal is `nan in`, not `loss`, which every training line holds.
      /\bnan (?:in|of|for) (?=(?:the |your )?(?:\S+ ){0,2}(?:loss|gradients?|grads?)\b)/i,
      /Minimum loss scale reached|min(?:imum)? loss scale|FloatingPointError/i,
      /loss scale:? 1(?:\.0)?,? reducing to 1\b|reducing loss scale to 1(?:\.0)?\b/i,
      /check_finite|is not finite|has non-finite/i,
      // fp16 loss scale collapsing below 1: every step overflows.
      /(?:setting|reducing|reduce) loss scale to:? 0\.\d+|loss_scale[ =:]+0(?:\.0+)?\b(?!\.\d*[1-9])/i,
      // autograd anomaly mode prints these only when a backward produced NaN/Inf.
      /Traceback of forward call that caused the error|Error detected in \w+Backward\d*/,
      // DeepSpeed's loss scaler, Keras' TerminateOnNaN, TF check_numerics, torch.distributions' validation.
      /loss scale already at minimum|Invalid loss, terminating training|Tensor had (?:NaN|Inf) values/,
      /to satisfy the constraint .* but found invalid values/,
      // The same validation before torch 1.8.
      /The parameter \w+ has invalid values/,
      // Its opening words, where a paste cut the message before `found invalid values`.
      /Expected parameter \w+ \(Tensor of shape \([^)]*\)\) of distribution/,
      // Sampling from what a network produced, once it is NaN: a policy's std (torch.normal), a softmax's probabilities (torch.multinomial).
      /\bexpects all elements of std >= 0\.0|probability tensor contains either `?inf`?, `?nan`? or element < 0/,
    ],
    explain: 'the loss (or gradients) became NaN/Inf',
    fixes: [
      'Lower the learning rate or add warm-up and gradient clipping',
      'With fp16 prefer bf16; check inputs for NaN/Inf and divisions by zero in the loss',
    ],
  },
  {
    id: 'preempted',
    category: 'preempted',
    priority: 58,
    patterns: [
      /DUE TO (?:PREEMPTION|TIME LIMIT|JOB REQUEUE|NODE FAIL)/,
      new RegExp(String.raw`${HEDGE}\bpreempt(?:ed|ion)\b`, 'i'),
      /[Ss]pot (?:instance|VM).*(?:terminat|reclaim|interrupt)|instance.*(?:reclaimed|scheduled for termination)/,
      /TERM_RUNLIMIT|time limit reached|Job step aborted/,
      // TensorFlow's TPU session finding its TPU worker gone (a preempted TPU VM or pod slice).
      /\blame workers found\b/,
      // Lightning's SLURM environment requeueing the job on the scheduler's signal.
      /auto-requeue signal|[Rr]equeu(?:e)?ing job/,
      /termination (?:is )?imminent|(?:interruption|termination|preemption) notice|instance (?:is )?being (?:terminated|preempted)/i,
      // A cluster autoscaler or scheduler announcing a machine's end (Ray, Kubernetes, cloud VMs).
      /\b(?:instance|node|pod|VM|host|worker)\b.{0,80}\b(?:will be|is being|is scheduled (?:for|to be)|scheduled to be) (?:terminated|preempted|reclaimed|evicted)\b/i,
      // A platform ending a run because the cloud took its capacity back (dstack's `INTERRUPTED_BY_NO_CAPACITY`).
      /\b(?:interrupted|terminated|stopped|evicted)[_ ](?:by|due[_ ]to|for)[_ ](?:no|insufficient|lack[_ ]of)[_ ]capacity\b/i,
    ],
    explain: 'the job was stopped from outside (scheduler preemption, time limit, node reclaimed)',
    fixes: [
      'Resume from the newest checkpoint; checkpoint more often than the preemption interval',
      'Handle SIGTERM/SIGUSR to save a checkpoint before the kill',
    ],
  },
  {
    id: 'interrupted',
    category: 'interrupted',
    priority: 57,
    patterns: [
      /^KeyboardInterrupt\b|KeyboardInterrupt$/,
      // Julia's Ctrl-C (Flux.jl and friends).
      /\bInterruptException\b/,
      // The Intel Fortran runtime (MKL under NumPy/SciPy on Windows) ending the process on Ctrl-C.
      /program aborting due to control-C event/,
      /received SIGINT|SIGINT received|Interrupted by user|signal 2 \(SIGINT\)/i,
      // The words as a program's own handler logs them: `Keyboard interrupt, stopping`.
      /\bKeyboard interrupt(?:ed)?\b/i,
      // The shell's job table after a Ctrl-Z (`[1]+  Stopped    python main.py`, zsh's `suspended`): the user stopped it.
      /^\[\d+\][+-]?\s+Stopped\s+\S|^zsh: suspended\s+\S/,
      /interrupted by signal 2\b/,
      // A crash inside the program's own SIGINT handler: the user pressed Ctrl-C. DeepSpeed's runner
      // installs `sigkill_handler` for SIGINT only; its launch.py also calls one on a child's failure.
      /, in (?:sigint_handler|_?handle_sigint)\b|runner\.py", line \d+, in sigkill_handler\b/,
    ],
    explain: 'the job was stopped on purpose (Ctrl-C)',
    fixes: ['Nothing to fix: re-run when ready'],
  },
  {
    // A framework's own stall detector (Horovod's stall inspector, a deadlock warning) with nothing
    // timed out yet: the job is stuck waiting, not crashed.
    id: 'stall-reported',
    category: 'hang',
    priority: 44,
    patterns: [
      /\b(?:will|may|might|could) (?:cause|lead to|result in) (?:a )?deadlock|\bdeadlock(?:ed)? detected\b/i,
      /\bStalled ranks?\b|\branks? (?:stalled|hung|hanging|stuck)\b/i,
      /\branks? (?:are|is) (?:stalled|hung|hanging|stuck)\b/i,
      // A data loader that waited past its timeout for a batch (PyTorch's `timeout=`, MXNet gluon's workers).
      /\b(?:DataLoader|[Ww]orker) timed out after \d+/,
      // An accelerator's queue of work that never finished (Ascend's `Stream synchronize timeout`): the device is stuck.
      /\b(?:stream|device) sync(?:hroni[sz]e)? time-?out\b|\bsync(?:hroni[sz]e)? timed out\b/i,
    ],
    explain: 'the job stopped making progress: some ranks wait on others that never arrive',
    fixes: [
      'Find the rank that did not arrive (the stall report lists them) and look at its last lines first',
      'Check that every rank runs the same collectives in the same order (no rank-dependent branches or early exits)',
    ],
  },
  {
    id: 'nccl-timeout',
    category: 'nccl_timeout',
    priority: 50,
    patterns: [
      // The watchdog's sentence, also where a paste cut it after its first words.
      /Watchdog caught collective(?: operation timeout|$)|collective operation timeout/i,
      /[Tt]imed out in blocking wait|Timeout at NCCL work|NCCL timeout|ProcessGroupNCCL.*[Tt]imeout|WorkNCCL.*[Tt]imeout/,
      /Gloo.*[Tt]imed out|Timed out waiting \d+ms for recv operation|timed out after \d+ms.*(?:allreduce|broadcast|barrier)/i,
      // ProcessGroupNCCL's heartbeat monitor: the watchdog itself hung on a collective.
      /watchdog got stuck for \d+ seconds|[Hh]eartbeat monitor timed out/,
    ],
    explain: 'a collective operation timed out: one rank stopped participating (often a hang, slow data or a crash on another rank)',
    fixes: [
      'Look at the other ranks first: the one that did not arrive holds the root cause',
      'Raise the timeout (init_process_group(timeout=…)) only for long, legitimate pauses such as checkpoint saving',
    ],
  },
  {
    id: 'dist-init',
    category: 'dist_init_error',
    priority: 48,
    patterns: [
      /Address already in use|EADDRINUSE/,
      /DistNetworkError|The server socket has failed to (?:listen|bind)|failed to bind|\bbind failed\b/i,
      // Windows' words for EADDRINUSE (WSAEADDRINUSE, 10048).
      /Only one usage of each socket address \(protocol\/network address\/port\) is normally permitted/,
      // JAX's coordination service: the hosts never all registered before its deadline.
      /cluster registration failed|Wait_for_all_tasks_to_register|CoordinationService\/(?:RegisterTask|WaitForAllTasks)\b/,
      // Other runtimes' servers (DGL's RPC): the address and port they could not bind.
      /\b(?:failed|cannot|can't|unable to|could not)(?: to)? bind (?:to |on )?\S*:\d+/i,
      /Rendezvous(?:Timeout|Connection|Closed)Error|rendezvous.*(?:timed out|failed)/i,
      /Timed out initializing process group|store based barrier|Timed out after \d+ seconds waiting for clients/,
      // `c10d` as a word, not the source path of ProcessGroupNCCL.cpp in an NCCL transport error.
      /(?:TCPStore|MASTER_ADDR|c10d(?![\\/]))(?!.*\bnccl\w*Error\b).*(?:Connection refused|timed out|failed)|Connection refused.*(?:store|29500)/i,
      // c10d's store during process-group set-up: the peer (rank 0) went away before it began.
      /retrieving ncclUniqueId from \[\d+\]|connect\(\) timed out\. Original timeout was/,
      // c10d's TCPStore client (torch/csrc/distributed/c10d/socket.cpp) never reaching the store.
      /The client socket has timed out after \d+\s*m?s while trying to connect to/,
      /init_process_group.*(?:timed out|failed)/i,
      // Gloo connects its pairs when the group is made: a connect that times out is set-up failing, not a collective.
      /gloo[\w/\\.]*\.cc:\d+\]? ?Connect timeout|\bgloo\b.*\bconnect(?:ing)? (?:timeout|timed out)/i,
      // torch.distributed's env:// rendezvous handler.
      /Error initializing torch\.distributed|environment variable \w+ expected, but not set/,
      // Open MPI's runtime failing to start a process (mpirun, mpi4py's MPI_Init): the job never formed.
      /\b(?:orte|ompi_mpi|ompi_rte|MPI)_init(?:_thread)? failed\b|\bORTE_ERROR_LOG\b/i,
    ],
    explain: 'the distributed job could not start: rendezvous or process-group set-up failed',
    fixes: [
      'Check MASTER_ADDR/MASTER_PORT (a port in use by another run?), firewall and the network interface (NCCL_SOCKET_IFNAME / GLOO_SOCKET_IFNAME)',
      'Make sure every node starts within the init timeout',
    ],
  },
  {
    // Two ranks given the same GPU: NCCL refuses the communicator every time, so a re-run alone does not help.
    id: 'nccl-duplicate-gpu',
    category: 'nccl_error',
    priority: 46,
    retryable: false,
    patterns: [/Duplicate GPU detected\b/],
    explain: 'two ranks were placed on the same GPU',
    fixes: ['Give each rank its own device: torch.cuda.set_device(local_rank) before init_process_group, and check CUDA_VISIBLE_DEVICES'],
  },
  {
    id: 'nccl-error',
    category: 'nccl_error',
    priority: 45,
    patterns: [
      /ncclInternalError|ncclSystemError|ncclRemoteError|ncclUnhandledCudaError|ncclInvalidUsage/,
      // A native check of an NCCL call's status (caffe2's `[enforce fail at cuda_nccl_gpu.cc:24] status == ncclSuccess. 2 vs 0.`).
      /(?:==|!=)\s*ncclSuccess\b/,
      // Other vendors' collective libraries (Habana's HCCL, ROCm's RCCL) failing a collective.
      /Collective call returned error|\b[HR]CCL\b[^\n]{0,80}\b(?:error|failed)\b/,
      /NCCL error in:|NCCL communicator was aborted|DistBackendError/,
      /NCCL Error \d+:|remote process exited or there was a network error|unhandled (?:system|cuda) error|Got completion from peer .* with (?:status|error)/,
      // Not a client's socket error as Python reprs it (`('Connection aborted.', ConnectionResetError(104, 'Connection reset by peer'))`).
      /(?<!ConnectionResetError\(\d+, ['"])Connection (?:reset|closed) by (?:remote )?peer/,
      /NET\/(?:Socket|IB|OFI).*(?:failed|error)/i,
      /NCCL WARN .*(?:[Cc]onnect|[Ss]ocket).*failed/,
      // NCCL's transport retrying a peer that refuses or drops it (not the c10d store's rendezvous).
      /NCCL (?:INFO|WARN) .*(?:connect|socket|recv|send)\w* .*(?:refused|reset|closed|timed out|failed)/i,
      // NCCL's socket transport in its error's `Last error:` (`Net : Call to recv from 10.0.0.2<56843> failed : Connection refused`).
      /\bNet : (?:Call to \w+|Connect to|Connection) .{0,80}\bfailed\b/,
    ],
    explain: 'communication between ranks failed',
    fixes: [
      'Re-run with NCCL_DEBUG=INFO to see the failing transport',
      'Check the network between nodes (InfiniBand, NCCL_SOCKET_IFNAME, IPv6 link-local addresses)',
    ],
  },
  {
    // NCCL's trace of a failed call returning through its callers (`NCCL INFO init.cc:840 -> 2`, the ncclResult_t): the
    // library failed, whatever cut the log before its error reached Python. Below every rule that names a cause.
    id: 'nccl-failure-trace',
    category: 'nccl_error',
    priority: 25,
    patterns: [/NCCL INFO [\w/.-]+\.cc:\d+ -> [1-9]\d*\s*$/],
    explain: 'an NCCL call failed (its error code is traced back through its callers)',
    fixes: [
      'The NCCL WARN line before the trace names what failed (a device path, a transport, a library)',
      'Re-run with NCCL_DEBUG=INFO NCCL_DEBUG_SUBSYS=INIT,GRAPH,NET to see the failing step in full',
    ],
  },
  {
    // NCCL's own summary that operations "failed or timed out", with nothing more specific in the log: most often the
    // watchdog's timeout, whose line was lost (below nccl-error, so that an error named beside it keeps its category).
    id: 'nccl-failed-or-timed-out',
    category: 'nccl_timeout',
    priority: 44,
    patterns: [/Some NCCL operations have failed or timed out/],
    explain: 'NCCL operations failed or timed out: one rank stopped participating (often a hang, slow data or a crash on another rank)',
    fixes: [
      'Look at the other ranks first: the one that did not arrive holds the root cause',
      'Re-run with NCCL_DEBUG=INFO and TORCH_NCCL_ASYNC_ERROR_HANDLING=1 to see which collective and which rank',
    ],
  },
  {
    // A DataLoader worker that died without raising: PyTorch says only that it exited. Killed, and
    // most often by the OOM killer (the taxonomy's host_oom); what the main process hit on the way
    // — a connection reset while fetching a tensor the worker shared — is its echo, not the network.
    id: 'dataloader-worker-exited',
    category: 'host_oom',
    priority: 50,
    patterns: [/DataLoader worker \(pid\(s\) (?<pids>[\d, ]+)\) exited unexpectedly/],
    explain: 'DataLoader worker (pid(s) {pids}) exited without raising: it was killed, most often by the OOM killer',
    fixes: [
      'Check `dmesg | grep -i oom` and the memory limit; reduce DataLoader workers, prefetch_factor or what each worker holds',
      'If the worker crashed instead (a native library), run with num_workers=0 to see its error in the main process',
    ],
  },
  {
    // Python's own socket errors, raised by HTTP clients and downloads; a peer rank going away
    // shows as NCCL/gloo/c10d errors instead (nccl-error, dist-init).
    id: 'connection-reset',
    category: 'network_error',
    priority: 46,
    patterns: [
      /^(?:\w+\.)*(?:ConnectionResetError|ConnectionAbortedError): /,
      // HTTP clients (urllib3/requests, aiohttp) name themselves, whatever the socket error under them.
      /Connection broken|ChunkedEncodingError|Failed to establish a new connection|ClientConnectorError|ServerDisconnectedError|Cannot connect to host/,
    ],
    explain: 'a remote endpoint closed the connection',
    fixes: ['Re-run: network failures are often transient', 'Pre-download models/datasets and run with HF_HUB_OFFLINE=1 for long jobs'],
  },
  {
    // A server that refuses the credentials or has no such file answers the same again: the URL or
    // the credentials are wrong (a rate limit or a server error is the network rule's, and transient).
    id: 'download-refused',
    category: 'network_error',
    priority: 43,
    retryable: false,
    patterns: [
      // wget's and curl's words, then urllib's and requests'. Not 403: a server that is down or
      // rate-limiting answers it too (GitHub's API, a CDN), and that passes.
      /\bERROR (?<status>40[14]): /,
      /The requested URL returned error: (?<status>40[14])\b/,
      /HTTP Error (?<status>40[14]): /,
      /\b(?<status>40[14]) Client Error\b/,
    ],
    explain: 'a download was refused or is not there[ (HTTP {status})]',
    fixes: [
      'Check the URL, and the credentials or token for it (HF_TOKEN for gated models): re-running unchanged gets the same answer',
      'Download the file by hand to a local path and point the job at it',
    ],
  },
  {
    id: 'network',
    category: 'network_error',
    priority: 42,
    patterns: [
      /ConnectionError|ReadTimeout|ConnectTimeout|Read timed out|Max retries exceeded|Temporary failure in name resolution|Name or service not known|getaddrinfo failed/,
      /Network is unreachable|The read operation timed out|urlopen error|SSLError|RemoteDisconnected|IncompleteRead/,
      // gRPC's channel with no server to reach (federated and parameter-server clients, remote trainers).
      /failed to connect to all addresses/,
      /HTTPError|HTTP Error \d{3}|HTTP response code 5\d\d\b|\b(?:500|502|503|504) (?:Server Error|Bad Gateway|Service Unavailable)|Internal Server Error for url/,
      // An API client's error with the server's 5xx status (`ApiError: status_code: 500, body: …`).
      /\bstatus[_ ]code:? ?5\d\d\b/i,
      /(?:run initialization|communication with .* server).*(?:timed out|timeout)|CommError/i,
      // The Hugging Face Hub unreachable and the file not cached.
      /LocalEntryNotFoundError|trying to locate the file on the Hub|couldn't connect to 'https?:\/\/huggingface\.co'/,
      // curl/git, Python's ETIMEDOUT.
      /Could not resolve host|\[Errno 110\] Connection timed out/,
      // wget's and curl's connection that failed (`Connecting to huggingface.co (…)|…|:443... failed: Connection timed out.`).
      /\.\.\. failed: (?:Connection (?:timed out|refused)|Network is unreachable|No route to host)\b|\bcurl: \(\d+\) Failed to connect to\b/,
      // A server rate-limiting, refusing or failing a download, as wget and curl print it (each alternative a long literal: the
      // prefilter matches without case, and a bare `ERROR ` would let every line that says `Error` through).
      /\b429 Too Many Requests\b|\bERROR 429: |\bERROR 50[0-4]: |\bERROR 403: |The requested URL returned error: \d{3}\b/,
      // A peer or a network mount that went away: ENOTCONN, EHOSTDOWN, EHOSTUNREACH.
      /Transport endpoint is not connected|No route to host|Host is down/,
    ],
    explain: 'a download or remote service failed',
    fixes: ['Re-run: network failures are often transient', 'Pre-download models/datasets and run with HF_HUB_OFFLINE=1 for long jobs'],
  },
  {
    id: 'config',
    category: 'config_error',
    priority: 40,
    patterns: [
      /error: unrecognized arguments|error: the following arguments are required|error: argument [-\w]+|invalid choice:/,
      // jsonargparse (LightningCLI and friends) refusing a key of the configuration.
      /error: Parser key "[^"]+"/,
      /Some specified arguments are not used by the HfArgumentParser/,
      // Open MPI refusing a launch that asks for more processes than the hosts offer (`mpirun -np 8` on 4 slots).
      /There are not enough slots available in the system to satisfy/,
      // A distributed call (DDP, SyncBatchNorm, a collective) in a job started without a launcher or init_process_group: how it
      // was launched, not a collective that failed.
      /Default process group has not been initialized/,
      /omegaconf\.errors|ConfigAttributeError|ConfigKeyError|MissingMandatoryValue|InterpolationResolutionError|hydra\.errors|Could not override|Key '[^']+' is not in struct/,
      // Hydra's command-line override grammar refusing an override (its ANTLR lexer's exception).
      /LexerNoViableAltException|\/advanced\/override_grammar\b/,
      // absl's flags (JAX, TensorFlow, libtpu): a flag never defined, or one this release has retired.
      /\bUnknown command line flag '|\bAccessing retired flag '/,
      /yaml\.(?:scanner|parser|constructor)\.|ScannerError|while parsing a/,
      /is not a valid (?:config|configuration)|Invalid config|ConfigError|Non-existent config key/,
      // Hydra, OmegaConf, Lightning, DeepSpeed's batch check, pydantic-validated configs.
      /MissingConfigException|ConfigCompositionException|Cannot find primary config|InterpolationKeyError|MisconfigurationException/,
      // Hydra's short report of a defaults-list entry it cannot find (no exception type without HYDRA_FULL_ERROR=1).
      /^In '[^']+': Could not (?:find|load) '[^']+'/,
      /Check batch related parameters|\d+ validation errors? for \w+/,
      // A model or solver definition in protobuf's text format that does not parse (Caffe's prototxt, TensorFlow's pbtxt).
      /Error parsing text-format [\w.]+|Failed to parse \w*Parameter file/,
      // PEFT's LoRA config naming modules the model does not have.
      /Target modules .{0,120} not found in the base model/,
      // OmegaConf's error template (format_and_raise), printed even when the exception's type line is not.
      /^\s*full_key: [\w.[\]-]*\s*$/,
    ],
    explain: 'the configuration or command-line arguments are invalid',
    fixes: ['Check the arguments/config against what the script expects (e.g. --local-rank vs --local_rank across torch versions)'],
  },
  ...LAUNCHER_RULES,
];
