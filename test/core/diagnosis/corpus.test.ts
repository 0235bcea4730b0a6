/**
 * The whole dev corpus of real crash logs (../shared/crashlogs/dev.jsonl), as a ratchet: the rows
 * whose category or `retryable` the diagnosis still gets wrong are pinned in corpus-misses.json
 * (by a hash of the log, never its text). A new miss fails, and so does a fixed one still listed:
 * remove it, so the list only shrinks. Prints the accuracy, the confusion table and every miss.
 *
 * Re-pin after an intended change (then review the diff of corpus-misses.json):
 *   VIGIL_PIN_MISSES=1 node --import tsx --test test/core/diagnosis/corpus.test.ts
 */

import { join } from 'node:path';
import { test } from 'node:test';
import { CRASH_CORPUS, readCorpus } from '../../helpers/corpus.ts';
import { halfOf } from '../../helpers/corpus-halves.ts';
import { checkPinnedMisses, type Miss, rowId } from '../../helpers/pinned-misses.ts';
import { diagnoseText } from '../../../src/core/diagnosis/diagnose.ts';

type Row = { log: string; label: string; retryable: boolean; exit_code?: number; signal?: string; source?: string };

const PINNED = join(import.meta.dirname, 'corpus-misses.json');

test('crash corpus: no category or retryable miss beyond the pinned ones, none of those fixed', async () => {
  const rows = readCorpus<Row>(CRASH_CORPUS, 100);
  const confusion = new Map<string, Map<string, number>>();
  let correct = 0;
  let retryAgree = 0;
  const misses: Miss[] = [];
  const shown: string[] = [];
  rows.forEach((row, index) => {
    const id = rowId(row.log);
    const diagnosis = diagnoseText(row.log, { exitCode: row.exit_code ?? null, signal: row.signal ?? null });
    const byLabel = confusion.get(row.label) ?? new Map<string, number>();
    byLabel.set(diagnosis.category, (byLabel.get(diagnosis.category) ?? 0) + 1);
    confusion.set(row.label, byLabel);
    if (diagnosis.category === row.label) correct += 1;
    else {
      misses.push({ id, field: 'category', expected: row.label, got: diagnosis.category, source: row.source });
      shown.push(
        halfOf(row.source) === 'B'
          ? `#${index} ${id} (unseen half: details hidden, see bench/corpus-split.ts)`
          : `#${index} ${id} ${row.label} → ${diagnosis.category} (${diagnosis.rule ?? '-'}: ${diagnosis.evidence[0]?.text.slice(0, 100) ?? diagnosis.summary.slice(0, 100)})`,
      );
    }
    if (diagnosis.retryable === row.retryable) retryAgree += 1;
    else misses.push({ id, field: 'retryable', expected: row.retryable, got: diagnosis.retryable, source: row.source });
  });
  const lines = [...confusion.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([label, got]) => `${label.padEnd(24)} ${[...got.entries()].map(([c, n]) => (c === label ? `✓${n}` : `${c}:${n}`)).join('  ')}`);
  const pct = (n: number) => ((100 * n) / rows.length).toFixed(1);
  console.log(`confusion (label → predicted):\n${lines.join('\n')}\nmisses:\n${shown.join('\n')}`);
  console.log(
    `category top-1 ${pct(correct)} % (${correct}/${rows.length}), retryable ${pct(retryAgree)} % (${retryAgree}/${rows.length})`,
  );
  await checkPinnedMisses(PINNED, misses, new Set(rows.map((row) => rowId(row.log))));
});
