/** The shared corpora of real logs (../shared next to the repository, in CI too), one JSON object a line. */

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO } from './vigil.ts';

export const CRASH_CORPUS = join(REPO, '..', 'shared', 'crashlogs', 'dev.jsonl');
export const PROGRESS_CORPUS = join(REPO, '..', 'shared', 'progress', 'dev.jsonl');

/** Every row; throws when the corpus is missing or smaller than `atLeast` (a test must not pass on nothing). */
export function readCorpus<T>(path: string, atLeast: number): T[] {
  const rows = readFileSync(path, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as T);
  if (rows.length < atLeast) throw new Error(`expected at least ${atLeast} rows in the corpus at ${path}, found ${rows.length}`);
  return rows;
}
