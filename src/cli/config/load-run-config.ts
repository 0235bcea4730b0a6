/**
 * Reads vigil.yaml (in the working directory, or the file `-c` names) into `vigil run` options.
 * `vigil run` checks the whole file (read-config-file.ts: one file is valid or not, whichever
 * command reads it) but uses only the top level: `gpus:` and `jobs:` are `vigil submit`'s, and a
 * run never starts one of the jobs.
 */

import { join, resolve } from 'node:path';
import { RUN_CONFIG_FIELDS, optionKey, type RunConfigOptions } from './run-config-schema.ts';
import { parseConfigFile, readConfigText } from './read-config-file.ts';

export const DEFAULT_CONFIG_FILE = 'vigil.yaml';

export type RunConfig = {
  options: RunConfigOptions;
  /** The command, when the file gives one (the command line's wins). */
  command: string[] | null;
  /** The file read, absolute. */
  source: string;
};

/** vigil.yaml in `cwd`, or `explicitPath` (relative to `cwd`); null when there is no vigil.yaml and no -c. */
export function loadRunConfig(cwd: string, explicitPath?: string): RunConfig | null {
  const source = explicitPath === undefined ? join(cwd, DEFAULT_CONFIG_FILE) : resolve(cwd, explicitPath);
  const text = readConfigText(source, explicitPath === undefined ? DEFAULT_CONFIG_FILE : `-c ${explicitPath}`, explicitPath === undefined);
  if (text === null) return null;
  return { ...parseRunConfig(text, explicitPath ?? DEFAULT_CONFIG_FILE), source };
}

/** The options in a vigil.yaml's text; `file` names it in errors. */
export function parseRunConfig(text: string, file: string): Omit<RunConfig, 'source'> {
  const { command, ...keys } = parseConfigFile(text, file).data;
  const options = Object.fromEntries(
    Object.entries(keys)
      .filter(([key]) => Object.hasOwn(RUN_CONFIG_FIELDS, key))
      .map(([key, value]) => [optionKey(key), value]),
  ) as RunConfigOptions;
  return { options, command: command ?? null };
}
