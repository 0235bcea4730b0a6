/**
 * What watches one attempt while it runs: the log follower (reading and recording, never waiting
 * on the echo), the echo, the Python events, the watchdog and the memory sampler. Started once
 * the job exists, finished when it has exited (everything it wrote is read), closed in the end.
 */

import type { Diagnosis } from '../core/diagnosis/diagnose.ts';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { formatSize } from '../core/size.ts';
import { type MemoryMeasure, TreeMemorySampler } from '../platform/memory.ts';
import { LogFollower } from './log-follower.ts';
import { OutputSink } from './output-sink.ts';
import { PAUSE_FILE } from './pause.ts';
import type { PreparedRun } from './prepare.ts';
import { PythonEventFollower, PythonRegistry } from './python-events.ts';
import type { AttemptFiles } from '../store/run-files.ts';
import type { RunWriter } from './store-writer.ts';
import type { SuperviseHooks } from './supervise.ts';
import { RunWatchdog } from './watchdog.ts';

const MEMORY_SAMPLE_MS = 1000;

export type WatchContext = {
  run: PreparedRun;
  n: number;
  files: AttemptFiles;
  startedAt: number;
  writer: RunWriter;
  hooks: SuperviseHooks;
  /** The watchdog decided the attempt failed (a hang, a NaN loss): stop it, for this reason. */
  onWatchdogFailure: (reason: string, diagnosis: Diagnosis) => void;
};

export class AttemptWatch {
  readonly registry = new PythonRegistry();
  readonly sink: OutputSink;
  readonly watchdog: RunWatchdog;
  peakMemoryBytes = 0;
  peakMemoryMeasure: MemoryMeasure;
  #follower: LogFollower;
  #events: PythonEventFollower;
  #memory = new TreeMemorySampler();
  #sampler: NodeJS.Timeout | null = null;
  #context: WatchContext;

  constructor(context: WatchContext) {
    this.#context = context;
    const { run, n, files, writer, hooks } = context;
    const warn = (message: string) => hooks.onWarning?.(message);
    this.sink = new OutputSink({
      logPath: files.log,
      timesPath: files.times,
      warn,
      echo: run.spec.echo ? process.stdout : null,
      ...(hooks.beforeEcho ? { beforeEcho: hooks.beforeEcho } : {}),
      warnAtBytes: run.spec.logWarnBytes,
      onSizeWarning: (bytes) => {
        writer.addEvent({ runId: run.id, attempt: n, at: Date.now(), kind: 'log_size_warning', data: { bytes } });
        warn(`the log of run ${run.id} has passed ${formatSize(bytes)} (${files.log}); is the job printing the same thing in a loop?`);
      },
    });
    this.watchdog = new RunWatchdog(run.spec.watchdog, {
      runId: run.id,
      attempt: n,
      startedAt: context.startedAt,
      store: writer,
      processes: run.processes,
      registry: this.registry,
      stacksPath: files.stacks,
      // Before a stall is declared, everything the job wrote is read: vigil may have fallen behind, not the job.
      catchUp: () => this.#follower.catchUp(),
      warn,
      fail: context.onWatchdogFailure,
      paused: () => existsSync(join(run.dir, PAUSE_FILE)),
    });
    // Reading and recording never wait for the echo: it follows the log on its own (log-echo.ts).
    this.#follower = new LogFollower(
      files.log,
      (chunk, offset, seenAt) => {
        this.watchdog.output(chunk, seenAt);
        this.sink.consume(chunk, offset, seenAt);
      },
      0,
      this.sink.truncated,
    );
    this.#events = new PythonEventFollower(files.events, this.watchdog.pythonEvent);
    this.peakMemoryMeasure = this.#memory.measure([], run.cgroupPath).measure;
  }

  async start(): Promise<void> {
    this.#sampler = setInterval(this.#sampleMemory, MEMORY_SAMPLE_MS);
    setTimeout(this.#sampleMemory, 100).unref();
    await Promise.all([this.#follower.start(), this.#events.start(), this.sink.start()]);
    this.watchdog.start();
    this.#context.hooks.onWatchdog?.(this.watchdog, this.sink);
  }

  /** Reads everything the job wrote (the log and its Python events) to the end. */
  async finish(): Promise<void> {
    await Promise.all([this.#follower.finish(), this.#events.finish()]);
  }

  /** Stops the timers and ends the record; the echo may still have work (sink.drainEcho). */
  close(): void {
    if (this.#sampler) clearInterval(this.#sampler);
    this.watchdog.stop();
    this.sink.close();
  }

  #sampleMemory = (): void => {
    const { bytes, measure } = this.#memory.measure(this.#context.run.processes.pids(), this.#context.run.cgroupPath);
    this.peakMemoryBytes = Math.max(this.peakMemoryBytes, bytes);
    this.peakMemoryMeasure = measure;
    this.watchdog.memoryBytes = bytes;
  };
}
