/**
 * A small log is read line by line without the prefilter (diagnose-file.ts: building it costs more
 * than reading the log, on the way to a restart). The prefilter only skips lines that cannot
 * matter, so both ways must give the same diagnosis: checked over the whole crash corpus.
 */

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CRASH_CORPUS, readCorpus } from '../../helpers/corpus.ts';
import { Diagnoser, type ExitFacts } from '../../../src/core/diagnosis/diagnose.ts';

type Row = { log: string; exit_code?: number; signal?: string };

function diagnose(log: string, exit: ExitFacts, everyLine: boolean) {
  const diagnoser = new Diagnoser({ everyLine });
  diagnoser.push(new TextEncoder().encode(log));
  return diagnoser.finish(exit);
}

test('every line read, or only those the prefilter lets through: the same diagnosis for every corpus log', () => {
  const rows = readCorpus<Row>(CRASH_CORPUS, 100);
  for (const row of rows) {
    const exit = { exitCode: row.exit_code ?? null, signal: row.signal ?? null };
    assert.deepEqual(diagnose(row.log, exit, true), diagnose(row.log, exit, false), row.log.slice(0, 200));
  }
});
