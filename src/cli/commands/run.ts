import { resolve } from 'node:path';
import { existsSync, writeFileSync } from 'node:fs';
import { causeExitCode } from '../../core/kubernetes/cause-exit-code.ts';
import { type RunEnd, terminationLogPath, terminationMessage } from '../../core/kubernetes/termination-message.ts';
import { formatDuration } from '../../core/duration.ts';
import { printable } from '../../core/text/printable.ts';
import { formatPeakMemory } from '../format.ts';
import type { AdaptiveRule, RestartPolicy } from '../../core/restart/policy.ts';
import type { OnRule } from '../../core/run-options/restart-values.ts';
import type { OnFingerprintChange } from '../../core/fingerprint.ts';
import type { RetentionPolicy } from '../../core/retention.ts';
import { DEFAULT_STALL_CONFIG } from '../../core/watchdog/stall-clock.ts';
import { superviseRun } from '../../supervisor/supervise.ts';
import type { GroupMember } from '../../store/runs.ts';
import { groupMembership } from '../../core/group/identity.ts';
import { nodeAddresses } from '../../platform/node-addresses.ts';
import { hostname } from 'node:os';
import { alertSettings } from '../alert-settings.ts';
import { err } from '../colours.ts';
import { openContext } from '../context.ts';
import { ExitCode, VigilError } from '../../errors.ts';
import { currentDirectory } from '../../platform/cwd.ts';
import { allUtf8, exactTrailingWords } from '../../platform/raw-argv.ts';
import { renderDiagnosis } from '../render-diagnosis.ts';
import { renderAttemptSeenBefore, renderRunSeenBefore } from '../seen-before.ts';
import { StatusLine } from '../status-line.ts';

type RunOptions = {
  name?: string;
  /** The queued job this run is for (set by the daemon). */
  job?: string;
  stopTimeout: number;
  saveGrace: number;
  logWarnSize: number;
  cgroup: boolean;
  quiet?: boolean;
  startupTimeout: number;
  progressTimeout: number | 'auto';
  exitGrace: number;
  onHang: 'kill' | 'wait';
  onNan: 'stop' | 'warn';
  stageTimeout: number;
  pythonHooks: boolean;
  dumpSignal: string;
  slurmSignal: string;
  requeue?: boolean;
  onHangup: 'ignore' | 'stop';
  exitCodes: 'job' | 'cause';
  terminationLog?: string;
  group?: string;
  database?: string;
  restart: RestartPolicy['mode'];
  maxRestarts: number;
  restartWindow: number;
  backoff: RestartPolicy['backoff'];
  minUptime: number;
  retryOn: string[];
  /** `--param NAME=VALUE` (whole numbers: `resolveRunInvocation` checks that an `--on` rule's names are). */
  param: Record<string, string>;
  on: OnRule[];
  checkpoints: string[];
  checkpointGlob?: string;
  settle: number;
  fingerprint: string[];
  onFingerprintChange: OnFingerprintChange;
  keepLast?: number;
  keepBest?: number;
  keepEvery?: number;
  bestMetric?: string;
  bestMode: 'min' | 'max';
  notify?: string[];
  notifyFinished?: boolean;
  heartbeat?: string;
  heartbeatEvery: number;
};

export async function runCommand(command: string[], options: RunOptions): Promise<void> {
  if (command.length === 0) throw new VigilError('no command given: vigil run [options] -- CMD [ARGS...]', ExitCode.usage);
  // The exact bytes: Node's own view of argv and the cwd replaces what is not UTF-8 with U+FFFD.
  const cwd = currentDirectory();
  const words = exactTrailingWords(command);
  const exact = allUtf8([...words, cwd.bytes]) ? undefined : { command: words, cwd: cwd.bytes };
  const context = openContext({ write: true, verify: true }); // verify: never start a job the store cannot record
  // A live status line only on a terminal, and only when the job's output is echoed there.
  const status = !options.quiet && process.stdout.isTTY ? new StatusLine(process.stdout) : null;
  const say = (line: string) => {
    status?.clear();
    process.stderr.write(`${err.dim('vigil:')} ${line}\n`);
  };
  const saidSeen = new Set<number>(); // failed attempts whose `seen` line was said before their restart
  const outcome = await superviseRun(
    {
      command,
      cwd: cwd.path,
      ...(exact ? { exact } : {}),
      env: process.env,
      name: options.name ?? null,
      jobId: options.job ?? null,
      group: groupMemberOf(options.group ?? null, command),
      ...(options.database ? { sharedStore: options.database } : {}),
      home: context.home,
      stopTimeoutMs: options.stopTimeout,
      saveGraceMs: options.saveGrace,
      logWarnBytes: options.logWarnSize,
      // VIGIL_CGROUP=0 forces the environment-tag fallback, as --no-cgroup does.
      useCgroup: options.cgroup && process.env.VIGIL_CGROUP !== '0',
      echo: !options.quiet,
      watchdog: {
        stall: {
          ...DEFAULT_STALL_CONFIG,
          startupTimeoutMs: options.startupTimeout,
          progressTimeoutMs: options.progressTimeout === 'auto' ? null : options.progressTimeout,
          exitGraceMs: options.exitGrace,
        },
        onHang: options.onHang,
        onNan: options.onNan,
        stageTimeoutMs: options.stageTimeout,
      },
      pythonHooks: options.pythonHooks,
      dumpSignal: options.dumpSignal,
      onHangup: options.onHangup,
      slurm: { signal: options.slurmSignal as NodeJS.Signals, requeue: options.requeue ?? null },
      restart: {
        mode: options.restart,
        maxRestarts: options.maxRestarts,
        windowMs: options.restartWindow,
        backoff: options.backoff,
        minUptimeMs: options.minUptime,
        retryOn: options.retryOn,
        adaptive: options.on.map(adaptiveRule),
      },
      checkpoints: {
        dirs: options.checkpoints.map((dir) => resolve(cwd.path, dir)),
        glob: options.checkpointGlob ?? null,
        settleMs: options.settle,
        fingerprints: options.fingerprint,
        onFingerprintChange: options.onFingerprintChange,
        retention: retentionPolicy(options),
        bestMetric: options.bestMetric ?? null,
      },
      alerts: alertSettings(options),
      params: Object.fromEntries(Object.entries(options.param).map(([name, value]) => [name, /^\d+$/.test(value) ? Number(value) : value])),
    },
    context.store,
    context.runsDir,
    {
      onStart: (runId) => say(`run ${runId}${options.name ? ` (${printable(options.name)})` : ''} started`),
      // Warnings quote the job (metric names, frames, module names): printable.
      onRestart: (line) => say(printable(line)),
      onFailedBeforeRestart: (runId, n) => {
        const line = renderAttemptSeenBefore(context.store, runId, n, err);
        if (line === '') return;
        status?.clear();
        process.stderr.write(line);
        saidSeen.add(n);
      },
      onWarning: (message) => say(err.yellow(`warning: ${printable(message)}`)),
      ...(status ? { beforeEcho: status.clear, onWatchdog: (watchdog, sink) => status.start(watchdog, sink) } : {}),
    },
  );
  status?.stop();
  if (outcome.launchError) {
    say(err.red(printable(outcome.launchError.message)));
    process.exitCode = outcome.exitCode;
    return;
  }
  const how = outcome.exit.signal !== null ? `killed by ${outcome.exit.signal}` : `exit code ${outcome.exit.code}`;
  const paint = { succeeded: err.green, failed: err.red, stopped: err.yellow }[outcome.status as string] ?? err.white;
  // The same duration `vigil show` gives (runDurationMs: first attempt's start to last attempt's
  // end), from the outcome itself: the database may be the thing that is failing.
  const durationMs = outcome.durationMs;
  say(
    `${paint(outcome.status)}${outcome.stopReason ? ` (${outcome.stopReason})` : ''} after ${formatDuration(durationMs)}, ${how}${outcome.peakRssBytes > 0 ? `, peak memory ${formatPeakMemory(outcome.peakRssBytes, outcome.peakMemoryMeasure)}` : ''}`,
  );
  if (outcome.flags.length > 0) say(err.yellow(`flags: ${outcome.flags.join(', ')}${flagHint(outcome.flags)}`));
  if (outcome.diagnosis) process.stderr.write(renderDiagnosis(outcome.diagnosis, err));
  if (outcome.diagnosis && outcome.recorded === 'database')
    process.stderr.write(renderRunSeenBefore(context.store, outcome.runId, err, saidSeen));
  say(`logs: ${outcome.logPath}`);
  if (outcome.survivors.length > 0) {
    say(err.red(`processes ${outcome.survivors.join(', ')} could not be killed (uninterruptible sleep?)`));
  }
  process.exitCode = options.exitCodes === 'cause' ? causeExitCode(outcome.status, outcome.diagnosis) : outcome.exitCode;
  writeTerminationLog(
    options.terminationLog,
    { runId: outcome.runId, status: outcome.status, jobExit: how, diagnosis: outcome.diagnosis },
    say,
  );
}

/** The run's end where a scheduler shows it (`kubectl describe pod`); one that cannot be written is a warning. */
function writeTerminationLog(given: string | undefined, end: RunEnd, say: (line: string) => void): void {
  const path = terminationLogPath(given, process.env, existsSync);
  if (path === null) return;
  try {
    writeFileSync(path, terminationMessage(end));
  } catch (error) {
    say(
      `warning: could not write the termination message to ${printable(path)}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
    );
  }
}

function flagHint(flags: string[]): string {
  if (flags.includes('no_progress')) return ' (exited 0 without any progress: did it train at all?)';
  if (flags.includes('incomplete')) return ' (exited 0 far short of the known total)';
  if (flags.includes('empty_stage')) return ' (a pipeline stage received none of the items before it)';
  return '';
}

/** `--on cuda_oom:halve=BATCH,double=ACCUM` as the restart policy takes it. */
function adaptiveRule(rule: OnRule): AdaptiveRule {
  return { category: rule.category, halve: [rule.halve], double: rule.double === null ? [] : [rule.double] };
}

/** `--keep-last/--keep-best/--keep-every`, or null when none is given (everything is kept). */
function retentionPolicy(options: RunOptions): RetentionPolicy | null {
  const { keepLast, keepBest, keepEvery, bestMode } = options;
  if (keepLast === undefined && keepBest === undefined && keepEvery === undefined) return null;
  return {
    bestMode,
    ...(keepLast !== undefined ? { keepLast } : {}),
    ...(keepBest !== undefined ? { keepBest } : {}),
    ...(keepEvery !== undefined ? { keepEvery } : {}),
  };
}

/** The group this run is one node of (`--group`, else the engine's job: src/core/group/identity.ts). */
function groupMemberOf(option: string | null, command: string[]): GroupMember | null {
  const membership = groupMembership({ option, env: process.env, command, hostname: hostname() });
  return membership === null ? null : { ...membership, addresses: nodeAddresses() };
}
