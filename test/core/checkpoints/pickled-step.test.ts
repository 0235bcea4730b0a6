import assert from 'node:assert/strict';
import { test } from 'node:test';
import { stepFromPickle } from '../../../src/core/checkpoints/pickled-step.ts';

/** "global_step" as pickle writes a dict key (BINUNICODE, then a memo put), followed by `value`. */
const keyed = (value: number[]) => Uint8Array.from([0x58, 11, 0, 0, 0, ...Buffer.from('global_step'), 0x71, 0x05, ...value]);

test('the step in a pickled Lightning checkpoint dict, whatever int opcode holds it', () => {
  assert.equal(stepFromPickle(keyed([0x4b, 7])), 7); // BININT1
  assert.equal(stepFromPickle(keyed([0x4d, 0xe1, 0x10])), 4321); // BININT2
  assert.equal(stepFromPickle(keyed([0x4a, 0xe0, 0x93, 0x04, 0x00])), 300_000); // BININT
  assert.equal(stepFromPickle(keyed([0x8a, 0x06, 0, 0, 0, 0, 0, 1])), 2 ** 40); // LONG1
  assert.equal(stepFromPickle(Uint8Array.from(Buffer.from('global_step as text, not a key K\x07'))), null);
  assert.equal(stepFromPickle(new Uint8Array()), null);
});
