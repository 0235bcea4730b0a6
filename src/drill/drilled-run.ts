/**
 * The user's job run under vigil for one drill: `vigil run --name drill-… [their options] -- CMD`
 * as a child of the drill, watched through the database as any vigil command sees it. It can be
 * told of a fault (the file core/drill/fault.ts describes), stopped, and cleaned up so that no
 * process of it is left behind.
 */

import { type ChildProcess, spawn } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DRILL_FAULT_FILE, type DrillFault } from '../core/drill/fault.ts';
import { findTaggedProcesses } from '../platform/proc.ts';
import { sendSignal, waitFor } from '../platform/run-processes.ts';
import { openDatabase } from '../store/database.ts';
import { openHome, vigilHome } from '../store/paths.ts';
import { type AttemptRecord, type EventRecord, type RunRecord, RunStore } from '../store/runs.ts';
import { type ObservedRun, observeRun } from '../supervisor/reconcile.ts';

export type DrillSetup = {
  /** How to start vigil itself (node, its flags, the CLI). */
  vigil: readonly string[];
  /** `vigil run` options as typed, the drill's own left out. */
  runWords: readonly string[];
  command: readonly string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
};

const POLL_MS = 100;

export class DrilledRun {
  readonly name: string;
  readonly #setup: DrillSetup;
  readonly #store: RunStore;
  #supervisor: ChildProcess;
  #run: RunRecord | null = null;

  constructor(setup: DrillSetup, name: string) {
    this.name = name;
    this.#setup = setup;
    const { databasePath } = openHome(vigilHome(setup.env, setup.cwd), { write: true });
    this.#store = new RunStore(openDatabase(databasePath));
    this.#supervisor = this.#vigil(['run', '--quiet', '--name', name, ...setup.runWords, '--', ...setup.command]);
  }

  /** The run once vigil has recorded it (null: it did not start before `deadline`). */
  async started(deadline: number): Promise<RunRecord | null> {
    const found = await waitFor(
      () => (this.#run ??= this.#store.listRuns({ limit: 20 }).find((r) => r.name === this.name) ?? null) !== null,
      deadline - Date.now(),
      POLL_MS,
    );
    return found ? this.#run : null;
  }

  get id(): string {
    return (this.#run as RunRecord).id;
  }

  record(): RunRecord {
    return this.#store.getRun(this.id) as RunRecord;
  }

  observed(): ObservedRun {
    return observeRun(this.#store, this.record());
  }

  attempts(): AttemptRecord[] {
    return this.#store.attempts(this.id);
  }

  events(kind: string): EventRecord[] {
    return this.#store.events(this.id, kind);
  }

  /** Polls `probe` until it answers (not null) or the deadline passes. */
  async until<T>(probe: () => T | null | undefined | Promise<T | null | undefined>, deadline: number): Promise<T | null> {
    for (;;) {
      const value = await probe();
      if (value !== null && value !== undefined) return value;
      if (Date.now() >= deadline) return null;
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }

  /** Tells the supervisor that the signal about to hit `pid` is the drill's, then sends it. */
  injectFault(drill: string, attempt: AttemptRecord, signal: NodeJS.Signals): number {
    const fault: DrillFault = { attempt: attempt.n, drill, signal, pid: attempt.pid as number, at: Date.now() };
    writeFileSync(join(this.record().runDir, DRILL_FAULT_FILE), JSON.stringify(fault));
    sendSignal(attempt.pid as number, signal);
    return fault.at;
  }

  /** SIGKILL to vigil's supervisor of this run (the `supervisor` drill). */
  killSupervisor(): number {
    this.#supervisor.kill('SIGKILL');
    return Date.now();
  }

  /** `vigil adopt RUN`: a new supervisor for an orphaned run. */
  adopt(): void {
    this.#supervisor = this.#vigil(['adopt', this.id]);
  }

  /** Stops the run as `vigil stop` does, then makes sure nothing of it is left. */
  async stop(): Promise<void> {
    if (this.#run !== null) {
      const stop = this.#vigil(['stop', this.id, '--timeout', '5s']);
      await new Promise((resolve) => stop.once('exit', resolve));
    }
    if (this.#supervisor.exitCode === null && this.#supervisor.signalCode === null) {
      const exited = new Promise((resolve) => this.#supervisor.once('exit', resolve));
      const gone = await Promise.race([exited.then(() => true), new Promise((resolve) => setTimeout(() => resolve(false), 20_000))]);
      if (!gone) this.#supervisor.kill('SIGKILL');
    }
    if (this.#run !== null) for (const pid of findTaggedProcesses(this.id)) sendSignal(pid, 'SIGKILL');
    if (this.#run !== null) rmSync(join(this.record().runDir, DRILL_FAULT_FILE), { force: true });
  }

  /** Records the drill's verdict with the run, as an event `vigil show` lists. */
  recordResult(data: unknown): void {
    this.#store.addEvent({ runId: this.id, attempt: null, at: Date.now(), kind: 'drill', data });
  }

  close(): void {
    this.#store.db.close();
  }

  #vigil(args: string[]): ChildProcess {
    const [node, ...rest] = this.#setup.vigil;
    return spawn(node as string, [...rest, ...args], { cwd: this.#setup.cwd, env: this.#setup.env, stdio: 'ignore' });
  }
}
