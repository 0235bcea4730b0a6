/**
 * The job's Python and its frameworks, from what the probe script printed (PYTHON_PROBE): the
 * interpreter, torch's version and CUDA build, whether CUDA is usable, NCCL's version. Pure.
 */

import { check, type CheckResult } from './check.ts';

/** Run by the job's interpreter: one JSON line, whatever is or is not installed. */
export const PYTHON_PROBE = `
import json, sys
out = {"python": sys.version.split()[0], "executable": sys.executable}
try:
    import torch
    out["torch"] = torch.__version__
    out["cuda_build"] = torch.version.cuda
    out["cuda_available"] = bool(torch.cuda.is_available())
    out["gpus"] = torch.cuda.device_count() if out["cuda_available"] else 0
    try:
        out["nccl"] = ".".join(map(str, torch.cuda.nccl.version())) if out["cuda_available"] else None
    except Exception:
        out["nccl"] = None
except Exception as error:
    out["torch_error"] = f"{type(error).__name__}: {error}"
try:
    import sitecustomize, vigil
    where = getattr(sitecustomize, "__file__", "") or ""
    out["hooks"] = "ok" if where.endswith("boot/sitecustomize.py") else f"another sitecustomize comes first: {where}"
except Exception as error:
    out["hooks"] = f"{type(error).__name__}: {error}"
print(json.dumps(out))
`;

export type PythonFacts = {
  python: string;
  executable: string;
  torch?: string;
  cuda_build?: string | null;
  cuda_available?: boolean;
  gpus?: number;
  nccl?: string | null;
  torch_error?: string;
  /** `ok`, or why vigil's Python hooks (python/boot/sitecustomize.py) would not load. */
  hooks?: string;
};

/** `gpusPresent`: nvidia-smi lists GPUs on this machine (null: no nvidia-smi). */
export function judgePython(interpreter: string, facts: PythonFacts, gpusPresent: boolean | null): CheckResult {
  const who = `${facts.executable} (Python ${facts.python})`;
  if (facts.torch === undefined)
    return check(
      'python',
      'fail',
      `${who} cannot import torch: ${facts.torch_error ?? 'unknown error'}`,
      `${interpreter} -m pip install torch (in the job's environment)`,
    );
  const build = facts.cuda_build ? `CUDA ${facts.cuda_build} build` : 'CPU-only build';
  const line = `${who}: torch ${facts.torch}, ${build}${facts.cuda_available ? `, ${facts.gpus} GPU${facts.gpus === 1 ? '' : 's'} usable, NCCL ${facts.nccl ?? '?'}` : ''}`;
  if (gpusPresent && !facts.cuda_available) {
    const why = facts.cuda_build
      ? 'torch.cuda.is_available() is False although nvidia-smi lists GPUs: a CUDA build newer than the driver supports, or CUDA_VISIBLE_DEVICES hides them'
      : 'this torch is a CPU-only build although the machine has GPUs';
    return check(
      'python',
      'fail',
      `${line}; ${why}`,
      'install the torch build matching the driver (nvidia-smi shows the CUDA version it supports)',
    );
  }
  return check('python', 'ok', line);
}

/** vigil's Python hooks (faulthandler, stack dumps, exception events) as the job's interpreter loads them under `vigil run`. */
export function judgeHooks(interpreter: string, facts: PythonFacts): CheckResult {
  if (facts.hooks === undefined || facts.hooks === 'ok') return check('python-hooks', 'ok', `vigil's Python hooks load in ${interpreter}`);
  return check(
    'python-hooks',
    'warn',
    `vigil's Python hooks would not load in ${interpreter}: ${facts.hooks}`,
    'without them a hang has no stacks and exceptions no process names; --no-python-hooks says so explicitly',
  );
}
