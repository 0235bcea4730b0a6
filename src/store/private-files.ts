/**
 * Owner-only permissions for what vigil keeps: logs, full command lines and the database are
 * nobody else's business, so (as ssh and gpg do) directories are 0700 and files 0600 whatever
 * the umask.
 */

import { chmodSync, closeSync, constants, openSync, statSync } from 'node:fs';

export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/**
 * Takes group and other permissions away from a path vigil owns; one already private is not
 * touched, nor one that is gone or that belongs to someone else (EPERM: not ours to change).
 */
export function tightenMode(path: string): void {
  try {
    const { mode } = statSync(path);
    if ((mode & 0o077) !== 0) chmodSync(path, mode & 0o7700);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' && code !== 'EPERM') throw error;
  }
}

/** Creates an empty owner-only file unless one is there already (which is left as it is). */
export function createPrivateFileIfMissing(path: string): void {
  try {
    closeSync(openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, PRIVATE_FILE_MODE));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
}
