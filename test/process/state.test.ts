/** The state directory and database: bad ones get a clear line and a distinct code, and are never overwritten. */

import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { openDatabase } from '../../src/store/database.ts';
import { RunStore } from '../../src/store/runs.ts';
import { showJson, tempHome, vigil } from '../helpers/vigil.ts';
import { attemptRecord, runRecord } from '../helpers/records.ts';

describe('VIGIL_HOME and the database', () => {
  test('an unusable VIGIL_HOME is refused (exit 3)', async () => {
    const home = tempHome();
    writeFileSync(join(home, 'a-file'), 'not a directory');
    const result = await vigil(join(home, 'a-file', 'vigil'), ['run', '--', 'true']);
    assert.equal(result.code, 3);
    assert.match(result.stderr, /cannot use VIGIL_HOME=.*ENOTDIR/);
  });

  test('a corrupt database is refused (exit 4) and left byte for byte as it was', async () => {
    const home = tempHome();
    const garbage = Buffer.from('this is not sqlite at all, but someone may need it'.repeat(200));
    writeFileSync(join(home, 'vigil.db'), garbage);
    const result = await vigil(home, ['ps']);
    assert.equal(result.code, 4);
    assert.match(result.stderr, /corrupt or not a vigil database.*left untouched/);
    assert.deepEqual(readFileSync(join(home, 'vigil.db')), garbage);
  });

  test('a database from a newer vigil is refused (exit 5) and not touched', async () => {
    const home = tempHome();
    const db = new Database(join(home, 'vigil.db'));
    db.exec('CREATE TABLE future (x)');
    db.pragma('user_version = 99');
    db.close();
    const before = readFileSync(join(home, 'vigil.db'));
    const result = await vigil(home, ['run', '--', 'true']);
    assert.equal(result.code, 5);
    assert.match(result.stderr, /schema version 99, newer than this vigil understands/);
    assert.deepEqual(readFileSync(join(home, 'vigil.db')), before);
  });

  test('the database is in WAL mode and versioned', async () => {
    const home = tempHome();
    await vigil(home, ['run', '--', 'true']);
    const db = new Database(join(home, 'vigil.db'), { readonly: true });
    assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
    assert.ok((db.pragma('user_version', { simple: true }) as number) >= 1);
    db.close();
  });
});

describe('RUN arguments', () => {
  test('no match (exit 6) and an ambiguous prefix (exit 7)', async () => {
    const home = tempHome();
    const store = new RunStore(openDatabase(join(home, 'vigil.db')));
    for (const id of ['abc111000000', 'abc222000000']) {
      store.insertRun(runRecord(home, { id }));
    }
    store.db.close();
    const none = await vigil(home, ['show', 'zzz']);
    assert.equal(none.code, 6);
    assert.match(none.stderr, /no run matches "zzz"/);
    const ambiguous = await vigil(home, ['show', 'abc']);
    assert.equal(ambiguous.code, 7);
    assert.match(ambiguous.stderr, /"abc" is ambiguous: it matches abc(111|222)000000, abc(111|222)000000/);
    const unique = await vigil(home, ['show', 'abc1', '--json']);
    assert.equal(JSON.parse(unique.stdout).id, 'abc111000000');
  });
});

describe('vigil logs', () => {
  test('prints the log, its tail, and refuses a missing attempt', async () => {
    const home = tempHome();
    await vigil(home, ['run', '-q', '--', 'sh', '-c', 'for i in 1 2 3 4 5; do echo line $i; done']);
    assert.equal((await vigil(home, ['logs', 'last'])).stdout, 'line 1\nline 2\nline 3\nline 4\nline 5\n');
    assert.equal((await vigil(home, ['logs', 'last', '--tail', '2'])).stdout, 'line 4\nline 5\n');
    assert.equal((await vigil(home, ['logs', 'last', '--tail', '9'])).stdout.split('\n').length, 6);
    assert.equal((await vigil(home, ['logs', 'last', '--attempt', '1'])).stdout.length, 35);
    const missing = await vigil(home, ['logs', 'last', '--attempt', '2']);
    assert.equal(missing.code, 6);
    assert.match(missing.stderr, /has no attempt 2/);
  });

  test('-f follows a live run until it ends', async () => {
    const home = tempHome();
    const run = vigil(home, ['run', '-q', '--', 'sh', '-c', 'echo first; sleep 1; echo second']);
    const { waitForLog } = await import('../helpers/vigil.ts');
    await waitForLog(home, 'first');
    const followed = await vigil(home, ['logs', 'last', '-f']);
    assert.equal(followed.stdout, 'first\nsecond\n');
    await run;
  });
});

describe('a fresh home', () => {
  test('vigils started together on a fresh home all take it as theirs (none sees the schema half-made)', async () => {
    for (let round = 0; round < 3; round += 1) {
      const home = tempHome();
      const results = await Promise.all(Array.from({ length: 12 }, () => vigil(home, ['ps', '--all'])));
      const failed = results.filter((result) => result.code !== 0).map((result) => `${result.code} ${result.stderr.trim()}`);
      assert.deepEqual(failed, []);
    }
  });
});

describe('a supervisor that died after recording the attempt', () => {
  test("the run ends as its last attempt did (not unknown) when that attempt's exit was recorded", async () => {
    const home = tempHome();
    const store = new RunStore(openDatabase(join(home, 'vigil.db')));
    // A supervisor that is not alive: pid 1 with a start time it never had.
    const dead = { status: 'running' as const, endedAt: null, exitCode: null, supervisorPid: 1, supervisorStart: 'never' };
    const failed = runRecord(home, { id: 'def000000001', ...dead });
    const unseen = runRecord(home, { id: 'def000000002', ...dead });
    store.insertRun(failed);
    store.insertAttempt(attemptRecord(failed, { endedAt: Date.now(), exitCode: 3 }));
    store.insertRun(unseen);
    store.insertAttempt(attemptRecord(unseen, { endedAt: null, exitCode: null }));
    store.db.close();
    const rows = JSON.parse((await vigil(home, ['ps', '--all', '--json'])).stdout) as { id: string; status: string }[];
    assert.deepEqual(Object.fromEntries(rows.map((row) => [row.id, row.status])), { def000000001: 'failed', def000000002: 'unknown' });
    assert.equal(showJson(home, 'def000000001').exit_code, 3);
  });
});
