/**
 * Where an exception was raised, as evidence of what failed: a socket timing out inside
 * torch.distributed's rendezvous is the process group failing to start, not a download; "No
 * space left on device" inside multiprocessing's shared-memory code is /dev/shm, not a disk.
 * The words of the message name a generic resource; the frames name the subsystem.
 */

import type { Category } from './categories.ts';
import { type Frame, isUserFrame, type PyException } from './traceback.ts';

/**
 * What a DataLoader calls to make a batch — the dataset's `__getitem__`, a collate function, the
 * worker loop and fetcher around them — in a worker or in the main process (num_workers=0).
 */
const DATASET_CODE = (frame: Frame) =>
  // A data loader's worker loop: the DataLoader's `_worker_loop`, a graph sampler's `_sampling_worker_loop`.
  /^(?:collate_fn|default_collate|_\w*worker_loop|fetch)$/.test(frame.function) ||
  // A dataset's item, in the user's code or a data package's (torchvision's datasets); not any library's
  // `__getitem__` (h5py's groups, pandas' frames), which any code may index.
  (/^__getitems?__$/.test(frame.function) && (isUserFrame(frame) || DATA_PACKAGE.test(frame.file))) ||
  // Its length, which the loader asks before any batch (`len(self.dataset) // self.dataset.batch_size`), in a data module.
  (frame.function === '__len__' && (DATA_PACKAGE.test(frame.file) || DATASET_MODULE.test(frame.file))) ||
  /torch[\\/]utils[\\/]data[\\/]_utils[\\/]/.test(frame.file) ||
  // Keras's enqueuers drawing batches from the user's generator or Sequence (not its `get_file`, a download).
  (/^(?:_data_generator_task|next_sample|get_index)$/.test(frame.function) &&
    /keras[\\/](?:[\w.]+[\\/])*data_utils\.py$/.test(frame.file)) ||
  // An iterable dataset or a home-made loader: the iterator of a data module.
  (/^__(?:iter|next)__$/.test(frame.function) && DATASET_MODULE.test(frame.file));
/** A library's data package (`torchvision/datasets/`, `mmdet/datasets/`, `torch/utils/data/`). */
const DATA_PACKAGE = /[\\/](?:datasets?|data)[\\/]/;
/** A process pool handing back a task's result, or raising what the task raised. */
const POOL_GET = (frame: Frame) => frame.function === 'get' && /multiprocessing[\\/]pool\.py$/.test(frame.file);
/** A module of the model's code (`models/resnet.py`, `model/meta.py`, `modeling_llama.py`, `networks.py`, `my_model.py`). */
const MODEL_MODULE =
  /(?:^|[\\/])(?:models?|networks?|modeling|archs?)[\\/][^\\/]+$|(?:^|[\\/])(?:\w+_)?(?:models?|networks?)\.py$|(?:^|[\\/])modeling_\w+\.py$/i;
/** A data loader's own module (torch's, MXNet Gluon's, Paddle's `dataloader/` package). */
const DATA_LOADER_MODULE = /dataloader\w*\.py$|[\\/]dataloader[\\/]/i;
/**
 * torch.distributed's rendezvous handlers and the c10d store they create (TCPStore), and
 * init_process_group (not the collectives that share its file: a peer lost mid-training is nccl_error);
 * other frameworks' start of their distributed runtime (`jax.distributed.initialize`, DeepSpeed's `init_distributed`).
 */
const DIST_INIT_CODE = (frame: Frame) =>
  /torch[\\/]distributed[\\/](?:rendezvous\.py|elastic[\\/]rendezvous[\\/])/.test(frame.file) ||
  frame.function === 'init_process_group' ||
  (DIST_INIT_FUNCTION.test(frame.function) && DISTRIBUTED_MODULE.test(frame.file));
const DIST_INIT_FUNCTION = /^(?:init_distributed|initiali[sz]e)$/;
const DISTRIBUTED_MODULE = /distributed|[\\/]comm[\\/]/;
type CodeFamily = {
  category: Category;
  refines: ReadonlySet<Category>;
  raisedIn: (frame: Frame) => boolean;
  /** Tested on the innermost frame only, and only when that is the user's own code (the call that raised was the user's). */
  innermostUserCode?: boolean;
  /** Another frame the stack must hold too (the caller that says whose connection it was). */
  within?: (frame: Frame) => boolean;
  /** The process at fault, when not the one whose traceback it is (the worker that went away). */
  process?: string;
};

/**
 * Loading weights into a model: `load_state_dict` and a library's variants of it (`load_state_dict_incrementally`; not
 * torch.hub's `load_state_dict_from_url`, a download), Keras's `load_weights`, a repository's `load_pretrain`/`load_param`/`load_checkpoint`,
 * a LoRA's weights loaded into or merged with the model's (`merge_lora`, `load_lora_weights`).
 */
const LOADS_WEIGHTS = (frame: Frame) =>
  /^(?:load_state_dict(?!_from_url)\w*|load_weights\w*|load_pretrain\w*|load_param\w*|load_checkpoint|load_ckpt|load_model_weights|(?:load|merge|apply)_lora\w*)$/.test(
    frame.function,
  );

const CODE_FAMILIES: readonly CodeFamily[] = [
  {
    // A connection failing (refused, reset) or a barrier timing out while the process group starts: its start failed.
    category: 'dist_init_error',
    refines: new Set(['network_error', 'nccl_timeout', 'nccl_error']),
    raisedIn: (frame) => DIST_INIT_CODE(frame),
  },
  {
    // Dataset, transform and collate code: a shape or a dtype that does not fit there is a sample's problem
    // (`stack expects each tensor to be equal size`, a crop broadcasting into the wrong shape).
    category: 'dataloader_worker_error',
    refines: new Set(['shape_error', 'dtype_error']),
    raisedIn: (frame) => DATASET_CODE(frame),
  },
  {
    // The dataset's own code reading its files into arrays (its constructor, a loader it calls): a shape or a dtype that does
    // not fit there is the data's (`could not broadcast input array from shape (2,6) into shape (2,20)`, a mean read as text
    // added to an image: `Cannot cast ufunc add output from dtype('<U32') to dtype('float32')`).
    category: 'dataloader_worker_error',
    refines: new Set(['shape_error', 'dtype_error']),
    raisedIn: (frame) => BUILDS_DATASET(frame),
    innermostUserCode: true,
  },
  {
    // Samples of unequal size stacked (catalog's samples-of-unequal-size) by the model's own forward: its tensors, not a batch's.
    category: 'shape_error',
    refines: new Set(['dataloader_worker_error']),
    raisedIn: (frame) => frame.function === 'forward' && isUserFrame(frame),
  },
  {
    // The same, stacked last by the user's model code under another name (`encode_image` in `model/meta.py`).
    category: 'shape_error',
    refines: new Set(['dataloader_worker_error']),
    raisedIn: (frame) => MODEL_MODULE.test(frame.file) && !DATASET_CODE(frame),
    innermostUserCode: true,
  },
  {
    // The DataLoader fetching a batch from a worker through multiprocessing (the tensor's shared-memory
    // handle): a connection reset or cut there is the worker dying mid-hand-over (SIGKILL, the OOM
    // killer) before torch's SIGCHLD handler could say so, not the network.
    category: 'dataloader_worker_error',
    refines: new Set(['network_error']),
    raisedIn: (frame) => /multiprocessing[\\/](?:connection|resource_sharer|queues)\.py$/.test(frame.file),
    within: (frame) => /torch[\\/]utils[\\/]data[\\/]dataloader\.py$/.test(frame.file),
    process: 'DataLoader worker',
  },
  {
    // A data loader's worker pool raising again in the main process what a worker raised (MXNet
    // Gluon's `pool.get`): a shape that does not fit there was a sample's, made in the worker.
    category: 'dataloader_worker_error',
    refines: new Set(['shape_error']),
    raisedIn: (frame) => POOL_GET(frame),
    within: (frame) => DATA_LOADER_MODULE.test(frame.file),
  },
  {
    // A spawned child reading what its parent sends it at start-up (multiprocessing's spawn, the
    // default on Windows and macOS): finding it cut short (`EOFError: Ran out of input`) means the
    // parent failed to pickle it (a lambda, a local collate function), whatever the parent said.
    category: 'pickling_error',
    refines: new Set(['checkpoint_corrupt']),
    raisedIn: (frame) => /multiprocessing[\\/]spawn\.py$/.test(frame.file),
  },
  {
    // A shape that does not fit while weights are copied into the model: the checkpoint was made for another one.
    category: 'checkpoint_mismatch',
    refines: new Set(['shape_error']),
    raisedIn: (frame) => LOADS_WEIGHTS(frame),
  },
  {
    // Code that allocates in /dev/shm: multiprocessing's locks and shared memory, torch's tensor sharing.
    category: 'shm_exhausted',
    refines: new Set(['disk_full']),
    raisedIn: (frame) => /multiprocessing[\\/](?:synchronize|shared_memory|heap|reductions)\.py$/.test(frame.file),
  },
];

/** The category the raising code points to when the message's words named a generic one; else the category unchanged. */
export function refineByRaisingCode<C extends Category | null>(category: C, frames: readonly Frame[]): C | Category {
  return category === null ? category : (raisingSubsystem(category, frames)?.category ?? category);
}

/** The subsystem a generic category was raised in (see CODE_FAMILIES): its category, and the process at fault if another. */
export function raisingSubsystem(category: Category, frames: readonly Frame[]): { category: Category; process?: string } | null {
  const innermost = frames.at(-1);
  const raisedByUser = innermost !== undefined && isUserFrame(innermost) ? innermost : null;
  const family = CODE_FAMILIES.find(
    (f) =>
      f.refines.has(category) &&
      (f.innermostUserCode ? raisedByUser !== null && f.raisedIn(raisedByUser) : frames.some(f.raisedIn)) &&
      (f.within === undefined || frames.some(f.within)),
  );
  return family ?? null;
}

/** The DataLoader raising again in the main process what one of its workers raised (torch's ExceptionWrapper; a worker pool's result). */
const TORCH_WORKER_RERAISE = (frame: Frame) =>
  (frame.function === 'reraise' && /torch[\\/]_utils\.py$/.test(frame.file)) ||
  (frame.function === '_process_data' && /torch[\\/]utils[\\/]data[\\/]dataloader\.py$/.test(frame.file));
const reraisedFromWorker = (frames: readonly Frame[]) =>
  frames.some(TORCH_WORKER_RERAISE) || (frames.some(POOL_GET) && frames.some((f) => DATA_LOADER_MODULE.test(f.file)));

/** The bugs such code raises: a bad index or key, a None where an array was expected, a bad value, a file read in the wrong encoding. */
const DATA_BUG =
  /^(?:IndexError|KeyError|TypeError|AttributeError|ValueError|AssertionError|ZeroDivisionError|RuntimeError|UnicodeDecodeError)$/;
/**
 * What making a sample raises besides: a decoder failing on it (PIL's `image file is truncated`
 * as an OSError, bytes that are not the text or archive the reader expected). Memory running out
 * is the host's, whatever code asked for it; a StopIteration is the loader running dry under a
 * `next()` that expected more, the caller's loop and not a sample.
 */
const NOT_THE_SAMPLE = /^(?:MemoryError|KeyboardInterrupt|SystemExit|RecursionError|StopIteration)$/;

/**
 * The dataset being built before any sample is made: its class's constructor reading the
 * annotation list, in the user's own code. Known by the module (a `datasets` or `data` package, a
 * `data_utils.py`, a `*dataset*.py`) or by the function that builds it (`build_dataset`,
 * `construct_loader`); a library's own modules by those names are not the user's dataset code.
 */
const DATASET_MODULE = /(?:^|[\\/])(?:(?:datasets?|data)[\\/][^\\/]+|data\.py)$|[^\\/]*(?:dataset|data_?utils?|data_?loader)[^\\/]*\.py$/i;
const DATASET_BUILDER = /dataset|(?:^|_)(?:data_?)?loader$/i;
const BUILDS_DATASET = (frame: Frame) => isUserFrame(frame) && (DATASET_MODULE.test(frame.file) || DATASET_BUILDER.test(frame.function));

/** A data bug raised in user code at most two calls below where the dataset is built, every call between in user code too. */
function raisedBuildingDataset(type: string, frames: readonly Frame[]): boolean {
  if (!DATA_BUG.test(type)) return false;
  for (const frame of frames.slice(-3).reverse()) {
    if (!isUserFrame(frame)) return false;
    if (BUILDS_DATASET(frame)) return true;
  }
  return false;
}

/**
 * Configuration libraries: absl's flags, the standard library's argparse (not a package's own
 * `argparse.py`), OmegaConf, Hydra, ml_collections, gin, yacs, HyperPyYAML, the typed parsers and
 * the schema validators that check a configuration file (voluptuous, jsonschema, cerberus).
 */
const CONFIG_LIBRARY =
  /[\\/](?:absl[\\/]flags|omegaconf|hydra|ml_collections|gin|yacs|hyperpyyaml|jsonargparse|simple_parsing|tyro|configargparse|voluptuous|jsonschema|cerberus)[\\/]|(?:python\d[\d.]*|Lib)[\\/]argparse\.py$/;
/** A library's own configuration module (`deepspeed/runtime/config.py`, `mmengine/config/config.py`): where it checks the settings it was given. */
const LIBRARY_CONFIG_MODULE = /[\\/](?:\w+_)?config(?:uration)?s?(?:_utils)?\.py$|[\\/]config[\\/]\w+\.py$/;
const CONFIG_CODE = (frame: Frame) => CONFIG_LIBRARY.test(frame.file) || (!isUserFrame(frame) && LIBRARY_CONFIG_MODULE.test(frame.file));

/** A mapping the program keeps its settings in, by its usual names (`c`, `cfg`, `data_cfg`, `hps`, `hparams`, `args`, `kwargs`, `opt`). */
const SETTINGS_NAME = String.raw`(?:\w+_)?(?:c|cfg|conf|config|configs|hps|hparams|hyper_?params|args|kwargs|opts?|options|settings)`;
const SETTINGS_MAPPING = String.raw`\b${SETTINGS_NAME}`;

/** A mapping a checkpoint is loaded into, by its usual names (`ckpt`, `checkpoint`, `state_dict`, `utils_state_dict`, `weights`). */
const CHECKPOINT_MAPPING = String.raw`\b(?:\w+_)?(?:ckpts?|checkpoints?|state_?dicts?|states?|weights|snapshot|saved|loaded)`;
const CHECKPOINT_LOOKUP_BY_NAME = new RegExp(String.raw`${CHECKPOINT_MAPPING}(?:\s*\[\s*['"][^'"]+['"]\s*\])*\s*\[\s*[A-Za-z_]\w*\s*\]`);

/**
 * The failing line looked `KeyError: 'key'` up with that very key in the mapping (`hparams['lr']`), in a section of it
 * (`opt['datasets']['val']`), or in what a method of it returned (`conf.compile(conf.load(path))['Experiment']`).
 */
function keyLookedUpIn(mapping: string, type: string, message: string, frames: readonly Frame[]): boolean {
  const key = type === 'KeyError' ? /^['"]([^'"]+)['"]$/.exec(message.trim())?.[1] : undefined;
  const code = frames.at(-1)?.code;
  if (key === undefined || code === undefined) return false;
  const escaped = key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(String.raw`${mapping}(?:(?:\.\w+)+\(.*\))?(?:\s*\[\s*['"][^'"]+['"]\s*\])*\s*\[\s*['"]${escaped}['"]\s*\]`).test(code);
}

/** `b, c, h, w = x.shape` on the failing line, with too many or too few names for the tensor's dimensions. */
const shapeUnpacked = (type: string, message: string, frames: readonly Frame[]) =>
  type === 'ValueError' &&
  /^(?:not enough|too many) values to unpack\b/.test(message) &&
  /=\s*[\w.()[\]]+\.(?:shape\b|size\(\s*\))/.test(frames.at(-1)?.code ?? '');

/** A lookup by a setting's value (`[args.dataset]`, `[cfg['arch']]`). */
const KEY_CHOSEN_BY_SETTING = new RegExp(String.raw`\[\s*${SETTINGS_MAPPING}(?:\.\w+|\[\s*['"]\w+['"]\s*\])+\s*\]`);

/**
 * `KeyError: 'lr'` raised by `hparams['lr']` on the failing line: a key the configuration lacks; or a key the configuration
 * chose (`datasets.__dict__[args.dataset]`, `MODELS[cfg['arch']]`) that the mapping looked up lacks.
 */
const missingSettingKey = (type: string, message: string, frames: readonly Frame[]) =>
  keyLookedUpIn(SETTINGS_MAPPING, type, message, frames) ||
  (type === 'KeyError' && /^['"]/.test(message) && KEY_CHOSEN_BY_SETTING.test(frames.at(-1)?.code ?? ''));

/** `KeyError: 'optimizer'` raised by `ckpt['optimizer']` (or a lookup handed to load_state_dict): a key the checkpoint lacks. */
const missingCheckpointKey = (type: string, message: string, frames: readonly Frame[]) =>
  keyLookedUpIn(CHECKPOINT_MAPPING, type, message, frames) ||
  // A key named by a variable (`ckpt['state_dict'][ema_name]`): the line looks nothing else up.
  (type === 'KeyError' && CHECKPOINT_LOOKUP_BY_NAME.test(frames.at(-1)?.code ?? '')) ||
  (/\bload_state_dict\s*\(/.test(frames.at(-1)?.code ?? '') && keyLookedUpIn(String.raw`\w+`, type, message, frames));

/**
 * A mapping that holds one piece of the data, by its usual names, perhaps indexed first (`example`, `sample`, `ann`,
 * `old_train_examples_raw[idx]`, a JSON Lines file's `json_line`, a corpus's `doc`, a chat set's `conversation`).
 */
const DATA_RECORD_MAPPING = String.raw`\b(?:\w+_)?(?:examples?|samples?|items?|records?|rows?|annotations?|anns?|entry|entries|instances?|datum|lines?|docs?|documents?|conversations?)(?:_\w+)?(?:\s*\[[^\]]+\])*`;

/** `KeyError: 'task_id'` raised by `examples[i]['task_id']` on the failing line: a field the data lacks. */
const missingRecordKey = (type: string, message: string, frames: readonly Frame[]) =>
  keyLookedUpIn(DATA_RECORD_MAPPING, type, message, frames);

/** The errors a socket raises when the other end does not answer or goes away. */
const SOCKET_ERROR =
  /^(?:TimeoutError|timeout|OSError|ConnectionError|ConnectionRefusedError|ConnectionResetError|BrokenPipeError|gaierror)$/;
/** HTTP and socket client code: the standard library's and the common clients'. */
const NETWORK_CODE = (frame: Frame) =>
  /(?:^|[\\/])(?:urllib[\\/]request|http[\\/]client|socket|ssl)\.py$|[\\/](?:urllib3|requests|httpx|httpcore|aiohttp)[\\/]/.test(
    frame.file,
  );

/**
 * The failing line took one file of those a directory listing or a glob found (`list(Path(p).rglob('*.pt'))[0]`,
 * `sorted(glob(pattern))[-1]`): an IndexError there says it found none.
 */
const FIRST_FILE_FOUND_TAKEN = /\b(?:i?glob|rglob|listdir|scandir|iterdir)\(.*\)\s*\[\s*-?\d+\s*\]/;

/**
 * An exception whose words name no cause, by the code that raised it: a socket's error raised in
 * HTTP client code, a download failing (network_error); anything raised while a sample was being
 * made, the taxonomy's dataloader_worker_error (dataset, transform or collate code, wherever the
 * loader ran it), as is anything a worker raised that the DataLoader raised again; anything raised
 * while the process group starts, its start failing (dist_init_error); anything a configuration
 * library raised itself, or a key its failing line looked up in a settings mapping, the
 * configuration (config_error); a key looked up in a loaded checkpoint, the checkpoint not fitting
 * (checkpoint_mismatch); a bug raised while the user's dataset is built, its code again.
 */
export function categoryByRaisingCode(exceptionType: string, frames: readonly Frame[], message = ''): Category | null {
  const type = exceptionType.slice(exceptionType.lastIndexOf('.') + 1);
  if (shapeUnpacked(type, message, frames)) return 'shape_error';
  if (type === 'IndexError' && FIRST_FILE_FOUND_TAKEN.test(frames.at(-1)?.code ?? '')) return 'file_not_found';
  if (SOCKET_ERROR.test(type) && frames.some(NETWORK_CODE)) return 'network_error';
  const innermost = frames.at(-1);
  if (!NOT_THE_SAMPLE.test(type)) {
    // An object rebuilt from its pickle as a worker receives it (a class whose `__new__` wants arguments the pickle lacks).
    if (innermost && UNPICKLES_HANDED_OVER(innermost)) return 'pickling_error';
    if (frames.some(DATASET_CODE)) return 'dataloader_worker_error';
  }
  // Whatever a worker raised, the DataLoader raises again in the main process: a sample failed to load (a decoder's error).
  if (reraisedFromWorker(frames)) return 'dataloader_worker_error';
  // Whatever it raised (`RuntimeError: Wait timeout` from gloo's store), the process group did not start.
  if (frames.some(DIST_INIT_CODE)) return 'dist_init_error';
  // Raised by the configuration library itself (a flag never defined, a key the config lacks): the configuration is wrong.
  if (innermost && CONFIG_CODE(innermost)) return 'config_error';
  if (missingSettingKey(type, message, frames)) return 'config_error';
  if (refusedWhenBuiltFromConfiguration(type, message, frames)) return 'config_error';
  if (innermost && assertsOnlyOnSettings(type, innermost)) return 'config_error';
  if (missingCheckpointKey(type, message, frames)) return 'checkpoint_mismatch';
  // Whatever it says (`load NONE from pretrained checkpoint`, a key the saved file lacks), the weights did not fit.
  if (DATA_BUG.test(type) && frames.some(LOADS_WEIGHTS)) return 'checkpoint_mismatch';
  if (raisedBuildingDataset(type, frames) || missingRecordKey(type, message, frames)) return 'dataloader_worker_error';
  if (innermost && assertsSizesInModelCode(type, innermost)) return 'shape_error';
  return null;
}

/** A size in code: a tensor's shape or dimensions, a length, a count of elements (`x.shape[1]`, `len(tokens)`, `feat_len`). */
const SIZE_READ = /\.shape\b|\.size\(|\blen\(|\b[a-z]\w*_(?:len|length|size|dim|shape)s?\b|\.numel\(|\.ndim\b|\.dim\(/;
const COMPARISON = /[=!<>]=|[<>]/;

/**
 * The model's code asserting two sizes agree (`assert feat_len == is_continuous_mask[i].sum()` in a `forward`, `assert x.shape[1]
 * == self.dim` in `models/`): the tensors it was given do not fit, whatever the assertion says.
 */
function assertsSizesInModelCode(type: string, innermost: Frame): boolean {
  const condition = assertedCondition(innermost);
  if (type !== 'AssertionError' || condition === null || !isUserFrame(innermost)) return false;
  if (innermost.function !== 'forward' && !MODEL_MODULE.test(innermost.file)) return false;
  const compared = withoutStringLiterals(condition);
  return COMPARISON.test(compared) && SIZE_READ.test(compared);
}

/**
 * A class built from a configuration's section refused its arguments, whichever code said so: the call itself
 * (`__init__() got an unexpected keyword argument 'att_cp_loc'`), its failing line handing a mapping over as keywords
 * (`getattr(module, name)(*args, **module_args)`, mmcv's `obj_cls(**args)`) or the section whole (`target_cls(cfg)`) in
 * code that builds from configurations (`parse_config.py`'s `initialize`, `build_from_cfg`); or the class's constructor,
 * called straight from such code, checking them (`AssertionError: Each specific augmentation must be a dict with key
 * "type"`) — unless it is a dataset's, whose constructor reading its files is the data's.
 */
function refusedWhenBuiltFromConfiguration(type: string, message: string, frames: readonly Frame[]): boolean {
  const [innermost, caller] = [frames.at(-1), frames.at(-2)];
  if (!innermost) return false;
  if (type === 'TypeError' && ARGUMENTS_REJECTED.test(message) && HANDS_OVER_SETTINGS.test(innermost.code ?? ''))
    return BUILDS_FROM_CONFIGURATION.test(innermost.function) || CONFIGURATION_FILE.test(innermost.file);
  return (
    caller !== undefined &&
    ARGUMENTS_CHECKED.test(type) &&
    innermost.function === '__init__' &&
    BUILDS_FROM_CONFIGURATION.test(caller.function) &&
    !BUILDS_DATASET(innermost)
  );
}
/** What a constructor raises when it checks its arguments. */
const ARGUMENTS_CHECKED = /^(?:AssertionError|ValueError|TypeError)$/;
const ARGUMENTS_REJECTED = /\bgot an unexpected keyword argument\b|\bmissing \d+ required (?:positional|keyword-only) arguments?\b/;
const BUILDS_FROM_CONFIGURATION =
  /^(?:init_obj|initiali[sz]e|instantiate(?:_from_c(?:fg|onfig))?|build_from_c(?:fg|onfig)|from_c(?:fg|onfig)|build_\w+)$/;
/** A mapping handed over as keywords (`obj_cls(**args)`), or a configuration's section handed over whole (`target_cls(cfg)`). */
const HANDS_OVER_SETTINGS = new RegExp(String.raw`\*\*\w|\w\(\s*${SETTINGS_MAPPING}\s*\)`);
const CONFIGURATION_FILE = /(?:^|[\\/])\w*(?:config|cfg|registry|builder)\w*\.py$/i;

/**
 * An assertion whose condition reads nothing but settings (`assert len(opt.select_data) == len(opt.batch_ratio)`,
 * `assert cfg.MODEL.NAME in ('a', 'b')`): the settings disagree, whatever code checked them.
 */
function assertsOnlyOnSettings(type: string, innermost: Frame): boolean {
  const condition = assertedCondition(innermost);
  if (type !== 'AssertionError' || condition === null) return false;
  const names = withoutStringLiterals(condition).match(/(?<![\w.])[A-Za-z_][\w.]*/g) ?? [];
  const read = names.filter((name) => !CONDITION_WORDS.has(name));
  return read.length > 0 && read.every((name) => SETTING_READ.test(name));
}
/** What the failing line asserts (`assert len(a) == len(b)` → `len(a) == len(b)`), or null when it asserts nothing. */
export function assertedCondition(frame: Frame | undefined): string | null {
  return /^assert\s+(.+)$/.exec(frame?.code?.trim() ?? '')?.[1] ?? null;
}
const SETTING_READ = new RegExp(String.raw`^${SETTINGS_NAME}\.\w`);
/** The words a condition is built of besides what it reads: operators, constants, the builtins that measure or convert. */
const CONDITION_WORDS = new Set(
  'and or not in is None True False len int float str bool isinstance all any sum min max abs round set list tuple'.split(' '),
);
const withoutStringLiterals = (code: string) => code.replace(/(['"])(?:\\.|(?!\1).)*\1/g, "''");

/**
 * multiprocessing unpickling what another process handed over (a queue's `_ForkingPickler.loads(res)`, a connection's
 * `recv`, a spawned child's `reduction.pickle.load(from_parent)`).
 */
const UNPICKLES_HANDED_OVER = (frame: Frame) =>
  /(?:^|[\\/])multiprocessing[\\/](?:queues|connection|reduction|spawn)\.py$/.test(frame.file) && /\bloads?\(/.test(frame.code ?? '');

/** Starting a process under spawn (`Process.start` → `_Popen` → `popen_spawn_win32` → `reduction.dump`): where what the child needs is pickled. */
const PROCESS_START_CODE = (frame: Frame) =>
  /(?:^|[\\/])multiprocessing[\\/](?:popen_spawn_\w+|reduction|context|process)\.py$/.test(frame.file) &&
  /^(?:start|_Popen|__init__|dump|_launch)$/.test(frame.function);

/** The frames start a process (`Process.start` → `_Popen`): what the child needs is pickled there, under spawn. */
export const startsAProcess = (frames: readonly Frame[]): boolean => frames.some(PROCESS_START_CODE);

/**
 * A traceback the log cut before its exception line (a paste cut short, a process killed while
 * printing): the code it was raised in is the only word on the cause. Innermost in HTTP or socket
 * client code: a connection or download failing; in starting a spawned process: pickling what it
 * needs (Windows' DataLoader workers).
 */
export function categoryOfCutTraceback(frames: readonly Frame[]): Category | null {
  const innermost = frames.at(-1);
  if (!innermost) return null;
  if (NETWORK_CODE(innermost)) return 'network_error';
  return PROCESS_START_CODE(innermost) ? 'pickling_error' : null;
}

/**
 * The exception a cut traceback's last line was raising (`raise KeyError("Accessing unknown key in a struct : {}".format(key))`):
 * its type and the literal text of its message, placeholders filled with a neutral `0`; an assertion's message, else
 * its condition (`assert x.size()[1] == self.in_feats`).
 */
export function raisedOnLine(code: string): PyException | null {
  const line = code.trim();
  const raise = /^raise\s+([\w.]+)\(\s*[rbuf]{0,2}(['"])(.*?)(?:\2|$)/i.exec(line);
  if (raise) return { type: raise[1] as string, message: withoutPlaceholders(raise[3] as string) };
  const assertion = /^assert\s+(.+?)(?:,\s*[rbuf]{0,2}(['"])(.*?)(?:\2|$))?$/i.exec(line);
  if (!assertion) return null;
  return { type: 'AssertionError', message: withoutPlaceholders(assertion[3] ?? (assertion[1] as string)) };
}

const withoutPlaceholders = (message: string) => message.replace(/%[-+ #0]*\d*(?:\.\d+)?[sdrfgx]|\{[^{}]*\}/g, '0');
