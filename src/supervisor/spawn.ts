/**
 * Launching one attempt of the job: its own session and process group, the run's tag and
 * paths in its environment, the Python hooks on PYTHONPATH, stdout and stderr straight into
 * the attempt's log file, and (where there is one) the run's cgroup from its first instruction.
 */

import { type ChildProcess, spawn } from 'node:child_process';
import { delimiter, join, resolve } from 'node:path';
import type { JobSpec } from './supervise.ts';

/** The bundled Python side: the `vigil` helper package and the sitecustomize that instruments every process. */
const PYTHON_DIR = resolve(import.meta.dirname, '..', '..', 'python');

export type SpawnRequest = {
  executable: string;
  args: string[];
  spec: JobSpec;
  runId: string;
  runDir: string;
  attempt: number;
  logFd: number;
  cgroupPath: string | null;
  eventsPath: string;
  pyDir: string;
};

export function spawnJob(request: SpawnRequest): ChildProcess {
  const { executable, args, spec, runId, runDir, attempt, logFd, cgroupPath, eventsPath, pyDir } = request;
  // `import vigil` works with no install; the sitecustomize (boot/) instruments every Python process.
  const pythonPath = [...(spec.pythonHooks ? [join(PYTHON_DIR, 'boot')] : []), PYTHON_DIR, spec.env.PYTHONPATH]
    .filter(Boolean)
    .join(delimiter);
  const env: NodeJS.ProcessEnv = {
    ...spec.env,
    VIGIL_RUN_ID: runId,
    VIGIL_ATTEMPT: String(attempt),
    VIGIL_RUN_DIR: runDir,
    VIGIL_EVENTS: eventsPath,
    VIGIL_PYDIR: pyDir,
    VIGIL_DUMP_SIGNAL: spec.dumpSignal,
    PYTHONPATH: pythonPath,
    PYTHONUNBUFFERED: spec.env.PYTHONUNBUFFERED ?? '1',
  };
  // With a cgroup, a tiny shell joins it and then execs the job (same pid), so not even the
  // job's first fork can happen outside it. If joining fails, the environment tag still holds.
  const [file, argv] = cgroupPath
    ? ['/bin/sh', ['-c', 'echo $$ > "$0" 2>/dev/null; exec "$@"', join(cgroupPath, 'cgroup.procs'), executable, ...args]]
    : [executable, args];
  // detached: setsid(), so the job has its own session and process group (Ctrl-C reaches vigil,
  // which decides), and one kill(-pgid) reaches every process that stayed in the group.
  return spawn(file, argv, { cwd: spec.cwd, env, stdio: ['ignore', logFd, logFd], detached: true });
}
