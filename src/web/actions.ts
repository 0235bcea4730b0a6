/**
 * The page's actions are vigil's own commands, run as the CLI runs them (`vigil stop`, `pause`,
 * `resume`, `restart`, `cancel`): one implementation of each, with its checks and its records. The answer is
 * the command's own words.
 */

import { execFile } from 'node:child_process';

export type Action = 'stop' | 'pause' | 'resume' | 'restart' | 'cancel';

/** How long an action may take: a stop waits for the job's grace period and the supervisor's record. */
const ACTION_TIMEOUT_MS = 10 * 60_000;
const MAX_OUTPUT = 64 * 1024;

export type ActionResult = { ok: boolean; message: string };

/** `vigil`: node, its flags and the CLI script (how this process was started). */
export function runAction(vigil: readonly string[], action: Action, id: string, options: { force?: boolean } = {}): Promise<ActionResult> {
  const [node, ...script] = vigil as [string, ...string[]];
  const args = [...script, action, ...(action === 'stop' && options.force ? ['--force'] : []), '--', id];
  return new Promise((resolve) => {
    execFile(node, args, { timeout: ACTION_TIMEOUT_MS, maxBuffer: MAX_OUTPUT, encoding: 'utf8' }, (error, stdout, stderr) => {
      const said = `${stdout}${stderr}`.trim().replace(/^vigil: /gm, '');
      resolve({ ok: error === null, message: said || (error ? `vigil ${action} failed` : `${action}: done`) });
    });
  });
}
