/** Finds the program to run the way a shell would, so a typo fails before any run is recorded. */

import { accessSync, constants, statSync } from 'node:fs';
import { resolve } from 'node:path';
import which from 'which';
import { ExitCode, VigilError } from '../errors.ts';

export function resolveExecutable(command: string, options: { cwd: string; path: string | undefined }): string {
  if (!command.includes('/')) {
    const found = which.sync(command, { path: options.path ?? '', nothrow: true });
    if (!found) throw new VigilError(`command not found: ${command}`, ExitCode.commandNotFound);
    return found;
  }
  const path = resolve(options.cwd, command);
  let isFile: boolean;
  try {
    isFile = statSync(path).isFile();
  } catch {
    throw new VigilError(`command not found: ${command} (no such file)`, ExitCode.commandNotFound);
  }
  try {
    if (!isFile) throw new Error('not a file');
    accessSync(path, constants.X_OK);
  } catch {
    throw new VigilError(
      `not executable: ${command}${isFile ? ' (no execute permission: chmod +x it, or run it through its interpreter)' : ' (not a regular file)'}`,
      ExitCode.notExecutable,
    );
  }
  return path;
}
