/**
 * `vigil doctor [--fix] [--json] [--job NAME | -- CMD]`: vigil's own state, orphaned runs, disk,
 * memory, limits, GPUs, the job's Python, the distributed set-up and vigil.yaml, checked side by
 * side (src/doctor), judged in src/core/doctor. `--fix` does only what is safe (stopping
 * orphaned runs, as `vigil stop` would) and says what it did; the rest prints the command to run.
 */

import { existsSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { check, type CheckResult, doctorFailed } from '../../core/doctor/check.ts';
import { judgeDistributed } from '../../core/doctor/distributed.ts';
import { judgeGpus } from '../../core/doctor/gpu-health.ts';
import { judgePython } from '../../core/doctor/python.ts';
import { judgeMemory, judgeOpenFiles, judgeSpace } from '../../core/doctor/resources.ts';
import { ExitCode, VigilError } from '../../errors.ts';
import { probeDistributed, probeGpus, probeMemory, probeOpenFiles, probePython, probeSpace } from '../../doctor/probes.ts';
import { type Check, runChecks } from '../../doctor/run-checks.ts';
import { currentDirectory } from '../../platform/cwd.ts';
import { vigilHome } from '../../store/paths.ts';
import { observeRun } from '../../supervisor/reconcile.ts';
import { out } from '../colours.ts';
import { loadJobsConfig, selectJobs } from '../config/load-jobs.ts';
import { openContext } from '../context.ts';
import { stopUnsupervised } from './stop.ts';

export type DoctorOptions = { fix?: boolean; json?: boolean; job?: string; config?: string };

/** Per check: a hung nvidia-smi or interpreter is a finding, not a stuck doctor. */
const CHECK_TIMEOUT_MS = 2_500;
/** Importing torch alone takes 2–4 s on a small machine. */
const PYTHON_TIMEOUT_MS = 20_000;
const FIX_TIMEOUT_MS = 120_000;
const CONFIG_FILE = 'vigil.yaml';

type Job = { command: string[]; cwd: string; env: NodeJS.ProcessEnv };

export async function doctorCommand(words: string[], options: DoctorOptions): Promise<void> {
  const cwd = currentDirectory().path;
  const job = jobOf(words, options, cwd);
  let gpusPresent: boolean | null = null;
  const checks: Check[] = [
    { id: 'vigil-home', run: () => checkHome() },
    // Stopping an orphan gives it its --stop-timeout first, as vigil stop would.
    { id: 'orphans', run: () => checkOrphans(options.fix === true), ...(options.fix ? { timeoutMs: FIX_TIMEOUT_MS } : {}) },
    { id: 'disk', run: () => [judgeSpace(probeSpace(existingParent(job.cwd), null)), ...homeSpace(job.cwd)] },
    { id: 'memory', run: () => judgeMemory(probeMemory()) },
    { id: 'open-files', run: () => [judgeOpenFiles(probeOpenFiles())] },
    {
      id: 'gpus',
      run: async () => {
        const gpus = await probeGpus(job.env);
        gpusPresent = gpus === null ? null : gpus.length > 0;
        return gpus === null ? [check('gpus', 'skip', 'no nvidia-smi on PATH: no NVIDIA GPU to check')] : judgeGpus(gpus);
      },
    },
    {
      id: 'python',
      run: async () => {
        const interpreter = interpreterOf(job.command);
        return [judgePython(interpreter, await probePython(interpreter, job.env), gpusPresent)];
      },
      timeoutMs: PYTHON_TIMEOUT_MS,
    },
    { id: 'distributed', run: async () => judgeDistributed(await probeDistributed(job.env)) },
    { id: 'config', run: () => [checkConfig(options.config ?? CONFIG_FILE, cwd)] },
  ];
  const results = await runChecks(checks, CHECK_TIMEOUT_MS);
  if (options.json) process.stdout.write(`${JSON.stringify({ ok: !doctorFailed(results), checks: results }, null, 2)}\n`);
  else printResults(results);
  if (doctorFailed(results)) process.exitCode = ExitCode.failure;
}

/** The job the checks are about: a vigil.yaml job by name, a command, or the `python3` here. */
function jobOf(words: string[], options: DoctorOptions, cwd: string): Job {
  if (options.job !== undefined) {
    const config = loadJobsConfig(options.config ?? CONFIG_FILE, cwd);
    const [job] = selectJobs(config.jobs, [options.job]);
    if (!job) throw new VigilError(`no job named ${options.job} in ${config.source}`, ExitCode.usage);
    return { command: job.command, cwd: job.cwd, env: { ...process.env, ...job.env } };
  }
  return { command: words, cwd, env: process.env };
}

/** The command's interpreter when it is a Python (`python3 train.py`, `/venv/bin/python -m x`), else `python3`. */
function interpreterOf(command: string[]): string {
  const first = command[0];
  return first !== undefined && /^python[\d.]*$/.test(basename(first)) ? first : 'python3';
}

function checkHome(): CheckResult[] {
  const home = vigilHome();
  try {
    const { store } = openContext({ write: true, verify: true });
    return [
      check(
        'vigil-home',
        'ok',
        `${home}: writable, database intact (schema ${String(store.db.pragma('user_version', { simple: true }))}, ${store.listRuns().length} runs)`,
      ),
    ];
  } catch (error) {
    return [
      check('vigil-home', 'fail', (error as Error).message, 'set VIGIL_HOME to a writable directory, or move the damaged vigil.db aside'),
    ];
  }
}

/** Runs whose supervisor died while their processes live on: nobody watches them. */
async function checkOrphans(fix: boolean): Promise<CheckResult[]> {
  const context = openContext({ write: fix });
  const orphans = context.store
    .listRuns({ onlyStatus: 'running' })
    .map((run) => observeRun(context.store, run))
    .filter((run) => run.observedStatus === 'orphaned');
  if (orphans.length === 0) return [check('orphans', 'ok', 'no orphaned run (every live run has its supervisor)')];
  const results: CheckResult[] = [];
  for (const run of orphans) {
    const what = `run ${run.id}${run.name ? ` (${run.name})` : ''}: supervisor gone, ${run.livePids.length} process${run.livePids.length === 1 ? '' : 'es'} still running`;
    if (!fix) {
      results.push(
        check('orphans', 'fail', what, `vigil adopt ${run.id} to watch it, or vigil stop ${run.id} (vigil doctor --fix stops it)`),
      );
      continue;
    }
    let done = '';
    await stopUnsupervised(context, run, run.stopTimeoutMs, { kind: 'vigil-stop', force: false }, (line) => (done = line));
    results.push(check('orphans', 'ok', `${what}: ${done} (--fix)`));
  }
  return results;
}

/** VIGIL_HOME's disk too, when it is another one than the job's. */
function homeSpace(jobCwd: string): CheckResult[] {
  const home = existingParent(vigilHome());
  const jobFs = probeSpace(existingParent(jobCwd), null);
  const homeFs = probeSpace(home, null);
  return homeFs.totalBytes === jobFs.totalBytes && homeFs.freeBytes === jobFs.freeBytes ? [] : [judgeSpace(homeFs)];
}

function checkConfig(file: string, cwd: string): CheckResult {
  if (!existsSync(resolve(cwd, file))) return check('config', 'skip', `no ${file} here`);
  try {
    const config = loadJobsConfig(file, cwd);
    return check('config', 'ok', `${file}: ${config.jobs.length} job${config.jobs.length === 1 ? '' : 's'}, valid`);
  } catch (error) {
    return check('config', 'fail', (error as Error).message.replace(/^vigil: /, ''), `fix ${file}`);
  }
}

function existingParent(path: string): string {
  let at = path;
  while (!existsSync(at) && at !== '/') at = join(at, '..');
  return at;
}

const MARK = { ok: out.green('ok  '), warn: out.yellow('warn'), fail: out.red('FAIL'), skip: out.dim('skip') };

function printResults(results: readonly CheckResult[]): void {
  for (const r of results) {
    process.stdout.write(`${MARK[r.status]}  ${r.id.padEnd(12)} ${r.finding}\n`);
    if (r.fix && r.status !== 'ok') process.stdout.write(`      ${''.padEnd(12)} → ${r.fix}\n`);
  }
  const failed = results.filter((r) => r.status === 'fail').length;
  const warned = results.filter((r) => r.status === 'warn').length;
  process.stdout.write(failed + warned === 0 ? 'all checks passed\n' : `${failed} failed, ${warned} warning${warned === 1 ? '' : 's'}\n`);
}
