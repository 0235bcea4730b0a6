/**
 * The whole dev corpus of real trainer outputs (../shared/progress/dev.jsonl): the parser must
 * agree with the expected last step and loss on ≥ 95 % of them. Prints agreement per field
 * (step, loss, total, epoch) and every miss.
 */

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PROGRESS_CORPUS, readCorpus } from '../../helpers/corpus.ts';
import type { LossValue } from '../../../src/core/progress/parse-line.ts';
import { ProgressTracker } from '../../../src/core/progress/progress-tracker.ts';

type Expect = { step: number | null; total: number | null; loss: number | string | null; epoch: number | null };
type Row = { framework: string; text: string; expect: Expect };

function sameNumber(got: LossValue | number | null | undefined, want: number | string | null): boolean {
  if (want === null) return got === null || got === undefined;
  if (typeof want === 'string') return typeof got === 'string' && got.toLowerCase() === want.toLowerCase();
  return typeof got === 'number' && Math.abs(got - want) <= 1e-9 * Math.max(1, Math.abs(want));
}

test('progress corpus: step and loss agreement ≥ 95 %', () => {
  const rows = readCorpus<Row>(PROGRESS_CORPUS, 20);
  const agree = { step: 0, loss: 0, total: 0, epoch: 0 };
  const misses: string[] = [];
  rows.forEach((row, index) => {
    const tracker = new ProgressTracker();
    tracker.pushText(row.text, 0);
    tracker.flush(0);
    const got = tracker.snapshot();
    const checks = {
      step: sameNumber(got.step, row.expect.step),
      loss: sameNumber(got.metrics.loss, row.expect.loss),
      total: sameNumber(got.total, row.expect.total),
      epoch: sameNumber(got.epoch, row.expect.epoch),
    };
    for (const [field, ok] of Object.entries(checks)) {
      if (ok) agree[field as keyof typeof agree] += 1;
      else {
        const gotValue = field === 'loss' ? got.metrics.loss : got[field as 'step' | 'total' | 'epoch'];
        misses.push(
          `#${index} ${row.framework} ${field}: got ${JSON.stringify(gotValue)}, expected ${JSON.stringify(row.expect[field as keyof Expect])}`,
        );
      }
    }
  });
  const pct = (n: number) => ((100 * n) / rows.length).toFixed(1);
  console.log(
    `progress agreement over ${rows.length}: step ${pct(agree.step)} %, loss ${pct(agree.loss)} %, total ${pct(agree.total)} %, epoch ${pct(agree.epoch)} %`,
  );
  for (const miss of misses) console.log(`  miss ${miss}`);
  assert.ok(agree.step / rows.length >= 0.95, `step agreement ${pct(agree.step)} %`);
  assert.ok(agree.loss / rows.length >= 0.95, `loss agreement ${pct(agree.loss)} %`);
});
