/**
 * A job's `vigil run` options, as vigil.yaml wrote them, turned back into command-line words that
 * `vigil run`'s parser reads to the same values: the queue stores words, and the job's supervisor
 * parses them as `vigil run` does. Values go out as written (`45s`, not 45000): the file's schema
 * and the command line parse a value with the same function.
 */

import { resolve } from 'node:path';
import { JOB_RUN_OPTION_KEYS, type JobRunOptionKey } from './run-config-schema.ts';

/** Options on by default: `false` is their --no- form. */
const NEGATABLE: ReadonlySet<JobRunOptionKey> = new Set(['cgroup', 'python-hooks']);
/** Lists of paths: made absolute against the job's directory, as `vigil run` resolves them against its own. */
const PATH_LISTS: ReadonlySet<JobRunOptionKey> = new Set(['checkpoints', 'fingerprint']);

/**
 * `--key=value` words (the `=` keeps a value that starts with a dash a value), in the schema's
 * order. `options` are already checked (read-config-file.ts): keys are `vigil run` options.
 */
export function runOptionWords(options: Partial<Record<JobRunOptionKey, unknown>>, cwd: string): string[] {
  const words: string[] = [];
  for (const key of JOB_RUN_OPTION_KEYS) {
    const value = options[key];
    if (value === undefined || value === null) continue;
    if (typeof value === 'boolean') {
      if (NEGATABLE.has(key) && !value) words.push(`--no-${key}`);
      else if (!NEGATABLE.has(key) && value) words.push(`--${key}`);
    } else if (key === 'param') {
      for (const [name, param] of Object.entries(value as Record<string, unknown>)) words.push(`--param=${name}=${String(param)}`);
    } else if (key === 'on') {
      for (const [category, rule] of Object.entries(value as Record<string, { halve?: string; double?: string }>))
        words.push(`--on=${category}:halve=${rule.halve}${rule.double === undefined ? '' : `,double=${rule.double}`}`);
    } else if (Array.isArray(value) || PATH_LISTS.has(key) || key === 'retry-on') {
      // One item alone may be written without the brackets (`checkpoints: out`).
      for (const item of [value].flat()) words.push(`--${key}=${PATH_LISTS.has(key) ? resolve(cwd, String(item)) : String(item)}`);
    } else words.push(`--${key}=${String(value)}`);
  }
  return words;
}
