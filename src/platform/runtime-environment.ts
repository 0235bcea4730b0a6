/**
 * What ran the job, asked as the run starts (an incident report made days later must not describe
 * the machine as it is then): vigil's and Node's versions, the host, the job's Python with torch's
 * version and CUDA build (read from its metadata without importing torch, which takes seconds), and
 * the GPUs with their driver (nvidia-smi, when there is one). Each probe is bounded; one that fails
 * answers null, never an error.
 */

import { readFileSync } from 'node:fs';
import { hostname, release } from 'node:os';
import { basename } from 'node:path';
import type { RuntimeEnvironment } from '../core/runs/runtime-environment.ts';
import { programOutput } from './program-output.ts';

export type { RuntimeEnvironment };

const PROBE_TIMEOUT_MS = 3000;

// torch's version and CUDA build from its files: find_spec locates the package without running it.
const PYTHON_PROBE = `
import sys, importlib.util, importlib.metadata as md, re, os
out = ["python " + sys.version.split()[0]]
try:
    out.append("torch " + md.version("torch"))
except Exception:
    spec = importlib.util.find_spec("torch")
    out.append("torch: not installed" if spec is None else "torch: installed, version unknown")
try:
    spec = importlib.util.find_spec("torch")
    text = open(os.path.join(os.path.dirname(spec.origin), "version.py")).read()
    m = re.search(r"^cuda\\s*(?::[^=]*)?=\\s*(.+)$", text, re.M)
    out.append("cuda build " + (m.group(1).strip().strip("'\\"") if m else "unknown"))
except Exception:
    pass
print("; ".join(out))
`;

/** `env`: the job's (its PATH finds the job's interpreter); this process's when not given. */
export async function runtimeEnvironmentOf(command: readonly string[], cwd: string, env?: NodeJS.ProcessEnv): Promise<RuntimeEnvironment> {
  const [python, gpus] = await Promise.all([pythonOf(command, cwd, env), gpusOf(env)]);
  return { vigil: vigilVersion(), node: process.version, host: `${hostname()}, ${process.platform} ${release()}`, python, gpus };
}

/** vigil's package.json: two folders up from both src/platform/ and the bundle in dist/cli/. */
function vigilVersion(): string {
  try {
    return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

async function pythonOf(command: readonly string[], cwd: string, env: NodeJS.ProcessEnv | undefined): Promise<string | null> {
  const interpreter = command[0];
  if (!interpreter || !/^python[\d.]*$/.test(basename(interpreter))) return null;
  const said = await programOutput(interpreter, ['-c', PYTHON_PROBE], { cwd, env, timeoutMs: PROBE_TIMEOUT_MS });
  return said ?? `${interpreter} could not be asked`;
}

async function gpusOf(env: NodeJS.ProcessEnv | undefined): Promise<string | null> {
  const said = await programOutput('nvidia-smi', ['--query-gpu=name,driver_version', '--format=csv,noheader'], {
    env,
    timeoutMs: PROBE_TIMEOUT_MS,
  });
  if (said === null) return null;
  return (
    said
      .split('\n')
      .map((gpu) => gpu.replace(', ', ', driver '))
      .join('; ') || 'none listed'
  );
}
