/**
 * `vigil run`'s command and options as they take effect: the command line over vigil.yaml over
 * the defaults, checked across options. Throws a usage error (exit 2) before anything starts.
 */

import type { Command } from 'commander';
import { runOptionProblem, type CheckedOptions } from '../../core/run-options/consistency.ts';
import { ExitCode, VigilError } from '../../errors.ts';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { mergeRunOptions, typedOptionKeys } from './merge-run-options.ts';

/** The repeatable options when neither the command line nor the file gives them. */
const REPEATABLE_DEFAULTS = { retryOn: [], param: {}, on: [], checkpoints: [], fingerprint: [] };

export type RunInvocation<T> = { command: string[]; options: T; configSource: string | null };

export async function resolveRunInvocation<T extends CheckedOptions & { config?: string }>(
  words: string[],
  options: T,
  runCommand: Command,
  cwd: string,
): Promise<RunInvocation<T>> {
  // The YAML and schema libraries are most of vigil's start-up: loaded only when there is a file to read.
  const hasConfig = options.config !== undefined || existsSync(join(cwd, 'vigil.yaml'));
  const config = hasConfig ? (await import('./load-run-config.ts')).loadRunConfig(cwd, options.config) : null;
  const merged = {
    ...REPEATABLE_DEFAULTS,
    ...mergeRunOptions((config?.options ?? {}) as Partial<T>, options, typedOptionKeys(runCommand)),
  };
  delete merged.config; // where the options came from, not one of them
  const problem = runOptionProblem(merged);
  if (problem) throw new VigilError(problem, ExitCode.usage);
  // The command line's command replaces the file's whole: the two are never spliced.
  return { command: words.length > 0 ? words : (config?.command ?? []), options: merged, configSource: config?.source ?? null };
}
