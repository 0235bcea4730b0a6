/**
 * `vigil submit` takes every `vigil run` option and stores them as the words typed, for the job's
 * supervisor to parse as `vigil run` does (commander has already checked them all). The words of
 * submit's own options are left out.
 */

/** Submit's own options, and whether each takes a value. */
const SUBMIT_ONLY: ReadonlyMap<string, boolean> = new Map([
  ['--name', true],
  ['--priority', true],
  ['--gpus', true],
  ['--after', true],
  ['--env', true],
  ['--share-gpus', false],
  ['--allow-duplicate', false],
  ['--on-supervisor-loss', true],
  ['-f', true],
  ['--file', true],
  ['--slurm', false],
  ['--sbatch', true],
]);

/** `typed`: the words after `submit`; `command`: the trailing command words commander found. */
export function runOptionWords(typed: readonly string[], command: readonly string[]): string[] {
  return optionWordsWithout(typed, command, SUBMIT_ONLY);
}

/** The option words of `typed` (before `command`) without those of `own` (a flag → whether it takes a value). */
export function optionWordsWithout(typed: readonly string[], command: readonly string[], own: ReadonlyMap<string, boolean>): string[] {
  const options = typed.slice(0, typed.length - command.length);
  if (options.at(-1) === '--') options.pop();
  const kept: string[] = [];
  for (let i = 0; i < options.length; i += 1) {
    const word = options[i] as string;
    const flag = word.startsWith('--') ? (word.split('=')[0] as string) : word;
    const takesValue = own.get(flag);
    if (takesValue === undefined) {
      kept.push(word);
      continue;
    }
    if (takesValue && !word.includes('=')) i += 1; // skip its value too
  }
  return kept;
}
