import pc from 'picocolors';
import { formatDuration } from '../../core/duration.ts';
import { formatSize } from '../../core/size.ts';
import { superviseRun } from '../../supervisor/supervise.ts';
import { openContext } from '../context.ts';
import { ExitCode, VigilError } from '../errors.ts';
import { renderDiagnosis } from '../render-diagnosis.ts';

type RunOptions = { name?: string; stopTimeout: number; logWarnSize: number; cgroup: boolean; quiet?: boolean };

export async function runCommand(command: string[], options: RunOptions): Promise<void> {
  if (command.length === 0) throw new VigilError('no command given: vigil run [options] -- CMD [ARGS...]', ExitCode.usage);
  const context = openContext();
  const say = (line: string) => process.stderr.write(`${pc.dim('vigil:')} ${line}\n`);
  const outcome = await superviseRun(
    {
      command,
      cwd: process.cwd(),
      env: process.env,
      name: options.name ?? null,
      stopTimeoutMs: options.stopTimeout,
      logWarnBytes: options.logWarnSize,
      // VIGIL_CGROUP=0 forces the environment-tag fallback, as --no-cgroup does.
      useCgroup: options.cgroup && process.env.VIGIL_CGROUP !== '0',
      echo: !options.quiet,
    },
    context.store,
    context.runsDir,
    {
      onStart: (runId) => say(`run ${runId}${options.name ? ` (${options.name})` : ''} started`),
      onWarning: (message) => say(pc.yellow(`warning: ${message}`)),
    },
  );
  const how = outcome.exit.signal !== null ? `killed by ${outcome.exit.signal}` : `exit code ${outcome.exit.code}`;
  const paint = { succeeded: pc.green, failed: pc.red, stopped: pc.yellow }[outcome.status as string] ?? pc.white;
  say(
    `${paint(outcome.status)}${outcome.stopReason ? ` (${outcome.stopReason})` : ''} after ${formatDuration(outcome.durationMs)}, ${how}, peak memory ${formatSize(outcome.peakRssBytes)}`,
  );
  if (outcome.diagnosis) process.stderr.write(renderDiagnosis(outcome.diagnosis));
  say(`logs: ${outcome.logPath}`);
  if (outcome.survivors.length > 0) {
    say(pc.red(`processes ${outcome.survivors.join(', ')} could not be killed (uninterruptible sleep?)`));
  }
  process.exitCode = outcome.exitCode;
}
