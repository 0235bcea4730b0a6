/**
 * `vigil run` inside a Slurm job: the job's identity, time limit and requeue count recorded as the
 * run starts (a `slurm_job` event); a warning when the watchdog's ETA passes the time left; Slurm's
 * warning signal (`--slurm-signal`, USR1 by default: `sbatch --signal=B:USR1@N`) taken as `vigil
 * stop` with save grace — the job is asked through `vigil.should_stop()`, saves and exits — and
 * then, when the job may be requeued, `scontrol requeue`, so that the next run resumes from the
 * checkpoint it saved; after a failure the log says nothing about, Slurm's word on it.
 */

import type { Diagnosis } from '../core/diagnosis/diagnose.ts';
import type { StoredStatus } from '../core/run-status.ts';
import { describeSlurmJob, type SlurmJob, slurmJobFrom } from '../core/slurm/environment.ts';
import type { SlurmJobRecord } from '../core/slurm/job-record.ts';
import { slurmStateDiagnosis } from '../core/slurm/job-state.ts';
import { progressEtaMs, timeLeftWarning } from '../core/slurm/time-left.ts';
import { readSlurmJobRecord, readSlurmStepStates, requeueSlurmJob, stepOomKills } from '../platform/slurm.ts';
import { askToStop } from './stop-request.ts';
import type { RunWriter } from './store-writer.ts';
import type { RunWatchdog } from './watchdog.ts';

/** `--slurm-signal`, `--requeue`/`--no-requeue` (null: as Slurm says the job may be). */
export type SlurmSettings = { signal: NodeJS.Signals; requeue: boolean | null };

const ETA_CHECK_MS = 10_000;

type Run = { id: string; dir: string };

/** The edge in force for this process (one run per `vigil run`), for the signal handler and the diagnosis. */
let current: SlurmEdge | null = null;
const handled = new Set<NodeJS.Signals>();

export class SlurmEdge {
  readonly job: SlurmJob;
  #record: SlurmJobRecord | null = null;
  #run: Run;
  #writer: RunWriter;
  #env: NodeJS.ProcessEnv;
  #settings: SlurmSettings;
  #stopTimeoutMs: number;
  #say: (line: string) => void;
  #watchdog: RunWatchdog | null = null;
  #timer: NodeJS.Timeout | null = null;
  #warnedShort = false;
  #signalled = false;
  /** OOM kills in the step's memory cgroup before the job started: more after a failure is Slurm's OUT_OF_MEMORY. */
  #oomBaseline: number | null;

  private constructor(
    job: SlurmJob,
    run: Run,
    writer: RunWriter,
    env: NodeJS.ProcessEnv,
    settings: SlurmSettings,
    stopTimeoutMs: number,
    say: (line: string) => void,
  ) {
    this.job = job;
    this.#run = run;
    this.#writer = writer;
    this.#env = env;
    this.#settings = settings;
    this.#stopTimeoutMs = stopTimeoutMs;
    this.#say = say;
    this.#oomBaseline = stepOomKills();
  }

  /** Null outside Slurm (no SLURM_JOB_ID) or when `settings` is null. */
  static async start(
    env: NodeJS.ProcessEnv,
    settings: SlurmSettings | undefined,
    run: Run,
    writer: RunWriter,
    stopTimeoutMs: number,
    say: (line: string) => void,
  ): Promise<SlurmEdge | null> {
    const job = slurmJobFrom(env);
    if (!job || !settings) return null;
    const edge = new SlurmEdge(job, run, writer, env, settings, stopTimeoutMs, say);
    edge.#record = await readSlurmJobRecord(job.jobId, env);
    writer.addEvent({
      runId: run.id,
      attempt: null,
      at: Date.now(),
      kind: 'slurm_job',
      data: {
        job_id: job.jobId,
        array_job_id: job.arrayJobId,
        array_task_id: job.arrayTaskId,
        node_list: job.nodeList,
        num_nodes: job.numNodes,
        restart_count: job.restartCount,
        time_limit_ms: edge.#record?.timeLimitMs ?? null,
        end_at: edge.#record?.endAt ?? null,
        requeue: edge.#record?.requeue ?? null,
      },
    });
    current = edge;
    if (!handled.has(settings.signal)) {
      handled.add(settings.signal);
      // Never removed (as signals.ts): a second notice after the run ended must not kill vigil.
      process.on(settings.signal, () => current?.onSignal(settings.signal));
    }
    edge.#timer = setInterval(() => edge.#checkTimeLeft(), ETA_CHECK_MS);
    edge.#timer.unref();
    return edge;
  }

  get description(): string {
    return describeSlurmJob(this.job);
  }

  /** Each attempt's watchdog, for its ETA. */
  watch(watchdog: RunWatchdog): void {
    this.#watchdog = watchdog;
  }

  /** The run is recorded: after a save Slurm asked for, requeue the job when it may be. */
  afterRun(status: StoredStatus): void {
    if (!this.#signalled || status !== 'stopped') return;
    if (!(this.#settings.requeue ?? this.#record?.requeue ?? false)) return;
    const error = requeueSlurmJob(this.job.jobId, this.#env);
    this.#writer.addEvent({
      runId: this.#run.id,
      attempt: null,
      at: Date.now(),
      kind: 'slurm_requeue',
      data: { job_id: this.job.jobId, error },
    });
    this.#say(
      error === null
        ? `requeued Slurm job ${this.job.jobId}: its next run resumes from the saved checkpoint`
        : `scontrol requeue ${this.job.jobId} failed: ${error}`,
    );
  }

  dispose(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    if (current === this) current = null;
  }

  /** Slurm's notice (time limit or preemption ahead): what `vigil stop` does, so a job that listens saves first. */
  onSignal(signal: NodeJS.Signals): void {
    if (this.#signalled) return;
    this.#signalled = true;
    const at = Date.now();
    this.#writer.addEvent({ runId: this.#run.id, attempt: null, at, kind: 'slurm_signal', data: { signal } });
    this.#say(`Slurm sent ${signal}: asking the job to save and exit`);
    const failed = askToStop(this.#run, this.#writer, this.#stopTimeoutMs);
    if (failed !== null) this.#say(`could not ask for the stop: ${failed}`);
  }

  #checkTimeLeft(): void {
    const endAt = this.#record?.endAt ?? null;
    if (this.#warnedShort || !this.#watchdog || endAt === null) return;
    const eta = progressEtaMs(this.#watchdog.progress());
    const left = endAt - Date.now();
    const message = timeLeftWarning(eta, left);
    if (message === null || eta === null) return;
    this.#warnedShort = true;
    this.#writer.addEvent({
      runId: this.#run.id,
      attempt: null,
      at: Date.now(),
      kind: 'slurm_time_short',
      data: { eta_ms: eta, time_left_ms: left, message },
    });
    this.#say(message);
  }

  /**
   * A failure the log explains only by its exit (a bare SIGKILL, no error line) or not at all:
   * Slurm's state for it, from sacct where accounting answers, else from the OOM kills Slurm's
   * memory cgroup counted since the run started. The log's own diagnosis otherwise.
   */
  refine(diagnosis: Diagnosis | null): Diagnosis | null {
    if (diagnosis !== null && diagnosis.evidence.length > 0 && diagnosis.category !== 'other') return diagnosis;
    const states = readSlurmStepStates(this.job.jobId, this.#env);
    for (const { step, state } of states ?? []) {
      const found = slurmStateDiagnosis({ jobId: step, state, source: 'sacct', timeLimitMs: this.#record?.timeLimitMs ?? null });
      if (found) return found;
    }
    const kills = stepOomKills();
    if (kills !== null && kills > (this.#oomBaseline ?? 0))
      return slurmStateDiagnosis({
        jobId: this.job.jobId,
        state: 'OUT_OF_MEMORY',
        source: `the step's memory cgroup (${kills} OOM kill${kills === 1 ? '' : 's'})`,
      });
    return diagnosis;
  }
}

/** The diagnosis of a failed attempt, with Slurm's word on it when under Slurm (see SlurmEdge.refine). */
export function withSlurmState(diagnosis: Diagnosis | null): Diagnosis | null {
  return current ? current.refine(diagnosis) : diagnosis;
}
