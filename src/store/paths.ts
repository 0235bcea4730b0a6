/** Where vigil keeps its state: `$VIGIL_HOME`, else `${XDG_STATE_HOME:-~/.local/state}/vigil`. */

import { accessSync, constants, existsSync, mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { ExitCode, VigilError } from '../errors.ts';
import { PRIVATE_DIR_MODE, tightenMode } from './private-files.ts';

export type HomeLayout = {
  home: string;
  runsDir: string;
  databasePath: string;
  /** False for a home vigil may only read (a read-only mount): nothing may be written there. */
  writable: boolean;
};

/**
 * The home, as an absolute path: every path derived from it is handed to jobs (VIGIL_EVENTS,
 * VIGIL_RUN_DIR, …) and stored, and must still hold after a chdir(). A relative
 * XDG_STATE_HOME is ignored, as the XDG spec asks.
 */
export function vigilHome(env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): string {
  if (env.VIGIL_HOME) return resolve(cwd, env.VIGIL_HOME);
  const stateHome = env.XDG_STATE_HOME && isAbsolute(env.XDG_STATE_HOME) ? env.XDG_STATE_HOME : join(homedir(), '.local', 'state');
  return join(stateHome, 'vigil');
}

/**
 * Creates the home and its runs/ folder if needed, owner-only; a clear error when that is
 * impossible. With `write: false` a home that exists but cannot be written (a read-only mount)
 * is accepted as `writable: false`, for the commands that only read.
 */
export function openHome(home: string, options: { write: boolean }): HomeLayout {
  const layout = { home, runsDir: join(home, 'runs'), databasePath: join(home, 'vigil.db') };
  try {
    prepareWritableHome(layout);
    return { ...layout, writable: true };
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? String(error);
    if (!options.write && ['EROFS', 'EACCES', 'EPERM'].includes(reason) && isReadable(layout)) return { ...layout, writable: false };
    throw new VigilError(`cannot use VIGIL_HOME=${home}: ${reason} (set VIGIL_HOME to a writable directory)`, ExitCode.stateDir, {
      cause: error,
    });
  }
}

function prepareWritableHome({ home, runsDir, databasePath }: Omit<HomeLayout, 'writable'>): void {
  const hadDatabase = existsSync(databasePath);
  const created = mkdirSync(home, { recursive: true, mode: PRIVATE_DIR_MODE }) !== undefined;
  // Tighten a home that is vigil's (made here, or holding its database), never a directory
  // such as /tmp or a project that VIGIL_HOME merely points at.
  if (created || hadDatabase) tightenMode(home);
  mkdirSync(runsDir, { recursive: true, mode: PRIVATE_DIR_MODE });
  tightenMode(runsDir);
  accessSync(home, constants.W_OK | constants.X_OK);
  accessSync(runsDir, constants.W_OK | constants.X_OK);
}

function isReadable({ home, databasePath }: Omit<HomeLayout, 'writable'>): boolean {
  try {
    accessSync(home, constants.R_OK | constants.X_OK);
    accessSync(databasePath, constants.R_OK);
    return true;
  } catch {
    return false;
  }
}

export type DaemonPaths = {
  dir: string;
  socket: string;
  /** The detached daemon's own output. */
  log: string;
  /** Each job's supervisor's own output (vigil's lines; the job's output is in its run's log). */
  supervisorLog: (jobId: string) => string;
};

/** Where the daemon of a home keeps its socket and logs: `$VIGIL_HOME/daemon/`. */
export function daemonPaths(home: string): DaemonPaths {
  const dir = join(home, 'daemon');
  return {
    dir,
    socket: join(dir, 'daemon.sock'),
    log: join(dir, 'daemon.log'),
    supervisorLog: (jobId) => join(dir, 'jobs', `${jobId}.log`),
  };
}

export function createDaemonDirs(paths: DaemonPaths): void {
  mkdirSync(join(paths.dir, 'jobs'), { recursive: true, mode: PRIVATE_DIR_MODE });
  tightenMode(paths.dir);
}
