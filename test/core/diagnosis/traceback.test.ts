/** The traceback parser on the renderings it must understand (logs produced here, trimmed). */

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { diagnoseText } from '../../../src/core/diagnosis/diagnose.ts';
import { normalizeLine } from '../../../src/core/diagnosis/normalize.ts';
import { TracebackCollector } from '../../../src/core/diagnosis/traceback.ts';

function collect(text: string) {
  const collector = new TracebackCollector();
  text.split('\n').forEach((raw, i) => {
    const { text: line, rank } = normalizeLine(raw);
    collector.push(line, rank, i + 1);
  });
  return collector.finish(text.split('\n').length);
}

test('rank prefixes are stripped and kept', () => {
  assert.deepEqual(normalizeLine('[rank3]: RuntimeError: x'), { text: 'RuntimeError: x', full: 'RuntimeError: x', rank: 3 });
  assert.equal(normalizeLine('[default1]:Traceback (most recent call last):').rank, 1);
  assert.equal(normalizeLine('0: ValueError: y').rank, 0);
  assert.equal(normalizeLine('[1,2]<stderr>:KeyError: 3').rank, 2);
  assert.equal(normalizeLine('Epoch 1:  50%|█| 5/10\rTraceback (most recent call last):').text, 'Traceback (most recent call last):');
});

test("a container runner's prefix (docker compose's `service_1  | `, `service-1  | `) is stripped like a rank's", () => {
  assert.deepEqual(normalizeLine('stylegan2-ada_1  |     main()'), { text: '    main()', full: '    main()', rank: null });
  assert.equal(normalizeLine('trainer-1  | Traceback (most recent call last):').text, 'Traceback (most recent call last):');
  assert.equal(normalizeLine('web-1  | [rank1]: ValueError: x').rank, 1);
  // A table's row is not a prefix.
  assert.equal(normalizeLine('| epoch_1 | loss | 0.5 |').text, '| epoch_1 | loss | 0.5 |');
  const log = [
    'stylegan2-ada_1  | Traceback (most recent call last):',
    'stylegan2-ada_1  |   File "train.py", line 588, in <module>',
    'stylegan2-ada_1  |     main()',
    'stylegan2-ada_1  | ValueError: bad value',
  ].join('\n');
  assert.deepEqual(diagnoseText(`${log}\n`).exception, { type: 'ValueError', message: 'bad value' });
});

test("Ray's prefix on what its workers print (`(Actor pid=9671) `, `(pid=12) `, SkyPilot's `(task, pid=18443) `) is stripped", () => {
  const log = [
    '(TrainerActor pid=9671) Traceback (most recent call last):',
    '(TrainerActor pid=9671)   File "/opt/venv/lib/python3.11/site-packages/torch/distributed/checkpoint/utils.py", line 164, in reduce_scatter',
    '(TrainerActor pid=9671)     local_data = map_fun()',
    '(TrainerActor pid=9671) ValueError: Size mismatch between saved torch.Size([257152, 2048]) and current: torch.Size([131661824])',
  ].join('\n');
  assert.equal(diagnoseText(`${log}\n`).exception?.type, 'ValueError');
  assert.equal(normalizeLine('(ActorModelRayActor pid=207260, ip=10.0.1.75) KeyError: 3').text, 'KeyError: 3');
  assert.equal(normalizeLine('(task, pid=18443)     main()').text, '    main()');
  assert.equal(normalizeLine('(see above) ValueError: x').text, '(see above) ValueError: x', 'no pid: no prefix');
});

test("a paste that starts below its traceback's header is read from its first frame (and a SyntaxError, which has no header)", () => {
  const cut = [
    '    for i, batch in enumerate(train_data):',
    '  File "/home/u/mxnet/gluon/data/dataloader.py", line 435, in __next__',
    '    batch = pickle.loads(ret.get())',
    '  File "/usr/lib/python2.7/multiprocessing/pool.py", line 567, in get',
    '    raise self._value',
    'mxnet.base.MXNetError: Check failed: Incompatible input shape: expected [0,5], got [1,6]',
  ].join('\n');
  const [tb] = collect(cut);
  assert.deepEqual(
    tb?.frames.map((f) => f.function),
    ['__next__', 'get'],
  );
  assert.equal(tb?.exception?.type, 'mxnet.base.MXNetError');
  assert.equal(diagnoseText(`${cut}\n`).category, 'dataloader_worker_error');
  const syntax = [
    '  File "/home/u/train.py", line 3',
    '    print "x"',
    '    ^',
    "SyntaxError: Missing parentheses in call to 'print'",
  ].join('\n');
  assert.equal(collect(syntax)[0]?.exception?.type, 'SyntaxError');
});

test('a bare exception line with nothing after its colon takes its message from the indented lines below too', () => {
  const log = [
    'RuntimeError: ',
    '        CUDA Setup failed despite GPU being available. Please run the following command:',
    '',
    '        python -m bitsandbytes',
  ].join('\n');
  const diagnosis = diagnoseText(`${log}\n`);
  assert.match(diagnosis.summary, /CUDA Setup failed despite GPU being available/);
  assert.equal(diagnosis.category, 'cuda_env_error');
});

test("an exception line with nothing after its colon takes its message from the indented lines below (bitsandbytes' `RuntimeError:` then the text)", () => {
  const log = [
    'Traceback (most recent call last):',
    '  File "finetune.py", line 3, in <module>',
    '    import bitsandbytes',
    'RuntimeError: ',
    '        CUDA Setup failed despite GPU being available. Inspect the CUDA SETUP outputs above to fix your environment!',
    '        If you cannot find any issues and suspect a bug, please open an issue.',
    '',
    'next unrelated line',
  ].join('\n');
  const diagnosis = diagnoseText(`${log}\n`);
  assert.match(diagnosis.exception?.message ?? '', /^CUDA Setup failed despite GPU being available\. Inspect/);
  assert.equal(diagnosis.category, 'cuda_env_error');
});

test("a message below an exception may span several indented lines, between rules of asterisks (NLTK's resource lookup)", () => {
  const log = [
    'Traceback (most recent call last):',
    '  File "prepare.py", line 12, in <module>',
    '    nltk.word_tokenize(text)',
    'LookupError: ',
    '**********************************************************************',
    '  Resource punkt not found.',
    '  Please use the NLTK Downloader to obtain the resource:',
    '  ',
    "  >>> nltk.download('punkt')",
    '  ',
    '  Searched in:',
    "    - '/root/nltk_data'",
    "    - '/usr/share/nltk_data'",
    '**********************************************************************',
    '',
    'next unrelated line',
  ].join('\n');
  const diagnosis = diagnoseText(`${log}\n`);
  assert.match(
    diagnosis.exception?.message ?? '',
    /^Resource punkt not found\. Please use the NLTK Downloader .* Searched in: - '\/root\/nltk_data'/,
  );
  assert.equal(diagnosis.category, 'file_not_found');
});

test("VS Code's exception header (`Exception has occurred: X`, its message on the next line) is read as the exception", () => {
  const log = [
    'Exception has occurred: FileNotFoundError       (note: full exception trace is shown but execution is paused at: <module>)',
    "[Errno 2] No such file or directory: 'data/train.csv'",
    '  File "/home/u/project/train.py", line 8, in <module>',
    "    df = pd.read_csv('data/train.csv')",
  ].join('\n');
  const diagnosis = diagnoseText(`${log}\n`);
  assert.equal(diagnosis.exception?.type, 'FileNotFoundError');
  assert.match(diagnosis.exception?.message ?? '', /^\[Errno 2\] No such file or directory/);
  assert.equal(diagnosis.category, 'file_not_found');
});

test("a qualified exception type without an Error suffix (voluptuous' MultipleInvalid, cv2.error) ends its traceback as its exception", () => {
  for (const [type, message] of [
    ['voluptuous.error.MultipleInvalid', "extra keys not allowed @ data['model']['dropout']"],
    ['cv2.error', 'OpenCV(4.8.0) resize.cpp:4062: error: (-215:Assertion failed) !ssize.empty()'],
  ] as const) {
    const log = ['Traceback (most recent call last):', '  File "train.py", line 3, in <module>', '    main()', `${type}: ${message}`].join(
      '\n',
    );
    assert.deepEqual(collect(log)[0]?.exception, { type, message });
  }
  // A logger's name before its message is no exception.
  const logged = [
    'Traceback (most recent call last):',
    '  File "train.py", line 3, in <module>',
    '    main()',
    'torch.distributed.elastic.api: [WARNING] stopping',
  ];
  assert.equal(collect(logged.join('\n'))[0]?.exception, null);
});

test('a bare `Exception: message` (raise Exception(…), printed without its traceback) is read as an exception', () => {
  const diagnosis = diagnoseText(
    'Downloading weights...\nException: URL fetch failure on https://example.org/weights.h5: 503 -- Service Unavailable\n',
  );
  assert.equal(diagnosis.exception?.type, 'Exception');
  assert.equal(diagnosis.category, 'network_error');
});

test('interleaved ranks each get their own traceback', () => {
  const tbs = collect(
    [
      '[rank0]:Traceback (most recent call last):',
      '[rank1]:Traceback (most recent call last):',
      '[rank0]:  File "train.py", line 5, in <module>',
      '[rank1]:  File "train.py", line 9, in step',
      '[rank1]:ValueError: bad batch',
      '[rank0]:RuntimeError: Connection closed by peer',
    ].join('\n'),
  );
  assert.deepEqual(
    tbs.map((tb) => [tb.rank, tb.exception?.type, tb.frames[0]?.line]),
    [
      [1, 'ValueError', 9],
      [0, 'RuntimeError', 5],
    ],
  );
});

test('chained exceptions, DataLoader re-raise, faulthandler and IPython frames', () => {
  const tbs = collect(
    [
      'Traceback (most recent call last):',
      '  File "a.py", line 1, in f',
      'KeyError: 1',
      '',
      'During handling of the above exception, another exception occurred:',
      '',
      'Traceback (most recent call last):',
      '  File "a.py", line 3, in g',
      'RuntimeError: Caught KeyError in DataLoader worker process 1.',
      'Original Traceback (most recent call last):',
      '  File "ds.py", line 42, in __getitem__',
      '    return self.items[i]',
      'KeyError: 7',
      'Fatal Python error: Segmentation fault',
      '',
      'Current thread 0x00007f01 (most recent call first):',
      '  File "native.py", line 8 in call',
      '  File "main.py", line 2 in <module>',
      '',
      'RuntimeError                              Traceback (most recent call last)',
      '~/proj/train.py in step(batch)',
      '---> 12     loss.backward()',
    ].join('\n'),
  );
  assert.equal(tbs[1]?.chained, true);
  assert.equal(tbs[2]?.worker, 1);
  assert.deepEqual(tbs[2]?.frames[0], { file: 'ds.py', line: 42, function: '__getitem__', code: 'return self.items[i]' });
  const fault = tbs.find((tb) => tb.faulthandler);
  assert.deepEqual(
    fault?.frames.map((f) => f.function),
    ['call', '<module>'],
  );
});

test('where is the innermost frame of user code, not the library', () => {
  const diagnosis = diagnoseText(
    [
      'Traceback (most recent call last):',
      '  File "/home/me/proj/train.py", line 20, in main',
      '  File "/home/me/proj/model.py", line 7, in forward',
      '  File "/usr/lib/python3/dist-packages/torch/nn/modules/linear.py", line 114, in forward',
      'RuntimeError: mat1 and mat2 shapes cannot be multiplied (4x100 and 128x10)',
    ].join('\n'),
  );
  assert.equal(diagnosis.category, 'shape_error');
  assert.deepEqual(diagnosis.where, { file: '/home/me/proj/model.py', line: 7, function: 'forward' });
});

test('a traceback pasted flat (no indentation, `<module>` eaten as an HTML tag): its frames and exception are still read', () => {
  const flat = [
    'Traceback (most recent call last):',
    'File "/home/user/dist_train.py", line 13, in',
    'dist.init_process_group(rank=0, backend="gloo", init_method="file:///shared/rendezvous", world_size=2)',
    'File "/opt/lib/python3.6/site-packages/torch/distributed/distributed_c10d.py", line 283, in init_process_group',
    '_default_pg = ProcessGroupGloo(store, rank, world_size)',
    'RuntimeError: the peer did not answer',
  ].join('\n');
  const [tb] = collect(flat);
  assert.deepEqual(
    tb?.frames.map((frame) => frame.function),
    ['', 'init_process_group'],
  );
  assert.deepEqual(tb?.exception, { type: 'RuntimeError', message: 'the peer did not answer' });
  assert.equal(diagnoseText(`${flat}\n`).category, 'dist_init_error');
});
