/**
 * The states of one attempt (src/core/runs/attempt-state.ts) and every way a stop reaches it: a
 * signal to vigil, `vigil stop`, the watchdog. It exists before the job is launched, so a Ctrl-C
 * that lands while the process is being created is kept and acted on the moment it exists,
 * never lost and never the end of vigil with the job left running.
 */

import type { AttemptState } from '../core/runs/attempt-state.ts';
import { describeStopReason, type StopReason } from '../core/runs/stop-reason.ts';
import type { RunProcesses } from '../platform/run-processes.ts';
import type { StopSignal } from './signals.ts';
import { createRunFile } from '../store/run-files.ts';
import { type AskFirst, StopController } from './stop-controller.ts';
import type { RunWriter } from './store-writer.ts';

export type LifecycleContext = {
  runId: string;
  n: number;
  processes: RunProcesses;
  writer: RunWriter;
  stopTimeoutMs: number;
  onHangup: 'ignore' | 'stop';
  /** `--save-grace`: how long a job that checks `vigil.should_stop()` is given to save and exit after being asked. */
  saveGraceMs: number;
  /** The file whose existence makes `vigil.should_stop()` true (attempt-N.stop in the run's directory). */
  stopFile: string;
  /** The job checks `vigil.should_stop()` (it said so through its events). */
  listensForStop: () => boolean;
  /** A stop asked for through `vigil stop` (it records its request, then signals us), or null. */
  readStopRequest: () => { timeoutMs: number; force: boolean } | null;
  /** Said once on the first hangup that does not stop the job. */
  onHangupIgnored: () => void;
};

export class AttemptLifecycle {
  state: AttemptState = 'starting';
  #context: LifecycleContext;
  #stop: StopController | null = null;
  #pending: StopReason | null = null;
  #hangupNoted = false;

  constructor(context: LifecycleContext) {
    this.#context = context;
  }

  /** Why vigil stopped the job; null while nobody asked. */
  get stopReason(): StopReason | null {
    return this.#stop?.reason ?? null;
  }

  /** The stop sequence (null until the job exists). */
  get stopper(): StopController | null {
    return this.#stop;
  }

  /** How long a stop waits before SIGKILL: `vigil stop --timeout` may have set it for this request. */
  graceMs(): number {
    return this.#context.readStopRequest()?.timeoutMs ?? this.#context.stopTimeoutMs;
  }

  /** The job's process exists (pid) or could not be started (null); a stop asked for meanwhile is acted on now. */
  launched(pid: number | null): void {
    if (pid === null) {
      this.state = 'exited';
      return;
    }
    this.#stop = new StopController({ processes: this.#context.processes, pgid: pid, mainPid: pid });
    this.state = 'running';
    if (this.#pending) this.requestStop(this.#pending);
  }

  /** A signal to vigil while the attempt lives. */
  onSignal = (signal: StopSignal): void => {
    if (signal === 'SIGHUP' && this.#context.onHangup === 'ignore') return this.#hangup();
    if (this.state === 'exited') {
      void this.#stop?.kill(); // a second Ctrl-C while leftovers are being ended: no more grace
      return;
    }
    const asked = this.#context.readStopRequest();
    this.requestStop(asked ? { kind: 'vigil-stop', force: asked.force } : { kind: 'signal', signal });
  };

  /** Records why, then begins the stop sequence (a second request skips the grace period). */
  requestStop(reason: StopReason): void {
    if (this.state === 'starting') {
      this.#pending ??= reason;
      return;
    }
    if (this.state !== 'running' && this.state !== 'stopping') return;
    const { writer, runId, n } = this.#context;
    const record = (why: StopReason) => writer.updateAttempt(runId, n, { stopReason: describeStopReason(why) });
    // A signal to vigil is passed on as it came (Ctrl-C reaches Python as KeyboardInterrupt); vigil's own stops send SIGTERM.
    const signal = reason.kind === 'signal' ? reason.signal : 'SIGTERM';
    const askFirst = this.#askFirst(reason);
    if (this.#stop?.request(reason, { signal, graceMs: this.graceMs(), record, ...(askFirst ? { askFirst } : {}) }))
      this.state = 'stopping';
  }

  /** A stop asked before the job's end but read after it (its group's, see AttemptContext.stopAskedBetween): the end is that stop's. */
  stoppedBeforeExit(reason: StopReason): void {
    const { writer, runId, n } = this.#context;
    if (this.#stop?.adopt(reason)) writer.updateAttempt(runId, n, { stopReason: describeStopReason(reason) });
  }

  /**
   * The main process exited: returns the stop reason in force at that moment (a later request changes nothing), none
   * when the job ended on its own just before the stop's signal reached it (StopController.withdrawIfEndedFirst).
   */
  exited(exit: { code: number | null; signal: string | null }): StopReason | null {
    this.state = 'exited';
    if (this.#stop?.withdrawIfEndedFirst(exit))
      this.#context.writer.updateAttempt(this.#context.runId, this.#context.n, { stopReason: null });
    this.#stop?.proceed(); // it saved and exited: what it leaves behind is signalled now, not after the save grace
    return this.stopReason;
  }

  dispose(): void {
    this.#stop?.dispose();
  }

  /**
   * Only `vigil stop` asks first, and only a job that listens: Ctrl-C and signals to vigil are
   * passed on as they came (the user's own signal, or a scheduler's with its own deadline), a
   * hung job cannot answer, and a job with a NaN loss must not save it.
   */
  #askFirst(reason: StopReason): AskFirst | null {
    const { saveGraceMs, stopFile, writer, runId, n } = this.#context;
    if (reason.kind !== 'vigil-stop' || reason.force || saveGraceMs <= 0 || !this.#context.listensForStop()) return null;
    const ask = (): boolean => {
      try {
        createRunFile(stopFile);
      } catch {
        return false; // the job cannot be asked: signal it as before
      }
      // `vigil stop` waits for the supervisor this much longer.
      writer.addEvent({ runId, attempt: n, at: Date.now(), kind: 'stop_asked', data: { save_grace_ms: saveGraceMs } });
      return true;
    };
    return { ask, saveGraceMs };
  }

  #hangup(): void {
    if (this.#hangupNoted) return;
    this.#hangupNoted = true;
    const { writer, runId, n } = this.#context;
    writer.addEvent({ runId, attempt: n, at: Date.now(), kind: 'hangup', data: null });
    this.#context.onHangupIgnored();
  }
}
