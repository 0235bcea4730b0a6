/** What a short-lived program printed, trimmed; null when it is missing, fails or outlives its timeout (then it is killed). */

import { execFile } from 'node:child_process';

export function programOutput(
  file: string,
  args: readonly string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs: number },
): Promise<string | null> {
  return new Promise((resolve) => {
    execFile(
      file,
      args,
      { cwd: options.cwd, env: options.env, timeout: options.timeoutMs, killSignal: 'SIGKILL', encoding: 'utf8', maxBuffer: 1 << 20 },
      (error, stdout) => resolve(error ? null : stdout.trim()),
    );
  });
}
