/**
 * The run repository contract on the shared PostgreSQL (a throwaway cluster), and what only a
 * shared store does: a retried write changes nothing twice; the heartbeat; a group's requests.
 */

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { connectPostgres } from '../../src/store/postgres/connect.ts';
import { PostgresRuns } from '../../src/store/postgres/runs.ts';
import { type PostgresCluster, startPostgres } from '../helpers/postgres.ts';
import { runRepositoryContract, sampleRun } from './run-repository-contract.ts';

let cluster: PostgresCluster;
const pools: { end: () => Promise<void> }[] = [];
before(async () => {
  cluster = await startPostgres();
});
after(async () => {
  await Promise.all(pools.map((pool) => pool.end().catch(() => undefined)));
  cluster?.stop();
});

async function repository(): Promise<PostgresRuns> {
  const { pool } = await connectPostgres(await cluster.createDatabase());
  pools.push(pool);
  return new PostgresRuns(pool);
}

runRepositoryContract('PostgreSQL', repository);

describe('the shared store: what only it does', () => {
  test('a write retried after a lost answer changes nothing twice', async () => {
    const runs = await repository();
    const run = sampleRun('aaaaaaaaaaaa');
    await runs.insertRun(run, 'n');
    await runs.updateRun(run.id, { status: 'failed' });
    await runs.insertRun(run, 'n');
    assert.equal((await runs.getRun(run.id))?.status, 'failed');
  });

  test("the heartbeat is kept; a group's requests reach those that ask after the newest they had seen", async () => {
    const runs = await repository();
    await runs.insertRun(
      sampleRun('aaaaaaaaaaaa', { group: { id: 'g', source: 'option', node: 'left', nodeRank: 0, nodes: null, addresses: [] } }),
      'left',
    );
    assert.equal(await runs.lastGroupRequest('g'), 0);
    const id = await runs.requestGroup('g', 'stop', 'desk', { timeout_ms: 5000 });
    const seen = await runs.heartbeat('aaaaaaaaaaaa', 'g', 0, 1234);
    assert.deepEqual(
      seen.map((request) => [request.id, request.kind, request.byNode, request.data]),
      [[id, 'stop', 'desk', { timeout_ms: 5000 }]],
    );
    assert.deepEqual(await runs.heartbeat('aaaaaaaaaaaa', 'g', id, 1235), []);
    assert.equal((await runs.getRun('aaaaaaaaaaaa'))?.heartbeatAt, 1235);
  });
});
