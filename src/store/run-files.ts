/**
 * The files of a run (runs/ID/attempt-N.log, .events, .times, .py/): created owner-only, and
 * never reached through a symbolic link, so a link planted in a run directory can neither
 * redirect vigil's writes nor make `vigil logs` print some other file.
 */

import { closeSync, constants, fstatSync, mkdirSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { ExitCode, VigilError } from '../errors.ts';
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from './private-files.ts';

/** The files of attempt N in a run directory: the job's output, the Python helper's events, when output was read, stacks taken at a stall, the helper's directory. */
export type AttemptFiles = { log: string; events: string; times: string; stacks: string; pyDir: string };

export function attemptFiles(runDir: string, n: number): AttemptFiles {
  const at = (suffix: string) => join(runDir, `attempt-${n}.${suffix}`);
  return { log: at('log'), events: at('events'), times: at('times'), stacks: at('stacks'), pyDir: at('py') };
}

/** Makes the directory `name` in `parent` (a run's, or an attempt's .py/), owner-only; returns its path. */
export function createRunDir(parent: string, name: string): string {
  const path = join(parent, name);
  mkdirSync(path, { mode: PRIVATE_DIR_MODE });
  return path;
}

/** Creates the file (owner-only) if it is not there yet. */
export function createRunFile(path: string): void {
  closeSync(openRunFileForAppend(path));
}

/** A descriptor that appends to the file, which is created owner-only if needed. */
export function openRunFileForAppend(path: string): number {
  return openSync(path, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_NOFOLLOW, PRIVATE_FILE_MODE);
}

/**
 * A descriptor to read the run file at `path`; a symbolic link, a missing file or anything but
 * a regular file is refused with a clear error. O_NONBLOCK: a FIFO planted there must not hang us.
 */
export function openRunFileForRead(path: string): number {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ELOOP' ? 'it is a symbolic link, not the file vigil wrote' : code === 'ENOENT' ? 'it is missing' : code;
    throw new VigilError(`cannot read ${path}: ${why}`, ExitCode.stateDir, { cause: error });
  }
  if (!fstatSync(fd).isFile()) {
    closeSync(fd);
    throw new VigilError(`cannot read ${path}: it is not a regular file`, ExitCode.stateDir);
  }
  return fd;
}

/**
 * The last `maxBytes` of a run file (opened as openRunFileForRead does: never through a link):
 * its size, where the bytes read begin, and the bytes. A log of a gigabyte costs what one of a
 * kilobyte does.
 */
export function readRunFileEnd(path: string, maxBytes: number): { size: number; start: number; bytes: Buffer } {
  const fd = openRunFileForRead(path);
  try {
    const size = fstatSync(fd).size;
    const start = Math.max(0, size - maxBytes);
    const bytes = Buffer.allocUnsafe(size - start);
    let read = 0;
    while (read < bytes.length) {
      const n = readSync(fd, bytes, read, bytes.length - read, start + read);
      if (n === 0) break;
      read += n;
    }
    return { size, start, bytes: bytes.subarray(0, read) };
  } finally {
    closeSync(fd);
  }
}
