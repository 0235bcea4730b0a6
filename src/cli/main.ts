#!/usr/bin/env node
/** vigil's entry point: registers commands (each lazily imported) and holds the one top-level catch. */

import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { parseDuration } from '../core/duration.ts';
import { parseSize } from '../core/size.ts';
import { ExitCode, VigilError } from '../errors.ts';
import { storeErrorToVigilError } from '../store/store-errors.ts';

const durationOption = (value: string): number => {
  const ms = parseDuration(value);
  if (ms === null) throw new InvalidArgumentError('expected a duration such as 30s, 5m, 1h30m');
  return ms;
};
const sizeOption = (value: string): number => {
  const bytes = parseSize(value);
  if (bytes === null) throw new InvalidArgumentError('expected a size such as 500M or 2G');
  return bytes;
};
const timeoutOption = (value: string): number | 'auto' => (value === 'auto' ? 'auto' : durationOption(value));
const signalOption = (value: string): string => {
  const name = value.toUpperCase().replace(/^(?!SIG)/, 'SIG');
  if (!/^SIG(?:USR1|USR2|RTMIN(?:\+\d+)?|WINCH|PWR|URG)$/.test(name))
    throw new InvalidArgumentError('expected SIGUSR1, SIGUSR2, SIGWINCH, SIGPWR or SIGURG');
  return name;
};
const countOption = (value: string): number => {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError('expected a whole number');
  return Number(value);
};

function buildProgram(): Command {
  const program = new Command('vigil')
    .description('Keeps watch over long-running ML training jobs.')
    .version('0.1.0')
    .enablePositionalOptions()
    .exitOverride()
    .configureOutput({ outputError: (message, write) => write(`vigil: ${message.replace(/^error: /, '')}`) });

  program
    .command('run')
    .description('run a command under supervision: vigil run [options] -- CMD [ARGS...]')
    .argument('[command...]', 'the command to supervise')
    .option('--name <name>', 'a name for the run; at most one live run per name')
    .option('--stop-timeout <duration>', 'grace period between the stop signal and SIGKILL', durationOption, 30_000)
    .option('--log-warn-size <size>', 'warn once the log grows past this size', sizeOption, 2 * 1024 ** 3)
    .option('--no-cgroup', 'do not put the run in its own cgroup (use the environment-tag scan only)')
    .option('-q, --quiet', 'do not echo the job output (it is still logged)')
    .option(
      '--startup-timeout <duration>',
      'stall when the job prints nothing and makes no progress this long after start',
      durationOption,
      10 * 60_000,
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
    .option(
      '--stage-timeout <duration>',
      'warn when a pipeline stage stays flat this long while the one before it advances',
      durationOption,
      60_000,
    )
    .option('--no-python-hooks', 'do not instrument Python processes (faulthandler, stack dumps, exception and import events)')
    .option('--dump-signal <signal>', 'the signal Python processes dump their stacks on', signalOption, 'SIGUSR2')
    .passThroughOptions()
    .action(async (command: string[], options) => (await import('./commands/run.ts')).runCommand(command, options));

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
    .option('--timeout <duration>', "grace period before SIGKILL (default: the run's --stop-timeout)", durationOption)
    .action(async (run: string, options) => (await import('./commands/stop.ts')).stopCommand(run, options));

  program
    .command('explain')
    .description('diagnose any log: root cause, decisive lines, where, whether a retry can help')
    .argument('<file>', 'a log file, or - for standard input')
    .option('--json', 'print the diagnosis as JSON')
    .option('--exit-code <n>', 'how the process ended, as evidence', countOption)
    .option('--signal <name>', 'the signal that killed the process (e.g. SIGKILL), as evidence')
    .action(async (file: string, options) => (await import('./commands/explain.ts')).explainCommand(file, options));

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
      process.stderr.write(`vigil: ${failure.message}\n`);
      return failure.exitCode;
    }
    process.stderr.write(`vigil: internal error (a bug: please report it with this trace)\n${(error as Error).stack ?? String(error)}\n`);
    return ExitCode.internal;
  }
}

process.exitCode = await main(process.argv);
