/** Where vigil keeps its state: `$VIGIL_HOME`, else `${XDG_STATE_HOME:-~/.local/state}/vigil`. */

import { accessSync, constants, mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { ExitCode, VigilError } from '../errors.ts';

export function vigilHome(env: NodeJS.ProcessEnv = process.env): string {
  if (env.VIGIL_HOME) return env.VIGIL_HOME;
  return join(env.XDG_STATE_HOME || join(homedir(), '.local', 'state'), 'vigil');
}

/** Creates the home and its runs/ folder if needed; a clear error when that is impossible. */
export function ensureHome(home: string): { home: string; runsDir: string; databasePath: string } {
  const runsDir = join(home, 'runs');
  try {
    mkdirSync(runsDir, { recursive: true });
    accessSync(home, constants.W_OK | constants.X_OK);
    accessSync(runsDir, constants.W_OK | constants.X_OK);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new VigilError(`cannot use VIGIL_HOME=${home}: ${reason} (set VIGIL_HOME to a writable directory)`, ExitCode.stateDir, {
      cause: error,
    });
  }
  return { home, runsDir, databasePath: join(home, 'vigil.db') };
}
