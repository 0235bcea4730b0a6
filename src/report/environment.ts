/**
 * What is known of the machine and the code: the git commit and dirty state of the run's directory
 * as the run recorded them when it started (asked now when it did not: an older run, no git then),
 * and, asked when the report is made: vigil's version, Node, the job's Python with torch's version
 * and CUDA build (read from its metadata without importing torch, which takes seconds), the GPUs
 * and driver (nvidia-smi, when there is one). Each probe has a short timeout; one that fails says
 * so and the report goes on.
 */

import { readFileSync } from 'node:fs';
import { hostname, release } from 'node:os';
import { basename } from 'node:path';
import { type GitState, gitStateOf } from '../platform/git-state.ts';
import { programOutput } from '../platform/program-output.ts';

type Row = { label: string; value: string };

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

const run = (file: string, args: string[], cwd?: string) => programOutput(file, args, { cwd, timeoutMs: PROBE_TIMEOUT_MS });

/** vigil's package.json: two folders up from both src/report/ and the bundle in dist/cli/. */
function vigilVersion(): string {
  try {
    return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

async function pythonRow(command: readonly string[], cwd: string): Promise<Row | null> {
  const interpreter = command[0];
  if (!interpreter || !/^python[\d.]*$/.test(basename(interpreter))) return null;
  const said = await run(interpreter, ['-c', PYTHON_PROBE], cwd);
  return { label: 'python', value: said ?? `${interpreter} could not be asked` };
}

async function gpuRow(): Promise<Row | null> {
  const said = await run('nvidia-smi', ['--query-gpu=name,driver_version', '--format=csv,noheader']);
  if (said === null) return null;
  return {
    label: 'gpus',
    value:
      said
        .split('\n')
        .map((gpu) => gpu.replace(', ', ', driver '))
        .join('; ') || 'none listed',
  };
}

/** The cwd's checkout: as the run recorded it when it started, else as it is now (an older run, no git then). */
async function gitRow(cwd: string, recorded: GitState | null): Promise<Row> {
  const state = recorded ?? (await gitStateOf(cwd));
  if (state === null) return { label: 'git', value: 'not a git checkout (or git is missing)' };
  const dirty =
    state.changed === null ? 'dirty state unknown' : state.changed === 0 ? 'clean' : `dirty: ${state.changed} changed tracked files`;
  return { label: 'git', value: `${state.commit} (${dirty}, ${recorded ? 'as the run started' : 'as of now'})` };
}

export async function probeEnvironment(command: readonly string[], cwd: string, recordedGit: GitState | null = null): Promise<Row[]> {
  const [python, gpus, git] = await Promise.all([pythonRow(command, cwd), gpuRow(), gitRow(cwd, recordedGit)]);
  return [
    { label: 'vigil', value: vigilVersion() },
    { label: 'node', value: process.version },
    { label: 'host', value: `${hostname()}, ${process.platform} ${release()}` },
    ...(python ? [python] : []),
    ...(gpus ? [gpus] : []),
    git,
    {
      label: 'probed',
      value: `python and gpus${recordedGit ? '' : ' and git'} are as they are now, when the report was made, not as they were during the run`,
    },
  ];
}
