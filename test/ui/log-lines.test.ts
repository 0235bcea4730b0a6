import assert from 'node:assert/strict';
import { test } from 'node:test';
import { appendText, byteLength, displayText, EMPTY, MAX_LINES } from '../../ui/log-lines.ts';

test('a line cut between two chunks stays open until its newline comes', () => {
  const first = appendText(EMPTY, 'step 1\nstep ');
  assert.deepEqual(first, { lines: ['step 1'], open: 'step ', dropped: 0 });
  assert.deepEqual(appendText(first, '2\n'), { lines: ['step 1', 'step 2'], open: '', dropped: 0 });
});

test('a line shows what a terminal would: after the last carriage return, without colour codes', () => {
  assert.equal(displayText('10%|#  |\r50%|### |\r100%|#####|'), '100%|#####|');
  assert.equal(displayText('\x1b[31mError\x1b[0m: boom\r'), 'Error: boom');
});

test('beyond MAX_LINES the oldest lines go, and are counted', () => {
  const text = Array.from({ length: MAX_LINES + 7 }, (_, i) => `line ${i}`).join('\n') + '\n';
  const log = appendText(EMPTY, text);
  assert.equal(log.lines.length, MAX_LINES);
  assert.equal(log.dropped, 7);
  assert.equal(log.lines[0], 'line 7');
});

test('offsets count bytes, not characters', () => {
  assert.equal(byteLength('loss → 0.5'), 12);
});
