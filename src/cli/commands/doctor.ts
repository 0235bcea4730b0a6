/**
 * `vigil doctor [--fix [--kill-strays]] [--json] [--job NAME | -- CMD]`: vigil's own state,
 * orphaned runs, stray trainers, disk, memory, limits, GPUs and the kernel's Xid reports, the
 * job's Python, its checkpoints and fingerprinted paths, the distributed set-up and vigil.yaml,
 * checked side by side (src/doctor), judged in src/core/doctor. `--fix` does only what is safe
 * (stopping orphaned runs, as `vigil stop` would) and says what it did; ending stray trainers
 * takes `--kill-strays` too; the rest prints the command to run.
 */

import { existsSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { check, type CheckResult, doctorFailed } from '../../core/doctor/check.ts';
import { judgeNewestCheckpoint } from '../../core/doctor/checkpoints.ts';
import { judgeDistributed } from '../../core/doctor/distributed.ts';
import { judgeFingerprints } from '../../core/doctor/fingerprints.ts';
import { judgeGpus } from '../../core/doctor/gpu-health.ts';
import { type JobDeclarations, jobDeclarations, NOTHING_DECLARED } from '../../core/doctor/job-declarations.ts';
import { judgeCoreDumps, judgeOpenFiles, judgeProcessLimit } from '../../core/doctor/limits.ts';
import { judgeHooks, judgePython } from '../../core/doctor/python.ts';
import { judgeMemory, judgeSpace, type SpaceFacts } from '../../core/doctor/resources.ts';
import { findStrays, judgeStrays, type RunIndex } from '../../core/doctor/strays.ts';
import { judgeXid, parseXidEvents } from '../../core/doctor/xid.ts';
import { ExitCode, VigilError } from '../../errors.ts';
import { newestCheckpointBytes, probeNewestCheckpoint } from '../../doctor/job-checkpoints.ts';
import { workersOnLastRun } from '../../doctor/previous-run.ts';
import { probeDistributed, probeGpus, probeKernelLog, probeLimits, probeMemory, probePython, probeSpace } from '../../doctor/probes.ts';
import { type Check, runChecks } from '../../doctor/run-checks.ts';
import { endStray, probePythonProcesses } from '../../doctor/strays.ts';
import { currentDirectory } from '../../platform/cwd.ts';
import type { Db } from '../../store/database.ts';
import { vigilHome } from '../../store/paths.ts';
import { observeRun } from '../../supervisor/reconcile.ts';
import { out } from '../colours.ts';
import { loadJobsConfig, selectJobs } from '../config/load-jobs.ts';
import { openContext } from '../context.ts';
import { stopUnsupervised } from './stop.ts';

export type DoctorOptions = { fix?: boolean; killStrays?: boolean; json?: boolean; job?: string; config?: string };

/**
 * Per check: a hung nvidia-smi or interpreter is a finding, not a stuck doctor. With vigil's
 * start-up (~0.5 s here) it keeps the whole doctor within 3 s.
 */
const CHECK_TIMEOUT_MS = 2_000;
/** Importing torch alone takes 2–4 s on a small machine. */
const PYTHON_TIMEOUT_MS = 20_000;
/** Re-hashing the newest checkpoint reads all of it (~1 GB/s from a local disk). */
const CHECKPOINT_TIMEOUT_MS = 60_000;
/** Reading the kernel log; the Xid check says so when it could not. */
const KERNEL_LOG_TIMEOUT_MS = 1_500;
const FIX_TIMEOUT_MS = 120_000;
const CONFIG_FILE = 'vigil.yaml';

type Job = { command: string[]; cwd: string; env: NodeJS.ProcessEnv; declares: JobDeclarations };

export async function doctorCommand(words: string[], options: DoctorOptions): Promise<void> {
  if (options.killStrays && !options.fix)
    throw new VigilError('--kill-strays only goes with --fix: vigil doctor --fix --kill-strays', ExitCode.usage);
  const cwd = currentDirectory().path;
  const job = jobOf(words, options, cwd);
  const killStrays = options.fix === true && options.killStrays === true;
  let gpusPresent: boolean | null = null;
  const checks: Check[] = [
    { id: 'vigil-home', run: () => checkHome() },
    // Stopping an orphan gives it its --stop-timeout first, as vigil stop would.
    { id: 'orphans', run: () => checkOrphans(options.fix === true), ...(options.fix ? { timeoutMs: FIX_TIMEOUT_MS } : {}) },
    { id: 'strays', run: () => checkStrays(job.env, killStrays), ...(killStrays ? { timeoutMs: FIX_TIMEOUT_MS } : {}) },
    { id: 'disk', run: () => checkSpace(job) },
    {
      id: 'memory',
      run: () => judgeMemory(probeMemory(), job.command.length > 0 ? workersOnLastRun(openContext().store, job.command, job.cwd) : null),
    },
    {
      id: 'limits',
      run: () => {
        const limits = probeLimits();
        return [judgeOpenFiles(limits.openFiles), judgeProcessLimit(limits), judgeCoreDumps(limits)];
      },
    },
    {
      id: 'gpus',
      run: async () => {
        const gpus = await probeGpus(job.env);
        gpusPresent = gpus === null ? null : gpus.length > 0;
        return gpus === null ? [check('gpus', 'skip', 'no nvidia-smi on PATH: no NVIDIA GPU to check')] : judgeGpus(gpus);
      },
      hung: {
        what: 'nvidia-smi',
        fix: 'a wedged driver or GPU (or one slow without persistence mode): look for Xid errors (dmesg | grep Xid), then nvidia-smi -r or reboot',
      },
    },
    { id: 'xid', run: () => checkXid(job.env) },
    {
      id: 'python',
      run: async () => {
        const interpreter = interpreterOf(job.command);
        const facts = await probePython(interpreter, job.env);
        return [judgePython(interpreter, facts, gpusPresent), judgeHooks(interpreter, facts)];
      },
      timeoutMs: PYTHON_TIMEOUT_MS,
    },
    { id: 'checkpoints', run: () => checkCheckpoints(job.declares), timeoutMs: CHECKPOINT_TIMEOUT_MS },
    {
      id: 'fingerprints',
      run: () => judgeFingerprints(job.declares.fingerprints.map((path) => ({ path, exists: existsSync(path) }))),
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
    // selectJobs names the jobs it runs after too: the one asked for is found by name.
    const job = selectJobs(config.jobs, [options.job]).find((j) => j.name === options.job);
    if (!job) throw new VigilError(`no job named ${options.job} in ${config.source}`, ExitCode.usage);
    return { command: job.command, cwd: job.cwd, env: { ...process.env, ...job.env }, declares: jobDeclarations(job.runOptions) };
  }
  return { command: words, cwd, env: process.env, declares: NOTHING_DECLARED };
}

/** The command's interpreter when it is a Python (`python3 train.py`, `/venv/bin/python -m x`), else `python3`. */
function interpreterOf(command: string[]): string {
  const first = command[0];
  return first !== undefined && /^python[\d.]*$/.test(basename(first)) ? first : 'python3';
}

/**
 * VIGIL_HOME writable, the database intact; runs recorded `running` whose supervisor and
 * processes are both gone (a crash, a reboot) are settled as `unknown` by observing them, as any
 * vigil command would, and counted: they held their names.
 */
function checkHome(): CheckResult[] {
  const home = vigilHome();
  try {
    const { store } = openContext({ write: true, verify: true });
    if (writeLockIsHeld(store.db))
      return [
        check(
          'vigil-home',
          'warn',
          `${home}: another process holds vigil.db's write lock: vigil's writes wait for it (runs hold theirs and retry)`,
          `find it: fuser ${home}/vigil.db; a long transaction in a script or a stuck sqlite3 shell is the usual cause`,
        ),
      ];
    const settled = store
      .listRuns({ onlyStatus: 'running' })
      .map((run) => observeRun(store, run))
      .filter((run) => run.observedStatus !== 'running' && run.observedStatus !== 'orphaned');
    const stale =
      settled.length === 0
        ? ''
        : `; ${settled.length} stale run${settled.length === 1 ? '' : 's'} (recorded running, supervisor and processes gone) settled as ${[...new Set(settled.map((r) => r.observedStatus))].join('/')}: ${settled.map((r) => r.id).join(', ')}`;
    return [
      check(
        'vigil-home',
        'ok',
        `${home}: writable, database intact (schema ${String(store.db.pragma('user_version', { simple: true }))}, ${store.listRuns().length} runs)${stale}`,
      ),
    ];
  } catch (error) {
    return [
      check('vigil-home', 'fail', (error as Error).message, 'set VIGIL_HOME to a writable directory, or move the damaged vigil.db aside'),
    ];
  }
}

/** Whether another process holds the database's write lock right now (asked with a short wait, then let go). */
function writeLockIsHeld(db: Db): boolean {
  const wait = db.pragma('busy_timeout', { simple: true }) as number;
  db.pragma('busy_timeout = 250');
  try {
    db.prepare('BEGIN IMMEDIATE').run();
    db.prepare('ROLLBACK').run();
    return false;
  } catch (error) {
    if ((error as { code?: string }).code === 'SQLITE_BUSY') return true;
    throw error;
  } finally {
    db.pragma(`busy_timeout = ${wait}`);
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

/**
 * Free space where the job writes its checkpoints (against the newest one's size: room for two
 * more saves, else warn; for one, else fail), its directory and VIGIL_HOME (the logs): one line
 * per file system.
 */
async function checkSpace(job: Job): Promise<CheckResult[]> {
  const targets: { path: string; checkpointBytes: number | null }[] = [];
  for (const dir of job.declares.checkpointDirs)
    targets.push({ path: dir, checkpointBytes: await newestCheckpointBytes([dir], job.declares.checkpointGlob) });
  targets.push({ path: job.cwd, checkpointBytes: null }, { path: vigilHome(), checkpointBytes: null });
  const byFileSystem = new Map<number, SpaceFacts>();
  for (const { path, checkpointBytes } of targets) {
    const at = existingParent(path);
    const device = statSync(at).dev;
    if (!byFileSystem.has(device)) byFileSystem.set(device, probeSpace(at, checkpointBytes));
  }
  return [...byFileSystem.values()].map(judgeSpace);
}

async function checkCheckpoints(declares: JobDeclarations): Promise<CheckResult[]> {
  if (declares.checkpointDirs.length === 0)
    return [check('checkpoints', 'skip', 'the job declares no checkpoint directory (--checkpoints)')];
  return [judgeNewestCheckpoint(declares.checkpointDirs, await probeNewestCheckpoint(declares.checkpointDirs, declares.checkpointGlob))];
}

/** Python processes that hold a GPU or much RAM and no run of this home owns; `kill`: end them. */
async function checkStrays(env: NodeJS.ProcessEnv, kill: boolean): Promise<CheckResult[]> {
  const { processes, gpuHolders } = await probePythonProcesses(env);
  const { store } = openContext();
  const runs: RunIndex = new Map(
    processes.flatMap(({ runId }) => {
      const status = runId === null ? undefined : store.getRun(runId)?.status;
      return status === undefined ? [] : [[runId as string, status === 'running' ? 'running' : 'ended'] as const];
    }),
  );
  const strays = findStrays(processes, probeMemory().totalBytes, runs);
  if (!kill) return judgeStrays(strays, gpuHolders);
  const startTimes = new Map(processes.map((p) => [p.pid, p.startTime]));
  const done = await Promise.all(strays.map(async ({ pid }) => [pid, await endStray(pid, startTimes.get(pid) ?? null)] as const));
  return judgeStrays(strays, gpuHolders, new Map(done));
}

/** Xid lines in the kernel log; skipped, with dmesg's reason, where the log cannot be read. */
async function checkXid(env: NodeJS.ProcessEnv): Promise<CheckResult[]> {
  let log: string;
  try {
    log = await probeKernelLog(env, KERNEL_LOG_TIMEOUT_MS);
  } catch (error) {
    return [
      check(
        'xid',
        'skip',
        `the kernel log cannot be read (${(error as Error).message.split('\n')[0]}): Xid errors not checked`,
        'sudo dmesg | grep Xid (or sysctl kernel.dmesg_restrict=0)',
      ),
    ];
  }
  return judgeXid(parseXidEvents(log));
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
    process.stdout.write(`${MARK[r.status]}  ${r.id.padEnd(13)} ${r.finding}\n`);
    if (r.fix && r.status !== 'ok') process.stdout.write(`      ${''.padEnd(13)} → ${r.fix}\n`);
  }
  const failed = results.filter((r) => r.status === 'fail').length;
  const warned = results.filter((r) => r.status === 'warn').length;
  process.stdout.write(failed + warned === 0 ? 'all checks passed\n' : `${failed} failed, ${warned} warning${warned === 1 ? '' : 's'}\n`);
}
