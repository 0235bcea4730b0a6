/**
 * When is a job stuck? Pure: fed the times of output, progress and phase changes, it answers
 * with the next moment worth checking and, at that moment, whether the job has stalled.
 *
 * - Before the first progress: silence (no output, no progress) longer than the startup timeout.
 * - After it: no new step for the progress timeout. Output is not progress: a warning printed
 *   in a loop does not keep a hung trainer alive. `auto` calibrates from the observed
 *   intervals between steps (a multiple of the slowest recent one, with a floor); a declared
 *   phase other than training (eval, checkpoint) gets a longer allowance.
 */

export type StallConfig = {
  startupTimeoutMs: number;
  /** null: auto. */
  progressTimeoutMs: number | null;
  autoFloorMs: number;
  autoMultiple: number;
};

export const DEFAULT_STALL_CONFIG: StallConfig = {
  startupTimeoutMs: 10 * 60_000,
  progressTimeoutMs: null,
  autoFloorMs: 5 * 60_000,
  autoMultiple: 10,
};

export type Stall = { kind: 'startup' | 'progress'; silentForMs: number; timeoutMs: number; phase: string | null };

const RECENT_INTERVALS = 20;
const TRAINING_PHASES = new Set(['train', 'training', 'fit']);

export class StallClock {
  #config: StallConfig;
  #lastOutput: number;
  #lastProgress: number | null = null;
  #intervals: number[] = [];
  #phase: string | null = null;
  #phaseSince: number;

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

  phase(name: string, now: number): void {
    this.#phase = name;
    this.#phaseSince = now;
  }

  get sawProgress(): boolean {
    return this.#lastProgress !== null;
  }

  /** The timeout in force now, and since when the clock runs. */
  current(): { kind: Stall['kind']; since: number; timeoutMs: number } {
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
