/** Where an exception was raised decides between generic and subsystem causes: synthetic tracebacks. */

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { diagnoseText } from '../../../src/core/diagnosis/diagnose.ts';
import { refineByRaisingCode } from '../../../src/core/diagnosis/raising-code.ts';

const SITE = '/opt/env/lib/python3.10/site-packages';

function traceback(frames: [file: string, fn: string][], exception: string): string {
  const lines = ['Traceback (most recent call last):'];
  for (const [file, fn] of frames) lines.push(`  File "${file}", line 10, in ${fn}`, '    call()');
  return `${[...lines, exception].join('\n')}\n`;
}

/** One frame whose source line (`code`) is what failed, then the exception. */
function failingLine(code: string, exception: string, [file, fn]: [file: string, fn: string] = ['train.py', 'run']): string {
  return `Traceback (most recent call last):\n  File "${file}", line 10, in ${fn}\n    ${code}\n${exception}\n`;
}

test('a socket timing out inside torch.distributed rendezvous is the process group failing to start', () => {
  const log = traceback(
    [
      ['train.py', 'main'],
      [`${SITE}/torch/distributed/distributed_c10d.py`, 'init_process_group'],
      [`${SITE}/torch/distributed/rendezvous.py`, '_env_rendezvous_handler'],
    ],
    'RuntimeError: Connection timed out',
  );
  assert.equal(diagnoseText(log).category, 'dist_init_error');
});

test('the elastic agent creating its c10d store counts too', () => {
  const log = traceback(
    [[`${SITE}/torch/distributed/elastic/rendezvous/c10d_rendezvous_backend.py`, '_create_tcp_store']],
    'RuntimeError: connect() timed out.',
  );
  assert.equal(diagnoseText(log).category, 'dist_init_error');
});

test('an error whose words name nothing (`Wait timeout`), raised by init_process_group, is the process group failing to start', () => {
  const log = traceback(
    [
      ['dist_rl.py', '<module>'],
      [`${SITE}/torch/distributed/distributed_c10d.py`, 'init_process_group'],
    ],
    'RuntimeError: the peer did not answer',
  );
  assert.equal(diagnoseText(log).category, 'dist_init_error');
  // The same words in a collective stay unclassified: a peer lost mid-training is not set-up.
  const collective = log.replace('init_process_group', 'all_reduce');
  assert.equal(diagnoseText(collective).category, 'other');
});

test('the same words raised by an HTTP download stay a network error', () => {
  const log = traceback(
    [
      ['train.py', 'main'],
      [`${SITE}/urllib3/connectionpool.py`, 'urlopen'],
    ],
    'RuntimeError: Connection timed out',
  );
  assert.equal(diagnoseText(log).category, 'network_error');
});

test('a collective in distributed_c10d.py is not set-up: only init_process_group is', () => {
  const frames = [{ file: `${SITE}/torch/distributed/distributed_c10d.py`, line: 1, function: 'all_reduce' }];
  assert.equal(refineByRaisingCode('network_error', frames), 'network_error');
  assert.equal(refineByRaisingCode(null, frames), null);
  assert.equal(
    refineByRaisingCode('disk_full', [{ file: '/usr/lib/python3.8/multiprocessing/synchronize.py', line: 1, function: '__init__' }]),
    'shm_exhausted',
  );
});

test("an exception whose words name nothing, raised while a sample was made (a dataset's __getitem__, in a worker or the main process), is the dataset's bug", () => {
  const inMain = traceback(
    [
      ['train.py', '<module>'],
      [`${SITE}/torch/utils/data/dataloader.py`, '__next__'],
      [`${SITE}/torch/utils/data/_utils/fetch.py`, 'fetch'],
      ['/work/data/dataset.py', '__getitem__'],
    ],
    "TypeError: 'NoneType' object does not support item assignment",
  );
  assert.equal(diagnoseText(inMain).category, 'dataloader_worker_error');
  // Old PyTorch re-raised a worker's exception with its traceback as the message (`IndexError: Traceback …`).
  const reRaised = `IndexError: Traceback (most recent call last):\n  File "${SITE}/torch/utils/data/dataloader.py", line 40, in _worker_loop\n    samples = collate_fn([dataset[i] for i in batch_indices])\n  File "/dataset.py", line 46, in __getitem__\n    img_path, gt_path = self.paths[idx]\nIndexError: list index out of range\n`;
  assert.equal(diagnoseText(reRaised).category, 'dataloader_worker_error');
  // The same exception from model code is no dataset bug.
  const inModel = traceback(
    [
      ['train.py', '<module>'],
      ['/work/model.py', 'forward'],
    ],
    "TypeError: 'NoneType' object is not callable",
  );
  assert.equal(diagnoseText(inModel).category, 'other');
});

test("a shape that does not fit inside dataset code (a crop in a transform) is the sample's problem, not the model's", () => {
  const log = traceback(
    [
      ['train_pose.py', 'train_val'],
      [`${SITE}/torch/utils/data/dataloader.py`, '__next__'],
      ['../../coco_loader.py', '__getitem__'],
      ['../../Mytransforms.py', 'crop'],
    ],
    'ValueError: could not broadcast input array from shape (219,0,3) into shape (219,262,3)',
  );
  assert.equal(diagnoseText(log).category, 'dataloader_worker_error');
  const inModel = traceback(
    [
      ['train.py', 'main'],
      ['/work/model.py', 'forward'],
    ],
    'ValueError: could not broadcast input array from shape (2,3) into shape (3,3)',
  );
  assert.equal(diagnoseText(inModel).category, 'shape_error');
});

test('a socket error with no words, raised in HTTP client code, is a download failing', () => {
  const log = traceback(
    [
      ['prepare.py', 'fetch_dataset'],
      ['/usr/lib/python3.11/urllib/request.py', 'do_open'],
      ['/usr/lib/python3.11/http/client.py', 'request'],
    ],
    'TimeoutError',
  );
  assert.equal(diagnoseText(log).category, 'network_error');
  const elsewhere = traceback([['train.py', 'step']], 'TimeoutError');
  assert.notEqual(diagnoseText(elsewhere).category, 'network_error', 'the same error raised elsewhere is no download');
});

test('a log cut inside a traceback (no exception line): raised in HTTP or socket code, a connection failing; elsewhere, nothing is claimed', () => {
  const frames = (innermost: [string, string]): string =>
    traceback([['train.py', 'main'], [`${SITE}/torchvision/models/_utils.py`, 'load_weights'], innermost], '').trimEnd() + '\n';
  const cut = diagnoseText(`Downloading weights\n${frames(['/usr/lib/python3.10/socket.py', 'create_connection'])}`);
  assert.equal(cut.category, 'network_error');
  assert.equal(cut.rule, 'cut-traceback');
  assert.match(cut.summary, /ends inside a traceback raised in create_connection \(socket\.py\)/);
  assert.equal(diagnoseText(frames([`${SITE}/mylib/ops.py`, 'forward'])).category, 'other', 'a cut traceback in other code names no cause');
});

test('a log cut inside a traceback: starting a spawned process is pickling what it needs; a raise statement on the last line is read as its exception', () => {
  const spawnStart = [
    'Traceback (most recent call last):',
    '  File "train.py", line 40, in <module>',
    '    for batch in loader:',
    '  File "C:\\Python39\\lib\\multiprocessing\\process.py", line 121, in start',
    '    self._popen = self._Popen(self)',
    '  File "C:\\Python39\\lib\\multiprocessing\\context.py", line 327, in _Popen',
    '    return Popen(process_obj)',
  ];
  assert.equal(diagnoseText(`${spawnStart.join('\n')}\n`).category, 'pickling_error');
  const raising = (code: string) =>
    [
      'Traceback (most recent call last):',
      '  File "train.py", line 12, in <module>',
      '    main()',
      `  File "${SITE}/mylib/io.py", line 88, in open_shard`,
      `    ${code}`,
    ].join('\n') + '\n';
  assert.equal(diagnoseText(raising('raise FileNotFoundError(f"no shard at {path}")')).category, 'file_not_found');
  assert.equal(diagnoseText(raising("raise RuntimeError('received %d items of ancdata' %")).category, 'too_many_open_files');
  assert.equal(diagnoseText(raising('return self.read(path)')).category, 'other', 'no raise statement: nothing claimed');
});

test("a connection reset while the DataLoader fetched a worker's batch, and nothing after it (the worker SIGKILLed mid-hand-over, before torch said so): the worker died, not the network", () => {
  const reset = traceback(
    [
      ['train.py', '<module>'],
      [`${SITE}/torch/utils/data/dataloader.py`, '_try_get_data'],
      ['/usr/lib/python3.11/multiprocessing/queues.py', 'get'],
      [`${SITE}/torch/multiprocessing/reductions.py`, 'rebuild_storage_fd'],
      ['/usr/lib/python3.11/multiprocessing/resource_sharer.py', 'get_connection'],
      ['/usr/lib/python3.11/multiprocessing/connection.py', '_recv'],
    ],
    'ConnectionResetError: [Errno 104] Connection reset by peer',
  );
  assert.equal(diagnoseText(reset).category, 'dataloader_worker_error');
  // The process at fault is that worker, not the main process that met the reset (the drill's worker kind asks for it).
  assert.equal(diagnoseText(reset).process, 'DataLoader worker');
  // The same reset in multiprocessing without a DataLoader above it stays what its words say.
  assert.equal(diagnoseText(reset.replace(/.*dataloader\.py.*\n.*\n/, '')).category, 'network_error');
});

test('a DataLoader worker that died: the connection reset the main process met fetching its tensor is the echo, not the network', () => {
  const reset = traceback(
    [
      [`${SITE}/torch/utils/data/dataloader.py`, '_try_get_data'],
      ['/usr/lib/python3.11/multiprocessing/queues.py', 'get'],
      [`${SITE}/torch/multiprocessing/reductions.py`, 'rebuild_storage_fd'],
      ['/usr/lib/python3.11/multiprocessing/resource_sharer.py', 'detach'],
      ['/usr/lib/python3.11/multiprocessing/connection.py', '_recv'],
    ],
    'ConnectionResetError: [Errno 104] Connection reset by peer',
  );
  const exited = traceback(
    [
      ['train.py', '<module>'],
      [`${SITE}/torch/utils/data/dataloader.py`, '_try_get_data'],
    ],
    'RuntimeError: DataLoader worker (pid(s) 17242) exited unexpectedly',
  );
  const diagnosis = diagnoseText(`${reset}\nThe above exception was the direct cause of the following exception:\n\n${exited}`);
  assert.equal(diagnosis.category, 'host_oom');
  assert.equal(diagnosis.rule, 'dataloader-worker-exited');
  assert.ok(
    diagnosis.evidence.some((line) => line.text.includes('17242')),
    'the worker is named',
  );
});

test("a spawned child finding its start-up data cut short (EOFError in multiprocessing's spawn) is the parent failing to pickle it; the same error loading a file stays a corrupt checkpoint", () => {
  const child = traceback(
    [
      ['<string>', '<module>'],
      ['C:\\Python310\\lib\\multiprocessing\\spawn.py', 'spawn_main'],
      ['C:\\Python310\\lib\\multiprocessing\\spawn.py', '_main'],
    ],
    'EOFError: Ran out of input',
  );
  const diagnosis = diagnoseText(child);
  assert.deepEqual([diagnosis.category, diagnosis.retryable], ['pickling_error', false]);
  const loading = traceback(
    [
      ['train.py', 'main'],
      [`${SITE}/torch/serialization.py`, 'load'],
    ],
    'EOFError: Ran out of input',
  );
  assert.equal(diagnoseText(loading).category, 'checkpoint_corrupt');
  // Whatever the child raises unpickling it: a class defined in the parent's `__main__` that the child cannot find.
  const unfound = traceback(
    [
      ['<string>', '<module>'],
      ['/usr/lib/python3.11/multiprocessing/spawn.py', 'spawn_main'],
      ['/usr/lib/python3.11/multiprocessing/spawn.py', '_main'],
    ],
    "AttributeError: Can't get attribute 'PairDataset' on <module '__mp_main__' from '/home/u/proj/train.py'>",
  ).replace(/(in _main\n) {4}call\(\)/, '$1    self = reduction.pickle.load(from_parent)');
  assert.equal(diagnoseText(unfound).category, 'pickling_error');
});

test('a KeyError for the very key the failing line looks up in a configuration mapping (`c["hidden_channels"]`, `data_cfg[…]`) is the configuration', () => {
  const lookup = (code: string, key: string) => failingLine(code, `KeyError: '${key}'`);
  assert.equal(diagnoseText(lookup('hidden_channels=c["hidden_channels"],', 'hidden_channels')).category, 'config_error');
  assert.equal(diagnoseText(lookup('start_and_end=data_cfg["start_and_end"])', 'start_and_end')).category, 'config_error');
  assert.equal(diagnoseText(lookup("lr = hparams['lr']", 'lr')).category, 'config_error');
  // In a section of it (an options file without its `val` datasets).
  assert.equal(diagnoseText(lookup("opt['datasets']['val']['data_len'] = 3", 'val')).category, 'config_error');
  // Looked up in what a settings object's method returned (a configuration loaded and compiled).
  assert.equal(diagnoseText(lookup("exp = conf.compile(conf.load(args['exp']))['Experiment']", 'Experiment')).category, 'config_error');
  assert.equal(diagnoseText(lookup("logits = model(batch)['logits']", 'logits')).category, 'other');
  // A batch's, a state dict's or another key than the one looked up there: not the configuration's.
  assert.equal(diagnoseText(lookup("image = batch['image']", 'image')).category, 'other');
  assert.equal(diagnoseText(lookup("w = state_dict['fc.weight']", 'fc.weight')).category, 'checkpoint_mismatch');
  assert.equal(diagnoseText(lookup("x = cfg['model'][name]", 'resnet9')).category, 'other');
  // A key the configuration chose (`[args.dataset]`), missing from the mapping the line looks it up in.
  assert.equal(diagnoseText(lookup('train_set, test_set = datasets.__dict__[args.dataset](', 'defocus_dataset')).category, 'config_error');
  assert.equal(diagnoseText(lookup("model = MODELS[cfg['arch']](num_classes)", 'resnet9')).category, 'config_error');
  assert.equal(diagnoseText(lookup('sample = self.items[index]', 'x')).category, 'other');
});

test('a KeyError for the very key the failing line looks up in a checkpoint (`ckpt["optimizer"]`, `checkpoint[…]` handed to load_state_dict) is a checkpoint that does not fit', () => {
  const lookup = (code: string, key: string) => failingLine(code, `KeyError: '${key}'`, ['train.py', 'main_worker']);
  assert.equal(
    diagnoseText(lookup("optimizer.load_state_dict(utils_state_dict['optimizer'])", 'optimizer')).category,
    'checkpoint_mismatch',
  );
  assert.equal(diagnoseText(lookup("start_epoch = checkpoint['epoch'] + 1", 'epoch')).category, 'checkpoint_mismatch');
  assert.equal(diagnoseText(lookup('model.load_state_dict(ckpt["model"])', 'model')).category, 'checkpoint_mismatch');
  assert.equal(diagnoseText(lookup("net.load_state_dict(weights['net'], strict=False)", 'net')).category, 'checkpoint_mismatch');
  // The key named by a variable: the only lookup on the line is the checkpoint's.
  assert.equal(
    diagnoseText(lookup("ckpt['state_dict'][k] = ckpt['state_dict'][ema_name]", 'ema_head_conv_weight')).category,
    'checkpoint_mismatch',
  );
  // Another key than the one looked up, or a lookup that is not of a checkpoint: not the checkpoint's.
  assert.equal(diagnoseText(lookup("model.load_state_dict(ckpt['model'])", 'module')).category, 'other');
  assert.equal(diagnoseText(lookup('value = batch[name]', 'ema_head_conv_weight')).category, 'other');
  // A field looked up in a record of the data: the data's (see below), not the checkpoint's.
  assert.equal(diagnoseText(lookup("label = sample['label']", 'label')).category, 'dataloader_worker_error');
});

test('any error raised while a sample is made, decoding included (a truncated image, a shard that is not what the reader expects), is the data loading', () => {
  const sample = (exception: string) =>
    traceback(
      [
        [`${SITE}/torch/utils/data/_utils/fetch.py`, 'fetch'],
        ['tools/../vedastr/datasets/lmdb_dataset.py', '__getitem__'],
        ['tools/../vedastr/datasets/lmdb_dataset.py', 'read_data'],
        [`${SITE}/PIL/ImageFile.py`, 'load'],
      ],
      exception,
    );
  assert.equal(diagnoseText(sample('OSError: image file is truncated (43 bytes not processed)')).category, 'dataloader_worker_error');
  assert.equal(
    diagnoseText(sample("UnicodeDecodeError: 'utf-8' codec can't decode byte 0x8b in position 1: invalid start byte")).category,
    'dataloader_worker_error',
  );
  // What the words or the code name still wins: a missing file, a download failing in requests.
  assert.equal(diagnoseText(sample("FileNotFoundError: [Errno 2] No such file or directory: 'a.jpg'")).category, 'file_not_found');
  const download = traceback(
    [
      ['data.py', '__getitem__'],
      [`${SITE}/requests/adapters.py`, 'send'],
    ],
    'ConnectionResetError: [Errno 104] Connection reset by peer',
  );
  assert.equal(diagnoseText(download).category, 'network_error');
  // Memory running out while a sample is made is the host's, not the dataset code's.
  assert.notEqual(diagnoseText(sample('MemoryError')).category, 'dataloader_worker_error');
});

test("a bug raised while the dataset is built (its class's constructor parsing the annotation list) is the dataset code's, wherever it ran", () => {
  const built = (frames: [string, string][], exception: string) =>
    diagnoseText(traceback([['run_class_finetuning.py', 'main'], ...frames], exception)).category;
  // The dataset's own module (a datasets package, a data_utils file) or a builder function named for it.
  assert.equal(
    built(
      [
        ['/opt/data/private/MAE-DFER-master/datasets.py', 'build_dataset'],
        ['/opt/data/private/MAE-DFER-master/kinetics.py', '__init__'],
      ],
      'IndexError: index 1 is out of bounds for axis 1 with size 1',
    ),
    'dataloader_worker_error',
  );
  assert.equal(
    built(
      [
        ['/home/u/SlowFast-master/slowfast/datasets/loader.py', 'construct_loader'],
        ['/home/u/SlowFast-master/slowfast/datasets/kinetics.py', '_construct_loader'],
      ],
      'AssertionError',
    ),
    'dataloader_worker_error',
  );
  assert.equal(built([['C:\\GPT-SoVITS\\GPT_SoVITS\\module\\data_utils.py', '__init__']], 'AssertionError'), 'dataloader_worker_error');
  // Two calls below the dataset's constructor, in the user's annotation parser: still the dataset's code.
  assert.equal(
    built(
      [
        ['/data/code/proj/preprocessing/datasets.py', '__init__'],
        ['/data/code/proj/preprocessing/annotations.py', '__init__'],
        ['/data/code/proj/preprocessing/annotations.py', 'build_annotations'],
      ],
      "ValueError: u'po' is not in list",
    ),
    'dataloader_worker_error',
  );
  // Three calls below, or a library's code between: no longer.
  assert.equal(
    built(
      [
        ['/data/code/proj/preprocessing/datasets.py', '__init__'],
        ['/data/code/proj/preprocessing/annotations.py', '__init__'],
        ['/data/code/proj/preprocessing/annotations.py', 'build_annotations'],
        ['/data/code/proj/utils/boxes.py', 'to_index'],
      ],
      "ValueError: u'po' is not in list",
    ),
    'other',
  );
  assert.equal(
    built(
      [
        ['/data/code/proj/preprocessing/datasets.py', '__init__'],
        [`${SITE}/numpy/lib/npyio.py`, 'loadtxt'],
        ['/data/code/proj/preprocessing/convert.py', 'parse_row'],
      ],
      'ValueError: could not convert string to float',
    ),
    'other',
  );
  // A data file read in the wrong encoding while the dataset is prepared (Windows' default codec).
  assert.equal(
    built(
      [
        ['/home/u/proj/util/prep.py', 'build_vocab_dataset'],
        ['/home/u/proj/util/prep.py', 'read_corpus'],
      ],
      "UnicodeDecodeError: 'cp1252' codec can't decode byte 0x9d in position 812: character maps to <undefined>",
    ),
    'dataloader_worker_error',
  );
  // Not user code (a library's own datasets package), not a bug's type, or no dataset in sight: not the dataset's.
  // (A split name the library does not know is the configuration's choice.)
  assert.equal(built([[`${SITE}/datasets/builder.py`, '_prepare_split']], 'ValueError: Unknown split "valid"'), 'config_error');
  assert.equal(built([['/home/u/proj/datasets/coco.py', '__init__']], 'RecursionError: maximum recursion depth exceeded'), 'other');
  assert.equal(built([['/home/u/proj/models/resnet.py', '__init__']], 'AssertionError'), 'other');
  // A configuration key the failing line looked up stays the configuration's.
  const configKey = failingLine("root = cfg['data_root']", "KeyError: 'data_root'", ['/home/u/proj/datasets/coco.py', '__init__']);
  assert.equal(diagnoseText(configKey).category, 'config_error');
});

test('an assertion whose condition reads only settings (`assert len(opt.select_data) == len(opt.batch_ratio)`) is the configuration, wherever it ran', () => {
  const asserted = (code: string) => diagnoseText(failingLine(code, 'AssertionError', ['/home/u/proj/dataset.py', '__init__'])).category;
  assert.equal(asserted('assert len(args.train_sets) == len(args.set_weights)'), 'config_error');
  assert.equal(asserted("assert cfg.MODEL.BACKBONE in ('r50', 'r101')"), 'config_error');
  assert.equal(asserted('assert opt.img_size % 32 == 0'), 'config_error');
  // A condition on the data (a sample, a list the code built) stays the dataset's.
  assert.equal(asserted('assert len(self.images) == len(self.labels)'), 'dataloader_worker_error');
  assert.equal(asserted('assert len(samples) >= opt.batch_size'), 'dataloader_worker_error');
});

test("an exception a data loader's worker pool raises again in the main process (MXNet Gluon's pool.get) is the data loading's, whatever its words", () => {
  const log = traceback(
    [
      ['train.py', '<module>'],
      ['/home/u/incubator-mxnet/python/mxnet/gluon/data/dataloader.py', '__next__'],
      ['/usr/lib/python2.7/multiprocessing/pool.py', 'get'],
    ],
    'mxnet.base.MXNetError: [09:41:17] src/operator/nn/concat.cc:66: Check failed: shape_assign(&(*in_shape)[i], dshape) Incompatible input shape: expected [0,5], got [1,6]',
  );
  assert.equal(diagnoseText(log).category, 'dataloader_worker_error');
  // A pool's get anywhere else is not a data loader's.
  const pool = traceback(
    [
      ['train.py', '<module>'],
      ['/usr/lib/python3.11/multiprocessing/pool.py', 'get'],
    ],
    'ValueError: Incompatible input shape: expected [0,5], got [1,6]',
  );
  assert.equal(diagnoseText(pool).category, 'shape_error');
});

test('an assertion that a list of files is not empty (`assert len(tfr_files) >= 1`) is files missing, not a data bug', () => {
  const asserted = (code: string) => failingLine(code, 'AssertionError', ['/app/training/dataset.py', '__init__']);
  assert.equal(diagnoseText(asserted('assert len(tfr_files) >= 1')).category, 'file_not_found');
  assert.equal(diagnoseText(asserted('assert len(self.image_paths) > 0, "no images"')).category, 'file_not_found');
  assert.equal(diagnoseText(asserted('assert len(files) != 0')).category, 'file_not_found');
  // Fewer than a batch is the data's shape, not files missing.
  assert.equal(diagnoseText(asserted('assert len(audiopaths_sid_text_new) > 1')).category, 'dataloader_worker_error');
});

test("unpacking a tensor's shape into the wrong number of names is a shape that does not fit", () => {
  const unpack = (code: string, message: string) =>
    failingLine(code, `ValueError: ${message}`, ['/data2/pre-train/uer/encoders/transformer_encoder.py', 'forward']);
  assert.equal(
    diagnoseText(unpack('batch_size, seq_length, _ = emb.size()', 'not enough values to unpack (expected 3, got 2)')).category,
    'shape_error',
  );
  assert.equal(diagnoseText(unpack('b, c, h, w = x.shape', 'too many values to unpack (expected 4)')).category, 'shape_error');
  assert.equal(diagnoseText(unpack('a, b = pair', 'not enough values to unpack (expected 2, got 1)')).category, 'other');
});

test("a data module's iterator (`__iter__` in data.py) makes samples too", () => {
  const log = traceback(
    [
      ['pretrain.py', 'main'],
      ['/data/u/UER-py/uer/trainer.py', 'train'],
      ['/data/u/UER-py/uer/utils/data.py', '__iter__'],
    ],
    'TypeError: an integer is required (got type NoneType)',
  );
  assert.equal(diagnoseText(log).category, 'dataloader_worker_error');
  // Any other iterator is not.
  const other = traceback(
    [
      ['pretrain.py', 'main'],
      ['/data/u/proj/utils/meters.py', '__iter__'],
    ],
    'TypeError: an integer is required (got type NoneType)',
  );
  assert.equal(diagnoseText(other).category, 'other');
});

test("a StopIteration from the DataLoader's own `__next__` is a loop calling next() on a loader that ran dry, not a sample's bug", () => {
  const log = traceback(
    [
      ['main.py', 'main'],
      ['/work/proj/core/solver.py', 'train'],
      ['/work/proj/metrics/eval.py', 'calculate_metrics'],
      [`${SITE}/torch/utils/data/dataloader.py`, '__next__'],
      [`${SITE}/torch/utils/data/dataloader.py`, '_next_data'],
    ],
    'StopIteration',
  );
  assert.equal(diagnoseText(log).category, 'other');
});

test("an error whose words name no cause, raised by a configuration library or a library's configuration module, is the configuration", () => {
  const raisedIn = (file: string, fn: string) =>
    traceback(
      [
        ['train.py', '<module>'],
        [file, fn],
      ],
      "ValueError: 'data_root' is a !REQUIRED value",
    );
  assert.equal(diagnoseText(raisedIn(`${SITE}/hyperpyyaml/core.py`, '_walk_tree_and_resolve')).category, 'config_error');
  assert.equal(diagnoseText(raisedIn(`${SITE}/yacs/config.py`, 'merge_from_file')).category, 'config_error');
  assert.equal(diagnoseText(raisedIn(`${SITE}/hydra/_internal/utils.py`, 'run_and_report')).category, 'config_error');
  assert.equal(diagnoseText(raisedIn(`${SITE}/mmengine/config/config.py`, 'fromfile')).category, 'config_error');
  assert.equal(diagnoseText(raisedIn(`${SITE}/deepspeed/runtime/config.py`, '_batch_assertion')).category, 'config_error');
  // Schema validators checking a configuration file (voluptuous, jsonschema).
  assert.equal(diagnoseText(raisedIn(`${SITE}/voluptuous/schema_builder.py`, 'validate_mapping')).category, 'config_error');
  assert.equal(diagnoseText(raisedIn(`${SITE}/jsonschema/validators.py`, 'validate')).category, 'config_error');
  // The same words raised by model or data code: no configuration's.
  assert.equal(diagnoseText(raisedIn(`${SITE}/timm/models/resnet.py`, 'forward')).category, 'other');
});

test("a library's own __getitem__ (h5py's group, pandas' frame) is no dataset code: only the user's and the data packages' are", () => {
  const lookup = (file: string) =>
    diagnoseText(
      traceback(
        [
          ['train.py', 'main'],
          [file, '__getitem__'],
        ],
        "KeyError: \"Unable to open object (object 'fc_1' doesn't exist)\"",
      ),
    ).category;
  assert.notEqual(lookup(`${SITE}/h5py/_hl/group.py`), 'dataloader_worker_error');
  assert.equal(lookup('/home/u/proj/my_dataset.py'), 'dataloader_worker_error');
  assert.equal(lookup(`${SITE}/torchvision/datasets/folder.py`), 'dataloader_worker_error');
});

test('an error whose words name no cause, raised while weights are loaded into the model, is a checkpoint that does not fit', () => {
  const loading = (fn: string, exception: string) =>
    diagnoseText(
      traceback(
        [
          ['train.py', 'main'],
          ['/home/u/proj/utils/model_load.py', fn],
          ['/home/u/proj/utils/model_load.py', 'check_keys'],
        ],
        exception,
      ),
    ).category;
  assert.equal(loading('load_pretrain', 'AssertionError: load NONE from pretrained checkpoint'), 'checkpoint_mismatch');
  // A LoRA's weights merged into the model, naming a layer it lacks.
  assert.equal(
    loading('merge_lora', "AttributeError: 'CogVideoXTransformer3DModel' object has no attribute 'transformer'"),
    'checkpoint_mismatch',
  );
  assert.equal(loading('load_weights', "KeyError: 'layer4.bn'"), 'checkpoint_mismatch');
  // A library's own variant of load_state_dict (loading only what fits, `load_state_dict_incrementally`).
  assert.equal(loading('load_state_dict_partially', "ValueError: ('Checkpoint should have `classes`.', None)"), 'checkpoint_mismatch');
  // A shape that does not fit while a parameter is copied from the loaded weights is the checkpoint's too.
  assert.equal(
    diagnoseText(
      failingLine(
        'self.state_dict()[k].copy_(param_dict[k])',
        'RuntimeError: The size of tensor a (6) must match the size of tensor b (160) at non-singleton dimension 0',
        ['/app/model/make_model.py', 'load_param'],
      ),
    ).category,
    'checkpoint_mismatch',
  );
  // Not while loading: the same shape error is the model's.
  assert.equal(
    diagnoseText(
      failingLine(
        'x = x + pos',
        'RuntimeError: The size of tensor a (6) must match the size of tensor b (160) at non-singleton dimension 0',
        ['/app/model/make_model.py', 'forward'],
      ),
    ).category,
    'shape_error',
  );
});

test("an object that cannot be rebuilt from its pickle as a DataLoader worker receives it is a pickling error, not the dataset's", () => {
  const log = [
    'Traceback (most recent call last):',
    `  File "${SITE}/torch/utils/data/_utils/worker.py", line 260, in _worker_loop`,
    '    r = index_queue.get(timeout=MP_STATUS_CHECK_INTERVAL)',
    '  File "/usr/lib/python3.9/multiprocessing/queues.py", line 122, in get',
    '    return _ForkingPickler.loads(res)',
    "TypeError: __new__() missing 2 required positional arguments: 'maxx' and 'maxy'",
  ];
  assert.equal(diagnoseText(`${log.join('\n')}\n`).category, 'pickling_error');
  // The same worker failing in the dataset's own code stays the dataset's.
  const dataset = traceback(
    [
      [`${SITE}/torch/utils/data/_utils/worker.py`, '_worker_loop'],
      ['data/my_dataset.py', '__getitem__'],
    ],
    "TypeError: 'NoneType' object is not subscriptable",
  );
  assert.equal(diagnoseText(dataset).category, 'dataloader_worker_error');
});

test('a connection reset while init_process_group reaches the master is the process group failing to start, not NCCL', () => {
  const log = traceback(
    [
      ['mnist.py', 'main'],
      [`${SITE}/torch/distributed/distributed_c10d.py`, 'init_process_group'],
    ],
    'RuntimeError: Connection reset by peer',
  );
  assert.equal(diagnoseText(log).category, 'dist_init_error');
});

test("a traceback cut on an assertion's line is read by the condition it asserted (`assert x.size()[1] == self.in_feats`)", () => {
  const log = [
    'Traceback (most recent call last):',
    '  File "train.py", line 161, in <module>',
    '    loss = model.train_network(loader)',
    '  File "/home/u/loss/amsoftmax.py", line 29, in forward',
    '    assert x.size()[1] == self.in_feats',
  ];
  assert.equal(diagnoseText(`${log.join('\n')}\n`).category, 'shape_error');
});

test("a class built from a configuration's section that rejects its arguments is the configuration's; elsewhere an API's", () => {
  const rejected = "TypeError: __init__() got an unexpected keyword argument 'depth_levels'";
  const built = (code: string, frame: [string, string]) => diagnoseText(failingLine(code, rejected, frame)).category;
  assert.equal(
    built('return getattr(module, module_name)(*args, **module_args)', ['/home/u/proj/utils/parse_config.py', 'initialize']),
    'config_error',
  );
  assert.equal(built('return obj_cls(**args)', ['/home/u/proj/mylib/registry.py', 'build_from_cfg']), 'config_error');
  // The section handed over whole to the class it names (`target_cls(cfg)`), which wants other arguments.
  const missing = "TypeError: __init__() missing 2 required positional arguments: 'encoder' and 'head'";
  assert.equal(
    diagnoseText(failingLine('return target_cls(cfg)', missing, ['/home/u/proj/utils/config.py', 'instantiate_from_config'])).category,
    'config_error',
  );
  // A call with the arguments written out, or a mapping handed over in code that builds nothing from a configuration: not the configuration's.
  assert.equal(built('model = Net(depth_levels=4)', ['/home/u/proj/utils/parse_config.py', 'initialize']), 'other');
  assert.equal(built('return self.forward(**batch)', ['/home/u/proj/models/wrapper.py', 'step']), 'other');
});

test('an IndexError where the failing line takes one of the files a glob or a listing found is no file found; elsewhere a bug', () => {
  const outOfRange = 'IndexError: list index out of range';
  const at = (code: string) => diagnoseText(failingLine(code, outOfRange, ['preprocessing/hubertinfer.py', '__init__'])).category;
  assert.equal(at("pt_path = list(Path(pt_path).parent.rglob('*.pt'))[0]"), 'file_not_found');
  assert.equal(at("ckpt = sorted(glob.glob(os.path.join(args.ckpt_dir, '*.pth')))[-1]"), 'file_not_found');
  assert.equal(at('first = os.listdir(root)[0]'), 'file_not_found');
  assert.equal(at('label = labels[idx]'), 'other');
  // A listing's files all there, the index out of range in what is done with them: not the listing's.
  assert.equal(at('names = sorted(os.listdir(root)); name = names[i]'), 'other');
});

test("an optional package's import asserted to have worked (`assert has_apex`) is the package missing; the GPU's own flags are not", () => {
  const asserted = (code: string) => diagnoseText(failingLine(code, 'AssertionError', ['dfd/runners/train.py', '<module>'])).category;
  assert.equal(asserted('assert has_apex'), 'import_error');
  assert.equal(asserted('assert _FLASH_ATTN_AVAILABLE'), 'import_error');
  assert.equal(asserted('assert utils.is_deepspeed_available()'), 'import_error');
  assert.notEqual(asserted('assert HAS_CUDA'), 'import_error');
  assert.notEqual(asserted('assert labels is not None'), 'import_error');
});

test("a KeyError for a field a line of a JSON Lines file lacks (`json_line['text']`) is the data's", () => {
  const log = failingLine('data["text"].append(json_line["text"])', "KeyError: 'text'", [
    '/usr/local/lib/python3.10/dist-packages/xturing/datasets/instruction_dataset.py',
    'from_jsonl',
  ]);
  assert.equal(diagnoseText(log).category, 'dataloader_worker_error');
});

test("a shape that does not fit while the user's dataset reads its files into arrays (its constructor, in a `data` package) is the data's", () => {
  const broadcast = 'ValueError: could not broadcast input array from shape (2,6) into shape (2,20)';
  const at = (frame: [string, string]) =>
    diagnoseText(failingLine('curr_seq[_idx, :, pad_front:pad_end] = curr_ped_seq', broadcast, frame)).category;
  assert.equal(at(['/home/u/sgan/sgan/data/trajectories.py', '__init__']), 'dataloader_worker_error');
  // The same in the model's code is the model's shape.
  assert.equal(at(['/home/u/sgan/sgan/models.py', 'forward']), 'shape_error');
  // A dtype that does not fit there is the data's too (a mean read as text added to an image), and the model's in its code.
  const cast = "TypeError: Cannot cast ufunc add output from dtype('<U32') to dtype('float32') with casting rule 'same_kind'";
  const reading = (frame: [string, string]) => diagnoseText(failingLine('image[:, :, 0] += self.data_mean[2]', cast, frame)).category;
  assert.equal(reading(['/home/u/AnimeGAN/tools/data_loader.py', 'read_image']), 'dataloader_worker_error');
  assert.equal(reading(['/home/u/AnimeGAN/net/generator.py', 'forward']), 'dtype_error');
});

test("whatever the user's generator raises as Keras's enqueuer draws a batch from it is the data loading's; its get_file is no batch", () => {
  const drawn = traceback(
    [
      ['train.py', '<module>'],
      [`${SITE}/keras/engine/training.py`, 'fit_generator'],
      [`${SITE}/keras/utils/data_utils.py`, 'get'],
      [`${SITE}/keras/utils/data_utils.py`, '_data_generator_task'],
      ['/home/u/seg/LoadBatches.py', 'imageSegmentationGenerator'],
    ],
    'AssertionError',
  );
  assert.equal(diagnoseText(drawn).category, 'dataloader_worker_error');
  const download = traceback(
    [
      ['train.py', '<module>'],
      [`${SITE}/keras/utils/data_utils.py`, 'get_file'],
    ],
    'AssertionError',
  );
  assert.equal(diagnoseText(download).category, 'other');
});

test("a dataset's length failing in a data package's code, asked before any batch, is the data loading's", () => {
  const log = traceback(
    [
      ['train.py', 'main'],
      [`${SITE}/pytorch_lightning/utilities/data.py`, 'has_len_all_ranks'],
      [`${SITE}/metavision_ml/data/sequential_dataset.py`, '__len__'],
    ],
    'ZeroDivisionError: integer division or modulo by zero',
  );
  assert.equal(diagnoseText(log).category, 'dataloader_worker_error');
  // Any other class's length is not the data's.
  const other = traceback(
    [
      ['train.py', 'main'],
      ['models/ensemble.py', '__len__'],
    ],
    'ZeroDivisionError: integer division or modulo by zero',
  );
  assert.equal(diagnoseText(other).category, 'other');
});

test("the model's code asserting two sizes agree (a length, a shape) is a shape that does not fit; other assertions there are not", () => {
  const sizes = (code: string, frame: [string, string]) => diagnoseText(failingLine(code, 'AssertionError', frame)).category;
  assert.equal(
    sizes('assert feat_len == is_continuous_mask[seg_idx].sum()', ['/work/Kimi-Audio/modeling_kimia.py', 'forward']),
    'shape_error',
  );
  assert.equal(sizes('assert x.shape[1] == self.in_channels', ['/work/proj/models/unet.py', 'encode']), 'shape_error');
  // Not sizes, or not the model's code.
  assert.equal(sizes('assert self.training', ['/work/proj/models/unet.py', 'forward']), 'other');
  assert.equal(sizes('assert len(results) == len(queries)', ['/work/proj/evaluate.py', 'score']), 'other');
});
