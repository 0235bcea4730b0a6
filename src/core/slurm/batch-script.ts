/**
 * `vigil submit --slurm`: the batch script sbatch runs. vigil is the batch shell itself (`exec`),
 * so `--signal=B:USR1@N` reaches vigil, which asks the job to save before the time limit or a
 * preemption ends it. The script is kept beside the runs, for the record.
 */

import { shellQuote, shellQuoteWord } from '../text/shell-quote.ts';

/** Seconds before the end at which Slurm sends the notice by default: vigil's 2m save grace and some margin. */
export const DEFAULT_SIGNAL_LEAD_S = 180;

export type BatchScriptInput = {
  /** node, its flags and vigil's CLI, as this vigil was started. */
  vigil: readonly string[];
  cwd: string;
  runOptions: readonly string[];
  command: readonly string[];
  sbatchOptions: readonly string[];
  /** `--slurm-signal`'s name without SIG (USR1): the signal sbatch is asked to send. */
  signal: string;
};

/** sbatch's options as given, plus `--signal=B:SIG@180` unless they already ask for a signal. */
export function sbatchOptionsWithSignal(options: readonly string[], signal: string): string[] {
  const asked = options.some((option) => /^--signal(?:=|$)/.test(option));
  return asked ? [...options] : [...options, `--signal=B:${signal}@${DEFAULT_SIGNAL_LEAD_S}`];
}

export function batchScript(input: BatchScriptInput): string {
  const lines = [
    '#!/bin/bash', // bash: a word with control characters is written in ANSI-C quoting
    ...sbatchOptionsWithSignal(input.sbatchOptions, input.signal).map((option) => `#SBATCH ${option}`),
    '# Written by vigil submit --slurm. vigil is the batch shell (exec): it receives --signal, asks the job to save,',
    '# and requeues it; the requeued job runs this script again and resumes from the newest verified checkpoint.',
    `cd ${shellQuoteWord(input.cwd)} || exit 1`,
    `exec ${shellQuote([...input.vigil, 'run', ...input.runOptions, '--', ...input.command])}`,
    '',
  ];
  return lines.join('\n');
}
