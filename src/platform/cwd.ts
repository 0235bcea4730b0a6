/**
 * The working directory as the kernel holds it. process.cwd() decodes the path as UTF-8 (a
 * byte such as 0xE9 becomes U+FFFD, naming a directory that does not exist) and throws a bare
 * ENOENT once the directory is deleted; /proc/self/cwd gives the exact bytes in both cases.
 */

import { readlinkSync } from 'node:fs';
import { ExitCode, VigilError } from '../errors.ts';

export type WorkingDirectory = {
  /** For people and the store: lossy where the bytes are not UTF-8. */
  path: string;
  /** The exact bytes, to start the job in this very directory. */
  bytes: Buffer;
};

const DELETED = Buffer.from(' (deleted)');

export function currentDirectory(): WorkingDirectory {
  let bytes: Buffer;
  try {
    bytes = readlinkSync('/proc/self/cwd', { encoding: 'buffer' });
  } catch (error) {
    throw new VigilError('cannot read the current directory (/proc/self/cwd)', ExitCode.notExecutable, { cause: error });
  }
  let path: string;
  try {
    path = process.cwd();
  } catch (error) {
    // The link then reads "PATH (deleted)" (a directory may also really be named so: hence the ENOENT first).
    const named = bytes.subarray(bytes.length - DELETED.length).equals(DELETED) ? bytes.subarray(0, -DELETED.length) : bytes;
    throw new VigilError(
      `the current directory no longer exists (${named.toString()} was deleted): cd to one that exists`,
      ExitCode.notExecutable,
      { cause: error },
    );
  }
  return { path, bytes };
}
