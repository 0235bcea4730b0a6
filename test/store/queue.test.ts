/** The queue in a real SQLite file: the queue contract, and what only SQLite's has (synchronous calls, for `vigil submit`). */

import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { openDatabase } from '../../src/store/database.ts';
import { SqliteQueue } from '../../src/store/queue.ts';
import { jobRequest } from '../helpers/jobs.ts';
import { queueContract } from './queue-contract.ts';

const queue = () => new SqliteQueue(openDatabase(join(mkdtempSync(join(tmpdir(), 'vigil-queue-')), 'vigil.db'), { readonly: false }));

queueContract('SQLite', async () => queue());

describe('the SQLite queue', () => {
  test('answers at once too: submitNow, getNow, listNow, cancelNow', () => {
    const q = queue();
    const submitted = q.submitNow(jobRequest(), 1);
    assert.ok(submitted.kind === 'queued');
    assert.equal(q.submitNow(jobRequest(), 2).kind, 'duplicate');
    assert.equal(q.getNow(submitted.job.id)?.state, 'queued');
    assert.deepEqual(
      q.listNow(['queued']).map((job) => job.id),
      [submitted.job.id],
    );
    assert.equal(q.cancelNow(submitted.job.id, 3), true);
    assert.equal(q.cancelNow(submitted.job.id, 4), false);
    assert.deepEqual(q.runsOfNow(submitted.job.id), []);
  });
});
