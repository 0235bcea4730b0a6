/**
 * What made a failure go away: given the failures of one signature and the runs, the latest run
 * of the same job that succeeded after them, and what differed from the last failure before it —
 * the `--param` values, the inputs' fingerprints, the command's words, the declared environment.
 * Pure over records.
 */

import { compareFingerprints } from '../fingerprint.ts';
import { isoTime } from '../runs/views.ts';
import type { FailureRecord, ParamValues, RunOutline } from './records.ts';

export type ValueChange = { name: string; before: string | null; after: string | null };

export type FixedBy = {
  /** The run that succeeded. */
  run: string;
  run_name: string | null;
  succeeded_at: string | null;
  /** The failure it is compared with: the last one of the job before that success. */
  compared_with: { run: string; attempt: number };
  params: ValueChange[];
  /** The command's words, when they differ (a run of the same name with another command). */
  command: { before: readonly string[]; after: readonly string[] } | null;
  env: ValueChange[];
  /** How the inputs changed (`--fingerprint`), in words. */
  fingerprints: string[];
};

/**
 * Two runs are the same job when they share a name, or run the same command (its `{NAME}`
 * placeholders unsubstituted: the `--param` values may differ) in the same directory.
 */
export function sameJob(a: Pick<RunOutline, 'name' | 'command' | 'cwd'>, b: Pick<RunOutline, 'name' | 'command' | 'cwd'>): boolean {
  if (a.name !== null && a.name === b.name) return true;
  return a.cwd === b.cwd && a.command.length === b.command.length && a.command.every((word, i) => word === b.command[i]);
}

function valueChanges(before: ParamValues | null, after: ParamValues | null): ValueChange[] {
  const names = [...new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])].sort();
  const text = (values: ParamValues | null, name: string) => (values && name in values ? String(values[name]) : null);
  return names
    .map((name) => ({ name, before: text(before, name), after: text(after, name) }))
    .filter((change) => change.before !== change.after);
}

const sameWords = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((word, i) => word === b[i]);

/**
 * The latest success of `job` that follows one of `failures` (a run that failed and then
 * succeeded on a later attempt counts), compared with the last of the job's failures before it.
 * Null when the job has not succeeded since it first failed this way.
 */
export function whatFixedIt(failures: readonly FailureRecord[], runs: readonly RunOutline[], job: RunOutline): FixedBy | null {
  const byId = new Map(runs.map((run) => [run.id, run]));
  const jobFailures = failures
    .filter((failure) => {
      const run = byId.get(failure.runId);
      return run !== undefined && sameJob(run, job);
    })
    .sort((a, b) => a.at - b.at);
  const first = jobFailures[0];
  if (!first) return null;
  const success = runs
    .filter((run) => run.status === 'succeeded' && run.endedAt !== null && run.endedAt > first.at && sameJob(run, job))
    .sort((a, b) => (a.endedAt as number) - (b.endedAt as number))
    .at(-1);
  if (!success) return null;
  const before = jobFailures.filter((failure) => failure.at <= (success.endedAt as number)).at(-1) as FailureRecord;
  const failedRun = byId.get(before.runId) as RunOutline;
  return {
    run: success.id,
    run_name: success.name,
    succeeded_at: isoTime(success.endedAt),
    compared_with: { run: before.runId, attempt: before.n },
    params: valueChanges(before.params, success.params),
    command: sameWords(failedRun.command, success.command) ? null : { before: failedRun.command, after: success.command },
    env: valueChanges(failedRun.declaredEnv, success.declaredEnv),
    fingerprints: compareFingerprints(before.fingerprints ?? [], success.fingerprints ?? []).map((change) => change.message),
  };
}

/** The words that differ, each side: `python train.py --lr 0.1` → `python train.py --lr 0.01` gives `0.1 → 0.01`. */
function commandChange(before: readonly string[], after: readonly string[]): string {
  let start = 0;
  while (start < before.length && start < after.length && before[start] === after[start]) start += 1;
  let end = 0;
  while (end < before.length - start && end < after.length - start && before.at(-1 - end) === after.at(-1 - end)) end += 1;
  const middle = (words: readonly string[]) => words.slice(start, words.length - end).join(' ') || '(nothing)';
  return `${middle(before)} → ${middle(after)}`;
}

const valueText = (change: ValueChange) => `${change.before ?? '(unset)'} → ${change.after ?? '(unset)'}`;

/** In words: "--param BATCH 64 → 16; env SEED 1 → 2", or that nothing recorded changed. */
export function describeFixedBy(fixed: FixedBy): string {
  const parts = [
    ...fixed.params.map((change) => `--param ${change.name} ${valueText(change)}`),
    ...(fixed.command ? [`command ${commandChange(fixed.command.before, fixed.command.after)}`] : []),
    ...fixed.env.map((change) => `env ${change.name} ${valueText(change)}`),
    ...fixed.fingerprints.map((message) => `input ${message}`),
  ];
  return parts.length > 0 ? parts.join('; ') : 'nothing vigil records changed (params, command, env, inputs)';
}
