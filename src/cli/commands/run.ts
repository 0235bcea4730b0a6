import pc from 'picocolors';
import { formatDuration } from '../../core/duration.ts';
import { formatSize } from '../../core/size.ts';
import { DEFAULT_STALL_CONFIG } from '../../core/watchdog/stall-clock.ts';
import { superviseRun } from '../../supervisor/supervise.ts';
import { openContext } from '../context.ts';
import { ExitCode, VigilError } from '../../errors.ts';
import { renderDiagnosis } from '../render-diagnosis.ts';
import { StatusLine } from '../status-line.ts';

type RunOptions = {
  name?: string;
  stopTimeout: number;
  logWarnSize: number;
  cgroup: boolean;
  quiet?: boolean;
  startupTimeout: number;
  progressTimeout: number | 'auto';
  onHang: 'kill' | 'wait';
  onNan: 'stop' | 'warn';
  stageTimeout: number;
  pythonHooks: boolean;
  dumpSignal: string;
};

export async function runCommand(command: string[], options: RunOptions): Promise<void> {
  if (command.length === 0) throw new VigilError('no command given: vigil run [options] -- CMD [ARGS...]', ExitCode.usage);
  const context = openContext({ write: true, verify: true }); // verify: never start a job the store cannot record
  // A live status line only on a terminal, and only when the job's output is echoed there.
  const status = !options.quiet && process.stdout.isTTY ? new StatusLine(process.stdout) : null;
  const say = (line: string) => {
    status?.clear();
    process.stderr.write(`${pc.dim('vigil:')} ${line}\n`);
  };
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
      watchdog: {
        stall: {
          ...DEFAULT_STALL_CONFIG,
          startupTimeoutMs: options.startupTimeout,
          progressTimeoutMs: options.progressTimeout === 'auto' ? null : options.progressTimeout,
        },
        onHang: options.onHang,
        onNan: options.onNan,
        stageTimeoutMs: options.stageTimeout,
      },
      pythonHooks: options.pythonHooks,
      dumpSignal: options.dumpSignal,
    },
    context.store,
    context.runsDir,
    {
      onStart: (runId) => say(`run ${runId}${options.name ? ` (${options.name})` : ''} started`),
      onWarning: (message) => say(pc.yellow(`warning: ${message}`)),
      ...(status ? { beforeEcho: status.clear, onWatchdog: (watchdog, sink) => status.start(watchdog, sink) } : {}),
    },
  );
  status?.stop();
  const how = outcome.exit.signal !== null ? `killed by ${outcome.exit.signal}` : `exit code ${outcome.exit.code}`;
  const paint = { succeeded: pc.green, failed: pc.red, stopped: pc.yellow }[outcome.status as string] ?? pc.white;
  say(
    `${paint(outcome.status)}${outcome.stopReason ? ` (${outcome.stopReason})` : ''} after ${formatDuration(outcome.durationMs)}, ${how}${outcome.peakRssBytes > 0 ? `, peak memory ${formatSize(outcome.peakRssBytes)}` : ''}`,
  );
  if (outcome.flags.length > 0) say(pc.yellow(`flags: ${outcome.flags.join(', ')}${flagHint(outcome.flags)}`));
  if (outcome.diagnosis) process.stderr.write(renderDiagnosis(outcome.diagnosis));
  say(`logs: ${outcome.logPath}`);
  if (outcome.survivors.length > 0) {
    say(pc.red(`processes ${outcome.survivors.join(', ')} could not be killed (uninterruptible sleep?)`));
  }
  process.exitCode = outcome.exitCode;
}

function flagHint(flags: string[]): string {
  if (flags.includes('no_progress')) return ' (exited 0 without any progress: did it train at all?)';
  if (flags.includes('incomplete')) return ' (exited 0 far short of the known total)';
  if (flags.includes('empty_stage')) return ' (a pipeline stage received none of the items before it)';
  return '';
}
