/**
 * The daemon starts vigil itself: a job's supervisor (`vigil run --job`), an adopter (`vigil
 * adopt`), a stop (`vigil stop`). Supervisors and adopters are detached — their own session, so
 * neither the daemon's death nor a signal to its group reaches them — with their own output in
 * the job's supervisor log.
 */

import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';

/** The way to start vigil again from this process: node, its flags, the CLI script. */
export const vigilItself = (): string[] => [process.execPath, ...process.execArgv, process.argv[1] as string];

/** `vigil`: node, its flags and the CLI script. */
export function startDetachedVigil(
  vigil: readonly string[],
  args: readonly string[],
  options: { cwd?: string; env: NodeJS.ProcessEnv; logFile: string },
): ChildProcess {
  const [node, ...script] = vigil as [string, ...string[]];
  const log = openSync(options.logFile, 'a', 0o600);
  try {
    const child = spawn(node, [...script, ...args], {
      ...(options.cwd ? { cwd: options.cwd } : {}),
      env: options.env,
      detached: true,
      stdio: ['ignore', log, log],
    });
    child.unref();
    return child;
  } finally {
    closeSync(log); // the child has its own copy
  }
}

/** Runs a vigil command to its end; resolves to its exit code (null: it could not start, or a signal ended it). */
export function runVigil(vigil: readonly string[], args: readonly string[], env: NodeJS.ProcessEnv): Promise<number | null> {
  const [node, ...script] = vigil as [string, ...string[]];
  return new Promise((resolve) => {
    const child = spawn(node, [...script, ...args], { env, stdio: 'ignore' });
    child.on('error', () => resolve(null));
    child.on('exit', (code) => resolve(code));
  });
}
