/**
 * Everything a run needs before its first attempt: the executable found, the run recorded (its
 * name claimed in the same transaction), its directory, the reserved outcome slot, and its
 * cgroup. If any step is refused, what the earlier ones made is undone: a refused `--name`
 * leaves no directory and no cgroup behind.
 */

import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { newRunId } from '../core/run-id.ts';
import { ExitCode, VigilError } from '../errors.ts';
import { createRunCgroup, removeCgroup } from '../platform/cgroup.ts';
import { processStartTime } from '../platform/proc.ts';
import { resolveExecutable } from '../platform/resolve-executable.ts';
import { RunProcesses } from '../platform/run-processes.ts';
import { createRunDir } from '../store/run-files.ts';
import type { RunRecord, RunStore } from '../store/runs.ts';
import { reserveOutcomeSlot } from './outcome-slot.ts';
import { claimRunName } from './reconcile.ts';
import { storeFailureCause } from './store-writer.ts';
import type { JobSpec, SuperviseHooks } from './supervise.ts';

export type PreparedRun = {
  id: string;
  spec: JobSpec;
  executable: string;
  args: string[];
  dir: string;
  cgroupPath: string | null;
  processes: RunProcesses;
  createdAt: number;
};

/** How long recording a new run waits out a foreign write lock or a full disk before giving up. */
const RECORD_PATIENCE_MS = 60_000;
const RECORD_RETRY_MS = 100;

export async function prepareRun(
  spec: JobSpec,
  store: RunStore,
  runsDir: string,
  hooks: SuperviseHooks,
  abandoned: AbortSignal,
): Promise<PreparedRun> {
  const [program, ...args] = spec.command;
  if (!program) throw new VigilError('no command given: vigil run [options] -- CMD [ARGS...]', ExitCode.usage);
  const executable = resolveExecutable(spec.exact?.command[0] ?? program, { cwd: spec.exact?.cwd ?? spec.cwd, path: spec.env.PATH });
  const id = newRunId(randomBytes(6));
  const dir = join(runsDir, id);
  let cgroupPath: string | null = null;
  try {
    createRunDir(runsDir, id);
    reserveOutcomeSlot(dir);
    cgroupPath = spec.useCgroup ? createRunCgroup(id) : null;
    const createdAt = Date.now();
    await recordNewRun(store, spec, hooks, abandoned, {
      id,
      name: spec.name,
      command: spec.command,
      cwd: spec.cwd,
      runDir: dir,
      status: 'running',
      createdAt,
      endedAt: null,
      supervisorPid: process.pid,
      supervisorStart: processStartTime(process.pid),
      cgroupPath,
      stopTimeoutMs: spec.stopTimeoutMs,
      exitCode: null,
      signal: null,
      jobId: spec.jobId,
      group: spec.group ?? null,
    });
    return { id, spec, executable, args, dir, cgroupPath, processes: new RunProcesses(id, cgroupPath), createdAt };
  } catch (error) {
    if (cgroupPath) removeCgroup(cgroupPath);
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

/**
 * Claims the name and inserts the run in one write transaction. A foreign write lock or a full
 * disk is waited out (without holding the event loop: the store's busy timeout is short) for
 * up to RECORD_PATIENCE_MS, saying so once; nothing has been started yet, so nothing is at risk.
 */
async function recordNewRun(store: RunStore, spec: JobSpec, hooks: SuperviseHooks, abandoned: AbortSignal, run: RunRecord): Promise<void> {
  const deadline = Date.now() + RECORD_PATIENCE_MS;
  let told = false;
  for (;;) {
    if (abandoned.aborted) throw new VigilError('interrupted before the job started: nothing was started', ExitCode.interrupted);
    try {
      store.exclusively(() => {
        if (spec.name) claimRunName(store, spec.name);
        store.insertRun(run);
        const { dirs, glob } = spec.checkpoints;
        if (dirs.length > 0) store.updateRun(run.id, { checkpointDirs: dirs, checkpointGlob: glob });
      });
      return;
    } catch (error) {
      const code = String((error as { code?: unknown }).code ?? '');
      if (!/^SQLITE_(BUSY|LOCKED|FULL|IOERR)/.test(code)) throw error;
      const cause = storeFailureCause(error, spec.home);
      if (Date.now() >= deadline)
        throw new VigilError(`cannot record the run (${cause}); nothing was started`, ExitCode.stateDir, { cause: error });
      if (!told)
        hooks.onWarning?.(`cannot record the run yet (${cause}); waiting up to ${RECORD_PATIENCE_MS / 1000}s before starting the job`);
      told = true;
      await new Promise((resolve) => setTimeout(resolve, RECORD_RETRY_MS));
    }
  }
}
