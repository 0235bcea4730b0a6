import { formatDuration } from '../../core/duration.ts';
import { silentForMs } from '../../core/group/view.ts';
import { describeStopReason, type StopReason } from '../../core/runs/stop-reason.ts';
import { ExitCode } from '../../errors.ts';
import { removeCgroup } from '../../platform/cgroup.ts';
import { isSameProcessAlive } from '../../platform/proc.ts';
import { killAndWait, RunProcesses, sendSignal, waitFor } from '../../platform/run-processes.ts';
import { observeRun, type ObservedRun } from '../../supervisor/reconcile.ts';
import { askThroughFile } from '../../supervisor/request-file.ts';
import { StopController } from '../../supervisor/stop-controller.ts';
import { STOP_REQUEST_FILE } from '../../supervisor/signals.ts';
import { join } from 'node:path';
import { type Context, findRun, namesNoRun, openContext } from '../context.ts';
import { LIVE_STATUSES } from '../../core/run-status.ts';
import type { RunRecord } from '../../store/runs.ts';
import { thisNode } from '../../store/open-queue.ts';
import { openSharedRuns } from '../shared-store.ts';

/** Slack on top of the grace period for the supervisor to kill, reap and record. */
const SUPERVISOR_SLACK_MS = 15_000;

type StopOptions = { timeout?: number; force?: boolean };

export async function stopCommand(query: string, options: StopOptions): Promise<void> {
  const context = openContext({ write: true }); // it records the stop: refuse a read-only home before killing anything
  if (namesNoRun(context, query) && (await stopSharedGroup(query, options))) return;
  const group = namesNoRun(context, query) ? context.store.groupRuns(query) : [];
  if (group.length > 0) {
    await stopGroup(context, query, group, options);
    return;
  }
  await stopOne(context, findRun(context, query), options);
}

/** Every node's live run of the group, side by side: each through its own supervisor, as `vigil stop RUN` does. */
async function stopGroup(context: Context, id: string, runs: readonly RunRecord[], options: StopOptions): Promise<void> {
  const live = runs.map((run) => observeRun(context.store, run)).filter((run) => LIVE_STATUSES.includes(run.observedStatus));
  if (live.length === 0) {
    process.stdout.write(`group ${id} has no live run here\n`);
    return;
  }
  await Promise.all(live.map((run) => stopOne(context, run, options)));
}

/**
 * A group on the shared store: every node's supervisor is asked through it (each reads its group's
 * requests every second) and stops its run with its own stop sequence; this waits for them all.
 * A node whose supervisor has gone silent (killed, or its machine lost) cannot answer: it is named
 * at once with what to run on that machine, not waited for. False when there is no shared store
 * or no such group in it.
 */
async function stopSharedGroup(id: string, options: StopOptions): Promise<boolean> {
  const shared = await openSharedRuns();
  if (shared === null) return false;
  try {
    const runs = await shared.runs.groupRuns(id);
    if (runs.length === 0) return false;
    const now = Date.now();
    const running = runs.filter((run) => run.status === 'running');
    const live: typeof running = [];
    for (const run of running) {
      const silentMs = silentForMs(run, now);
      if (silentMs === null) {
        live.push(run);
        continue;
      }
      process.stdout.write(
        `run ${run.id} on ${run.node ?? '?'}: its supervisor has been silent for ${formatDuration(silentMs)}: on that machine, vigil stop ${run.id}\n`,
      );
      process.exitCode = ExitCode.failure;
    }
    if (running.length === 0) process.stdout.write(`group ${id} has no live run\n`);
    if (live.length === 0) return true;
    await shared.runs.requestGroup(id, 'stop', thisNode(), options.timeout === undefined ? null : { timeout_ms: options.timeout });
    const graceMs = options.timeout ?? Math.max(...live.map((run) => run.stopTimeoutMs));
    const ended = await Promise.all(
      live.map(async (run) => {
        const stopped = await waitFor(async () => (await shared.runs.getRun(run.id))?.status !== 'running', graceMs + SUPERVISOR_SLACK_MS);
        const now = await shared.runs.getRun(run.id);
        process.stdout.write(
          stopped
            ? `stopped run ${run.id} on ${run.node ?? '?'} (${now?.status ?? 'ended'})\n`
            : `run ${run.id} on ${run.node ?? '?'}: not ended yet (its supervisor is silent?)\n`,
        );
        return stopped;
      }),
    );
    if (ended.includes(false)) process.exitCode = ExitCode.failure;
    return true;
  } finally {
    await shared.close();
  }
}

async function stopOne(context: Context, run: ObservedRun, options: StopOptions): Promise<void> {
  const graceMs = options.timeout ?? run.stopTimeoutMs;
  if (run.observedStatus === 'running' && run.supervisorPid !== null) {
    if (options.force) await forceStop(context, run);
    else await stopThroughSupervisor(context, run, graceMs);
    return;
  }
  if (run.observedStatus === 'orphaned') {
    await stopUnsupervised(context, run, options.force ? 0 : graceMs, { kind: 'vigil-stop', force: options.force === true });
    return;
  }
  process.stdout.write(`run ${run.id} is not running (${run.observedStatus})\n`);
}

/**
 * The supervisor does the stopping (it owns the job and records the outcome): tell it the
 * timeout and that the request is ours, then signal it and wait for it to finish. The request is
 * recorded best-effort: a database that cannot be written must not keep a user from stopping a job.
 */
async function stopThroughSupervisor(context: Context, run: ObservedRun, graceMs: number): Promise<void> {
  const { store } = context;
  const supervisorPid = run.supervisorPid as number;
  try {
    store.exclusively(() => {
      store.updateRun(run.id, { stopTimeoutMs: graceMs });
      store.addEvent({ runId: run.id, attempt: null, at: Date.now(), kind: 'stop_requested', data: { timeout_ms: graceMs } });
    });
  } catch (error) {
    process.stderr.write(`vigil: could not record the stop request (${(error as Error).message}); signalling the supervisor anyway\n`);
  }
  // The supervisor records the outcome before it exits: once it has, the run is over and a signal
  // could only land in vigil's own exit (where Node no longer handles it) and turn its code into 143.
  if (endedMeanwhile(store, run.id)) return;
  // Not taken: a supervisor that is stuck, or one that has just recorded the end and is exiting (no signal then).
  if (!(await askSupervisor(run))) {
    if (endedMeanwhile(store, run.id)) return;
    if (isSameProcessAlive(supervisorPid, run.supervisorStart)) sendSignal(supervisorPid, 'SIGTERM');
  }
  const supervisorGone = () => !isSameProcessAlive(supervisorPid, run.supervisorStart);
  let ended = await waitFor(supervisorGone, graceMs + SUPERVISOR_SLACK_MS, 100);
  // A job that listens was asked to save and exit first: the signal came --save-grace later.
  const saveGraceMs = ended ? 0 : askedSaveGraceMs(store, run.id);
  if (saveGraceMs > 0) ended = await waitFor(supervisorGone, saveGraceMs, 100);
  if (!ended) {
    process.stdout.write(`run ${run.id}: supervisor ${supervisorPid} has not finished yet (stuck? vigil stop --force ${run.id})\n`);
    process.exitCode = ExitCode.failure;
    return;
  }
  process.stdout.write(`stopped run ${run.id} (${store.getRun(run.id)?.status ?? 'ended'})\n`);
}

/** The run's end is recorded (by its supervisor, which is exiting): said, and nothing is signalled. */
function endedMeanwhile(store: Context['store'], runId: string): boolean {
  const current = store.getRun(runId);
  if (!current || current.status === 'running') return false;
  process.stdout.write(`run ${runId} ended on its own meanwhile (${current.status})\n`);
  return true;
}

/** The save grace the supervisor gave the job when it asked it to stop (0: it did not ask). */
function askedSaveGraceMs(store: Context['store'], runId: string): number {
  try {
    const data = store.events(runId, 'stop_asked').at(-1)?.data as { save_grace_ms?: number } | undefined;
    return data?.save_grace_ms ?? 0;
  } catch {
    return 0;
  }
}

/**
 * Around a supervisor that cannot act (stopped with SIGSTOP, stuck): it is SIGKILLed first, so it
 * cannot record anything over us when it wakes, then the whole tree is, and the outcome is recorded here.
 */
async function forceStop(context: Context, run: ObservedRun): Promise<void> {
  await killAndWait(run.supervisorPid as number, run.supervisorStart);
  await stopUnsupervised(context, run, 0, { kind: 'vigil-stop', force: true });
}

/**
 * Nobody supervises these processes (any more): stop them here and record the outcome ourselves.
 * Says what it did on stdout, unless `report` takes the line (doctor's listing).
 */
export async function stopUnsupervised(
  context: Context,
  run: ObservedRun,
  graceMs: number,
  reason: StopReason,
  report: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
): Promise<void> {
  const { store } = context;
  const started = Date.now();
  const latest = store.attempts(run.id).at(-1);
  const processes = new RunProcesses(run.id, run.cgroupPath);
  const stop = new StopController({ processes, pgid: latest?.pgid ?? null, mainPid: null });
  const { killed, survivors } =
    graceMs === 0 ? { killed: true, survivors: await stop.kill() } : await stop.close(reason, { signal: 'SIGTERM', graceMs });
  const now = Date.now();
  store.exclusively(() => {
    store.updateRun(run.id, { status: 'stopped', endedAt: now, ...(killed && graceMs === 0 ? { signal: 'SIGKILL' } : {}) });
    if (latest) {
      store.updateAttempt(run.id, latest.n, {
        endedAt: now,
        stopReason: describeStopReason(reason),
        ...(killed && graceMs === 0 ? { signal: 'SIGKILL' } : {}),
      });
    }
    store.addEvent({ runId: run.id, attempt: latest?.n ?? null, at: now, kind: 'stopped_orphan', data: { killed, survivors } });
  });
  if (run.cgroupPath) removeCgroup(run.cgroupPath);
  const how = graceMs === 0 ? 'SIGKILL' : killed ? `SIGKILL after ${formatDuration(graceMs)}` : `SIGTERM, ${formatDuration(now - started)}`;
  report(`stopped ${run.observedStatus === 'orphaned' ? 'orphaned ' : ''}run ${run.id} (${how})`);
  if (survivors.length > 0) {
    process.stderr.write(`vigil: processes ${survivors.join(', ')} could not be killed\n`);
    process.exitCode = ExitCode.failure;
  }
}

/** How long the supervisor has to take the request file before it is signalled instead. */
const ASK_TIMEOUT_MS = 3000;

/**
 * The request goes through a file the supervisor polls (signals.ts): a SIGTERM that lands while
 * a supervisor that has just recorded the outcome is exiting would kill it with 143. Only a
 * supervisor that does not take the file in time (stopped, stuck) is signalled. True when taken.
 */
function askSupervisor(run: ObservedRun): Promise<boolean> {
  return askThroughFile(join(run.runDir, STOP_REQUEST_FILE), ASK_TIMEOUT_MS); // not taken (or a full disk): the signal still works
}
