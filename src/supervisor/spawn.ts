/**
 * Launching one attempt of the job: its own session and process group, the run's tag and
 * paths in its environment, the Python hooks on PYTHONPATH, stdout and stderr straight into
 * the attempt's log file, and (where there is one) the run's cgroup from its first instruction.
 * Words or a directory that are not valid UTF-8 go through a shell that rebuilds their bytes.
 */

import { type ChildProcess, spawn } from 'node:child_process';
import { delimiter, join, resolve } from 'node:path';
import type { ExitStatus } from '../core/exit-status.ts';
import { ExitCode, VigilError } from '../errors.ts';
import { exactLaunch } from '../platform/exact-launch.ts';
import { argumentRoom, environmentStrings, execCost, MAX_ARG_STRLEN } from '../platform/exec-limits.ts';
import type { JobSpec } from './supervise.ts';

/** The bundled Python side: the `vigil` helper package and the sitecustomize that instruments every process. */
export const PYTHON_DIR = resolve(import.meta.dirname, '..', '..', 'python');

/** Joins the cgroup named by $0 (its cgroup.procs); if that fails the environment tag still holds. */
const JOIN_CGROUP = 'echo $$ >"$0" 2>/dev/null';

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

export type SpawnedJob = {
  child: ChildProcess;
  /** Listened to from the start: a quick job can exit before the caller's next await returns. */
  exited: Promise<ExitStatus>;
};

/**
 * Starts the job; resolves once it runs. Rejects with a VigilError (the system error as its
 * cause) when it cannot start: 126 for E2BIG, a directory it cannot enter or no permission,
 * 127 when the program vanished since it was resolved.
 */
export function spawnJob(request: SpawnRequest): Promise<SpawnedJob> {
  const env = jobEnvironment(request);
  const launch = launchCommand(request);
  let child: ChildProcess;
  try {
    // detached: setsid(), so the job has its own session and process group (Ctrl-C reaches vigil,
    // which decides), and one kill(-pgid) reaches every process that stayed in the group.
    child = spawn(launch.file, launch.args, { cwd: launch.cwd, env, stdio: ['ignore', request.logFd, request.logFd], detached: true });
  } catch (error) {
    return Promise.reject(spawnFailure(error, request, launch, env));
  }
  const exited = new Promise<ExitStatus>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  return new Promise((resolve, reject) => {
    child.once('spawn', () => resolve({ child, exited }));
    // Kept for the child's whole life: an 'error' without a listener would throw.
    child.on('error', (error) => reject(spawnFailure(error, request, launch, env)));
  });
}

function jobEnvironment({ spec, runId, runDir, attempt, eventsPath, pyDir }: SpawnRequest): NodeJS.ProcessEnv {
  // `import vigil` works with no install; the sitecustomize (boot/) instruments every Python process.
  const pythonPath = [...(spec.pythonHooks ? [join(PYTHON_DIR, 'boot')] : []), PYTHON_DIR, spec.env.PYTHONPATH]
    .filter(Boolean)
    .join(delimiter);
  return {
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
}

type Launch = { file: string; args: string[]; cwd: string | undefined };

/**
 * The job itself, or a tiny shell that first joins the cgroup (so not even the job's first fork
 * happens outside it) and, for bytes that are not UTF-8, rebuilds the words and enters the
 * directory. The shell execs the job: same pid.
 */
function launchCommand({ executable, args, spec, cgroupPath }: SpawnRequest): Launch {
  const procs = cgroupPath ? [join(cgroupPath, 'cgroup.procs')] : [];
  if (spec.exact) {
    const { script, args: escaped } = exactLaunch(spec.exact);
    const lines = cgroupPath ? `${JOIN_CGROUP}\n${script}` : script;
    return { file: '/bin/sh', args: ['-c', lines, procs[0] ?? 'vigil', ...escaped], cwd: undefined };
  }
  if (cgroupPath) return { file: '/bin/sh', args: ['-c', `${JOIN_CGROUP};exec "$@"`, ...procs, executable, ...args], cwd: spec.cwd };
  return { file: executable, args, cwd: spec.cwd };
}

function spawnFailure(error: unknown, request: SpawnRequest, launch: Launch, env: NodeJS.ProcessEnv): VigilError {
  const code = (error as NodeJS.ErrnoException).code;
  const program = request.spec.command[0] ?? request.executable;
  const say = (message: string, exitCode: number) => new VigilError(`cannot start the job: ${message}`, exitCode, { cause: error });
  switch (code) {
    case 'E2BIG':
      return say(tooBig(request, launch, env), ExitCode.notExecutable);
    case 'ENOENT':
      return say(`${program} or the directory ${request.spec.cwd} no longer exists`, ExitCode.commandNotFound);
    case 'EACCES':
      return say(`permission denied running ${program} in ${request.spec.cwd}`, ExitCode.notExecutable);
    default:
      return say(`${(error as Error).message}`, ExitCode.notExecutable);
  }
}

/** Why the kernel refused: one string over its own limit, or everything together over the total. */
function tooBig({ executable, args, spec }: SpawnRequest, launch: Launch, env: NodeJS.ProcessEnv): string {
  const envStrings = environmentStrings(env);
  const long = [...launch.args, ...envStrings].find((s) => Buffer.byteLength(s) >= MAX_ARG_STRLEN);
  if (long !== undefined) {
    const what = envStrings.includes(long) ? `the environment variable ${long.slice(0, long.indexOf('='))}` : 'one argument';
    return `${what} takes ${count(Buffer.byteLength(long))} bytes, over the kernel's limit of ${count(MAX_ARG_STRLEN)} for one string`;
  }
  const total = execCost(launch.file, [launch.file, ...launch.args], envStrings);
  const bare = execCost(executable, [executable, ...(spec.exact?.command.slice(1) ?? args)], environmentStrings(spec.env));
  return (
    `its arguments and environment take ${count(total)} bytes, over the kernel's limit of ${count(argumentRoom())} ` +
    `(a quarter of the stack size limit, ulimit -s; vigil adds ${count(total - bare)} of them)`
  );
}

const count = (n: number) => n.toLocaleString('en-US');
