/**
 * The command line wins over vigil.yaml, which wins over the defaults. Commander fills every
 * option with its default, so what the user typed is told apart by the option's value source.
 */

import type { Command } from 'commander';

/**
 * Each key from the command line where the user typed it, else from the file where it sets it,
 * else the command line's (its default). Pure.
 */
export function mergeRunOptions<T extends object>(fromFile: Partial<T>, fromCommandLine: T, commandLineSetKeys: ReadonlySet<string>): T {
  const merged = { ...fromCommandLine } as Record<string, unknown>;
  for (const [key, value] of Object.entries(fromFile)) if (value !== undefined && !commandLineSetKeys.has(key)) merged[key] = value;
  return merged as T;
}

/** The options the user typed on this command's line (not commander's defaults). */
export function typedOptionKeys(command: Command): Set<string> {
  return new Set(Object.keys(command.opts()).filter((key) => command.getOptionValueSource(key) === 'cli'));
}
