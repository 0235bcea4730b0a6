/** Pure pieces of the foundation: sizes, exit statuses, run resolution, run status. */

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { shellExitCode, signalName, signalNumber } from '../../src/core/exit-status.ts';
import { resolveRun } from '../../src/core/resolve-run.ts';
import { observeStatus, outcomeOf } from '../../src/core/run-status.ts';
import { formatSize, parseSize } from '../../src/core/size.ts';

test('parseSize and formatSize', () => {
  assert.equal(parseSize('4K'), 4096);
  assert.equal(parseSize('2G'), 2 * 1024 ** 3);
  assert.equal(parseSize('1.5GiB'), 1.5 * 1024 ** 3);
  assert.equal(parseSize('500MB'), 500 * 1024 ** 2);
  assert.equal(parseSize('12'), 12);
  assert.equal(parseSize('lots'), null);
  assert.equal(formatSize(512), '512 B');
  assert.equal(formatSize(3.5 * 1024 ** 2), '3.5 MiB');
});

test('shellExitCode follows the shell convention', () => {
  assert.equal(shellExitCode({ code: 3, signal: null }), 3);
  assert.equal(shellExitCode({ code: null, signal: 'SIGKILL' }), 137);
  assert.equal(shellExitCode({ code: null, signal: 'SIGSEGV' }), 139);
  assert.equal(shellExitCode({ code: null, signal: null }), null);
  assert.equal(signalNumber('term'), 15);
  assert.equal(signalNumber('9'), 9);
  assert.equal(signalName(2), 'SIGINT');
});

describe('resolveRun', () => {
  const runs = [
    { id: 'abc111000000', name: 'exp', createdAt: 1 },
    { id: 'abc222000000', name: 'exp', createdAt: 2 },
    { id: 'def333000000', name: null, createdAt: 3 },
  ];
  test('last is the newest', () => assert.deepEqual(resolveRun('last', runs), { kind: 'found', id: 'def333000000' }));
  test('a name means its newest run', () => assert.deepEqual(resolveRun('exp', runs), { kind: 'found', id: 'abc222000000' }));
  test('a unique prefix', () => assert.deepEqual(resolveRun('abc1', runs), { kind: 'found', id: 'abc111000000' }));
  test('an exact id', () => assert.deepEqual(resolveRun('def333000000', runs), { kind: 'found', id: 'def333000000' }));
  test('an ambiguous prefix lists candidates', () =>
    assert.deepEqual(resolveRun('abc', runs), { kind: 'ambiguous', candidates: ['abc222000000', 'abc111000000'] }));
  test('no match', () => assert.deepEqual(resolveRun('zzz', runs), { kind: 'none' }));
  test('nothing at all', () => assert.deepEqual(resolveRun('last', []), { kind: 'none' }));
});

describe('observeStatus', () => {
  test('a supervised run is what is stored', () =>
    assert.deepEqual(observeStatus('running', { supervisorAlive: true, taggedProcessesAlive: true }), {
      status: 'running',
      endedUnwatched: false,
    }));
  test('supervisor gone, processes alive: orphaned', () =>
    assert.deepEqual(observeStatus('running', { supervisorAlive: false, taggedProcessesAlive: true }), {
      status: 'orphaned',
      endedUnwatched: false,
    }));
  test('supervisor gone, nothing alive: ended with unknown status', () =>
    assert.deepEqual(observeStatus('running', { supervisorAlive: false, taggedProcessesAlive: false }), {
      status: 'unknown',
      endedUnwatched: true,
    }));
  test('ended runs stay ended', () =>
    assert.deepEqual(observeStatus('failed', { supervisorAlive: false, taggedProcessesAlive: false }), {
      status: 'failed',
      endedUnwatched: false,
    }));
});

test('outcomeOf', () => {
  assert.equal(outcomeOf({ code: 0, signal: null }, false), 'succeeded');
  assert.equal(outcomeOf({ code: 1, signal: null }, false), 'failed');
  assert.equal(outcomeOf({ code: null, signal: 'SIGKILL' }, false), 'failed');
  assert.equal(outcomeOf({ code: 0, signal: null }, true), 'stopped');
});
