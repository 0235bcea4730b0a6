/** Finds the program to run the way a shell would, so a typo fails before any run is recorded. */

import { accessSync, constants, statSync } from 'node:fs';
import { resolve } from 'node:path';
import which from 'which';
import { ExitCode, VigilError } from '../errors.ts';

/**
 * The program's path. `command` and `cwd` may be exact bytes (a name or directory that is not
 * valid UTF-8): a path is then checked byte for byte, and returned decoded (for display only:
 * such a job is started from its bytes).
 */
export function resolveExecutable(command: string | Buffer, options: { cwd: string | Buffer; path: string | undefined }): string {
  const name = command.toString();
  if (!name.includes('/')) {
    const found = which.sync(name, { path: options.path ?? '', nothrow: true });
    if (!found) throw new VigilError(`command not found: ${name}`, ExitCode.commandNotFound);
    return found;
  }
  const path = absolutePath(command, options.cwd);
  let isFile: boolean;
  try {
    isFile = statSync(path).isFile();
  } catch {
    throw new VigilError(`command not found: ${name} (no such file)`, ExitCode.commandNotFound);
  }
  try {
    if (!isFile) throw new Error('not a file');
    accessSync(path, constants.X_OK);
  } catch {
    throw new VigilError(
      `not executable: ${name}${isFile ? ' (no execute permission: chmod +x it, or run it through its interpreter)' : ' (not a regular file)'}`,
      ExitCode.notExecutable,
    );
  }
  return path.toString();
}

function absolutePath(command: string | Buffer, cwd: string | Buffer): string | Buffer {
  if (typeof command === 'string' && typeof cwd === 'string') return resolve(cwd, command);
  const bytes = Buffer.from(command);
  return bytes[0] === 0x2f ? bytes : Buffer.concat([Buffer.from(cwd), Buffer.from('/'), bytes]);
}
