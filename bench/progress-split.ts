/**
 * The honest measure of the progress parser (issue 13): the dev corpus split in two halves by
 * source repository (owner/name from `source`; a stable hash decides the half), so that no
 * repository's outputs sit on both sides. Rules are tuned looking at half A's misses only; half
 * B is reported as unseen: its figures are printed, its misses are not (unless asked for).
 *
 * Run: node --import tsx bench/progress-split.ts [--show-unseen] [FILE]
 *
 * With FILE (a corpus of the same format kept outside the repository, e.g. freshly collected
 * outputs), that file is scored as one set and its misses are printed instead.
 */

import { halfOf, repositoryOf } from '../test/helpers/corpus-halves.ts';
import { PROGRESS_CORPUS, readCorpus } from '../test/helpers/corpus.ts';
import { type ProgressRow, scoreRow } from '../test/helpers/progress-score.ts';
import { exitQuietlyOnBrokenPipe } from '../src/cli/broken-pipe.ts';

// `… | head`: stop quietly when the reader goes, as the CLI does.
exitQuietlyOnBrokenPipe();

const showUnseen = process.argv.includes('--show-unseen');
const file = process.argv.slice(2).find((arg) => !arg.startsWith('--'));
const rows = readCorpus<ProgressRow>(file ?? PROGRESS_CORPUS, file ? 1 : 20);
for (const half of file ? (['file'] as const) : (['A', 'B'] as const)) {
  const mine = file ? rows : rows.filter((row) => halfOf(row.source) === half);
  const repositories = new Set(mine.map((row) => repositoryOf(row.source)));
  let step = 0;
  let loss = 0;
  const misses: string[] = [];
  for (const row of mine) {
    const { got, wrong } = scoreRow(row);
    if (!wrong.includes('step')) step += 1;
    if (!wrong.includes('loss')) loss += 1;
    for (const field of wrong.filter((f) => f === 'step' || f === 'loss'))
      misses.push(
        `${row.framework} ${field}: got ${JSON.stringify(got[field])}, expected ${JSON.stringify(row.expect[field])} (${row.source})`,
      );
  }
  const pct = (n: number) => ((100 * n) / mine.length).toFixed(1);
  const role = half === 'A' ? 'tuned' : 'unseen';
  console.log(
    `${half === 'file' ? file : `half ${half}`} (${role}): ${mine.length} outputs from ${repositories.size} repositories: step ${pct(step)} %, loss ${pct(loss)} %, ${misses.length} misses`,
  );
  if (half !== 'B' || showUnseen) for (const miss of misses) console.log(`  miss ${miss}`);
}
