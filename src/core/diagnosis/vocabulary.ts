/**
 * Categories by vocabulary: the word families that mean "device", "dtype", "shape", "no such
 * file", "shared memory"… matched on an exception's type and message, not on one sample's
 * sentence. The catalog's rules know how frameworks phrase a failure; this is the fallback for
 * phrasings they did not foresee (other versions, wrappers that re-raise as RuntimeError or
 * AssertionError), consulted before a crash is called `other`. Order matters: the more specific
 * family first (shared memory before disk space, NaN before a config check that rejects it).
 */

import type { Category } from './categories.ts';
import type { PyException } from './traceback.ts';

type Family = { category: Category; test: (text: string, type: string) => boolean };

const has = (pattern: RegExp) => (text: string) => pattern.test(text);
const all =
  (...patterns: RegExp[]) =>
  (text: string) =>
    patterns.every((p) => p.test(text));
/** How many different words of a family the text names (cpu and cuda: two devices; so are cuda:0 and cuda:1). */
function distinct(text: string, family: RegExp): number {
  return new Set([...text.matchAll(family)].map((m) => m[0].replace(/^torch\./i, '').toLowerCase())).size;
}

const DEVICE_NAME = /\b(cuda|cpu|mps|xla|tpu|gpu|meta|xpu|hpu|npu)(?::\d+)?\b/gi;
const DTYPE_NAMES = String.raw`(?:torch\.)?(half|float(?:16|32|64)?|double|b?float16|bf16|fp(?:16|32)|long|int(?:8|16|32|64)?|u?int8|byte|bool|complex(?:64|128)?)`;
const DTYPE_NAME = new RegExp(String.raw`\b${DTYPE_NAMES}\b`, 'gi');
const SAME_OR_NOT = /\b(?:same|different|mismatch\w*|match|expected|found|but got|incompatible)\b/i;
const MISSING =
  /\b(?:expect\w*|requires?|must be|needs?|should be)\b[^.]{0,40}\ban? existing\b|\bnot found\b|\bno (?:such )?(?:file|directory|folder)s?\b|\bis not an? (?:valid |existing )?(?:(?:checkpoint|model|weights?|config|data(?:set)?|image|video|audio) )?(?:file|directory|folder)\b|\bno such\b|\b(?:does|do|did)(?: not|n't) exist|\bnot exist\b|\b(?:can ?not|can't|could ?not|couldn't|unable to|failed to) (?:find|locate|open)\b|\bno (?:\w+ ){1,3}found\b|\bcan(?:not|'t) be (?:read|found|opened)\b/i;
const PATH_WORD =
  /\b(?:file|path|dir(?:ectory)?|folder|checkpoint|dataset)s?\b|[\\/]\w|\w\.(?:json|ya?ml|txt|csv|pt|pth|ckpt|bin|safetensors|npy|npz|h5|pkl|jpg|png|wav)\b/i;

const OUT_OF_MEMORY =
  /\bmemory allocator error\b|\bout of (?:\w+ )?memory\b|\b(?:cannot|can't|could not|couldn't|unable to|fail(?:ed|s)? to) allocate (?:\w+ )?memory\b|\bnot enough (?:\w+ )?memory\b|\bmemory (?:is(?:n't| not)|was(?:n't| not)) enough\b|\bmemory (?:is )?exhausted\b|(?:\bmemory |[:_] ?|mem )allocation failed\b/i;

/**
 * A path's existence, asserted (`AssertionError: os.path.exists(cfg.data_root)`, read from the failing line; os.path under
 * the names code imports it as, `osp.isfile(`, `op.isfile(`): not its absence.
 */
const EXISTENCE_ASSERTED =
  /^[\w.]*AssertionError: (?:(?:os\.path|osp?|op|path)\.(?:exists|isfile|isdir)\(|[\w.()[\]'"]+\.(?:exists|is_file|is_dir)\(\))/;

/** A list of files asserted not empty (`AssertionError: len(tfr_files) >= 1`, read from the failing line): none was found. */
const FILES_FOUND_ASSERTED =
  /^[\w.]*AssertionError: len\((?:[\w.]*glob\w*\(.*\)|[\w.]*(?:files?|paths?|fnames?|filenames?|images?|imgs?|videos?|audios?|wavs?|records?|shards?|ckpts?|checkpoints?)\w*)\)\s*(?:>=\s*1|>\s*0|!=\s*0)(?![\d.])/i;

/** A number of dimensions demanded (`Input must be 1- or 2-d`, `should be a 4-D tensor`, `self must be a matrix`). */
const DIMENSIONS_DEMANDED = /\b(?:must|should|has to) be (?:an? )?(?:(?:\d-? or )?\d-?d|matrix|vector|batch of matrices)\b/i;

/** Parameters named as the weights they are (`layers.3.mlp.weight`), said missing or unexpected. */
const WEIGHTS_MISSING = /\b(?:missing|unexpected)\b[^\n]*\b\w+(?:\.\w+)+\.(?:weight|bias)\b/i;

/** Shapes asserted equal or not (`AssertionError: x.shape[1] == 3`, read from the failing line). */
const SHAPE_ASSERTED = /^[\w.]*AssertionError: [^\n]*(?:\.shape\b|\.ndim\b|\.size\(|\.dim\(\))[^\n]*[=!]=/;
/**
 * A native check of shapes that failed (glog's `Check failed: bottom[0]->shape() == bottom[i]->shape()`, Caffe's `num_axes()`,
 * TensorFlow's `t.dim_size(1) == n`, ggml's `GGML_ASSERT: … tensor->ne[1] == ne1`).
 */
const SHAPE_CHECKED =
  /\b(?:Check failed|GGML_ASSERT): [^\n]*(?:shape\(\)|\.shape\b|->dims?\(\)|num_axes\(\)|\.ndim\b|\bdims?\(\)|\bdim_size\(\d*\)|(?:->|\.)ne\[\d\])[^\n]*[=!<>]=/;

/** Settings named; not the verb (`setting an array element with a sequence`). */
const SETTINGS_WORD =
  /\b(?:config(?:uration|urable)?s?|arguments?|hyper-?parameters?|parameters|options?|settings?(?! (?:an?|the)\b)|flags?)\b/i;
/** The classes configurations are held in (munch, easydict, argparse, OmegaConf, ml_collections, yacs, mmcv, python-box), lacking an attribute. */
const CONFIGURATION_OBJECT_LACKS =
  /'(?:Munch|EasyDict|edict|AttrDict|AttributeDict|Namespace|DictConfig|ConfigDict|FrozenConfigDict|CfgNode|Config|Box|DotMap|Dotdict|DotDict)' object has no attribute\b/;
/** The configuration itself said to be wrong, in so many words. */
const CONFIGURATION_WRONG =
  /\b(?:config(?:uration)?(?: files?)?|settings) (?:is|are) (?:not (?:correct|valid)|incorrect|invalid|wrong|malformed)\b|\b(?:invalid|incorrect|malformed|wrong) (?:config(?:uration)?(?: files?)?|settings)\b/i;
/** A command-line option named in the message (`--snap must be at least 1`): a bad value given to it. */
const ONLY_SUPPORTED = /\bonly\b[^.]{0,60}\b(?:is|are)\s+(?:currently\s+)?supported\b/i;
const OPTION_NAMED = /(?:^|[\s'"`(])--[a-z][\w-]*/;
/** A name asked for that is not among the choices the message lists (`BuilderConfig 'allenai--c4' not found. Available: ['en', …]`, `x not in supported modes: [...]`). */
const NOT_AMONG_CHOICES =
  /\bnot (?:found|supported|recogni[sz]ed|valid|in)\b[^\n]{0,40}\b(?:available|valid|supported|possible|allowed|known)(?: \w+)?(?: are| is)?:\s*[[{('"]/i;
/** A choice of the run its target does not offer (`Dataset unc does not have split test`, `… has no mode 'fp8'`). */
const CHOICE_NOT_OFFERED =
  /\b(?:does not|doesn't) (?:have|support|offer) (?:an? |the )?(?:split|subset|mode|task|variant|backend|option|partition)s? (['"`]?)[\w./-]+\1[.!]?$|\bhas no (?:split|subset|mode|task|variant|backend|option|partition)s? (?:named )?(['"`]?)[\w./-]+\2[.!]?$/i;
/**
 * A training option the run turned on that its model does not offer (`LLaDAModelLM does not support gradient checkpointing.`,
 * Transformers' `… does not support Flash Attention 2.0 yet`).
 */
const OPTION_NOT_OFFERED =
  /\b(?:does not|doesn't) support (?:gradient[ _]checkpointing|flash[ _]?attention(?:[ _]?2(?:\.0)?)?|sdpa|an attention implementation)\b/i;
/**
 * A choice the code does not know, and nothing more: `Unknown architecture: torchmd_gn`, `Unsupported optimizer 'adamw8'`.
 * A name a configuration gave (Python's own `Unknown format code 'd' …` says more than one name).
 */
const UNKNOWN_CHOICE =
  /^[\w.]+:\s*"?(?:unknown|unsupported|unrecogni[sz]ed|invalid) [a-z_]+(?: [a-z_]+){0,3}(?::\s*|\s+)(['"`]?)[\w./-]+\1(?:,\s*(?:exiting|aborting|quitting|stopping)\b)?[.!]?"?$/i;

/** A setting named by its identifier that was left out (`max_steps has to be specified`, `` `output_dir` must be set ``, `specify an output format with '--to <format>'`). */
const SETTING_LEFT_OUT =
  /(?:\b[a-z]+_[a-z_]+`?|[`'"][\w.]+[`'"]) (?:(?:has|have|needs?) to|must) be (?:specified|set|provided|given)\b|\b(?:specify|provide|pass)\b[^\n]{0,60}['"`]--[a-z]/i;

/**
 * A setting of the run by its usual identifiers or words (`micro_batch_size`, `world size`, `gradient_accumulation_steps`,
 * `num_gpus`, the model's `vocab_size`), and a rule such a setting is held to (`must be divisible by`, `has to be greater than 0`, `% num_gpus == 0`):
 * a value that breaks it is the configuration's, not a tensor's.
 */
const RUN_SETTING =
  /\b(?:\w+_)?batch_?size\b|\b(?:micro|mini|global|train(?:ing)?|eval) batch(?: size)?\b|\bbatch sizes?\b|\bworld_?size\b|\bworld size\b|\b(?:gradient|grad)_?acc\w*|\bgradient accumulation\b|\b(?:num|n)_(?:gpus|devices|nodes|workers|heads|epochs|processes)\b|\bnumber of (?:gpus|devices|nodes|workers|processes)\b|\blearning[_ ]rate\b|\bmax_steps\b|\bvocab_size\b/i;
const RULE_HELD_TO =
  /\b(?:has|have|needs?) to be\b|\b(?:must|should) be\b|\bdivisible by\b|\bmultiple of\b|%\s*[\w.]+\s*==\s*0|\bat (?:least|most) \d|\b(?:greater|less|larger|smaller) than\b|[<>]=?\s*\d|\bcannot handle\b|\bnot within the (?:required |valid |allowed )?range\b/i;

/** A check of a tensor's scalar type in native code (`x.scalar_type() == at::ScalarType::Half`), or a tensor of one dtype demanded. */
const DTYPE_DEMANDED =
  /\bScalarType::\w+|\bunsupported ScalarType\b|\bmust be an? (?:float|half|double|long|int\w*|bool\w*|byte|bfloat16)\w* tensors?\b/i;
/**
 * A printed tensor's own `dtype=` field (`Tensor("initial_state:0", shape=(2, 2, 100, 512), dtype=float32)`): part of what
 * the message shows, not a type it names as the trouble.
 */
const DTYPE_IN_A_REPR = /(?<=[,(]\s?)dtype=[\w.]+/g;
/** One element type expected, another got (MXNet's `Incompatible attr in node …: expected float16, got float32`). */
const DTYPE_EXPECTED_GOT = new RegExp(String.raw`\bexpected ${DTYPE_NAMES}\b,? (?:but )?(?:got|found) ${DTYPE_NAMES}\b`, 'i');
/**
 * A variable a distributed launcher sets in each process's environment (`os.environ['LOCAL_RANK']`), missing: the script
 * was started without the launcher (torchrun, mpirun, srun) that would set up its process group.
 */
const LAUNCHER_VARIABLE_MISSING =
  /^(?:[\w.]+\.)?KeyError: ['"](?:MASTER_[A-Z]+|(?:LOCAL_|GROUP_|NODE_)?RANK|(?:LOCAL_)?WORLD_SIZE|SLURM_[A-Z_]+|OMPI_COMM_WORLD_[A-Z_]+|PMI_[A-Z_]+)['"]$/;

/** A key every checkpoint format names (`ckpt['state_dict']`, `ckpt['ema']`), missing: the file is not the checkpoint the code expects. */
const CHECKPOINT_KEY_MISSING = /^(?:[\w.]+\.)?KeyError: ['"](?:\w+_)?state_dict['"]$|^(?:[\w.]+\.)?KeyError: ['"]ema(?:_state_dict)?['"]$/;

/** A package said to be missing (`CuPy is not installed!`, `please install`, `Cannot find a working triton installation`). */
const PACKAGE_MISSING =
  /\b(?:is|are) not installed\b|\bplease install\b|\bNo module named\b|\b(?:find|found) (?:a |any )?(?:working |valid |compatible )?[\w.-]+ installation\b/i;
/**
 * An optional package's import asserted to have worked (`assert has_apex`, `assert _FLASH_ATTN_AVAILABLE`,
 * `assert is_deepspeed_available()`, read from the failing line): the import failed. The GPU's own are cuda_env_error's.
 */
const PACKAGE_AVAILABILITY_ASSERTED =
  /^[\w.]*AssertionError: (?![\w.()]*(?:cuda|gpu))(?:[\w.]+\.)?(?:_?has_\w+|_?\w+_(?:available|installed)|is_\w+_available\(\))$/i;
/** A package manager's command as the remedy (`Please run pip uninstall hydra-core`, `conda install -c conda-forge …`): the installed packages are wrong. */
const PACKAGE_COMMAND = /\b(?:pip3?|conda|mamba) (?:un)?install\b/i;
/**
 * A name that only an optional import of a compiled package defines, undefined (`name 'flash_attn_varlen_func' is not
 * defined`, `name 'selective_scan_cuda_core'`): the import failed silently, guarded by a try/except ImportError.
 */
const OPTIONAL_IMPORT_UNDEFINED =
  /\bname '(?:(?:flash_attn|xformers|apex|triton|bitsandbytes|mamba_ssm|causal_conv1d|selective_scan|deepspeed)\w*|\w+_(?:cuda|cuda_core|ext|C|cpp))' is not defined\b/;
/** A package's compiled extension said to be missing: `requires cuda extensions`, `the C++ extension is not built`. */
const EXTENSION_MISSING =
  /\brequires (?:the )?(?:cuda|c\+\+|cpp|compiled|native)(?:\/cuda)? extensions?\b|\bextensions? (?:(?:is|are|was|were) not|ha(?:s|ve) not been) (?:built|installed)\b/i;

/** A connection named as what failed (`Connection error, and we cannot find the requested files in the cache`): the file missing follows from it. */
const CONNECTION_NAMED =
  /\bconnection (?:error|refused|reset|timed out)\b|\binternet connection\b|\b(?:could ?not|couldn't|can ?not|can't|unable to|failed to) connect\b/i;

/** PyTorch's legacy tensor type names (`torch.cuda.HalfTensor`): an element type, on the GPU or not. */
const LEGACY_TENSOR_TYPE = /\b(?:torch\.)?(cuda\.)?(Half|Float|Double|Long|Int|Short|Char|Byte|Bool|BFloat16)Tensor\b/g;
const sameTypeTwoPlaces = ({ kinds, places }: { kinds: number; places: number }) => kinds === 1 && places === 2;
function legacyTensorTypes(text: string): { kinds: number; places: number } {
  const found = [...text.matchAll(LEGACY_TENSOR_TYPE)];
  return { kinds: new Set(found.map((m) => m[2])).size, places: new Set(found.map((m) => m[1] ?? '')).size };
}

/** A setting looked for in the configuration and not there (`cannot find momentum in namespace, write it in your config file`, gin's `Required bindings for `f` not provided in config`). */
const SETTING_MISSING =
  /\b(?:not found|can ?not find|can't find|could not find|missing|not (?:provided|given|specified|set))\b[^.]{0,40}\bin (?:the |your )?(?:namespace|config(?:uration)?|settings|hparams|args)\b/i;

/** A name that is in no registry of model, dataset or hook types (mmcv's, detectron2's, mmengine's `mmpose::model`): the configuration asked for it. */
const NOT_REGISTERED = /\bis not in the [\w :]{1,30} registry\b|\bfound in '?\w+'? registry\b|\bnot registered\b/i;

/** A collective communication library by name: NVIDIA's, AMD's and Ascend's (whose operations carry it as a prefix: `HcclAllreduce`), gloo. */
const COLLECTIVE_LIBRARY = String.raw`[nhr]ccl\w*|gloo`;

/** An HTTP client's exception: the standard library's (`http.client.HTTPException`, `urllib.error.HTTPError`), requests', httpx's. */
const HTTP_EXCEPTION_TYPE = /(?:^|\.)(?:HTTPError|HTTPException|HTTPStatusError)$/;

const FAMILIES: readonly Family[] = [
  { category: 'shm_exhausted', test: all(/\/dev\/shm|shared memory|\bshm\b/i, /\b(?:space|memory|size|full|allocate|bus error)\b/i) },
  {
    // Memory running out, on the accelerator when the message names one, else on the host.
    category: 'cuda_oom',
    // Identifiers count too: caffe2's `error == cudaSuccess … event_gpu.cc: out of memory`, a CUDA check macro's `GPUassert: out of memory`.
    // Memory for a kernel's inputs, output or workspace is the accelerator's (MindSpore's `Malloc for kernel output failed`);
    // so is what TensorFlow's and XLA's device allocators report as ResourceExhausted.
    test: all(
      OUT_OF_MEMORY,
      // CUDA's own C++ libraries by name (thrust's algorithms, nvJPEG's decoder) allocate on the GPU; so do other accelerators
      // (Ascend's NPU, Gaudi's HPU and its `PT_DEVMEM`, Intel's XPU, Cambricon's MLU) and PyTorch's caching allocator.
      /\b(?:\w*cuda\w*|gpu\w*|[nhx]pu|mlu|vram|hbm|accelerator|device memory|\w*devmem\w*|on device|kernel (?:inputs?|outputs?|workspace)|thrust|nvjpeg)\b|_gpus?\b|resource_?exhausted|reserved in total by PyTorch/i,
    ),
  },
  { category: 'host_oom', test: (text) => OUT_OF_MEMORY.test(text) && !/\b(?:mps|tpu|xla|device)\b/i.test(text) },
  { category: 'too_many_open_files', test: has(/too many open files|(?:out of|exhausted) file descriptors|\bopen files\b.*\blimit\b/i) },
  {
    category: 'disk_full',
    test: has(
      /no space left|disk (?:is )?full|(?:disk )?quota exceeded|(?:not enough|insufficient) (?:disk |storage )?space|(?:disk|storage) space (?:is )?(?:insufficient|exhausted)/i,
    ),
  },
  { category: 'permission_denied', test: has(/permission|not permitted|access (?:is )?denied|read-only file ?system/i) },
  {
    category: 'nan_loss',
    test: (text) =>
      /non-?finite|not finite|\bgradients? (?:has |have )?explod\w*|\bexploding gradients?\b/i.test(text) ||
      // A check for NaN/Inf that failed (`assert torch.isnan(w).sum() == 0`, read from the failing line).
      /\bis(?:nan|inf|finite)\(/i.test(text) ||
      // A quantity the message ends by printing as NaN (`underflow in dt nan`, `scale = inf`).
      /(?:[=:]\s*|\b[a-z_]\w* )[-+]?(?:nan|inf)\.?$/i.test(text) ||
      (/\b(?:nan|inf|infinity)s?\b/i.test(text) &&
        /\b(?:loss|grad\w*|values?|found|detected|invalid)\b|\b(?:is|are|became|becomes|got|returned|produced) (?:nan|inf)\b|\b(?:nan|inf)s? (?:in|encountered)\b|\bcontain(?:s|ing)? (?:a |an )?(?:nan|inf)/i.test(
          text,
        )),
  },
  {
    category: 'device_mismatch',
    test: (text) =>
      /\b(?:same|different|two|multiple)\s+devices?\b|\bdevices? (?:mismatch|type)\b|\bmust be on the current device\b/i.test(text) ||
      // Arrays in host memory (NumPy) and on the GPU (CuPy) in one operation.
      /\bnumpy\b[^.]{0,40}\bcupy\b|\bcupy\b[^.]{0,40}\bnumpy\b/i.test(text) ||
      // A GPU-only operation (a compiled extension's kernel) handed tensors in host memory.
      /\bCPU (?:is )?not supported\b|\bmust be an? (?:CUDA|GPU) tensor\b|\bnot implemented for CPU\b/i.test(text) ||
      sameTypeTwoPlaces(legacyTensorTypes(text)) ||
      (distinct(text, DEVICE_NAME) >= 2 && /\b(?:devices?|tensors?|inputs?|weights?|hidden)\b/i.test(text) && SAME_OR_NOT.test(text)),
  },
  {
    category: 'dtype_error',
    test: (text) =>
      DTYPE_DEMANDED.test(text) ||
      DTYPE_EXPECTED_GOT.test(text) ||
      legacyTensorTypes(text).kinds >= 2 ||
      (/\bd(?:ata )?types?\b|\b(?:scalar|input|weight|bias|tensor|data|target|index|label|floating[- ]point|integral|integer|boolean) types?\b/i.test(
        text.replace(DTYPE_IN_A_REPR, ''),
      ) &&
        (distinct(text, DTYPE_NAME) >= 2 || /\b(?:same|mismatch\w*|expected)\b/i.test(text))),
  },
  {
    category: 'checkpoint_mismatch',
    // What was saved (`the saved weight has shape (10, 512)`, Keras's load_weights) against what the model built.
    // Not a function's `unexpected keyword argument 'resume_from_checkpoint'`: an API that changed.
    test: (text) =>
      !/\bkeyword argument\b/i.test(text) &&
      (WEIGHTS_MISSING.test(text) ||
        CHECKPOINT_KEY_MISSING.test(text) ||
        // Flax's: parameters handed to a module (restored ones) whose shapes are not those it initialises.
        /\bScopeParamShapeError\b/.test(text) ||
        all(
          // MindSpore loads a checkpoint's parameter_dict with load_param_into_net.
          /state_?dict|checkpoint|pretrained weights|\b(?:saved|provided) (?:weights?|variables?|tensors?|model)\b|load_param_into_net|parameter_dict/i,
          /\b(?:keys?|size mismatch|shape mismatch|missing|unexpected|has shape|same shape|not compatible|(?:does|do)(?:n't| not) match)\b/i,
        )(text)),
  },
  {
    category: 'shape_error',
    test: (text) =>
      SHAPE_ASSERTED.test(text) ||
      SHAPE_CHECKED.test(text) ||
      DIMENSIONS_DEMANDED.test(text) ||
      all(
        /\b(?:shapes?|sizes?|dimensions?|dims?|ndim|rank|channels)\b/i,
        // `… is 5 but size is 6`: two sizes set against each other.
        // … or one too small for what is done to it (`Calculated output size: (512x1x0). Output size is too small`).
        /\b(?:same|match|mismatch\w*|incompatible|broadcast\w*|multiplied|invalid for input|expected|but|reshape|differ\w*|too small)\b/i,
        // The sizes printed, or the number of dimensions named (`must have the same number of dimensions`).
        /\d|\bnumber of dimensions\b/i,
      )(text),
  },
  // A package the code needs said to be missing (`CuPy is not installed! You can install it from "https://…"`, `Cannot find a working
  // triton installation`): the URL is where to get it, the missing thing no file. The GPU's driver and toolkit are cuda_env_error's.
  {
    category: 'import_error',
    test: (text) =>
      ((PACKAGE_MISSING.test(text) || PACKAGE_COMMAND.test(text)) && !/\b(?:cuda|gpus?|nvidia|driver|cudnn)\b/i.test(text)) ||
      PACKAGE_AVAILABILITY_ASSERTED.test(text),
  },
  // A package installed without its compiled parts (apex's `FusedAdam requires cuda extensions`): a module it imports is missing.
  { category: 'import_error', test: (text) => EXTENSION_MISSING.test(text) || OPTIONAL_IMPORT_UNDEFINED.test(text) },
  // Before file_not_found: a setting missing from the configuration file is the configuration's.
  { category: 'config_error', test: has(SETTING_MISSING) },
  // Before file_not_found: what an HTTP client raised (`HTTPException: Requested … package … not found`) is a remote's answer.
  { category: 'network_error', test: (_text, type) => HTTP_EXCEPTION_TYPE.test(type) },
  {
    category: 'file_not_found',
    test: (text) =>
      // A device file that is there but busy (`open(/dev/vfio/0): Device or resource busy`) is no missing file.
      (MISSING.test(text) && PATH_WORD.test(text) && !/\bmodule\b|\bkey\b|\bresource busy\b/i.test(text) && !CONNECTION_NAMED.test(text)) ||
      EXISTENCE_ASSERTED.test(text) ||
      FILES_FOUND_ASSERTED.test(text),
  },
  {
    category: 'checkpoint_corrupt',
    test: all(
      // A serialized tensor file (MXNet's NDArray, a Tensor file) is a weights file too.
      /\b(?:checkpoint|weights|pickle|archive|zip|state_?dict|ndarray|tensor|\.(?:pt|pth|ckpt|bin|params))\b/i,
      /\b(?:corrupt\w*|truncated|unexpected end|EOF|invalid (?:header|magic|load key)|(?:invalid|not a valid) (?:\w+ )?file format)\b/i,
    ),
  },
  // A rendezvous store's wait for the other ranks' keys timing out (Horovod's and gloo's HTTP/TCP stores): the group never formed.
  { category: 'dist_init_error', test: has(/\bwait(?:ing)? timeout for keys?\b|\btime(?:d ?out|out) (?:while )?waiting for keys?\b/i) },
  {
    category: 'nccl_timeout',
    test: all(
      new RegExp(String.raw`\b(?:${COLLECTIVE_LIBRARY}|collective|all_?reduce|all_?gather|broadcast|barrier|watchdog)\b`, 'i'),
      /\btime[ds]? ?out\b/i,
    ),
  },
  {
    category: 'dist_init_error',
    test: (text) =>
      LAUNCHER_VARIABLE_MISSING.test(text) ||
      all(
        /\b(?:rendezvous|rdzv|process group|init_process_group|master_(?:addr|port)|tcpstore|c10d store)\b/i,
        /\b(?:fail\w*|timed out|timeout|refused|unable|could not|couldn't|not set)\b/i,
      )(text),
  },
  { category: 'segfault', test: has(/\bsegmentation fault\b|\bsegfault\b|\bSIGSEGV\b/i) },
  {
    category: 'pickling_error',
    test: all(
      /\bpickl\w*|\bserializ\w+/i,
      /\b(?:can ?not|can't|unable to|fail\w*)\b/i,
      /\b(?:lambdas?|local objects?|functions?|locks?|objects?)\b/i,
    ),
  },
  {
    category: 'nccl_error',
    test: all(new RegExp(String.raw`\b(?:${COLLECTIVE_LIBRARY}|mpi)\b`, 'i'), /\b(?:error|fail\w*|abort\w*|reset|closed|refused)\b/i),
  },
  {
    category: 'cuda_env_error',
    test: (text, type) =>
      // A kernel's check of the GPU's compute capability (`dprops->major == 8 && dprops->minor == 0`, `is_sm90 || is_sm8x`) that failed.
      /\b(?:dprops|device_?prop\w*)->(?:major|minor)\b|\bis_sm\d+x?\b/.test(text) ||
      // A build without CUDA lacks its CUDA entry points (`module 'torch._C' has no attribute '_cuda_setDevice'`, an extension's `mcubes_cuda`).
      (/AttributeError$/.test(type) && /\bhas no attribute '\w*cuda\w*'/i.test(text)) ||
      // The GPUs' presence or number, checked (`assert num_gpu <= torch.cuda.device_count()`, `assert torch.cuda.is_available()`).
      /\bcuda\.(?:device_count|is_available)\(\)/.test(text) ||
      all(
        /\b(?:cuda|gpus?|tpus?|nvidia|driver|cudnn|nvml)\b|\bCU(?:RAND|BLAS|FFT|SPARSE|SOLVER)_STATUS_/i,
        // Library statuses spell it with underscores: CUBLAS_STATUS_NOT_SUPPORTED, CUDNN_STATUS_ARCH_MISMATCH.
        // … or a GPU generation the code requires (`only supports Ampere GPUs or newer`).
        /_(?:NOT_SUPPORTED|NOT_INITIALIZED|INITIALIZATION_FAILED|ARCH_MISMATCH|VERSION_MISMATCH)\b|\bor (?:newer|later)\b|\b(?:not (?:available|compiled|enabled|supported|found|set|installed)|no (?:cuda|gpu|device)s?|no \w+ runtime|busy|unavailable|insufficient|too old|unsupported|initiali[sz]\w*|driver version|compute capability|set ?up failed|(?:could ?not|couldn't|can ?not|failed to|unable to) (?:compile|build))\b/i,
      )(text),
  },
  {
    category: 'network_error',
    test: (text) =>
      (/\b(?:connection (?:refused|reset|aborted|timed out|error)|(?<![\\/.])network(?![\\/.(])|unreachable|no route to host|host is down|transport endpoint is not connected|name resolution|resolve host|ssl|proxy|download\w*|timed out)\b/i.test(
        text,
      ) ||
        // A URL is the network's only when reaching it is what failed (`load it from 'https://…'`): a message may link its docs.
        /\bfrom\s+['"]?https?:\/\//i.test(text) ||
        (/https?:\/\//.test(text) && /\b(?:connect\w*|reach\w*|resolv\w*|fetch\w*|request\w*|respon\w*|status code)\b/i.test(text)) ||
        // A wait for a server that timed out (`time-out of 60000ms while waiting for the simulator, … connected to localhost:2000`).
        (/\btime-?out\b/i.test(text) && /\bconnect(?:ed|ion)?\b/i.test(text))) &&
      !/\b(?:rank|store|rendezvous|process group|master_(?:addr|port))\b/i.test(text),
  },
  {
    category: 'config_error',
    test: (text, type) =>
      // Not TensorFlow's InvalidArgumentError: any op's error, whatever the configuration.
      /Config|(?<!Invalid)Argument|Flag|Hydra|Omega|Validation|Usage/.test(type) ||
      // The code supports one mode and the run chose another (`Only DistributedDataParallel is supported.`).
      (/NotImplementedError$/.test(type) && ONLY_SUPPORTED.test(text)) ||
      // A setting looked up on the object that holds the configuration, and not there.
      (/AttributeError$/.test(type) && CONFIGURATION_OBJECT_LACKS.test(text)) ||
      // Whatever raised or logged it: the configuration said to be wrong (`Your config file is not correct`, `invalid configuration`).
      CONFIGURATION_WRONG.test(text) ||
      (/^(?:[\w.]+\.)?(?:AssertionError|ValueError|KeyError)$/.test(type) &&
        (SETTINGS_WORD.test(text) || SETTING_LEFT_OUT.test(text) || OPTION_NAMED.test(text))) ||
      // A name the configuration chose, not among those the code knows: whatever exception the code raises it as.
      (/^(?:[\w.]+\.)?(?:AssertionError|ValueError|KeyError|Exception)$/.test(type) &&
        (NOT_REGISTERED.test(text) ||
          NOT_AMONG_CHOICES.test(text) ||
          UNKNOWN_CHOICE.test(text) ||
          CHOICE_NOT_OFFERED.test(text) ||
          OPTION_NOT_OFFERED.test(text))) ||
      // A rule a run setting breaks is the configuration's whatever the exception (Megatron raises `RuntimeError: world_size (1) is not divisible by 2`).
      (/^(?:[\w.]+\.)?(?:AssertionError|ValueError|KeyError|RuntimeError|Exception)$/.test(type) &&
        RUN_SETTING.test(text) &&
        RULE_HELD_TO.test(text)),
  },
];

/**
 * The category an exception's own words point to, or null when they name none. Its first sentence
 * is read first: that is where a message says what failed, and the advice after it (`If you cannot
 * find any issues, open one at https://…`) borrows the words of other failures. Unless it only
 * names settings (config_error, the least specific family): then a cause the rest names is more
 * specific (`EMA parameters keys do not match. This is likely due to a mismatch between the model
 * and checkpoint`).
 */
export function categoryByVocabulary(exception: PyException): Category | null {
  const byWords = (message: string) => {
    const text = `${exception.type}: ${message}`;
    return FAMILIES.find((family) => family.test(text, exception.type))?.category ?? null;
  };
  const headline = firstSentence(exception.message);
  const first = headline !== exception.message ? byWords(headline) : null;
  if (first !== null && first !== 'config_error') return first;
  return byWords(exception.message) ?? first;
}

/** Up to the end of the message's first sentence (a full stop, `!` or `?` before a capital) or its first line. */
function firstSentence(message: string): string {
  const text = message.trimStart();
  const end = text.search(/[.!?](?=\s+[A-Z])|\n/);
  return end === -1 ? text : text.slice(0, end + 1);
}
