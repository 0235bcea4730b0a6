import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lastVisibleSegment, lastVisibleSegmentOf } from '../../../src/core/text/terminal-text.ts';

test('the last visible segment of a redrawn line, from text and from bytes alike', () => {
  const cases: [string, string][] = [
    ['plain line', 'plain line'],
    [' 10%|█ | 1/10\r 20%|██ | 2/10', ' 20%|██ | 2/10'],
    ['step 3/9\r', 'step 3/9'], // a final \r (as in \r\n) is no redraw
    ['step 3/9\r   \r\t', 'step 3/9'],
    ['\r\r', ''],
    ['', ''],
    ['épsilon 1/2\rδ 2/2', 'δ 2/2'],
  ];
  const encoder = new TextEncoder();
  const decoder = new TextDecoder();
  for (const [line, expected] of cases) {
    assert.equal(lastVisibleSegment(line), expected, JSON.stringify(line));
    assert.equal(decoder.decode(lastVisibleSegmentOf(encoder.encode(line))), expected, `bytes of ${JSON.stringify(line)}`);
  }
});
