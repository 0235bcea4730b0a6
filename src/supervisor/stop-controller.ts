/**
 * The one stop sequence for a run's processes (after torch elastic's `PContext.close`): record
 * why, send the signal — to the job's process group in one call, and to each process of the run
 * that left it — wait until a deadline, then SIGKILL everything that carries the run's tag or sits
 * in its cgroup, repeated until nothing is left. A second request skips the grace period. A job
 * paused by `vigil pause` is continued once signalled (or asked), so that it can act on it.
 * A stop may first ask the job to save and exit (`askFirst`): the signal then waits for the save grace.
 * Used by the supervisor (signals, `vigil stop`, the watchdog, leftovers after the main process
 * exits) and by `vigil stop` for a run nobody supervises.
 */

import type { StopReason } from '../core/runs/stop-reason.ts';
import { isSameProcessAlive, processGroupOf, signalDisposition } from '../platform/proc.ts';
import { type RunProcesses, sendSignal, waitFor } from '../platform/run-processes.ts';
import { continueProcesses } from '../platform/run-pause.ts';

/** How long SIGKILL is repeated before the survivors (in uninterruptible sleep) are reported. */
const KILL_GIVE_UP_MS = 10_000;

export type StopTarget = {
  processes: RunProcesses;
  /** The job's process group (its main pid: it was started with setsid), or null when unknown. */
  pgid: number | null;
  /** The main process: a stop asked for after it exited changes nothing. Null: stop regardless. */
  mainPid: number | null;
};

/** Asking the job to stop on its own before any signal: `ask` returns false when the request could not be made. */
export type AskFirst = { ask: () => boolean; saveGraceMs: number };

export class StopController {
  #target: StopTarget;
  #reason: StopReason | null = null;
  #graceTimer: NodeJS.Timeout | null = null;
  #killing: Promise<number[]> | null = null;
  /** While the job was asked and has not been signalled yet: what signalling it means. */
  #signalLater: (() => void) | null = null;
  /** The main process, when signalled, left the signal to its default action: it dies of it rather than exit with a code. */
  #signalKills = false;

  constructor(target: StopTarget) {
    this.#target = target;
  }

  /** Why the processes are being stopped; null while nobody asked. */
  get reason(): StopReason | null {
    return this.#reason;
  }

  /** The SIGKILL sweep, once it began: resolves to the pids that survived it. */
  get killing(): Promise<number[]> | null {
    return this.#killing;
  }

  /**
   * Begins the stop: the reason is set before any signal is sent (and `record`ed right after); with
   * `askFirst` the job is asked and given `saveGraceMs` to exit, then the signal goes out and the
   * grace period starts. A later request ends the wait for the save at once, or else the grace
   * period. Returns false (and does nothing) when the main process had already exited: the
   * outcome is what happened.
   */
  request(
    reason: StopReason,
    options: { signal: NodeJS.Signals; graceMs: number; record?: (reason: StopReason) => void; askFirst?: AskFirst },
  ): boolean {
    const { mainPid } = this.#target;
    if (mainPid !== null && !isSameProcessAlive(mainPid, null)) return false;
    if (this.#reason !== null) {
      if (this.#signalLater) this.proceed();
      else void this.kill();
      return true;
    }
    this.#reason = reason; // the reason is set before the signal goes out; written to the store just after
    const signalNow = () => {
      this.#signalKills = mainPid !== null && signalDisposition(mainPid, options.signal) === 'default';
      this.#signal(options.signal);
      this.#graceTimer = setTimeout(() => void this.kill(), options.graceMs);
    };
    if (options.askFirst?.ask()) {
      continueProcesses(this.#target.processes); // a paused job could not answer
      this.#signalLater = signalNow;
      this.#graceTimer = setTimeout(() => this.proceed(), options.askFirst.saveGraceMs);
    } else {
      signalNow();
    }
    // Not before: a database write between checking the job is alive and signalling it widened the
    // window in which a job that exits on its own is recorded as stopped (1 in 140 races).
    options.record?.(reason);
    return true;
  }

  /** A stop that was asked before the job ended and is learnt of only now: its reason, no signal (nothing is left to stop). */
  adopt(reason: StopReason): boolean {
    if (this.#reason !== null) return false;
    this.#reason = reason;
    return true;
  }

  /**
   * The main process exited with a code although the stop's signal, left to its default action, would have killed it: it
   * ended on its own between the check that it was alive and the signal (a job finishing as `vigil stop` arrives). Its
   * outcome is what it did, not a stop: the reason is withdrawn. True when it was.
   */
  withdrawIfEndedFirst(exit: { code: number | null; signal: string | null }): boolean {
    if (!this.#signalKills || this.#signalLater !== null || exit.signal !== null || exit.code === null) return false;
    this.#reason = null;
    return true;
  }

  /** The job was asked to stop and is still given time to save: signal it now instead (its main process exited; a second request). */
  proceed(): void {
    const signalNow = this.#signalLater;
    if (!signalNow) return;
    this.#signalLater = null;
    this.dispose();
    signalNow();
  }

  /** SIGKILL to every process of the run until none is left (once; later calls share the sweep). */
  kill(): Promise<number[]> {
    this.#signalLater = null;
    return (this.#killing ??= (async () => {
      const { processes } = this.#target;
      const gone = await waitFor(
        () => {
          processes.killAll();
          return !processes.anyAlive();
        },
        KILL_GIVE_UP_MS,
        100,
      );
      return gone ? [] : processes.pids();
    })());
  }

  /** The whole sequence, awaited: signal, wait up to `graceMs` for every process to go, then kill. */
  async close(reason: StopReason, options: { signal: NodeJS.Signals; graceMs: number }): Promise<{ killed: boolean; survivors: number[] }> {
    const { processes } = this.#target;
    this.#reason ??= reason;
    this.#signal(options.signal);
    if (await waitFor(() => !processes.anyAlive() || this.#killing !== null, options.graceMs, 50)) {
      if (this.#killing === null) return { killed: false, survivors: [] };
    }
    return { killed: true, survivors: await this.kill() };
  }

  dispose(): void {
    if (this.#graceTimer) clearTimeout(this.#graceTimer);
    this.#graceTimer = null;
  }

  #signal(signal: NodeJS.Signals): void {
    const { processes, pgid } = this.#target;
    if (pgid !== null) sendSignal(-pgid, signal);
    for (const pid of processes.pids()) {
      if (pgid === null || processGroupOf(pid) !== pgid) sendSignal(pid, signal);
    }
    // A paused job (`vigil pause`) is continued after the signal, so the signal is the first thing it acts on.
    continueProcesses(processes);
  }
}
