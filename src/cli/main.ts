#!/usr/bin/env node
/** vigil's entry point: registers commands (each lazily imported) and holds the one top-level catch. */

import { Command, CommanderError, Option } from 'commander';
import { DURATION_SYNTAX } from '../core/duration.ts';
import { printable } from '../core/text/printable.ts';
import { ExitCode, VigilError } from '../errors.ts';
import { currentDirectory } from '../platform/cwd.ts';
import { storeErrorToVigilError } from '../store/store-errors.ts';
import { exitQuietlyOnBrokenPipe, keepRunningOnBrokenPipe } from './broken-pipe.ts';
import {
  anySignalOption,
  countOption,
  durationFlag,
  envOption,
  gpuListOption,
  integerOption,
  listOption,
  positiveCountOption,
} from './option-values.ts';
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
      const run = await resolveRunInvocation(words, options, runCommand, currentDirectory().path);
      return (await import('./commands/run.ts')).runCommand(run.command, run.options);
    });

  addRunOptions(program.command('submit'))
    .description('queue a job for the daemon: vigil submit [options] -- CMD [ARGS...], or vigil submit -f vigil.yaml [JOB...]')
    .argument('[command...]', 'the command (or, with -f, the names of the jobs to submit: all when none)')
    .option('-f, --file <file>', 'submit the jobs of a vigil.yaml: those named (with the jobs they run after), or all')
    .option('--priority <n>', 'higher starts first; equal priorities in submission order (negative: --priority=-1)', integerOption, 0)
    .option('--gpus <n>', 'GPUs the job needs: it waits until that many are free, and gets them in CUDA_VISIBLE_DEVICES', countOption, 0)
    .option('--share-gpus', 'its GPUs may go to other jobs that say the same')
    .option(
      '--after <job>',
      'start only once this job (id, prefix or name) has succeeded; repeatable',
      listOption((value: string) => [value]),
    )
    .option('--env <name=value>', 'a variable for the job, part of what makes it the same job; repeatable', envOption)
    .option('--allow-duplicate', 'queue it even when the same job (command, directory, --env, name) is queued or running')
    .addOption(
      new Option(
        '--on-supervisor-loss <action>',
        "if the job's supervisor dies while it runs: watch it to its end, or stop it and queue it again",
      )
        .choices(['adopt', 'requeue'])
        .default('adopt'),
    )
    .option('--slurm', "submit it to Slurm (sbatch) instead of vigil's queue: a batch script that execs vigil run; prints the Slurm job id")
    .option(
      '--sbatch <options>',
      "with --slurm: sbatch's options, e.g. --sbatch '--time=4:00:00 --mem=16G'; repeatable",
      listOption((value: string) => value.split(/\s+/).filter((word) => word !== '')),
    )
    .passThroughOptions()
    .addHelpText('after', DURATION_HELP)
    .action(async (words: string[], options) => {
      if (options.slurm) {
        const { runOptionWords } = await import('./submit-words.ts');
        const typed = process.argv.slice(process.argv.indexOf('submit', 2) + 1);
        const submit = await import('./commands/submit-slurm.ts');
        return submit.submitToSlurm(words, runOptionWords(typed, words), options.sbatch ?? [], options.slurmSignal);
      }
      return (await import('./commands/submit.ts')).submitFromCli(words, { after: [], env: {}, ...options }, process.argv);
    });

  program
    .command('queue')
    .description('list queued and running jobs, and why each waits')
    .option('-a, --all', 'include jobs that ended')
    .option('--json', 'print JSON')
    .action(async (options) => (await import('./commands/queue.ts')).queueCommand(options));

  program
    .command('cancel')
    .description('take a queued job out of the queue (a running one is stopped with vigil stop RUN)')
    .argument('<job>', 'an id, id prefix or name')
    .action(async (job: string) => (await import('./commands/cancel.ts')).cancelCommand(job));

  const daemon = program
    .command('daemon')
    .description('start queued jobs as slots and GPUs free up (foreground unless --detach); one per VIGIL_HOME')
    .option('--detach', 'run in the background (its log: $VIGIL_HOME/daemon/daemon.log)')
    .option('--max-running <n>', 'jobs that ask for no GPU: at most this many at once', positiveCountOption, 2)
    .option('--gpus-available <ids>', 'the GPUs to hand out (e.g. 0,1) instead of asking nvidia-smi', gpuListOption)
    .option('--web <port>', 'also serve the dashboard (as vigil web) on this port; its URL goes to the daemon log', countOption)
    .option('--web-host <address>', "the dashboard's address (as vigil web --host)", '127.0.0.1')
    .action(async (options) => (await import('./commands/daemon.ts')).daemonCommand(options));
  daemon
    .command('status')
    .description("the daemon's pid, uptime and the runs it drives")
    .option('--json', 'print JSON')
    .action(async (options) => (await import('./commands/daemon.ts')).daemonStatusCommand(options));
  daemon
    .command('stop')
    .description('stop the daemon (the runs it started go on)')
    .action(async () => (await import('./commands/daemon.ts')).daemonStopCommand());
  daemon
    .command('install')
    .description('write a systemd user unit that keeps the daemon running (Restart=always, no root)')
    .option('--force', 'replace a different unit file of the same name')
    .action(async (options) => (await import('./commands/daemon.ts')).daemonInstallCommand(options));

  program
    .command('adopt')
    .description('watch an orphaned run (its supervisor died, its processes live) to its end')
    .argument('<run>')
    .option('--force', 'take the run from a supervisor that cannot act (stopped with SIGSTOP, stuck): it is SIGKILLed, the job goes on')
    .action(async (run: string, options: { force?: boolean }) => (await import('./commands/adopt.ts')).adoptCommand(run, options));

  program
    .command('doctor')
    .description(
      "check this machine, vigil's state and the job's set-up before a run: vigil doctor [--fix [--kill-strays]] [--json] [--job NAME | -- CMD]",
    )
    .argument('[command...]', "the job's command (its Python is the one checked)")
    .option('--fix', 'do what is safe (stop orphaned runs) and say what was done')
    .option(
      '--kill-strays',
      'with --fix: also end stray trainers (Python processes holding a GPU or > 10 % of RAM that no run owns): SIGTERM, then SIGKILL',
    )
    .option('--json', 'print JSON (for cron and CI)')
    .option('--job <name>', 'check the set-up of this job of vigil.yaml')
    .option('-f, --file <file>', 'the jobs file (default vigil.yaml)')
    .passThroughOptions()
    .action(async (words: string[], options) =>
      (await import('./commands/doctor.ts')).doctorCommand(words, { ...options, config: options.file }),
    );

  addRunOptions(program.command('drill'))
    .description('run the job under vigil and inject real faults; report what vigil did: vigil drill [options] -- CMD')
    .argument('[command...]', 'the command to drill (or --job NAME)')
    .option('--only <kinds>', 'only these drills, comma-separated: crash, hang, worker, corrupt-checkpoint, supervisor, fingerprint')
    .addOption(durationFlag('--budget <duration>', 'the time all drills together may take', 600_000))
    .option('--json', 'print JSON')
    .option('--job <name>', 'drill this job of vigil.yaml')
    .option('-f, --file <file>', 'the jobs file for --job (default vigil.yaml)')
    .passThroughOptions()
    .addHelpText('after', DURATION_HELP)
    .action(async (words: string[], options, drillCommand: Command) =>
      (await import('./commands/drill.ts')).drillCommand(words, options, drillCommand, process.argv),
    );

  program
    .command('ps')
    .description('list runs')
    .option('-a, --all', 'include ended runs')
    .option('--json', 'print JSON')
    .action(async (options) => (await import('./commands/ps.ts')).psCommand(options));

  program
    .command('show')
    .description('show one run (RUN: an id, an id prefix, a name or "last") or a group (its id: every node, the root cause)')
    .argument('<run>')
    .option('--json', 'print JSON')
    .action(async (run: string, options) => (await import('./commands/show.ts')).showCommand(run, options));

  program
    .command('history')
    .description('failures seen before: each signature, how often, when, and what made it go away')
    .option('--job <name>', 'only the runs of this name')
    .option('--json', 'print JSON')
    .action(async (options) => (await import('./commands/history.ts')).historyCommand(options));

  program
    .command('report')
    .description(
      'write one self-contained file about a run (cause, timeline, chart, environment, log tails; secrets redacted) to attach to an issue',
    )
    .argument('<run>', 'an id, id prefix, name or "last"')
    .option('-o, --output <file>', 'where to write it (default vigil-report-ID.html in this directory; - for standard output)')
    .addOption(new Option('--format <format>', 'html or md (default: from the file name, else html)').choices(['html', 'md']))
    .action(async (run: string, options) => (await import('./commands/report.ts')).reportCommand(run, options));

  program
    .command('restart')
    .description(
      'end the current attempt of a running run and start the next at once (from its newest checkpoint), whatever its restart policy',
    )
    .argument('<run>', 'an id, id prefix, name or "last"')
    .action(async (run: string) => (await import('./commands/restart.ts')).restartCommand(run));

  program
    .command('web')
    .description('the dashboard: every run, its curve, cause and log, live in a browser (127.0.0.1 unless --host)')
    .option('--port <n>', 'the port (0: any free one)', countOption, 8470)
    .option(
      '--host <address>',
      'the address to bind: another than loopback exposes it to the network (the token is then needed for every read)',
      '127.0.0.1',
    )
    .option('--open', 'open the page in a browser (xdg-open)')
    .action(async (options) => (await import('./commands/web.ts')).webCommand(options));

  program
    .command('notify')
    .description('alerts: vigil notify test [TARGET...]')
    .command('test')
    .description('send a test alert to each TARGET, or to the notify: targets of vigil.yaml')
    .argument('[target...]', 'a webhook URL, ntfy:URL, exec:PATH, mailto:ADDRESS or desktop')
    .option('-c, --config <file>', 'read notify: from this YAML file (default: vigil.yaml if present)')
    .action(async (targets: string[], options) => (await import('./commands/notify.ts')).notifyTestCommand(targets, options));

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
    .description('stop a run, or every run of a group: its signal, then SIGKILL to every process it left after the timeout')
    .argument('<run>')
    .addOption(durationFlag('--timeout <duration>', "grace period before SIGKILL (default: the run's --stop-timeout)"))
    .option('--force', 'SIGKILL the whole run at once, going around its supervisor (for a stuck or stopped vigil)')
    .addHelpText('after', DURATION_HELP)
    .action(async (run: string, options) => (await import('./commands/stop.ts')).stopCommand(run, options));

  program
    .command('pause')
    .description('pause a run: freeze every process of it (SIGSTOP without a cgroup); its watchdog waits too')
    .argument('<run>')
    .action(async (run: string) => (await import('./commands/pause.ts')).pauseCommand(run));

  program
    .command('resume')
    .description('continue a run paused with vigil pause')
    .argument('<run>')
    .action(async (run: string) => (await import('./commands/pause.ts')).resumeCommand(run));

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
    process.setSourceMapsEnabled(true); // the trace in src/ terms, not the bundle's (dist/cli/*.js.map)
    process.stderr.write(`vigil: internal error (a bug: please report it with this trace)\n${(error as Error).stack ?? String(error)}\n`);
    return ExitCode.internal;
  }
}

exitQuietlyOnBrokenPipe();
process.exitCode = await main(process.argv);
