/** `--notify`, `--heartbeat`, `--heartbeat-every` and `--notify-finished` (or vigil.yaml's), as the supervisor's alerter takes them. */

import { ExitCode, VigilError } from '../errors.ts';
import { parseTarget, type NotifyTarget } from '../platform/notify/target.ts';
import type { AlertSettings } from '../supervisor/alerter.ts';

export function alertSettings(options: {
  notify?: string[];
  notifyFinished?: boolean;
  heartbeat?: string;
  heartbeatEvery?: number;
}): AlertSettings {
  return {
    targets: notifyTargets(options.notify ?? []),
    heartbeat: options.heartbeat ?? null,
    heartbeatIntervalMs: options.heartbeatEvery ?? 60_000,
    notifyFinished: options.notifyFinished === true,
  };
}

/** The targets the specs name; one that does not is a usage error (already checked by the option parsers: a safeguard). */
export function notifyTargets(specs: readonly string[]): NotifyTarget[] {
  return specs.map((spec) => {
    const parsed = parseTarget(spec);
    if ('error' in parsed) throw new VigilError(parsed.error, ExitCode.usage);
    return parsed.value;
  });
}
