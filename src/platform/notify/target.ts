/**
 * Where alerts go: one interface, one file per kind of target. `parseTarget` turns a `--notify`
 * spelling into a target (the syntax is core/alerts/target-spec.ts). A target's `send` resolves
 * once the alert was accepted and rejects with why not; the caller (supervisor/alerter.ts)
 * retries, times out and reports; a `PermanentSendError` is not worth a retry.
 */

import { parseTargetSpec, type TargetSpec } from '../../core/alerts/target-spec.ts';
import type { Alert } from '../../core/alerts/alert.ts';
import { desktopTarget } from './desktop.ts';
import { emailTarget } from './email.ts';
import { execTarget } from './exec.ts';
import { ntfyTarget } from './ntfy.ts';
import { webhookTarget } from './webhook.ts';

export { PermanentSendError } from './send-error.ts';

export type NotifyTarget = {
  /** How messages name it: the URL without its secret path, "exec:/path", "desktop". */
  label: string;
  send(alert: Alert, signal: AbortSignal): Promise<void>;
};

export function parseTarget(spec: string): { value: NotifyTarget } | { error: string } {
  const parsed = parseTargetSpec(spec);
  return 'error' in parsed ? parsed : { value: targetFor(parsed.value) };
}

export function targetFor(spec: TargetSpec): NotifyTarget {
  switch (spec.kind) {
    case 'webhook':
      return webhookTarget(spec.url, spec.shape);
    case 'ntfy':
      return ntfyTarget(spec.url);
    case 'exec':
      return execTarget(spec.path);
    case 'desktop':
      return desktopTarget();
    case 'email':
      return emailTarget(spec.to, process.env);
  }
}
