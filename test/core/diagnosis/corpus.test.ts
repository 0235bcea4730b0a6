/**
 * The whole dev corpus of real crash logs (../shared/crashlogs/dev.jsonl): category top-1 and
 * `retryable` agreement must each stay ≥ 95 %. Prints the confusion table and every miss.
 */

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CRASH_CORPUS, readCorpus } from '../../helpers/corpus.ts';
import { diagnoseText } from '../../../src/core/diagnosis/diagnose.ts';

type Row = { log: string; label: string; retryable: boolean; exit_code?: number; signal?: string; note?: string };

test('crash corpus: category top-1 and retryable agreement ≥ 95 %', () => {
  const rows = readCorpus<Row>(CRASH_CORPUS, 100);
  const confusion = new Map<string, Map<string, number>>();
  let correct = 0;
  let retryAgree = 0;
  const misses: string[] = [];
  rows.forEach((row, index) => {
    const diagnosis = diagnoseText(row.log, { exitCode: row.exit_code ?? null, signal: row.signal ?? null });
    const byLabel = confusion.get(row.label) ?? new Map<string, number>();
    byLabel.set(diagnosis.category, (byLabel.get(diagnosis.category) ?? 0) + 1);
    confusion.set(row.label, byLabel);
    if (diagnosis.category === row.label) correct += 1;
    else
      misses.push(
        `#${index} ${row.label} → ${diagnosis.category} (${diagnosis.rule ?? '-'}: ${diagnosis.evidence[0]?.text.slice(0, 100) ?? diagnosis.summary.slice(0, 100)})`,
      );
    if (diagnosis.retryable === row.retryable) retryAgree += 1;
  });
  const lines = [...confusion.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([label, got]) => `${label.padEnd(24)} ${[...got.entries()].map(([c, n]) => (c === label ? `✓${n}` : `${c}:${n}`)).join('  ')}`);
  const accuracy = correct / rows.length;
  const retryable = retryAgree / rows.length;
  console.log(`confusion (label → predicted):\n${lines.join('\n')}\nmisses:\n${misses.join('\n')}`);
  console.log(`category top-1 ${(accuracy * 100).toFixed(1)} % (${correct}/${rows.length}), retryable ${(retryable * 100).toFixed(1)} %`);
  assert.ok(accuracy >= 0.95, `category top-1 ${(accuracy * 100).toFixed(1)} % < 95 %`);
  assert.ok(retryable >= 0.95, `retryable agreement ${(retryable * 100).toFixed(1)} % < 95 %`);
});
