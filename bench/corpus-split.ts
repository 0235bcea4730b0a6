/**
 * The honest measure of the crash diagnosis (issue 13): the dev corpus split in two halves by
 * SOURCE REPOSITORY (owner/name of the `source` issue URL; a stable hash of it picks the half, so
 * every issue of one repository lands in the same half). Rules are written looking at half A's
 * misses only; half B stands for logs from repositories nobody tuned on.
 *
 * Prints, per half: category top-1, retryable balanced accuracy, the confusion and the misses.
 * Run: node --import tsx bench/corpus-split.ts [A|B]   (misses of half A; of B only when B is named)
 *      node --import tsx bench/corpus-split.ts FILE.jsonl   (another set of logs in the corpus's format,
 *      such as fresh logs kept outside the repository: measured whole, with its misses)
 */

import { type Half, halfOf, repositoryOf } from '../test/helpers/corpus-halves.ts';
import { diagnoseText } from '../src/core/diagnosis/diagnose.ts';
import { CRASH_CORPUS, readCorpus } from '../test/helpers/corpus.ts';
import { exitQuietlyOnBrokenPipe } from '../src/cli/broken-pipe.ts';

// `… | head`: stop quietly when the reader goes, as the CLI does.
exitQuietlyOnBrokenPipe();

type Row = { log: string; label: string; retryable: boolean; exit_code?: number; signal?: string; source?: string };

function report(half: string, rows: Row[], showMisses: boolean): void {
  const confusion = new Map<string, Map<string, number>>();
  /** [right, total] for the logs labelled retryable, and for those labelled not. */
  const recall: Record<'true' | 'false', [number, number]> = { true: [0, 0], false: [0, 0] };
  let correct = 0;
  const misses: string[] = [];
  for (const row of rows) {
    const d = diagnoseText(row.log, { exitCode: row.exit_code ?? null, signal: row.signal ?? null });
    const byLabel = confusion.get(row.label) ?? new Map<string, number>();
    byLabel.set(d.category, (byLabel.get(d.category) ?? 0) + 1);
    confusion.set(row.label, byLabel);
    const side = recall[String(row.retryable) as 'true' | 'false'];
    side[1] += 1;
    if (d.retryable === row.retryable) side[0] += 1;
    if (d.category === row.label) correct += 1;
    else
      misses.push(
        `  ${row.label} → ${d.category} (${d.rule ?? '-'}: ${(d.evidence[0]?.text ?? d.summary).slice(0, 110)}) ${row.source ?? ''}`,
      );
    if (d.category === row.label && d.retryable !== row.retryable)
      misses.push(`  retryable ${row.label}: expected ${row.retryable}, got ${d.retryable} ${row.source ?? ''}`);
  }
  const balanced = (recall.true[0] / Math.max(1, recall.true[1]) + recall.false[0] / Math.max(1, recall.false[1])) / 2;
  console.log(
    `${half.length === 1 ? `half ${half}` : half}: ${rows.length} logs from ${new Set(rows.map((r) => repositoryOf(r.source))).size} repositories: ` +
      `category top-1 ${((100 * correct) / rows.length).toFixed(1)} % (${correct}/${rows.length}), retryable balanced ${balanced.toFixed(3)}`,
  );
  if (!showMisses) return;
  const lines = [...confusion.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([label, got]) => `  ${label.padEnd(24)} ${[...got.entries()].map(([c, n]) => (c === label ? `✓${n}` : `${c}:${n}`)).join('  ')}`);
  console.log(`confusion (label → predicted):\n${lines.join('\n')}\nmisses:\n${misses.join('\n')}`);
}

const argument = process.argv[2];
if (argument?.endsWith('.jsonl')) {
  report(argument, readCorpus<Row>(argument, 1), true);
} else {
  const only = argument?.toUpperCase() as Half | undefined;
  const rows = readCorpus<Row>(CRASH_CORPUS, 100);
  for (const half of ['A', 'B'] as const) {
    report(
      half,
      rows.filter((row) => halfOf(row.source) === half),
      // The unseen half's misses only when asked for by name: reading them turns B into a tuning set.
      only === half || (only === undefined && half === 'A'),
    );
  }
}
