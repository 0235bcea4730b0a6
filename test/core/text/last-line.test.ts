import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LastLineTracker } from '../../../src/core/text/last-line.ts';
import { lastVisibleSegment } from '../../../src/core/text/terminal-text.ts';

const lastOf = (chunks: string[], maxBytes?: number) => {
  const tracker = new LastLineTracker(maxBytes);
  for (const chunk of chunks) tracker.push(Buffer.from(chunk));
  return tracker.last(lastVisibleSegment);
};

test('the last line that is not blank, and how many blank lines follow it', () => {
  assert.deepEqual(lastOf(['step 1\nstep 2\n']), { text: 'step 2', linesAfter: 0 });
  assert.deepEqual(lastOf(['step 1\nstep 2']), { text: 'step 2', linesAfter: 0 }, 'no final newline');
  assert.deepEqual(lastOf(['step 1\nstep 2\n\n   \n']), { text: 'step 2', linesAfter: 2 });
  assert.equal(lastOf(['\n \n']), null);
  assert.equal(lastOf([]), null);
});

test('a progress bar redrawn with carriage returns: what the terminal showed last', () => {
  assert.deepEqual(lastOf(['train:  10%|#   | 10/100\rtrain:  11%|#   | 11/100\r']), { text: 'train:  11%|#   | 11/100', linesAfter: 0 });
});

test('split across chunks, and longer than what is kept: the end of the stream is what is kept', () => {
  assert.deepEqual(lastOf(['step 1\nst', 'ep ', '2\n']), { text: 'step 2', linesAfter: 0 });
  const long = `${'x'.repeat(10_000)}END\n`;
  assert.deepEqual(lastOf(['first\n', long], 16), { text: `${'x'.repeat(12)}END`, linesAfter: 0 });
  assert.deepEqual(lastOf(['first\n', 'é'.repeat(20)], 7), { text: 'ééé', linesAfter: 0 }, 'a character cut in two is dropped');
});
