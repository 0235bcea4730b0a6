/**
 * `vigil notify test [TARGET...]`: a test alert to each target given, or to those of vigil.yaml's
 * `notify:` (or `-c FILE`'s), so that a webhook or a phone is known to work before a run needs it.
 * One line per target; exit 1 when any could not be reached.
 */

import type { Alert } from '../../core/alerts/alert.ts';
import { ExitCode, VigilError } from '../../errors.ts';
import { hostname } from 'node:os';
import { currentDirectory } from '../../platform/cwd.ts';
import { describeSendError } from '../../platform/notify/send-error.ts';
import { notifyTargets } from '../alert-settings.ts';

const TEST_TIMEOUT_MS = 10_000;

export async function notifyTestCommand(specs: string[], options: { config?: string }): Promise<void> {
  const given = specs.length > 0 ? specs : await configuredTargets(options.config);
  if (given.length === 0)
    throw new VigilError(
      'no target: vigil notify test TARGET..., or notify: in vigil.yaml (a webhook URL, ntfy:URL, exec:PATH or desktop)',
      ExitCode.usage,
    );
  const targets = notifyTargets(given);
  const alert = testAlert();
  let failed = 0;
  for (const target of targets) {
    try {
      await target.send(alert, AbortSignal.timeout(TEST_TIMEOUT_MS));
      process.stdout.write(`sent a test alert to ${target.label}\n`);
    } catch (error) {
      failed += 1;
      process.stderr.write(`vigil: could not send to ${target.label}: ${describeSendError(error, TEST_TIMEOUT_MS)}\n`);
    }
  }
  if (failed > 0) process.exitCode = ExitCode.failure;
}

async function configuredTargets(config: string | undefined): Promise<string[]> {
  const { loadRunConfig } = await import('../config/load-run-config.ts');
  return loadRunConfig(currentDirectory().path, config)?.options.notify ?? [];
}

function testAlert(): Alert {
  return {
    kind: 'test',
    level: 'info',
    title: 'test alert: alerts from this machine reach you',
    run: { id: 'test', name: null },
    figures: { host: hostname() },
    command: 'vigil ps',
    at: Date.now(),
    episode: 1,
  };
}
