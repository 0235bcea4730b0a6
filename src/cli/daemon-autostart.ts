/**
 * After a submit or a cancel the daemon plans again. When none is running it is started, as pm2
 * does (VIGIL_NO_AUTOSTART=1 turns that off): detached, its output to $VIGIL_HOME/daemon/daemon.log.
 */

import { askDaemon } from '../daemon/client.ts';
import { startDetachedVigil, vigilItself } from '../daemon/vigil-process.ts';
import { createDaemonDirs, daemonPaths } from '../store/paths.ts';

export async function nudgeOrStartDaemon(home: string, options: { start: boolean; daemonArgs?: string[] }): Promise<void> {
  const paths = daemonPaths(home);
  if (await askDaemon(paths.socket, { op: 'nudge' })) return;
  if (!options.start) return;
  if (process.env.VIGIL_NO_AUTOSTART === '1') {
    process.stderr.write('vigil: no daemon is running (VIGIL_NO_AUTOSTART=1): the job waits until one starts (vigil daemon --detach)\n');
    return;
  }
  const pid = startDaemonDetached(home, options.daemonArgs ?? []);
  process.stderr.write(`vigil: started the daemon (pid ${pid}; vigil daemon status)\n`);
}

/** `vigil daemon ARGS`, detached from this process and its terminal. Returns its pid. */
export function startDaemonDetached(home: string, args: string[]): number | undefined {
  const paths = daemonPaths(home);
  createDaemonDirs(paths);
  return startDetachedVigil(vigilItself(), ['daemon', ...args], { env: { ...process.env, VIGIL_HOME: home }, logFile: paths.log }).pid;
}
