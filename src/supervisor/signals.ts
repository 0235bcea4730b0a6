/**
 * Signals to vigil itself (Ctrl-C, `kill`, a hangup, `vigil stop`, which sends SIGTERM). The
 * handlers are installed once for the life of the process and never removed: a SIGTERM that
 * lands while the outcome is being recorded must not kill vigil (the outcome would be lost:
 * `unknown`, exit 143), nor one that lands just after turn a recorded success into 143.
 *
 * - while an attempt runs, a signal is a stop request (SIGHUP only under --on-hangup stop: the
 *   job runs in its own session, so a closed terminal or SSH session never reaches it, and by
 *   default it does not reach it through vigil either);
 * - while the outcome is being recorded, it is noted and changes nothing (the job has ended);
 * - once the outcome is recorded, vigil exits at once with the job's code (Ctrl-C while the echo
 *   drains into a slow pipe).
 */

import { watchRequestFile } from './request-file.ts';

export type StopSignal = 'SIGINT' | 'SIGTERM' | 'SIGHUP';

/** The name of `vigil stop`'s request file in a run directory. */
export const STOP_REQUEST_FILE = 'stop-request';
const STOP_SIGNALS: readonly StopSignal[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

type Phase =
  | { kind: 'idle' }
  | { kind: 'preparing'; onSignal: () => void }
  | { kind: 'running'; onSignal: (signal: StopSignal) => void }
  | { kind: 'recording' }
  | { kind: 'recorded'; exitCode: number };

export class SupervisorSignals {
  #phase: Phase = { kind: 'idle' };
  #installed = false;

  /** Takes over SIGINT, SIGTERM and SIGHUP for the rest of the process's life. */
  install(): void {
    if (this.#installed) return;
    this.#installed = true;
    for (const signal of STOP_SIGNALS) process.on(signal, () => this.#received(signal));
  }

  /** Before the job exists: a signal abandons the run (what was made for it is removed). */
  preparing(onSignal: () => void): void {
    this.#phase = { kind: 'preparing', onSignal };
  }

  running(onSignal: (signal: StopSignal) => void): void {
    this.#phase = { kind: 'running', onSignal };
  }

  recording(): void {
    this.#phase = { kind: 'recording' };
  }

  recorded(exitCode: number): void {
    this.#phase = { kind: 'recorded', exitCode };
  }

  /**
   * Watches for `vigil stop`'s request file in the run directory and takes it as a SIGTERM. `vigil
   * stop` asks this way first: a signal that lands while Node is tearing the process down (after
   * the outcome is recorded) would kill vigil with 143 and no handler left to say otherwise.
   */
  watchStopRequests(file: string): () => void {
    return watchRequestFile(file, () => this.#received('SIGTERM'));
  }

  #received(signal: StopSignal): void {
    const phase = this.#phase;
    if (phase.kind === 'running') phase.onSignal(signal);
    else if (phase.kind === 'preparing' && signal !== 'SIGHUP') phase.onSignal();
    else if (phase.kind === 'recorded' && signal !== 'SIGHUP') process.exit(phase.exitCode);
    else if (phase.kind === 'idle' && signal !== 'SIGHUP') process.exit(128 + (signal === 'SIGINT' ? 2 : 15));
  }
}
