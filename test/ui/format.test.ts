import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bytes, commandLine, duration, num } from '../../ui/format.ts';

test('durations keep their two largest units', () => {
  assert.equal(duration(45_000), '45s');
  assert.equal(duration(725_000), '12m 5s');
  assert.equal(duration(3 * 3600_000 + 20 * 60_000 + 59_000), '3h 20m');
  assert.equal(duration(52 * 3600_000), '2d 4h');
  assert.equal(duration(null), '—');
});

test('bytes, numbers and command lines as people read them', () => {
  assert.equal(bytes(512), '512 B');
  assert.equal(bytes(7242752), '6.9 MB');
  assert.equal(num(0.123456), '0.1235');
  assert.equal(num(12345), '12,345');
  assert.equal(num('NaN'), 'NaN');
  assert.equal(commandLine(['python', 'train.py', '--name', "it's here"]), `python train.py --name 'it'\\''s here'`);
});
