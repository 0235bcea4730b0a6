import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fitParts } from '../../../src/core/text/fit-parts.ts';

test('fitParts keeps whole parts from the front and never cuts one', () => {
  const parts = ['step 40/100', '9.8 it/s', 'ETA 6.1s', 'loss 0.25', 'last output 1.0s ago'];
  const full = 'vigil ▸ step 40/100 · 9.8 it/s · ETA 6.1s · loss 0.25 · last output 1.0s ago';
  assert.equal(fitParts('vigil ▸ ', parts, ' · ', 200), full);
  assert.equal(fitParts('vigil ▸ ', parts, ' · ', full.length), full);
  assert.equal(fitParts('vigil ▸ ', parts, ' · ', full.length - 1), 'vigil ▸ step 40/100 · 9.8 it/s · ETA 6.1s · loss 0.25');
  assert.equal(fitParts('vigil ▸ ', parts, ' · ', 30), 'vigil ▸ step 40/100 · 9.8 it/s');
  assert.equal(fitParts('vigil ▸ ', parts, ' · ', 12), 'vigil ▸');
  assert.equal(fitParts('vigil ▸ ', parts, ' · ', 3), '');
});
