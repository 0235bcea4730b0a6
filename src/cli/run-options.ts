/**
 * The options of `vigil run`, shared by `vigil submit` (a queued job takes every run option) and
 * read from vigil.yaml under the same names.
 */

import { type Command, Option } from 'commander';
import { checkTargetSpec, parseHeartbeatUrl } from '../core/alerts/target-spec.ts';
import { parseGroupId } from '../core/group/identity.ts';
import { parseBackoffRange, parseCategoryList } from '../core/run-options/restart-values.ts';
import {
  durationFlag,
  listOption,
  onRuleOption,
  optionalTimeoutOption,
  paramOption,
  parsedOption,
  positiveCountOption,
  countOption,
  signalOption,
  sizeOption,
  timeoutOption,
} from './option-values.ts';

export function addRunOptions(command: Command): Command {
  return command
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
      durationFlag(
        '--exit-grace <duration|off>',
        "after the job's main thread raised an uncaught exception, stall when it neither exits nor prints this long (0 or off: never)",
        60_000,
        optionalTimeoutOption,
      ),
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
    .addOption(
      new Option(
        '--exit-codes <meaning>',
        "vigil's exit code: the job's own, or the cause's (0, 75 a retry may help, 76 fix first, 143 stopped: for Kubernetes' podFailurePolicy)",
      )
        .choices(['job', 'cause'])
        .default('job'),
    )
    .option(
      '--termination-log <path>',
      "write the run's end and cause here (default in a Kubernetes pod: /dev/termination-log; '' for none)",
    )
    .option(
      '--group <id>',
      'this run is one node of a job over several machines (default: the Slurm job, Indexed Job or torchrun --rdzv-id)',
      parsedOption(parseGroupId),
    )
    .option('--database <url>', 'record the run in this shared store too (postgresql://…; default: VIGIL_DATABASE_URL)')
    .option(
      '--slurm-signal <signal>',
      'under Slurm: the notice (sbatch --signal=B:SIG@N) on which the job is asked to save and exit, as vigil stop asks',
      signalOption,
      'SIGUSR1',
    )
    .option('--requeue', 'under Slurm: after that save, requeue the job (scontrol requeue); default: when Slurm says it may be requeued')
    .option('--no-requeue', 'under Slurm: never requeue the job after the save')
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
    .option(
      '--notify <target>',
      'alert on failure, stall, NaN loss, restarts, disk: a webhook URL, ntfy:URL, exec:PATH or desktop; repeatable',
      listOption((value: string) => [parsedOption(checkTargetSpec)(value)]),
    )
    .option('--notify-finished', 'alert also when the run ends without trouble')
    .option(
      '--heartbeat <url>',
      'ping this URL while the job makes progress, URL/fail when it fails (healthchecks.io)',
      parsedOption(parseHeartbeatUrl),
    )
    .addOption(durationFlag('--heartbeat-every <duration>', 'how often --heartbeat pings', 60_000));
}
