/**
 * The watchdog of one attempt: reads progress from the job's output and the Python helper's
 * events, notices start-up stalls, hangs, stalled pipeline edges and NaN losses within its
 * tick (200 ms) of their timeout, takes the stacks, and tells the supervisor what to do. The
 * decisions are pure (src/core/watchdog, src/core/progress); this file only wires them to
 * time, processes and the store.
 *
 * Progress is timed by when vigil reads it, so vigil not reading must not look like the job
 * hanging: before declaring a stall the watchdog reads the log to its end, and time vigil itself
 * was not running (stopped, blocked, the machine asleep) is taken off the stall clock, as is time
 * the job was paused (`vigil pause`).
 */

import { closeSync, writeSync } from 'node:fs';
import { resolve } from 'node:path';
import { openRunFileForAppend } from '../store/run-files.ts';
import { performance } from 'node:perf_hooks';
import type { Diagnosis } from '../core/diagnosis/diagnose.ts';
import type { ProcessStack } from '../core/diagnosis/stack-dump.ts';
import { ProgressTracker, type Progress } from '../core/progress/progress-tracker.ts';
import type { LossValue, ProgressUpdate } from '../core/progress/parse-line.ts';
import { diagnoseHang } from '../core/watchdog/hang-diagnosis.ts';
import { NonFiniteMetrics, nanLossDiagnosis } from '../core/watchdog/non-finite.ts';
import { StageCounters } from '../core/watchdog/stage-counters.ts';
import type { WatchdogSettings } from '../core/watchdog/settings.ts';
import { PauseDetector, StallClock } from '../core/watchdog/stall-clock.ts';
import type { PythonEvent, PythonRegistry } from './python-events.ts';
import type { RunProcesses } from '../platform/run-processes.ts';
import { dumpStacks } from './stack-dump.ts';
import type { RunWriter } from './store-writer.ts';
import type { RunEvent } from '../core/runs/events.ts';

export type WatchdogContext = {
  runId: string;
  attempt: number;
  startedAt: number;
  /** Where events and progress go: writes that never throw (held and retried when the database cannot take them). */
  store: RunWriter;
  processes: RunProcesses;
  registry: PythonRegistry;
  /** Where the stacks taken on a stall are kept, every process's under a header (appended). */
  stacksPath: string;
  warn: (message: string) => void;
  /** Reads the job's output written so far (before a stall is declared: it may hold the progress). */
  catchUp: () => Promise<void>;
  /** End the attempt as failed with this diagnosis. */
  fail: (reason: string, diagnosis: Diagnosis) => void;
  /** The run is paused (`vigil pause`): no stall while it is, and the time it was is not the job's. */
  paused: () => boolean;
};

const TICK_MS = 200;
/** A longer gap between two looks is vigil not running, not a busy moment. */
const PAUSE_TOLERANCE_MS = 1000;
const PERSIST_EVERY_MS = 5000;
const MAX_STORED_EXCEPTIONS = 100;
const MAX_REPORTED_EPISODES = 5;

export class RunWatchdog {
  readonly tracker = new ProgressTracker();
  readonly stages = new StageCounters();
  readonly flags = new Set<string>();
  /** The newest checkpoint step the helper reported written (`vigil.checkpoint`), null while none. */
  checkpointStep: number | null = null;
  /** The paths the helper said are complete checkpoints (resolved). */
  readonly announcedCheckpoints = new Set<string>();
  /** Resident memory of the whole job, as last sampled by the supervisor. */
  memoryBytes = 0;
  #options: WatchdogSettings;
  #context: WatchdogContext;
  #clock: StallClock;
  #pauses = new PauseDetector(TICK_MS, PAUSE_TOLERANCE_MS);
  #timer: NodeJS.Timeout | null = null;
  /** Since when `vigil pause` has held the job, as this watchdog saw it; null while it runs. */
  #pausedAt: number | null = null;
  #investigating = false;
  #stalled = false;
  #persistedAt = 0;
  #persistedAdvances = -1;
  #persistedStages = 0;
  #nonFinite = new NonFiniteMetrics();
  #exceptionsSeen = 0;

  constructor(options: WatchdogSettings, context: WatchdogContext) {
    this.#options = options;
    this.#context = context;
    this.#clock = new StallClock(options.stall, context.startedAt);
    this.tracker.onUpdate = (update) => this.#checkNonFinite(update);
  }

  start(): void {
    this.#now();
    this.#timer = setInterval(() => void this.#tick(this.#now()), TICK_MS);
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    this.tracker.flush(Date.now());
    this.#persist(Date.now(), true);
  }

  /** Bytes of the job's output, as they reach the log. */
  output = (chunk: Buffer, seenAt: number): void => {
    this.#now();
    this.#clock.output(seenAt);
    if (this.tracker.pushBytes(chunk, seenAt)) this.#advanced(seenAt);
  };

  pythonEvent = (event: PythonEvent, seenAt: number): void => {
    this.#now();
    this.#context.registry.record(event);
    switch (event.ev) {
      case 'step': {
        // Every rank may report; the run's progress is its lowest rank's (the others would make it
        // flicker): rank 0 on one machine, and on each other node of a multi-node job, that node's first.
        const rank = this.#context.registry.processes.get(event.pid)?.rank ?? null;
        const { lowestRank } = this.#context.registry;
        if (rank !== null && lowestRank !== null && rank !== String(lowestRank)) break;
        // The helper's word outranks anything parsed from the output (stepRank 3).
        const moved = this.tracker.apply(
          {
            step: event.step,
            stepRank: 3,
            ...(event.total !== undefined ? { total: event.total } : {}),
            ...(event.epoch !== undefined ? { epoch: event.epoch } : {}),
            metrics: event.metrics as Record<string, LossValue>,
          },
          seenAt,
        );
        if (moved) this.#advanced(seenAt);
        break;
      }
      case 'count':
        this.stages.add(event.counts, seenAt);
        // A pipeline that counts items but has no training step: items moving are its progress.
        // (Once steps are reported, they alone are: a stage upstream of a hung trainer may run on.)
        if (this.tracker.progress.step === null && Object.values(event.counts).some((n) => n > 0)) this.#advanced(seenAt);
        break;
      case 'stages':
        this.stages.declare(event.names);
        break;
      case 'phase':
        this.#clock.phase(event.name, seenAt);
        this.#event('phase', { name: event.name });
        break;
      case 'checkpoint':
        if (event.step !== null) this.checkpointStep = Math.max(this.checkpointStep ?? event.step, event.step);
        this.announcedCheckpoints.add(resolve(event.path));
        this.#event('checkpoint', { path: event.path, step: event.step });
        break;
      case 'exception':
        if (this.#raisedOnItsWayOut(event)) this.#clock.exiting(seenAt);
        // A thread pool failing in a loop must not fill the database: the first ones tell the story.
        if (++this.#exceptionsSeen > MAX_STORED_EXCEPTIONS) break;
        this.#event('python_exception', {
          pid: event.pid,
          process: this.#context.registry.exceptions.at(-1)?.process,
          thread: event.thread,
          type: event.type,
          message: event.message,
        });
        break;
      default:
    }
  };

  progress(): Progress {
    return this.tracker.snapshot();
  }

  /**
   * An uncaught exception in the main thread of one of the program's own processes (main, a
   * launcher's rank): that process is on its way out. Not a multiprocessing child's (a pool
   * worker, a DataLoader worker): its parent may go on without it.
   */
  #raisedOnItsWayOut(event: Extract<PythonEvent, { ev: 'exception' }>): boolean {
    const process = this.#context.registry.processes.get(event.pid);
    return event.thread === 'MainThread' && process !== undefined && process.worker === null && process.name === null;
  }

  #advanced(now: number): void {
    this.#clock.progress(now);
    this.#stalled = false;
  }

  /**
   * NaN or Inf in the loss or any metric: an event, a flag and a warning, once per episode and
   * metric. Only a non-finite *loss* stops the run under --on-nan stop: an inf grad norm is
   * routine with fp16 loss scaling, which skips that step.
   */
  #checkNonFinite(update: ProgressUpdate): void {
    const metrics: Record<string, LossValue> = { ...update.metrics, ...(update.loss !== undefined ? { loss: update.loss } : {}) };
    const { step } = this.tracker.progress;
    for (const { metric, episode } of this.#nonFinite.newly(metrics)) {
      const value = metrics[metric];
      this.flags.add('nan_loss');
      const message = `${metric} is ${String(value)}${step !== null ? ` at step ${step}` : ''}`;
      if (metric === 'loss' && this.#options.onNan === 'stop') this.#context.fail('nan loss', nanLossDiagnosis(message));
      // fp16 loss scaling makes the grad norm inf now and then, for the whole run: say it a few times.
      if (episode > MAX_REPORTED_EPISODES) continue;
      this.#event('nan_loss', { step, metric, value, episode });
      this.#context.warn(episode === MAX_REPORTED_EPISODES ? `${message} (${episode} times now; not reported again)` : message);
    }
  }

  async #tick(now: number): Promise<void> {
    this.#persist(now, false);
    if (this.#followPause(now)) return;
    for (const stall of this.stages.stalls(now, this.#options.stageTimeoutMs, this.#context.startedAt)) {
      this.flags.add('stage_stall');
      this.#event('stage_stall', { upstream: stall.upstream.name, downstream: stall.downstream.name, message: stall.message });
      this.#context.warn(`pipeline edge stalled: ${stall.message}`);
    }
    if (this.#stalled || this.#investigating || !this.#clock.check(now)) return;
    this.#investigating = true;
    try {
      // What vigil has not read yet may be the very progress missing.
      await this.#context.catchUp();
      const stall = this.#clock.check(this.#now());
      if (!stall) return;
      const { stacks, stopped } = await dumpStacks(this.#context.processes.pids(), this.#context.registry);
      const diagnosis = diagnoseHang(stall, stacks, {
        step: this.tracker.progress.step,
        imports: this.#context.registry.imports,
        stopped,
        raised: this.#context.registry.exceptions,
        now: Date.now(),
      });
      const kind = stall.kind === 'startup' ? 'startup_stall' : 'hang';
      const reason = kind.replace('_', ' ');
      this.#keepStacks(diagnosis.stacks, reason);
      this.#stalled = true;
      this.flags.add(kind);
      this.#event(kind, { summary: diagnosis.summary, stacks: diagnosis.stacks.length, ends_attempt: this.#options.onHang === 'kill' });
      this.#context.warn(diagnosis.summary);
      if (this.#options.onHang === 'kill') this.#context.fail(reason, diagnosis);
    } finally {
      this.#investigating = false;
    }
  }

  /**
   * True while the run is paused. The stall clock stands still meanwhile: when the run is
   * continued it is moved on by the pause (as for vigil's own, see #now), so neither the stall
   * check nor auto calibration counts time the job was frozen.
   */
  #followPause(now: number): boolean {
    const paused = this.#context.paused();
    if (paused) this.#pausedAt ??= now;
    else if (this.#pausedAt !== null) {
      this.#clock.resumed(now - this.#pausedAt, now);
      this.#pausedAt = null;
    }
    return paused;
  }

  /**
   * The time now, having first noticed a pause of vigil's own since the last look: it is taken
   * off the stall clock before anything read after it is counted (that is stamped now).
   */
  #now(): number {
    const now = Date.now();
    const pausedMs = this.#pauses.observe(now, performance.now());
    if (pausedMs > 0) {
      this.#clock.resumed(pausedMs, now);
      this.#event('supervisor_paused', { ms: pausedMs });
    }
    return now;
  }

  #keepStacks(stacks: ProcessStack[], kind: string): void {
    const taken = new Date().toISOString();
    const text = stacks.map((stack) => `# ${kind} at ${taken}: ${stack.process} (pid ${stack.pid})\n${stack.text.trimEnd()}\n\n`).join('');
    try {
      const fd = openRunFileForAppend(this.#context.stacksPath);
      try {
        writeSync(fd, text || `# ${kind} at ${taken}: no Python stacks could be taken\n\n`);
      } finally {
        closeSync(fd);
      }
    } catch (error) {
      this.#context.warn(`could not keep the stacks in ${this.#context.stacksPath}: ${(error as Error).message}`);
    }
  }

  #persist(now: number, final: boolean): void {
    const advances = this.tracker.advances;
    const stagesVersion = this.stages.version;
    const changed = advances !== this.#persistedAdvances || stagesVersion !== this.#persistedStages;
    if (!final && (!changed || now - this.#persistedAt < PERSIST_EVERY_MS)) return;
    this.#persistedAt = now;
    this.#persistedAdvances = advances;
    this.#persistedStages = stagesVersion;
    const progress = this.progress();
    const hasProgress = progress.step !== null || progress.epoch !== null || Object.keys(progress.metrics).length > 0;
    const stages = this.stages.snapshot(now);
    if (!hasProgress && stages.length === 0) return;
    const { store, runId, attempt } = this.#context;
    store.together(() => {
      store.updateRun(runId, { ...(hasProgress ? { progress } : {}), ...(stages.length > 0 ? { stages } : {}) });
      if (hasProgress) store.addEvent({ runId, attempt, at: now, kind: 'progress', data: progress });
      if (stages.length > 0) store.addEvent({ runId, attempt, at: now, kind: 'stages', data: stages });
    }, `progress ${runId}`);
  }

  #event<K extends RunEvent['kind']>(kind: K, data: Extract<RunEvent, { kind: K }>['data']): void {
    this.#context.store.addEvent({ runId: this.#context.runId, attempt: this.#context.attempt, at: Date.now(), kind, data });
  }
}
