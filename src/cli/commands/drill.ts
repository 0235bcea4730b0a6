/**
 * `vigil drill [--only KIND,...] [--budget DUR] [--json] (--job NAME | [run options] -- CMD)`:
 * runs the user's own job under vigil with their options, injects real faults, and reports what
 * vigil did and how long it took, pass or fail per drill (src/drill; verdicts in core/drill).
 */

import { Command } from 'commander';
import { type DrillResult, parseKinds } from '../../core/drill/judge.ts';
import type { CheckedOptions } from '../../core/run-options/consistency.ts';
import { ExitCode, VigilError } from '../../errors.ts';
import { vigilItself } from '../../daemon/vigil-process.ts';
import { runDrills } from '../../drill/run-drills.ts';
import type { DrillPlan } from '../../drill/scenarios.ts';
import { currentDirectory } from '../../platform/cwd.ts';
import { out } from '../colours.ts';
import { loadJobsConfig, selectJobs } from '../config/load-jobs.ts';
import { resolveRunInvocation } from '../config/resolve-run-invocation.ts';
import { addRunOptions } from '../run-options.ts';
import { optionWordsWithout } from '../submit-words.ts';

export type DrillOptions = { only?: string; budget: number; json?: boolean; job?: string; file?: string; config?: string };

/** The drill's own options (and --name: each drill names its run), left out of what `vigil run` is given. */
const DRILL_ONLY: ReadonlyMap<string, boolean> = new Map([
  ['--only', true],
  ['--budget', true],
  ['--json', false],
  ['--job', true],
  ['-f', true],
  ['--file', true],
  ['--name', true],
]);

type RunOptions = CheckedOptions & { restart?: string; checkpoints?: string[]; fingerprint?: string[]; progressTimeout?: number | 'auto' };

export async function drillCommand(
  words: string[],
  options: DrillOptions & RunOptions,
  drillCommand: Command,
  argv: readonly string[],
): Promise<void> {
  const kinds = parseKinds(options.only);
  if (typeof kinds === 'string') throw new VigilError(kinds, ExitCode.usage);
  const plan = options.job !== undefined ? await jobPlan(options) : await commandPlan(words, options, drillCommand, argv);
  if (plan.command.length === 0)
    throw new VigilError('no command given: vigil drill [options] -- CMD [ARGS...], or --job NAME', ExitCode.usage);
  if (!options.json) process.stdout.write(`drilling ${kinds.join(', ')} (budget ${Math.round(options.budget / 1000)} s)\n`);
  const results = await runDrills(kinds, plan, options.budget, (r) => (options.json ? undefined : printResult(r)));
  if (options.json)
    process.stdout.write(`${JSON.stringify({ ok: !results.some((r) => r.status === 'fail'), drills: results }, null, 2)}\n`);
  else {
    const passed = results.filter((r) => r.status === 'pass').length;
    const failedCount = results.filter((r) => r.status === 'fail').length;
    process.stdout.write(`${passed} passed, ${failedCount} failed, ${results.length - passed - failedCount} skipped\n`);
  }
  if (results.some((r) => r.status === 'fail')) process.exitCode = ExitCode.failure;
}

async function commandPlan(
  words: string[],
  options: DrillOptions & RunOptions,
  command: Command,
  argv: readonly string[],
): Promise<DrillPlan> {
  const cwd = currentDirectory().path;
  const invocation = await resolveRunInvocation(words, options, command, cwd);
  const typed = argv.slice(argv.indexOf('drill', 2) + 1);
  return planOf(invocation.options as RunOptions, optionWordsWithout(typed, words, DRILL_ONLY), invocation.command, cwd, process.env);
}

/** A job of vigil.yaml: its command, directory, variables and run options, as `vigil submit -f` takes them. */
async function jobPlan(options: DrillOptions): Promise<DrillPlan> {
  const cwd = currentDirectory().path;
  const config = loadJobsConfig(options.file ?? 'vigil.yaml', cwd);
  // selectJobs names the jobs it runs after too: the one asked for is found by name.
  const job = selectJobs(config.jobs, [options.job as string]).find((j) => j.name === options.job);
  if (!job) throw new VigilError(`no job named ${options.job} in ${config.source}`, ExitCode.usage);
  const parsed = addRunOptions(new Command('run')).exitOverride().allowExcessArguments();
  parsed.parse(job.runOptions, { from: 'user' });
  return planOf(parsed.opts() as RunOptions, ['-c', config.source, ...job.runOptions], job.command, job.cwd, {
    ...process.env,
    ...job.env,
  });
}

function planOf(options: RunOptions, runWords: string[], command: string[], cwd: string, env: NodeJS.ProcessEnv): DrillPlan {
  return {
    vigil: vigilItself(),
    runWords,
    command,
    cwd,
    env,
    restarts: (options.restart ?? 'no') !== 'no',
    checkpoints: (options.checkpoints ?? []).length > 0,
    fingerprints: (options.fingerprint ?? []).length > 0,
    progressTimeoutMs: typeof options.progressTimeout === 'number' ? options.progressTimeout : null,
  };
}

const MARK = { pass: out.green('pass'), fail: out.red('FAIL'), skip: out.dim('skip') };

function printResult(r: DrillResult): void {
  process.stdout.write(`${MARK[r.status]}  ${r.kind.padEnd(19)} ${r.detail}${r.runId ? out.dim(` (run ${r.runId})`) : ''}\n`);
}
