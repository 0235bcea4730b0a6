/**
 * The whole dev corpus of real trainer outputs (../shared/progress/dev.jsonl), as a ratchet: the
 * outputs whose last step, loss, total or epoch the parser still gets wrong are pinned in
 * corpus-misses.json (by a hash of the output, never its text). A new miss fails, and so does a
 * fixed one still listed: remove it, so the list only shrinks. Prints agreement per field and
 * every miss.
 *
 * Re-pin after an intended change (then review the diff of corpus-misses.json):
 *   VIGIL_PIN_MISSES=1 node --import tsx --test test/core/progress/corpus.test.ts
 */

import { halfOf } from '../../helpers/corpus-halves.ts';
import { join } from 'node:path';
import { test } from 'node:test';
import { PROGRESS_CORPUS, readCorpus } from '../../helpers/corpus.ts';
import { checkPinnedMisses, type Miss, rowId } from '../../helpers/pinned-misses.ts';
import { PROGRESS_FIELDS, type ProgressRow, scoreRow } from '../../helpers/progress-score.ts';

const PINNED = join(import.meta.dirname, 'corpus-misses.json');

test('progress corpus: no step, loss, total or epoch miss beyond the pinned ones, none of those fixed', async () => {
  const rows = readCorpus<ProgressRow>(PROGRESS_CORPUS, 20);
  const agree = { step: 0, loss: 0, total: 0, epoch: 0 };
  const misses: Miss[] = [];
  const shown: string[] = [];
  rows.forEach((row, index) => {
    const id = rowId(row.text);
    const { got, wrong } = scoreRow(row);
    for (const field of PROGRESS_FIELDS) {
      if (!wrong.includes(field)) agree[field] += 1;
      else {
        misses.push({ id, field, expected: row.expect[field], got: got[field], source: row.source });
        shown.push(
          halfOf(row.source) === 'B'
            ? `#${index} ${id} ${field} (unseen half: details hidden, see bench/progress-split.ts)`
            : `#${index} ${id} ${row.framework} ${field}: got ${JSON.stringify(got[field])}, expected ${JSON.stringify(row.expect[field])}`,
        );
      }
    }
  });
  const pct = (n: number) => ((100 * n) / rows.length).toFixed(1);
  console.log(
    `progress agreement over ${rows.length}: step ${pct(agree.step)} %, loss ${pct(agree.loss)} %, total ${pct(agree.total)} %, epoch ${pct(agree.epoch)} %`,
  );
  for (const miss of shown) console.log(`  miss ${miss}`);
  await checkPinnedMisses(PINNED, misses, new Set(rows.map((row) => rowId(row.text))));
});
