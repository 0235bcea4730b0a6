#!/usr/bin/env node
/** vigil's entry point: registers commands (each lazily imported) and holds the one top-level catch. */

import { Command, CommanderError, Option } from 'commander';
import { DURATION_SYNTAX } from '../core/duration.ts';
import { printable } from '../core/text/printable.ts';
import { ExitCode, VigilError } from '../errors.ts';
import { currentDirectory } from '../platform/cwd.ts';
import { storeErrorToVigilError } from '../store/store-errors.ts';
import { exitQuietlyOnBrokenPipe, keepRunningOnBrokenPipe } from './broken-pipe.ts';
import { anySignalOption, countOption, durationFlag } from './option-values.ts';
import { addRunOptions } from './run-options.ts';

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

  addRunOptions(program.command('run'))
    .description('run a command under supervision: vigil run [options] -- CMD [ARGS...]')
    .argument('[command...]', 'the command to supervise')
    // Set by the daemon when it starts a queued job: the run belongs to that job.
    .addOption(new Option('--job <id>').hideHelp())
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
