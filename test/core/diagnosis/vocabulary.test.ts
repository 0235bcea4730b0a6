/** Category vocabularies: phrasings no rule in the catalog names, recognised by their word families. */

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { diagnoseText } from '../../../src/core/diagnosis/diagnose.ts';
import { categoryByVocabulary } from '../../../src/core/diagnosis/vocabulary.ts';

const cases: [string, string, string][] = [
  ['device_mismatch', 'RuntimeError', 'weights live on cuda:1 while the batch lives on cpu, expected them together'],
  ['device_mismatch', 'ValueError', 'cannot combine arrays placed on two devices'],
  ['device_mismatch', 'RuntimeError', 'input is on cuda:2 but the expected device of the weight is cuda:0'],
  ['dtype_error', 'TypeError', 'operand dtype bfloat16 does not match accumulator dtype float32'],
  ['dtype_error', 'RuntimeError', 'Input type (float) and bias type (c10::Half) should be the same'],
  ['dtype_error', 'RuntimeError', 'the loss expected an integral type for its labels, not Float'],
  ['checkpoint_corrupt', 'IOError', 'Check failed: reader->Read(data): Invalid Tensor file format'],
  ['checkpoint_corrupt', 'RuntimeError', 'the weights in model.pt are not a valid archive file format'],
  ['shape_error', 'TypeError', 'contraction needs the same size on both sides, got [3] and [7]'],
  ['checkpoint_mismatch', 'KeyError', '\'unexpected key "head.bias" in state_dict\''],
  ['file_not_found', 'OSError', 'the weights file /data/run/model.bin could not be found'.replace('could not be found', 'cannot find')],
  ['file_not_found', 'ValueError', 'no file named config.json in the given folder'],
  ['file_not_found', 'ValueError', "=> No checkpoint found at '/home/u/logs/checkpoint_600.pth.tar'"],
  ['file_not_found', 'RuntimeError', 'no valid image files found in /data/train'],
  ['config_error', 'AssertionError', '--snap must be at least 1'],
  [
    'device_mismatch',
    'RuntimeError',
    'Function MulBackward0 returned an invalid gradient at index 0 - expected type TensorOptions(dtype=float, device=cpu) but got TensorOptions(dtype=float, device=xpu:0)',
  ],
  ['cuda_oom', 'ResourceExhaustedError', 'failed to allocate memory'],
  ['file_not_found', 'AssertionError', "Data in /data/videos/climbing/giphy_0.mp4 can't be read!"],
  ['config_error', 'ValueError', 'invalid choice for --lr-scheduler: cosine_warm'],
  ['cuda_env_error', 'RuntimeError', 'CUDA Setup failed despite GPU being available. Inspect the CUDA SETUP outputs above'],
  // The advice after the first sentence borrows another failure's words (`cannot find`, a URL).
  [
    'cuda_env_error',
    'RuntimeError',
    '\n  CUDA Setup failed despite GPU being available. Inspect the outputs above!\n  If you cannot find any issues, open one at https://github.com/org/lib/issues',
  ],
  ['pickling_error', 'TypeError', 'open HDF5 file objects cannot be pickled'],
  // A first sentence that only names settings; the next says the cause, more specifically.
  [
    'checkpoint_mismatch',
    'AssertionError',
    'EMA parameters keys do not match. This is likely due to a mismatch between the model and the checkpoint being loaded.',
  ],
  ['config_error', 'NotImplementedError', 'Only multi-node launches with torchrun are supported.'],
  ['dtype_error', 'mxnet.base.MXNetError', 'Check failed: Incompatible attr in node at 1-th input: expected float16, got float32'],
  ['dtype_error', 'TypeError', 'Got unsupported ScalarType BFloat16'],
  ['checkpoint_mismatch', 'ValueError', 'Layer weight shape (1792, 128) not compatible with provided weight shape (1792, 512)'],
  ['checkpoint_mismatch', 'KeyError', "'model_state_dict'"],
  ['checkpoint_mismatch', 'KeyError', "'ema'"],
  ['cuda_oom', 'RuntimeError', "Malloc for kernel output failed, Memory isn't enough, node:Default/Cast-op446"],
  ['shm_exhausted', 'OSError', 'ran out of space in /dev/shm while mapping a buffer'],
  ['disk_full', 'OSError', 'write failed: disk quota exceeded'],
  ['nan_loss', 'ValueError', 'found invalid values: tensor([nan, nan]) in parameter loc'],
  ['nan_loss', 'InvalidArgumentError', 'NaN in the activations of layer block_3/conv'],
  ['nan_loss', 'RuntimeError', 'Inf encountered while summing the moments'],
  ['nan_loss', 'ValueError', 'the sampled policy contains NaN'],
  ['cuda_env_error', 'RuntimeError', 'No CUDA runtime is found, using CUDA_HOME'],
  ['cuda_env_error', 'RuntimeError', 'CUDA error: CUDNN_STATUS_ARCH_MISMATCH in the convolution forward'],
  ['config_error', 'AssertionError', 'check the batch parameters: global batch 64 != 4 * 8 * 1'],
  ['cuda_oom', 'RuntimeError', 'the GPU ran out of memory while building the attention cache'],
  ['cuda_oom', 'ValueError', 'failed to allocate memory for 3 buffers on the accelerator'],
  ['host_oom', 'RuntimeError', 'worker could not allocate memory for the shuffle buffer'],
  ['host_oom', 'SystemError', 'the process is out of memory; lower the prefetch size'],
  ['nccl_timeout', 'RuntimeError', 'the allreduce of bucket 3 timed out after 600 s'],
  ['dist_init_error', 'RuntimeError', 'rendezvous with the other nodes failed: no answer from the agent'],
  ['segfault', 'RuntimeError', 'the native decoder hit a segfault in thread 3'],
  ['pickling_error', 'TypeError', 'unable to serialize the local object collate for the workers'],
  // A build without the device's support: `… is not enabled`, as `… not compiled with CUDA enabled`.
  ['cuda_env_error', 'RuntimeError', 'GPU support is not enabled in this build of the extension'],
  // A native check on a tensor's scalar type (`x.scalar_type() == at::ScalarType::Half`), or a tensor demanded of a dtype.
  ['dtype_error', 'RuntimeError', 'feats.scalar_type() == at::ScalarType::Half INTERNAL ASSERT FAILED at "ops.cpp":40'],
  ['dtype_error', 'ValueError', 'labels must be a long tensor'],
  // A run setting (batch size, world size, accumulation steps) held to a rule it breaks.
  ['config_error', 'ValueError', 'global_batch_size must be divisible by micro_batch_size * world_size'],
  ['config_error', 'AssertionError', 'gradient_accumulation_steps % num_gpus == 0'],
  ['config_error', 'AssertionError', 'num_workers should be at least 1, got 0'],
  // A connection error named as the cause: the missing cached file is its consequence.
  ['network_error', 'OSError', 'Connection error: no such file in the local cache and the hub could not be reached'],
  // A tensor's number of dimensions demanded (`must be 1- or 2-d`, `should be a 4-D tensor`).
  ['shape_error', 'ValueError', 'x should be a 4-D tensor'],
  ['shape_error', 'ValueError', 'array must be 2- or 3-d'],
  // Parameters named as the weights they are (`layers.3.mlp.weight`), missing or unexpected: a checkpoint that does not fit.
  ['checkpoint_mismatch', 'ValueError', 'Unexpected parameters: encoder.layers.3.mlp.bias decoder.norm.weight'],
  // PyTorch's legacy tensor type names: two element types are a dtype error (the same type on two devices is not).
  ['dtype_error', 'RuntimeError', 'expected torch.cuda.FloatTensor for argument #2 but got torch.cuda.DoubleTensor'],
  // A name missing from a registry of model or dataset types (mmcv's, detectron2's): the configuration names it.
  ['config_error', 'KeyError', "'ResNeXt3D is not in the backbones registry'"],
  ['config_error', 'KeyError', "No object named 'MyHead' found in 'ROI_HEADS' registry!"],
  // A setting missing from the configuration (its namespace, its file): the configuration's, not a file's.
  ['config_error', 'AttributeError', 'cannot find warmup_epochs in namespace, please add it to your config file (train.yaml)'],
  // A tensor demanded on the current device (an embedding's lookup under DataParallel).
  ['device_mismatch', 'RuntimeError', 'weights and indices must be on the current device'],
  // The same number of dimensions demanded, no number printed.
  ['shape_error', 'RuntimeError', 'src tensor must have the same number of dimensions as the index tensor'],
  // Parameters loaded into a network that do not have its shapes (MindSpore's load_param_into_net).
  [
    'checkpoint_mismatch',
    'RuntimeError',
    "For 'load_param_into_net', head.weight in 'net' should have the same shape as head.weight in 'parameter_dict'",
  ],
  // A build without CUDA lacks its CUDA entry points (PyTorch's own, an extension's).
  ['cuda_env_error', 'AttributeError', "module 'torch._C' has no attribute '_cuda_getDeviceCount'"],
  ['cuda_env_error', 'AttributeError', "module 'voxel_ops' has no attribute 'scatter_cuda'. Did you mean: 'scatter_cpu'?"],
  // A wait for a server that timed out while connecting (a simulator, a parameter server).
  [
    'network_error',
    'RuntimeError',
    'time-out of 30000ms while waiting for the renderer, make sure it is running and connected to 10.0.0.4:9000',
  ],
  // A setting looked up on the object that holds the configuration.
  ['config_error', 'AttributeError', "'EasyDict' object has no attribute 'warmup_iters'"],
  ['config_error', 'AttributeError', "'Namespace' object has no attribute 'local_rank'"],
  // The configuration said to be wrong, in so many words, whatever the exception.
  ['config_error', 'RuntimeError', 'Your config file is not correct, please check its content'],
  // The GPUs' presence or number, the condition of a failed assertion (a bare `assert` reads its source line).
  ['cuda_env_error', 'AssertionError', 'num_gpu <= torch.cuda.device_count()'],
  ['cuda_env_error', 'AssertionError', 'torch.cuda.is_available()'],
  // A package said to be missing; the URL after it is where to get it, not a download that failed.
  ['import_error', 'AssertionError', 'CuPy is not installed! You can install it from "https://github.com/cupy/cupy".'],
  ['import_error', 'RuntimeError', 'ffmpeg is not installed, please install it to decode the audio'],
  [
    'import_error',
    'RuntimeError',
    'Cannot find a working triton installation. More information on installing Triton can be found at https://github.com/openai/triton',
  ],
  // An accelerator's device file there but busy is the accelerator's set-up, no missing file.
  [
    'cuda_env_error',
    'jax.errors.JaxRuntimeError',
    "UNKNOWN: TPU initialization failed: open(/dev/vfio/0): Device or resource busy; Couldn't open iommu group /dev/vfio/0",
  ],
  // A GPU extension that could not be compiled or built for this machine.
  [
    'cuda_env_error',
    'RuntimeError',
    'CUDA is available for PyTorch, but NNCF could not compile GPU quantization extensions. Make sure a CUDA toolkit is installed',
  ],
  // A name asked for that is not among the choices the message lists.
  ['config_error', 'ValueError', "BuilderConfig 'allenai--c4' not found. Available: ['en', 'en.noblocklist', 'realnewslike']"],
  ['config_error', 'AssertionError', "ee_delta_pose not in supported modes: ['pd_joint_pos', 'pd_ee_pose']"],
  // A GPU-only operation handed tensors in host memory.
  [
    'device_mismatch',
    'RuntimeError',
    'false INTERNAL ASSERT FAILED at "ops/src/group_points.cpp":41, please report a bug to PyTorch. CPU not supported',
  ],
  ['device_mismatch', 'RuntimeError', 'features must be a CUDA tensor'],
  // The GPU's driver said missing is the CUDA setup's.
  ['cuda_env_error', 'RuntimeError', 'the NVIDIA driver is not installed on this machine'],
  // A hub that could not be reached: the file missing from the cache is its consequence.
  [
    'network_error',
    'OSError',
    "We couldn't connect to 'https://huggingface.co' to load this file, couldn't find it in the cached files and it looks like x is not the path to a directory containing a file named config.json",
  ],
  // A split, mode or subset the run chose that its dataset or model does not offer.
  ['config_error', 'ValueError', 'Dataset refcoco does not have split testB2'],
  ['config_error', 'ValueError', "Model vit_tiny has no mode 'fp8'"],
  // A path asserted to be a directory that is not one.
  ['file_not_found', 'AssertionError', 'C:\\data\\blurred_sharp/train is not a valid directory'],
  // A package manager's command as the remedy: the installed packages are wrong.
  ['import_error', 'ValueError', "Hydra installation found. Please run pip uninstall hydra-core: ModuleSpec(name='hydra')"],
  ['import_error', 'RuntimeError', 'this op needs scipy >= 1.11; conda install -c conda-forge scipy'],
  // A name only an optional import of a compiled package defines: that import failed silently.
  ['import_error', 'NameError', "name 'flash_attn_varlen_func' is not defined"],
  ['import_error', 'NameError', "name 'chamfer_cuda' is not defined. Did you mean: 'chamfer_cpu'?"],
  // Two sizes said to differ (tensorboardX's image format check).
  [
    'shape_error',
    'AssertionError',
    'size of input tensor and input format are different. tensor shape: (8, 3, 512, 512), input_format: CHW',
  ],
  // A kind of tensor demanded (torch's matrix product on a tensor of another rank).
  ['shape_error', 'RuntimeError', 'self must be a matrix'],
  // A quantity the message ends by printing as NaN: the numbers went non-finite.
  ['nan_loss', 'AssertionError', 'underflow in dt nan'],
];

for (const [expected, type, message] of cases) {
  test(`vocabulary: ${type}: ${message} → ${expected}`, () => {
    assert.equal(categoryByVocabulary({ type, message }), expected);
  });
}

test('vocabulary: two tensors whose batch sizes differ are no run setting broken', () => {
  assert.notEqual(
    categoryByVocabulary({ type: 'ValueError', message: 'Expected input batch_size (32) to match target batch_size (16).' }),
    'config_error',
  );
});

test("vocabulary: a function's unexpected keyword argument is an API mismatch, not a checkpoint's", () => {
  const exception = { type: 'TypeError', message: "fit() got an unexpected keyword argument 'ckpt_path'" };
  assert.equal(categoryByVocabulary(exception), null);
  assert.equal(
    categoryByVocabulary({ ...exception, message: "__init__() got an unexpected keyword argument 'resume_from_checkpoint'" }),
    null,
  );
});

test('vocabulary: the same legacy tensor type on two devices is no dtype error', () => {
  assert.notEqual(
    categoryByVocabulary({
      type: 'RuntimeError',
      message: 'Input type (torch.FloatTensor) and weight type (torch.cuda.FloatTensor) should be the same',
    }),
    'dtype_error',
  );
});

test('vocabulary: a message in no family stays unclassified', () => {
  assert.equal(categoryByVocabulary({ type: 'TypeError', message: "unsupported operand type(s) for +: 'int' and 'NoneType'" }), null);
  // A name of the user's own code, undefined: a bug, no package's.
  assert.equal(categoryByVocabulary({ type: 'NameError', message: "name 'pse_postprocess' is not defined" }), null);
});

test('an exception line with no traceback above it is read, and classified by its words', () => {
  const d = diagnoseText('epoch 3 step 10 loss 0.4\n[rank0]: RuntimeError: tensors sit on different devices here\n');
  assert.equal(d.category, 'device_mismatch');
  assert.equal(d.exception?.type, 'RuntimeError');
  assert.deepEqual(
    d.evidence.map((e) => e.line),
    [2],
  );
});

test('a chain is classified root first: a wrapper re-raising as RuntimeError keeps the cause', () => {
  const log = [
    'Traceback (most recent call last):',
    '  File "data.py", line 3, in load',
    'OSError: shards.tar is not a file we can find: no such file in the shard folder',
    '',
    'The above exception was the direct cause of the following exception:',
    '',
    'Traceback (most recent call last):',
    '  File "train.py", line 9, in <module>',
    'RuntimeError: loading failed',
  ].join('\n');
  assert.equal(diagnoseText(`${log}\n`).category, 'file_not_found');
});

test('an unclassified bare exception is still named', () => {
  const d = diagnoseText('RuntimeError: something odd happened\n');
  assert.equal(d.category, 'other');
  assert.match(d.summary, /^RuntimeError: something odd happened/);
});

test("vocabulary: `setting` as a verb (numpy's `setting an array element with a sequence`) names no setting", () => {
  assert.equal(categoryByVocabulary({ type: 'ValueError', message: 'setting an array element with a sequence.' }), null);
  assert.equal(categoryByVocabulary({ type: 'ValueError', message: 'invalid setting for --warmup' }), 'config_error');
});

test("vocabulary: any object's missing attribute is no configuration's", () => {
  assert.equal(categoryByVocabulary({ type: 'AttributeError', message: "'Tensor' object has no attribute 'warmup_iters'" }), null);
});
