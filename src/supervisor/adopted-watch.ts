/**
 * The watchdog of an adopted run (`vigil adopt`): the job goes on writing its log and the Python
 * helper's events straight to their files, so the adopter reads them as the lost supervisor did
 * and holds the job to the same settings (recorded as the run started). A job that hangs after its
 * supervisor died is found, its stacks taken, and ended under --on-hang kill, as it would have been.
 *
 * What happened before the adoption is read first and stored no second time: the log's recent
 * tail, so that the progress reached so far is known (a stall is timed from the adoption), and the
 * helper's events into the registry only (which processes are Python, their ranks).
 */

import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Diagnosis } from '../core/diagnosis/diagnose.ts';
import type { WatchdogSettings } from '../core/watchdog/settings.ts';
import type { RunProcesses } from '../platform/run-processes.ts';
import { attemptFiles } from '../store/run-files.ts';
import type { AttemptRecord, RunRecord, RunStore } from '../store/runs.ts';
import { LogFollower } from './log-follower.ts';
import { PAUSE_FILE } from './pause.ts';
import { PythonEventFollower, PythonRegistry } from './python-events.ts';
import { StoreWriter } from './store-writer.ts';
import { RunWatchdog } from './watchdog.ts';

/** How much of the log written before the adoption is read again: the latest progress is in its tail. */
const REPLAYED_LOG_BYTES = 8 << 20;

export type AdoptedWatchContext = {
  store: RunStore;
  home: string;
  run: RunRecord;
  attempt: AttemptRecord;
  processes: RunProcesses;
  warn: (message: string) => void;
  /** The watchdog decided the job failed ('startup stall', 'hang', 'nan loss'): stop it, for this reason. */
  fail: (reason: string, diagnosis: Diagnosis) => void;
};

export class AdoptedWatch {
  readonly watchdog: RunWatchdog;
  #log: LogFollower;
  #events: PythonEventFollower;
  /** The watchdog's writes, and the adopter's record of the end after them (the caller flushes and closes it). */
  readonly writer: StoreWriter;
  #replaying = true;

  /** Null for a run whose start recorded no watch settings (started by an older vigil): only its end is watched then, as said. */
  static async start(context: AdoptedWatchContext): Promise<AdoptedWatch | null> {
    const settings = context.store.events(context.run.id, 'watch_settings').at(-1)?.data as WatchdogSettings | undefined;
    if (!settings) {
      context.warn(`run ${context.run.id} recorded no watchdog settings (started by an older vigil): only its end is watched`);
      return null;
    }
    const watch = new AdoptedWatch(settings, context);
    await watch.#start();
    return watch;
  }

  private constructor(settings: WatchdogSettings, context: AdoptedWatchContext) {
    const { store, home, run, attempt, processes, warn, fail } = context;
    const files = attemptFiles(run.runDir, attempt.n);
    this.writer = new StoreWriter(store, { home, warn });
    const registry = new PythonRegistry();
    this.watchdog = new RunWatchdog(settings, {
      runId: run.id,
      attempt: attempt.n,
      startedAt: Date.now(),
      store: this.writer,
      processes,
      registry,
      stacksPath: files.stacks,
      warn,
      catchUp: () => this.#log.catchUp(),
      fail,
      paused: () => existsSync(join(run.runDir, PAUSE_FILE)),
    });
    this.#log = new LogFollower(
      attempt.logPath,
      (chunk, _offset, seenAt) => this.watchdog.output(chunk, seenAt),
      replayFrom(attempt.logPath),
    );
    this.#events = new PythonEventFollower(files.events, (event, seenAt) =>
      this.#replaying ? registry.record(event) : this.watchdog.pythonEvent(event, seenAt),
    );
  }

  /** Throws when the log or the events cannot be followed (deleted, unreadable), leaving nothing running. */
  async #start(): Promise<void> {
    await this.#log.start();
    try {
      await this.#events.start(); // reads what was written before the adoption: into the registry only
    } catch (error) {
      await this.#log.finish();
      throw error;
    }
    this.#replaying = false;
    this.watchdog.start();
  }

  /** Reads what the job wrote to the end, stops the watchdog and records its last progress (held in `writer` if the store is busy). */
  async finish(): Promise<void> {
    await Promise.all([this.#log.finish(), this.#events.finish()]);
    this.watchdog.stop();
  }
}

function replayFrom(logPath: string): number {
  try {
    return Math.max(0, statSync(logPath).size - REPLAYED_LOG_BYTES);
  } catch {
    return 0;
  }
}
