/** `exec:PATH`: a command of one's own, given the alert as JSON on its stdin; exit 0 means delivered. */

import { spawn } from 'node:child_process';
import type { Alert } from '../../core/alerts/alert.ts';
import type { NotifyTarget } from './target.ts';

const MAX_STDERR = 2000;

export function execTarget(path: string): NotifyTarget {
  return { label: `exec:${path}`, send: (alert, signal) => runWith(path, alert, signal) };
}

function runWith(path: string, alert: Alert, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    // Its own process group, killed whole on timeout; its output is not the run's.
    const child = spawn(path, [], {
      stdio: ['pipe', 'ignore', 'pipe'],
      signal,
      killSignal: 'SIGKILL',
      env: { ...process.env, VIGIL_ALERT_KIND: alert.kind },
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderr.length < MAX_STDERR) stderr += chunk.toString();
    });
    child.on('error', reject);
    child.stdin.on('error', () => undefined); // a command that does not read its stdin is its business
    child.on('close', (code, killedBy) => {
      if (code === 0) resolve();
      else
        reject(
          new Error(
            `${killedBy ? `killed by ${killedBy}` : `exit code ${code}`}${stderr.trim() ? `: ${stderr.trim().split('\n').at(-1)}` : ''}`,
          ),
        );
    });
    child.stdin.end(`${JSON.stringify(alert)}\n`);
  });
}
