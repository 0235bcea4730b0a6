/**
 * The memory of failures: each failed attempt's signature, how often and where it was seen
 * before, and what made it go away (fixed-by.ts). `vigil show`/`run` ask about one attempt
 * (seenBefore); `vigil history` lists every signature (signatures). Pure over records.
 */

import { isoTime } from '../runs/views.ts';
import { type FixedBy, whatFixedIt } from './fixed-by.ts';
import type { FailureRecord, RunOutline } from './records.ts';
import { failureSignature, type Signature } from './signature.ts';

/** The JSON of `seen_before` on a failed attempt's diagnosis (`vigil show --json`). */
export type SeenBefore = {
  signature: string;
  /** Earlier failures with this signature (attempts, in any run). */
  count: number;
  first_seen: string | null;
  /** The runs they failed in, oldest first: the latest MAX_RUNS of them. */
  runs: string[];
  fixed_by: FixedBy | null;
};

export type SignatureSummary = {
  signature: string;
  category: string;
  exception: string | null;
  frame: string | null;
  count: number;
  first_seen: string | null;
  last_seen: string | null;
  runs: string[];
  /** The names of the runs it failed in (the jobs), those that have one. */
  jobs: string[];
  fixed_by: FixedBy | null;
};

export const MAX_RUNS = 10;

type Occurrence = FailureRecord & { signature: Signature };

const byTime = (a: FailureRecord, b: FailureRecord) => a.at - b.at || (a.runId === b.runId ? a.n - b.n : 0);

function distinctRuns(occurrences: readonly FailureRecord[]): string[] {
  return [...new Set(occurrences.map((occurrence) => occurrence.runId))].slice(-MAX_RUNS);
}

export class FailureMemory {
  readonly #runs: readonly RunOutline[];
  readonly #runById: Map<string, RunOutline>;
  /** Occurrences by signature key, oldest first. */
  readonly #bySignature = new Map<string, Occurrence[]>();
  /** `runId#n` → its signature's key. */
  readonly #keyOf = new Map<string, string>();

  constructor(failures: readonly FailureRecord[], runs: readonly RunOutline[]) {
    this.#runs = runs;
    this.#runById = new Map(runs.map((run) => [run.id, run]));
    for (const failure of [...failures].sort(byTime)) {
      const signature = failureSignature(failure.diagnosis);
      const list = this.#bySignature.get(signature.key) ?? [];
      list.push({ ...failure, signature });
      this.#bySignature.set(signature.key, list);
      this.#keyOf.set(`${failure.runId}#${failure.n}`, signature.key);
    }
  }

  /** What is remembered of attempt `n` of `runId`'s failure; null when it did not fail, or failed a new way. */
  seenBefore(runId: string, n: number): SeenBefore | null {
    const run = this.#runById.get(runId);
    const key = this.#keyOf.get(`${runId}#${n}`);
    if (!run || key === undefined) return null;
    const occurrences = this.#bySignature.get(key) as Occurrence[];
    const earlier = occurrences.slice(
      0,
      occurrences.findIndex((occurrence) => occurrence.runId === runId && occurrence.n === n),
    );
    const first = earlier[0];
    if (!first) return null;
    return {
      signature: first.signature.id,
      count: earlier.length,
      first_seen: isoTime(first.at),
      runs: distinctRuns(earlier),
      fixed_by: whatFixedIt(earlier, this.#runs, run),
    };
  }

  /** Every signature, most recently seen first; with `job`, only failures of runs of that name. */
  signatures(options: { job?: string } = {}): SignatureSummary[] {
    const summaries: SignatureSummary[] = [];
    for (const all of this.#bySignature.values()) {
      const occurrences = options.job === undefined ? all : all.filter((o) => this.#runById.get(o.runId)?.name === options.job);
      const first = occurrences[0];
      const last = occurrences.at(-1);
      if (!first || !last) continue;
      const names = occurrences.map((o) => this.#runById.get(o.runId)?.name).filter((name): name is string => !!name);
      const lastRun = this.#runById.get(last.runId);
      summaries.push({
        signature: first.signature.id,
        category: first.signature.category,
        exception: first.signature.exception,
        frame: first.signature.frame,
        count: occurrences.length,
        first_seen: isoTime(first.at),
        last_seen: isoTime(last.at),
        runs: distinctRuns(occurrences),
        jobs: [...new Set(names)],
        fixed_by: lastRun ? whatFixedIt(occurrences, this.#runs, lastRun) : null,
      });
    }
    return summaries.sort((a, b) => (b.last_seen ?? '').localeCompare(a.last_seen ?? ''));
  }
}
