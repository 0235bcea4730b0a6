import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { durationText, formatDuration, parseDuration } from '../../src/core/duration.ts';

describe('parseDuration', () => {
  const cases: [string, number | null][] = [
    ['30s', 30_000],
    ['5m', 300_000],
    ['1h30m', 5_400_000],
    ['250ms', 250],
    ['1.5s', 1500],
    ['2', 2000],
    ['0', 0],
    ['999', 999_000],
    ['30000ms', 30_000],
    ['1d', 86_400_000],
    ['', null],
    ['soon', null],
    ['5x', null],
    ['5m junk', null],
    ['-1s', null],
  ];
  for (const [text, expected] of cases)
    test(JSON.stringify(text), () => {
      const parsed = parseDuration(text);
      assert.equal('ms' in parsed ? parsed.ms : null, expected, JSON.stringify(parsed));
    });

  test('a bare number above 999 is refused, saying what it would have meant', () => {
    assert.deepEqual(parseDuration('30000'), {
      error: 'a bare number is seconds, so 30000 would be 8h20m: write 8h20m, or 30000ms if milliseconds were meant',
    });
    assert.match((parseDuration('1000') as { error: string }).error, /1000 would be 16m40s: write 16m40s, or 1000ms/);
  });

  test('a malformed one names the syntax', () => {
    assert.match(
      (parseDuration('soon') as { error: string }).error,
      /expected a duration: a number with a unit \(250ms, 30s, 5m, 1h30m, 2d\)/,
    );
  });
});

test('durationText: exact, as typed, and round-trips through parseDuration', () => {
  const cases: [number, string][] = [
    [30_000, '30s'],
    [600_000, '10m'],
    [60_000, '1m'],
    [5_400_000, '1h30m'],
    [250, '250ms'],
    [1500, '1s500ms'],
    [90_061_000, '1d1h1m1s'],
    [0, '0s'],
    [Number.POSITIVE_INFINITY, 'off'],
  ];
  for (const [ms, text] of cases) {
    assert.equal(durationText(ms), text);
    if (Number.isFinite(ms)) assert.deepEqual(parseDuration(text), { ms });
  }
});

test('formatDuration', () => {
  assert.equal(formatDuration(850), '850ms');
  assert.equal(formatDuration(12_345), '12.3s');
  assert.equal(formatDuration(245_000), '4m05s');
  assert.equal(formatDuration(3 * 3600_000 + 12 * 60_000), '3h12m');
  assert.equal(formatDuration(50 * 3600_000), '2d02h');
});
