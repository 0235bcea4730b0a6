import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { askThroughFile, claimRequest, watchRequestFile } from '../../src/supervisor/request-file.ts';

const requestFile = () => join(mkdtempSync(join(tmpdir(), 'vigil-request-')), 'stop-request');

test('a request file is claimed by one side only: the supervisor taking it or the command withdrawing it', () => {
  const file = requestFile();
  writeFileSync(file, '1\n');
  assert.equal(claimRequest(file), true, 'the first unlink has it');
  assert.equal(claimRequest(file), false, 'the second learns it was already had');
});

test('a request the supervisor takes is acknowledged; one nobody takes is withdrawn and said not taken', async () => {
  const taken = requestFile();
  let requests = 0;
  const stop = watchRequestFile(taken, () => (requests += 1));
  try {
    assert.equal(await askThroughFile(taken, 5000), true);
    assert.equal(requests, 1);
  } finally {
    stop();
  }
  const ignored = requestFile();
  assert.equal(await askThroughFile(ignored, 50), false);
  assert.equal(existsSync(ignored), false, 'withdrawn: nothing takes it later by surprise');
});

test('a request that cannot be removed for another reason than being gone is no claim either way: the failure is said', () => {
  const notADirectory = requestFile();
  writeFileSync(notADirectory, '1\n');
  assert.throws(() => claimRequest(join(notADirectory, 'stop-request')), /ENOTDIR/);
});
