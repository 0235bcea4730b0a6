/**
 * When is a job stuck? Pure: fed the times of output, progress and phase changes, it answers
 * with the next moment worth checking and, at that moment, whether the job has stalled.
 *
 * - Before the first progress: silence (no output, no progress) longer than the startup timeout.
 * - After it: no new step for the progress timeout. Output is not progress: a warning printed
 *   in a loop does not keep a hung trainer alive. `auto` calibrates from the observed
 *   intervals between steps (a multiple of the slowest recent one, with a floor); a declared
 *   phase other than training (eval, checkpoint) gets a longer allowance.
 * - Time vigil itself was not running (stopped, or the machine asleep) is not the job's: the
 *   clock is shifted by it (see PauseDetector and `resumed`); nor is time the job was paused
 *   (`vigil pause`): the watchdog checks nothing meanwhile and shifts the clock the same way.
 */

export type StallConfig = {
  startupTimeoutMs: number;
  /** null: auto. */
  progressTimeoutMs: number | null;
  autoFloorMs: number;
  autoMultiple: number;
  /** After a program's main thread raised an uncaught exception, how long the job may stay silent on its way out (Infinity: off). */
  exitGraceMs: number;
};

export const DEFAULT_STALL_CONFIG: StallConfig = {
  startupTimeoutMs: 10 * 60_000,
  progressTimeoutMs: null,
  autoFloorMs: 5 * 60_000,
  autoMultiple: 10,
  exitGraceMs: 60_000,
};

/** `exit`: the main thread raised an uncaught exception, and the job neither exited nor said anything since. */
export type Stall = { kind: 'startup' | 'progress' | 'exit'; silentForMs: number; timeoutMs: number; phase: string | null };

const RECENT_INTERVALS = 20;
const TRAINING_PHASES = new Set(['train', 'training', 'fit']);

export class StallClock {
  #config: StallConfig;
  #lastOutput: number;
  #lastProgress: number | null = null;
  #intervals: number[] = [];
  #phase: string | null = null;
  #phaseSince: number;
  #exitingSince: number | null = null;

  constructor(config: StallConfig, startedAt: number) {
    this.#config = config;
    this.#lastOutput = startedAt;
    this.#phaseSince = startedAt;
  }

  output(now: number): void {
    this.#lastOutput = Math.max(this.#lastOutput, now);
  }

  progress(now: number): void {
    if (this.#lastProgress !== null) {
      this.#intervals.push(now - this.#lastProgress);
      if (this.#intervals.length > RECENT_INTERVALS) this.#intervals.shift();
    }
    this.#lastProgress = now;
    this.#lastOutput = Math.max(this.#lastOutput, now);
  }

  /**
   * Vigil was not running for `pausedMs` until `now`: nothing could be seen meanwhile, so every
   * time known is moved on by that much (never past now). Whatever is read after the pause is
   * stamped `now`, which already credits the job with all of it: this is called before any of
   * it is applied, so it is credited once. The interval from the last step to the next one
   * loses the pause too, so auto calibration is not stretched by it.
   */
  resumed(pausedMs: number, now: number): void {
    const shift = (at: number) => Math.min(at + pausedMs, Math.max(at, now));
    this.#lastOutput = shift(this.#lastOutput);
    if (this.#lastProgress !== null) this.#lastProgress = shift(this.#lastProgress);
    this.#phaseSince = shift(this.#phaseSince);
    if (this.#exitingSince !== null) this.#exitingSince = shift(this.#exitingSince);
  }

  /**
   * A program process's main thread raised an uncaught exception: the job is on its way out. Past
   * the exit grace with nothing said since, it hung there (a non-daemon thread joined at exit, a
   * dead worker's queue), and waiting the whole progress timeout would only lose time.
   */
  exiting(now: number): void {
    this.#exitingSince ??= now;
  }

  phase(name: string, now: number): void {
    this.#phase = name;
    this.#phaseSince = now;
  }

  get sawProgress(): boolean {
    return this.#lastProgress !== null;
  }

  /** The timeout in force now, and since when the clock runs: the exit grace once the job is exiting, if it ends sooner. */
  current(): { kind: Stall['kind']; since: number; timeoutMs: number } {
    const running = this.#running();
    if (this.#exitingSince === null) return running;
    const since = Math.max(this.#exitingSince, this.#lastOutput);
    const timeoutMs = this.#config.exitGraceMs;
    return since + timeoutMs < running.since + running.timeoutMs ? { kind: 'exit', since, timeoutMs } : running;
  }

  /** The start-up or progress timeout, and since when it runs. */
  #running(): { kind: Stall['kind']; since: number; timeoutMs: number } {
    const { startupTimeoutMs, progressTimeoutMs, autoFloorMs, autoMultiple } = this.#config;
    if (this.#lastProgress === null) return { kind: 'startup', since: this.#lastOutput, timeoutMs: startupTimeoutMs };
    let timeoutMs = progressTimeoutMs;
    if (timeoutMs === null) {
      // Until two intervals are known, the start-up allowance still applies.
      timeoutMs = this.#intervals.length < 2 ? startupTimeoutMs : Math.max(autoFloorMs, autoMultiple * Math.max(...this.#intervals));
    }
    const inOtherPhase = this.#phase !== null && !TRAINING_PHASES.has(this.#phase.toLowerCase());
    if (inOtherPhase) timeoutMs = Math.max(3 * timeoutMs, startupTimeoutMs);
    const since = inOtherPhase ? Math.max(this.#lastProgress, this.#phaseSince) : this.#lastProgress;
    return { kind: 'progress', since, timeoutMs };
  }

  /** When to look next (ms since epoch). */
  deadline(): number {
    const { since, timeoutMs } = this.current();
    return since + timeoutMs;
  }

  check(now: number): Stall | null {
    const { kind, since, timeoutMs } = this.current();
    if (now - since < timeoutMs) return null;
    return { kind, silentForMs: now - since, timeoutMs, phase: this.#phase };
  }
}

/**
 * Notices when vigil itself was not running: its watchdog looks every `tickMs`, so a longer gap
 * between two looks means vigil was stopped (Ctrl-Z, SIGSTOP), blocked (a terminal held by
 * Ctrl-S on a synchronous write), or the machine slept. Both clocks are read: the monotonic one
 * is immune to wall-clock steps, but on Linux it does not advance while the machine is
 * suspended, and the wall clock does; the longer of the two gaps is taken.
 */
export class PauseDetector {
  #tickMs: number;
  #toleranceMs: number;
  #last: { wall: number; mono: number } | null = null;

  /** A gap up to `toleranceMs` is a busy event loop, not a pause. */
  constructor(tickMs: number, toleranceMs: number) {
    this.#tickMs = tickMs;
    this.#toleranceMs = toleranceMs;
  }

  /** A look at both clocks; returns how long vigil was not running since the previous look (0 if it was). */
  observe(wall: number, mono: number): number {
    const last = this.#last;
    this.#last = { wall, mono };
    if (last === null) return 0;
    const gap = Math.max(wall - last.wall, mono - last.mono);
    return gap > this.#toleranceMs ? gap - this.#tickMs : 0;
  }
}
