/** `desktop`: notify-send, when there is a desktop session bus to send to (none over SSH or in a container). */

import { spawn } from 'node:child_process';
import { type Alert, alertBody, alertHeadline } from '../../core/alerts/alert.ts';
import { PermanentSendError } from './send-error.ts';
import type { NotifyTarget } from './target.ts';

const URGENCY: Record<Alert['level'], string> = { error: 'critical', warn: 'normal', info: 'low' };

export function desktopTarget(): NotifyTarget {
  return { label: 'desktop', send: (alert, signal) => notifySend(alert, signal) };
}

function notifySend(alert: Alert, signal: AbortSignal): Promise<void> {
  if (!process.env.DBUS_SESSION_BUS_ADDRESS)
    return Promise.reject(new PermanentSendError('no desktop session bus (DBUS_SESSION_BUS_ADDRESS is unset): desktop alerts are skipped'));
  return new Promise((resolve, reject) => {
    const child = spawn('notify-send', ['--app-name=vigil', `--urgency=${URGENCY[alert.level]}`, alertHeadline(alert), alertBody(alert)], {
      stdio: 'ignore',
      signal,
    });
    child.on('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'ENOENT'
          ? new PermanentSendError('notify-send is not installed (apt-get install libnotify-bin): desktop alerts are skipped')
          : error,
      ),
    );
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`notify-send exited with code ${code}`))));
  });
}
