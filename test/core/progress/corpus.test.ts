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

import { join } from 'node:path';
import { test } from 'node:test';
import { PROGRESS_CORPUS, readCorpus } from '../../helpers/corpus.ts';
import { checkPinnedMisses, type Miss, rowId } from '../../helpers/pinned-misses.ts';
import type { LossValue } from '../../../src/core/progress/parse-line.ts';
import { ProgressTracker } from '../../../src/core/progress/progress-tracker.ts';

type Expect = { step: number | null; total: number | null; loss: number | string | null; epoch: number | null };
type Row = { framework: string; text: string; expect: Expect; source?: string };

const PINNED = join(import.meta.dirname, 'corpus-misses.json');
const FIELDS = ['step', 'loss', 'total', 'epoch'] as const;

function sameNumber(got: LossValue | number | null | undefined, want: number | string | null): boolean {
  if (want === null) return got === null || got === undefined;
  if (typeof want === 'string') return typeof got === 'string' && got.toLowerCase() === want.toLowerCase();
  return typeof got === 'number' && Math.abs(got - want) <= 1e-9 * Math.max(1, Math.abs(want));
}

test('progress corpus: no step, loss, total or epoch miss beyond the pinned ones, none of those fixed', async () => {
  const rows = readCorpus<Row>(PROGRESS_CORPUS, 20);
  const agree = { step: 0, loss: 0, total: 0, epoch: 0 };
  const misses: Miss[] = [];
  const shown: string[] = [];
  rows.forEach((row, index) => {
    const id = rowId(row.text);
    const tracker = new ProgressTracker();
    tracker.pushText(row.text, 0);
    tracker.flush(0);
    const snapshot = tracker.snapshot();
    const got = { step: snapshot.step, loss: snapshot.metrics.loss ?? null, total: snapshot.total, epoch: snapshot.epoch };
    for (const field of FIELDS) {
      if (sameNumber(got[field], row.expect[field])) agree[field] += 1;
      else {
        misses.push({ id, field, expected: row.expect[field], got: got[field], source: row.source });
        shown.push(
          `#${index} ${id} ${row.framework} ${field}: got ${JSON.stringify(got[field])}, expected ${JSON.stringify(row.expect[field])}`,
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
