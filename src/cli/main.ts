#!/usr/bin/env node
/** vigil's entry point: registers commands (each lazily imported) and holds the one top-level catch. */

import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { DURATION_SYNTAX, durationText, parseDuration } from '../core/duration.ts';
import { signalName, signalNumber } from '../core/exit-status.ts';
import { parseSize } from '../core/size.ts';
import {
  parseBackoffRange,
  parseCategoryList,
  parseDumpSignal,
  parseOnRule,
  parseParam,
  type OnRule,
  type Parsed,
} from '../core/run-options/restart-values.ts';
import { printable } from '../core/text/printable.ts';
import { ExitCode, VigilError } from '../errors.ts';
import { currentDirectory } from '../platform/cwd.ts';
import { storeErrorToVigilError } from '../store/store-errors.ts';
import { exitQuietlyOnBrokenPipe, keepRunningOnBrokenPipe } from './broken-pipe.ts';

const durationOption = (value: string): number => {
  const parsed = parseDuration(value);
  if ('error' in parsed) throw new InvalidArgumentError(parsed.error);
  return parsed.ms;
};
/** A timeout that can be switched off: `0` or `off` (never fires). */
const optionalTimeoutOption = (value: string): number => {
  if (value.trim().toLowerCase() === 'off') return Number.POSITIVE_INFINITY;
  const ms = durationOption(value);
  return ms === 0 ? Number.POSITIVE_INFINITY : ms;
};
/** A duration option whose default `--help` shows as it is typed ("30s", not 30000). */
const durationFlag = (flags: string, description: string, defaultMs?: number, parse = durationOption): Option => {
  const option = new Option(flags, description).argParser(parse);
  return defaultMs === undefined ? option : option.default(defaultMs, durationText(defaultMs));
};
const sizeOption = (value: string): number => {
  const bytes = parseSize(value);
  if (bytes === null) throw new InvalidArgumentError('expected a size such as 500M or 2G');
  return bytes;
};
const timeoutOption = (value: string): number | 'auto' => (value === 'auto' ? 'auto' : durationOption(value));
/** A parser shared with vigil.yaml, for commander. */
const parsedOption =
  <T>(parse: (value: string) => Parsed<T>) =>
  (value: string): T => {
    const parsed = parse(value);
    if ('error' in parsed) throw new InvalidArgumentError(parsed.error);
    return parsed.value;
  };
const signalOption = parsedOption(parseDumpSignal);
/**
 * Repeatable options: each use adds to what came before. No commander default (--help would show
 * "(default: [])"): resolveRunInvocation gives the empty list.
 */
const paramOption = (value: string, previous: Record<string, string> = {}): Record<string, string> => {
  const { name, value: paramValue } = parsedOption(parseParam)(value);
  if (Object.hasOwn(previous, name)) throw new InvalidArgumentError(`${name} is already set (${name}=${previous[name]})`);
  return { ...previous, [name]: paramValue };
};
const onRuleOption = (value: string, previous: OnRule[] = []): OnRule[] => {
  const rule = parsedOption(parseOnRule)(value);
  if (previous.some((other) => other.category === rule.category))
    throw new InvalidArgumentError(`a rule for ${rule.category} is already given`);
  return [...previous, rule];
};
const listOption =
  <T>(parse: (value: string) => T[]) =>
  (value: string, previous: T[] = []): T[] => [...previous, ...parse(value)];
/** Any signal name or number Linux has ("SIGKILL", "kill", "9"), as its SIG name. */
const anySignalOption = (value: string): string => {
  const number = signalNumber(value);
  const name = number === null ? null : signalName(number);
  if (name === null) throw new InvalidArgumentError('expected a signal name or number such as SIGKILL, TERM or 11');
  return name;
};
const countOption = (value: string): number => {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError('expected a whole number');
  return Number(value);
};
const positiveCountOption = (value: string): number => {
  const count = countOption(value);
  if (count < 1) throw new InvalidArgumentError('expected a whole number above 0');
  return count;
};

const DURATION_HELP = `\nDurations: ${DURATION_SYNTAX}.`;

function buildProgram(): Command {
  const program = new Command('vigil')
    .description('Keeps watch over long-running ML training jobs.')
    .version('0.1.0')
    .enablePositionalOptions()
    .exitOverride()
    .configureOutput({ outputError: (message, write) => write(`vigil: ${message.replace(/^error: /, '')}`) })
    .hook('preAction', (_program, action) => {
      if (action.name() === 'run') keepRunningOnBrokenPipe();
    });

  program
    .command('run')
    .description('run a command under supervision: vigil run [options] -- CMD [ARGS...]')
    .argument('[command...]', 'the command to supervise')
    .option('--name <name>', 'a name for the run; at most one live run per name')
    .addOption(durationFlag('--stop-timeout <duration>', 'grace period between the stop signal and SIGKILL', 30_000))
    .addOption(
      new Option('--log-warn-size <size>', 'warn once the log grows past this size').argParser(sizeOption).default(2 * 1024 ** 3, '2G'),
    )
    .option('--no-cgroup', 'do not put the run in its own cgroup (use the environment-tag scan only)')
    .option('-q, --quiet', 'do not echo the job output (it is still logged)')
    .addOption(
      durationFlag(
        '--startup-timeout <duration|off>',
        'stall when the job prints nothing and makes no progress this long after start (0 or off: never)',
        10 * 60_000,
        optionalTimeoutOption,
      ),
    )
    .option(
      '--progress-timeout <duration|auto>',
      'stall when no new step comes for this long (auto: calibrated from step intervals)',
      timeoutOption,
      'auto',
    )
    .addOption(
      new Option('--on-hang <action>', 'on a stall: kill the job (after dumping stacks) or wait').choices(['kill', 'wait']).default('kill'),
    )
    .addOption(new Option('--on-nan <action>', 'on a NaN/Inf loss: stop the job or warn').choices(['stop', 'warn']).default('warn'))
    .addOption(
      durationFlag(
        '--stage-timeout <duration>',
        'warn when a pipeline stage stays flat this long while the one before it advances',
        60_000,
      ),
    )
    .option('--no-python-hooks', 'do not instrument Python processes (faulthandler, stack dumps, exception and import events)')
    .option('--dump-signal <signal>', 'the signal Python processes dump their stacks on', signalOption, 'SIGUSR2')
    .addOption(
      new Option('--on-hangup <action>', 'on SIGHUP (terminal closed, SSH dropped): the job goes on, or is stopped')
        .choices(['ignore', 'stop'])
        .default('ignore'),
    )
    .option('-c, --config <file>', `read options from this YAML file (default: vigil.yaml if present); the command line wins`)
    .addOption(
      new Option('--restart <when>', 'start a new attempt after the job ends').choices(['no', 'on-failure', 'always']).default('no'),
    )
    .option('--max-restarts <n>', 'at most this many restarts within --restart-window', countOption, 3)
    .addOption(durationFlag('--restart-window <duration>', 'the sliding window --max-restarts counts in', 3_600_000))
    .addOption(
      new Option('--backoff <min..max>', 'delay before a restart: exponential with full jitter')
        .argParser(parsedOption(parseBackoffRange))
        .default({ minMs: 5000, maxMs: 300_000 }, '5s..5m'),
    )
    .addOption(
      durationFlag(
        '--min-uptime <duration>',
        'an attempt that ran this long resets the backoff; a shorter one counts toward a crash loop',
        120_000,
      ),
    )
    .option(
      '--retry-on <categories>',
      'restart these crash categories too, though not retryable (comma-separated, repeatable)',
      listOption(parsedOption(parseCategoryList)),
    )
    .option('--param <name=value>', 'a value the command uses as {NAME} (and VIGIL_PARAM_NAME); repeatable', paramOption)
    .option(
      '--on <category:halve=name[,double=other]>',
      'after that failure, halve NAME (and double OTHER) for the next attempt; repeatable',
      onRuleOption,
    )
    .addOption(durationFlag('--save-grace <duration>', 'on stop, how long the job may take to save and exit after being asked', 120_000))
    .option(
      '--checkpoints <dir>',
      'a directory the job writes checkpoints to; repeatable',
      listOption((value: string) => [value]),
    )
    .option('--checkpoint-glob <glob>', 'checkpoints of any layout: the step is the first integer of the name')
    .addOption(durationFlag('--settle <duration>', 'a checkpoint unchanged this long is complete', 10_000))
    .option(
      '--fingerprint <path>',
      'a file or directory the job reads (dataset, config), checked on resume; repeatable',
      listOption((value: string) => [value]),
    )
    .addOption(
      new Option(
        '--on-fingerprint-change <action>',
        'a fingerprint changed since the checkpoint: refuse to resume, start fresh, or resume anyway',
      )
        .choices(['refuse', 'fresh', 'ignore'])
        .default('refuse'),
    )
    .option('--keep-last <n>', 'keep the newest N verified checkpoints', positiveCountOption)
    .option('--keep-best <n>', 'keep the N best verified checkpoints by --best-metric', positiveCountOption)
    .option('--best-metric <name>', 'the metric --keep-best ranks by (e.g. eval_loss)')
    .addOption(new Option('--best-mode <mode>', 'whether lower or higher --best-metric is better').choices(['min', 'max']).default('min'))
    .option('--keep-every <steps>', 'keep every checkpoint whose step is a multiple of this', positiveCountOption)
    .passThroughOptions()
    .addHelpText('after', DURATION_HELP)
    .action(async (words: string[], options, runCommand: Command) => {
      const { resolveRunInvocation } = await import('./config/resolve-run-invocation.ts');
      const run = resolveRunInvocation(words, options, runCommand, currentDirectory().path);
      return (await import('./commands/run.ts')).runCommand(run.command, run.options);
    });

  program
    .command('ps')
    .description('list runs')
    .option('-a, --all', 'include ended runs')
    .option('--json', 'print JSON')
    .action(async (options) => (await import('./commands/ps.ts')).psCommand(options));

  program
    .command('show')
    .description('show one run: RUN is an id, an id prefix, a name or "last"')
    .argument('<run>')
    .option('--json', 'print JSON')
    .action(async (run: string, options) => (await import('./commands/show.ts')).showCommand(run, options));

  program
    .command('logs')
    .description("print a run's log")
    .argument('<run>')
    .option('-f, --follow', 'keep printing as the log grows, until the run ends')
    .option('--attempt <n>', 'which attempt (default: the latest)', countOption)
    .addOption(new Option('--tail <n>', 'only the last N lines').argParser(countOption))
    .action(async (run: string, options) => (await import('./commands/logs.ts')).logsCommand(run, options));

  program
    .command('stop')
    .description('stop a run: its signal, then SIGKILL to every process it left after the timeout')
    .argument('<run>')
    .addOption(durationFlag('--timeout <duration>', "grace period before SIGKILL (default: the run's --stop-timeout)"))
    .option('--force', 'SIGKILL the whole run at once, going around its supervisor (for a stuck or stopped vigil)')
    .addHelpText('after', DURATION_HELP)
    .action(async (run: string, options) => (await import('./commands/stop.ts')).stopCommand(run, options));

  program
    .command('explain')
    .description('diagnose any log: root cause, decisive lines, where, whether a retry can help')
    .argument('<file>', 'a log file, or - for standard input')
    .option('--json', 'print the diagnosis as JSON')
    .option('--exit-code <n>', 'how the process ended, as evidence', countOption)
    .option('--signal <name>', 'the signal that killed the process (e.g. SIGKILL), as evidence', anySignalOption)
    .action(async (file: string, options) => (await import('./commands/explain.ts')).explainCommand(file, options));

  program
    .command('checkpoints')
    .description('list checkpoints with step, size, age and status: RUN (its --checkpoints directories) or a DIR')
    .argument('<run|dir>')
    .option('--verify', 're-verify now: re-hash against each manifest, format-check those without one')
    .option('--glob <glob>', 'which entries are checkpoints (step: the first integer of the name)')
    .option('--json', 'print JSON')
    .action(async (target: string, options) => (await import('./commands/checkpoints.ts')).checkpointsCommand(target, options));

  return program;
}

async function main(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv);
    return process.exitCode === undefined ? 0 : Number(process.exitCode);
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : ExitCode.usage;
    // A damaged or read-only database can surface in any query of any command: said in one line too.
    const failure = error instanceof VigilError ? error : storeErrorToVigilError(error);
    if (failure) {
      // Messages may quote a run name or a path: nothing in them may drive the terminal.
      process.stderr.write(`vigil: ${printable(failure.message)}\n`);
      return failure.exitCode;
    }
    process.stderr.write(`vigil: internal error (a bug: please report it with this trace)\n${(error as Error).stack ?? String(error)}\n`);
    return ExitCode.internal;
  }
}

exitQuietlyOnBrokenPipe();
process.exitCode = await main(process.argv);
