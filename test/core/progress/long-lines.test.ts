/**
 * A job may print a line of megabytes (a tensor dumped, a filler line): reading it must take time
 * in proportion to its length. A pattern that rescans a run of digits from each of its digits took
 * seconds on a 48 KB line and minutes on a megabyte, and held the watchdog up meanwhile.
 */

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { numericFieldsOf } from '../../../src/core/progress/numeric-fields.ts';
import { ProgressTracker } from '../../../src/core/progress/progress-tracker.ts';

test('a 1 MB line of digits (and one after a clock time) is read in well under a second each', () => {
  const tracker = new ProgressTracker();
  tracker.pushLine('step 1/40', 0);
  for (const line of ['1'.repeat(1 << 20), `12:30:45 ${'7'.repeat(1 << 20)}`]) {
    const started = performance.now();
    tracker.pushLine(line, 0);
    const ms = performance.now() - started;
    assert.ok(ms < 3000, `took ${ms.toFixed(0)} ms`);
  }
  tracker.pushLine('step 2/40', 0);
  assert.equal(tracker.progress.step, 2);
});

test('a long word of numbers after a `/` (a tensor dumped into a path-like word): the path check reads it once, not once per number', () => {
  const line = `dump/${Array.from({ length: 40_000 }, (_, i) => `0.${i}`).join(',')}`; // ~270 KB, one word
  const started = performance.now();
  const fields = numericFieldsOf(line);
  const ms = performance.now() - started;
  assert.ok(ms < 3000, `took ${ms.toFixed(0)} ms`);
  assert.ok(fields.length > 0, 'a comma after the slash keys values: they are fields');
});
