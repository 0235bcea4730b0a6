/** Lines logged at error severity, in a log with no exception: their words name the cause, the first such line first. */

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { diagnoseText } from '../../../src/core/diagnosis/diagnose.ts';

test('a native program that logs its failure: the first error whose words name a cause', () => {
  const log = [
    '2025-05-08 12:28:30 [810ms] [Info] [carb] starting the renderer',
    '2025-05-08 12:28:30 [821ms] [Error] [render.plugin] VkResult: ERROR_INCOMPATIBLE_DRIVER',
    '2025-05-08 12:28:30 [822ms] [Error] [render.plugin] vkCreateInstance failed. The installed driver is too old for this device.',
    '2025-05-08 12:28:31 [1,907ms] [Error] [device.plugin] Failed to create devices!',
  ].join('\n');
  const d = diagnoseText(`${log}\n`);
  assert.equal(d.category, 'cuda_env_error');
  assert.equal(d.rule, 'logged-error');
  assert.deepEqual(
    d.evidence.map((e) => e.line),
    [3],
  );
});

test('the severities loggers print: bracketed or an upper-case word', () => {
  for (const line of [
    '| ERROR | data.py:40 - could not locate the training shards under /data/train',
    'ERROR: could not locate the training shards under /data/train',
  ])
    assert.deepEqual(((d) => [d.category, d.rule])(diagnoseText(`step 1\n${line}\n`)), ['file_not_found', 'logged-error'], line);
});

test('an error logged in words that name no cause, or a cause not logged as an error, decides nothing', () => {
  assert.equal(diagnoseText('step 1\n[Error] the widget went sideways\n', { exitCode: 1 }).category, 'other');
  assert.equal(diagnoseText('step 1\n[Info] the display driver is too old for vsync: it stays off\n', { exitCode: 1 }).category, 'other');
});

test('a log that speaks of an error somewhere is not read as stalled where it stops', () => {
  const nativeAbort = [
    'loading graph',
    "terminate called after throwing an instance of 'dmlc::Error'",
    '  what():  [18:02:11] /opt/dgl/src/runtime/tensordispatch.cc:43: Check failed: handle: could not load the tensor adapter',
    'Stack trace:',
    '  [bt] (0) /usr/lib/libdgl.so(dmlc::LogMessageFatal::~LogMessageFatal()+0x4f) [0x7f5cad0ad30f]',
    '  [bt] (1) python3(+0x191f79) [0x5562b3146f79]',
  ];
  assert.notEqual(diagnoseText(`${nativeAbort.join('\n')}\n`).category, 'hang');
  const critical = [
    '[step=75/739328] train/CrossEntropyLoss=7.417',
    '[2024-04-18 19:10:41] CRITICAL [util:158, rank=0] Uncaught WorkerThreadError: loader thread 3 failed',
  ];
  assert.notEqual(diagnoseText(`${critical.join('\n')}\n`).category, 'hang');
  assert.equal(diagnoseText('[step=75/739328] train/CrossEntropyLoss=7.417\n').category, 'hang', 'the same log without it');
});

test('a log with no error that ends on a large allocation: the OOM killer, not a stall', () => {
  const log = ['Loading the corpus', 'tcmalloc: large alloc 2309472256 bytes == 0x5654ccf58000 @  0x7fc2707401e7 0x7fc26d1cc46e'];
  const d = diagnoseText(`${log.join('\n')}\n`);
  assert.deepEqual([d.category, d.rule, d.evidence[0]?.line], ['host_oom', 'ends-allocating', 2]);
  assert.equal(diagnoseText(`${log.reverse().join('\n')}\n`).category, 'hang', 'an allocation the job went on after');
});

test("glog's fatal check (Caffe, MXNet): its condition's words decide; the prefilter lets it through", () => {
  const log = [
    'I0727 17:19:08.880000 31787 solver.cpp:60] Solving PoseNet',
    'F0727 17:19:08.886023 31787 eltwise_layer.cpp:34] Check failed: bottom[0]->shape() == bottom[i]->shape() bottom[0]: 10 18 46 46 (380880), bottom[1]: 10 66 46 46 (1396560)',
    '*** Check failure stack trace: ***',
    '    @     0x7fccb2e6d0cd  google::LogMessage::Fail()',
  ];
  const d = diagnoseText(`${log.join('\n')}\n`);
  assert.deepEqual([d.category, d.rule, d.evidence[0]?.line], ['shape_error', 'logged-error', 2]);
  assert.equal(
    diagnoseText(`${log.join('\n').replace(/bottom\[0\]->shape\(\) == bottom\[i\]->shape\(\)/, 'registry.count(type) == 1')}\n`).category,
    'other',
  );
});

test("PyTorch's old THC check (`THCudaCheck FAIL … error=2 : out of memory`) with the traceback cut before its exception: the GPU's memory", () => {
  const log = [
    '09:35:27 AM epoch 0 lr 2.500000e-02',
    'THCudaCheck FAIL file=/build/pytorch/aten/src/THC/generic/THCStorage.cu line=58 error=2 : out of memory',
    'Traceback (most recent call last):',
    '  File "train.py", line 169, in <module>',
  ].join('\n');
  const d = diagnoseText(`${log}\n`, { exitCode: 1 });
  // The catalog knows the check's status 2 (cudaErrorMemoryAllocation); another status is read by its words as logged.
  assert.deepEqual([d.category, d.rule], ['cuda_oom', 'cuda-oom']);
  const other = diagnoseText(`${log.replace('error=2 : out of memory', 'error=77 : out of memory')}\n`, { exitCode: 1 });
  assert.deepEqual([other.category, other.rule], ['cuda_oom', 'logged-error']);
});

test('a configuration said to be wrong, logged as an error by a launcher (no exception)', () => {
  const d = diagnoseText("ERROR: The experiment config is not valid, please check the file content!\nKey 'tuner' error:\n", {
    exitCode: 1,
  });
  assert.deepEqual([d.category, d.rule], ['config_error', 'logged-error']);
});

test("C++'s uncaught exception: its `what():` names the cause, and the abort that follows is its consequence", () => {
  const prefix = '[2020-06-09T20:10:40Z] [RUNNING] ||  Tue Jun  9 20:10:40 2020[1]<stderr>:';
  const log = [
    `${prefix}terminate called after throwing an instance of 'gloo::IoException'`,
    `${prefix}  what():  [common/gloo/http_store.cc:53] Wait timeout for key(s): 0`,
    `${prefix}*** Received signal 6 ***`,
    `${prefix}*** BEGIN MANGLED STACK TRACE ***`,
  ];
  const d = diagnoseText(`${log.join('\n')}\n`);
  assert.equal(d.category, 'dist_init_error');
  assert.ok(d.evidence.some((e) => e.line === 2));
  // A message that names nothing leaves the abort a native crash.
  const unnamed = diagnoseText("terminate called after throwing an instance of 'Foo'\n  what():  bad thing\nAborted (core dumped)\n");
  assert.equal(unnamed.category, 'segfault');
  // An error logged only after the abort (a wrapper script reporting a later step) is not what the abort followed.
  const after = diagnoseText('step 40 loss 0.3\nAborted (core dumped)\nERROR: [http_store.cc:53] Wait timeout for key(s): 0\n');
  assert.equal(after.category, 'segfault');
});

test("an uncaught C++ exception's type is read with its `what():`: CUDA's own libraries (thrust, nvJPEG) run out of the GPU's memory", () => {
  const thrust =
    "terminate called after throwing an instance of 'thrust::system::system_error'\n  what():  parallel_for failed: out of memory\n";
  assert.equal(diagnoseText(thrust).category, 'cuda_oom');
  const nvjpeg =
    "terminate called after throwing an instance of 'nvjpeg::ExceptionJPEG'\n  what():  Memory allocator error\nzsh: IOT instruction (core dumped)  ./train\n";
  assert.equal(diagnoseText(nvjpeg).category, 'cuda_oom');
  // The host's allocator stays the host's.
  const host = "terminate called after throwing an instance of 'std::bad_alloc'\n  what():  std::bad_alloc\nAborted (core dumped)\n";
  assert.equal(diagnoseText(host).category, 'host_oom');
});

test("an uncaught C++ exception's type is read with the `what():` right after it, not with a later error line", () => {
  const log = [
    "terminate called after throwing an instance of 'thrust::system::system_error'",
    '  what():  launch failed',
    'retrying on the CPU',
    'ERROR: the host could not allocate memory for the next batch',
  ];
  assert.equal(diagnoseText(`${log.join('\n')}\n`).category, 'host_oom');
});

test("libc++'s report of an uncaught C++ exception (clang, macOS) names its type and message on one line", () => {
  const log = [
    '12:00:01 - client 1 - INFO - sent update to the server',
    'libc++abi: terminating due to uncaught exception of type gloo::EnforceNotMet: [enforce fail at /src/third_party/gloo/gloo/transport/uv/pair.cc:248] op.nread == op.preamble.nbytes. ',
  ];
  assert.equal(diagnoseText(`${log.join('\n')}\n`).category, 'nccl_error');
  const older = 'libc++abi.dylib: terminating with uncaught exception of type std::bad_alloc: std::bad_alloc\nAbort trap: 6\n';
  assert.equal(diagnoseText(older).category, 'host_oom');
});

test('an exception that says only that a value was never made, right after an error the job logged, is that error', () => {
  const failed = (exception: string) =>
    [
      "Training configs: Namespace(batch_size=50, graph='utils/weight_matrix_file.txt')",
      'ERROR: input file was not found in D:\\STGCN\\utils\\weight_matrix_file.txt.',
      'Traceback (most recent call last):',
      '  File "main.py", line 54, in <module>',
      "    W = weight_matrix(pjoin('dataset', args.graph))",
      '  File "utils/math_graph.py", line 86, in weight_matrix',
      '    if set(np.unique(W)) == {0, 1}:',
      exception,
      '',
    ].join('\n');
  assert.equal(diagnoseText(failed("UnboundLocalError: local variable 'W' referenced before assignment")).category, 'file_not_found');
  assert.equal(diagnoseText(failed("TypeError: 'NoneType' object is not subscriptable")).category, 'file_not_found');
  // An exception of its own words is its own, whatever was logged before it.
  assert.equal(diagnoseText(failed("ValueError: invalid literal for int() with base 10: 'x'")).category, 'other');
});
